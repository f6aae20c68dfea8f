// The runtime's seam, checked: no module imports runtime.ts back, and no `@internal` member of
// `Runtime` is used outside runtime.ts and internal/ (the runner, the facades, the embedding API
// and the CLI go through the core). Tests may look inside; sources may not.

import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");
const runtimeSrc = join(root, "packages/runtime/src");

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : tsFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Whether a file belongs to the seam: runtime.ts itself and the core's folder. */
const inSeam = (file: string) =>
  file === join(runtimeSrc, "runtime.ts") || file.startsWith(join(runtimeSrc, "internal/"));

/** Every use, in `files`, of a member of class `Runtime` that is documented `@internal`. */
function internalUses(files: readonly string[]): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ["lib.es2024.d.ts", "lib.esnext.disposable.d.ts"],
    baseUrl: root,
    paths: Object.fromEntries(
      ["heap", "pool-allocator", "refcount", "gen-gc", "layout", "runtime"].map((name) => [
        `@mm/${name}`,
        [`./packages/${name}/src/index.ts`],
      ]),
    ),
  };
  const program = ts.createProgram([join(runtimeSrc, "runtime.ts"), ...files], options);
  const checker = program.getTypeChecker();
  const internal = new Set<ts.Symbol>();
  const runtimeFile = program.getSourceFile(join(runtimeSrc, "runtime.ts"))!;
  ts.forEachChild(runtimeFile, (node) => {
    if (!ts.isClassDeclaration(node) || node.name?.text !== "Runtime") return;
    for (const member of node.members) {
      if (!ts.getJSDocTags(member).some((tag) => tag.tagName.text === "internal")) continue;
      const symbol = member.name && checker.getSymbolAtLocation(member.name);
      if (symbol) internal.add(symbol);
    }
  });
  expect(internal.size).toBeGreaterThan(0); // the check itself found what to look for
  const uses: string[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file)!;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node)) {
        const symbol = checker.getSymbolAtLocation(node.name);
        if (symbol && internal.has(symbol)) {
          const { line } = source.getLineAndCharacterOfPosition(node.name.getStart());
          uses.push(`${relative(root, file)}:${line + 1}: Runtime.${node.name.text}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return uses;
}

describe("the runtime's seam", () => {
  it("no module of the runtime imports runtime.ts but the package's entry", () => {
    const importers = tsFiles(runtimeSrc).filter((file) => {
      if (file.endsWith("/index.ts") && !file.includes("/internal/")) return false;
      const text = ts.sys.readFile(file)!;
      return ts
        .preProcessFile(text)
        .importedFiles.some((f) => /(^|\/)runtime\.js$/.test(f.fileName));
    });
    expect(importers.map((f) => relative(root, f))).toEqual([]);
  });

  it("no source outside the seam uses an @internal member of Runtime, and a use is caught", () => {
    const sources = [
      ...tsFiles(runtimeSrc).filter((file) => !inSeam(file)),
      ...tsFiles(join(root, "apps")).filter((file) => file.includes("/src/")),
    ];
    const fixture = join(import.meta.dirname, "fixtures/reaches-inside.ts");
    const uses = internalUses([...sources, fixture]);
    expect(uses).toEqual([
      "packages/runtime/test/fixtures/reaches-inside.ts:5: Runtime.strategy",
      "packages/runtime/test/fixtures/reaches-inside.ts:5: Runtime.temps",
    ]);
  });
});
