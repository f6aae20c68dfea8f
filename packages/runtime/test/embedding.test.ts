import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  type ActivationFrame,
  Embedding,
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

describe("references and objects", () => {
  it("hands out new references that decref frees, with CPython's caches", () => {
    const { rt, py } = embedded();
    expect(py.int(7)).toBe(py.int(7)); // the small-int cache
    expect(py.int(1000)).not.toBe(py.int(1000));
    expect(py.str("a")).toBe(py.str("a")); // one-character Latin-1 strs are cached
    const before = rt.stats().liveObjects;
    const l = py.list([py.none]);
    expect(py.refcount(l)).toBe(1); // the caller's own reference: sys.getrefcount would say 2
    expect(rt.stats().liveObjects).toBe(before + 1);
    py.decref(l);
    expect(rt.stats().liveObjects).toBe(before);
    rt.verify();
  });

  test.prop([fc.stringMatching(/^[a-z_]{1,3}$/), fc.stringMatching(/^[a-z_]{1,3}$/)])(
    "makes static strs: immortal, interned, the key constants of their values",
    (value, other) => {
      const { rt, py } = embedded();
      const s = py.staticStr(value);
      expect(py.staticStr(value)).toBe(s);
      expect(py.constant(value)).toBe(s);
      expect(py.strValue(s)).toBe(value);
      // A str of the same value, cached singleton or not, interns to the static one.
      const fresh = py.str(value);
      const interned = py.intern(fresh);
      expect(interned).toBe(s);
      py.decref(interned);
      py.decref(fresh);
      // Immortal: references come and go and it stays.
      const before = rt.stats().liveObjects;
      py.incref(s);
      py.decref(s);
      py.decref(s);
      expect(rt.stats().liveObjects).toBe(before);
      expect(py.strValue(s)).toBe(value);
      // Another value is not made static by it.
      if (other !== value) expect(py.constant(other)).not.toBe(s);
      rt.verify();
    },
  );

  it("reads and writes attributes and items with CPython's errors", () => {
    const { rt, py } = embedded();
    const Box = py.defineClass("Box");
    const box = py.instance(Box);
    const one = py.int(1);
    py.setAttr(box, "x", one);
    const x = py.getAttr(box, "x");
    expect(x).toBe(one);
    py.decref(x);
    expect(() => py.getAttr(box, "y")).toThrow("'Box' object has no attribute 'y'");
    expect(() => py.setAttr(one, "y", one)).toThrow("'int' object has no attribute 'y'");
    const d = py.dict();
    const key = py.str("spam"); // the dict holds this str; an equal one finds it
    py.setItem(d, key, box);
    py.decref(key);
    const got = py.getItem(d, py.constant("spam"));
    expect(got).toBe(box);
    py.decref(got);
    expect(() => py.getItem(d, py.constant("eggs"))).toThrow(PythonError);
    const l = py.list([one]);
    expect(() => py.getItem(l, py.int(3))).toThrow("list index out of range");
    expect(() => py.getItem(l, py.constant("a"))).toThrow(
      "list indices must be integers or slices, not str",
    );
    py.append(l, box);
    expect(py.len(l)).toBe(2);
    py.decref(py.pop(l));
    expect(() => py.append(d, one)).toThrow("'dict' object has no attribute 'append'");
    for (const o of [box, d, l]) py.decref(o);
    rt.verify();
  });
});

