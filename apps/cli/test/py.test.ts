// mm py's options for watching memory (--explain, --trace-out, --summary), programs on stdin,
// and Ctrl-C, each against what python3 does with the same program.

import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, hasPython, MM, mm, tempDir } from "./support.js";

const dir = tempDir();
const havePython = hasPython("mm py's comparisons with python3");

const CYCLE = `import gc, weakref
class Node:
    def __del__(self):
        print("del", self.name)
def gone(ref):
    print("callback")
x = [1, 2, 3]
del x
a = Node()
a.name = "a"
a.me = a
r = weakref.ref(a, gone)
del a
print(gc.collect())
`;
const cycle = join(dir, "cycle.py");
writeFileSync(cycle, CYCLE);

/** python3's stdout, stderr and status for a program file (or one piped to it). */
function python3(args: string[], input?: string) {
  const ran = spawnSync("python3", args, {
    encoding: "utf8",
    ...(input !== undefined ? { input } : {}),
  });
  return { status: ran.status, stdout: ran.stdout, stderr: ran.stderr };
}

describe.runIf(havePython)("mm py", () => {
  it("--explain tells each line's memory events on stderr, stdout as python3's", () => {
    const ran = mm(["py", "--explain", cycle]);
    expect(ran.status).toBe(0);
    expect(ran.stdout).toBe(python3([cycle]).stdout);
    const err = ran.stderr;
    expect(err).toMatch(
      /^line 7: x = \[1, 2, 3\]\n {2}allocated list \(56 bytes\) at 0x[0-9a-f]+, now x\n/m,
    );
    expect(err).toMatch(
      /^line 8: del x\n {2}freed list \(56 bytes\) at 0x[0-9a-f]+: its reference count reached zero\n/m,
    );
    expect(err).toMatch(/^ {2}ran the finalizer \(__del__\) of Node at 0x[0-9a-f]+$/m);
    expect(err).toMatch(/^ {2}ran the callback of the weak reference at 0x[0-9a-f]+$/m);
    expect(err).toMatch(
      /^ {2}freed Node \(56 bytes\) at 0x[0-9a-f]+: found unreachable by a generation 2 collection$/m,
    );
    expect(err).toMatch(/^ {2}collected generation 2: \d+ unreachable objects? found$/m);
  });

  it("--trace-out writes the recording as versioned JSON", () => {
    const out = join(dir, "trace.json");
    const ran = mm(["py", cycle, "--trace-out", out, "--trace-objects"]);
    expect(ran.status).toBe(0);
    expect(ran.stderr).toBe("");
    expect(ran.stdout).toBe(python3([cycle]).stdout);
    const trace = JSON.parse(readFileSync(out, "utf8"));
    expect(trace).toMatchObject({ format: "mm-py-trace", version: 1, status: 0, truncated: false });
    expect(trace.source).toBe(CYCLE);
    expect(trace.steps.map((s: { line: number }) => s.line)).toContain(14);
    const step7 = trace.steps.find((s: { line: number }) => s.line === 7);
    expect(step7.objects.map((o: { repr: string }) => o.repr)).toContain("[1, 2, 3]");
    expect(trace.steps.map((s: { stdout: string }) => s.stdout).join("")).toBe(ran.stdout);
  });

  it("--trace-lines cuts the recording and says so", () => {
    const out = join(dir, "cut.json");
    const ran = mm(["py", cycle, "--trace-out", out, "--trace-lines", "3"]);
    expect(ran.status).toBe(0);
    expect(ran.stderr).toMatch(
      /^mm: .*cut\.json records the first 3 lines in full; the other \d+ are only counted in its summary/,
    );
    const trace = JSON.parse(readFileSync(out, "utf8"));
    expect(trace.truncated).toBe(true);
    expect(trace.budget).toBe(3);
    expect(trace.summary.lines).toBeGreaterThan(3);
    expect(trace.summary.events.finalize).toBe(1);
  });

  it("-u and PYTHONUNBUFFERED make sys.stdout and sys.stderr unbuffered, as python3's", () => {
    const file = join(dir, "unbuffered.py");
    writeFileSync(
      file,
      `import sys
for s in (sys.stdout, sys.stderr):
    print(s.line_buffering, s.write_through)
readings = [0] * 8
blocks = sys.getallocatedblocks
for i in range(4):
    readings[2 * i] = blocks()
    print("line", i)
    readings[2 * i + 1] = blocks()
print([b - a for a, b in zip(readings[::2], readings[1::2])])
`,
    );
    const run = (command: "python3" | "mm", flag: boolean, env: string) => {
      const args = [...(flag ? ["-u"] : []), file];
      const ran =
        command === "mm"
          ? mm(["py", ...args], { env: { PYTHONUNBUFFERED: env } })
          : spawnSync("python3", args, {
              encoding: "utf8",
              env: cleanEnv({ PYTHONUNBUFFERED: env }),
            });
      expect(ran.status).toBe(0);
      return ran.stdout;
    };
    const seen = new Set<string>();
    for (const [flag, env] of [
      [false, ""],
      [true, ""],
      [false, "1"],
    ] as const) {
      const expected = run("python3", flag, env);
      expect(run("mm", flag, env)).toBe(expected);
      seen.add(expected);
    }
    // Buffered and unbuffered runs differ: the test would see a stream left buffered.
    expect(seen.size).toBe(2);
  });

  it("--summary prints mm run's summary on stderr after the program", () => {
    const ran = mm(["py", "--summary", cycle]);
    expect(ran.status).toBe(0);
    expect(ran.stdout).toBe(python3([cycle]).stdout);
    const labels = ran.stderr
      .trimEnd()
      .split("\n")
      .map((line) => line.split(/\s+/)[0]);
    expect(labels).toEqual([
      "trace",
      "strategy",
      "objects",
      "heap",
      "collections",
      "pauses",
      "events",
    ]);
    expect(ran.stderr).toMatch(/^collections gen0 0, gen1 0, gen2 1$/m);
    expect(ran.stderr).toMatch(/^objects .* 0 leaked$/m);
  });

  it("runs a program piped to it as python3 does, tracebacks without source lines", () => {
    const program = 'print("piped")\nx = 0\nprint(1 / x)\n';
    const ran = mm(["py"], { input: program });
    const expected = python3([], program);
    expect(ran).toEqual(expected);
  });

  it("leaves data on stdin unread and exits when the program ends, as python3", () => {
    // The program comes from a file or -c, so stdin is not its source: python3 never reads it.
    const program = 'print("done")\nraise SystemExit(3)\n';
    writeFileSync(join(dir, "unread.py"), program);
    for (const args of [["-c", program], [join(dir, "unread.py")]]) {
      const expected = python3(args, "data nobody reads\n");
      expect(expected.status).toBe(3);
      const ran = mm(["py", ...args], { input: "data nobody reads\n", timeout: 30_000 });
      expect(ran).toEqual(expected);
    }
  });

  it("gives the program its stdin for input() and sys.stdin, as python3", () => {
    const program =
      'import sys\nprint(sys.argv[1:])\nname = input("name? ")\nprint("hi", name)\nprint(sys.stdin.read().split())\ninput()\n';
    const file = join(dir, "ask.py");
    writeFileSync(file, program);
    const input = "Ada\nmore words\nhere\n";
    const expected = python3([file], input);
    expect(expected.stderr).toContain("EOFError: EOF when reading a line");
    expect(mm(["py", file], { input, timeout: 30_000 })).toEqual(expected);
    // --explain and --trace-out run the same program with the same input and arguments.
    const explained = mm(["py", "--explain", file, "x"], { input, timeout: 30_000 });
    expect(explained.stdout).toBe(python3([file, "x"], input).stdout);
  });

  it("names a program by its absolute path and -c code as <string> without lines, as python3", () => {
    const program = "def f(x):\n    return x[3]\nf([1])\n";
    writeFileSync(join(dir, "relative.py"), program);
    const run = (args: string[]) => mm(["py", ...args], { cwd: dir });
    const python = (args: string[]) => {
      const ran = spawnSync("python3", args, { encoding: "utf8", cwd: dir });
      return { status: ran.status, stdout: ran.stdout, stderr: ran.stderr };
    };
    for (const args of [["relative.py"], ["./relative.py"], ["-c", program]]) {
      const ran = run(args);
      expect(ran).toEqual(python(args));
      expect(ran.stderr).toContain("Traceback (most recent call last):");
    }
    // Invalid code: python3's SyntaxError report, status 1.
    expect(run(["-c", "x = (1,"])).toEqual(python(["-c", "x = (1,"]));
  });

  it("gives the program its arguments as sys.argv, as python3 does", () => {
    const program = "import sys\nprint(sys.argv)\n";
    writeFileSync(join(dir, "args.py"), program);
    const run = (args: string[], input?: string) =>
      mm(["py", ...args], { cwd: dir, ...(input !== undefined ? { input } : {}) });
    const python = (args: string[], input?: string) => {
      const ran = spawnSync("python3", args, {
        encoding: "utf8",
        cwd: dir,
        ...(input !== undefined ? { input } : {}),
      });
      return { status: ran.status, stdout: ran.stdout, stderr: ran.stderr };
    };
    for (const args of [
      ["args.py"],
      ["./args.py", "1", "two", "3.0"],
      ["-c", program, "x", "y"],
      ["-c", program],
    ])
      expect(run(args)).toEqual(python(args));
    // A program on stdin: sys.argv is [''], or '-' and its arguments.
    expect(run([], program)).toEqual(python([], program));
    expect(run(["-", "a", "b"], program)).toEqual(python(["-", "a", "b"], program));
    // mm py's own options may follow the file; after '--' everything is the program's.
    const withOption = run(["args.py", "1", "--collector", "refcount", "--", "--collector", "-x"]);
    expect(withOption).toEqual(python(["args.py", "1", "--collector", "-x"]));
    // An option mm py does not know says where a program's own options go: one line, status 1.
    const unknown = run(["args.py", "--verbose"]);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toBe(
      "mm: unknown option '--verbose' (the program's own options go after --: mm py FILE.py -- ARGS) (see mm py --help)\n",
    );
    expect(unknown.status).toBe(1);
  });
  it("opens the real files, relative paths from the working directory", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "in.txt"), "first\nsecond\n");
    const program = `import os
with open("in.txt") as f, open("out.txt", "w") as g:
    for line in f:
        g.write(line.upper())
print(open("out.txt").read().split(), os.path.exists("in.txt"))
os.remove("in.txt")
try:
    open("in.txt")
except FileNotFoundError as e:
    print(e)
`;
    const ran = mm(["py", "-c", program], { cwd: dir });
    expect(ran.stderr).toBe("");
    expect(ran.stdout).toBe(
      "['FIRST', 'SECOND'] True\n[Errno 2] No such file or directory: 'in.txt'\n",
    );
    expect(readFileSync(join(dir, "out.txt"), "utf8")).toBe("FIRST\nSECOND\n");
  });

  it("follows a failed import's traceback with the modules it provides", () => {
    // python3 fails too on a module no one has: its traceback comes first, unchanged.
    const missing = "import nonexistent_module_x\n";
    const ran = mm(["py", "-c", missing]);
    const expected = python3(["-c", missing]);
    expect(ran.status).toBe(expected.status);
    expect(ran.stdout).toBe(expected.stdout);
    expect(ran.stderr).toBe(
      `${expected.stderr}mm: 'nonexistent_module_x' is not a module mm py provides; programs can import gc, sys, weakref, tracemalloc, time, copy, copyreg, math, collections, collections.abc, contextlib, dataclasses, enum, functools, itertools, io, os, json, random, heapq, bisect, pprint, operator, keyword, string, types, atexit, array, struct, abc, typing, traceback, re, textwrap, codecs, warnings, numbers, fractions and reprlib\n`,
    );
    // One python3 has: the same traceback as for a missing one, then the line naming what exists.
    const xml = mm(["py", "-c", "import xml.dom\n"]);
    expect(xml.status).toBe(1);
    expect(xml.stderr).toMatch(
      /ModuleNotFoundError: No module named 'xml'\nmm: 'xml' is not a module/,
    );
    // A module both have that is no package: python3's message alone.
    const sub = "import gc.nothing\n";
    expect(mm(["py", "-c", sub])).toEqual(python3(["-c", sub]));
    // A caught ModuleNotFoundError is the program's business: nothing is added.
    const caught = "try:\n    import xml\nexcept ImportError as e:\n    print(e)\n";
    expect(mm(["py", "-c", caught])).toEqual({
      status: 0,
      stdout: "No module named 'xml'\n",
      stderr: "",
    });
  });

  it("refuses the trace options without --trace-out", () => {
    const ran = mm(["py", cycle, "--trace-objects"]);
    expect(ran.status).toBe(1);
    expect(ran.stderr).toContain("--trace-objects goes with --trace-out FILE");
  });

  it("stops a runaway program on Ctrl-C with KeyboardInterrupt, dying by SIGINT as python3", async () => {
    const loop = join(dir, "loop.py");
    // The first line is past the 8 KiB mm holds back before writing, so its arrival says the
    // program is running (a signal before that would find no handler yet, in either).
    writeFileSync(loop, 'print("x" * 9000, flush=True)\ni = 0\nwhile True:\n    i += 1\n');
    const interrupt = (command: string, args: string[]) =>
      new Promise<{ signal: string | null; stderr: string }>((done) => {
        const child = spawn(command, args, { env: cleanEnv() });
        let stderr = "";
        child.stderr.on("data", (chunk) => {
          stderr += chunk;
        });
        child.stdout.once("data", () => setTimeout(() => child.kill("SIGINT"), 200));
        // "close", not "exit": stderr may still hold the traceback when the process is gone.
        child.on("close", (_code, signal) => done({ signal, stderr }));
      });
    const [ours, theirs] = await Promise.all([
      interrupt(process.execPath, [MM, "py", loop]),
      interrupt("python3", [loop]),
    ]);
    // python3 dies by the signal after its traceback.
    expect(theirs.signal).toBe("SIGINT");
    expect(ours.signal).toBe(theirs.signal);
    // The loop's line the interrupt lands on may differ, and with it the carets under it:
    // CPython polls on the back edge, whose position is the whole loop; here the check comes
    // every 65,536 instructions, on whichever instruction that is.
    const shape = (text: string) =>
      text.replace(/line \d+, in <module>\n.*\n( *\^+\n)?/, "line N\n");
    expect(shape(ours.stderr)).toBe(shape(theirs.stderr));
    expect(ours.stderr).toMatch(/^Traceback[\s\S]*\nKeyboardInterrupt\n$/);
  }, 20_000);

  it("ends a time.sleep on Ctrl-C with python3's traceback, long before the sleep would end", async () => {
    const sleeper = join(dir, "sleeper.py");
    writeFileSync(sleeper, 'import time\nprint("x" * 9000, flush=True)\ntime.sleep(60)\n');
    const interrupt = (command: string, args: string[]) =>
      new Promise<{ signal: string | null; stderr: string; ms: number }>((done) => {
        const started = performance.now();
        const child = spawn(command, args, { env: cleanEnv() });
        let stderr = "";
        child.stderr.on("data", (chunk) => {
          stderr += chunk;
        });
        child.stdout.once("data", () => setTimeout(() => child.kill("SIGINT"), 200));
        child.on("close", (_code, signal) =>
          done({ signal, stderr, ms: performance.now() - started }),
        );
      });
    const [ours, theirs] = await Promise.all([
      interrupt(process.execPath, [MM, "py", sleeper]),
      interrupt("python3", [sleeper]),
    ]);
    expect(theirs.signal).toBe("SIGINT");
    expect(ours.signal).toBe(theirs.signal);
    // The sleep's own line, caret-free as python3 prints a call that is the whole statement.
    expect(ours.stderr).toBe(theirs.stderr);
    expect(ours.ms).toBeLessThan(30_000);
  }, 40_000);
});
