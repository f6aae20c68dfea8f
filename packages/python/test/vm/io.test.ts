// open() and the io module: a binary file's read/write/seek/tell against a plain model of its
// bytes and position (fc.commands, through the interactive interpreter over a file system in
// memory), and the objects, messages and errors of files against python3.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryFileSystem } from "../../src/vm/files.js";
import { PyRepl } from "../../src/vm/repl.js";
import { runPython } from "../../src/vm/run.js";
import { describeAgainstPython } from "./against-python.js";

interface Model {
  data: number[];
  pos: number;
}

interface Real {
  repl: PyRepl;
  files: MemoryFileSystem;
  output: string[];
}

function run(r: Real, line: string): string {
  r.output.length = 0;
  r.repl.push(line);
  return r.output.join("");
}

/** What a bytes object's repr shows. */
function bytesRepr(data: readonly number[]): string {
  let s = "";
  for (const c of data) {
    if (c === 0x5c) s += "\\\\";
    else if (c === 0x27) s += "\\'";
    else if (c === 10) s += "\\n";
    else if (c === 13) s += "\\r";
    else if (c === 9) s += "\\t";
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += `\\x${c.toString(16).padStart(2, "0")}`;
  }
  return `b'${s}'`;
}

class Op implements fc.Command<Model, Real> {
  constructor(
    readonly call: string,
    readonly apply: (m: Model) => string,
  ) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const want = this.apply(m);
    expect(run(r, `attempt(lambda: ${this.call})`)).toBe(`${want}\n`);
  }
  toString(): string {
    return this.call;
  }
}

/** flush() hands every buffered byte to the file: the file then holds the model's bytes. */
class Flush implements fc.Command<Model, Real> {
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    expect(run(r, "attempt(lambda: f.flush())")).toBe("None\n");
    expect([...(r.files.contents("model.bin") ?? [])]).toEqual(m.data);
  }
  toString(): string {
    return "f.flush()";
  }
}

const EINVAL = "OSError [Errno 22] Invalid argument";

const ops = [
  fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 40 }).map(
    (bytes) =>
      new Op(`f.write(bytes(${JSON.stringify(bytes)}))`, (m) => {
        // Writing nothing leaves the file as it is; past the end, a hole of zeros comes first.
        while (bytes.length > 0 && m.data.length < m.pos) m.data.push(0);
        m.data.splice(m.pos, bytes.length, ...bytes);
        m.pos += bytes.length;
        return String(bytes.length);
      }),
  ),
  fc.integer({ min: -1, max: 50 }).map(
    (n) =>
      new Op(`f.read(${n})`, (m) => {
        const end = n < 0 ? m.data.length : Math.min(m.data.length, m.pos + n);
        const out = m.data.slice(Math.min(m.pos, m.data.length), Math.max(end, m.pos));
        m.pos = Math.max(m.pos, end);
        return bytesRepr(out);
      }),
  ),
  fc.constant(
    new Op("f.readline()", (m) => {
      const from = Math.min(m.pos, m.data.length);
      const nl = m.data.indexOf(10, from);
      const end = nl < 0 ? m.data.length : nl + 1;
      m.pos = Math.max(m.pos, end);
      return bytesRepr(m.data.slice(from, end));
    }),
  ),
  fc.tuple(fc.integer({ min: -30, max: 60 }), fc.constantFrom(0, 1, 2)).map(
    ([offset, whence]) =>
      new Op(`f.seek(${offset}, ${whence})`, (m) => {
        const to = (whence === 0 ? 0 : whence === 1 ? m.pos : m.data.length) + offset;
        if (to < 0) return EINVAL;
        m.pos = to;
        return String(to);
      }),
  ),
  fc.constant(new Op("f.tell()", (m) => String(m.pos))),
  fc.constant(new Flush()),
];

describe("a binary file against a model of its bytes and position", () => {
  it("reads, writes, seeks and tells as an array with a cursor does, at any buffer size", () => {
    const seed = fcSeed();
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 16, -1),
        fc.commands(ops, { maxCommands: 40 }),
        (buffering, cmds) => {
          const files = new MemoryFileSystem();
          const real: Real = {
            files,
            output: [],
            repl: new PyRepl({
              stdout: (t) => real.output.push(t),
              stderr: (t) => real.output.push(t),
              files,
            }),
          };
          try {
            for (const line of [
              "def attempt(f):",
              "    try:",
              "        print(f())",
              "    except Exception as e:",
              "        print(type(e).__name__, e)",
              "",
              `f = open("model.bin", "w+b", buffering=${buffering})`,
            ])
              real.repl.push(line);
            expect(real.output.join("")).toBe("");
            const model: Model = { data: [], pos: 0 };
            fc.modelRun(() => ({ model, real }), cmds);
            // Closing writes out what is still buffered, and releases the descriptor.
            run(real, "f.close()");
            expect([...(files.contents("model.bin") ?? [])]).toEqual(model.data);
            expect(files.openCount).toBe(0);
          } finally {
            real.repl.close();
          }
        },
      ),
      { numRuns: fcRuns(30), ...(seed !== undefined ? { seed } : {}) },
    );
  }, 120_000);
});

