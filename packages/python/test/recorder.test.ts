// The step recorder and the interactive session, against python3: the interpreter's line events
// are sys.settrace's, the steps carry each line's memory events and output, past the budget
// only counts are kept, and an interactive session prints what python3's does.

import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeEvent, type RecordedEvent, recordPython } from "../src/vm/recorder.js";
import { PyRepl, unclosed } from "../src/vm/repl.js";
import { runPython } from "../src/vm/run.js";

/** Runs a python3 script with JSON on stdin; its JSON answer. */
function python<T>(script: string, input: unknown): T {
  const ran = spawnSync("python3", ["-c", script], {
    input: JSON.stringify(input),
    encoding: "utf8",
  });
  if (ran.status !== 0) throw new Error(`python3 failed: ${ran.stderr}`);
  return JSON.parse(ran.stdout) as T;
}

// sys.settrace's line events of each program: [code name, line].
const LINE_EVENTS = `
import contextlib, io, json, sys
out = []
for src in json.load(sys.stdin):
    events = []
    def tracer(frame, event, arg):
        if frame.f_code.co_filename != "<prog>":
            return None
        if event == "line":
            events.append([frame.f_code.co_name, frame.f_lineno])
        return tracer
    code = compile(src, "<prog>", "exec")
    with contextlib.redirect_stdout(io.StringIO()):
        sys.settrace(tracer)
        try:
            exec(code, {"__name__": "__main__"})
        finally:
            sys.settrace(None)
    out.append(events)
print(json.dumps(out))
`;

// Loops whose code this compiler lays out as CPython 3.11 does, line for line. (Not yet: a
// while loop's test is not repeated at its foot, `pass` emits no NOP, and a module's implicit
// return takes its last line; each changes the line events of the programs they are in.)
const LOOPS = [
  "for i in range(3): pass\nx = 1\n",
  "def f(n):\n    t = 0\n    for i in range(n):\n        t += i\n    return t\nprint(f(3))\n",
  "x = [i * 2 for i in range(3)]\n",
  "n = 0\nwhile True:\n    n += 1\n    if n == 3:\n        break\n",
  "for i in range(2):\n    for j in range(2):\n        y = j\nz = 0\n",
  "try:\n    1 / 0\nexcept ZeroDivisionError:\n    z = 2\nfinally:\n    w = 3\n",
  "def g():\n    return 1\nfor k in range(2): g()\n",
  "while False:\n    pass\nelse:\n    e = 1\n",
];

describe("the interpreter's line events", () => {
  it("are sys.settrace's: every new line and every backward jump", () => {
    const expected = python<Array<Array<[string, number]>>>(LINE_EVENTS, LOOPS);
    LOOPS.forEach((source, i) => {
      const events: Array<[string, number]> = [];
      const ran = runPython(source, {
        filename: "<prog>",
        setup: (vm) => {
          vm.onLine = (frame, line) => events.push([frame.code.unit.name, line]);
        },
      });
      expect(ran.status).toBe(0);
      expect({ source, events }).toEqual({ source, events: expected[i] });
    });
  });
});

const CYCLE = `import gc
class Node:
    def __del__(self):
        print("del")
x = [1, 2, 3]
y = x
del x
del y
a = Node()
a.me = a
del a
print(gc.collect())
`;

/** What the test reads of python3's gc module. */
interface GcRead {
  enabled: boolean;
  thresholds: number[];
  collections: number[];
  collected: number[];
  garbage: number;
}

function kinds(events: readonly RecordedEvent[]): string[] {
  return events.map((e) => (e.kind === "free" ? `free:${e.type}:${e.cause.by}` : e.kind));
}

