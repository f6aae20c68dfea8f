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

describe("subclasses of int, float, str and tuple", () => {
  it("lays instances out as type_new does: var-sized bases keep the dict after the items", () => {
    const { py } = embedded();
    const type = py.allocate(metaType(py));
    const size = (
      base: SubtypeBase,
      value: number | bigint | string | readonly Ref[],
      options: { dict?: boolean; weakref?: boolean; fields?: number } = {},
    ) => {
      const cls = py.defineSubtype(base, "C", { typeObject: type, ...options });
      const o = py.subtypeInstance(cls, value);
      const n = py.sizeof(o);
      expect(py.isTracked(o)).toBe(true);
      py.decref(o);
      return n;
    };
    // sys.getsizeof in CPython 3.11 of I(0), I(5), I(2**40), I(2**70) for `class I(int): pass`,
    // S(''), S('abc'), S('é'), S('€') for `class S(str): pass`, and so on; the `__slots__ = ()`
    // classes have neither dict nor `__weakref__`.
    expect(size("int", 0)).toBe(44);
    expect(size("int", 5)).toBe(44);
    expect(size("int", -7)).toBe(44);
    expect(size("int", 2n ** 40n)).toBe(48);
    expect(size("int", 2n ** 70n)).toBe(52);
    expect(size("int", 5, { dict: false, weakref: false })).toBe(44);
    expect(size("str", "")).toBe(113);
    expect(size("str", "abc")).toBe(116);
    expect(size("str", "é")).toBe(114);
    expect(size("str", "€")).toBe(116);
    expect(size("str", "abc", { dict: false, weakref: false })).toBe(100);
    expect(size("str", "abc", { dict: false, weakref: false, fields: 1 })).toBe(100);
    const one = py.int(1000);
    expect(size("tuple", [])).toBe(48);
    expect(size("tuple", [one, one])).toBe(64);
    expect(size("tuple", [one, one, one])).toBe(72);
    expect(size("tuple", [one, one], { dict: false, weakref: false })).toBe(56);
    expect(size("float", 1.5)).toBe(64);
    expect(size("float", 1.5, { dict: false, weakref: false })).toBe(40);
    expect(size("float", 1.5, { dict: false, weakref: false, fields: 1 })).toBe(48);
    expect(py.refcount(one)).toBe(1);
    py.decref(one);
    py.decref(type);
  });

  it("refuses __slots__ fields on int and tuple, and values the base does not hold", () => {
    const { py } = embedded();
    const type = py.allocate(metaType(py));
    expect(() => py.defineSubtype("int", "I", { typeObject: type, fields: 1 })).toThrow(
      /nonempty __slots__ not supported for subtype of 'int'/,
    );
    expect(() => py.defineSubtype("tuple", "T", { typeObject: type, fields: 2 })).toThrow(
      TypeError,
    );
    const I = py.defineSubtype("int", "I", { typeObject: type });
    const S = py.defineSubtype("str", "S", { typeObject: type });
    expect(() => py.subtypeInstance(I, "5")).toThrow(TypeError);
    expect(() => py.subtypeInstance(I, 1.5)).toThrow(TypeError);
    expect(() => py.subtypeInstance(S, 5)).toThrow(TypeError);
    // int and tuple subclasses take no weak references (type_new's may_add_weak).
    const i = py.subtypeInstance(I, 7);
    expect(() => py.weakref(i)).toThrow(/cannot create weak reference/);
    py.decref(i);
    py.decref(type);
  });

  it("reads as the base, hashes and compares keys as the base unless told not to", () => {
    const { py } = embedded();
    const type = py.allocate(metaType(py));
    const I = py.defineSubtype("int", "I", { typeObject: type });
    const F = py.defineSubtype("float", "F", { typeObject: type });
    const S = py.defineSubtype("str", "S", { typeObject: type });
    const T = py.defineSubtype("tuple", "T", { typeObject: type });
    const Own = py.defineSubtype("int", "Own", { typeObject: type, keys: false });
    const i = py.subtypeInstance(I, 12345678901234567890n);
    const f = py.subtypeInstance(F, 2.5);
    const s = py.subtypeInstance(S, "héllo €");
    const k = py.str("k");
    const t = py.subtypeInstance(T, [k, i]);
    expect(py.intValue(i)).toBe(12345678901234567890n);
    expect(py.floatValue(f)).toBe(2.5);
    expect(py.strValue(s)).toBe("héllo €");
    expect(py.items(t)).toEqual([k, i]);
    expect(py.builtinName(s)).toBe("str");
    expect(py.typeName(s)).toBe("S");
    const plain = [py.int(12345678901234567890n), py.float(2.5), py.str("héllo €")];
    for (const [sub, exact] of [
      [i, plain[0]!],
      [f, plain[1]!],
      [s, plain[2]!],
    ] as const) {
      expect(py.hash(sub)).toBe(py.hash(exact));
      expect(py.keysEqual(sub, exact)).toBe(true);
    }
    const exactTuple = py.tuple([k, plain[0]!]);
    expect(py.hash(t)).toBe(py.hash(exactTuple));
    // A dict finds the subclass's key by the exact object's value.
    const d = py.dict();
    py.setItem(d, s, k);
    expect(py.dictGet(d, plain[2]!)).toBe(k);
    // Keys of a class that overrides __hash__ or __eq__ go through the protocol.
    const own = py.subtypeInstance(Own, 3);
    py.setKeyProtocol({ hash: () => 99, equals: () => false });
    expect(py.hash(own)).toBe(99n);
    // PyUnicode_Concat copies a subclass's instance when the other operand is empty.
    const empty = py.str("");
    const copy = py.strConcat(s, empty);
    expect(copy).not.toBe(s);
    expect(py.typeName(copy)).toBe("str");
    expect(py.strValue(copy)).toBe("héllo €");
    const both = py.strConcat(s, s);
    expect(py.strValue(both)).toBe("héllo €héllo €");
    for (const o of [i, f, s, t, own, d, exactTuple, copy, both, empty, ...plain]) py.decref(o);
    expect(py.refcount(k)).toBe(1);
    py.decref(k);
    py.decref(type);
  });

  it("gives a str subclass's characters a block of their own, and frees it with the object", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "binary", maxLength: 40 }), { maxLength: 12 }),
        (values) => {
          const { py } = embedded();
          const type = py.allocate(metaType(py));
          const S = py.defineSubtype("str", "S", { typeObject: type });
          const before = py.sys.getallocatedblocks();
          const made = values.map((v) => py.subtypeInstance(S, v));
          // The object and its characters: two blocks each.
          expect(py.sys.getallocatedblocks() - before).toBe(2 * values.length);
          for (const [i, o] of made.entries()) {
            const exact = py.str(values[i]!);
            expect(py.strValue(o)).toBe(values[i]);
            expect(py.hash(o)).toBe(py.hash(exact));
            expect(py.keysEqual(o, exact)).toBe(true);
            // unicode_sizeof: the 80-byte object and (length + 1) × kind, as an exact str's
            // characters are counted after its compact header.
            // The GC head and the managed-dict header (32) are counted too.
            expect(py.sizeof(o) - py.sizeof(exact)).toBe(80 + 32 - headerOf(values[i]!));
            py.decref(exact);
          }
          for (const o of made) py.decref(o);
          expect(py.sys.getallocatedblocks()).toBe(before);
          py.decref(type);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("visits the dict, the type, then a tuple's items; releases the dict, then the items", () => {
    const { rt, py } = embedded();
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
    const T = py.defineSubtype("tuple", "T", {
      typeObject: type,
      del: () => order.push("finalizer"),
    });
    const items = [probe("item0"), probe("item1")];
    const t = py.subtypeInstance(T, items);
    for (const p of items) py.decref(p);
    const d = py.subtypeDict(t);
    const attr = probe("dict");
    py.setItem(d, py.str("x"), attr);
    py.decref(attr);
    expect(referents(rt, py, t)).toEqual([d, type, items[1], items[0]]);
    py.decref(t);
    expect(order).toEqual(["finalizer", "dict", "item1", "item0"]);
    // A plain tuple made next is no parked subclass block.
    const again = py.tuple([py.none, py.none]);
    expect(py.typeName(again)).toBe("tuple");
    py.decref(again);
    py.decref(type);
  });

  for (const collector of ["cpython", "tracing"] as const) {
    it(`lets the ${collector} collector free cycles through an int's dict and a tuple's items`, () => {
      const { py } = embedded(collector);
      const type = py.allocate(metaType(py));
      using kept = py.toHandle(type);
      const I = py.defineSubtype("int", "I", { typeObject: type });
      const T = py.defineSubtype("tuple", "T", { typeObject: type });
      const S = py.defineSubtype("str", "S", { typeObject: type });
      const i = py.subtypeInstance(I, 2n ** 100n);
      const key = py.str("me");
      py.setItem(py.subtypeDict(i), key, i);
      const holder = py.list([]);
      const t = py.subtypeInstance(T, [holder]);
      py.append(holder, t);
      const s = py.subtypeInstance(S, "text");
      py.setItem(py.subtypeDict(s), key, s);
      py.decref(key);
      const before = py.refcount(type);
      py.decref(holder);
      for (const o of [i, t, s]) py.decref(o);
      py.collect();
      // The three instances are gone: their references to the class with them.
      expect(py.refcount(type)).toBe(before - 3);
      expect(kept.live).toBe(true);
      py.decref(type);
    });
  }
});