describe("files in memory", () => {
  it("are what open() reads back, and what the host sees", () => {
    const files = new MemoryFileSystem({ "data/in.txt": "one\ntwo\n" });
    const r = runPython(
      `with open("data/in.txt") as f, open("data/out.txt", "w") as g:
    for line in f:
        g.write(line.upper())
print(open("data/out.txt").read(), end="")
`,
      { files },
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("ONE\nTWO\n");
    expect(new TextDecoder().decode(files.contents("/data/out.txt"))).toBe("ONE\nTWO\n");
    expect(files.openCount).toBe(0);
  });

  it("are the interpreter's own when the host gives none", () => {
    const r = runPython(
      `import os
with open("a.txt", "w") as f:
    f.write("kept in memory")
print(os.path.exists("a.txt"), open("a.txt").read(), os.getcwd())
os.remove("a.txt")
print(os.path.exists("a.txt"))
`,
    );
    expect(r.stdout).toBe("True kept in memory /\nFalse\n");
  });
});

describeAgainstPython("open() and the io module against python3", [
  [
    "mode errors",
    `for mode in ("z", "rw", "rr", "tb", "", "r+b+"):
    try:
        open("x", mode)
    except Exception as e:
        print(type(e).__name__, e)
for kw in ({"encoding": "utf-8"}, {"errors": "strict"}, {"newline": ""}):
    try:
        open("x", "rb", **kw)
    except Exception as e:
        print(type(e).__name__, e)
try:
    open("x", "r", buffering=0)
except ValueError as e:
    print(e)
try:
    open(3.5)
except TypeError as e:
    print(e)`,
  ],
  [
    "closed files and unsupported operations",
    `import io, os
with open("t.txt", "w") as f:
    f.write("abc\\n")
for mode, buffering in (("r", -1), ("rb", -1), ("rb", 0)):
    f = open("t.txt", mode, buffering=buffering)
    f.close()
    for name in ("read", "readline", "tell", "flush", "__enter__", "__iter__", "fileno", "readable"):
        try:
            getattr(f, name)()
        except ValueError as e:
            print(mode, buffering, name, e)
for mode, call in (("r", "write"), ("w", "read"), ("rb", "write"), ("wb", "read")):
    f = open("t.txt", mode)
    try:
        f.write("s" if "b" not in mode else b"s") if call == "write" else f.read()
    except io.UnsupportedOperation as e:
        print(mode, call, repr(e), isinstance(e, OSError), isinstance(e, ValueError))
    f.close()
f = open("t.txt", "rb", buffering=0)
try:
    f.write(b"x")
except OSError as e:
    print(type(e).__name__, e)
f.close()
try:
    open("t.txt", "x")
except FileExistsError as e:
    print(e.errno, e.strerror, e.filename)
try:
    open("missing/t.txt", "w")
except FileNotFoundError as e:
    print(e)
print(io.UnsupportedOperation.__mro__)
os.remove("t.txt")`,
  ],
  [
    "reprs, modes and attributes",
    `import io, os
for mode in ("w", "a", "r", "r+", "x", "wb", "ab+", "rb", "xb"):
    if mode.startswith("x") and os.path.exists("m.txt"):
        os.remove("m.txt")
    f = open("m.txt", mode)
    inner = getattr(f, "buffer", f)
    raw = getattr(inner, "raw", inner)
    print(mode, repr(f), repr(raw), f.mode, raw.mode, type(inner).__name__)
    print(f.readable(), f.writable(), f.seekable(), f.closed, f.name)
    f.close()
    print(repr(raw))
t = open("m.txt", "w", encoding="utf-8")
print(repr(t), t.encoding, t.errors, t.line_buffering)
t.close()
os.remove("m.txt")
print(io.DEFAULT_BUFFER_SIZE, io.SEEK_END)`,
  ],
  [
    "text: newlines, unicode, writelines, print(file=)",
    `import os
with open("n.txt", "wb") as f:
    f.write("a\\r\\nb\\rc\\nd\\u00e9\\u20ac\\U0001f600 e".encode())
with open("n.txt") as f:
    print([f.read(1), f.read(2), f.tell()])
    print(f.readlines())
with open("n.txt", newline="") as f:
    print(f.readlines())
with open("n.txt") as f:
    print(repr(f.read()))
with open("n.txt", "w") as f:
    print("x", 1, 2.5, sep="-", end="!\\n", file=f)
    print(file=f)
    f.writelines(["p\\n", "q"])
with open("n.txt") as f:
    print(f.read().split("\\n"))
with open("n.txt", "a") as f:
    print(f.tell())
os.remove("n.txt")`,
  ],
  [
    "StringIO and BytesIO",
    `import io, sys
s = io.StringIO()
print(sys.getsizeof(s), s.write("héllo\\nworld"), s.tell())
s.seek(0)
print(repr(s.readline()), repr(s.read()), s.getvalue())
print(list(io.StringIO("a\\nb\\nc")))
b = io.BytesIO(b"xyz")
print(b.read(2), b.tell(), b.getvalue(), sys.getsizeof(b))
b.seek(10)
b.write(b"!")
print(b.getvalue())
b.close()
try:
    b.getvalue()
except ValueError as e:
    print(e)
try:
    s.write(b"x")
except TypeError as e:
    print(e)`,
  ],
]);
