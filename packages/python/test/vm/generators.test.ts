// Generator functions against python3: the protocol's results and error messages (stdout and
// status, through the shared harness), what failing generator programs print on stderr
// (tracebacks through generator frames, "Exception ignored" reports of finalizers, the
// SyntaxErrors of misplaced `yield`), and a model of the send/throw/close state machine that
// fast-check drives through a live session.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { recordPython } from "../../src/vm/recorder.js";
import { PyRepl } from "../../src/vm/repl.js";
import { runPython } from "../../src/vm/run.js";
import { describeAgainstPython } from "./against-python.js";

const protocol: ReadonlyArray<readonly [string, string]> = [
  [
    "send before the first next",
    "def g():\n    yield 1\ntry:\n    g().send(1)\nexcept TypeError as e:\n    print(e)",
  ],
  [
    "resuming itself",
    "def g():\n    me = yield\n    try:\n        next(me)\n    except ValueError as e:\n        print(e)\n    yield\nx = g()\nnext(x)\nx.send(x)",
  ],
  [
    "ignoring GeneratorExit",
    "def g():\n    try:\n        yield\n    except GeneratorExit:\n        pass\n    yield\nx = g()\nnext(x)\ntry:\n    x.close()\nexcept RuntimeError as e:\n    print(e, x.gi_suspended)",
  ],
  [
    "StopIteration inside (PEP 479)",
    "def g():\n    yield 1\n    raise StopIteration(7)\ntry:\n    list(g())\nexcept RuntimeError as e:\n    print(e, repr(e.__cause__), e.__suppress_context__)",
  ],
  [
    "throw's argument errors",
    [
      "def g():\n    yield",
      "x = g()",
      "next(x)",
      "for args in [(1,), (ValueError(), 2), (ValueError, None, 3), ()]:",
      "    try:",
      "        x.throw(*args)",
      "    except TypeError as e:",
      "        print(e)",
      "try:\n    x.send()\nexcept TypeError as e:\n    print(e)",
      "try:\n    x.close(1)\nexcept TypeError as e:\n    print(e)",
    ].join("\n"),
  ],
  [
    "throw with a value and a tuple",
    "def g():\n    while True:\n        try:\n            yield\n        except Exception as e:\n            print(type(e).__name__, e.args)\nx = g()\nnext(x)\nx.throw(KeyError, 'k')\nx.throw(ValueError, (1, 2))\nx.throw(IndexError('i'))",
  ],
  [
    "return values through next, send, for and yield from",
    "def g():\n    yield 1\n    return 'r'\nx = g()\nnext(x)\ntry:\n    x.send(None)\nexcept StopIteration as e:\n    print(e.value, e.args)\nprint(x.send(None) if False else next(x, 'default'))\nfor v in g():\n    print(v)\ndef h():\n    r = yield from g()\n    print('got', r)\nprint(list(h()))",
  ],
  [
    "an exhausted generator's send and throw",
    "def g():\n    yield\nx = g()\nlist(x)\ntry:\n    x.send(5)\nexcept StopIteration as e:\n    print('stop', e.args)\ntry:\n    x.throw(KeyError('late'))\nexcept KeyError as e:\n    print('raised', e)",
  ],
  [
    "throw and close pass through yield from",
    "def inner():\n    try:\n        yield 1\n        yield 2\n    except KeyError:\n        print('inner handled')\n        yield 3\n    finally:\n        print('inner finally')\ndef outer():\n    try:\n        yield from inner()\n    finally:\n        print('outer finally')\no = outer()\nprint(next(o), o.throw(KeyError), o.gi_yieldfrom.__name__)\no.close()\nprint(o.gi_yieldfrom, o.gi_frame)",
  ],
  [
    "a sub-generator that ends under throw",
    "def inner():\n    try:\n        yield 1\n    except KeyError:\n        return 'from inner'\ndef outer():\n    r = yield from inner()\n    print('outer got', r)\n    yield 'after'\no = outer()\nnext(o)\nprint(o.throw(KeyError))",
  ],
  [
    "names, repr and type",
    "class C:\n    def m(self):\n        yield\n    def n(self):\n        return (x for x in ())\nprint(C().m().__name__, C().m().__qualname__, C().n().__qualname__)\nprint(type(C().m()).__name__, repr(C().m()).startswith('<generator object C.m at 0x'))",
  ],
  [
    "f_locals of a paused frame",
    "def g(a, *rest, **kw):\n    b = a + 1\n    def inner():\n        return b\n    yield inner\n    c = 3\n    yield c\nx = g(1, 2, k=3)\nprint(sorted(x.gi_frame.f_locals))\nnext(x)\nprint(x.gi_frame.f_locals['b'], x.gi_frame.f_lineno)\nnext(x)\nprint(x.gi_frame.f_locals['c'], x.gi_frame.f_lineno, x.gi_frame.f_back)",
  ],
  [
    "the recursion limit counts resumed generator frames",
    // As deep as plain calls go (the depth the program starts at is the harness's).
    "import sys\nsys.setrecursionlimit(60)\ndef rec(n):\n    try:\n        return rec(n + 1)\n    except RecursionError:\n        return n\ndef deep(n):\n    yield n\n    yield from deep(n + 1)\nlast = None\ntry:\n    for last in deep(0):\n        pass\nexcept RecursionError as e:\n    print(e, rec(0) - last)",
  ],
  [
    "bare yield forms",
    "def g():\n    x = yield\n    y = (yield)\n    print(x, y, (yield))\n    yield\n    return (yield)\nx = g()\nnext(x)\nx.send(1)\nx.send(2)\nx.send(3)\nx.send(4)\ntry:\n    x.send(5)\nexcept StopIteration as e:\n    print(e.value)",
  ],
  [
    "what the collector sees of a generator",
    "import gc\ndef f(a):\n    b = [a]\n    yield b\ng = f(1)\nprint([type(o).__name__ for o in gc.get_referents(g)])\nnext(g)\nprint([type(o).__name__ for o in gc.get_referents(g)])\nx = g.gi_frame\nprint([type(o).__name__ for o in gc.get_referents(g)], gc.is_tracked(g))\nlist(g)\nprint([type(o).__name__ for o in gc.get_referents(g)])",
  ],
  [
    "a generator lambda",
    "f = lambda: (yield 1)\nx = f()\nprint(next(x))\ntry:\n    x.send('sent')\nexcept StopIteration as e:\n    print(e.value)",
  ],
];

