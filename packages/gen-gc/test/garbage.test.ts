import { InvalidArgumentError } from "@mm/heap";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DebugFlags, GarbageList } from "../src/index.js";
import { generationalWorld } from "./fixtures.js";

/** A list whose hold refuses odd numbers, and a log of what it held and released. */
function loggedList() {
  const held: number[] = [];
  const released: number[] = [];
  const list = new GarbageList({
    hold: (o) => {
      if (o % 2 !== 0) throw new InvalidArgumentError(`${o} is odd`);
      held.push(o);
    },
    release: (o) => released.push(o),
  });
  return { list, held, released };
}

interface Model {
  entries: number[];
  held: number[];
  released: number[];
}
interface Real {
  list: GarbageList;
  held: number[];
  released: number[];
}

const agree = (m: Model, r: Real) => {
  expect(r.list.length).toBe(m.entries.length);
  expect(r.list.toArray()).toEqual(m.entries);
  expect([...r.list]).toEqual(m.entries);
  expect(r.held).toEqual(m.held);
  expect(r.released).toEqual(m.released);
};

class Append implements fc.Command<Model, Real> {
  constructor(readonly object: number) {}
  check = () => true;
  run(m: Model, r: Real) {
    if (this.object % 2 !== 0) {
      expect(() => r.list.append(this.object)).toThrow(InvalidArgumentError);
    } else {
      r.list.append(this.object);
      m.entries.push(this.object);
      m.held.push(this.object);
    }
    agree(m, r);
  }
  toString = () => `append(${this.object})`;
}

class Reserve implements fc.Command<Model, Real> {
  constructor(readonly count: number) {}
  check = () => true;
  run(m: Model, r: Real) {
    r.list.reserve(this.count);
    agree(m, r);
  }
  toString = () => `reserve(${this.count})`;
}

class Clear implements fc.Command<Model, Real> {
  check = () => true;
  run(m: Model, r: Real) {
    r.list.clear();
    m.released.push(...[...m.entries].reverse());
    m.entries = [];
    agree(m, r);
  }
  toString = () => "clear()";
}

class Read implements fc.Command<Model, Real> {
  constructor(
    readonly index: number,
    readonly object: number,
  ) {}
  check = () => true;
  run(m: Model, r: Real) {
    expect(r.list.at(this.index)).toBe(m.entries.at(this.index));
    expect(r.list.indexOf(this.object)).toBe(m.entries.indexOf(this.object));
    expect(r.list.includes(this.object)).toBe(m.entries.includes(this.object));
  }
  toString = () => `read(${this.index}, ${this.object})`;
}

describe("GarbageList", () => {
  it("behaves as a list of held entries that clear() releases last first (model)", () => {
    const object = fc.integer({ min: 0, max: 40 });
    fc.assert(
      fc.property(
        fc.commands(
          [
            object.map((o) => new Append(o)),
            fc.nat(70).map((n) => new Reserve(n)),
            fc.constant(new Clear()),
            fc.tuple(fc.integer({ min: -45, max: 45 }), object).map(([i, o]) => new Read(i, o)),
          ],
          { size: "max", maxCommands: 100 },
        ),
        (commands) => {
          fc.modelRun(
            () => ({ model: { entries: [], held: [], released: [] }, real: loggedList() }),
            commands,
          );
        },
      ),
      { numRuns: fcRuns(1000) },
    );
  });

  it("refuses bad indexes, counts and addresses, and stays as it was", () => {
    const { list, held } = loggedList();
    list.append(2);
    expect(() => list.at(1.5)).toThrow(InvalidArgumentError);
    expect(() => list.reserve(-1)).toThrow(InvalidArgumentError);
    expect(() => list.reserve(Number.NaN)).toThrow(InvalidArgumentError);
    for (const bad of [-2, 2 ** 32, 4.5, Number.NaN]) {
      expect(() => list.append(bad)).toThrow(InvalidArgumentError);
    }
    expect(list.toArray()).toEqual([2]);
    expect(held).toEqual([2]);
  });

  it("is empty while clear() releases, takes appends made by a release, and rethrows the first failure after releasing all", () => {
    const released: number[] = [];
    const seen: number[] = [];
    const list: GarbageList = new GarbageList({
      hold: () => {},
      release: (o) => {
        released.push(o);
        seen.push(list.length);
        if (o === 3) list.append(99);
        if (o === 2 || o === 1) throw new Error(`release ${o}`);
      },
    });
    for (const o of [1, 2, 3]) list.append(o);
    expect(() => list.clear()).toThrow("release 2");
    expect(released).toEqual([3, 2, 1]);
    // Empty when the first release ran; then only what the release of 3 appended.
    expect(seen).toEqual([0, 1, 1]);
    expect(list.toArray()).toEqual([99]);
  });

  it("drops the collector's references: cleared DEBUG_SAVEALL trash is freed by the next collection", () => {
    const w = generationalWorld();
    const [a, b] = [w.node(), w.node()];
    w.set(a, 0, b);
    w.set(b, 0, a);
    w.gc.rc.decref(a);
    w.gc.rc.decref(b);
    w.gc.setDebug(DebugFlags.SaveAll);
    expect(w.gc.collect()).toBe(2);
    expect(w.gc.garbage.toArray()).toEqual([a, b]);
    expect(w.gc.rc.refcount(a)).toBe(2);
    w.gc.setDebug(0);
    w.gc.garbage.clear();
    expect(w.gc.rc.refcount(a)).toBe(1);
    expect(w.log.freed).toEqual([]);
    expect(w.gc.collect()).toBe(2);
    expect(new Set(w.log.freed)).toEqual(new Set([a, b]));
    w.gc.verify();
  });

  it("refuses to append an address that is not a live object, and leaves the counts alone", () => {
    const w = generationalWorld();
    const a = w.node();
    expect(() => w.gc.garbage.append(a + 8)).toThrow();
    expect(w.gc.garbage.length).toBe(0);
    w.gc.garbage.append(a);
    expect(w.gc.rc.refcount(a)).toBe(2);
    w.gc.verify();
  });
});
