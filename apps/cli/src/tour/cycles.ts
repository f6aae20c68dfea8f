// Step: a reference cycle keeps its own counts above zero, so counting alone never frees it;
// the cycle collector finds it by subtracting the references from inside.

import type { CollectorName } from "@mm/runtime";
import type { TourContext, TourStep } from "./step.js";

function dropCycle(ctx: TourContext, collector: CollectorName) {
  using rt = ctx.runtime({ collector });
  let finalized = 0;
  const Node = rt.defineClass("Node", { del: () => finalized++ });
  const liveBefore = rt.stats().liveObjects;
  const a = rt.instance(Node);
  const b = rt.instance(Node);
  rt.setattr(a, "other", b);
  rt.setattr(b, "other", a);
  const refcount = rt.sys.getrefcount(a);
  a.release();
  b.release();
  const leftAlive = rt.stats().liveObjects - liveBefore;
  const collected = rt.gc.collect();
  const afterCollect = rt.stats().liveObjects - liveBefore;
  return { collector, refcount, leftAlive, collected, afterCollect, finalized };
}

/** A two-object cycle under reference counting alone, and under CPython's collector. */
export const cycles: TourStep = {
  title: "A cycle that counting cannot free",
  run(ctx) {
    const counting = dropCycle(ctx, "refcount");
    const cpython = dropCycle(ctx, "cpython");
    return {
      lines: [
        `a.other = b; b.other = a: sys.getrefcount(a) = ${ctx.n(cpython.refcount)} (the name, b.other, the argument)`,
        `del a, b: each still counts 1 (the other's reference), so ${ctx.n(cpython.leftAlive)} objects stay alive.`,
        `  refcount only: gc.collect() finds ${ctx.n(counting.collected)}; live objects ${ctx.n(counting.afterCollect)}, __del__ calls ${ctx.n(counting.finalized)}: leaked for good.`,
        `  cpython:       gc.collect() finds ${ctx.n(cpython.collected)}; live objects ${ctx.n(cpython.afterCollect)}, __del__ calls ${ctx.n(cpython.finalized)}.`,
        "The collector copies each count, subtracts the references from inside the generation, and",
        "what is left at zero is reachable only from garbage.",
      ],
      figures: { refcountOnly: counting, cpython },
    };
  },
};
