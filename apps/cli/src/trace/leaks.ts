// Objects leaked by a run: live objects that the module's variables cannot reach. Roots are
// the module's variables and the code's constants (the str keys a trace writes, which live as
// long as the code, as co_consts do in CPython); what nothing reaches is a leak, whether it is
// a cycle counting cannot free, garbage a collector has not swept yet, or gc.garbage.
//
// The walk follows each object's type's `traverse` (the @mm/heap contract every collector
// uses), through the runtime's object space, so that it needs no handle per object.

import { type Handle, PythonError, type Runtime, type Trace } from "@mm/runtime";
import { keyConstants, variableNames } from "./shape.js";

/** The addresses of every live object of `rt` (taken before a run, to leave out its caches). */
export function liveObjects(rt: Runtime): Set<number> {
  return new Set(rt.space.objects());
}

/**
 * Counts the objects alive now, not alive in `before`, and unreachable from the module's
 * variables and the trace's constants. Call it after the run: it stops collections (so that
 * nothing is freed while it looks) and allocates one dict to find the constants.
 */
export function countLeaks(rt: Runtime, trace: Trace, before: ReadonlySet<number>): number {
  const live = [...rt.space.objects()].filter((o) => !before.has(o));
  rt.gc.disable();
  const reached = new Set<number>();
  const pending: number[] = [];
  const visit = (o: number): number => {
    if (o !== 0 && !reached.has(o)) {
      reached.add(o);
      pending.push(o);
    }
    return 0;
  };
  for (const name of variableNames(trace)) {
    using h = tryGlobal(rt, name);
    if (h) visit(rt.addressOf(h));
  }
  const keys = [...keyConstants(trace)];
  if (keys.length > 0) {
    // A dict display of the keys: the runtime hands each key its one constant str.
    using none = rt.constant(null);
    using probe = rt.dict(Object.fromEntries(keys.map((k) => [k, none])));
    for (const ref of rt.gc.getReferents(probe)) {
      visit(rt.addressOf(ref));
      ref.release();
    }
  }
  while (pending.length > 0) {
    const o = pending.pop()!;
    rt.space.typeOf(o).traverse?.(o, visit, 0);
  }
  let leaked = 0;
  for (const o of live) if (!reached.has(o)) leaked++;
  return leaked;
}

function tryGlobal(rt: Runtime, name: string): Handle | undefined {
  try {
    return rt.getGlobal(name);
  } catch (error) {
    if (error instanceof PythonError && error.pythonType === "NameError") return undefined;
    throw error;
  }
}
