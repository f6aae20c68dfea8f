import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { traverseByPointerMap } from "@mm/gen-gc";
import type { PointerMap } from "@mm/heap";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  PythonError,
  parseTrace,
  Runtime,
  StaleHandleError,
  TraceError,
  TraceRun,
} from "../src/index.js";

const quiet = { env: {}, log: () => {} } as const;

describe("configuration", () => {
  it("reads MM_ALLOCATOR and MM_COLLECTOR as PYTHONMALLOC is read, with options winning", () => {
    const rt = new Runtime({ env: { MM_ALLOCATOR: "malloc_debug", MM_COLLECTOR: "tracing" } });
    expect([rt.config.allocator, rt.config.debugHooks, rt.config.collector]).toEqual([
      "malloc",
      true,
      "tracing",
    ]);
    expect(rt.pymalloc).toBeUndefined();
    const explicit = new Runtime({
      allocator: "pymalloc",
      collector: "refcount",
      env: { MM_ALLOCATOR: "malloc", MM_COLLECTOR: "none" },
    });
    expect([explicit.config.allocator, explicit.config.collector]).toEqual([
      "pymalloc",
      "refcount",
    ]);
    expect(new Runtime({ env: { MM_ALLOCATOR: "debug" } }).config).toMatchObject({
      allocator: "pymalloc",
      debugHooks: true,
    });
  });

  it("maps the whole heap up front when asked, with the same heap either way", () => {
    expect(new Runtime({ ...quiet }).memory.reserved).toBe(false);
    const run = (reserveHeap: boolean) => {
      const rt = new Runtime({ ...quiet, reserveHeap, heapBytes: 64 << 20 });
      const buffer = rt.memory.buffer;
      const startLength = rt.memory.byteLength;
      const ids: number[] = [];
      const kept: unknown[] = [];
      for (let i = 0; i < 60_000; i++) {
        const list = rt.list();
        ids.push(rt.addressOf(list));
        if (i % 3 === 0) kept.push(list);
        else list.release();
      }
      const result = {
        reserved: rt.memory.reserved,
        sameBuffer: rt.memory.buffer === buffer,
        grew: rt.memory.byteLength > startLength,
        ids,
        // Everything but the pauses' durations, which are clock readings.
        stats: { ...rt.stats(), pausesMs: rt.stats().pausesMs.length },
        byteLength: rt.memory.byteLength,
      };
      expect(() => rt.verify()).not.toThrow();
      return result;
    };
    const reserved = run(true);
    const growing = run(false);
    expect(reserved.grew && growing.grew).toBe(true);
    expect(reserved.reserved).toBe(true);
    expect(reserved.sameBuffer).toBe(true);
    expect(growing.reserved).toBe(false);
    expect(growing.sameBuffer).toBe(false);
    expect(reserved.ids).toEqual(growing.ids);
    expect(reserved.stats).toEqual(growing.stats);
    expect(reserved.byteLength).toBe(growing.byteLength);
  });

  it("refuses combinations that cannot work, saying why", () => {
    expect(() => new Runtime({ env: { MM_ALLOCATOR: "jemalloc" } })).toThrow(ConfigError);
    expect(() => new Runtime({ env: { MM_COLLECTOR: "arc" } })).toThrow(
      /MM_COLLECTOR=arc is not one of/,
    );
    expect(() => new Runtime({ ...quiet, heapBytes: 1 << 20 })).toThrow(
      /room for one 1 MiB pymalloc arena/,
    );
    expect(() => new Runtime({ ...quiet, preset: "3.13", collector: "tracing" })).toThrow(
      /has none/,
    );
    expect(() => new Runtime({ ...quiet, tracingBytes: 100 })).toThrow(
      /paces the tracing collector only/,
    );
    expect(() => new Runtime({ ...quiet, recursionLimit: 0 })).toThrow(ConfigError);
    expect(() => new Runtime({ ...quiet, reserveHeap: "yes" as never })).toThrow(
      /reserveHeap must be true or false, got "yes"/,
    );
    expect(() => new Runtime({ ...quiet, collector: "gc" as never })).toThrow(
      /collector must be one of/,
    );
  });

  it("uses 3.13's threshold with that preset", () => {
    expect(new Runtime({ ...quiet, preset: "3.13" }).gc.getThreshold()).toEqual([2000, 10, 10]);
  });
});