describeAgainstPython("the generator protocol", protocol, { quiet: true });

// Programs whose stderr is compared: failing generators, finalizers that raise, and code that
// misplaces `yield`.
const failing: ReadonlyArray<readonly [string, string]> = [
  [
    "a traceback through yield from",
    "def inner():\n    yield 1\n    x = 1 / 0\n    yield x\ndef outer():\n    yield from inner()\nfor v in outer():\n    print(v)\n",
  ],
  [
    "PEP 479's chained RuntimeError",
    "def g():\n    yield 1\n    raise StopIteration\nprint(list(g()))\n",
  ],
  [
    "an exception thrown in and replaced",
    "def g():\n    try:\n        yield 1\n    except ValueError:\n        raise KeyError('k')\nit = g()\nnext(it)\nit.throw(ValueError('v'))\n",
  ],
  [
    "throw into a generator that never started",
    "def g():\n    yield 1\nit = g()\nit.throw(TypeError, 'never started')\n",
  ],
  [
    "a finally that fails when the generator is dropped",
    "def g():\n    try:\n        yield\n    finally:\n        1 / 0\nx = g()\nnext(x)\ndel x\nprint('after')\n",
  ],
  [
    "close ignored at deallocation",
    "def g():\n    while True:\n        try:\n            yield\n        except GeneratorExit:\n            pass\nx = g()\nnext(x)\ndel x\n",
  ],
  ["yield at module level", "x = 1\nyield x\n"],
  ["yield in a class body", "class C:\n    yield 1\n"],
  ["yield in a list comprehension", "def f():\n    return [(yield x) for x in y]\n"],
  ["yield from in a generator expression", "def f(y):\n    return ((yield from x) for x in y)\n"],
  ["yield in a dict comprehension", "def f(y):\n    return {(yield): 1 for x in y}\n"],
];

