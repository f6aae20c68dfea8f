// Objects leaked by a run: live objects that no root reaches. The roots are the runtime's own
// (`forEachRoot`): the variables of every frame (the module's and, in a run paused inside
// calls, the unfinished calls' locals), the code's key constants (the str keys a trace writes,
// which live as long as the code, as co_consts do in CPython), objects in flight and the run's
// own state. What nothing reaches is a leak, whether it is a cycle counting cannot free,
// garbage a collector has not swept yet, or gc.garbage.
//
// The walk follows each object's type's `traverse` (the @mm/heap contract every collector
// uses), through the runtime's object space, so that it needs no handle per object. Handles
// are roots too, so the walk is taken while the caller holds none: it would count an object
// reachable only through a handle of the caller's as alive.

import type { Runtime } from "@mm/runtime";

/** The addresses of every live object of `rt` (taken before a run, to leave out its caches). */
export function liveObjects(rt: Runtime): Set<number> {
  return new Set(rt.space.objects());
}

/**
 * Counts the objects alive now, not alive in `before`, and unreachable from the runtime's
 * roots. Call it after the run, while the caller holds no handle of `rt`. It allocates nothing
 * and changes nothing.
 */
export function countLeaks(rt: Runtime, before: ReadonlySet<number>): number {
  const reached = new Set<number>();
  const pending: number[] = [];
  const visit = (o: number): number => {
    if (o !== 0 && !reached.has(o)) {
      reached.add(o);
      pending.push(o);
    }
    return 0;
  };
  rt.forEachRoot(visit);
  while (pending.length > 0) {
    const o = pending.pop()!;
    // Every container type of the runtime has a traverse function (its pointer maps are an
    // addition for the collector), and a str key, which dict traverse skips, is a root.
    rt.space.typeOf(o).traverse?.(o, visit, 0);
  }
  let leaked = 0;
  for (const o of rt.space.objects()) if (!before.has(o) && !reached.has(o)) leaked++;
  return leaked;
}
