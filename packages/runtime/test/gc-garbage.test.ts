// gc.garbage's entries handed over to a front end's own list (takeGarbage): the collector's
// list lets them go, so the front end's hold is the only one, as CPython's gc.garbage list is.

import { fc } from "@fast-check/vitest";
import { fcRuns } from "@mm/vitest-config/fast-check";
import { describe, expect, it } from "vitest";
import { Embedding, Runtime } from "../src/index.js";

const quiet = { log: () => {} };

describe("gc.takeGarbage", () => {
  it("hands over every saved object once, and a released cycle is found again", () => {
    fc.assert(
      fc.property(fc.nat({ max: 12 }), fc.nat({ max: 12 }), (first, second) => {
        using rt = new Runtime(quiet);
        const py = new Embedding(rt);
        const gc = py.gc;
        gc.collect();
        gc.setDebug(gc.flags.SaveAll);
        const cycles = (n: number) => {
          for (let i = 0; i < n; i++) {
            const l = py.list([]);
            py.append(l, l);
            py.decref(l);
          }
        };
        cycles(first);
        expect(gc.collect()).toBe(first);
        cycles(second);
        expect(gc.collect()).toBe(second);
        const taken = gc.takeGarbage();
        expect(taken.length).toBe(first + second);
        expect(gc.takeGarbage()).toEqual([]);
        // Each is held by itself and by the handle alone.
        for (const h of taken) expect(py.refcount(py.fromHandle(h))).toBe(2);
        for (const h of taken) h.release();
        // Let go, they are unreachable cycles again: saved again, then freed without SaveAll.
        expect(gc.collect()).toBe(first + second);
        for (const h of gc.takeGarbage()) h.release();
        gc.setDebug(0);
        expect(gc.collect()).toBe(first + second);
        expect(gc.garbage).toEqual([]);
        rt.verify();
      }),
      { numRuns: fcRuns(30) },
    );
  });
});
