import { describe, expect, it } from "vitest";
import {
  FreeStore,
  GC_HEAD_SIZE,
  GC_NEXT,
  HeapCorruptionError,
  InvalidAddressError,
  InvalidArgumentError,
  Memory,
  MemoryPageSource,
  OB_FLAGS,
  OB_REFCNT,
  OB_SIZE,
  OB_TYPE,
  ObjectFlags,
  ObjectSpace,
  TypeFlags,
  TypeRegistry,
  type TypeSpec,
  UnknownTypeError,
} from "../src/index.js";

function setup() {
  const allocator = new FreeStore(new MemoryPageSource(new Memory({ maximumBytes: 16 << 20 })));
  const types = new TypeRegistry();
  const space = new ObjectSpace(allocator, types);
  const u32 = () => space.memory.u32;
  const pair = types.register({
    name: "pair",
    basicSize: 32,
    flags: TypeFlags.Gc,
    traverse: (o, visit, arg) =>
      visit(u32()[(o + 16) >>> 2]!, arg) || visit(u32()[(o + 24) >>> 2]!, arg),
  });
  const float = types.register({ name: "float", basicSize: 24 });
  const tuple = types.register({
    name: "tuple",
    basicSize: 24,
    itemSize: 8,
    flags: TypeFlags.Gc,
    traverse: () => 0,
  });
  return { allocator, types, space, pair, float, tuple };
}