describe("frames and temporaries", () => {
  it("releases a frame's locals in slot order at return, running __del__ in that order", () => {
    const { rt, py } = embedded();
    const order: string[] = [];
    const Obj = py.defineClass("Obj", {
      del: (self) => order.push(py.strValue(py.getAttr(self, "name"))),
    });
    const f = py.pushFrame("f", "<test>", ["a", "b", "c"]);
    for (const name of ["c", "a", "b"]) {
      const o = py.instance(Obj);
      py.setAttr(o, "name", py.constant(name));
      f.store(name, o);
    }
    f.line = 3;
    expect(rt.inspect().frames.at(-1)).toMatchObject({ name: "f", line: 3 });
    py.popFrame(f);
    expect(order).toEqual(["a", "b", "c"]);
    expect(py.depth).toBe(1);
    rt.verify();
  });

  it("keeps a detached frame's locals alive until the caller releases them", () => {
    const { rt, py } = embedded();
    const f = py.pushFrame("f", "<test>", ["x"]);
    f.store("x", py.list([]));
    const held = py.detachFrame(f);
    expect(held).toHaveLength(1);
    expect(py.typeName(held[0]!)).toBe("list");
    const live = rt.stats().liveObjects;
    py.decref(held[0]!);
    expect(rt.stats().liveObjects).toBe(live - 1);
  });

  it("raises RecursionError past the limit with the stack unchanged", () => {
    const { py } = embedded({ recursionLimit: 3 });
    const a = py.pushFrame("a", "<test>", []);
    const b = py.pushFrame("b", "<test>", []);
    expect(() => py.pushFrame("c", "<test>", [])).toThrow("maximum recursion depth exceeded");
    expect(py.depth).toBe(3);
    expect(() => py.popFrame(a)).toThrow(RangeError);
    py.popFrame(b);
    py.popFrame(a);
  });

  it("makes temporaries roots for a tracing collector and releases them in push order", () => {
    const { rt, py } = embedded({ collector: "tracing" });
    const mark = py.tempMark;
    const l = py.push(py.list([]));
    py.collect();
    expect(rt.space.isLive(l)).toBe(true);
    py.dropTemps(mark);
    py.collect();
    expect(rt.space.isLive(l)).toBe(false);
    expect(() => py.dropTemps(mark + 1)).toThrow(RangeError);
    expect(() => py.popTemp()).toThrow(RangeError);
  });

  it("binds globals through the module frame and refuses unbound names as Python does", () => {
    const { py } = embedded();
    const m = py.module;
    m.store("g", py.int(300));
    expect(py.intValue(m.load("g"))).toBe(300);
    m.delete("g");
    expect(() => m.delete("g")).toThrow("name 'g' is not defined");
    const f = py.pushFrame("f", "<test>", ["x"]);
    expect(f.isLocal("x")).toBe(true);
    expect(() => f.delete("x")).toThrow(
      "cannot access local variable 'x' where it is not associated with a value",
    );
    py.popFrame(f);
  });
});

