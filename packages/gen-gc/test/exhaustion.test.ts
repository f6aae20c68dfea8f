// The tracing collector at heap exhaustion: a collection that cannot satisfy an allocation is
// followed by a doubling run of failed allocations refused without one, so a full heap costs a
// collection per thousand failures at most, not one per failure; a program that drops its
// references gets its memory back.

import { describe, expect, it } from "vitest";
import { type TracingWorld, tracingWorld } from "./fixtures.js";

/** Fills a 1 MiB heap with a rooted chain of nodes; returns how many it holds. */
function fill(w: TracingWorld): number {
  let previous = 0;
  let n = 0;
  for (;;) {
    const o = w.node();
    if (o === 0) return n;
    if (previous !== 0) w.set(o, 0, previous);
    w.roots.length = 0;
    w.roots.push(o);
    previous = o;
    n++;
  }
}

describe("the tracing collector at heap exhaustion", () => {
  it("collects on the failures 1, 3, 7, ... 1023, then on every 1024th", () => {
    const w = tracingWorld({}, 1 << 20);
    // The failure that ends the fill is the first, and collects.
    expect(fill(w)).toBeGreaterThan(1000);
    const collectedAt: number[] = [];
    for (let failure = 2; failure <= 3000; failure++) {
      const before = w.gc.history.length;
      expect(w.node()).toBe(0);
      if (w.gc.history.length !== before) collectedAt.push(failure);
    }
    const expected = [3, 7, 15, 31, 63, 127, 255, 511, 1023, 2047];
    expect(collectedAt).toEqual(expected);
    expect(w.gc.refusalsLeft).toBe(3070 - 3000);
    w.gc.verify();
  });

  it("gives the memory back once the program drops its references, and stops pacing", () => {
    const w = tracingWorld({}, 1 << 20);
    fill(w);
    for (let failure = 0; failure < 1500; failure++) expect(w.node()).toBe(0);
    w.roots.length = 0;
    let failures = 0;
    let o = w.node();
    for (; o === 0; o = w.node()) failures++;
    // The pacing refuses at most the 1,023 failures of one doubling, then a collection runs.
    expect(failures).toBeLessThanOrEqual(1023);
    expect(w.gc.refusalsLeft).toBe(0);
    w.roots.push(o);
    const collections = w.gc.history.length;
    // The heap is empty again: thousands of allocations, no failure and no collection.
    for (let i = 0; i < 5000; i++) expect(w.node()).not.toBe(0);
    expect(w.gc.history.length).toBe(collections);
  });
});
