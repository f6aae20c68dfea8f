// A collection that an exception from the object model stops (a traverse that throws) leaves
// the collector whole: every object back on a generation list with no collection mark, the
// error wrapped with the model's as its cause, and the next collection finds what it would
// have found anyway.

import { MemoryManagerError, type TypeDescriptor, TypeFlags } from "@mm/heap";
import { describe, expect, it } from "vitest";
import { GcErrorCode, GcInterruptedError } from "../src/index.js";
import { generationalWorld, tracingWorld } from "./fixtures.js";

/** A one-slot container whose traverse throws on its `throwAt`-th call while armed. */
function thrower(
  w: { space: import("@mm/heap").ObjectSpace },
  decref: (o: number) => void,
): { type: TypeDescriptor; arm(at: number): void; disarm(): void; readonly error: Error } {
  const error = new Error("traverse failed");
  let calls = 0;
  let throwAt = 0;
  const u32 = () => w.space.memory.u32;
  const drop = (o: number) => {
    const held = u32()[(o + 16) >>> 2]!;
    u32()[(o + 16) >>> 2] = 0;
    if (held !== 0) decref(held);
  };
  const type = w.space.types.register({
    name: "thrower",
    basicSize: 24,
    flags: TypeFlags.Gc,
    traverse: (o, visit, arg) => {
      if (throwAt !== 0 && ++calls === throwAt) throw error;
      const held = u32()[(o + 16) >>> 2]!;
      return held === 0 ? 0 : visit(held, arg);
    },
    clear: drop,
    dealloc: drop,
  });
  return {
    type,
    arm(at) {
      calls = 0;
      throwAt = at;
    },
    disarm() {
      throwAt = 0;
    },
    error,
  };
}

describe("a collection interrupted by the object model (generational)", () => {
  /**
   * Garbage: a finalizable node and a thrower in a cycle, two plain nodes in a cycle, a weakref
   * with a callback to the plain cycle. Alive: a root node in a cycle with a thrower.
   */
  function build(throwAt: number) {
    const w = generationalWorld();
    const t = thrower(w, (o) => w.gc.rc.decref(o));
    const link = (from: number, to: number) => {
      w.gc.rc.incref(to);
      w.space.memory.u32[(from + 16) >>> 2] = to;
    };
    const newThrower = () => {
      const o = w.gc.allocate(t.type.id);
      w.gc.track(o);
      return o;
    };
    const a = w.node("final");
    const t1 = newThrower();
    w.set(a, 0, t1);
    link(t1, a);
    const b = w.node();
    const c = w.node();
    w.set(b, 0, c);
    w.set(c, 0, b);
    const called: number[] = [];
    const wr = w.gc.rc.newWeakref(b, (ref) => called.push(ref));
    const root = w.node();
    const t2 = newThrower();
    w.set(root, 0, t2);
    link(t2, root);
    for (const o of [a, t1, b, c, t2]) w.gc.rc.decref(o);
    t.arm(throwAt);
    return { w, t, garbage: [a, t1, b, c], alive: [root, t2, wr], a, called };
  }

  it("puts every object back on a list without marks, wraps the error, and collects next time", () => {
    let interrupted = 0;
    for (let at = 1; ; at++) {
      const { w, t, garbage, alive, a, called } = build(at);
      let caught: unknown;
      try {
        w.gc.collect();
      } catch (error) {
        caught = error;
      }
      if (caught === undefined) break;
      interrupted++;
      expect(caught).toBeInstanceOf(GcInterruptedError);
      expect(caught).toBeInstanceOf(MemoryManagerError);
      const e = caught as GcInterruptedError;
      expect(e.code).toBe(GcErrorCode.Interrupted);
      expect(e.cause).toBe(t.error);
      expect(e.generation).toBe(2);
      expect(e.message).toBe(
        "the collection of generation 2 was interrupted by the object model: Error: traverse failed",
      );
      // The lists are whole and unmarked: no "collection flag set outside a collection".
      w.gc.verify();
      // Every live container is tracked, in generation 2 (the one being collected).
      const containers = [...w.space.objects()].filter((o) => w.space.typeOf(o).isGc);
      expect(new Set(w.gc.getObjects(2))).toEqual(new Set(containers));
      t.disarm();
      w.gc.collect();
      w.gc.verify();
      for (const o of garbage) expect(w.space.isLive(o), `at ${at}`).toBe(false);
      for (const o of alive) expect(w.space.isLive(o), `at ${at}`).toBe(true);
      expect(w.log.finalized.filter((o) => o === a)).toHaveLength(1);
      expect(called).toHaveLength(1);
    }
    // Every traverse call of a thrower was a place to throw: subtract_refs' two, the one of
    // move_unreachable for the reachable t2, and the second detection's of t1 after a's
    // finalizer ran (the phases' part of the collection).
    expect(interrupted).toBe(4);
  });

  it("restores a young collection to the generation it was collecting", () => {
    const w = generationalWorld();
    const t = thrower(w, (o) => w.gc.rc.decref(o));
    const old = w.node();
    w.gc.collect(0); // old moves to generation 1
    const o = w.gc.allocate(t.type.id);
    w.gc.track(o);
    const young = w.node();
    t.arm(1);
    expect(() => w.gc.collect(0)).toThrow(GcInterruptedError);
    w.gc.verify();
    expect(new Set(w.gc.getObjects(0))).toEqual(new Set([o, young]));
    expect(w.gc.getObjects(1)).toEqual([old]);
  });
});

describe("a collection interrupted by the object model (tracing)", () => {
  it("wraps the error, leaves no object marked, and forgets the interrupted mark", () => {
    let interrupted = 0;
    for (let at = 1; ; at++) {
      const w = tracingWorld();
      const t = thrower(w, () => {});
      const root = w.node();
      const t1 = w.gc.allocate(t.type.id);
      w.set(root, 0, t1);
      w.space.memory.u32[(t1 + 16) >>> 2] = root;
      w.roots.push(root);
      const a = w.node("final");
      const b = w.node();
      w.set(a, 0, b);
      w.set(b, 0, a);
      t.arm(at);
      let caught: unknown;
      try {
        w.gc.collect();
      } catch (error) {
        caught = error;
      }
      if (caught === undefined) break;
      interrupted++;
      expect(caught).toBeInstanceOf(GcInterruptedError);
      expect((caught as GcInterruptedError).cause).toBe(t.error);
      w.gc.verify();
      // The interrupted mark left objects on its stack; the next mark must not start there.
      w.roots.length = 0;
      t.disarm();
      w.gc.collect();
      for (const o of [root, t1, a, b]) expect(w.space.isLive(o), `at ${at}`).toBe(false);
    }
    expect(interrupted).toBeGreaterThanOrEqual(1);
  });
});