describe("handles", () => {
  it("own one reference each and release it at the end of a using block", () => {
    const rt = new Runtime(quiet);
    const a = rt.list();
    {
      using b = rt.share(a);
      expect(rt.sys.getrefcount(b)).toBe(3);
    }
    expect(rt.sys.getrefcount(a)).toBe(2);
  });

  it("refuse stale, foreign and forged handles with a typed error", () => {
    const rt = new Runtime(quiet);
    const other = new Runtime(quiet);
    const h = rt.int(1000);
    h.release();
    expect(() => rt.value(h)).toThrow(StaleHandleError);
    expect(() => h.release()).toThrow(/already released/);
    expect(() => rt.value(other.int(5))).toThrow(/another runtime/);
    expect(() => rt.value({ address: 4096 } as never)).toThrow(/forged/);
    const kept = rt.str("still here");
    rt[Symbol.dispose]();
    expect(() => rt.value(kept)).toThrow(/disposed/);
  });
});

describe("objects", () => {
  it("have CPython 3.11's sizes and values", () => {
    const rt = new Runtime(quiet);
    const cases: Array<[ReturnType<Runtime["int"]>, number, unknown]> = [
      [rt.int(0), 28, 0],
      [rt.int(2 ** 30), 32, 2 ** 30],
      [rt.int(2n ** 100n), 40, 2n ** 100n],
      [rt.float(1.5), 24, 1.5],
      [rt.str(""), 49, ""],
      [rt.str("é"), 74, "é"],
      [rt.str("€€"), 78, "€€"],
      [rt.str("😀"), 80, "😀"],
      [rt.constant(null), 16, null],
      [rt.constant(true), 28, true],
    ];
    for (const [h, size, value] of cases) {
      expect(rt.sizeof(h)).toBe(size);
      expect(rt.value(h)).toEqual(value);
    }
    expect(rt.sizeof(rt.tuple())).toBe(40);
    expect(rt.sizeof(rt.dict())).toBe(64);
    expect(rt.sizeof(rt.dict({ k: rt.int(1) }))).toBe(184);
    expect(rt.is(rt.int(256), rt.int(256))).toBe(true);
    expect(rt.is(rt.int(257), rt.int(257))).toBe(false);
    expect(rt.is(rt.str("a"), rt.str("a"))).toBe(true);
  });

  test.prop([fc.string({ unit: "binary", maxLength: 40 })])(
    "keep every str's code points",
    (value) => {
      using rt = new Runtime(quiet);
      using s = rt.str(value);
      expect(rt.value(s)).toBe(value);
    },
  );

  it("size strs of every width as sys.getsizeof does in CPython 3.11", (ctx) => {
    const values = fc
      .sample(fc.string({ unit: "binary-ascii", maxLength: 30 }), { numRuns: 60, seed: 7 })
      .concat(fc.sample(fc.string({ unit: "binary", maxLength: 30 }), { numRuns: 140, seed: 8 }))
      .filter((v) => !/[\ud800-\udfff]/.test(v.replace(/[\ud800-\udbff][\udc00-\udfff]/g, "")));
    const python = spawnSync(
      "python3",
      [
        "-c",
        "import json, sys; print(json.dumps([sys.getsizeof(s) for s in json.load(sys.stdin)]))",
      ],
      { input: JSON.stringify(values), encoding: "utf8" },
    );
    if (python.status !== 0) {
      if (process.env.CI) throw new Error(`python3 is needed in CI: ${python.stderr}`);
      ctx.skip("python3 is not on PATH");
      return;
    }
    const expected: number[] = JSON.parse(python.stdout);
    using rt = new Runtime(quiet);
    const actual = values.map((v) => {
      using s = rt.str(v);
      return rt.sizeof(s);
    });
    expect(actual).toEqual(expected);
  });

  it("list referents in CPython 3.11's traverse order: sequences last to first, a str-keyed dict's values", (ctx) => {
    const python = spawnSync(
      "python3",
      [
        "-c",
        [
          "import gc",
          "a, b, c = [], [], []",
          'names = {id(a): "a", id(b): "b", id(c): "c"}',
          'for o in ((a, b, c), [a, b, c], {"x": a, "y": b, "z": c}):',
          '    print(" ".join(names[id(r)] for r in gc.get_referents(o)))',
        ].join("\n"),
      ],
      { encoding: "utf8" },
    );
    if (python.status !== 0) {
      if (process.env.CI) throw new Error(`python3 is needed in CI: ${python.stderr}`);
      ctx.skip("python3 is not on PATH");
      return;
    }
    using rt = new Runtime(quiet);
    using a = rt.list();
    using b = rt.list();
    using c = rt.list();
    const names = new Map([
      [rt.addressOf(a), "a"],
      [rt.addressOf(b), "b"],
      [rt.addressOf(c), "c"],
    ]);
    using tuple = rt.tuple(a, b, c);
    using list = rt.list(a, b, c);
    using dict = rt.dict({ x: a, y: b, z: c });
    const actual = [tuple, list, dict].map((container) =>
      rt.gc
        .getReferents(container)
        .map((ref) => {
          const name = names.get(rt.addressOf(ref));
          ref.release();
          return name;
        })
        .join(" "),
    );
    expect(actual).toEqual(python.stdout.trim().split("\n"));
  });

  it("interns strings: sys.intern gives one object per value", () => {
    const rt = new Runtime(quiet);
    const a = rt.sys.intern(rt.str("hello world"));
    const b = rt.sys.intern(rt.str("hello world"));
    expect(rt.is(a, b)).toBe(true);
  });

  it("raise Python's errors with Python's messages", () => {
    const rt = new Runtime(quiet);
    const C = rt.defineClass("C");
    const o = rt.instance(C);
    const error = (() => {
      try {
        rt.getattr(o, "missing");
      } catch (e) {
        return e as PythonError;
      }
      return undefined;
    })();
    expect(error?.pythonType).toBe("AttributeError");
    expect(error?.message).toBe("'C' object has no attribute 'missing'");
    expect(() => rt.pop(rt.list())).toThrow("pop from empty list");
    expect(() => rt.getGlobal("nothing")).toThrow("name 'nothing' is not defined");
    expect(() => rt.weakref.ref(rt.int(1000))).toThrow(
      "cannot create weak reference to 'int' object",
    );
  });

  it("close resources once, at close, at the end of with, or when they die open", () => {
    const closed: string[] = [];
    const warnings: string[] = [];
    const rt = new Runtime({ env: {}, log: (line) => warnings.push(line) });
    const r = rt.resource(() => closed.push("r"));
    rt.with(r, () => closed.push("body"));
    rt.close(r);
    expect(closed).toEqual(["body", "r"]);
    rt.resource(() => closed.push("leaked")).release();
    expect(closed).toEqual(["body", "r", "leaked"]);
    expect(warnings.join("\n")).toMatch(/ResourceWarning: unclosed resource/);
  });
});

