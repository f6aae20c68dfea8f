// Step: __del__ and resurrection. A finalizer runs once (PEP 442); if it stores the object
// somewhere, the object lives on, and when it dies again its __del__ does not run a second
// time. In a cycle, the collector runs the finalizers before it breaks the cycle.

import type { TourStep } from "./step.js";

/** A finalizer that resurrects its object, and finalizers in a collected cycle. */
export const finalizers: TourStep = {
  title: "__del__ and resurrection",
  run(ctx) {
    using rt = ctx.runtime();
    let calls = 0;
    const Phoenix = rt.defineClass("Phoenix", {
      del: (self) => {
        calls++;
        rt.setGlobal("saved", self);
      },
    });
    const freed = () => rt.stats().objectsFreed;
    const p = rt.instance(Phoenix);
    const freedBefore = freed();
    p.release();
    const saved = rt.getGlobal("saved");
    const resurrected = {
      delCalls: calls,
      refcount: rt.sys.getrefcount(saved),
      finalized: rt.gc.isFinalized(saved),
      freed: freed() - freedBefore,
    };
    saved.release();
    rt.delGlobal("saved");
    const died = { delCalls: calls, freed: freed() - freedBefore };
    const order: string[] = [];
    const Named = rt.defineClass("Named", {
      del: (self) => {
        order.push(String(rt.value(rt.getattr(self, "name"))));
      },
    });
    {
      using a = rt.instance(Named, { name: rt.str("a") });
      using b = rt.instance(Named, { name: rt.str("b") });
      rt.setattr(a, "other", b);
      rt.setattr(b, "other", a);
    }
    const collected = rt.gc.collect();
    return {
      lines: [
        `class Phoenix: def __del__(self): global saved; saved = self`,
        `p = Phoenix(); del p: __del__ ran ${ctx.n(resurrected.delCalls)} time and stored self: the object is alive again`,
        `  (sys.getrefcount(saved) = ${ctx.n(resurrected.refcount)}, gc.is_finalized(saved) = ${ctx.b(resurrected.finalized)}, objects freed ${ctx.n(resurrected.freed)}).`,
        `del saved: freed now (${ctx.n(died.freed)} object) and __del__ calls still ${ctx.n(died.delCalls)}: it never runs twice.`,
        `A cycle a <-> b with __del__: gc.collect() = ${ctx.n(collected)}; finalizers ran first, in order ${ctx.v(order.join(", "))},`,
        "  then the collector cleared the cycle and counting freed it.",
      ],
      figures: { resurrected, died, cycle: { collected, finalizerOrder: order } },
    };
  },
};
