// Subclasses of weakref.ref (`defineSubtype("weakref", …)` and `Embedding.weakref` with the
// subclass): an instance is a weak reference object with what CPython 3.11's `type_new` adds
// after it (the `__slots__` fields, a `__weakref__` slot, the managed-dict pre-header). It is
// always a new object, linked after the referent's basic reference as weakref___new__ links
// it, cleared and called back as any weak reference, and its fields are traversed and released.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Embedding, type NativeType, type Ref, Runtime } from "../src/index.js";

const quiet = { env: {}, log: () => {} } as const;

function embedded() {
  const rt = new Runtime({ ...quiet, collector: "cpython" });
  return { rt, py: new Embedding(rt) };
}

/** A stand-in for a class's type object: a container the instances refer to. */
function metaType(py: Embedding): NativeType {
  return py.defineType({ name: "meta", basicSize: 24, container: true, refs: [16] });
}

/** A weakly referenceable target: an instance of a plain class. */
function target(py: Embedding): Ref {
  return py.instance(py.defineClass("Target"));
}

describe("subclasses of weakref", () => {
  it("are laid out as type_new lays them out after weakref.ref", () => {
    const { py } = embedded();
    const type = py.allocate(metaType(py));
    const t = target(py);
    const size = (options: { fields?: number; dict?: boolean; weakref?: boolean }) => {
      const cls = py.defineSubtype("weakref", "R", { typeObject: type, ...options });
      const w = py.weakref(t, undefined, cls);
      const n = py.sizeof(w);
      expect(py.isTracked(w)).toBe(true);
      py.decref(w);
      return n;
    };
    // CPython 3.11: `class R(ref): pass` is 104 bytes, `KeyedRef` (one slot) 88, a plain ref 80.
    expect(size({})).toBe(104);
    expect(size({ fields: 1, dict: false, weakref: false })).toBe(88);
    expect(size({ fields: 0, dict: false, weakref: false })).toBe(80);
    expect(size({ fields: 2, dict: false, weakref: true })).toBe(104);
    py.decref(t);
    py.decref(type);
  });

  it("refuses a target without weak references, before allocating", () => {
    const { py } = embedded();
    const type = py.allocate(metaType(py));
    const cls = py.defineSubtype("weakref", "R", { typeObject: type });
    const n = py.int(12345);
    const before = py.refcount(type);
    expect(() => py.weakref(n, undefined, cls)).toThrow(
      "cannot create weak reference to 'int' object",
    );
    expect(py.refcount(type)).toBe(before);
    const list = py.defineSubtype("list", "L", { typeObject: type });
    expect(() => py.weakref(target(py), undefined, list)).toThrow("not a subtype of weakref");
    py.decref(n);
  });

  it("links as weakref___new__ does, and is cleared and called back with the others", () => {
    type Op = "plain" | "callback" | "sub" | "subCallback" | { drop: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.constantFrom<Op>("plain", "callback", "sub", "subCallback"),
      fc.nat(8).map((drop) => ({ drop })),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 24 }), (ops) => {
        const { rt, py } = embedded();
        const type = py.allocate(metaType(py));
        const cls = py.defineSubtype("weakref", "R", { typeObject: type, fields: 1 });
        const t = target(py);
        // The model: CPython's list of weak references to `t`, each with its callback flag.
        const model: Array<{ ref: Ref; callback: boolean; basic: boolean }> = [];
        const held: Ref[] = [];
        const called: Ref[] = [];
        const cb = (w: Ref) => void called.push(w);
        const basicAt = () => (model[0]?.basic ? 0 : -1);
        for (const o of ops) {
          if (typeof o === "object") {
            if (held.length === 0) continue;
            const w = held.splice(o.drop % held.length, 1)[0]!;
            const entry = model.findIndex((m) => m.ref === w);
            if (py.refcount(w) === 1) model.splice(entry, 1);
            py.decref(w);
          } else {
            const sub = o === "sub" || o === "subCallback";
            const withCallback = o === "callback" || o === "subCallback";
            const w = py.weakref(t, withCallback ? cb : undefined, sub ? cls : undefined);
            held.push(w);
            if (o === "plain" && basicAt() === 0) expect(w).toBe(model[0]!.ref);
            else {
              const entry = { ref: w, callback: withCallback, basic: o === "plain" };
              if (o === "plain") model.unshift(entry);
              else model.splice(basicAt() + 1, 0, entry);
            }
          }
          expect(rt.strategy.rc.weakrefsTo(t)).toEqual(model.map((m) => m.ref));
        }
        py.decref(t);
        expect(called).toEqual(model.filter((m) => m.callback).map((m) => m.ref));
        for (const w of held) expect(py.deref(w)).toBe(py.none);
        for (const w of held) py.decref(w);
        py.decref(type);
      }),
      { numRuns: 100 },
    );
  });
  it("has its fields traversed and released", () => {
    const { rt, py } = embedded();
    const type = py.allocate(metaType(py));
    const cls = py.defineSubtype("weakref", "KeyedRef", {
      typeObject: type,
      fields: 1,
      dict: false,
      weakref: false,
    });
    const t = target(py);
    const w = py.weakref(t, undefined, cls);
    // A cycle through the field: the reference's key is a list holding the reference.
    const key = py.list([w]);
    py.setSlotField(w, 0, key);
    py.decref(key);
    py.decref(w);
    expect(rt.strategy.rc.weakrefsTo(t)).toEqual([w]);
    expect(py.collect()).toBe(2);
    expect(rt.strategy.rc.weakrefsTo(t)).toEqual([]);
    // A reference that dies by count releases its field.
    const w2 = py.weakref(t, undefined, cls);
    const k2 = py.str("key");
    py.setSlotField(w2, 0, k2);
    expect(py.refcount(k2)).toBe(2);
    py.decref(w2);
    expect(py.refcount(k2)).toBe(1);
    py.decref(k2);
    py.decref(t);
    py.decref(type);
  });
});