describe("TypeRegistry", () => {
  it("numbers types from 1 and derives the pre-header size", () => {
    const { types, pair, float } = setup();
    expect(pair.id).toBe(1);
    expect(float.id).toBe(2);
    expect(pair.preHeaderSize).toBe(GC_HEAD_SIZE);
    expect(float.preHeaderSize).toBe(0);
    expect(types.get(1)).toBe(pair);
    expect(types.byName("float")).toBe(float);
    expect(() => types.get(0)).toThrow(UnknownTypeError);
    expect(() => types.get(99)).toThrow(/unknown type id 99/);
  });

  it("gives every descriptor the same fields in the same order, whatever the spec omits", () => {
    const { types } = setup();
    const bare = types.register({ name: "bare", basicSize: 16 });
    const full = types.register({
      name: "full",
      basicSize: 32,
      flags: TypeFlags.Gc | TypeFlags.HasFinalizer,
      extraPreHeaderSize: 16,
      pointers: { fields: [16] },
      traverse: () => 0,
      clear: () => {},
      dealloc: () => {},
      finalize: () => {},
      sizeOf: () => 32,
    });
    expect(Object.keys(bare)).toEqual(Object.keys(full));
    expect(bare.sizeOf).toBeUndefined();
    expect(bare.dealloc).toBeUndefined();
    expect(bare.pointers).toBeUndefined();
    expect(full.extraPreHeaderSize).toBe(16);
  });

  it("keeps a pointer map's entry table, checked, and refuses one that misplaces its slots", () => {
    const { types } = setup();
    const general = { stride: 24, key: 8, value: 16, visitKey: true };
    const unicode = { stride: 16, key: 0, value: 8, visitKey: false };
    const table = {
      block: 32,
      count: 24,
      index: 32,
      indexBytesLog2: 9,
      layoutByte: 10,
      layouts: [general, unicode] as const,
    };
    const dict = types.register({ name: "dict", basicSize: 48, pointers: { table } });
    expect(dict.pointers?.table).toEqual(table);
    expect(Object.isFrozen(dict.pointers?.table)).toBe(true);
    const refused = (name: string, changed: object) =>
      expect(() =>
        types.register({ name, basicSize: 48, pointers: { table: { ...table, ...changed } } }),
      );
    refused("outside", { block: 48 }).toThrow(
      "outside.pointers.table.block must be a multiple of 4 inside the object after its head, got 48",
    );
    refused("wide", { layouts: [{ ...general, value: 24 }, unicode] }).toThrow(
      "wide.pointers.table.layouts[0]: key and value must be two slots of an entry",
    );
    refused("odd", { layouts: [general, { ...unicode, stride: 6 }] }).toThrow(
      "odd.pointers.table.layouts[1].stride must be a positive multiple of 4, got 6",
    );
    refused("byte", { layoutByte: -1 }).toThrow(
      "byte.pointers.table.layoutByte must be a byte offset, got -1",
    );
  });

  it("refuses inconsistent specs", () => {
    const types = new TypeRegistry();
    expect(() => types.register({ name: "", basicSize: 16 })).toThrow(InvalidArgumentError);
    expect(() => types.register({ name: "small", basicSize: 8 })).toThrow(/16-byte head/);
    expect(() => types.register({ name: "var", basicSize: 16, itemSize: 8 })).toThrow(
      /24-byte head/,
    );
    expect(() => types.register({ name: "gc", basicSize: 16, flags: TypeFlags.Gc })).toThrow(
      /traverse function or a pointer map/,
    );
    expect(() =>
      types.register({ name: "fin", basicSize: 16, flags: TypeFlags.HasFinalizer }),
    ).toThrow(/finalize/);
    expect(() => types.register({ name: "odd", basicSize: 16, extraPreHeaderSize: 8 })).toThrow(
      /multiple of 16/,
    );
    for (const hook of ["traverse", "clear", "dealloc", "finalize", "sizeOf"]) {
      expect(() =>
        types.register({ name: `bad-${hook}`, basicSize: 16, [hook]: 42 } as unknown as TypeSpec),
      ).toThrow(new RegExp(`bad-${hook}\\.${hook} must be a function, got number`));
    }
    types.register({ name: "ok", basicSize: 16 });
    expect(() => types.register({ name: "ok", basicSize: 16 })).toThrow(/already registered/);
    // A heap type's instances refer to their type: they must be containers, the type an object.
    expect(() => types.register({ name: "heap", basicSize: 16, typeObject: 64 })).toThrow(
      /typeObject needs a GC type/,
    );
    const gc = { basicSize: 16, flags: TypeFlags.Gc, traverse: () => 0 } as const;
    expect(() => types.register({ name: "odd-type", ...gc, typeObject: 72 })).toThrow(
      /typeObject must be an object's address or 0, got 72/,
    );
    const heap = types.register({ name: "heap", ...gc, typeObject: 64, typeObjectFirst: true });
    expect([heap.typeObject, heap.typeObjectFirst]).toEqual([64, true]);
    expect([types.get(heap.id - 1).typeObject, types.get(heap.id - 1).typeObjectFirst]).toEqual([
      0,
      false,
    ]);
  });
});