/** The compact header of an exact str of `value`: 48 bytes for ASCII, 72 otherwise. */
function headerOf(value: string): number {
  return [...value].every((c) => c.codePointAt(0)! < 128) ? 48 : 72;
}

describe("subclasses of frozenset", () => {
  it("hold their items, hash and compare as frozensets, and make frozensets from operations", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -50, max: 50 }), { maxLength: 20 }),
        (values) => {
          const { rt, py } = embedded();
          const type = py.allocate(metaType(py));
          const F = py.defineSubtype("frozenset", "F", { typeObject: type });
          const items = values.map((v) => py.int(v));
          const f = py.subtypeInstance(F, items);
          const exact = py.frozenset(items);
          // frozenset's own size and the managed-dict pre-header (16 bytes), no added
          // `__weakref__` slot (frozenset has its weak reference list): 232 as in CPython.
          expect(py.sizeof(f)).toBe(py.sizeof(exact) + 16);
          expect(py.len(f)).toBe(values.length);
          expect(py.hash(f)).toBe(py.hash(exact));
          expect(py.keysEqual(f, exact)).toBe(true);
          expect(py.typeName(f)).toBe("F");
          // An operation on the subclass's instance makes an exact frozenset.
          const union = py.setOperation("|", f, exact);
          expect(py.typeName(union)).toBe("frozenset");
          // frozenset(f) copies a subclass's instance; an exact one is itself.
          const copy = py.setFrom(f, true);
          expect(copy).not.toBe(f);
          expect(py.typeName(copy)).toBe("frozenset");
          expect(referents(rt, py, f)).toEqual([type, ...py.setItems(f)]);
          for (const o of [union, copy, exact, f]) py.decref(o);
          for (const i of items) {
            expect(py.refcount(i)).toBe(1);
            py.decref(i);
          }
          py.decref(type);
        },
      ),
    );
  });
});

