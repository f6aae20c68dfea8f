// Bad arguments to the public API get typed errors that say what was wrong, never a raw
// JavaScript TypeError from deep inside, a wrong value, or a message naming a real address.

import { InvalidAddressError, InvalidArgumentError } from "@mm/heap";
import { describe, expect, it } from "vitest";
import { Embedding, Runtime, StaleHandleError } from "../src/index.js";

const quiet = { env: {}, log: () => {} } as const;
/** An argument of the wrong type, as JavaScript callers can pass one. */
const bad = <T>(value: unknown) => value as T;

describe("the allocators", () => {
  it("refuse a size that is not a number (16n), naming it, in every domain", () => {
    const rt = new Runtime(quiet);
    for (const allocator of [rt.raw, rt.obj, rt.mem]) {
      expect(() => allocator.malloc(bad(16n))).toThrow(InvalidArgumentError);
      expect(() => allocator.malloc(bad(16n))).toThrow(/^malloc size must be .*, got 16n$/);
    }
    rt.verify();
  });

  it("free(NaN) names NaN, not the address 0x00000000 it is not", () => {
    const rt = new Runtime(quiet);
    for (const allocator of [rt.raw, rt.obj]) {
      expect(() => allocator.free(Number.NaN)).toThrow(InvalidAddressError);
      expect(() => allocator.free(Number.NaN)).toThrow(/^free\(NaN\): /);
      expect(() => allocator.free(1.5)).toThrow(/^free\(1\.5\): /);
    }
    rt.verify();
  });
});

describe("the Runtime's constructors", () => {
  it("refuse values of the wrong type with InvalidArgumentError", () => {
    const rt = new Runtime(quiet);
    const live = rt.stats().liveObjects;
    expect(() => rt.int(Number.NaN)).toThrow(
      /^int\(\) takes a bigint or an integral number, got NaN$/,
    );
    expect(() => rt.int(1.5)).toThrow(InvalidArgumentError);
    expect(() => rt.float(bad("x"))).toThrow(/^float\(\) takes a number, got "x"$/);
    expect(() => rt.str(bad(5))).toThrow(/^str\(\) takes a string, got 5$/);
    expect(() => rt.runTrace(bad(null))).toThrow(InvalidArgumentError);
    expect(() => rt.runTrace(bad({}))).toThrow(/^runTrace\(\) takes an mm-trace's text/);
    // What is accepted still works, and nothing was allocated by the refusals.
    expect(rt.stats().liveObjects).toBe(live);
    expect(rt.value(rt.int(2 ** 60))).toBe(2n ** 60n);
    expect(rt.value(rt.float(Number.NaN))).toBeNaN();
    rt.verify();
  });
});

describe("Embedding.toHandle", () => {
  it("refuses an object that was freed instead of counting a reference in freed memory", () => {
    const rt = new Runtime(quiet);
    const py = new Embedding(rt);
    const list = py.list([]);
    using kept = py.toHandle(list);
    expect(rt.typeName(kept)).toBe("list");
    py.decref(list);
    const gone = py.list([]);
    py.decref(gone);
    expect(() => py.toHandle(gone)).toThrow(StaleHandleError);
    expect(() => py.toHandle(gone)).toThrow(/^toHandle\(0x[0-9a-f]{8}\): not a live object/);
    rt.verify();
  });
});

describe("the live-object count", () => {
  it("counts weak references allocated as well as freed, so it never goes negative", () => {
    const rt = new Runtime(quiet);
    const before = rt.stats();
    const events = rt.runTrace(
      [
        { "mm-trace": 1 },
        { op: "new", var: "o", type: "object", name: "o" },
        { op: "weakref", var: "a", target: "o" },
        { op: "weakref", var: "b", target: "o", callback: true, name: "cb" },
        { op: "weakref", var: "c", target: "o" },
        { op: "del", var: "a" },
        { op: "del", var: "b" },
        { op: "del", var: "c" },
        { op: "del", var: "o" },
      ]
        .map((o) => JSON.stringify(o))
        .join("\n"),
    );
    expect(events).toEqual([]);
    const after = rt.stats();
    // The object and two weak references ('c' is 'a' again, as in CPython; the name, a
    // one-character str, is cached): three born, three dead.
    expect(after.objectsAllocated - before.objectsAllocated).toBe(3);
    expect(after.objectsFreed - before.objectsFreed).toBe(3);
    expect(after.liveObjects).toBe(before.liveObjects);
    rt.verify();
  });
});
