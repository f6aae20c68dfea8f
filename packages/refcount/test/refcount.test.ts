import { InvalidAddressError, InvalidArgumentError, TypeFlags } from "@mm/heap";
import { describe, expect, it } from "vitest";
import {
  RefCounter,
  RefcountError,
  ReleasedHandleError,
  WeakrefLayout,
  WeakrefTypeError,
} from "../src/index.js";
import { makeWorld } from "./fixtures.js";

describe("incref and decref", () => {
  it("count references and free at zero", () => {
    const w = makeWorld();
    const a = w.space.allocate(w.node.id);
    w.rc.incref(a);
    expect(w.rc.refcount(a)).toBe(2);
    w.rc.decref(a);
    expect(w.rc.refcount(a)).toBe(1);
    expect(w.events).toEqual([]);
    w.rc.decref(a);
    expect(w.events).toEqual([`free ${a}`]);
    expect(w.space.isLive(a)).toBe(false);
  });

  it("release the references an object holds, in its type's order, before freeing it", () => {
    const w = makeWorld();
    const [p, c1, c2] = [w.node, w.node, w.node].map((t) => w.space.allocate(t.id)) as [
      number,
      number,
      number,
    ];
    w.set(p, 0, c1);
    w.set(p, 1, c2);
    w.rc.decref(p);
    expect(w.events).toEqual([`free ${c1}`, `free ${c2}`, `free ${p}`]);
  });

  it("finalize first, then clear weakrefs and run their callbacks, then release, then free", () => {
    const w = makeWorld();
    const o = w.space.allocate(w.finalNode.id);
    const child = w.space.allocate(w.node.id);
    w.set(o, 0, child);
    const wr = w.rc.newWeakref(o, (ref) => {
      w.events.push(`callback ${ref}`);
      expect(w.rc.weakrefTarget(ref)).toBe(0);
    });
    w.rc.decref(o);
    expect(w.events).toEqual([`finalize ${o}`, `callback ${wr}`, `free ${child}`, `free ${o}`]);
    expect(w.rc.weakrefTarget(wr)).toBe(0);
    w.rc.decref(wr);
  });

  it("keep an object that its finalizer resurrected, and never finalize it again", () => {
    const w = makeWorld();
    const o = w.space.allocate(w.phoenix.id);
    w.rc.decref(o);
    expect(w.events).toEqual([`finalize ${o}`]);
    expect(w.space.isLive(o)).toBe(true);
    expect(w.rc.isFinalized(o)).toBe(true);
    expect(w.rc.refcount(o)).toBe(1);
    w.rc.decref(w.graveyard.pop()!);
    expect(w.events).toEqual([`finalize ${o}`, `free ${o}`]);
  });

  it("leave immortal objects alone", () => {
    const w = makeWorld();
    const o = w.space.allocate(w.node.id);
    w.rc.makeImmortal(o);
    expect(w.rc.isImmortal(o)).toBe(true);
    for (let i = 0; i < 5; i++) w.rc.decref(o);
    w.rc.incref(o);
    expect(w.rc.refcount(o)).toBe(1);
    expect(w.space.isLive(o)).toBe(true);
    expect(w.events).toEqual([]);
  });

  it("make instances of an immortal type immortal from birth", () => {
    const w = makeWorld();
    const none = w.space.types.register({
      name: "NoneType",
      basicSize: 16,
      flags: TypeFlags.ImmortalInstances,
    });
    const o = w.space.allocate(none.id);
    w.rc.decref(o);
    expect(w.space.isLive(o)).toBe(true);
  });

  it("never free a cycle by counting alone", () => {
    const w = makeWorld();
    const a = w.space.allocate(w.finalNode.id);
    const b = w.space.allocate(w.finalNode.id);
    w.rc.incref(b);
    w.set(a, 0, b);
    w.rc.incref(a);
    w.set(b, 0, a);
    w.rc.decref(a);
    w.rc.decref(b);
    expect(w.space.isLive(a) && w.space.isLive(b)).toBe(true);
    expect(w.rc.refcount(a)).toBe(1);
    expect(w.events).toEqual([]);
  });
});

