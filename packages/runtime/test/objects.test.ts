// The object kinds: each registers a complete type, the kind table dispatches by type id, and
// every kind's sys.getsizeof is CPython 3.11's, asked of python3 live.

import { spawnSync } from "node:child_process";
import { fc } from "@fast-check/vitest";
import {
  FreeStore,
  Memory,
  MemoryPageSource,
  ObjectSpace,
  type TypeDescriptor,
  TypeFlags,
  TypeRegistry,
} from "@mm/heap";
import { FreeLists } from "@mm/pool-allocator";
import { RefCounter } from "@mm/refcount";
import { describe, expect, it, type TestContext } from "vitest";
import { type Handle, Runtime } from "../src/index.js";
import type { KindClass, KindTable, ObjectHost, ObjectKind } from "../src/objects/kind.js";
import { objectKinds } from "../src/objects/kinds.js";
import { ObjectModel } from "../src/objects/model.js";

const quiet = { env: {}, log: () => {} } as const;

/** An object layer over a bare heap and a reference counter, with no collector. */
function standalone(kinds: readonly KindClass[] = objectKinds) {
  const memory = new Memory({ maximumBytes: 16 << 20 });
  const store = new FreeStore(new MemoryPageSource(memory));
  const space = new ObjectSpace(store, new TypeRegistry());
  let model: ObjectModel | undefined;
  const rc = new RefCounter(space, { hooks: { free: (o) => model!.free(o) } });
  const host: ObjectHost = {
    space,
    mem: store,
    obj: store,
    freeLists: new FreeLists(store),
    allocate: (typeId, items) => space.allocate(typeId, items),
    track: () => {},
    isTracked: () => false,
    incref: (o) => rc.incref(o),
    decref: (o) => rc.decref(o),
    release: (o) => space.free(o),
    unraisable: (error) => {
      throw error;
    },
  };
  model = new ObjectModel(host, kinds);
  model.defineClass({ name: "Plain" });
  model.defineClass({ name: "WithDel", del: () => {} });
  model.defineClass({ name: "Legacy", legacyDel: () => {} });
  return { space, rc, model, host };
}

