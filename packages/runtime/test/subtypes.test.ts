// Subclasses of list, dict and set (`Embedding.defineSubtype`): an instance is the base's object
// with what CPython 3.11's `type_new` adds (the `__slots__` fields, a `__weakref__` slot, the
// managed-dict pre-header), so its size, its referents (`subtype_traverse`: fields, dict, type,
// then the base's), its release order (`subtype_dealloc`: fields, dict, then the base's) and the
// collectors' view of cycles through any part are CPython's. The base's operations take it, and
// its death never parks it on the base's free list (the free lists hold exact objects only).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CollectorName,
  Embedding,
  type NativeType,
  type Ref,
  Runtime,
  type SubtypeBase,
} from "../src/index.js";

const quiet = { env: {}, log: () => {} } as const;

function embedded(collector: CollectorName = "cpython") {
  const rt = new Runtime({ ...quiet, collector });
  return { rt, py: new Embedding(rt) };
}

/** A stand-in for a class's type object: a container the instances refer to. */
function metaType(py: Embedding): NativeType {
  return py.defineType({ name: "meta", basicSize: 24, container: true, refs: [16] });
}

function referents(rt: Runtime, py: Embedding, o: Ref): Ref[] {
  using h = py.toHandle(o);
  const out = rt.gc.getReferents(h);
  const refs = out.map((r) => py.fromHandle(r));
  for (const r of out) r.release();
  return refs;
}