describe("weak references", () => {
  it("reuse the plain reference and put callback references after it, newest first", () => {
    const w = makeWorld();
    const o = w.space.allocate(w.node.id);
    const cbs: number[] = [];
    const first = w.rc.newWeakref(o, (r) => cbs.push(r));
    const plain = w.rc.newWeakref(o);
    expect(w.rc.newWeakref(o)).toBe(plain);
    expect(w.rc.refcount(plain)).toBe(2);
    const second = w.rc.newWeakref(o, (r) => cbs.push(r));
    expect(w.rc.weakrefsTo(o)).toEqual([plain, second, first]);
    w.rc.decref(o);
    expect(cbs).toEqual([second, first]);
    for (const wr of [plain, plain, first, second]) w.rc.decref(wr);
    expect(w.space.liveObjects).toBe(0);
  });

  it("of an adopted subtype are linked after the plain one, never reused, and unlink on death", () => {
    const w = makeWorld();
    const sub = w.space.types.register({
      name: "KeyedRef",
      basicSize: WeakrefLayout.size + 8,
      flags: TypeFlags.Gc,
      traverse: () => 0,
      clear: (wr) => w.rc.unlinkWeakref(wr),
      dealloc: (wr) => w.rc.unlinkWeakref(wr),
    });
    const o = w.space.allocate(w.node.id);
    const keyed = w.space.allocate(sub.id);
    // Not adopted yet: it is no weak reference.
    expect(() => w.rc.initWeakref(keyed, o)).toThrow(InvalidArgumentError);
    expect(w.rc.isWeakref(keyed)).toBe(false);
    w.rc.adoptWeakrefSubtype(sub);
    expect(w.rc.isWeakref(keyed)).toBe(true);
    w.rc.initWeakref(keyed, o);
    expect(() => w.rc.initWeakref(keyed, o)).toThrow("already refers");
    expect(w.rc.weakrefsTo(o)).toEqual([keyed]);
    // A plain reference goes first, and is not the subtype's instance.
    const plain = w.rc.newWeakref(o);
    expect(plain).not.toBe(keyed);
    expect(w.rc.newWeakref(o)).toBe(plain);
    const called: number[] = [];
    const second = w.space.allocate(sub.id);
    w.rc.initWeakref(second, o, (r) => called.push(r));
    expect(w.rc.weakrefsTo(o)).toEqual([plain, second, keyed]);
    expect(w.rc.weakrefTarget(second)).toBe(o);
    w.rc.decref(keyed);
    expect(w.rc.weakrefsTo(o)).toEqual([plain, second]);
    w.rc.decref(o);
    expect(called).toEqual([second]);
    expect(w.rc.weakrefTarget(second)).toBe(0);
    for (const wr of [plain, plain, second]) w.rc.decref(wr);
    expect(w.space.liveObjects).toBe(0);
  });

  it("take only subtypes with a weak reference's fields and a GC head", () => {
    const w = makeWorld();
    const small = w.space.types.register({
      name: "small",
      basicSize: 32,
      flags: TypeFlags.Gc,
      traverse: () => 0,
    });
    expect(() => w.rc.adoptWeakrefSubtype(small)).toThrow(InvalidArgumentError);
    const plain = w.space.types.register({ name: "plain", basicSize: WeakrefLayout.size });
    expect(() => w.rc.adoptWeakrefSubtype(plain)).toThrow(InvalidArgumentError);
  });

  it("are objects of 64 bytes (80 with the GC head, as sys.getsizeof says)", () => {
    const w = makeWorld();
    const wr = w.rc.newWeakref(w.space.allocate(w.node.id));
    expect(w.space.sizeOf(wr)).toBe(WeakrefLayout.size);
    expect(w.rc.weakrefType.preHeaderSize + WeakrefLayout.size).toBe(80);
    expect(w.rc.isWeakref(wr)).toBe(true);
  });

  it("unlink themselves when they die before their referent", () => {
    const w = makeWorld();
    const o = w.space.allocate(w.node.id);
    const called: number[] = [];
    const wr = w.rc.newWeakref(o, (r) => called.push(r));
    w.rc.decref(wr);
    expect(w.rc.weakrefsTo(o)).toEqual([]);
    w.rc.decref(o);
    expect(called).toEqual([]);
  });

  it("report an exception in a callback and still run the others", () => {
    const reported: unknown[] = [];
    const w = makeWorld(64 << 20, { unraisable: (error) => reported.push(error) });
    const o = w.space.allocate(w.node.id);
    const ran: string[] = [];
    const a = w.rc.newWeakref(o, () => ran.push("a"));
    const b = w.rc.newWeakref(o, () => {
      throw new Error("boom");
    });
    const c = w.rc.newWeakref(o, () => ran.push("c"));
    w.rc.decref(o);
    expect(ran).toEqual(["c", "a"]);
    expect(reported).toHaveLength(1);
    expect((reported[0] as Error).message).toBe("boom");
    for (const wr of [a, b, c]) w.rc.decref(wr);
  });

  it("refuse a type that does not allow them, with Python's message", () => {
    const w = makeWorld();
    const int = w.space.types.register({ name: "int", basicSize: 32 });
    expect(() => w.rc.newWeakref(w.space.allocate(int.id))).toThrow(WeakrefTypeError);
    expect(() => w.rc.newWeakref(w.space.allocate(int.id))).toThrow(
      "cannot create weak reference to 'int' object",
    );
    expect(() => w.rc.weakrefTarget(w.space.allocate(int.id))).toThrow(InvalidArgumentError);
  });

  it("clear one reference and hand back its callback, for a collector", () => {
    const w = makeWorld();
    const o = w.space.allocate(w.node.id);
    const seen: number[] = [];
    const wr = w.rc.newWeakref(o, (r) => seen.push(r));
    const callback = w.rc.clearWeakref(wr);
    expect(w.rc.weakrefTarget(wr)).toBe(0);
    expect(w.rc.weakrefCallback(wr)).toBeUndefined();
    w.rc.runWeakrefCallback(wr, callback!);
    expect(seen).toEqual([wr]);
    expect(w.rc.refcount(wr)).toBe(1);
  });
});