describe("the kind registry", () => {
  it("gives every type a kind, and every kind the hooks its type's contract requires", () => {
    const { space, model } = standalone();
    const types = space.types.all();
    expect(types.map((t) => t.name)).toEqual([
      "weakref",
      "NoneType",
      "bool",
      "int",
      "float",
      "str",
      "tuple",
      "list",
      "dict",
      "resource",
      "set",
      "frozenset",
      "Plain",
      "WithDel",
      "Legacy",
    ]);
    const missing = (type: TypeDescriptor, what: string) => `${type.name} has no ${what}`;
    for (const type of types) {
      expect(model.kindOfType(type.id), `${type.name}'s kind`).toBeDefined();
      const kind = model.kindOfType(type.id)!;
      expect(typeof kind.free, missing(type, "free")).toBe("function");
      if (type.isGc) {
        // get_referents calls traverse, so a container gives it even beside a pointer map.
        expect(type.traverse, missing(type, "traverse")).toBeTypeOf("function");
        // A container drops what it holds when it dies, and a collector breaks cycles with clear.
        if (type.name !== "tuple")
          expect(type.clear, missing(type, "clear")).toBeTypeOf("function");
        expect(type.dealloc, missing(type, "dealloc")).toBeTypeOf("function");
      } else {
        expect(type.traverse, `${type.name} is no container but visits`).toBeUndefined();
        expect(type.pointers, `${type.name} is no container but maps`).toBeUndefined();
      }
      // A variable-size type whose items are not all of itemSize bytes says how big it is.
      if (type.name === "int" || type.name === "str") {
        expect(type.sizeOf, missing(type, "sizeOf")).toBeTypeOf("function");
      }
      if ((type.flags & TypeFlags.HasFinalizer) !== 0) expect(type.finalize).toBeTypeOf("function");
      if (kind.untrack) expect(type.isGc, `${type.name} untracks but is no container`).toBe(true);
    }
    // Types that own a block outside the object say so in their size.
    for (const name of ["list", "dict", "set", "frozenset"]) {
      expect(space.types.byName(name)!.sizeOf, `${name}.sizeOf`).toBeTypeOf("function");
    }
    expect(
      model.untrackRules().map((r) => [space.types.get(r.typeId).name, r.fullCollectionsOnly]),
    ).toEqual([
      ["tuple", false],
      ["dict", true],
    ]);
  });

  it("installs a kind of one file and one line, whose objects the model frees through it", () => {
    const freed: number[] = [];
    /** A cell holding one reference, as a closure cell does (`PyCellObject`: 24 bytes). */
    class CellKind implements ObjectKind {
      readonly name = "cell";
      readonly type: TypeDescriptor;
      readonly #table: KindTable;
      constructor(table: KindTable) {
        this.#table = table;
        const memory = table.memory;
        this.type = table.register(
          {
            name: "cell",
            basicSize: 24,
            flags: TypeFlags.Gc,
            pointers: { fields: [16] },
            release: "fields",
            traverse: (o, visit, arg) => {
              const ref = memory.u32[(o + 16) >>> 2]!;
              return ref === 0 ? 0 : visit(ref, arg);
            },
          },
          this,
        );
      }
      create(content: number): number {
        const o = this.#table.alloc(this.type.id, 0);
        this.#table.host.incref(content);
        this.#table.memory.u32[(o + 16) >>> 2] = content;
        return o;
      }
      free(o: number): void {
        freed.push(o);
        this.#table.host.release(o);
      }
      repr(o: number): string {
        return `<cell at 0x${o.toString(16)}>`;
      }
    }
    const { model, rc } = standalone([...objectKinds, CellKind]);
    const cells = model.kind(CellKind);
    const list = model.newList([]);
    const cell = cells.create(list);
    expect(model.typeName(cell)).toBe("cell");
    expect(model.sizeOf(cell)).toBe(40);
    expect(model.referents(cell)).toEqual([list]);
    expect(model.repr(cell)).toBe(`<cell at 0x${cell.toString(16)}>`);
    expect(model.kindOf(cell)).toBe(cells);
    const before = model.freed;
    rc.decref(list);
    rc.decref(cell);
    expect(freed).toEqual([cell]);
    expect(model.freed - before).toBe(2);
  });

  it("refuses a kind installed twice, or used before it is installed", () => {
    expect(() => standalone([...objectKinds, objectKinds[0]!])).toThrow(/installed twice/);
    expect(() => standalone(objectKinds.slice(4))).toThrow(/must be installed before/);
  });

  it("lists a weak reference's referents through its own type: none, as gc.get_referents does", () => {
    using rt = new Runtime(quiet);
    const cls = rt.defineClass("C");
    // Instances before and after the weak reference, so that its neighbours' memory is not zero.
    const around = Array.from({ length: 8 }, () => rt.instance(cls, { x: rt.list() }));
    using target = rt.instance(cls);
    using wr = rt.weakref.ref(target);
    expect(rt.gc.getReferents(wr)).toEqual([]);
    for (const h of around) h.release();
  });

  it("writes each kind's repr as CPython does", () => {
    const { model } = standalone();
    expect(model.repr(model.none)).toBe("None");
    expect(model.repr(model.true)).toBe("True");
    expect(model.repr(model.false)).toBe("False");
    expect(model.repr(model.newInt(-(2n ** 70n)))).toBe(String(-(2n ** 70n)));
    expect(model.repr(model.newStr("it's"))).toBe(`"it's"`);
    expect(model.repr(model.newStr("a\tb'\"\u0001"))).toBe(`'a\\tb\\'"\\x01'`);
    const t = model.newTuple([model.none]);
    expect(model.repr(t)).toBe(`<tuple object at 0x${t.toString(16)}>`);
  });
});

/** python3's answer to `script` (JSON on stdout), or a skip (a failure in CI) without it. */
function askPython(ctx: TestContext, script: string, input: unknown): unknown {
  const python = spawnSync("python3", ["-c", script], {
    input: JSON.stringify(input),
    encoding: "utf8",
  });
  if (python.status !== 0) {
    if (process.env.CI) throw new Error(`python3 is needed in CI: ${python.stderr}`);
    ctx.skip(`python3 did not run: ${python.stderr || python.error?.message}`);
  }
  return JSON.parse(python.stdout);
}

