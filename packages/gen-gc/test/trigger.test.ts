// The automatic gen-0 trigger, at its boundary: CPython's _PyObject_GC_Link collects when the
// count, raised by the new allocation, exceeds threshold0 (count0 == threshold0 does not
// trigger), before the new object is tracked. The runtime's trace threshold-trigger checks the
// same against CPython live; this pins it in the collector itself (both of its checks, the
// allocation's and collect_generations', must say "exceeds" for the test to pass).

import { describe, expect, it } from "vitest";
import { generationalWorld } from "./fixtures.js";

describe("the gen-0 trigger", () => {
  it.each([1, 5, 700])(
    "threshold0 %i: count0 == threshold0 waits, the next allocation collects",
    (t) => {
      const w = generationalWorld();
      w.gc.setThreshold(t, 10, 10);
      for (let i = 1; i <= t; i++) {
        w.node();
        expect(w.gc.getCount()).toEqual([i, 0, 0]);
      }
      expect(w.gc.history).toHaveLength(0);
      // The allocation that makes count0 exceed the threshold collects generation 0 first: the
      // new object is counted before and not after (the collection zeroes the count).
      const last = w.node();
      expect(w.gc.history.map((h) => [h.generation, h.automatic])).toEqual([[0, true]]);
      expect(w.gc.getCount()).toEqual([0, 1, 0]);
      // ...and it is tracked only afterwards, so it is still in generation 0.
      expect(w.gc.getObjects(0)).toEqual([last]);
      expect(w.gc.getObjects(1)).toHaveLength(t);
    },
  );
});