describe("misuse", () => {
  it("refuses incref and decref of freed, unknown, NULL, misaligned and aliasing addresses", () => {
    const w = makeWorld();
    const a = w.space.allocate(w.node.id);
    const b = w.space.allocate(w.node.id);
    w.rc.decref(a);
    // b + 2^32 and b + 0.5 name b's bits modulo 2^32: they must not reach b.
    for (const address of [a, 0, b + 16, b + 3, 1 << 26, b + 2 ** 32, b + 0.5, -b]) {
      expect(() => w.rc.incref(address)).toThrow(InvalidAddressError);
      expect(() => w.rc.decref(address)).toThrow(InvalidAddressError);
    }
    expect(w.events).toEqual([`free ${a}`]);
    expect(w.rc.refcount(b)).toBe(1);
    w.space.verify();
    w.space.allocator.verify();
  });

  it("refuses a decref below zero and an incref of an object being destroyed", () => {
    const w = makeWorld();
    let underflow: unknown;
    let revive: unknown;
    const doomed = w.space.types.register({
      name: "doomed",
      basicSize: 16,
      dealloc: (o) => {
        try {
          w.rc.decref(o);
        } catch (error) {
          underflow = error;
        }
        try {
          w.rc.incref(o);
        } catch (error) {
          revive = error;
        }
      },
    });
    const o = w.space.allocate(doomed.id);
    w.rc.decref(o);
    expect(underflow).toBeInstanceOf(RefcountError);
    expect((underflow as RefcountError).kind).toBe("underflow");
    expect((revive as RefcountError).kind).toBe("dead");
    expect(w.space.isLive(o)).toBe(false);
    w.space.verify();
  });

  it("refuses a second RefCounter on one object space and a bad trashcan depth", () => {
    const w = makeWorld();
    expect(() => new RefCounter(w.space)).toThrow(/one RefCounter/);
    expect(() => new RefCounter(makeWorld().space, { trashcanDepth: 0 })).toThrow(
      InvalidArgumentError,
    );
  });
});

describe("owned references", () => {
  it("release at the end of a using scope", () => {
    const w = makeWorld();
    const o = w.space.allocate(w.node.id);
    {
      using handle = w.rc.retain(o);
      expect(handle.address).toBe(o);
      expect(w.rc.refcount(o)).toBe(2);
    }
    expect(w.rc.refcount(o)).toBe(1);
    {
      using _owned = w.rc.own(o);
    }
    expect(w.space.isLive(o)).toBe(false);
  });

  it("refuse a second release instead of decref'ing twice", () => {
    const w = makeWorld();
    const o = w.space.allocate(w.node.id);
    w.rc.incref(o);
    const handle = w.rc.own(o);
    handle.release();
    expect(() => handle.release()).toThrow(ReleasedHandleError);
    expect(() => handle.address).toThrow(ReleasedHandleError);
    handle[Symbol.dispose]();
    expect(w.rc.refcount(o)).toBe(1);
  });

  it("hand the reference on with detach", () => {
    const w = makeWorld();
    const o = w.space.allocate(w.node.id);
    const handle = w.rc.own(o);
    expect(handle.detach()).toBe(o);
    expect(handle.released).toBe(true);
    expect(w.rc.refcount(o)).toBe(1);
  });
});
