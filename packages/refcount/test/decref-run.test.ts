// RefCounter.decrefRun: the drops of a run of reference slots (a list's items), from the last to
// the first, exactly as decref of each; and a release that takes them over through
// `inPlaceRelease.run` gets the run and the depth instead. RefCounter.decrefEntries likewise for
// a run of two-slot entries (a dict's keys and values), first to last, through
// `inPlaceRelease.entries`.

import { InvalidArgumentError } from "@mm/heap";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeWorld, type World } from "./fixtures.js";

/** `n` nodes, each holding the next ones at `links`, their references stored in a run. */
function build(
  w: World,
  shape: { refs: number[]; links: Array<[number, number]>; zeros: number[] },
) {
  const nodes = shape.refs.map(() => w.space.allocate(w.node.id));
  for (const [from, to] of shape.links) {
    if (from < to) {
      w.rc.incref(nodes[to]!);
      w.set(nodes[from]!, from % 4, nodes[to]!);
    }
  }
  // The run: node k at slot k, with more references to it for repeats; some slots hold 0.
  const run = w.space.allocator.malloc(8 * nodes.length + 8);
  const u32 = w.space.memory.u32;
  for (const [k, o] of nodes.entries()) {
    u32[(run + 8 * k) >>> 2] = shape.zeros.includes(k) ? 0 : o;
    // A second reference that nobody drops: the node outlives the run.
    for (let r = 1; r < shape.refs[k]!; r++) w.rc.incref(o);
  }
  // A slot holding 0 does not hold its node's first reference: dropped here.
  for (const [k, o] of nodes.entries()) if (shape.zeros.includes(k)) w.rc.decref(o);
  return { run, nodes };
}

const shapes = fc.integer({ min: 1, max: 30 }).chain((n) =>
  fc.record({
    refs: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: n, maxLength: n }),
    links: fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 })), { maxLength: n }),
    zeros: fc.array(fc.nat({ max: n - 1 }), { maxLength: 3 }),
  }),
);

describe("RefCounter.decrefRun", () => {
  it("drops the run last to first, as decref of each slot that is not 0", () => {
    fc.assert(
      fc.property(shapes, (shape) => {
        const a = makeWorld();
        const b = makeWorld();
        const x = build(a, shape);
        const y = build(b, shape);
        a.rc.decrefRun(x.run, shape.refs.length, 8);
        const u32 = b.space.memory.u32;
        for (let k = shape.refs.length - 1; k >= 0; k--) {
          const ref = u32[(y.run + 8 * k) >>> 2]!;
          if (ref !== 0) b.rc.decref(ref);
        }
        expect(a.events).toEqual(b.events);
        expect(a.space.liveObjects).toBe(b.space.liveObjects);
        expect(Buffer.compare(a.space.memory.u8, b.space.memory.u8)).toBe(0);
      }),
      { numRuns: fcRuns(100) },
    );
  });

  it("hands the run to a release that takes it over, with the depth, and refuses bad runs", () => {
    const w = makeWorld();
    const calls: number[][] = [];
    const access = w.rc.inPlaceRelease;
    access.run = (first, count, stride, depth) => calls.push([first, count, stride, depth]);
    w.rc.decrefRun(4096, 3, 8);
    w.rc.decrefRun(4096, 0, 8);
    expect(calls).toEqual([[4096, 3, 8, 0]]);
    expect(access.deferredDeaths).toBe(0);
    access.drainDeferred();
    access.run = undefined;
    expect(() => w.rc.decrefRun(4096, -1, 8)).toThrow(InvalidArgumentError);
    expect(() => w.rc.decrefRun(-8, 1, 8)).toThrow(/not a run of slots/);
    expect(() => w.rc.decrefRun(4096, 1, 0.5)).toThrow(/not a run of slots/);
    expect(() => {
      access.run = 3 as never;
    }).toThrow(InvalidArgumentError);
  });
});

describe("RefCounter.decrefEntries", () => {
  it("drops each entry's two slots, first entry to last, as decref of each that is not 0", () => {
    fc.assert(
      fc.property(shapes, (shape) => {
        const a = makeWorld();
        const b = makeWorld();
        const x = build(a, shape);
        const y = build(b, shape);
        // Slots 2k and 2k + 1 of the run are entry k's (16 bytes apart, the second 8 on); an
        // odd last slot is in no entry and keeps its reference.
        const count = shape.refs.length >>> 1;
        a.rc.decrefEntries(x.run, count, 16, 8);
        const u32 = b.space.memory.u32;
        for (let k = 0; k < 2 * count; k++) {
          const ref = u32[(y.run + 8 * k) >>> 2]!;
          if (ref !== 0) b.rc.decref(ref);
        }
        expect(a.events).toEqual(b.events);
        expect(a.space.liveObjects).toBe(b.space.liveObjects);
        expect(Buffer.compare(a.space.memory.u8, b.space.memory.u8)).toBe(0);
      }),
      { numRuns: fcRuns(100) },
    );
  });

  it("hands the entries to a release that takes them over, with the depth, and refuses bad ones", () => {
    const w = makeWorld();
    const calls: number[][] = [];
    const access = w.rc.inPlaceRelease;
    access.entries = (first, count, stride, gap, depth) =>
      calls.push([first, count, stride, gap, depth]);
    w.rc.decrefEntries(4096, 3, 24, 8);
    w.rc.decrefEntries(4096, 0, 24, 8);
    expect(calls).toEqual([[4096, 3, 24, 8, 0]]);
    access.entries = undefined;
    expect(() => w.rc.decrefEntries(4096, -1, 16, 8)).toThrow(InvalidArgumentError);
    expect(() => w.rc.decrefEntries(-8, 1, 16, 8)).toThrow(/not a run of entries/);
    expect(() => w.rc.decrefEntries(4096, 1, 16, 0.5)).toThrow(/not a run of entries/);
    expect(() => {
      access.entries = 3 as never;
    }).toThrow(InvalidArgumentError);
  });
});
