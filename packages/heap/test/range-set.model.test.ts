import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError, RangeSet } from "../src/index.js";

// The model: one boolean per address of a small universe (one more than the largest start, as
// a range may end one past it). The set must always hold exactly
// the maximal runs of covered addresses, in order.
const UNIVERSE = 48;

interface Model {
  readonly covered: boolean[];
}

function runs(covered: readonly boolean[]): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (let a = 0; a < covered.length; a++) {
    if (!covered[a]) continue;
    const start = a;
    while (a < covered.length && covered[a]) a++;
    out.push({ start, end: a });
  }
  return out;
}

function cells(model: Model, start: number, end: number): boolean[] {
  return model.covered.slice(start, end);
}

function expectMatches(model: Model, set: RangeSet): void {
  const expected = runs(model.covered);
  expect(set.toArray()).toEqual(expected);
  expect(set.size).toBe(expected.length);
  for (let a = 0; a < model.covered.length; a++) {
    const i = set.indexOf(a);
    if (model.covered[a]) {
      expect(set.start(i) <= a && a < set.end(i)).toBe(true);
    } else {
      expect(i).toBe(-1);
    }
  }
}

/** `add` needs every address of the range uncovered; `remove` needs every one covered. */
class Change implements fc.Command<Model, RangeSet> {
  constructor(
    readonly op: "add" | "remove",
    readonly start: number,
    readonly end: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, set: RangeSet): void {
    const adding = this.op === "add";
    const legal =
      this.start < this.end && cells(model, this.start, this.end).every((c) => c !== adding);
    if (legal) {
      set[this.op](this.start, this.end);
      model.covered.fill(adding, this.start, this.end);
    } else {
      expect(() => set[this.op](this.start, this.end)).toThrow(InvalidArgumentError);
    }
    expectMatches(model, set);
  }
  toString(): string {
    return `${this.op}(${this.start}, ${this.end})`;
  }
}

class Overlaps implements fc.Command<Model, RangeSet> {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, set: RangeSet): void {
    expect(set.overlaps(this.start, this.end)).toBe(
      cells(model, this.start, this.end).some((c) => c),
    );
  }
  toString(): string {
    return `overlaps(${this.start}, ${this.end})`;
  }
}

const bounds = fc
  .tuple(fc.nat(UNIVERSE), fc.nat(UNIVERSE))
  .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

describe("RangeSet", () => {
  it("keeps exactly the maximal covered runs, sorted and coalesced; refused operations change nothing", () => {
    fc.assert(
      fc.property(
        fc.commands(
          [
            bounds.map(([s, e]) => new Change("add", s, e)),
            bounds.map(([s, e]) => new Change("add", s, e + 1)),
            bounds.map(([s, e]) => new Change("remove", s, e)),
            bounds.map(([s, e]) => new Change("remove", s, e + 1)),
            bounds.map(([s, e]) => new Overlaps(s, e)),
          ],
          { maxCommands: 200 },
        ),
        (commands) => {
          fc.modelRun(
            () => ({
              model: { covered: new Array<boolean>(UNIVERSE + 1).fill(false) },
              real: new RangeSet(),
            }),
            commands,
          );
        },
      ),
      { numRuns: fcRuns(1000) },
    );
  });

  it("merges with both neighbours at once and splits a range in three", () => {
    const set = new RangeSet();
    set.add(0x1000, 0x2000);
    set.add(0x3000, 0x4000);
    set.add(0x2000, 0x3000);
    expect(set.toArray()).toEqual([{ start: 0x1000, end: 0x4000 }]);
    set.remove(0x2000, 0x3000);
    expect(set.toArray()).toEqual([
      { start: 0x1000, end: 0x2000 },
      { start: 0x3000, end: 0x4000 },
    ]);
    expect(set.indexOf(0x3800)).toBe(1);
    expect(set.indexOf(0x2800)).toBe(-1);
  });

  it("refuses empty, reversed, fractional and overlapping ranges with a clear message", () => {
    const set = new RangeSet();
    set.add(16, 32);
    expect(() => set.add(8, 8)).toThrow(/start < end, got \[8, 8\)/);
    expect(() => set.add(40, 20)).toThrow(InvalidArgumentError);
    expect(() => set.add(1.5, 4)).toThrow(InvalidArgumentError);
    expect(() => set.add(24, 40)).toThrow(/overlaps a range already in the set/);
    expect(() => set.remove(8, 20)).toThrow(/not inside one range of the set/);
    expect(set.toArray()).toEqual([{ start: 16, end: 32 }]);
  });
});