describe("observers", () => {
  it("see allocations, frees by count, finalizers, weakref callbacks and collections", () => {
    const { rt, py } = embedded();
    const events: RuntimeEvent[] = [];
    const stop = py.observe((e) => events.push(e));
    const Node = py.defineClass("Node", { del: () => {} });
    const a = py.instance(Node);
    const b = py.instance(Node);
    py.setAttr(a, "other", b);
    py.setAttr(b, "other", a);
    let called = 0;
    const w = py.weakref(a, () => called++);
    const f = py.float(1.5);
    py.decref(f);
    py.decref(a);
    py.decref(b);
    const found = py.collect();
    expect(found).toBe(2);
    expect(called).toBe(1);
    stop();
    py.decref(w);
    const kinds = events.map((e) => (e.kind === "free" ? `free:${e.cause.by}` : e.kind));
    expect(kinds).toEqual([
      "allocate", // a
      "allocate", // b
      "allocate", // the weakref
      "allocate", // the float
      "free:refcount", // the float
      "weakref-callback",
      "finalize",
      "finalize",
      "free:collection",
      "free:collection",
      "collect",
    ]);
    expect(events.at(-1)).toMatchObject({ kind: "collect", generation: 2, collected: 2 });
    expect(new Set(events.slice(8, 10).map((e) => e.kind === "free" && e.address))).toEqual(
      new Set([a, b]),
    );
    expect(events[8]).toMatchObject({ type: "Node", cause: { by: "collection", generation: 2 } });
    expect(events).toHaveLength(11); // nothing after the observer was removed
    rt.verify();
  });

  it("see every free by count while they observe, and none once the last one is removed", () => {
    // Observers come and go (two at a time, too) while lists, tuples and instances holding one
    // another die: each free by count is seen exactly while at least one observer is there,
    // as often as there are observers.
    const op = fc.oneof(
      fc.record({
        op: fc.constant("make" as const),
        kind: fc.constantFrom("list", "tuple", "obj"),
      }),
      fc.record({ op: fc.constant("drop" as const), at: fc.nat() }),
      fc.record({ op: fc.constant("observe" as const), slot: fc.integer({ min: 0, max: 1 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const { rt, py } = embedded();
        const C = py.defineClass("C");
        const held: number[] = [];
        const stops: Array<(() => void) | undefined> = [undefined, undefined];
        let seen = 0;
        let expected = 0;
        for (const o of ops) {
          if (o.op === "make") {
            const inner = held.length > 0 ? held[held.length - 1]! : py.none;
            let x: number;
            if (o.kind === "list") x = py.list([inner]);
            else if (o.kind === "tuple") x = py.tuple([inner]);
            else {
              x = py.instance(C);
              py.setAttr(x, "inner", inner);
            }
            held.push(x);
          } else if (o.op === "drop") {
            if (held.length === 0) continue;
            const [x] = held.splice(o.at % held.length, 1);
            const observers = stops.filter((f) => f !== undefined).length;
            const before = rt.stats().objectsFreed;
            py.decref(x!);
            expected += observers * (rt.stats().objectsFreed - before);
          } else if (stops[o.slot] === undefined) {
            stops[o.slot] = py.observe((e) => {
              if (e.kind === "free") seen++;
            });
          } else {
            stops[o.slot]!();
            stops[o.slot] = undefined;
          }
        }
        expect(seen).toBe(expected);
        for (const x of held) py.decref(x);
        rt.verify();
      }),
      { numRuns: 60 },
    );
  });

  it("label frees by the generation of an automatic collection", () => {
    const { rt, py } = embedded();
    rt.gc.setThreshold(3);
    const frees: RuntimeEvent[] = [];
    py.observe((e) => {
      if (e.kind === "free" || e.kind === "collect") frees.push(e);
    });
    for (let i = 0; i < 4; i++) {
      const l = py.list([]);
      py.append(l, l); // a self-cycle: only a collection frees it
      py.decref(l);
    }
    const automatic = frees.filter((e) => e.kind === "free" && e.cause.by === "collection");
    expect(automatic.length).toBeGreaterThan(0);
    for (const e of automatic)
      if (e.kind === "free" && e.cause.by === "collection") expect(e.cause.generation).toBe(0);
    expect(frees.some((e) => e.kind === "collect" && e.generation === 0)).toBe(true);
  });

  it("refuse a weak reference to a type without them with CPython's TypeError", () => {
    const { py } = embedded();
    const n = py.int(1000);
    expect(() => py.weakref(n)).toThrow(PythonError);
    expect(() => py.weakref(n)).toThrow("cannot create weak reference to 'int' object");
    const cls = py.defineClass("C");
    const o = py.instance(cls);
    const w = py.weakref(o);
    expect(py.deref(w)).toBe(o);
    py.decref(o); // deref's new reference
    py.decref(o);
    expect(py.deref(w)).toBe(py.none);
  });

  it("report a throwing observer as unraisable and go on", () => {
    const lines: string[] = [];
    const rt = new Runtime({ env: {}, log: (line) => lines.push(line) });
    const py = new Embedding(rt);
    py.observe(() => {
      throw new Error("observer broke");
    });
    py.decref(py.list([]));
    expect(lines.some((l) => l.includes("observer broke"))).toBe(true);
    rt.verify();
  });

  /** What the observer says is alive must be what the heap holds, whatever the program does. */
  type Model = { refs: Ref[] };
  type Real = { py: Embedding; rt: Runtime; live: Set<number> };
  const pick = (refs: Ref[], i: number) => refs[i % refs.length]!;
  const commands = [
    fc.integer({ min: -10, max: 10_000 }).map((v) => ({
      check: () => true,
      run: (m: Model, r: Real) => void m.refs.push(r.py.int(v)),
      toString: () => `int(${v})`,
    })),
    fc.constantFrom("", "a", "spam").map((v) => ({
      check: () => true,
      run: (m: Model, r: Real) => void m.refs.push(r.py.str(v)),
      toString: () => `str(${JSON.stringify(v)})`,
    })),
    fc.array(fc.nat(), { maxLength: 3 }).map((is) => ({
      check: () => true,
      run: (m: Model, r: Real) =>
        void m.refs.push(r.py.list(m.refs.length ? is.map((i) => pick(m.refs, i)) : [])),
      toString: () => `list(${is})`,
    })),
    fc.tuple(fc.nat(), fc.nat()).map(([i, j]) => ({
      check: (m: Readonly<Model>) => m.refs.length > 0,
      run: (m: Model, r: Real) => {
        const l = pick(m.refs, i);
        if (r.py.typeName(l) === "list") r.py.append(l, pick(m.refs, j));
      },
      toString: () => `append(${i}, ${j})`,
    })),
    fc.nat().map((i) => ({
      check: (m: Readonly<Model>) => m.refs.length > 0,
      run: (m: Model, r: Real) => r.py.decref(m.refs.splice(i % m.refs.length, 1)[0]!),
      toString: () => `decref(${i})`,
    })),
    fc.constant({
      check: () => true,
      run: (_m: Model, r: Real) => void r.py.collect(),
      toString: () => "collect()",
    }),
  ];

  test.prop([fc.commands(commands, { maxCommands: 40 })])(
    "account for every object: what they saw allocated and not freed is what the heap holds",
    (cmds) => {
      const { rt, py } = embedded();
      const baseline = new Set(rt.space.objects());
      const live = new Set<number>();
      py.observe((e) => {
        if (e.kind === "allocate") {
          expect(live.has(e.address)).toBe(false);
          live.add(e.address);
        } else if (e.kind === "free") {
          expect(live.delete(e.address)).toBe(true);
        }
      });
      const model: Model = { refs: [] };
      fc.modelRun(() => ({ model, real: { py, rt, live } }), cmds);
      const heap = [...rt.space.objects()].filter((o) => !baseline.has(o) && !rt.isConstant(o));
      expect(new Set(heap)).toEqual(new Set([...live].filter((o) => !rt.isConstant(o))));
      // Tear down: drop every reference and collect; every object seen is gone again.
      for (const o of model.refs) py.decref(o);
      py.collect();
      expect([...live].filter((o) => !rt.isConstant(o))).toEqual([]);
      rt.verify();
    },
  );
});

describe("frames and temporaries against a plain model", () => {
  /** The model: per frame, its locals' bindings (a tag per object); the value stack's tags. */
  type Model = { frames: Array<Map<string, number>>; temps: number[]; next: number };
  type Real = {
    py: Embedding;
    rt: Runtime;
    frames: ActivationFrame[];
    tags: Map<number, number>;
    /** Compares the runtime with the model (after every command). */
    check: (m: Model) => void;
  };
  const names = ["a", "b", "c"] as const;
  /** A new list tagged with the model's number, so that the real heap can be read back. */
  const tagged = (r: Real, tag: number): Ref => {
    const l = r.py.list([]);
    r.tags.set(l, tag);
    return l;
  };
  const commands = [
    fc.constant({
      check: (m: Readonly<Model>) => m.frames.length < 5,
      run: (m: Model, r: Real) => {
        r.frames.push(r.py.pushFrame(`f${m.frames.length}`, "<model>", [...names]));
        m.frames.push(new Map());
        r.check(m);
      },
      toString: () => "pushFrame",
    }),
    fc.constantFrom(...names).map((name) => ({
      check: (m: Readonly<Model>) => m.frames.length > 0,
      run: (m: Model, r: Real) => {
        const tag = m.next++;
        r.frames.at(-1)!.store(name, tagged(r, tag));
        m.frames.at(-1)!.set(name, tag);
        r.check(m);
      },
      toString: () => `store ${name}`,
    })),
    fc.constantFrom(...names).map((name) => ({
      check: (m: Readonly<Model>) => m.frames.length > 0 && m.frames.at(-1)!.has(name),
      run: (m: Model, r: Real) => {
        r.frames.at(-1)!.delete(name);
        m.frames.at(-1)!.delete(name);
        r.check(m);
      },
      toString: () => `delete ${name}`,
    })),
    fc.constant({
      check: (m: Readonly<Model>) => m.frames.length > 0,
      run: (m: Model, r: Real) => {
        r.py.popFrame(r.frames.pop()!);
        m.frames.pop();
        r.check(m);
      },
      toString: () => "popFrame",
    }),
    fc.constant({
      check: () => true,
      run: (m: Model, r: Real) => {
        const tag = m.next++;
        r.py.push(tagged(r, tag));
        m.temps.push(tag);
        r.check(m);
      },
      toString: () => "push",
    }),
    fc.nat(3).map((n) => ({
      check: (m: Readonly<Model>) => m.temps.length >= n,
      run: (m: Model, r: Real) => {
        r.py.dropTemps(r.py.tempMark - n);
        m.temps.splice(m.temps.length - n);
        r.check(m);
      },
      toString: () => `dropTemps(-${n})`,
    })),
  ];

  test.prop([
    fc.constantFrom<"cpython" | "tracing">("cpython", "tracing"),
    fc.commands(commands, { maxCommands: 50 }),
  ])("hold exactly what the model holds, and nothing else stays alive", (collector, cmds) => {
    const { rt, py } = embedded({ collector });
    const model: Model = { frames: [], temps: [], next: 0 };
    const check = (model: Model) => {
      py.collect();
      const snap = rt.inspect();
      // A freed list's tag stays in the map, but only live objects are read back.
      const frames = snap.frames
        .slice(1)
        .map((f) => new Map(f.variables.map((v) => [v.name, real.tags.get(v.address)!])));
      expect(frames).toEqual(model.frames);
      const alive = snap.objects.filter((o) => real.tags.has(o.address)).map((o) => o.address);
      const held = new Set([...model.frames.flatMap((f) => [...f.values()]), ...model.temps]);
      expect(new Set(alive.map((o) => real.tags.get(o)))).toEqual(held);
    };
    const real: Real = { py, rt, frames: [], tags: new Map(), check };
    fc.modelRun(() => ({ model, real }), cmds);
    rt.verify();
  });
});
