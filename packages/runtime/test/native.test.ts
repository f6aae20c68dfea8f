// Native types: the layouts a front end defines, their objects' sizes against CPython 3.11's
// (python3 asked live), their references as every collector sees them, and a model run of
// random object graphs against a plain JavaScript one.

import { spawnSync } from "node:child_process";
import { InvalidArgumentError } from "@mm/heap";
import fc from "fast-check";
import { describe, expect, it, type TestContext } from "vitest";
import {
  type CollectorName,
  Embedding,
  type NativeType,
  type NativeTypeSpec,
  PythonError,
  type Ref,
  Runtime,
  type RuntimeEvent,
  type RuntimeOptions,
} from "../src/index.js";

const quiet = { env: {}, log: () => {} } as const;

function embedded(options: RuntimeOptions = {}) {
  const rt = new Runtime({ ...quiet, ...options });
  return { rt, py: new Embedding(rt) };
}

/** python3's answer to `script` (JSON on stdout), or a skip (a failure in CI) without it. */
function askPython(ctx: TestContext, script: string): unknown {
  const python = spawnSync("python3", ["-c", script], { encoding: "utf8" });
  if (python.status !== 0) {
    if (process.env.CI) throw new Error(`python3 is needed in CI: ${python.stderr}`);
    ctx.skip(`python3 did not run: ${python.stderr || python.error?.message}`);
  }
  return JSON.parse(python.stdout);
}