describe("recordPython", () => {
  const trace = recordPython(CYCLE, { filename: "cycle.py", objects: true });

  it("records each line's events, frames and output", () => {
    expect(trace.status).toBe(0);
    expect(trace.format).toBe("mm-py-trace");
    expect(trace.version).toBe(1);
    expect(trace.truncated).toBe(false);
    const at = (line: number) => trace.steps.filter((s) => s.line === line);
    // x = [1, 2, 3]: one list, bound to x once the line is over.
    const [make] = at(5);
    const list = make!.events.find((e) => e.kind === "allocate" && e.type === "list");
    expect(list).toBeDefined();
    const address = (list as { address: number }).address;
    const module = make!.frames.at(-1)!;
    expect(module.name).toBe("<module>");
    expect(module.variables).toContainEqual({ name: "x", address });
    // y = x frees nothing; del x frees nothing (y holds it); del y frees it by count.
    expect(at(6)[0]!.events).toEqual([]);
    expect(at(7)[0]!.events).toEqual([]);
    expect(at(8)[0]!.events).toContainEqual({
      kind: "free",
      address,
      type: "list",
      size: (list as { size: number }).size,
      cause: { by: "refcount" },
    });
    // The cycle (one Node, its values inline) dies in gc.collect(): its finalizer, its free by
    // generation 2, the collection (python3 prints 1).
    const collecting = at(12).flatMap((s) => s.events);
    expect(kinds(collecting)).toEqual(
      expect.arrayContaining(["finalize", "free:Node:collection", "collect"]),
    );
    expect(collecting).toContainEqual(
      expect.objectContaining({ kind: "collect", generation: 2, collected: 1 }),
    );
    // Output goes to the step that printed it: "del" in __del__'s line, "1" in line 12's.
    expect(trace.steps.filter((s) => s.stdout !== "").map((s) => [s.line, s.stdout])).toEqual([
      [4, "del\n"],
      [12, "1\n"],
    ]);
  });

  it("snapshots the objects the frames reach, as the runtime sees them", () => {
    const step = trace.steps.find((s) => s.line === 5)!;
    const x = step.frames.at(-1)!.variables.find((v) => v.name === "x")!;
    const list = step.objects!.find((o) => o.address === x.address)!;
    expect(list).toMatchObject({ type: "list", refcount: 1, size: 88, tracked: true });
    expect(list.repr).toBe("[1, 2, 3]");
    expect(list.references).toHaveLength(3);
    for (const item of list.references)
      expect(step.objects!.find((o) => o.address === item)?.type).toBe("int");
  });

  it("is plain data: JSON gives it back unchanged", () => {
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
  });

  it("counts every event in its summary, recorded or not", () => {
    const all = trace.steps.flatMap((s) => s.events);
    const counted = trace.summary.events;
    for (const kind of ["allocate", "free", "finalize", "collect"] as const)
      expect(all.filter((e) => e.kind === kind).length).toBeLessThanOrEqual(counted[kind]);
    expect(counted.finalize).toBe(1);
    expect(counted.collect).toBe(1);
    // The Node is freed by the full collection; so is anything its finalizer's print made and
    // dropped while the collection ran (a free during a collection is counted as the
    // collection's).
    const byCollection = all.filter(
      (e) => e.kind === "free" && e.cause.by === "collection" && e.cause.generation === 2,
    );
    expect(byCollection.some((e) => e.kind === "free" && e.type === "Node")).toBe(true);
    expect(trace.summary.freedBy.collection[2]).toBe(byCollection.length);
  });

  it("records the gc state each step ends with, as python3's gc module reports it", () => {
    const program = [
      "import gc",
      "gc.disable()",
      "gc.set_threshold(500, 7, 9)",
      "a = []",
      "a.append(a)",
      "del a",
      "gc.collect(0)",
      "gc.collect(1)",
      "gc.collect()",
      "done = 1",
      "",
    ].join("\n");
    // python3 runs the same lines, reading the gc module after line 3 and after line 10 (its
    // startup has collected already: the difference is the program's).
    const expected = python<{ before: GcRead; after: GcRead }>(
      `
import gc, json, sys
src = json.load(sys.stdin).split("\\n")
def read():
    return {"enabled": gc.isenabled(), "thresholds": list(gc.get_threshold()),
            "collections": [s["collections"] for s in gc.get_stats()],
            "collected": [s["collected"] for s in gc.get_stats()], "garbage": len(gc.garbage)}
g = {"__name__": "__main__"}
exec("\\n".join(src[:3]), g)
before = read()
exec("\\n".join(src[3:10]), g)
print(json.dumps({"before": before, "after": read()}))
`,
      program,
    );
    const run = recordPython(program, { objects: true });
    const last = (line: number) => run.steps.filter((s) => s.line === line).at(-1)!.gc!;
    const before = last(3);
    const after = last(10);
    const diff = (a: readonly number[], b: readonly number[]) => a.map((x, i) => x - (b[i] ?? 0));
    expect({
      enabled: after.enabled,
      thresholds: after.thresholds,
      collections: diff(after.collections, before.collections),
      collected: diff(after.collected, before.collected),
      garbage: after.garbage,
    }).toEqual({
      enabled: expected.after.enabled,
      thresholds: expected.after.thresholds,
      collections: diff(expected.after.collections, expected.before.collections),
      collected: diff(expected.after.collected, expected.before.collected),
      garbage: expected.after.garbage,
    });
    // A full collection leaves every generation's count at zero (the cpython collector's).
    expect(last(9).counts).toEqual([0, 0, 0]);
  });

  it("records pymalloc's pools with each object's block in one of them", () => {
    const run = recordPython("x = [1, 2, 3]\ny = (x, 'abc')\n", { objects: true, pools: true });
    for (const step of run.steps) {
      const heap = step.heap!;
      const arenas = new Set(heap.arenas.map((a) => a.index));
      for (const pool of heap.pools) expect(arenas.has(pool.arena)).toBe(true);
      for (const object of step.objects!) {
        // A small object's block lies in a carved pool of the size class its block needs.
        const pool = heap.pools.find(
          (p) => object.address >= p.address && object.address < p.address + 16384,
        );
        expect(pool, `${object.type} at ${object.address}`).toBeDefined();
        expect(pool!.blocksInUse).toBeGreaterThan(0);
      }
    }
    expect(run.steps.at(-1)!.objects!.every((o) => o.finalized === false)).toBe(true);
  });

  it("marks an object whose __del__ ran and that came back as finalized", () => {
    const program = [
      "saved = []",
      "class R:",
      "    def __del__(self):",
      "        saved.append(self)",
      "r = R()",
      "del r",
      "x = 0",
      "",
    ].join("\n");
    const run = recordPython(program, { objects: true });
    const step = run.steps.filter((s) => s.line === 7).at(-1)!;
    const back = step.objects!.filter((o) => o.type === "R");
    expect(back).toHaveLength(1);
    expect(back[0]!.finalized).toBe(true);
  });

  it("shows a cycle no variable reaches as stranded until a collection frees it", () => {
    const program = [
      "import gc",
      "a = []",
      "b = [a]",
      "a.append(b)",
      "del a, b",
      "n = gc.collect()",
      "",
    ].join("\n");
    const stranded = (collector: "cpython" | "refcount", line: number) =>
      recordPython(program, { objects: true, runtimeOptions: { collector } })
        .steps.filter((s) => s.line === line)
        .at(-1)!
        .objects!.filter((o) => !o.reachable)
        .map((o) => o.type);
    expect(stranded("cpython", 5)).toEqual(["list", "list"]);
    expect(stranded("cpython", 6)).toEqual([]);
    // Reference counting alone never frees it: a leak, still there after gc.collect().
    expect(stranded("refcount", 6)).toEqual(["list", "list"]);
  });

  it("lists at most objectLimit objects, the nearest first", () => {
    const program = "x = [[i] for i in range(30)]\n";
    const full = recordPython(program, { objects: true }).steps.at(-1)!.objects!;
    const cut = recordPython(program, { objects: true, objectLimit: 5 }).steps.at(-1)!.objects!;
    expect(cut.map((o) => o.address)).toEqual(full.slice(0, 5).map((o) => o.address));
  });

  it("keeps a prefix of the steps within its budget, and the same counts", () => {
    const full = recordPython(CYCLE);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: full.summary.lines + 2 }), (budget) => {
        const cut = recordPython(CYCLE, { budget });
        expect(cut.summary).toEqual({ ...full.summary, recorded: cut.steps.length });
        expect(cut.truncated).toBe(budget < full.summary.lines);
        expect(cut.steps.map((s) => s.line)).toEqual(
          full.steps.slice(0, cut.steps.length).map((s) => s.line),
        );
        if (cut.truncated) expect(cut.steps.length).toBeLessThan(full.steps.length);
        else expect(cut.steps.length).toBe(full.steps.length);
      }),
      { numRuns: 15 },
    );
  });

  it("describes events in words", () => {
    expect(describeEvent({ kind: "allocate", address: 0x10, type: "list", size: 56 })).toBe(
      "allocated list (56 bytes) at 0x10",
    );
    expect(
      describeEvent({
        kind: "free",
        address: 0x10,
        type: "Node",
        size: 56,
        cause: { by: "collection", generation: 1 },
      }),
    ).toBe("freed Node (56 bytes) at 0x10: found unreachable by a generation 1 collection");
    expect(describeEvent({ kind: "collect", generation: 0, collected: 1, pauseMs: 0 })).toBe(
      "collected generation 0: 1 unreachable object found",
    );
  });

  it("records invalid Python as no steps, python3's SyntaxError report and status 1", () => {
    const bad = recordPython("x = )", { filename: "bad.py" });
    expect(bad.status).toBe(1);
    expect(bad.steps).toEqual([]);
    expect(bad.stderr).toBe(
      "  File \"bad.py\", line 1\n    x = )\n        ^\nSyntaxError: unmatched ')'\n",
    );
  });

  it("records a construct outside the subset as no steps, one line and status 2", () => {
    const bad = recordPython("async def f(): pass", {
      filename: "bad.py",
      syntaxErrorPrefix: "mm: ",
    });
    expect(bad.status).toBe(2);
    expect(bad.steps).toEqual([]);
    expect(bad.stderr).toBe("mm: bad.py:1:1: async functions are not supported\n");
  });
});