describe("pointer maps", () => {
  it("accepts a GC type described by a pointer map alone, and fills in the defaults", () => {
    const types = new TypeRegistry();
    const node = types.register({
      name: "node",
      basicSize: 32,
      flags: TypeFlags.Gc,
      pointers: { fields: [16, 24] },
    });
    expect(node.traverse).toBeUndefined();
    expect(node.pointers).toEqual({ fields: [16, 24] });
    const list = types.register({
      name: "list",
      basicSize: 40,
      flags: TypeFlags.Gc,
      pointers: { items: { block: 24, count: 16, first: 0 } },
    });
    expect(list.pointers).toEqual({
      fields: [],
      items: { block: 24, count: 16, countInBlock: false, first: 0, stride: 8, reverse: false },
    });
    const tuple = types.register({
      name: "tuple",
      basicSize: 24,
      itemSize: 8,
      flags: TypeFlags.Gc,
      pointers: { items: { count: 16, first: 24, reverse: true } },
    });
    expect(tuple.pointers?.items).toEqual({
      count: 16,
      countInBlock: false,
      first: 24,
      stride: 8,
      reverse: true,
    });
    const instance = types.register({
      name: "instance",
      basicSize: 24,
      extraPreHeaderSize: 16,
      flags: TypeFlags.Gc,
      pointers: { items: { block: -24, count: 0, countInBlock: true, first: 8 } },
    });
    expect(instance.pointers?.items?.block).toBe(-24);
    expect(Object.isFrozen(instance.pointers)).toBe(true);
    expect(Object.isFrozen(instance.pointers?.items)).toBe(true);
  });

  it("copies the map, so that changing the spec afterwards changes nothing", () => {
    const types = new TypeRegistry();
    const fields = [16, 24];
    const node = types.register({ name: "n", basicSize: 32, pointers: { fields } });
    fields.push(8);
    expect(node.pointers?.fields).toEqual([16, 24]);
  });

  it.each([
    ["a field in the object head", { fields: [8] }, /fields\[0\]/],
    ["a field past the object", { fields: [32] }, /fields\[0\]/],
    ["a misaligned field", { fields: [18] }, /fields\[0\]/],
    ["a field in the GC head", { fields: [-8] }, /fields\[0\]/],
    ["a fractional field", { fields: [16.5] }, /fields\[0\]/],
    ["a field named twice", { fields: [24, 16, 24] }, /fields\[2\] names offset 24 a second/],
    ["inline items of a fixed-size type", { items: { count: 16, first: 24 } }, /itemSize/],
    [
      "a count in a block without a block",
      { items: { count: 16, first: 24, countInBlock: true } },
      /countInBlock/,
    ],
    ["a zero stride", { items: { count: 16, block: 24, first: 0, stride: 0 } }, /stride/],
    ["a misaligned stride", { items: { count: 16, block: 24, first: 0, stride: 6 } }, /stride/],
    ["a negative block offset", { items: { count: 16, block: 24, first: -8 } }, /items\.first/],
    [
      "a block slot outside the object",
      { items: { count: 16, block: 40, first: 0 } },
      /items\.block/,
    ],
  ])("refuses %s", (_what, pointers, message) => {
    const types = new TypeRegistry();
    expect(() =>
      types.register({ name: "t", basicSize: 32, flags: TypeFlags.Gc, pointers }),
    ).toThrow(message);
    expect(types.all()).toHaveLength(0);
  });

  it("places extra pre-header fields before the GC head only", () => {
    const types = new TypeRegistry();
    const spec = (fields: number[]) => ({
      name: `t${fields.join("_")}`,
      basicSize: 24,
      extraPreHeaderSize: 16,
      flags: TypeFlags.Gc,
      pointers: { fields },
    });
    expect(types.register(spec([-32, -24])).pointers?.fields).toEqual([-32, -24]);
    expect(() => types.register(spec([-16]))).toThrow(InvalidArgumentError);
    expect(() => types.register(spec([-40]))).toThrow(InvalidArgumentError);
    const plain = types.register({ ...spec([-16, -8]), name: "plain", flags: 0 });
    expect(plain.pointers?.fields).toEqual([-16, -8]);
  });
});

describe('release: "fields"', () => {
  const spec = {
    name: "slots",
    basicSize: 32,
    flags: TypeFlags.Gc,
    pointers: { fields: [16, 24] },
    release: "fields" as const,
  };

  it("marks the instances of a type without a finalizer, and only those", () => {
    const { space, types, float } = setup();
    const slots = types.register(spec);
    const mortal = types.register({
      ...spec,
      name: "with-del",
      flags: TypeFlags.Gc | TypeFlags.HasFinalizer,
      finalize: () => {},
    });
    expect(slots.release).toBe("fields");
    expect(float.release).toBeUndefined();
    const flags = (o: number) => space.memory.u32[(o + OB_FLAGS) >>> 2]!;
    expect(flags(space.allocate(slots.id)) & ObjectFlags.ReleasesFields).toBe(
      ObjectFlags.ReleasesFields,
    );
    expect(flags(space.allocate(mortal.id)) & ObjectFlags.ReleasesFields).toBe(0);
    expect(flags(space.allocate(float.id)) & ObjectFlags.ReleasesFields).toBe(0);
  });

  it.each([
    ["another value", { release: "slots" }, /must be "fields"/],
    ["no pointer map", { pointers: undefined, traverse: (): number => 0 }, /at least one field/],
    [
      "a map without fields",
      { pointers: { fields: [] }, traverse: (): number => 0 },
      /at least one field/,
    ],
    [
      "a map with items",
      { itemSize: 8, basicSize: 40, pointers: { fields: [16], items: { count: 24, first: 32 } } },
      /no items/,
    ],
    ["a clear function", { clear: () => {} }, /give neither/],
    ["a dealloc function", { dealloc: () => {} }, /give neither/],
  ])("refuses %s", (_what, change, message) => {
    const types = new TypeRegistry();
    expect(() => types.register({ ...spec, ...change } as TypeSpec)).toThrow(message);
    expect(types.all()).toHaveLength(0);
  });
});

