// An example collector from outside the @mm packages. Its default export is the definition the
// runtime's registry and `mm --collector-module` take: { name, capabilities, create(host) }.

import type { CollectorDefinition } from "@mm/gen-gc";
import { MARK_SWEEP_CAPABILITIES, MarkSweepCollector } from "./mark-sweep.js";

export {
  MARK_SWEEP_CAPABILITIES,
  MarkSweepCollector,
  type MarkSweepOptions,
} from "./mark-sweep.js";

/**
 * The mark-sweep collector as a runtime registers it: made over the runtime's host, rooted in
 * its frames, globals and handles, paced by its `tracingBytes`.
 *
 * @example
 * ```ts
 * import markSweep from "@mm/example-mark-sweep-collector";
 * const registry = StrategyRegistry.withBuiltins();
 * registry.registerCollector(markSweep);
 * using rt = new Runtime({ registry, collector: "mark-sweep" });
 * ```
 */
const markSweep: CollectorDefinition = {
  name: "mark-sweep",
  description: "a plain non-generational mark-sweep from the roots",
  capabilities: MARK_SWEEP_CAPABILITIES,
  create: (host) =>
    new MarkSweepCollector(host.space, {
      roots: host.roots,
      free: host.free,
      unraisable: host.unraisable,
      bytesBetweenCollections: host.tracingBytes,
      clearFreeLists: host.clearFreeLists,
      clearingWeakrefs: host.clearingWeakrefs,
    }),
};

export default markSweep;
