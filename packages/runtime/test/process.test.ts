// A runtime inside a modelled process: arenas in the mmap region, the free store on the brk
// heap, function frames on the stack, the program's strings in rodata.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fc, test } from "@fast-check/vitest";
import { ConstantsSealedError, parseElf, SegmentationFault, StackOverflowError } from "@mm/layout";
import { fcRuns } from "@mm/vitest-config/fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError, formatEvent, parseTrace, Runtime } from "../src/index.js";
import { List } from "../src/objects/layout.js";

const line = (op: object) => JSON.stringify(op);

/** A trace of `depth` nested calls, each binding one local, the innermost reading a refcount. */
function nestedCalls(depth: number): string {
  const lines = [line({ "mm-trace": 1 })];
  for (let i = 0; i < depth; i++) {
    lines.push(line({ op: "call" }));
    lines.push(line({ op: "new", var: `v${i}`, type: "list", items: [] }));
  }
  lines.push(line({ op: "refcount", var: `v${depth - 1}` }));
  for (let i = 0; i < depth; i++) lines.push(line({ op: "return" }));
  return `${lines.join("\n")}\n`;
}

describe("a runtime in a process", () => {
  it("takes pymalloc's arenas from the mmap region and large blocks from the brk heap", () => {
    using rt = new Runtime({ env: {}, process: { pid: 311 } });
    const proc = rt.process!;
    using small = rt.list(rt.int(1));
    using big = rt.list(...Array.from({ length: 200 }, (_, i) => rt.int(i)));
    const arenas = rt.pymalloc!.arenaStats();
    expect(arenas.length).toBeGreaterThan(0);
    for (const arena of arenas) {
      const v = proc.virtualAddressOf(arena.address);
      expect(v).toBeLessThan(proc.mmapBase);
      expect(v).toBeGreaterThan(proc.programBreak);
    }
    // A 200-item list's item array (1,600 bytes) is past pymalloc's 512-byte limit: malloc.
    const items = rt.memory.u32[(rt.addressOf(big) + List.items) >>> 2]!;
    const v = proc.virtualAddressOf(items);
    expect(v).toBeGreaterThanOrEqual(proc.heapStart);
    expect(v).toBeLessThan(proc.programBreak);
    expect(rt.value(small)).toMatchObject({ type: "list" });
    expect(proc.maps()).toMatch(/ \[heap\]$/m);
    expect(proc.maps()).toMatch(/^00400000-00401000 r-xp .*\/usr\/bin\/python3\.11$/m);
    expect(rt.stats().heapBytes).toBe(
      proc.mmapPageSource.mappedBytes + proc.brkPageSource.mappedBytes,
    );
    rt.verify();
  });

  it("puts the built-in type names, the given constants and a trace's strings in rodata", () => {
    using rt = new Runtime({ env: {}, process: { constants: ["greeting"] } });
    const proc = rt.process!;
    for (const name of ["int", "str", "list", "dict", "greeting"]) {
      const address = proc.constantAddress(name)!;
      expect(proc.readCString(address)).toBe(name);
      expect(() => proc.writeU8(address, 0)).toThrow(SegmentationFault);
    }
    expect(proc.started).toBe(false);
    const trace = [
      line({ "mm-trace": 1 }),
      line({ op: "new", var: "box", type: "object", name: "a box" }),
      line({ op: "set", obj: "box", attr: "label", value: { str: "hello" } }),
      line({ op: "new", var: "d", type: "dict", items: { colour: { str: "red" } } }),
    ].join("\n");
    rt.runTrace(trace);
    for (const s of ["box", "a box", "label", "hello", "d", "colour", "red"])
      expect(proc.readCString(proc.constantAddress(s)!)).toBe(s);
    // Running code started the process: rodata is sealed.
    expect(proc.started).toBe(true);
    expect(() => proc.intern("late")).toThrow(ConstantsSealedError);
    rt.runTrace(`${line({ "mm-trace": 1 })}\n${line({ op: "new", var: "late", type: "list" })}\n`);
    expect(proc.constantAddress("late")).toBeUndefined();
    rt.verify();
  });

  it("pushes one System V frame per call, its locals holding their objects' addresses", () => {
    using rt = new Runtime({ env: {}, process: true });
    const proc = rt.process!;
    const depth = 5;
    let checked = false;
    const run = rt.runTrace(nestedCalls(depth), "calls.jsonl", {
      onStep: () => {
        const native = proc.frames();
        expect(native.length).toBe(rt.frames.depth - 1);
        if (native.length === depth && !checked) {
          checked = true;
          // The innermost frame is on top of the stack, and rbp points at it.
          expect(proc.rbp).toBe(native[depth - 1]!.frameAddress);
          for (const frame of native) expect(frame.function).toBe(proc.entry);
        }
        rt.verify();
      },
    });
    expect(checked).toBe(true);
    expect(run.map(formatEvent)).toEqual([
      JSON.stringify({ event: "refcount", var: `v${depth - 1}`, value: 1 }),
    ]);
    expect(proc.frames()).toHaveLength(0);
    expect(proc.rsp).toBe(proc.registers().rsp);
    rt.verify();
  });

  it("writes each local's object address into its stack slot and clears it on unbinding", () => {
    using rt = new Runtime({ env: {}, process: true });
    const proc = rt.process!;
    const trace = [
      line({ "mm-trace": 1 }),
      line({ op: "call" }),
      line({ op: "new", var: "a", type: "list" }),
      line({ op: "new", var: "b", type: "list" }),
      line({ op: "del", var: "a" }),
      line({ op: "return" }),
    ].join("\n");
    const seen: [number, number][] = [];
    rt.runTrace(trace, "locals.jsonl", {
      onStep: () => {
        const [frame] = proc.frames();
        if (!frame) return;
        const top = rt.frames.top;
        const slots = [...top.locals!];
        expect(slots).toEqual(["a", "b"]);
        seen.push([
          proc.readU64Number(frame.localsAddress),
          proc.readU64Number(frame.localsAddress + 8),
        ]);
        const a = top.get("a");
        expect(seen.at(-1)![0]).toBe(a === 0 ? 0 : proc.virtualAddressOf(a));
      },
    });
    expect(seen).toHaveLength(3);
    expect(seen[0]![0]).not.toBe(0);
    expect(seen[0]![1]).toBe(0);
    expect(seen[1]![1]).not.toBe(0);
    expect(seen[2]![0]).toBe(0);
    rt.verify();
  });

  it("starts every local of a new frame unbound, whatever a deeper frame left on the stack", () => {
    using rt = new Runtime({ env: {}, process: true });
    const trace = [
      line({ "mm-trace": 1 }),
      line({ op: "new", var: "keep", type: "list" }),
      line({ op: "call" }),
      ...["a", "b", "c", "d"].map((v) => line({ op: "assign", var: v, value: "keep" })),
      line({ op: "return" }),
      line({ op: "call" }),
      line({ op: "new", var: "x", type: "dict" }),
      line({ op: "new", var: "y", type: "list" }),
      line({ op: "return" }),
    ].join("\n");
    let steps = 0;
    rt.runTrace(trace, "stale.jsonl", {
      onStep: () => {
        steps++;
        rt.verify();
      },
    });
    expect(steps).toBe(9);
  });

  it("throws StackOverflowError when the calls outgrow the stack, and unwinds the run", () => {
    using rt = new Runtime({
      env: {},
      process: { stackBytes: 8 << 10 },
      recursionLimit: 100_000,
    });
    const proc = rt.process!;
    const before = rt.stats().liveObjects;
    expect(() => rt.runTrace(nestedCalls(1_000))).toThrow(StackOverflowError);
    expect(proc.frames()).toHaveLength(0);
    expect(rt.frames.depth).toBe(1);
    expect(rt.stats().liveObjects).toBe(before);
    rt.verify();
    // The runtime goes on: a shallow run works.
    expect(rt.runTrace(nestedCalls(10)).map((e) => e.event)).toEqual(["refcount"]);
    rt.verify();
  });

  it("stops at the recursion limit first with the default 8 MiB stack", () => {
    using rt = new Runtime({ env: {}, process: true });
    const events = rt.runTrace(nestedCalls(1_200)).map(formatEvent);
    expect(events[0]).toContain('"type":"RecursionError"');
    expect(rt.process!.frames()).toHaveLength(0);
    rt.verify();
  });

  it("produces the same event log as a runtime without a process", () => {
    const trace = parseTrace(nestedCalls(30), "same.jsonl");
    using bare = new Runtime({ env: {} });
    using inProcess = new Runtime({ env: {}, process: true });
    expect(inProcess.runTrace(trace)).toEqual(bare.runTrace(trace));
  });

  it("refuses process options that cannot work", () => {
    expect(() => new Runtime({ env: {}, process: { stackBytes: 100 } })).toThrow(ConfigError);
    expect(() => new Runtime({ env: {}, process: { pid: 0 } })).toThrow(/process\.pid/);
    expect(() => new Runtime({ env: {}, process: { constants: ["a\0b"] } })).toThrow(/NUL/);
    expect(
      () => new Runtime({ env: {}, heapBytes: 8 << 20, process: { stackBytes: 8 << 20 } }),
    ).toThrow(/must hold the process's/);
  });

  it("can load a real executable as its image: here the python3 that runs the conformance tests", (ctx) => {
    const which = spawnSync(
      "python3",
      ["-c", "import os, sys; print(os.path.realpath(sys.executable))"],
      {
        encoding: "utf8",
      },
    );
    if (which.status !== 0) {
      if (process.env.CI) throw new Error("python3 is missing, and CI needs it");
      ctx.skip("python3 is not on PATH");
      return;
    }
    const path = which.stdout.trim();
    const elf = parseElf(readFileSync(path));
    using rt = new Runtime({ env: {}, process: { elf, path } });
    const proc = rt.process!;
    expect(proc.constantsArea).toBeUndefined();
    expect(rt.runTrace(nestedCalls(3)).map((e) => e.event)).toEqual(["refcount"]);
    const maps = proc.maps();
    expect(maps).toContain(path);
    expect(maps).toMatch(/ \[stack\]$/m);
    expect(() => new Runtime({ env: {}, process: { elf, constants: ["x"] } })).toThrow(
      /ELF image has none/,
    );
    rt.verify();
  });

  test.prop([fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 })], {
    numRuns: fcRuns(40),
  })("keeps the process's stack and the frame stack in step through any nesting", (depths) => {
    using rt = new Runtime({ env: {}, process: { stackBytes: 256 << 10 } });
    for (const depth of depths) {
      rt.runTrace(nestedCalls(depth), "nest.jsonl", {
        onStep: () => expect(rt.process!.frames()).toHaveLength(rt.frames.depth - 1),
      });
      expect(rt.process!.frames()).toHaveLength(0);
    }
    rt.verify();
  });
});