// Each session through code.InteractiveConsole (python3's interactive rules), stdout only.
const SESSIONS = `
import code, contextlib, io, json, sys
out = []
for lines in json.load(sys.stdin):
    buf = io.StringIO()
    console = code.InteractiveConsole({"__name__": "__main__"})
    console.write = lambda data: None
    with contextlib.redirect_stdout(buf):
        for line in lines:
            console.push(line)
    out.append(buf.getvalue())
print(json.dumps(out))
`;

const INPUTS = [
  ["x = 1", "x", "x + 1", "None"],
  ["3 * 4", "_ + 1", "_", "None", "_"],
  ["for i in range(3): i", "", "'done'"],
  ["def f(n):", "    return n * 2", "", "f(4)", "[f(i) for i in range(3)]"],
  ["if True:", "    'yes'", "else:", "    'no'", "", "print('after')"],
  ["[1,", " 2]", "{'a': (1,", "", "2)}"],
  ["1/0", "print('still here')", "x = )", "'next'"],
  ["class A:", "    def __repr__(self):", "        return 'A!'", "", "A()", "[A(), A()]"],
  ["try:", "    1/0", "except ZeroDivisionError:", "    'caught'", ""],
];

describe("PyRepl", () => {
  it("prints what python3's interactive interpreter prints", () => {
    const expected = python<string[]>(SESSIONS, INPUTS);
    INPUTS.forEach((lines, i) => {
      let out = "";
      const repl = new PyRepl({
        stdout: (t) => {
          out += t;
        },
        stderr: () => {},
      });
      for (const line of lines) repl.push(line);
      repl.push("");
      repl.close();
      expect({ lines, out }).toEqual({ lines, out: expected[i] });
    });
  });

  it("reports errors as python3 does and goes on", () => {
    let err = "";
    const repl = new PyRepl({ stdout: () => {}, stderr: (t) => (err += t) });
    expect(repl.prompt).toBe(">>> ");
    repl.push("1/0");
    expect(err).toBe(
      'Traceback (most recent call last):\n  File "<stdin>", line 1, in <module>\nZeroDivisionError: division by zero\n',
    );
    err = "";
    repl.push("x = )");
    expect(err).toBe(
      "  File \"<stdin>\", line 1\n    x = )\n        ^\nSyntaxError: unmatched ')'\n",
    );
    expect(repl.push("if True:")).toBe(true);
    expect(repl.prompt).toBe("... ");
    repl.reset();
    expect(repl.prompt).toBe(">>> ");
    repl.push("exit(4)");
    expect(repl.exitStatus).toBe(4);
    repl.close();
  });
});

describe("unclosed", () => {
  // Balanced expressions over brackets, strings that hold brackets, and comments.
  const { expr } = fc.letrec((tie) => ({
    expr: fc.oneof(
      { depthSize: "small" },
      fc.constantFrom("x", "1", "'(['", '"}"', "'''a\n(b'''", "#(\n"),
      fc
        .tuple(
          fc.constantFrom(["(", ")"], ["[", "]"], ["{", "}"]),
          fc.array(tie("expr"), { maxLength: 3 }),
        )
        .map(([[open, close], items]) => `${open}${items.join(", ")}${close}`),
    ),
  }));

  it("holds a balanced expression closed, and open before its last bracket closes", () => {
    fc.assert(
      fc.property(expr, (text) => {
        expect(unclosed(text)).toBe(false);
        if (/^[([{]/.test(text)) expect(unclosed(text.slice(0, -1))).toBe(true);
      }),
    );
  });

  it("reads on after a backslash and inside a triple-quoted string", () => {
    expect(unclosed("x = 1 + \\")).toBe(true);
    expect(unclosed("s = '''abc")).toBe(true);
    expect(unclosed("s = '''abc'''")).toBe(false);
    expect(unclosed("x = ')'  # (")).toBe(false);
  });
});
