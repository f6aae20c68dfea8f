// input() and sys.stdin against python3 fed the same standard input: random inputs (lines of
// ASCII and other characters, "\r\n" endings, a last line with or without its newline, nothing
// at all) read by random sequences of input() with and without a prompt, readline, read(n),
// read(), readlines and iteration, each result printed with its repr and the EOFError at the end.

import { spawnSync } from "node:child_process";
import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";

/** python3's environment without a shell's PYTHON* settings. */
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith("PYTHON")),
);

/** python3's stdout, stderr and status for `source` with `input` on its stdin. */
function python3(source: string, input: string) {
  const ran = spawnSync("python3", ["-c", source], { input, encoding: "utf8", env });
  return { status: ran.status, stdout: ran.stdout, stderr: ran.stderr };
}

/** One way of reading, as a statement printing what it read. */
const read = fc.oneof(
  fc.constant("print(repr(input()))"),
  fc.constantFrom("'> '", "'name? '", "42", "''").map((p) => `print(repr(input(${p})))`),
  fc.constant("print(repr(sys.stdin.readline()))"),
  fc.integer({ min: 0, max: 12 }).map((n) => `print(repr(sys.stdin.read(${n})))`),
  fc.constant("print(repr(sys.stdin.readlines()))"),
  fc
    .integer({ min: 1, max: 3 })
    .map(
      (n) =>
        `for i, line in enumerate(sys.stdin):\n    print(i, repr(line))\n    if i == ${n - 1}: break`,
    ),
  fc.constant("print(repr(sys.stdin.read()))"),
);

const line = fc.string({
  unit: fc.constantFrom("a", "b", " ", "é", "ß", "中", "😀", "\t", "\r", "x", "1"),
  maxLength: 8,
});

const stdin = fc
  .tuple(fc.array(line, { maxLength: 6 }), fc.constantFrom("\n", "\r\n"), fc.boolean())
  .map(([lines, end, last]) => lines.join(end) + (last && lines.length > 0 ? end : ""));

describe("input() and sys.stdin", () => {
  it("read what python3 reads from the same input, to the same EOFError", () => {
    const seed = fcSeed();
    fc.assert(
      fc.property(fc.array(read, { minLength: 1, maxLength: 6 }), stdin, (reads, input) => {
        const body = reads.map((r) => r.replaceAll("\n", "\n    ")).join("\n    ");
        const source = `import sys\ntry:\n    ${body}\n    input()\nexcept EOFError as e:\n    print("EOFError:", e)\n`;
        const want = python3(source, input);
        const got = runPython(source, { filename: "<string>", stdin: input });
        expect(got.stdout).toBe(want.stdout);
        expect(got.status).toBe(want.status);
      }),
      { numRuns: fcRuns(60), ...(seed !== undefined ? { seed } : {}) },
    );
  });

  it("gives python3's streams, errors and lookups", () => {
    const source = `import sys
print(sys.stdin, sys.stdin.buffer, sys.stdin.buffer.raw, sys.stdin.errors, sys.stdout.errors,
      sys.stderr.errors, sys.stdin.encoding, sys.stdin.line_buffering, sys.stdin.fileno(),
      sys.stdin.readable(), sys.stdin.writable(), sys.__stdin__ is sys.stdin)
print(sys.getrefcount(sys.stdin), sys.getsizeof(sys.stdin), sys.getsizeof(sys.stdin.buffer))
for call in ("input(1, 2)", "input(prompt='x')", "sys.stdin.write('x')"):
    try:
        eval(call)
    except Exception as e:
        print(type(e).__name__, e)
class Reader:
    def __init__(self, lines): self.lines = lines
    def readline(self): return self.lines.pop(0)
    def fileno(self): raise OSError("no descriptor")
sys.stdin = Reader(["from a reader\\n", "no newline", b"bytes\\n", 5])
print(repr(input()), repr(input()), repr(input()))
try:
    input()
except TypeError as e:
    print(e)
sys.stdin = None
try:
    input()
except RuntimeError as e:
    print(e)
sys.stdin = sys.__stdin__
print(repr(input("last: ")))
`;
    const input = "one line\n";
    const want = python3(source, input);
    const got = runPython(source, { filename: "<string>", stdin: input });
    expect(got.stdout).toBe(want.stdout);
    expect(got.stderr).toBe(want.stderr);
    expect(got.status).toBe(want.status);
  });

  it("says which console streams are terminals, as python3 on a pipe and on a terminal", () => {
    const source = `import sys, io
print(sys.stdin.isatty(), sys.stdout.isatty(), sys.stderr.isatty(), sys.stdin.buffer.isatty(),
      sys.stdout.buffer.raw.isatty(), io.StringIO().isatty())
`;
    const piped = python3(source, "");
    expect(runPython(source, { stdin: "" }).stdout).toBe(piped.stdout);
    // python3 on a pseudo-terminal (its pty module): all three streams are the terminal.
    const terminal = spawnSync(
      "python3",
      ["-c", "import pty, sys; pty.spawn(sys.argv[1:])", "python3", "-c", source],
      { encoding: "utf8", env },
    );
    const got = runPython(source, {
      stdinIsTerminal: true,
      stdoutIsTerminal: true,
      stderrIsTerminal: true,
    });
    expect(got.stdout).toBe(terminal.stdout.replaceAll("\r\n", "\n"));
  });

  it("writes the prompt before it waits, flushing what print kept", () => {
    const order: string[] = [];
    const got = runPython('print("before", end="")\nname = input(" prompt: ")\nprint(name)\n', {
      stdout: (text) => order.push(`out ${text}`),
      stdin: (max) => {
        order.push(`read ${max}`);
        return order.length > 3 ? new Uint8Array(0) : new TextEncoder().encode("Ada\n");
      },
    });
    expect(got.status).toBe(0);
    // Everything printed so far reaches the host before the first read.
    const first = order.findIndex((e) => e.startsWith("read "));
    expect(first).toBeGreaterThan(0);
    expect(
      order
        .slice(0, first)
        .map((e) => e.replace(/^out /, ""))
        .join(""),
    ).toBe("before prompt: ");
    expect(order.at(-1)).toBe("out Ada\n");
  });
});
