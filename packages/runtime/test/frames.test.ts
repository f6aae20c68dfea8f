// Slot-indexed frames: a compiled function's locals by slot number (LOAD_FAST, STORE_FAST,
// DELETE_FAST) and by name agree, are released in slot order on return, and are mirrored on
// the process's stack when the runtime lives in one.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Embedding, PythonError, type Ref, Runtime, type RuntimeOptions } from "../src/index.js";

const quiet = { env: {}, log: () => {} } as const;

function embedded(options: RuntimeOptions = {}) {
  const rt = new Runtime({ ...quiet, ...options });
  return { rt, py: new Embedding(rt) };
}

describe("slots", () => {
  it("load, store, delete and take by slot, with CPython's errors", () => {
    const { rt, py } = embedded();
    const f = py.pushFrame("f", "<test>", ["x", "y"]);
    expect(f.slotCount).toBe(2);
    expect(f.loadSlot(0)).toBe(0);
    const l = py.list([]);
    f.storeSlot(1, l); // the frame takes the reference
    expect(f.load("y")).toBe(l);
    expect(py.refcount(l)).toBe(1);
    expect(() => f.deleteSlot(0)).toThrow(PythonError);
    expect(() => f.deleteSlot(0)).toThrow(
      "cannot access local variable 'x' where it is not associated with a value",
    );
    const taken = f.takeSlot(1); // moved out: the count does not change hands
    expect(taken).toBe(l);
    expect(py.refcount(l)).toBe(1);
    expect(f.loadSlot(1)).toBe(0);
    expect(f.takeSlot(1)).toBe(0);
    f.storeSlot(0, taken);
    f.deleteSlot(0);
    expect(rt.space.isLive(l)).toBe(false);
    for (const bad of [2, -1, 0.5, Number.NaN]) {
      expect(() => f.loadSlot(bad)).toThrow(RangeError);
      expect(() => f.storeSlot(bad, py.none)).toThrow(RangeError);
    }
    expect(() => f.loadSlot(2)).toThrow("frame f has no local slot 2 (it has 2 slots)");
    expect(py.module.slotCount).toBe(0);
    expect(() => py.module.loadSlot(0)).toThrow(RangeError);
    py.popFrame(f);
    rt.verify();
  });

  it("share one name-to-slot layout among the frames of one locals array", () => {
    const { py } = embedded();
    const varnames = ["a", "b"];
    const f = py.pushFrame("f", "<test>", varnames);
    const g = py.pushFrame("f", "<test>", varnames);
    const h = py.pushFrame("h", "<test>", ["a", "b"]);
    expect(g.frame.locals).toBe(f.frame.locals);
    expect(h.frame.locals).not.toBe(f.frame.locals);
    expect(g.frame.slots).not.toBe(f.frame.slots); // the values are each frame's own
    for (const frame of [h, g, f]) py.popFrame(frame);
  });

  it("bind names beyond the declared locals, and globals, by name as before", () => {
    const { py } = embedded();
    const f = py.pushFrame("f", "<test>", ["a"]);
    const x = py.int(1000);
    f.store("extra", py.newRef(x)); // not declared: kept by name, after the slots
    f.storeSlot(0, py.newRef(x));
    expect(f.isLocal("extra")).toBe(false);
    expect(f.variables()).toEqual([
      ["a", x],
      ["extra", x],
    ]);
    py.popFrame(f);
    expect(py.refcount(x)).toBe(1);
    const m = py.module;
    m.store("g1", py.newRef(x));
    m.store("g2", py.newRef(x));
    m.delete("g1");
    m.store("g1", py.newRef(x)); // a global bound again goes last, as a dict key would
    expect(m.variables().map(([n]) => n)).toEqual(["g2", "g1"]);
    m.delete("g1");
    m.delete("g2");
    py.decref(x);
  });

  it("agree with access by name, and release the locals in slot order at return", () => {
    const { rt, py } = embedded();
    const order: string[] = [];
    const Obj = py.defineClass("Obj", {
      del: (self) => order.push(py.strValue(py.getAttr(self, "name"))),
    });
    const named = (name: string): Ref => {
      const o = py.instance(Obj);
      py.setAttr(o, "name", py.constant(name));
      return o;
    };
    const varnames = ["a", "b", "c", "d", "e"];
    type Op =
      | { op: "storeSlot" | "storeName" | "deleteSlot" | "deleteName" | "take"; slot: number }
      | { op: "check" };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        op: fc.constantFrom(
          "storeSlot" as const,
          "storeName" as const,
          "deleteSlot" as const,
          "deleteName" as const,
          "take" as const,
        ),
        slot: fc.nat(varnames.length - 1),
      }),
      fc.constant({ op: "check" as const }),
    );
    let serial = 0;
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const f = py.pushFrame("f", "<test>", varnames);
        /** The model: the tag of what each slot holds. */
        const held: Array<string | undefined> = varnames.map(() => undefined);
        const agree = () => {
          varnames.forEach((name, i) => {
            expect(f.loadSlot(i)).toBe(f.load(name));
            const o = f.loadSlot(i);
            expect(o === 0 ? undefined : py.strValue(py.getAttr(o, "name"))).toBe(held[i]);
          });
        };
        for (const o of ops) {
          if (o.op === "check") {
            agree();
            continue;
          }
          const name = varnames[o.slot]!;
          if (o.op === "storeSlot" || o.op === "storeName") {
            const tag = `${name}${serial++}`;
            const value = named(tag);
            if (o.op === "storeSlot") f.storeSlot(o.slot, value);
            else f.store(name, value);
            held[o.slot] = tag;
          } else if (o.op === "take") {
            const value = f.takeSlot(o.slot);
            if (value !== 0) py.decref(value);
            held[o.slot] = undefined;
          } else {
            const unbound = held[o.slot] === undefined;
            const remove = () => (o.op === "deleteSlot" ? f.deleteSlot(o.slot) : f.delete(name));
            if (unbound) expect(remove).toThrow(`cannot access local variable '${name}'`);
            else remove();
            held[o.slot] = undefined;
          }
        }
        agree();
        order.length = 0;
        py.popFrame(f);
        // Each object dies when its slot is released: its __del__ runs in slot order.
        expect(order).toEqual(held.filter((t) => t !== undefined));
      }),
      { numRuns: 100 },
    );
    rt.verify();
  });

  it("mirror every slot operation on the process's stack", () => {
    const { rt, py } = embedded({ process: true });
    const f = py.pushFrame("f", "<test>", ["a", "b", "c"]);
    const g = py.pushFrame("g", "<test>", ["a"]);
    f.storeSlot(0, py.list([]));
    g.storeSlot(0, py.dict());
    f.storeSlot(2, py.int(1000));
    rt.verify(); // checks each native slot against the frame's
    f.deleteSlot(0);
    py.decref(f.takeSlot(2));
    f.store("b", py.list([]));
    rt.verify();
    const [native] = rt.process!.frames();
    const slot = (i: number) => rt.process!.readU64Number(native!.localsAddress + 8 * i);
    expect([slot(0), slot(2)]).toEqual([0, 0]);
    expect(slot(1)).toBe(rt.process!.virtualAddressOf(f.loadSlot(1)));
    py.popFrame(g);
    py.popFrame(f);
    rt.verify();
  });

  it("make any number of calls in a row inside a process, each returning to the same place", () => {
    const { rt, py } = embedded({ process: true });
    const varnames = ["n"];
    const returns = new Set<number>();
    for (let i = 0; i < 3000; i++) {
      const f = py.pushFrame("f", "<test>", varnames);
      f.storeSlot(0, py.int(i));
      returns.add(rt.process!.frames()[0]!.returnAddress);
      py.popFrame(f);
    }
    expect(returns.size).toBe(1);
    rt.verify();
  });
});

