// Input that used to reach the user as an internal error (exit 2, "this is a bug") or as a
// JavaScript stack overflow: each is now either run or refused in one line with exit 1.

import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SOURCES_HASH, sourcesHash } from "./build-from-sources.js";
import { mm, type Ran, tempDir } from "./support.js";

const dir = tempDir();
const line = (o: object) => JSON.stringify(o);
/** Writes a trace file of `ops` (JSON lines after the header) and returns its path. */
function traceFile(name: string, ops: readonly string[]): string {
  const file = join(dir, name);
  writeFileSync(file, `${[line({ "mm-trace": 1 }), ...ops].join("\n")}\n`);
  return file;
}

/** An ELF64 x86-64 executable of PT_LOAD segments `[flags, offset, vaddr, filesz, memsz]`. */
function elfFile(name: string, entry: number, segments: readonly number[][]): string {
  const phoff = 64;
  const end = Math.max(phoff + 56 * segments.length, ...segments.map((s) => s[1]! + s[3]!));
  const bytes = new Uint8Array(end);
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  view.setUint16(16, 2, true); // ET_EXEC
  view.setUint16(18, 62, true); // x86-64
  view.setUint32(20, 1, true);
  view.setBigUint64(24, BigInt(entry), true);
  view.setBigUint64(32, BigInt(phoff), true);
  view.setUint16(52, 64, true);
  view.setUint16(54, 56, true);
  view.setUint16(56, segments.length, true);
  segments.forEach(([flags, offset, vaddr, filesz, memsz], i) => {
    const at = phoff + 56 * i;
    view.setUint32(at, 1, true); // PT_LOAD
    view.setUint32(at + 4, flags!, true);
    view.setBigUint64(at + 8, BigInt(offset!), true);
    view.setBigUint64(at + 16, BigInt(vaddr!), true);
    view.setBigUint64(at + 24, BigInt(vaddr!), true);
    view.setBigUint64(at + 32, BigInt(filesz!), true);
    view.setBigUint64(at + 40, BigInt(memsz!), true);
    view.setBigUint64(at + 48, 0x1000n, true);
  });
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** A user error as mm reports one: exit 1, nothing on stdout, one line on stderr. */
function expectUserError(ran: Ran, pattern: RegExp): void {
  expect(ran.stderr).toMatch(/^mm: [^\n]*\n$/);
  expect(ran.stderr).toMatch(pattern);
  expect(ran).toMatchObject({ status: 1, stdout: "" });
}

const text = [5, 0x1000, 0x401000, 0x100, 0x100];
const rodata = [4, 0, 0x400000, 0x200, 0x200];

describe("mm layout", () => {
  it("runs 820 calls in a row, and as many as the trace makes (each returns to one place)", () => {
    const calls = traceFile("calls-820.jsonl", [
      line({ op: "repeat", times: 5000, ops: [{ op: "call" }, { op: "return" }] }),
    ]);
    const ran = mm(["layout", calls, "--json"]);
    expect(ran.stderr).toBe("");
    expect(ran.status).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({ step: 5000, stack: { depth: 0 } });
  });

  it("refuses a trace whose strings overflow rodata's constants area, naming the line", () => {
    const big = traceFile("big-str.jsonl", [
      line({ op: "new", var: "s", type: "str", value: "x".repeat(300_000) }),
    ]);
    expectUserError(
      mm(["layout", big]),
      /^mm: .*big-str\.jsonl:2: the program's names and strings do not fit the process's 256 KiB constants area in rodata/,
    );
    const names = traceFile(
      "many-names.jsonl",
      Array.from({ length: 20_000 }, (_, i) =>
        line({ op: "new", var: `variable_name_number_${i}`, type: "list" }),
      ),
    );
    expectUserError(mm(["layout", names]), /^mm: .*many-names\.jsonl:\d+: the program's names/);
  });

  it("refuses an ELF file whose segments need more memory than there is", () => {
    const huge = elfFile("huge.elf", 0x401000, [
      rodata,
      text,
      [6, 0x2000, 0x403000, 0x10, 0x4000_0000],
    ]);
    expectUserError(
      mm(["layout", "--elf", huge]),
      /^mm: .*huge\.elf: cannot load ELF file: its segments do not fit the memory \(out of memory/,
    );
    const calls = traceFile("one-call.jsonl", [line({ op: "call" }), line({ op: "return" })]);
    expectUserError(
      mm(["layout", calls, "--elf", huge]),
      /^mm: the executable's image does not fit the heap \(heapBytes \d+\): out of memory/,
    );
  });

  it("refuses to run the runtime in an ELF file whose entry point is not executable", () => {
    const data = elfFile("entry-in-data.elf", 0x403000, [
      rodata,
      text,
      [6, 0x2000, 0x403000, 0x10, 0x100],
    ]);
    // On its own the file loads, as the kernel would load it (and then fault at the entry).
    expect(mm(["layout", "--elf", data])).toMatchObject({ status: 0, stderr: "" });
    const calls = traceFile("a-call.jsonl", [line({ op: "call" }), line({ op: "return" })]);
    expectUserError(
      mm(["layout", calls, "--elf", data]),
      /^mm: the executable's entry point 0x0*403000 is not in an executable segment \(it is in a rw- mapping\)/,
    );
  });
});

describe("deep nesting", () => {
  const deep = traceFile("deep-calls.jsonl", [
    ...Array.from({ length: 10_000 }, () => line({ op: "call" })),
    ...Array.from({ length: 10_000 }, () => line({ op: "return" })),
  ]);

  it("of calls is run by mm run and mm layout: the recursion limit stops it, not the JS stack", () => {
    const run = mm(["run", deep, "--events"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(
      `${line({ event: "error", line: 1 + 10_000 + 10_000 - 999, type: "RecursionError", message: "maximum recursion depth exceeded" })}\n`,
    );
    const layout = mm(["layout", deep, "--json"]);
    expect(layout.stderr).toBe("");
    expect(JSON.parse(layout.stdout)).toMatchObject({
      step: 1000,
      totalSteps: 10_000,
      stack: { depth: 0 },
    });
  });

  it("of JSON in a line is refused in one line", () => {
    const nested = traceFile("deep-json.jsonl", [
      `{"op":"assign","var":"x","value":${"[".repeat(50_000)}${"]".repeat(50_000)}}`,
    ]);
    expectUserError(
      mm(["run", nested]),
      /^mm: .*deep-json\.jsonl:2: not valid JSON: arrays and objects nested deeper than 500/,
    );
  });
});

describe("the mm under test", () => {
  it("is built from the sources as they are now (a stale build cannot pass)", () => {
    expect(readFileSync(SOURCES_HASH, "utf8").trim()).toBe(sourcesHash());
  });
});

describe("arguments", () => {
  const calls = traceFile("two-calls.jsonl", [line({ op: "call" }), line({ op: "return" })]);

  it("a value that starts with '-' is one line saying how to write it", () => {
    for (const [args, option, long] of [
      [["layout", calls, "--at", "-1"], "--at", "--at"],
      [["gen", "requests", "--size", "-1"], "--size", "--size"],
      [["gen", "requests", "-n", "-1"], "-n", "--size"],
      [["gen", "requests", "--seed", "-1"], "--seed", "--seed"],
    ] as const) {
      expectUserError(
        mm(args),
        new RegExp(
          `^mm: option '${option}' needs a value \\(one that starts with '-' is written ${long}=VALUE\\) \\(see mm \\w+ --help\\)\n$`,
        ),
      );
    }
    expectUserError(
      mm(["layout", calls, "--at=-1"]),
      /^mm: --at must be a positive integer, got '-1'/,
    );
  });

  it("an echoed argument is cut, and its control characters escaped", () => {
    // 100 KB: Linux refuses a single argument past 128 KiB.
    const long = mm(["run", `${"n".repeat(100_000)}.jsonl`]);
    expectUserError(long, /^mm: n{200,}\[\.\.\. \d+ characters \.\.\.\]n*.*\n$/);
    expect(long.stderr.length).toBeLessThan(600);
    const controls = mm(["run", "evil\u001b[2J\r\u0007\u009b.jsonl"]);
    expectUserError(controls, /^mm: evil\\x1b\[2J\\r\\x07\\x9b\.jsonl: no such file\n$/);
  });

  it("a trace or an ELF file must be a regular file (a device would be read forever)", () => {
    expectUserError(
      mm(["run", "/dev/zero"]),
      /^mm: \/dev\/zero: not a regular file; a trace must be one\n$/,
    );
    expectUserError(
      mm(["layout", "--elf", "/dev/zero"]),
      /^mm: \/dev\/zero: not a regular file; an executable must be one\n$/,
    );
  });

  it("an empty --svg or --out is refused, not ignored", () => {
    expectUserError(mm(["layout", calls, "--svg", ""]), /^mm: --svg needs a file name, got ''/);
    expectUserError(mm(["heap", calls, "--svg", ""]), /^mm: --svg needs a file name, got ''/);
    expectUserError(mm(["compare", calls, "--svg", ""]), /^mm: --svg needs a file name, got ''/);
    expectUserError(mm(["gen", "churn", "--out", ""]), /^mm: --out needs a file name, got ''/);
  });

  it("mm run --events --json is refused rather than --json ignored", () => {
    expectUserError(
      mm(["run", calls, "--events", "--json"]),
      /^mm: --events and --json are two different outputs/,
    );
  });

  it("mm compare --json draws no chart unless --svg asks for one", () => {
    const cwd = tempDir();
    const ran = mm(["compare", calls, "--collectors", "cpython", "--json"], { cwd });
    expect(ran.status).toBe(0);
    expect(JSON.parse(ran.stdout)).not.toHaveProperty("svg");
    expect(readdirSync(cwd)).toEqual([]);
    const drawn = mm(["compare", calls, "--collectors", "cpython", "--json", "--svg", "c.svg"], {
      cwd,
    });
    expect(JSON.parse(drawn.stdout).svg).toBe(join(cwd, "c.svg"));
    expect(existsSync(join(cwd, "c.svg"))).toBe(true);
  });

  it("mm gen refuses a --size whose trace would pass 256 MiB, instead of running out of heap", () => {
    expectUserError(
      mm(["gen", "requests", "--size", "100000000"]),
      /^mm: --size 100000000 makes a requests trace of more than 256 MiB, the most mm reads; give a smaller --size/,
    );
  });
});
