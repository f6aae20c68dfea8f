// The traceback module against python3: format_exc, print_exc, format_exception (chained or
// not, with limits), format_exception_only, extract_tb, format_tb, the stack functions and
// FrameSummary/StackSummary, TracebackException; and a property over random call chains, exceptions and chaining,
// whose formatted reports must be python3's byte for byte. Each program is a file python3 runs
// (so that it has source lines to show) under the path runPython is given.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";

const dir = mkdtempSync(join(tmpdir(), "mm-traceback-module-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** python3's and runPython's stdout and status for `source`, run as the file prog.py. */
function both(source: string): { want: [string, number]; got: [string, number] } {
  const file = join(dir, "prog.py");
  writeFileSync(file, source);
  const run = spawnSync("python3", ["prog.py"], { cwd: dir, encoding: "utf8", timeout: 30_000 });
  if (run.error || run.status === null) throw new Error(`python3 did not run: ${run.error}`);
  const ours = runPython(source, { filename: file });
  return { want: [run.stdout, run.status], got: [ours.stdout, ours.status] };
}

const programs: ReadonlyArray<readonly [string, string]> = [
  [
    "the positions of extracted entries",
    [
      "import traceback, sys",
      "def f(d):",
      '    return d["cl\u00e9"] + 1',
      "def g():",
      '    s = "h\u00e9llo"; return f({"cl\u00e9": s})',
      "def h():",
      "    return (1 +",
      "            None)",
      'for fn in (g, h, lambda: [1][5], lambda: int("x")):',
      "    try:",
      "        fn()",
      "    except Exception as e:",
      "        for fs in traceback.extract_tb(e.__traceback__):",
      "            print(fs.name, fs.lineno, fs.end_lineno, fs.colno, fs.end_colno, repr(fs.line))",
      "        te = traceback.TracebackException.from_exception(e)",
      "        print([(x.lineno, x.colno, x.end_colno) for x in te.stack])",
      "print([(x.colno, x.end_colno) for x in traceback.extract_stack()])",
    ].join("\n"),
  ],
  [
    "TracebackException: from_exception, format, print, stack, exc_type, chains",
    `import traceback, sys
def inner(): return 1 / 0
def outer():
    try:
        inner()
    except ZeroDivisionError as e:
        raise ValueError("bad value") from e
try:
    outer()
except Exception as e:
    te = traceback.TracebackException.from_exception(e)
    print(te.exc_type, te.exc_type.__name__, str(te), len(te.stack), [f.name for f in te.stack])
    print(''.join(te.format()))
    print('--- no chain')
    print(''.join(te.format(chain=False)))
    print(list(te.format_exception_only()), te.__cause__.exc_type, te.__context__ is not None)
    te.print(file=sys.stdout)
    print(te == traceback.TracebackException.from_exception(e))
try:
    try:
        {}['k']
    except KeyError:
        print(undefined_name)
except NameError as e:
    te = traceback.TracebackException(type(e), e, e.__traceback__)
    for line in te.format():
        print(line, end='')
    print(te.stack[0].lineno, te.stack[0].filename == __file__, te.__suppress_context__)
try:
    compile('x = (', 'snippet', 'exec')
except SyntaxError as e:
    te = traceback.TracebackException.from_exception(e)
    print(te.filename, te.lineno, te.msg, te.offset)
    print(''.join(te.format_exception_only()))`,
  ],
  [
    "reports, entries, limits and summaries",
    `import sys, traceback
def f(n):
    if n == 0:
        raise ValueError("deep")
    return f(n - 1)
try:
    f(6)
except ValueError as e:
    print(traceback.format_exc())
    print(traceback.format_exc(limit=2))
    print(traceback.format_exception(e, limit=-1))
    print(traceback.format_tb(e.__traceback__, 1))
    traceback.print_tb(e.__traceback__, limit=1, file=sys.stdout)
    traceback.print_exception(type(e), e, e.__traceback__, file=sys.stdout)
    s = traceback.extract_tb(e.__traceback__)
    print(type(s).__name__, len(s), s[0] == (s[0].filename, s[0].lineno, s[0].name, s[0].line), list(s[-1])[1:])
    print("".join(s.format()))
    print(traceback.format_list([("a.py", 3, "g", "x = 1")]))
print(traceback.format_exc(), traceback.format_exception_only(None))
print(traceback.format_exception_only(KeyError, KeyError("k")), traceback.format_exception_only(OSError(2, "gone")))
class Custom(Exception):
    pass
print(traceback.format_exception_only(Custom("c")))
def g():
    return traceback.format_stack(limit=2)
print(g())
fs = traceback.FrameSummary("x.py", 9, "h", line="  y = 2  ")
print(fs, fs.line, tuple(fs), len(fs))
try:
    traceback.format_exception(ValueError, ValueError("v"))
except ValueError as e:
    print(e)
try:
    raise TypeError("t")
except TypeError:
    try:
        raise KeyError("inner")
    except KeyError as e:
        e.__suppress_context__ = True
        print(traceback.format_exc())
        e.__suppress_context__ = False
        print(traceback.format_exc(chain=False))
        print(traceback.format_exc())`,
  ],
];

describe("traceback against python3", () => {
  it.each(programs)("%s", (_, source) => {
    const { want, got } = both(`${source}\n`);
    expect(got).toEqual(want);
  });

  const RAISES = [
    "1 / 0",
    "[][3]",
    "{}['k']",
    "int('x')",
    "None.attr",
    "raise ValueError('v')",
    "raise RuntimeError",
  ];

  it("formats random call chains and chained exceptions as python3 does", () => {
    const seed = fcSeed();
    fc.assert(
      fc.property(
        fc.nat(5),
        fc.constantFrom(...RAISES),
        fc.constantFrom("none", "from", "context", "suppress"),
        fc.constantFrom(...RAISES),
        fc.constantFrom("None", "1", "3", "-2"),
        (depth, inner, link, outer, limit) => {
          const lines = ["import sys, traceback", "def step(n):", "    if n == 0:"];
          lines.push(`        ${inner}`, "    return step(n - 1)", "def run():", "    try:");
          lines.push(`        step(${depth})`, "    except Exception as e:");
          if (link === "none") lines.push("        raise");
          else if (link === "from") lines.push(`        raise KeyError("outer") from e`);
          else if (link === "suppress") lines.push("        raise KeyError('outer') from None");
          else lines.push(`        ${outer}`);
          lines.push(
            "try:",
            "    run()",
            "except Exception as e:",
            `    print(traceback.format_exc(limit=${limit}))`,
            "    print(traceback.format_exception(e, chain=False))",
            "    print(traceback.format_exception_only(e))",
            "    print([(f.name, f.lineno, f.line) for f in traceback.extract_tb(e.__traceback__)])",
            "    traceback.print_exc(file=sys.stdout)",
            `    te = traceback.TracebackException.from_exception(e, limit=${limit})`,
            "    print(te.exc_type, len(te.stack), str(te), type(te.__cause__), type(te.__context__))",
            "    print(''.join(te.format()), list(te.format(chain=False)))",
            "    te.print(file=sys.stdout)",
          );
          const { want, got } = both(`${lines.join("\n")}\n`);
          expect(got).toEqual(want);
        },
      ),
      { numRuns: fcRuns(30), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});
