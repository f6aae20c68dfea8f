// Step: generations and thresholds. Allocating containers raises count0; past threshold0 an
// automatic collection of generation 0 runs before the new object is tracked, survivors move
// up, and every threshold1 young collections a generation-1 collection follows.

import type { Handle } from "@mm/runtime";
import { sparkline } from "@mm/views";
import { type TourStep, tuple } from "./step.js";

/** Counts moving, automatic collections firing, survivors promoted. */
export const generations: TourStep = {
  title: "Generations and thresholds",
  run(ctx) {
    using rt = ctx.runtime();
    const threshold = rt.gc.getThreshold();
    const start = rt.gc.getCount();
    const keep = rt.list();
    const collections = () => rt.gc.getStats().map((s) => s.collections);
    const base = collections();
    const count0: number[] = [];
    let firstGen0:
      | { allocation: number; before: number[]; after: number[]; young: number; promoted: number }
      | undefined;
    let firstGen1:
      | { allocation: number; before: number[]; after: number[]; gen0Collections: number }
      | undefined;
    let before = rt.gc.getCount();
    // The first container is `keep`; the i-th list is container i + 1.
    for (let i = 2; !firstGen1; i++) {
      const l = rt.list();
      rt.append(keep, l);
      l.release();
      const now = collections();
      const after = rt.gc.getCount();
      count0.push(after[0]);
      if (!firstGen0 && now[0]! > base[0]!) {
        firstGen0 = {
          allocation: i,
          before,
          after,
          young: generationSize(rt.gc.getObjects(0)),
          promoted: generationSize(rt.gc.getObjects(1)),
        };
      }
      if (now[1]! > base[1]!) {
        firstGen1 = { allocation: i, before, after, gen0Collections: now[0]! - base[0]! };
      }
      before = after;
    }
    keep.release();
    const g0 = firstGen0!;
    const g1 = firstGen1!;
    return {
      lines: [
        `gc.get_threshold() = ${ctx.v(tuple(threshold))}; a fresh runtime's gc.get_count() = ${ctx.v(tuple(start))}.`,
        "Each new container adds 1 to count0. Making lists and keeping them alive in one list:",
        `  container ${ctx.n(g0.allocation)}: count ${ctx.v(tuple(g0.before))} -> ${ctx.v(tuple(g0.after))}: count0 passed ${ctx.n(threshold[0])}, so generation 0 was`,
        `  collected before the list was tracked; the ${ctx.n(g0.promoted)} survivors moved to generation 1 (generation 0 holds ${ctx.n(g0.young)}).`,
        `  container ${ctx.n(g1.allocation)}: count ${ctx.v(tuple(g1.before))} -> ${ctx.v(tuple(g1.after))}: after ${ctx.n(g1.gen0Collections)} young collections count1 passed ${ctx.n(threshold[1])},`,
        "  so generation 1 was collected too and its survivors moved to generation 2.",
        `count0 over ${ctx.n(count0.length)} lists: ${ctx.style.cyan(sparkline(count0, 48))}`,
      ],
      figures: { threshold, start, firstGen0: g0, firstGen1: g1 },
    };
  },
};

/** The length of `gc.get_objects(g)`, releasing the handles it made. */
function generationSize(objects: Handle[]): number {
  for (const h of objects) h.release();
  return objects.length;
}
