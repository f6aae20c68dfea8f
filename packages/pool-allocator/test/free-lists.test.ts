import {
  DebugAllocator,
  DoubleFreeError,
  InvalidAddressError,
  InvalidArgumentError,
} from "@mm/heap";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type FreeListKind, FreeLists } from "../src/index.js";
import { checkPoolInvariants, pymalloc } from "./support.js";

const KINDS: readonly FreeListKind[] = ["dict", "dictKeys", "float", "list", "tuple"];

describe("FreeLists", () => {
  it("counts each change of a count (a park, a pop), and nothing else, in changes", () => {
    const a = pymalloc();
    const lists = new FreeLists(a, { listCapacity: 1 });
    const blocks = [a.malloc(56), a.malloc(56)];
    expect(lists.changes).toBe(0);
    expect(lists.push("list", blocks[0]!)).toBe(true);
    expect(lists.changes).toBe(1);
    // A full list refuses, and nothing changed.
    expect(lists.push("list", blocks[1]!)).toBe(false);
    expect(lists.pop("float")).toBe(0);
    expect(lists.changes).toBe(1);
    expect(lists.pop("list")).toBe(blocks[0]);
    expect(lists.changes).toBe(2);
    lists.push("tuple", blocks[1]!, 3);
    expect(lists.clear()).toBe(1);
    expect(lists.changes).toBe(4);
  });

  it("has CPython 3.11's capacities and object sizes by default", () => {
    const lists = new FreeLists(pymalloc());
    expect(KINDS.map((k) => lists.capacity(k))).toEqual([80, 80, 100, 80, 2000]);
    expect(lists.tupleMaxLength).toBe(20);
    expect(lists.objectSize("float")).toBe(24);
    expect(lists.objectSize("list")).toBe(40);
    expect(lists.objectSize("dict")).toBe(48);
    expect(lists.objectSize("dictKeys")).toBe(120);
    expect([1, 2, 20].map((n) => lists.objectSize("tuple", n))).toEqual([32, 40, 184]);
    // Containers carry the 16-byte GC head in the same block.
    expect(lists.blockSize("list")).toBe(56);
    expect(lists.blockSize("tuple", 1)).toBe(48);
    expect(lists.blockSize("float")).toBe(24);
  });

  it("parks up to its capacity, then refuses; pops newest first; the blocks stay allocated", () => {
    const a = pymalloc();
    const lists = new FreeLists(a, { floatCapacity: 3 });
    const floats = Array.from({ length: 4 }, () => a.malloc(24));
    expect(floats.map((f) => lists.push("float", f))).toEqual([true, true, true, false]);
    expect(lists.count("float")).toBe(3);
    expect(a.getAllocatedBlocks()).toBe(4);
    expect(lists.pop("float")).toBe(floats[2]);
    expect(lists.pop("float")).toBe(floats[1]);
    expect(lists.pop("float")).toBe(floats[0]);
    expect(lists.pop("float")).toBe(0);
    expect(a.getAllocatedBlocks()).toBe(4);
  });

  it("says whether a list has room for one more block, as push would answer, and refuses an unknown kind", () => {
    const a = pymalloc();
    const lists = new FreeLists(a, { listCapacity: 1, tupleCapacity: 1 });
    expect(lists.hasRoom("list")).toBe(true);
    expect(lists.push("list", a.malloc(56))).toBe(true);
    expect(lists.hasRoom("list")).toBe(false);
    expect(lists.hasRoom("tuple", 1)).toBe(true);
    expect(lists.push("tuple", a.malloc(48), 1)).toBe(true);
    expect(lists.hasRoom("tuple", 1)).toBe(false);
    // Another length has a list of its own; 0, 21 and fractions have none.
    expect(lists.hasRoom("tuple", 2)).toBe(true);
    expect([0, 21, 1.5, -1].map((n) => lists.hasRoom("tuple", n))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(() => lists.hasRoom("set" as FreeListKind)).toThrow(InvalidArgumentError);
    expect(() => lists.hasRoom("set" as FreeListKind)).toThrow(
      'unknown free list "set"; expected one of dict, dictKeys, float, list, tuple',
    );
  });

  it("keeps one list per tuple length and none for length 0 or past tupleMaxLength", () => {
    const a = pymalloc();
    const lists = new FreeLists(a);
    const t3 = a.malloc(lists.blockSize("tuple", 3));
    const t5 = a.malloc(lists.blockSize("tuple", 5));
    expect(lists.push("tuple", t3, 3)).toBe(true);
    expect(lists.push("tuple", t5, 5)).toBe(true);
    expect(lists.push("tuple", a.malloc(16), 0)).toBe(false);
    expect(lists.push("tuple", a.malloc(208), 21)).toBe(false);
    expect(lists.pop("tuple", 4)).toBe(0);
    expect(lists.pop("tuple", 5)).toBe(t5);
    expect(lists.count("tuple", 3)).toBe(1);
    expect(lists.counts().tuple.slice(0, 5)).toEqual([0, 0, 1, 0, 0]);
    expect(lists.pop("tuple", 21)).toBe(0);
  });

  it("gives every parked block back on clear(), as a full collection does", () => {
    const a = pymalloc();
    const lists = new FreeLists(a);
    for (const kind of KINDS) {
      for (let i = 0; i < 5; i++) lists.push(kind, a.malloc(lists.blockSize(kind, 2)), 2);
    }
    expect(lists.parkedBlocks).toBe(25);
    expect(a.getAllocatedBlocks()).toBe(25);
    expect(lists.clear()).toBe(25);
    expect(lists.parkedBlocks).toBe(0);
    expect(a.getAllocatedBlocks()).toBe(0);
    expect(lists.counts()).toEqual({
      dict: 0,
      dictKeys: 0,
      float: 0,
      list: 0,
      tuple: Array(20).fill(0),
    });
    a.verify();
  });

  it("refuses bad blocks with typed errors and changes nothing", () => {
    const a = pymalloc();
    const lists = new FreeLists(a);
    const f = a.malloc(24);
    lists.push("float", f);
    expect(() => lists.push("float", f)).toThrow(DoubleFreeError);
    expect(() => lists.push("list", f)).toThrow(DoubleFreeError);
    const small = a.malloc(16);
    expect(() => lists.push("float", small)).toThrow(
      /a 16-byte block cannot hold a float object \(24 bytes\)/,
    );
    const freed = a.malloc(24);
    a.free(freed);
    expect(() => lists.push("float", freed)).toThrow(InvalidAddressError);
    expect(() => lists.push("float", 12345)).toThrow(InvalidAddressError);
    expect(() => lists.push("bytes" as FreeListKind, f)).toThrow(InvalidArgumentError);
    expect(() => lists.count("tuple", 1.5)).toThrow(InvalidArgumentError);
    expect(() => new FreeLists(a, { listCapacity: -1 })).toThrow(/listCapacity must be an integer/);
    expect(lists.counts().float).toBe(1);
    a.verify();
  });

  it("works over the debug hooks, whose blocks it parks and frees through them", () => {
    const debug = new DebugAllocator(pymalloc());
    const lists = new FreeLists(debug);
    const block = debug.malloc(lists.blockSize("dict"));
    expect(lists.push("dict", block)).toBe(true);
    expect(lists.clear()).toBe(1);
    expect(() => debug.free(block)).toThrow(DoubleFreeError);
  });

  it("prints the free-list lines of sys._debugmallocstats() (3.11 order: dict, float, list, tuples 1-20)", () => {
    const a = pymalloc();
    const lists = new FreeLists(a);
    lists.push("list", a.malloc(56));
    lists.push("tuple", a.malloc(64), 3);
    const lines = lists.debugTypeStats().split("\n");
    expect(lines).toHaveLength(24);
    expect(lines[0]).toBe(
      "            0 free PyDictObjects * 48 bytes each =                    0",
    );
    expect(lines[2]).toBe(
      "            1 free PyListObjects * 40 bytes each =                   40",
    );
    expect(lines[5]).toBe(
      "   1 free 3-sized PyTupleObjects * 48 bytes each =                   48",
    );
    expect(lines[22]).toBe(
      " 0 free 20-sized PyTupleObjects * 184 bytes each =                    0",
    );
    a.attachFreeLists(lists);
    expect(a.debugMallocStats().endsWith(`\n\n${lists.debugTypeStats()}`)).toBe(true);
    a.attachFreeLists(undefined);
    expect(a.debugMallocStats()).not.toContain("free");
  });
});

type Model = { stacks: Map<string, number[]>; live: Set<number> };
type Real = { lists: FreeLists; a: ReturnType<typeof pymalloc> };
const key = (kind: FreeListKind, length: number) => (kind === "tuple" ? `tuple${length}` : kind);
const CAPACITY = { dict: 3, dictKeys: 2, float: 4, list: 3, tuple: 2 } as const;

class Park implements fc.Command<Model, Real> {
  constructor(
    readonly kind: FreeListKind,
    readonly length: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const block = r.a.malloc(r.lists.blockSize(this.kind, this.length));
    const stack = m.stacks.get(key(this.kind, this.length)) ?? [];
    const fits = this.kind !== "tuple" || (this.length >= 1 && this.length <= 4);
    // hasRoom, asked first, is the model's answer and push's.
    const room = r.lists.hasRoom(this.kind, this.length);
    expect(room).toBe(fits && stack.length < CAPACITY[this.kind]);
    // The deallocation paths' own questions give the same answer.
    if (this.kind === "list") expect(r.lists.listHasRoom()).toBe(room);
    if (this.kind === "dict") expect(r.lists.dictHasRoom()).toBe(room);
    if (this.kind === "tuple") expect(r.lists.tupleHasRoom(this.length)).toBe(room);
    const parked = r.lists.push(this.kind, block, this.length);
    expect(parked).toBe(room);
    if (parked) {
      stack.push(block);
      m.stacks.set(key(this.kind, this.length), stack);
    } else {
      r.a.free(block);
    }
  }
  toString(): string {
    return `push(${this.kind}, ${this.length})`;
  }
}

class Take implements fc.Command<Model, Real> {
  constructor(
    readonly kind: FreeListKind,
    readonly length: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const stack = m.stacks.get(key(this.kind, this.length)) ?? [];
    const block = r.lists.pop(this.kind, this.length);
    expect(block).toBe(stack.pop() ?? 0);
    if (block !== 0) m.live.add(block);
  }
  toString(): string {
    return `pop(${this.kind}, ${this.length})`;
  }
}

class Clear implements fc.Command<Model, Real> {
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const parked = [...m.stacks.values()].reduce((n, s) => n + s.length, 0);
    expect(r.lists.clear()).toBe(parked);
    m.stacks.clear();
  }
  toString(): string {
    return "clear()";
  }
}

