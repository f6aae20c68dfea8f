import {
  FreeStore,
  Memory,
  MemoryPageSource,
  ObjectSpace,
  TypeFlags,
  TypeRegistry,
} from "@mm/heap";
import { describe, expect, it } from "vitest";
import { RefCounter } from "../src/index.js";

/** A heap with a one-slot `link` type whose dealloc measures how deep deallocations nest. */
function chainWorld(gc: boolean, maximumBytes: number) {
  const memory = new Memory({ maximumBytes });
  const space = new ObjectSpace(new FreeStore(new MemoryPageSource(memory)), new TypeRegistry());
  let nesting = 0;
  let deepest = 0;
  let rc!: RefCounter;
  const link = space.types.register({
    name: gc ? "list" : "link",
    basicSize: 24,
    flags: gc ? TypeFlags.Gc : 0,
    ...(gc ? { traverse: () => 0 } : {}),
    dealloc: (o) => {
      deepest = Math.max(deepest, ++nesting);
      const next = memory.u32[(o + 16) >>> 2]!;
      if (next !== 0) rc.decref(next);
      nesting--;
    },
  });
  rc = new RefCounter(space);
  /** Builds head → … → tail of `length` objects; returns the head (the only reference). */
  const build = (length: number) => {
    let next = 0;
    for (let i = 0; i < length; i++) {
      const o = space.allocate(link.id);
      if (o === 0) throw new Error("heap exhausted while building the chain");
      memory.u32[(o + 16) >>> 2] = next;
      next = o;
    }
    return next;
  };
  return { space, rc, build, deepest: () => deepest };
}

describe("the trashcan", () => {
  it("frees a 10,000,000-object chain without overflowing the stack, nesting at most 50 deallocations", () => {
    const w = chainWorld(false, 1 << 30);
    const head = w.build(10_000_000);
    expect(w.space.liveObjects).toBe(10_000_000);
    w.rc.decref(head);
    expect(w.space.liveObjects).toBe(0);
    expect(w.deepest()).toBe(50);
    expect(w.space.allocator.stats().liveBlocks).toBe(0);
  });

  it("frees a 1,000,000-deep nesting of containers (GC objects, as nested lists)", () => {
    const w = chainWorld(true, 256 << 20);
    const outermost = w.build(1_000_000);
    w.rc.decref(outermost);
    expect(w.space.liveObjects).toBe(0);
    expect(w.deepest()).toBe(50);
    w.space.allocator.verify();
  });

  it("honours a configured depth", () => {
    const memory = new Memory({ maximumBytes: 16 << 20 });
    const space = new ObjectSpace(new FreeStore(new MemoryPageSource(memory)), new TypeRegistry());
    let nesting = 0;
    let deepest = 0;
    const rc: RefCounter = new RefCounter(space, { trashcanDepth: 3 });
    const link = space.types.register({
      name: "link",
      basicSize: 24,
      dealloc: (o) => {
        deepest = Math.max(deepest, ++nesting);
        const next = memory.u32[(o + 16) >>> 2]!;
        if (next !== 0) rc.decref(next);
        nesting--;
      },
    });
    let next = 0;
    for (let i = 0; i < 100; i++) {
      const o = space.allocate(link.id);
      memory.u32[(o + 16) >>> 2] = next;
      next = o;
    }
    rc.decref(next);
    expect(deepest).toBe(3);
    expect(space.liveObjects).toBe(0);
  });
});