describe("defineSubtype", () => {
  it("lays instances out as type_new does after list, dict and set", () => {
    const { py } = embedded();
    const type = py.allocate(metaType(py));
    const size = (
      base: SubtypeBase,
      options: { fields?: number; dict?: boolean; weakref?: boolean },
    ) => {
      const cls = py.defineSubtype(base, "C", { typeObject: type, ...options });
      const o = py.subtypeInstance(cls);
      const n = py.sizeof(o);
      py.decref(o);
      return n;
    };
    // sys.getsizeof in CPython 3.11 of L(), D(), S() for `class L(list): pass` and the rest.
    expect(size("list", {})).toBe(80);
    expect(size("dict", {})).toBe(88);
    expect(size("set", {})).toBe(232);
    expect(size("list", { dict: false, weakref: false })).toBe(56);
    expect(size("list", { fields: 2, dict: false, weakref: false })).toBe(72);
    expect(size("dict", { fields: 1, dict: false, weakref: true })).toBe(80);
    expect(size("set", { dict: true, weakref: false })).toBe(232);
  });

  it("works with the base's operations, and visits the fields, the dict, the type, the items", () => {
    const { rt, py } = embedded();
    const type = py.allocate(metaType(py));
    const L = py.defineSubtype("list", "L", { typeObject: type, fields: 1 });
    const l = py.subtypeInstance(L);
    expect(py.typeName(l)).toBe("L");
    expect(py.builtinName(l)).toBe("list");
    expect(py.isTracked(l)).toBe(true);
    const a = py.str("a");
    const b = py.str("b");
    py.append(l, a);
    py.append(l, b);
    expect(py.len(l)).toBe(2);
    expect(py.sizeof(l)).toBe(80 + 8 + 8 * 4);
    expect(py.subtypeDict(l, false)).toBe(0);
    const d = py.subtypeDict(l);
    expect(py.subtypeDict(l)).toBe(d);
    const f = py.str("field");
    py.setSlotField(l, 0, f);
    expect(py.slotField(l, 0)).toBe(f);
    expect(referents(rt, py, l)).toEqual([f, d, type, b, a]);
    expect(() => py.slotField(l, 1)).toThrow(RangeError);
    expect(() => py.slotField(a, 0)).toThrow(TypeError);
    py.decref(l);
    for (const o of [a, b, f]) expect(py.refcount(o)).toBe(1);
    py.decref(type);
  });

  it("gives dict and set subclasses their base's behaviour", () => {
    const { py } = embedded();
    const type = py.allocate(metaType(py));
    const D = py.defineSubtype("dict", "D", { typeObject: type });
    const S = py.defineSubtype("set", "S", { typeObject: type });
    const d = py.subtypeInstance(D);
    const s = py.subtypeInstance(S);
    const k = py.str("k");
    py.dictSet(d, k, k);
    py.setAdd(s, k);
    expect(py.len(d)).toBe(1);
    expect(py.len(s)).toBe(1);
    expect(py.contains(d, k)).toBe(true);
    expect(py.contains(s, k)).toBe(true);
    expect(() => py.hash(d)).toThrow(/unhashable type/);
    expect(() => py.hash(s)).toThrow(/unhashable type/);
    py.decref(d);
    py.decref(s);
    expect(py.refcount(k)).toBe(1);
    py.decref(k);
    py.decref(type);
  });

  it("never parks an instance on the base's free list", () => {
    const { py } = embedded();
    const type = py.allocate(metaType(py));
    for (const base of ["list", "dict"] as const) {
      const cls = py.defineSubtype(base, "C", { typeObject: type });
      const o = py.subtypeInstance(cls);
      py.decref(o);
      // A plain object made next takes no block of the subclass's size from the free list:
      // had the instance been parked, the new one would be it, with the subclass's type.
      const plain = base === "list" ? py.list([]) : py.dict();
      expect(py.typeName(plain)).toBe(base);
      expect(py.sizeof(plain)).toBe(base === "list" ? 56 : 64);
      py.decref(plain);
    }
    py.decref(type);
  });

  it("releases the fields, then the dict, then the items, after the finalizer", () => {
    const { py } = embedded();
    const type = py.allocate(metaType(py));
    const order: string[] = [];
    const Probe = py.defineClass("Probe", {
      del: (self) => order.push(py.strValue(py.attr(self, "n"))),
    });
    const probe = (n: string) => {
      const o = py.instance(Probe);
      const s = py.str(n);
      py.setAttr(o, "n", s);
      py.decref(s);
      return o;
    };
    const L = py.defineSubtype("list", "L", {
      typeObject: type,
      fields: 1,
      del: () => order.push("finalizer"),
    });
    const l = py.subtypeInstance(L);
    for (const n of ["item0", "item1"]) {
      const p = probe(n);
      py.append(l, p);
      py.decref(p);
    }
    const attr = probe("dict");
    py.setItem(py.subtypeDict(l), py.str("x"), attr);
    py.decref(attr);
    const field = probe("field");
    py.setSlotField(l, 0, field);
    py.decref(field);
    py.decref(l);
    expect(order).toEqual(["finalizer", "field", "dict", "item1", "item0"]);
    py.decref(type);
  });

  for (const collector of ["cpython", "tracing"] as const) {
    it(`lets the ${collector} collector free cycles through the items, the dict or a field`, () => {
      const { py } = embedded(collector);
      const type = py.allocate(metaType(py));
      // A handle is a root: the type object outlives the collection under a tracing collector.
      using kept = py.toHandle(type);
      const L = py.defineSubtype("list", "L", { typeObject: type, fields: 1 });
      const D = py.defineSubtype("dict", "D", { typeObject: type });
      const S = py.defineSubtype("set", "S", { typeObject: type });
      const a = py.subtypeInstance(L);
      py.append(a, a);
      const b = py.subtypeInstance(D);
      const key = py.str("me");
      py.setItem(py.subtypeDict(b), key, b);
      const c = py.subtypeInstance(S);
      const l = py.subtypeInstance(L);
      py.setSlotField(l, 0, c);
      py.setItem(py.subtypeDict(c), key, l);
      py.decref(key);
      // The weak references are roots (handles), so that a tracing collector keeps them.
      const weak = [a, b, c, l].map((o) => {
        const w = py.weakref(o);
        const h = py.toHandle(w);
        py.decref(w);
        return h;
      });
      for (const o of [a, b, c, l]) py.decref(o);
      py.collect();
      for (const h of weak) {
        const target = py.deref(py.fromHandle(h));
        expect(target).toBe(py.none);
        py.decref(target);
        h.release();
      }
      expect(kept.live).toBe(true);
      py.decref(type);
    });
  }
});

describe("a list subclass instance against a plain list", () => {
  it("holds and releases the same items through random operations", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant("append"), fc.constant("pop"), fc.constant("clear")), {
          maxLength: 40,
        }),
        (ops) => {
          const { py } = embedded();
          const type = py.allocate(metaType(py));
          const L = py.defineSubtype("list", "L", { typeObject: type });
          const sub = py.subtypeInstance(L);
          const plain = py.list([]);
          const item = py.str("item");
          for (const op of ops) {
            for (const l of [sub, plain]) {
              if (op === "append") py.append(l, item);
              else if (op === "pop" && py.len(l) > 0) py.decref(py.pop(l));
              else if (op === "clear") py.clearList(l);
            }
            expect(py.len(sub)).toBe(py.len(plain));
            // The items block is the same; the subclass adds its weakref slot and pre-header.
            expect(py.sizeof(sub)).toBe(py.sizeof(plain) + 24);
          }
          expect(py.refcount(item)).toBe(1 + 2 * py.len(plain));
          py.decref(sub);
          py.decref(plain);
          expect(py.refcount(item)).toBe(1);
          py.decref(item);
          py.decref(type);
        },
      ),
      { numRuns: 60 },
    );
  });
});