describe("subclasses of bytes", () => {
  it("lay out bytes_subtype_new's object: 33 bytes, the dict slot, the data and its NUL", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (data) => {
        const { py } = embedded();
        // The embedder's bytes: a 32-byte header, then the data and a NUL as items.
        py.defineType({ name: "bytes", basicSize: 32, itemSize: 1 });
        const type = py.allocate(metaType(py));
        const B = py.defineSubtype("bytes", "B", { typeObject: type });
        const b = py.subtypeInstance(B, [...data]);
        // bytes___sizeof__: tp_basicsize (33 + 8 for the dict) and one byte per item; the GC head.
        expect(py.sizeof(b)).toBe(41 + data.length + 16);
        const u8 = py.memory.u8;
        expect(py.memory.u32[(b + 16) >>> 2]).toBe(data.length);
        expect([...u8.slice(b + 32, b + 32 + data.length)]).toEqual([...data]);
        expect(u8[b + 32 + data.length]).toBe(0);
        // The dict goes after the data, at _PyObject_VAR_SIZE(type, size) - 8.
        const d = py.subtypeDict(b);
        expect([...u8.slice(b + 32, b + 32 + data.length)]).toEqual([...data]);
        expect(py.typeName(d)).toBe("dict");
        py.decref(b);
        py.decref(type);
      }),
    );
  });
});