describe("frames", () => {
  it("raise RecursionError past the limit and leave the stack as it was", () => {
    const rt = new Runtime({ ...quiet, recursionLimit: 50 });
    let deepest = 0;
    const recurse = (n: number): void =>
      rt.call(`f${n}`, () => {
        deepest = Math.max(deepest, rt.frames.depth);
        recurse(n + 1);
      });
    expect(() => recurse(0)).toThrow("maximum recursion depth exceeded");
    expect(deepest).toBe(50);
    expect(rt.frames.depth).toBe(1);
    expect(rt.sys.getrecursionlimit()).toBe(50);
    expect(() => rt.sys.setrecursionlimit(0)).toThrow(/greater or equal than 1/);
    rt.sys.setrecursionlimit(2000);
    expect(rt.sys.getrecursionlimit()).toBe(2000);
  });

  it("release a call's locals on return, in slot order", () => {
    const order: string[] = [];
    const rt = new Runtime(quiet);
    const D = rt.defineClass("D", {
      del: (self) => order.push(String(rt.value(rt.getattr(self, "tag")))),
    });
    rt.call("f", (frame) => {
      using x = rt.instance(D, { tag: rt.str("x") });
      using y = rt.instance(D, { tag: rt.str("y") });
      frame.set("first", y);
      frame.set("second", x);
    });
    expect(order).toEqual(["y", "x"]);
  });
});