describe("a return that faults inside a process", () => {
  /** Overwrites the return address of the innermost native frame, as a stray write would. */
  function smash(rt: Runtime): void {
    const proc = rt.process!;
    proc.writeU64(proc.frames().at(-1)!.frameAddress + 8, 0x4141414141414141n);
  }

  it("through Runtime.call: the frame goes, its locals are released, the fault is thrown", () => {
    const rt = new Runtime({ ...quiet, process: true });
    const live = rt.stats().liveObjects;
    expect(() =>
      rt.call("f", (scope) => {
        using list = rt.list();
        scope.set("x", list);
        smash(rt);
      }),
    ).toThrow(/stack smashing detected/);
    expect(rt.inspect().frames.map((f) => f.name)).toEqual(["<module>"]);
    expect(rt.process!.depth).toBe(0);
    expect(rt.stats().liveObjects).toBe(live);
    rt.verify();
    // The next call is at depth 1 again, not nested in what the fault left.
    expect(rt.call("g", () => rt.inspect().frames.length)).toBe(2);
  });

  it("in a trace run: every frame of the run goes, and verify() has nothing to report", () => {
    const rt = new Runtime({ ...quiet, process: true });
    const trace = [
      { "mm-trace": 1 },
      { op: "call" },
      { op: "new", var: "a", type: "list" },
      { op: "call" },
      { op: "new", var: "b", type: "list" },
      { op: "return" },
      { op: "return" },
    ]
      .map((o) => JSON.stringify(o))
      .join("\n");
    let smashed = false;
    const onStep = () => {
      if (!smashed && rt.process!.depth === 2) {
        smashed = true;
        smash(rt);
      }
    };
    const live = rt.stats().liveObjects;
    expect(() => rt.runTrace(trace, "t.jsonl", { onStep })).toThrow(/stack smashing detected/);
    expect(rt.inspect().frames).toHaveLength(1);
    expect(rt.process!.depth).toBe(0);
    expect(rt.stats().liveObjects).toBe(live);
    rt.verify();
  });

  it("through the embedding API: popFrame releases the locals and leaves no frame", () => {
    const { rt, py } = embedded({ process: true });
    const live = rt.stats().liveObjects;
    const f = py.pushFrame("f", "<test>", ["a"]);
    f.storeSlot(0, py.list([]));
    smash(rt);
    expect(() => py.popFrame(f)).toThrow(/stack smashing detected/);
    expect(rt.inspect().frames).toHaveLength(1);
    expect(rt.stats().liveObjects).toBe(live);
    rt.verify();
  });
});