describe("ObjectSpace", () => {
  it("allocates an object with CPython's header after its GC head", () => {
    const { space, pair, float } = setup();
    const o = space.allocate(pair.id);
    const u32 = space.memory.u32;
    expect(o % 16).toBe(0);
    expect(u32[(o + OB_REFCNT) >>> 2]).toBe(1);
    expect(u32[(o + OB_TYPE) >>> 2]).toBe(pair.id);
    expect(u32[(o + OB_FLAGS) >>> 2]).toBe(ObjectFlags.GcHead);
    expect(u32[(o + GC_NEXT) >>> 2]).toBe(0);
    expect(u32[(space.allocate(float.id) + OB_FLAGS) >>> 2]).toBe(0);
    expect(space.allocator.usableSize(o - GC_HEAD_SIZE)).toBeGreaterThanOrEqual(48);
    expect(space.sizeOf(o)).toBe(32);
    expect(space.typeOf(o)).toBe(pair);
  });

  it("counts deaths carried out over its live bitmap elsewhere as freeOwnType counts them", () => {
    const { space, allocator, pair, float } = setup();
    const done = setup();
    const made = [pair, float, pair].map((t) => [space.allocate(t.id), done.space.allocate(t.id)]);
    // One side frees by freeOwnType, the other as a module over the memory would: the live bit
    // at liveBitsAddress, the block to the allocator, then the counts.
    for (const [i, [o, p]] of made.entries()) {
      const type = i === 1 ? float : pair;
      space.freeOwnType(o!, type);
      const bits = new Uint32Array(done.space.memory.buffer, done.space.liveBitsAddress);
      bits[p! >>> 9] = bits[p! >>> 9]! ^ (1 << ((p! >>> 4) & 31));
      done.allocator.free(p! - type.preHeaderSize);
    }
    done.space.countFreedElsewhere(3, 2);
    expect(done.space.liveObjects).toBe(space.liveObjects);
    expect(done.space.containersFreed).toBe(space.containersFreed);
    expect(done.space.containersFreed).toBe(2);
    done.space.verify();
    expect(allocator.stats()).toEqual(done.allocator.stats());
    for (const bad of [
      () => done.space.countFreedElsewhere(1, 2),
      () => done.space.countFreedElsewhere(-1, 0),
      () => done.space.countFreedElsewhere(0.5, 0),
      () => done.space.countFreedElsewhere(done.space.liveObjects + 1, 0),
    ]) {
      expect(bad).toThrow(/countFreedElsewhere/);
    }
    expect(done.space.liveObjects).toBe(space.liveObjects);
  });

  it("reads and writes fields, and traverses them through the type", () => {
    const { space, pair, float } = setup();
    const a = space.allocate(float.id);
    const b = space.allocate(float.id);
    const p = space.allocate(pair.id);
    space.memory.u32[(p + 16) >>> 2] = a;
    space.memory.u32[(p + 24) >>> 2] = b;
    space.memory.f64[(a + 16) >>> 3] = 2.5;
    const seen: number[] = [];
    pair.traverse!(
      p,
      (ref) => {
        seen.push(ref);
        return 0;
      },
      0,
    );
    expect(seen).toEqual([a, b]);
    expect(space.memory.f64[(a + 16) >>> 3]).toBe(2.5);
  });

  it("keeps ob_size for variable-size objects and sizes them by item count", () => {
    const { space, tuple } = setup();
    const t = space.allocate(tuple.id, 3);
    expect(space.memory.u32[(t + OB_SIZE) >>> 2]).toBe(3);
    expect(space.itemCount(t)).toBe(3);
    expect(space.sizeOf(t)).toBe(48);
  });

  it("sizes an object by its type's sizeOf when the type has one", () => {
    const { space, types } = setup();
    // A list-like type: a fixed head and a separate block of `allocated` 8-byte slots at +24.
    const list = types.register({
      name: "growable",
      basicSize: 32,
      sizeOf: (o) => 32 + 8 * space.memory.u32[(o + 24) >>> 2]!,
    });
    const l = space.allocate(list.id, 0);
    expect(space.sizeOf(l)).toBe(32);
    space.memory.u32[(l + 24) >>> 2] = 5;
    expect(space.sizeOf(l)).toBe(72);
  });

  it("marks instances of an immortal type immortal", () => {
    const { types, space } = setup();
    const none = types.register({
      name: "NoneType",
      basicSize: 16,
      flags: TypeFlags.ImmortalInstances,
    });
    expect(space.hasFlag(space.allocate(none.id), ObjectFlags.Immortal)).toBe(true);
  });

  it("knows which addresses are live objects, in O(1)", () => {
    const { space, pair, float } = setup();
    const a = space.allocate(pair.id);
    const b = space.allocate(float.id);
    expect(space.isLive(a)).toBe(true);
    expect(space.isLive(a + 16)).toBe(false);
    expect(space.isLive(0)).toBe(false);
    expect([...space.objects()]).toEqual([a, b].sort((x, y) => x - y));
    space.free(a);
    expect(space.isLive(a)).toBe(false);
    expect(space.liveObjects).toBe(1);
    expect(() => space.typeOf(a)).toThrow(InvalidAddressError);
    expect(() => space.free(a)).toThrow(/no live object starts there/);
    space.verify();
    space.allocator.verify();
  });

  it("refuses numbers that only alias a live object: fractions, negatives, past 2^32", () => {
    const { space, float } = setup();
    const a = space.allocate(float.id);
    for (const bad of [
      a + 0.5,
      a - 2 ** 32,
      a + 2 ** 32,
      -a,
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ]) {
      expect(space.isLive(bad)).toBe(false);
      expect(() => space.typeOf(bad)).toThrow(InvalidAddressError);
      expect(() => space.free(bad)).toThrow(InvalidAddressError);
      expect(() => space.freeAs(bad, float)).toThrow(InvalidAddressError);
      expect(() => space.check(bad)).toThrow(`${bad} is not an unsigned 32-bit address`);
    }
    expect(space.isLive(a)).toBe(true);
    expect(space.allocator.owns(a - float.preHeaderSize)).toBe(true);
    expect(space.allocator.owns(a + 2 ** 32)).toBe(false);
    expect(space.allocator.owns(a + 0.5)).toBe(false);
    space.verify();
  });

  it("re-initialises a retired block for reuse, as a free list does", () => {
    const { space, float } = setup();
    const a = space.allocate(float.id);
    space.memory.f64[(a + 16) >>> 3] = 9;
    const block = space.retire(a);
    expect(space.isLive(a)).toBe(false);
    const again = space.initialize(block, float.id);
    expect(again).toBe(a);
    expect(space.memory.f64[(a + 16) >>> 3]).toBe(0);
    expect(space.isLive(a)).toBe(true);
  });

  it("returns 0 when memory is exhausted, and refuses unknown types", () => {
    const { space, tuple } = setup();
    expect(space.allocate(tuple.id, 4_000_000)).toBe(0);
    expect(() => space.allocate(77)).toThrow(UnknownTypeError);
    space.verify();
  });

  it("counts the containers it frees, through free or freeAs, and not the objects it retires", () => {
    const { space, pair, float } = setup();
    const objects = [pair, pair, pair, float].map((t) => space.allocate(t.id));
    expect(space.containersFreed).toBe(0);
    space.free(objects[0]!);
    space.freeAs(objects[1]!, pair);
    space.retire(objects[2]!);
    space.free(objects[3]!);
    expect(space.containersFreed).toBe(2);
  });

  it("verify() reports a pointer field that holds neither 0 nor a live object", () => {
    const { space, types, float } = setup();
    const node = types.register({
      name: "node",
      basicSize: 32,
      flags: TypeFlags.Gc,
      pointers: { fields: [16, 24] },
    });
    const n = space.allocate(node.id);
    const f = space.allocate(float.id);
    const u32 = space.memory.u32;
    u32[(n + 24) >>> 2] = f;
    space.verify();
    for (const bad of [f + 8, f + 4096]) {
      u32[(n + 24) >>> 2] = bad;
      expect(() => space.verify()).toThrow(/pointer field .*field at \+24 of a live node/);
    }
    u32[(n + 24) >>> 2] = f;
    space.free(f);
    expect(() => space.verify()).toThrow(HeapCorruptionError);
    u32[(n + 24) >>> 2] = 0;
    space.verify();
  });

  it("verify() reports an instance whose type object is not live", () => {
    const { space, types, float } = setup();
    const meta = space.allocate(float.id);
    const heap = types.register({
      name: "heap",
      basicSize: 16,
      flags: TypeFlags.Gc,
      traverse: () => 0,
      typeObject: meta,
    });
    const o = space.allocate(heap.id);
    space.verify();
    space.free(meta);
    expect(() => space.verify()).toThrow(/type object .* of a live heap is not a live object/);
    space.free(o);
    space.verify();
  });

  it("verify() reports a live object whose header was overwritten", () => {
    const { space, float } = setup();
    const a = space.allocate(float.id);
    space.memory.u32[(a + OB_TYPE) >>> 2] = 1234;
    expect(() => space.verify()).toThrow(HeapCorruptionError);
    space.memory.u32[(a + OB_TYPE) >>> 2] = float.id;
    space.verify();
  });
});