class Release implements fc.Command<Model, Real> {
  check(m: Readonly<Model>): boolean {
    return m.live.size > 0;
  }
  run(m: Model, r: Real): void {
    const [block] = m.live;
    r.a.free(block!);
    m.live.delete(block!);
  }
  toString(): string {
    return "free(a popped block)";
  }
}

describe("FreeLists against a model of LIFO stacks", () => {
  it("parks while there is room, pops newest first, clears everything, and every parked or popped block stays a live block", () => {
    const kind = fc.constantFrom(...KINDS);
    const length = fc.integer({ min: 0, max: 5 });
    fc.assert(
      fc.property(
        fc.commands(
          [
            fc.tuple(kind, length).map(([k, n]) => new Park(k, n)),
            fc.tuple(kind, length).map(([k, n]) => new Take(k, n)),
            fc.constant(new Clear()),
            fc.constant(new Release()),
          ],
          { maxCommands: 60, size: "max" },
        ),
        (commands) => {
          const a = pymalloc();
          const lists = new FreeLists(a, {
            dictCapacity: CAPACITY.dict,
            dictKeysCapacity: CAPACITY.dictKeys,
            floatCapacity: CAPACITY.float,
            listCapacity: CAPACITY.list,
            tupleCapacity: CAPACITY.tuple,
            tupleMaxLength: 4,
          });
          const model: Model = { stacks: new Map(), live: new Set() };
          fc.modelRun(() => ({ model, real: { lists, a } }), commands);
          const parked = [...model.stacks.values()].reduce((n, s) => n + s.length, 0);
          expect(lists.parkedBlocks).toBe(parked);
          expect(a.getAllocatedBlocks()).toBe(parked + model.live.size);
          for (const k of KINDS) {
            for (let n = 0; n <= 5; n++) {
              expect(lists.count(k, n)).toBe(model.stacks.get(key(k, n))?.length ?? 0);
            }
          }
          a.verify();
          checkPoolInvariants(a);
        },
      ),
      { numRuns: fcRuns(1000) },
    );
  });
});
