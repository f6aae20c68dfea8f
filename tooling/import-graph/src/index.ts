// @mm/import-graph: the repository's check that no package's sources import each other in a
// circle and that packages import each other only down the layers.

export {
  findCycles,
  type ImportGraph,
  isRelative,
  readGraph,
  resolveRelative,
  type SourceTree,
  sourceFiles,
  specifiersOf,
} from "./graph.js";
export {
  type Allowed,
  checkPackages,
  layers,
  type PackageInfo,
  type Problem,
  readPackage,
  unlayeredFolders,
  workspacePackage,
} from "./layers.js";
export { checkRepository, workspacePackages } from "./repository.js";