describe("heap exhaustion", () => {
  it("raises MemoryError and leaves the heap consistent", () => {
    const rt = new Runtime({ ...quiet, heapBytes: 4 << 20 });
    const keep = rt.list();
    expect(() => {
      for (let i = 0; i < 1_000_000; i++)
        rt.append(keep, rt.str(`string number ${i} with some padding`));
    }).toThrow(PythonError);
    expect(() => rt.str("x".repeat(8 << 20))).toThrow(
      expect.objectContaining({ pythonType: "MemoryError" }),
    );
    rt.space.verify();
    rt.obj.verify();
    rt.raw.verify();
    keep.release();
    expect(rt.gc.collect()).toBe(0);
    rt.space.verify();
  });
});

describe("traces", () => {
  it("refuse invalid traces before running anything, naming the file and line", () => {
    const rt = new Runtime(quiet);
    const bad: Array<[string, RegExp]> = [
      ['{"mm-trace": 2}', /trace.jsonl:1: the first line must be the header/],
      ['{"mm-trace": 1}\n{"op":"new"', /:2: not valid JSON/],
      ['{"mm-trace": 1}\n{"op":"teleport"}', /:2: unknown op "teleport"/],
      ['{"mm-trace": 1}\n\n{"op":"del"}', /:3: op 'del' needs the field 'var'/],
      ['{"mm-trace": 1}\n{"op":"del","var":"a","var":"b"}', /duplicate key/],
      ['{"mm-trace": 1}\n{"op":"new","var":"x","type":"int","value":1.0}', /must be an integer/],
      ['{"mm-trace": 1}\n{"op":"call"}', /'call' without a 'return'/],
    ];
    for (const [text, message] of bad) {
      expect(() => parseTrace(text, "trace.jsonl")).toThrow(TraceError);
      expect(() => parseTrace(text, "trace.jsonl")).toThrow(message);
    }
    expect(() =>
      rt.runTrace('{"mm-trace": 1}\n{"op":"new","var":"a","type":"list"}\n{"op":"bad"}'),
    ).toThrow(TraceError);
    expect([...rt.frames.module.bindings()]).toEqual([]);
  });
});

