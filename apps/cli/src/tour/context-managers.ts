// Step: context managers. `with` closes a resource when its block ends, even when the block
// raises; a resource that dies open is closed by its finalizer, with a ResourceWarning.

import type { TourStep } from "./step.js";

/** `with` closing a resource, on success and on error, and a resource that dies open. */
export const contextManagers: TourStep = {
  title: "Context managers",
  run(ctx) {
    using rt = ctx.runtime();
    const closed: string[] = [];
    const liveBefore = rt.stats().liveObjects;
    const f = rt.resource(() => closed.push("f"));
    const closedInside = rt.with(f, () => closed.length);
    const closedAfter = closed.length;
    f.release();
    const g = rt.resource(() => closed.push("g"));
    let raised = "";
    try {
      rt.with(g, () => {
        throw new Error("boom");
      });
    } catch (error) {
      raised = (error as Error).message;
    }
    const closedAfterError = closed.includes("g");
    g.release();
    const logged = ctx.logged.length;
    const h = rt.resource(() => closed.push("h"));
    h.release();
    const warning = ctx.logged.slice(logged).some((line) => line.includes("ResourceWarning"));
    const liveAfter = rt.stats().liveObjects - liveBefore;
    return {
      lines: [
        `with open_resource() as f: ...  closed inside the block: ${ctx.n(closedInside)}; after it: ${ctx.n(closedAfter)} (__exit__ closed f).`,
        `with open_resource() as g: raise Exception("${raised}")  g closed anyway: ${ctx.b(closedAfterError)}.`,
        `h = open_resource(); del h: never closed by hand, so its finalizer closed it${warning ? " with a ResourceWarning" : ""}.`,
        `Resources closed: ${ctx.v(closed.join(", "))}; objects left alive: ${ctx.n(liveAfter)}. (In TypeScript, \`using\` is the same protocol.)`,
      ],
      figures: { closedInside, closedAfter, raised, closedAfterError, warning, closed, liveAfter },
    };
  },
};