describe("defining and allocating native types", () => {
  it("gives objects of CPython's layouts CPython's sys.getsizeof", (ctx) => {
    // Objects a Python front end makes, with their type's layout and size in CPython 3.11.
    const script = `
import json, sys
def f(): pass
class C:
    __slots__ = ("a", "b")
    def m(self): pass
c = C()
samples = [(lambda x: (lambda: x))(1).__closure__[0], f, c.m, range(3), iter(range(3)),
           iter([]), (1, 2, 3), (), c, property(), Exception()]
out = []
for o in samples:
    t = type(o)
    out.append({"name": t.__name__, "basic": t.__basicsize__, "item": t.__itemsize__,
                "gc": bool(t.__flags__ & (1 << 14)), "weak": t.__weakrefoffset__ != 0,
                "n": len(o) if isinstance(o, tuple) else 0, "size": sys.getsizeof(o)})
print(json.dumps(out))`;
    const samples = askPython(ctx, script) as Array<{
      name: string;
      basic: number;
      item: number;
      gc: boolean;
      weak: boolean;
      n: number;
      size: number;
    }>;
    expect(samples.length).toBe(11);
    const { rt, py } = embedded();
    for (const s of samples) {
      const type = py.defineType({
        name: s.name,
        basicSize: s.basic,
        container: s.gc,
        weakrefable: s.weak,
        // A tuple's items are references, its count is ob_size; the others get one field.
        ...(s.item > 0 ? { items: { count: 16, first: s.basic } } : { refs: [s.basic - 8] }),
      });
      const o = py.allocate(type, s.n);
      expect(py.sizeof(o), s.name).toBe(s.size);
      expect(py.typeName(o)).toBe(s.name);
      expect(py.isTracked(o)).toBe(s.gc);
      py.decref(o);
    }
    rt.verify();
  });

  it("sizes any layout as basicSize + itemSize × n, plus the GC head of a container", () => {
    const { py } = embedded();
    let n = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 40 }).map((w) => 8 * w),
        fc.constantFrom(0, 1, 2, 8, 16),
        fc.nat({ max: 30 }),
        fc.boolean(),
        (basicSize, itemSize, items, container) => {
          const type = py.defineType({ name: `T${n++}`, basicSize, itemSize, container });
          const o = py.allocate(type, itemSize > 0 ? items : 0);
          const size = basicSize + (itemSize > 0 ? itemSize * items : 0) + (container ? 16 : 0);
          expect(py.sizeof(o)).toBe(size);
          // Every byte after the head (and ob_size) is zero, whatever the block held before.
          const body = [o + (itemSize > 0 ? 24 : 16), o + size - (container ? 16 : 0)] as const;
          expect(py.memory.u8.subarray(...body).every((b) => b === 0)).toBe(true);
          py.memory.u8.fill(0xa5, ...body);
          py.decref(o);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("uses sizeOf, repr and the type name given, with a unique name in the registry", () => {
    const { rt, py } = embedded();
    const A = py.defineType({ name: "gen", basicSize: 24, repr: (o) => `<gen ${o}>` });
    const B = py.defineType({ name: "gen", basicSize: 32, sizeOf: () => 100, container: true });
    expect(A.name).toBe("gen");
    expect(B.name).toBe("gen");
    expect(A.id).not.toBe(B.id);
    expect(rt.space.types.get(B.id).name).toBe("gen#2");
    const a = py.allocate(A);
    const b = py.allocate(B);
    expect(py.typeName(b)).toBe("gen");
    expect(py.repr(a)).toBe(`<gen ${a}>`);
    expect(py.repr(b)).toBe(`<gen object at 0x${b.toString(16)}>`);
    expect(py.sizeof(b)).toBe(116);
    expect(py.typeOf(a)).toBe(A);
    expect(py.typeOf(b)).toBe(B);
    const l = py.list([]);
    expect(py.typeOf(l)).toBeUndefined();
    for (const o of [a, b, l]) py.decref(o);
  });

  it("refuses bad layouts, bad types and bad offsets with clear errors", () => {
    const { py } = embedded();
    const bad = (spec: Partial<NativeTypeSpec>) => () =>
      py.defineType({ name: "bad", basicSize: 32, ...spec });
    expect(bad({ basicSize: 8 })).toThrow(/basicSize must be a multiple of 8 of at least 16/);
    expect(bad({ refs: [8] })).toThrow(/reference field must be an 8-byte slot .* got 8/);
    expect(bad({ refs: [32] })).toThrow(/inside basicSize \(16 to 24\), got 32/);
    expect(bad({ itemSize: 8, refs: [16] })).toThrow(/after the 24-byte head/); // ob_size
    expect(bad({ refs: [20] })).toThrow(InvalidArgumentError);
    expect(bad({ refs: [16, 16] })).toThrow(/given twice/);
    expect(bad({ items: { count: 16, first: 32 }, itemSize: 16 })).toThrow(/itemSize must be 8/);
    expect(bad({ refs: [24], items: { count: 16, first: 24 } })).toThrow(/overlap/);
    expect(bad({ refs: [24], items: { count: 28, first: 32 } })).toThrow(/inside a reference/);
    expect(bad({ items: { count: 16, first: 40 } })).toThrow(/items.first/);
    expect(() => py.defineType({ name: "", basicSize: 16 })).toThrow(/non-empty name/);

    const Pair = py.defineType({ name: "pair", basicSize: 40, container: true, refs: [16, 24] });
    const Vec = py.defineType({
      name: "vec",
      basicSize: 40,
      refs: [32],
      items: { count: 24, first: 40 }, // a count of its own: the front end may lower it
    });
    const list = py.list([]);
    const listType: NativeType = { name: "list", id: py.memory.u32[(list + 8) >>> 2]! };
    expect(() => py.allocate(listType)).toThrow(TypeError);
    expect(() => py.allocate(listType)).toThrow("allocate: 'list' is not a native type");
    expect(() => py.allocate({ ...Pair })).toThrow(TypeError); // a copy is no type of the runtime
    expect(() => py.allocate(Pair, 2)).toThrow("pair is not variable-size");
    expect(() => py.allocate(Vec, -1)).toThrow(RangeError);
    const p = py.allocate(Pair);
    const v = py.allocate(Vec, 2);
    expect(() => py.getRef(p, 40)).toThrow(RangeError);
    expect(() => py.getRef(p, 40)).toThrow(
      "getRef: offset 40 is outside the 40-byte 'pair' object",
    );
    expect(() => py.setRef(p, -8, list)).toThrow(RangeError);
    expect(() => py.takeRef(p, 32, list)).toThrow(InvalidArgumentError);
    expect(() => py.takeRef(p, 32, list)).toThrow(
      "takeRef: offset 32 of a 'pair' object is not a reference slot (its reference fields are at 16, 24)",
    );
    expect(() => py.getRef(p, 17)).toThrow(InvalidArgumentError);
    // Neither ob_size nor the count is a reference.
    for (const offset of [16, 24]) {
      expect(() => py.getRef(v, offset)).toThrow(
        `getRef: offset ${offset} of a 'vec' object is not a reference slot (its reference fields are at 32, its items from 40)`,
      );
    }
    expect(() => py.getRef(v, 56)).toThrow("outside the 56-byte 'vec' object");
    expect(() => py.getRef(list, 16)).toThrow("getRef: a 'list' object is not of a native type");
    // The items that exist are reference slots; lowering the count takes the last away.
    py.setRef(v, 48, list);
    expect(py.getRef(v, 48)).toBe(list);
    py.setRef(v, 48, 0);
    py.memory.u32[(v + 24) >>> 2] = 1;
    expect(() => py.getRef(v, 48)).toThrow(InvalidArgumentError);
    expect(py.getRef(v, 40)).toBe(0);
    expect(py.refcount(list)).toBe(1); // no failed call took or kept a reference
    for (const o of [p, v, list]) py.decref(o);
  });
});

describe("native objects when the heap is exhausted", () => {
  it("raise MemoryError and leave the heap consistent", () => {
    const { rt, py } = embedded({ heapBytes: 4 << 20 });
    const Vec = py.defineType({
      name: "vec",
      basicSize: 24,
      container: true,
      items: { count: 16, first: 24 },
    });
    const chain = py.allocate(Vec, 1);
    let last = chain;
    const grow = () => {
      for (let i = 0; i < 1_000_000; i++) {
        const next = py.allocate(Vec, 1);
        py.takeRef(last, 24, next);
        last = next;
      }
    };
    expect(grow).toThrow(expect.objectContaining({ pythonType: "MemoryError" }));
    expect(() => py.allocate(Vec, 1 << 20)).toThrow(PythonError);
    rt.verify();
    py.decref(chain); // the whole chain dies, the deepest links deferred as the trashcan does
    expect(py.collect()).toBe(0);
    rt.verify();
    const big = py.allocate(Vec, 100); // the memory is back
    expect(py.sizeof(big)).toBe(16 + 24 + 800);
    py.decref(big);
  });
});

describe("references of native objects", () => {
  it("counts setRef's and takeRef's references and releases the old value", () => {
    const { rt, py } = embedded();
    const Cell = py.defineType({ name: "cell", basicSize: 24, container: true, refs: [16] });
    const c = py.allocate(Cell);
    const a = py.list([]);
    py.setRef(c, 16, a);
    expect(py.refcount(a)).toBe(2);
    expect(py.getRef(c, 16)).toBe(a);
    const b = py.list([]);
    py.takeRef(c, 16, b); // the cell now owns the caller's reference to b
    expect(py.refcount(a)).toBe(1);
    expect(py.refcount(b)).toBe(1);
    py.setRef(c, 16, 0);
    expect(rt.space.isLive(b)).toBe(false);
    py.decref(a);
    py.decref(c);
    rt.verify();
  });

  it("are seen by the collectors: a cycle is collected by cpython and tracing, leaked by refcount", () => {
    for (const collector of ["cpython", "tracing", "refcount"] as const) {
      const { rt, py } = embedded({ collector });
      const Pair = py.defineType({ name: "pair", basicSize: 32, container: true, refs: [16, 24] });
      const Vec = py.defineType({
        name: "vec",
        basicSize: 24,
        container: true,
        items: { count: 16, first: 24 },
        onFree: () => {},
      });
      const before = rt.space.liveObjects;
      // pair -> vec -> list -> pair: one cycle through both paths (fields, items).
      const pair = py.allocate(Pair);
      const vec = py.allocate(Vec, 3);
      const list = py.list([pair]);
      py.takeRef(pair, 24, vec);
      py.takeRef(vec, 40, list);
      py.decref(pair);
      expect(rt.space.liveObjects).toBe(before + 3);
      const found = py.collect();
      expect([collector, found]).toEqual([collector, collector === "refcount" ? 0 : 3]);
      expect(rt.space.liveObjects).toBe(collector === "refcount" ? before + 3 : before);
      rt.verify();
    }
  });

  it("reports an exception from onFree as unraisable and frees the object all the same", () => {
    const lines: string[] = [];
    const rt = new Runtime({ env: {}, log: (l) => lines.push(l) });
    const py = new Embedding(rt);
    const T = py.defineType({
      name: "T",
      basicSize: 24,
      refs: [16],
      onFree: () => {
        throw new Error("dropped twice");
      },
    });
    const t = py.allocate(T);
    py.decref(t);
    expect(rt.space.isLive(t)).toBe(false);
    expect(lines.join("\n")).toContain(
      `<onFree of T object at 0x${t.toString(16)}>\ndropped twice`,
    );
    rt.verify();
  });

  it("releases the fields in order, then the items, then calls onFree, then frees", () => {
    const { rt, py } = embedded();
    const order: string[] = [];
    const Named = py.defineClass("Named", {
      del: (self) => order.push(py.strValue(py.getAttr(self, "n"))),
    });
    const named = (n: string) => {
      const o = py.instance(Named);
      py.setAttr(o, "n", py.constant(n));
      return o;
    };
    let freed = 0;
    const Frame = py.defineType({
      name: "frame",
      basicSize: 48,
      container: true,
      refs: [40, 24],
      items: { count: 32, first: 48 },
      onFree: (o) => {
        freed = o;
        order.push("onFree");
      },
    });
    const f = py.allocate(Frame, 3);
    for (const [offset, n] of [
      [24, "f24"],
      [40, "f40"],
      [48, "i0"],
      [64, "i2"],
    ] as const)
      py.takeRef(f, offset, named(n));
    py.decref(f);
    expect(order).toEqual(["f40", "f24", "i0", "i2", "onFree"]);
    expect(freed).toBe(f);
    expect(rt.space.isLive(f)).toBe(false);
    rt.verify();
  });

  it("takes the in-place release path only for plain field types", () => {
    const { rt, py } = embedded();
    const spec = { basicSize: 32, container: true, refs: [16, 24] } as const;
    const plain = py.defineType({ name: "plain", ...spec });
    const withFree = py.defineType({ name: "withFree", ...spec, onFree: () => {} });
    const withDel = py.defineType({ name: "withDel", ...spec, finalize: () => {} });
    const withItems = py.defineType({
      name: "vec",
      basicSize: 40,
      container: true,
      refs: [24, 32],
      items: { count: 16, first: 40 },
    });
    const release = (t: NativeType) => rt.space.types.get(t.id).release;
    expect(release(plain)).toBe("fields");
    for (const t of [withFree, withDel]) expect(release(t)).toBeUndefined();
    expect(release(withItems)).toBeUndefined();
  });

  it("lists a container's references in gc.get_referents order, a non-container's as none", () => {
    const { rt, py } = embedded();
    const Vec = py.defineType({
      name: "vec",
      basicSize: 32,
      container: true,
      refs: [24],
      items: { count: 16, first: 32 },
    });
    const Range = py.defineType({ name: "range", basicSize: 48, refs: [16, 24, 32, 40] });
    const [x, y, z] = [py.list([]), py.dict(), py.int(1000)];
    const v = py.allocate(Vec, 2);
    py.setRef(v, 24, z);
    py.setRef(v, 32, x);
    py.setRef(v, 40, y);
    const r = py.allocate(Range);
    py.setRef(r, 24, x);
    const referents = (o: Ref) => {
      using h = py.toHandle(o);
      const out = rt.gc.getReferents(h);
      const refs = out.map((r) => py.fromHandle(r));
      for (const r of out) r.release();
      return refs;
    };
    expect(referents(v)).toEqual([z, x, y]);
    expect(referents(r)).toEqual([]);
    expect(py.isTracked(r)).toBe(false);
    for (const o of [v, r, x, y, z]) py.decref(o);
    rt.verify();
  });

  it("tracks on allocation unless told not to, counting every container allocation", () => {
    const { py } = embedded();
    py.gc.disable();
    const Func = py.defineType({
      name: "function",
      basicSize: 136,
      container: true,
      trackOnCreate: false,
      refs: [16],
    });
    const Range = py.defineType({ name: "range", basicSize: 48 });
    const gen0 = () => py.gc.getCount()[0];
    const before = gen0();
    const f = py.allocate(Func);
    expect(gen0()).toBe(before + 1); // as a list's allocation
    expect(py.isTracked(f)).toBe(false);
    py.track(f);
    expect(py.isTracked(f)).toBe(true);
    expect(() => py.track(f)).toThrow(/already tracked/);
    py.untrack(f);
    expect(py.isTracked(f)).toBe(false);
    py.untrack(f); // untracking an untracked object does nothing, as PyObject_GC_UnTrack
    const r = py.allocate(Range);
    expect(gen0()).toBe(before + 1); // a non-container is not counted
    expect(() => py.track(r)).toThrow(/not a live object of a container type/);
    py.decref(r);
    py.decref(f);
  });

  it("finalizes once (PEP 442), reports its errors as unraisable, and tells observers", () => {
    const lines: string[] = [];
    const rt = new Runtime({ env: {}, log: (l) => lines.push(l) });
    const py = new Embedding(rt);
    const events: RuntimeEvent[] = [];
    py.observe((e) => events.push(e));
    const saved: Ref[] = [];
    const Gen = py.defineType({
      name: "generator",
      basicSize: 32,
      container: true,
      weakrefable: true,
      refs: [16],
      finalize: (o) => {
        if (saved.length === 0)
          saved.push(py.newRef(o)); // resurrects it, once
        else throw new PythonError("ValueError", "generator ignored GeneratorExit");
      },
    });
    const g = py.allocate(Gen);
    py.decref(g);
    expect(rt.space.isLive(g)).toBe(true);
    expect(py.isFinalized(g)).toBe(true);
    py.decref(saved.pop()!); // finalized already: it dies without running it again
    expect(rt.space.isLive(g)).toBe(false);
    const h = py.allocate(Gen);
    saved.push(0); // the next finalizer raises
    py.setRef(h, 16, h); // a self-cycle: only a collection finds it
    const w = py.weakref(h);
    py.decref(h);
    expect(py.collect()).toBe(1);
    expect(py.deref(w)).toBe(py.none);
    expect(lines.join("\n")).toContain(
      `Exception ignored in: <generator object at 0x${h.toString(16)}>\nValueError: generator ignored GeneratorExit`,
    );
    py.decref(w);
    const kinds = events.filter((e) => e.kind !== "weakref-callback").map((e) => e.kind);
    expect(kinds).toEqual(
      ["allocate", "finalize", "free", "allocate", "allocate"].concat([
        "finalize",
        "free",
        "collect",
        "free",
      ]),
    );
    expect(events.find((e) => e.kind === "finalize")).toMatchObject({ type: "generator" });
    rt.verify();
  });

  it("refuses a weak reference to a type without them, with CPython's TypeError", () => {
    const { py } = embedded();
    const Cell = py.defineType({ name: "cell", basicSize: 24, container: true, refs: [16] });
    const c = py.allocate(Cell);
    expect(() => py.weakref(c)).toThrow("cannot create weak reference to 'cell' object");
    py.decref(c);
  });

  it("gives each instance its class, the one defineClass returned", () => {
    const { rt, py } = embedded();
    const A = py.defineClass("A");
    const a = py.instance(A);
    expect(py.classOf(a)).toBe(A);
    const B = rt.defineClass("B");
    using b = rt.instance(B);
    const ref = py.classOf(py.fromHandle(b));
    expect(ref?.name).toBe("B");
    expect(py.classOf(py.fromHandle(b))).toBe(ref);
    const l = py.list([]);
    expect(py.classOf(l)).toBeUndefined();
    const T = py.defineType({ name: "T", basicSize: 16 });
    const t = py.allocate(T);
    expect(py.classOf(t)).toBeUndefined();
    for (const o of [a, l, t]) py.decref(o);
  });

  it("keeps what a non-container holds alive under tracing, until the holder dies", () => {
    const { rt, py } = embedded({ collector: "tracing" });
    const Range = py.defineType({ name: "range", basicSize: 48, refs: [16, 24, 32, 40] });
    const r = py.allocate(Range);
    const stop = py.list([]); // a container: the collector would free it if nothing said
    py.takeRef(r, 24, stop);
    const release = py.addRoots(() => [r]);
    py.collect();
    expect(rt.space.isLive(stop)).toBe(true);
    release();
    py.collect(); // the range is unreachable: it dies, its referent is a root one last time
    expect(rt.space.isLive(r)).toBe(false);
    py.collect();
    expect(rt.space.isLive(stop)).toBe(false);
    rt.verify();
  });
});

describe("a native type's cache of freed instances", () => {
  it("refuses a cache on a type it cannot keep, with clear errors", () => {
    const { py, rt } = embedded();
    const bad = (spec: Partial<NativeTypeSpec>) => () =>
      py.defineType({ name: "bad", basicSize: 32, ...spec });
    expect(bad({ cache: -1 })).toThrow(/cache must be a non-negative integer, got -1/);
    expect(bad({ cache: 1.5 })).toThrow(InvalidArgumentError);
    expect(bad({ cache: 1, items: { count: 16, first: 32 } })).toThrow(
      /only a fixed-size type without a typeObject or onFree keeps a cache/,
    );
    expect(bad({ cache: 1, onFree: () => {} })).toThrow(/without a typeObject or onFree/);
    rt.verify();
  });

  /**
   * Random makes and drops of instances of a type with a cache, against a model of the cache
   * (a stack of the blocks freed last): each instance is made in the block the model says, the
   * blocks in use are the live ones plus the cached ones, and the collector's count treats a
   * cached block as still allocated (parking it is no free, reusing it no allocation).
   */
  it("keeps the blocks freed last and makes the next instances in them, as a stack", () => {
    type Step = { make: true } | { make: false; which: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.constant({ make: true as const }),
      fc.nat().map((which) => ({ make: false as const, which })),
    );
    fc.assert(
      fc.property(
        fc.constantFrom<CollectorName>("cpython", "refcount"),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        fc.array(step, { maxLength: 60 }),
        (collector, cache, container, steps) => {
          const { py, rt } = embedded({ collector });
          py.gc.disable();
          const T = py.defineType({
            name: "kept",
            basicSize: 40,
            container,
            refs: [16, 24],
            cache,
          });
          const other = py.defineType({ name: "other", basicSize: 40, container });
          const blocks0 = rt.sys.getallocatedblocks();
          const count0 = py.gc.getCount()[0];
          const live: Ref[] = [];
          const kept: Ref[] = [];
          for (const s of steps) {
            if (s.make) {
              const o = py.allocate(T);
              const expected = kept.pop();
              if (expected !== undefined) expect(o).toBe(expected);
              // A field holds another object, released when the instance dies.
              py.takeRef(o, 16, py.allocate(other));
              live.push(o);
            } else if (live.length > 0) {
              const [o] = live.splice(s.which % live.length, 1) as [Ref];
              py.decref(o);
              if (kept.length < cache) kept.push(o);
            }
            // Blocks: each live instance and its field's object, and the cached instances.
            expect(rt.sys.getallocatedblocks() - blocks0).toBe(2 * live.length + kept.length);
            // The collector's count: containers allocated less those freed, where a cached
            // block was never freed and its reuse is no allocation.
            if (container && collector === "cpython")
              expect(py.gc.getCount()[0] - count0).toBe(2 * live.length + kept.length);
            for (const o of live) expect(py.refcount(o)).toBe(1);
            rt.verify();
          }
        },
      ),
    );
  });
});

describe("native object graphs against a plain model", () => {
  /** The types: a pair (two fields), a vec (a field and two items, onFree), a box (no GC). */
  const layouts: Array<{ spec: Omit<NativeTypeSpec, "name">; slots: number[]; items: number }> = [
    { spec: { basicSize: 32, container: true, refs: [16, 24] }, slots: [16, 24], items: 0 },
    {
      spec: { basicSize: 32, container: true, refs: [24], items: { count: 16, first: 32 } },
      slots: [24, 32, 40],
      items: 2,
    },
    { spec: { basicSize: 24, refs: [16] }, slots: [16], items: 0 },
  ];
  type Node = { id: number; type: number; edges: number[]; roots: number; address: Ref };
  /** Live nodes by id, the roots (a node once per reference), and vecs made so far. */
  type Model = { nodes: Map<number, Node>; next: number; roots: number[]; vecs: number };
  type Real = {
    py: Embedding;
    rt: Runtime;
    types: NativeType[];
    collector: CollectorName;
    /** onFree calls (vecs only). */
    freed: { count: number };
  };

  const alive = (m: Model) => [...m.nodes.keys()];
  const pick = (m: Model, i: number) => alive(m)[i % m.nodes.size]!;
  /** The references to `id`: its roots and the edges of live nodes. */
  const count = (m: Model, id: number) => {
    let n = m.nodes.get(id)!.roots;
    for (const node of m.nodes.values()) for (const e of node.edges) if (e === id) n++;
    return n;
  };
  /** Reference counting: a node whose count is zero dies and drops its edges, recursively. */
  const settle = (m: Model, r: Real, ids: number[]) => {
    if (r.collector === "tracing") return;
    const pending = [...ids];
    while (pending.length > 0) {
      const id = pending.pop()!;
      const node = m.nodes.get(id);
      if (node === undefined || count(m, id) > 0) continue;
      m.nodes.delete(id);
      pending.push(...node.edges.filter((e) => e >= 0));
    }
  };
  /** What a collection keeps: the closure over container edges from the roots and the
   * referents of every live non-container (which no collector walks: they are external). */
  const collect = (m: Model, r: Real) => {
    if (r.collector === "refcount") return;
    const isContainer = (id: number) => layouts[m.nodes.get(id)!.type]!.spec.container === true;
    const start = alive(m).filter((id) => m.nodes.get(id)!.roots > 0);
    for (const node of m.nodes.values())
      if (!layouts[node.type]!.spec.container) start.push(...node.edges.filter((e) => e >= 0));
    const kept = new Set<number>();
    while (start.length > 0) {
      const id = start.pop()!;
      if (kept.has(id)) continue;
      kept.add(id);
      if (isContainer(id)) start.push(...m.nodes.get(id)!.edges.filter((e) => e >= 0));
    }
    const dead = alive(m).filter((id) => !kept.has(id));
    if (r.collector === "tracing") {
      for (const id of dead) m.nodes.delete(id);
      return;
    }
    // The cycle collector frees the unreachable containers; what that drops dies by its count.
    const released: number[] = [];
    for (const id of dead) {
      if (!isContainer(id)) continue;
      released.push(...m.nodes.get(id)!.edges.filter((e) => e >= 0));
      m.nodes.delete(id);
    }
    settle(m, r, released);
  };
  /** The heap against the model: the live objects of the types, their fields, their counts. */
  const check = (m: Model, r: Real) => {
    const { py, rt } = r;
    const live = [...rt.space.objects()].filter((o) => py.typeOf(o) !== undefined);
    const expected = [...m.nodes.values()].map((n) => n.address);
    expect(new Set(live)).toEqual(new Set(expected));
    expect(live.length).toBe(expected.length);
    // Every vec that died had its onFree called, once.
    const vecs = [...m.nodes.values()].filter((n) => n.type === 1).length;
    expect(r.freed.count).toBe(m.vecs - vecs);
    for (const node of m.nodes.values()) {
      const slots = layouts[node.type]!.slots;
      slots.forEach((offset, i) => {
        const e = node.edges[i]!;
        expect(py.getRef(node.address, offset)).toBe(e < 0 ? 0 : m.nodes.get(e)!.address);
      });
      if (r.collector !== "tracing") expect(py.refcount(node.address)).toBe(count(m, node.id));
    }
    rt.verify();
  };

  const allocate = (m: Model, r: Real, type: number, roots: number) => {
    const id = m.next++;
    if (type === 1) m.vecs++;
    const address = r.py.allocate(r.types[type]!, layouts[type]!.items);
    const node = { id, type, edges: layouts[type]!.slots.map(() => -1), roots, address };
    m.nodes.set(id, node);
    return node;
  };
  type Command = fc.Command<Model, Real>;
  const command = (
    label: () => string,
    run: (m: Model, r: Real) => void,
    guard: (m: Readonly<Model>) => boolean = (m) => m.nodes.size > 0,
  ): Command => ({
    check: guard,
    run: (m, r) => {
      run(m, r);
      check(m, r);
    },
    toString: label,
  });
  const type = fc.nat(layouts.length - 1);
  const commands = [
    type.map((t) =>
      command(
        () => `allocate(${t})`,
        (m, r) => {
          const node = allocate(m, r, t, 1);
          m.roots.push(node.id);
        },
        () => true,
      ),
    ),
    fc.tuple(fc.nat(), fc.nat(), type).map(([i, s, t]) =>
      command(
        () => `takeRef(${i}, slot ${s}, allocate(${t}))`,
        (m, r) => {
          const holder = m.nodes.get(pick(m, i))!;
          const slot = s % holder.edges.length;
          const old = holder.edges[slot]!;
          const node = allocate(m, r, t, 0);
          holder.edges[slot] = node.id;
          r.py.takeRef(holder.address, layouts[holder.type]!.slots[slot]!, node.address);
          settle(m, r, [old]);
        },
      ),
    ),
    fc.tuple(fc.nat(), fc.nat(), fc.option(fc.nat(), { freq: 4 })).map(([i, s, j]) =>
      command(
        () => `setRef(${i}, slot ${s}, ${j ?? "empty"})`,
        (m, r) => {
          const holder = m.nodes.get(pick(m, i))!;
          const slot = s % holder.edges.length;
          const old = holder.edges[slot]!;
          const target = j === null ? -1 : pick(m, j);
          holder.edges[slot] = target;
          const value = target < 0 ? 0 : m.nodes.get(target)!.address;
          r.py.setRef(holder.address, layouts[holder.type]!.slots[slot]!, value);
          settle(m, r, [old]);
        },
      ),
    ),
    fc.nat().map((i) =>
      command(
        () => `hold(${i})`,
        (m, r) => {
          const id = pick(m, i);
          m.nodes.get(id)!.roots++;
          m.roots.push(id);
          r.py.incref(m.nodes.get(id)!.address);
        },
      ),
    ),
    fc.nat().map((k) =>
      command(
        () => `drop(${k})`,
        (m, r) => {
          const [id] = m.roots.splice(k % m.roots.length, 1) as [number];
          const node = m.nodes.get(id)!;
          node.roots--;
          r.py.decref(node.address);
          settle(m, r, [id]);
        },
        (m) => m.roots.length > 0,
      ),
    ),
    fc.constant(
      command(
        () => "collect()",
        (m, r) => {
          r.py.collect();
          collect(m, r);
        },
        () => true,
      ),
    ),
  ];

  it("hold exactly what the model holds, with its counts, under every collector", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<CollectorName>("cpython", "refcount", "tracing"),
        fc.commands(commands, { maxCommands: 40 }),
        (collector, cmds) => {
          const { rt, py } = embedded({ collector });
          py.gc.disable(); // collections only when the commands say
          const model: Model = { nodes: new Map(), next: 0, roots: [], vecs: 0 };
          const freed = { count: 0 };
          const types = layouts.map((l, i) =>
            py.defineType({
              name: `node${i}`,
              ...l.spec,
              ...(i === 1 ? { onFree: () => void freed.count++ } : {}),
            }),
          );
          // The model's roots are the collector's (the counts hold them under the others).
          py.addRoots(() => model.roots.map((id) => model.nodes.get(id)!.address));
          const real: Real = { py, rt, types, collector, freed };
          fc.modelRun(() => ({ model, real }), cmds);
          // Tear down: drop every root and collect; under reference counting alone, exactly
          // the nodes on or below a cycle stay.
          for (const id of model.roots.splice(0)) {
            const node = model.nodes.get(id)!;
            node.roots--;
            py.decref(node.address);
            settle(model, real, [id]);
          }
          // A tracing collector frees what a dead non-container held one collection later.
          for (let size = -1; size !== model.nodes.size; ) {
            size = model.nodes.size;
            py.collect();
            collect(model, real);
            check(model, real);
          }
          // Collectors free every cycle of containers: what stays hangs on a non-container,
          // which no collector walks (CPython leaks such a cycle too).
          const boxes = [...model.nodes.values()].filter((n) => n.type === 2);
          if (collector !== "refcount" && boxes.length === 0) expect(model.nodes.size).toBe(0);
        },
      ),
      { numRuns: 80 },
    );
  });
});
