// The cpython strategy's WebAssembly detection walks against its JavaScript walks, on heaps
// built through the runtime's own kinds: lists, dicts, tuples, instances of Python classes
// (values arrays, and dicts materialised from them), subclasses of list and dict. Two runtimes
// run the same operations, one with each walks; after every collection they must have found
// the same, freed the same, and agree on every figure: stats, the allocators' statistics, the
// heap's mappings, and every byte of the memory outside the kernel's tables (which sit below
// the page source's base, in no allocator).

import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ClassRef,
  Embedding,
  type GcModule,
  type Ref,
  Runtime,
  type SubtypeRef,
} from "../src/index.js";

/** Where the runtime keeps the kernel's tables: from the NULL page up to the heap's pages. */
const TABLES_START = 0x1000;

type Op =
  | { kind: "list" }
  | { kind: "dict" }
  | { kind: "tuple"; items: number[] }
  | { kind: "instance"; cls: number }
  | { kind: "subtype"; base: 0 | 1 }
  | { kind: "class" }
  | { kind: "link"; from: number; to: number; name: number }
  | { kind: "loop"; which: number; name: number }
  | { kind: "materialise"; which: number }
  | { kind: "drop"; which: number }
  | { kind: "collect"; generation: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: "list" as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: "dict" as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("tuple" as const),
      items: fc.array(fc.nat(), { maxLength: 3 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("instance" as const), cls: fc.nat() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("subtype" as const),
      base: fc.constantFrom<0 | 1>(0, 1),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "class" as const }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("link" as const),
      from: fc.nat(),
      to: fc.nat(),
      name: fc.nat({ max: 3 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("loop" as const),
      which: fc.nat(),
      name: fc.nat({ max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("materialise" as const), which: fc.nat() }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("drop" as const), which: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("collect" as const),
      generation: fc.integer({ min: 0, max: 2 }),
    }),
  },
);

const NAMES = ["a", "b", "c", "d"];

/** Runs `ops` on a new runtime with `walks`; returns what it observed after each collection. */
function run(ops: readonly Op[], walks: "wasm" | "js") {
  const rt = new Runtime({ heapBytes: 64 << 20, env: {}, log: () => {} });
  const gc = rt.strategy as unknown as { walks: "wasm" | "js" };
  gc.walks = walks;
  expect(gc.walks).toBe(walks);
  const gcModule: GcModule = rt.gc;
  gcModule.disable();
  const py = new Embedding(rt);
  const classes: ClassRef[] = [py.defineClass("C")];
  // The subclasses' type objects: lists that live as long as the runtime.
  const subtypes: SubtypeRef[] = [
    py.defineSubtype("list", "L", { typeObject: py.list([]) }),
    py.defineSubtype("dict", "D", { typeObject: py.list([]) }),
  ];
  const held: Ref[] = [];
  const seen: unknown[] = [];
  const pick = (i: number) => held[i % held.length]!;
  const hold = (o: Ref) => held.push(o);
  for (const op of ops) {
    switch (op.kind) {
      case "list":
        hold(py.list([]));
        break;
      case "dict":
        hold(py.dict());
        break;
      case "tuple":
        if (held.length > 0 || op.items.length === 0) hold(py.tuple(op.items.map(pick)));
        break;
      case "instance":
        hold(py.instance(classes[op.cls % classes.length]!));
        break;
      case "subtype":
        hold(py.subtypeInstance(subtypes[op.base]!));
        break;
      case "class":
        classes.push(py.defineClass(`C${classes.length}`));
        break;
      case "link":
      case "loop": {
        if (held.length === 0) break;
        // A loop: the object refers to itself, a cycle once it is dropped.
        const from = pick(op.kind === "link" ? op.from : op.which);
        const to = op.kind === "link" ? pick(op.to) : from;
        const type = py.typeName(from);
        if (type === "list" || type === "L") py.append(from, to);
        else if (type === "dict" || type === "D") {
          const key = py.int(op.name);
          py.setItem(from, key, to);
          py.decref(key);
        } else if (py.classOf(from) !== undefined) py.setAttr(from, NAMES[op.name]!, to);
        break;
      }
      case "materialise": {
        if (held.length === 0) break;
        const o = pick(op.which);
        if (py.classOf(o) !== undefined) py.decref(py.instanceDict(o));
        break;
      }
      case "drop": {
        if (held.length === 0) break;
        const at = op.which % held.length;
        py.decref(held[at]!);
        held.splice(at, 1);
        break;
      }
      case "collect": {
        const found = gcModule.collect(op.generation);
        rt.verify();
        const { pausesMs: _, ...stats } = rt.stats();
        const u8 = rt.memory.u8;
        const base = (rt.pages as unknown as { base: number }).base;
        seen.push({
          found,
          stats,
          counts: gcModule.getCount(),
          small: rt.pymalloc?.stats(),
          raw: rt.raw.stats(),
          mappings: (rt.pages as unknown as { mappings(): unknown }).mappings(),
          // Every byte but the kernel's tables: the NULL page, and the heap from its base up.
          low: u8.subarray(0, TABLES_START).every((b) => b === 0),
          heap: Buffer.from(u8.subarray(base, rt.memory.byteLength)).toString("base64"),
        });
        break;
      }
    }
  }
  return { seen, rt };
}

describe("the cpython strategy's WebAssembly walks", () => {
  it("is the default, in a modelled process too, and the tables are in no figure", () => {
    const rt = new Runtime({ env: {}, log: () => {} });
    expect((rt.strategy as unknown as { walks: string }).walks).toBe("wasm");
    const before = rt.stats();
    rt.gc.collect();
    const after = rt.stats();
    expect(after.liveBytes).toBe(before.liveBytes);
    expect(after.heapBytes).toBe(before.heapBytes);
    // The tables were written below the heap's pages.
    expect(rt.memory.u8.subarray(TABLES_START, 0x11000).some((b) => b !== 0)).toBe(true);
    expect((rt.pages as unknown as { base: number }).base).toBe(0x11000);
    // In a modelled process the same range is kept out of the page frames: the process's
    // mappings and heap figures do not show it.
    const inProcess = new Runtime({ env: {}, log: () => {}, process: true });
    expect((inProcess.strategy as unknown as { walks: string }).walks).toBe("wasm");
    const mappedBefore = inProcess.process!.maps();
    const heapBefore = inProcess.stats();
    inProcess.gc.collect();
    expect(inProcess.memory.u8.subarray(TABLES_START, 0x11000).some((b) => b !== 0)).toBe(true);
    expect(inProcess.process!.maps()).toBe(mappedBefore);
    expect(inProcess.stats().liveBytes).toBe(heapBefore.liveBytes);
    inProcess.verify();
  });

  it("property: detect, free and leave every figure as the JavaScript walks do, on the runtime's own kinds", () => {
    let runs = 0;
    let withGarbage = 0;
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 10, maxLength: 80 }), (ops) => {
        runs++;
        const all: Op[] = [{ kind: "list" }, ...ops, { kind: "collect", generation: 2 }];
        const wasm = run(all, "wasm");
        const js = run(all, "js");
        expect(wasm.seen).toEqual(js.seen);
        if (wasm.seen.some((s) => (s as { found: number }).found > 0)) withGarbage++;
        wasm.rt[Symbol.dispose]();
        js.rt[Symbol.dispose]();
      }),
      { numRuns: fcRuns(60) },
    );
    // The heaps hold cycles that the collections find, not only reachable objects (about half
    // the runs do; checked where the runs are enough for the share to mean something).
    if (runs >= 20) expect(withGarbage).toBeGreaterThan(runs / 4);
  }, 600_000);
});