describe("sys.getsizeof of every kind, against CPython 3.11", () => {
  // Shapes drawn once with fixed seeds, so that one python3 run answers them all.
  const ints = fc.sample(fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }), {
    numRuns: 60,
    seed: 11,
  });
  const lengths = fc.sample(fc.nat({ max: 40 }), { numRuns: 30, seed: 12 });
  const keyCounts = fc.sample(fc.nat({ max: 60 }), { numRuns: 25, seed: 13 });
  // A longer display compiles to appends in 3.11 (a list of constants, to an extend).
  const displayed = lengths.filter((n) => n <= 30);
  const shapes = { ints: ints.map(String), lengths, displayed, keyCounts };
  const script = [
    "import json, sys, weakref",
    "s = json.load(sys.stdin)",
    "class C: pass",
    "c = C()",
    "out = {}",
    "out['scalars'] = [sys.getsizeof(x) for x in (None, False, True, 1.5, -0.0)]",
    "out['ints'] = [sys.getsizeof(int(v)) for v in s['ints']]",
    "out['tuples'] = [sys.getsizeof(tuple(range(1000, 1000 + n))) for n in s['lengths']]",
    // A display of names (BUILD_LIST n, up to 30 items) is exact; appends over-allocate.
    "x = None",
    "out['displays'] = [sys.getsizeof(eval('[' + 'x,' * n + ']')) for n in s['displayed']]",
    "def appended(n):",
    "    l = []",
    "    for i in range(n): l.append(None)",
    "    return sys.getsizeof(l)",
    "out['appended'] = [appended(n) for n in s['lengths']]",
    "def keyed(n):",
    "    d = {}",
    "    for i in range(n): d['k%d' % i] = None",
    "    return sys.getsizeof(d)",
    "out['dicts'] = [keyed(n) for n in s['keyCounts']]",
    "def instance(n):",
    "    o = C()",
    "    for i in range(n): setattr(o, 'a%d' % i, None)",
    "    return sys.getsizeof(o)",
    "out['instances'] = [instance(n % 12) for n in s['lengths']]",
    "out['weakrefs'] = [sys.getsizeof(weakref.ref(c)), sys.getsizeof(weakref.ref(c, print))]",
    "print(json.dumps(out))",
  ].join("\n");

  it("for None, bool, float, int, tuple, list, dict, instances and weakrefs", (ctx) => {
    const expected = askPython(ctx, script, shapes);
    using rt = new Runtime(quiet);
    const size = (make: () => Handle) => {
      using h = make();
      return rt.sizeof(h);
    };
    const none = () => rt.constant(null);
    const cls = rt.defineClass("C");
    using target = rt.instance(cls);
    const actual = {
      scalars: [
        size(none),
        size(() => rt.constant(false)),
        size(() => rt.constant(true)),
        size(() => rt.float(1.5)),
        size(() => rt.float(-0)),
      ],
      ints: ints.map((v) => size(() => rt.int(v))),
      tuples: lengths.map((n) =>
        size(() => {
          const items = Array.from({ length: n }, (_, i) => rt.int(1000 + i));
          const t = rt.tuple(...items);
          for (const h of items) h.release();
          return t;
        }),
      ),
      displays: displayed.map((n) =>
        size(() => {
          const items = Array.from({ length: n }, none);
          const l = rt.list(...items);
          for (const h of items) h.release();
          return l;
        }),
      ),
      appended: lengths.map((n) =>
        size(() => {
          const l = rt.list();
          for (let i = 0; i < n; i++) {
            using v = none();
            rt.append(l, v);
          }
          return l;
        }),
      ),
      dicts: keyCounts.map((n) =>
        size(() => {
          using v = none();
          return rt.dict(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, v])));
        }),
      ),
      instances: lengths.map((n) =>
        size(() => {
          using v = none();
          return rt.instance(
            cls,
            Object.fromEntries(Array.from({ length: n % 12 }, (_, i) => [`a${i}`, v])),
          );
        }),
      ),
      weakrefs: [size(() => rt.weakref.ref(target)), size(() => rt.weakref.ref(target, () => {}))],
    };
    expect(actual).toEqual(expected);
  });
});