const dir = mkdtempSync(join(tmpdir(), "mm-generators-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * python3's stderr and status for each program, run as a file named after it by one python3
 * process: each program runs in a child it forks, so that it starts from a fresh interpreter.
 */
function cpythonBatch(
  programs: ReadonlyArray<readonly [string, string]>,
): Array<{ stderr: string; status: number }> {
  const files = programs.map(([, source], i) => {
    const file = join(dir, `prog${i}.py`);
    writeFileSync(file, source);
    return file;
  });
  const driver = `
import json, os, sys, runpy
out = []
for file in sys.argv[1:]:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.dup2(w, 2)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        sys.argv = [file]
        try:
            runpy.run_path(file, run_name="__main__")
        except SystemExit:
            raise
        except BaseException:
            # What the top level prints: the traceback without the runner's frames.
            import traceback
            t, e, tb = sys.exc_info()
            while tb is not None and tb.tb_frame.f_code.co_filename != file:
                tb = tb.tb_next
            if isinstance(e, SyntaxError):
                tb = None
            traceback.print_exception(t, e, tb)
            sys.stderr.flush()
            os._exit(1)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    os.close(w)
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    os.close(r)
    _, status = os.waitpid(pid, 0)
    out.append({"stderr": data.decode(), "status": os.waitstatus_to_exitcode(status)})
print(json.dumps(out))
`;
  const run = spawnSync("python3", ["-c", driver, ...files], {
    encoding: "utf8",
    timeout: 60_000,
  });
  if (run.error || run.status !== 0) throw new Error(`python3 did not run: ${run.stderr}`);
  return JSON.parse(run.stdout) as Array<{ stderr: string; status: number }>;
}

const noAddresses = (text: string) => text.replace(/ at 0x[0-9a-f]+/g, " at 0x…");

describe("failing generator programs print python3's stderr", () => {
  const answers = cpythonBatch(failing);
  failing.forEach(([name, source], i) => {
    it(name, () => {
      const got = runPython(source, { filename: join(dir, `prog${i}.py`) });
      const want = answers[i]!;
      expect(noAddresses(got.stderr)).toBe(noAddresses(want.stderr));
      expect(got.status).toBe(want.status);
    });
  });
});

// ------------------------------------------------------------------ the recorder

describe("the step recorder sees generators", () => {
  const source = [
    "def squares(n):", //                 1
    "    for i in range(n):", //          2
    "        yield i * i", //             3
    "g = squares(3)", //                  4
    "first = next(g)", //                 5
    "rest = list(g)", //                  6
    "del g", //                           7
    "print(first, rest)", //              8
    "",
  ].join("\n");
  const trace = recordPython(source, { filename: "gen.py", objects: true });

  it("records the generator's allocation, its frame's lines and its free", () => {
    expect(trace.status).toBe(0);
    const made = trace.steps
      .filter((s) => s.line === 4)
      .flatMap((s) => s.events)
      .find((e) => e.kind === "allocate" && e.type === "generator");
    expect(made).toBeDefined();
    const { address, size } = made as { address: number; size: number };
    // The object is CPython's: 152 bytes and one slot per local and stack slot, GC head aside.
    expect(size).toBeGreaterThanOrEqual(152);
    // Resuming it runs its lines in its own frame, above the module's (a step is seen as it
    // ends: the loop's line ends with the generator's frame on the stack).
    const inside = trace.steps.filter((s) => s.line === 2);
    expect(inside.length).toBeGreaterThan(0);
    expect(inside[0]!.frames.map((f) => f.name)).toEqual(["<module>", "squares"]);
    const freed = trace.steps
      .filter((s) => s.line === 7)
      .flatMap((s) => s.events)
      .find((e) => e.kind === "free" && (e as { address: number }).address === address);
    expect(freed).toMatchObject({ type: "generator", cause: { by: "refcount" } });
  });
});

// ------------------------------------------------------------------ the state machine

/** What a generator of `counter()` (below) should be doing, followed in plain JavaScript. */
interface Model {
  state: "created" | "suspended" | "finished";
  total: number;
  /** How many times its `finally` ran. */
  finallies: number;
}

/** The model of a new `counter()`. */
const newModel = (): Model => ({ state: "created", total: 0, finallies: 0 });

/** A live session holding `g`, and what it printed last. */
interface Real {
  readonly repl: PyRepl;
  output: string[];
}

const SETUP = [
  "import sys",
  "log = []",
  "def counter():",
  "    total = 0",
  "    try:",
  "        while True:",
  "            try:",
  "                v = yield total",
  "            except ValueError:",
  "                total = 0",
  "            else:",
  "                total += 1 if v is None else v",
  "    finally:",
  "        log.append('finally')",
  "",
  "def attempt(f, *args):",
  "    try:",
  "        print('ok', f(*args))",
  "    except BaseException as e:",
  "        print(type(e).__name__, e)",
  "",
  "g = counter()",
];

function run(real: Real, line: string): string {
  real.output = [];
  real.repl.push(line);
  return real.output.join("");
}

/** A command: the line it runs and what the model says it prints, updating the model. */
abstract class GenCommand implements fc.Command<Model, Real> {
  abstract readonly line: string;
  abstract expect(m: Model): string;
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const want = this.expect(m);
    expect(run(r, this.line)).toBe(want);
  }
  toString(): string {
    return this.line;
  }
}

class Next extends GenCommand {
  readonly line = "attempt(next, g)";
  expect(m: Model): string {
    if (m.state === "finished") return "StopIteration \n";
    if (m.state === "created") m.state = "suspended";
    else m.total += 1;
    return `ok ${m.total}\n`;
  }
}

class Send extends GenCommand {
  readonly line: string;
  constructor(readonly value: number) {
    super();
    this.line = `attempt(g.send, ${value})`;
  }
  expect(m: Model): string {
    if (m.state === "finished") return "StopIteration \n";
    if (m.state === "created")
      return "TypeError can't send non-None value to a just-started generator\n";
    m.total += this.value;
    return `ok ${m.total}\n`;
  }
}

class Throw extends GenCommand {
  readonly line: string;
  constructor(readonly handled: boolean) {
    super();
    this.line = `attempt(g.throw, ${handled ? "ValueError" : "KeyError"})`;
  }
  expect(m: Model): string {
    const name = this.handled ? "ValueError" : "KeyError";
    // Raised before the first line (outside the try) or after the end: it just propagates.
    if (m.state !== "suspended") {
      m.state = "finished";
      return `${name} \n`;
    }
    if (this.handled) {
      m.total = 0;
      return "ok 0\n";
    }
    m.state = "finished";
    m.finallies += 1;
    return `${name} \n`;
  }
}

class Close extends GenCommand {
  readonly line = "attempt(g.close)";
  expect(m: Model): string {
    if (m.state === "suspended") m.finallies += 1;
    m.state = "finished";
    return "ok None\n";
  }
}

class Inspect extends GenCommand {
  readonly line =
    "print(g.gi_frame is None, g.gi_running, g.gi_suspended, len(log), sys.getrefcount(g))";
  expect(m: Model): string {
    const py = (b: boolean) => (b ? "True" : "False");
    return `${py(m.state === "finished")} False ${py(m.state === "suspended")} ${m.finallies} 2\n`;
  }
}

describe("send, throw and close against a model of the generator", () => {
  it("keeps the state CPython's gen_send_ex gives", () => {
    const commands = fc.commands(
      [
        fc.constant(new Next()),
        fc.integer({ min: -5, max: 5 }).map((v) => new Send(v)),
        fc.boolean().map((h) => new Throw(h)),
        fc.constant(new Close()),
        fc.constant(new Inspect()),
      ],
      { maxCommands: 25 },
    );
    const seed = fcSeed();
    fc.assert(
      fc.property(commands, (cmds) => {
        const real: Real = {
          output: [],
          repl: new PyRepl({
            stdout: (t) => real.output.push(t),
            stderr: (t) => real.output.push(t),
          }),
        };
        try {
          for (const line of SETUP) real.repl.push(line);
          expect(real.output.join("")).toBe("");
          fc.modelRun(() => ({ model: newModel(), real }), cmds);
        } finally {
          real.repl.close();
        }
      }),
      { numRuns: fcRuns(40), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});
