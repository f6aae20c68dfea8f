// Step: weak references. A weakref does not count; when its referent dies it is cleared and
// its callback runs.

import type { TourStep } from "./step.js";

/** A weakref that does not keep its object, then a callback when the object dies. */
export const weakrefs: TourStep = {
  title: "Weak references",
  run(ctx) {
    using rt = ctx.runtime();
    const Target = rt.defineClass("Target");
    const o = rt.instance(Target);
    const countBefore = rt.sys.getrefcount(o);
    let callbacks = 0;
    using w = rt.weakref.ref(o, () => callbacks++);
    const countAfter = rt.sys.getrefcount(o);
    const weakrefCount = rt.weakref.getweakrefcount(o);
    const alive = rt.weakref.deref(w);
    const sameObject = alive !== undefined && rt.is(alive, o);
    alive?.release();
    o.release();
    const afterDeath = { callbacks, deref: rt.weakref.deref(w) === undefined ? null : "alive" };
    return {
      lines: [
        `o = Target(); sys.getrefcount(o) = ${ctx.n(countBefore)}`,
        `w = weakref.ref(o, callback): sys.getrefcount(o) = ${ctx.n(countAfter)} (a weak reference does not count);`,
        `  weakref.getweakrefcount(o) = ${ctx.n(weakrefCount)}, w() is o: ${ctx.b(sameObject)}`,
        `del o: the object is freed, w is cleared and its callback ran ${ctx.n(afterDeath.callbacks)} time; w() is ${ctx.v(afterDeath.deref === null ? "None" : "still alive")}.`,
      ],
      figures: { countBefore, countAfter, weakrefCount, sameObject, afterDeath },
    };
  },
};
