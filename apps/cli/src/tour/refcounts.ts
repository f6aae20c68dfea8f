// Step: reference counts rise with every new reference and fall with every dropped one; at
// zero the object is freed at once.

import { sparkline } from "@mm/views";
import type { TourStep } from "./step.js";

/** Reference counts rising and falling, and a free the moment the count reaches zero. */
export const refcounts: TourStep = {
  title: "Reference counts",
  run(ctx) {
    using rt = ctx.runtime();
    const counts: number[] = [];
    const a = rt.list();
    const read = () => {
      const n = rt.sys.getrefcount(a);
      counts.push(n);
      return n;
    };
    const start = read();
    const b = rt.share(a);
    const withB = read();
    const c = rt.list(a);
    const inC = read();
    rt.setGlobal("g", a);
    const asGlobal = read();
    c.release();
    b.release();
    rt.delGlobal("g");
    const end = read();
    let finalized = 0;
    const Temp = rt.defineClass("Temp", { del: () => finalized++ });
    const t = rt.instance(Temp);
    const freedBefore = rt.stats().objectsFreed;
    t.release();
    const freed = rt.stats().objectsFreed - freedBefore;
    a.release();
    return {
      lines: [
        `a = []: sys.getrefcount(a) = ${ctx.n(start)} (the name, and getrefcount's own argument)`,
        `b = a: ${ctx.n(withB)}   c = [a]: ${ctx.n(inC)}   g = a (a global): ${ctx.n(asGlobal)}`,
        `del c, b, g: back to ${ctx.n(end)}        ${ctx.style.cyan(sparkline(counts, counts.length))}  ${counts.join(" ")}`,
        `t = Temp(); del t: the count reaches 0 and the object goes at once: ${ctx.n(finalized)} __del__ call,`,
        `  ${ctx.n(freed)} object freed, no collector involved.`,
      ],
      figures: { refcounts: counts, start, withB, inC, asGlobal, end, finalized, freed },
    };
  },
};