describe("an int subclass instance with a dict", () => {
  it("keeps its value whatever its size, the dict after the digits", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }), (value) => {
        const { py } = embedded();
        const type = py.allocate(metaType(py));
        const I = py.defineSubtype("int", "I", { typeObject: type });
        const i = py.subtypeInstance(I, value);
        const attr = py.str("attribute");
        py.setItem(py.subtypeDict(i), attr, attr);
        const exact = py.int(value);
        expect(BigInt(py.intValue(i))).toBe(value);
        expect(py.sizeof(i)).toBe(py.sizeof(exact) + 16);
        expect(py.hash(i)).toBe(py.hash(exact));
        expect(py.refcount(attr)).toBe(3);
        py.decref(i);
        expect(py.refcount(attr)).toBe(1);
        py.decref(attr);
        py.decref(exact);
        py.decref(type);
      }),
      { numRuns: 80 },
    );
  });
});

describe("subclasses of a native type", () => {
  it("extend the native object, keep its onFree and sizeOf, and are containers", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 200 }),
        (weakrefable, dict, fields, extra) => {
          const { rt, py } = embedded();
          const type = py.allocate(metaType(py));
          const freed: Ref[] = [];
          // A stand-in for bytearray: 56 bytes, a buffer counted by sizeOf, let go by onFree.
          const base = py.defineType({
            name: "buf",
            basicSize: 56,
            weakrefable,
            sizeOf: () => 56 + extra,
            onFree: (o) => freed.push(o),
          });
          const cls = py.defineSubtype(base, "B", { typeObject: type, fields, dict });
          expect(cls.base).toBe("native");
          const plain = py.allocate(base);
          expect(py.builtinName(plain)).toBe("buf");
          py.decref(plain);
          freed.length = 0;
          const o = py.subtypeInstance(cls);
          expect(py.builtinName(o)).toBe("buf");
          expect(py.isTracked(o)).toBe(true);
          // The base's size, the fields, a __weakref__ slot unless the base has a list, the
          // managed dict's two words and the GC head.
          const weak = weakrefable ? 0 : 8;
          expect(py.sizeof(o)).toBe(56 + extra + 8 * fields + weak + (dict ? 16 : 0) + 16);
          if (dict) {
            const d = py.subtypeDict(o);
            expect(d).not.toBe(0);
            expect(referents(rt, py, o)).toEqual([d, type]);
          } else expect(referents(rt, py, o)).toEqual([type]);
          py.decref(o);
          expect(freed).toEqual([o]);
          py.decref(type);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("hold the native base's reference fields, visit them, and release them when freed", () => {
    const { rt, py } = embedded();
    const type = py.allocate(metaType(py));
    // A stand-in for property: a container whose fields the heap releases in place.
    const base = py.defineType({ name: "prop", basicSize: 40, container: true, refs: [16, 24] });
    const cls = py.defineSubtype(base, "P", { typeObject: type });
    const o = py.subtypeInstance(cls);
    const a = py.list([]);
    const b = py.list([]);
    py.setRef(o, 16, a);
    py.takeRef(o, 24, b);
    expect(py.getRef(o, 24)).toBe(b);
    expect(py.refcount(a)).toBe(2);
    const d = py.subtypeDict(o);
    // subtype_traverse: the dict, the type, then the base's fields.
    expect(referents(rt, py, o)).toEqual([d, type, a, b]);
    py.decref(o);
    expect(py.refcount(a)).toBe(1);
    py.decref(a);
    py.decref(type);
  });

  it("refuses a native type of another runtime", () => {
    const { py } = embedded();
    const other = embedded().py.defineType({ name: "x", basicSize: 16 });
    const type = py.allocate(metaType(py));
    expect(() => py.defineSubtype(other, "X", { typeObject: type })).toThrow(TypeError);
  });
});