describe("stats and steps", () => {
  it("count objects and collections, and stop a trace after a given step", () => {
    const rt = new Runtime(quiet);
    const steps: number[] = [];
    rt.runTrace(
      [
        '{"mm-trace": 1}',
        '{"op":"new","var":"a","type":"list"}',
        '{"op":"repeat","times":3,"ops":[{"op":"new","var":"b","type":"object","name":"b"}]}',
        '{"op":"collect"}',
        '{"op":"del","var":"a"}',
      ].join("\n"),
      "t.jsonl",
      { onStep: (step) => steps.push(step), maxSteps: 5 },
    );
    expect(steps).toEqual([1, 2, 3, 4, 5]);
    const stats = rt.stats();
    // The list and three objects (one-character names are cached strs); rebinding b twice
    // freed two. The runner's own collect-freeze-collect adds two full collections.
    expect(stats.objectsAllocated).toBe(4);
    expect(stats.objectsFreed).toBe(2);
    expect(stats.liveObjects).toBe(2);
    expect(stats.collections).toEqual([0, 0, 3]);
    expect(stats.pausesMs).toHaveLength(3);
    expect(stats.heapBytes).toBeGreaterThan(stats.liveBytes);
    expect(rt.frames.module.get("a")).not.toBe(0);
  });

  it("report the start state to onStart, before the first op and after the set-up collections", () => {
    const rt = new Runtime(quiet);
    const seen: string[] = [];
    rt.runTrace('{"mm-trace": 1}\n{"op":"new","var":"a","type":"list"}\n', "s.jsonl", {
      onStart: () => seen.push(`start ${rt.stats().collections.join(",")}`),
      onStep: (step) => seen.push(`step ${step}`),
    });
    expect(seen).toEqual(["start 0,0,2", "step 1"]);
  });

  it("give the heap's mapped bytes cheaply, and every root to forEachRoot", () => {
    using rt = new Runtime(quiet);
    const list = (() => {
      using big = rt.int(1000);
      using text = rt.str("a str");
      return rt.list(big, text);
    })();
    rt.setGlobal("g", list);
    expect(rt.heapBytes).toBe(rt.stats().heapBytes);
    const roots = new Set<number>();
    rt.forEachRoot((o) => roots.add(o));
    expect(roots.has(rt.addressOf(list))).toBe(true);
    // The items are reachable through the list, not roots themselves.
    for (const item of rt.gc.getReferents(list)) {
      expect(roots.has(rt.addressOf(item))).toBe(false);
      item.release();
    }
    const address = rt.addressOf(list);
    rt.delGlobal("g");
    list.release();
    const after = new Set<number>();
    rt.forEachRoot((o) => after.add(o));
    expect(after.has(address)).toBe(false);
    expect(after.size).toBe(roots.size - 1);
  });
});

describe("pointer maps", () => {
  /** The references a type's pointer map names, in the order the collectors walk them. */
  function mapped(space: Runtime["space"], o: number, map: PointerMap): number[] {
    const refs: number[] = [];
    traverseByPointerMap(space, map)(
      o,
      (ref) => {
        refs.push(ref);
        return 0;
      },
      0,
    );
    return refs;
  }

  it("name exactly the references traverse visits, in its order, all through every conformance trace", () => {
    const dir = join(import.meta.dirname, "..", "conformance", "traces");
    const names = readdirSync(dir).filter((f) => f.endsWith(".jsonl"));
    const checkedTypes = new Set<string>();
    let checked = 0;
    for (const name of names) {
      const rt = new Runtime(quiet);
      const trace = parseTrace(readFileSync(join(dir, name), "utf8"), name);
      const check = () => {
        for (const o of rt.space.objects()) {
          const type = rt.space.typeOf(o);
          if (!type.pointers || !type.traverse) continue;
          const visited: number[] = [];
          type.traverse(
            o,
            (ref) => {
              visited.push(ref);
              return 0;
            },
            0,
          );
          expect(mapped(rt.space, o, type.pointers), `${type.name} in ${name}`).toEqual(visited);
          checkedTypes.add(["tuple", "list", "dict"].includes(type.name) ? type.name : "instance");
          checked++;
        }
      };
      // Every step of the short traces, then at doubling intervals through the long ones.
      const due = (step: number) => step <= 200 || (step & (step - 1)) === 0;
      new TraceRun(rt, trace, { onStep: (step) => due(step) && check() }).run();
      check();
    }
    expect([...checkedTypes].sort()).toEqual(["dict", "instance", "list", "tuple"]);
    expect(checked).toBeGreaterThan(1000);
  });
});