describe("ObjectSpace.resize", () => {
  it("reallocates a variable-size object: the header moves with the block, the live bit follows", () => {
    const { space, tuple, float, allocator } = setup();
    const t = space.allocate(tuple.id, 2);
    space.memory.u32[(t + 24) >>> 2] = 0xabcd;
    const before = space.liveObjects;
    const grown = space.resize(t, 200);
    expect(space.isLive(grown)).toBe(true);
    expect(space.itemCount(grown)).toBe(200);
    expect(space.memory.u32[(grown + 24) >>> 2]).toBe(0xabcd);
    expect(space.memory.u32[(grown + OB_TYPE) >>> 2]).toBe(tuple.id);
    expect(space.memory.u32[(grown + OB_REFCNT) >>> 2]).toBe(1);
    if (grown !== t) expect(space.isLive(t)).toBe(false);
    expect(space.liveObjects).toBe(before);
    expect(allocator.usableSize(grown - tuple.preHeaderSize)).toBeGreaterThanOrEqual(
      space.blockSize(tuple, 200),
    );
    const shrunk = space.resize(grown, 1);
    expect(space.itemCount(shrunk)).toBe(1);
    expect(space.memory.u32[(shrunk + 24) >>> 2]).toBe(0xabcd);
    space.verify();
    expect(() => space.resize(space.allocate(float.id), 3)).toThrow(InvalidArgumentError);
    space.free(shrunk);
    expect(() => space.resize(shrunk, 3)).toThrow(InvalidAddressError);
  });

  it("refuses to move a tracked container", () => {
    const { space, tuple } = setup();
    const t = space.allocate(tuple.id, 1);
    space.memory.u32[(t + GC_NEXT) >>> 2] = t;
    expect(() => space.resize(t, 4)).toThrow(/tracked tuple cannot move/);
  });
});
