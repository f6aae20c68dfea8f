// mm layout: the runtime's own process after a trace (or paused inside its calls), a real ELF
// executable's (checked against the kernel's own /proc/PID/maps), and the runtime running in
// that executable's process.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mm, TRACES, tempDir } from "./support.js";

const churn = join(TRACES, "auto-collect-churn-100k.jsonl");
const survivors = join(TRACES, "auto-collect-survivors-10k.jsonl");
const cycle = join(import.meta.dirname, "fixtures", "cycle.jsonl");
const calls = join(import.meta.dirname, "fixtures", "calls.jsonl");
const cat = ["/usr/bin/cat", "/bin/cat"]
  .map((f) => (existsSync(f) ? realpathSync(f) : ""))
  .find((f) => f !== "");

interface Mapping {
  start: number;
  end: number;
  perms: string;
  path: string;
}

interface Frame {
  depth: number;
  frameAddress: number;
  returnAddress: number;
  localsAddress: number;
  slots: number[];
}

function layoutJson(args: string[]) {
  const ran = mm(["layout", ...args, "--json"]);
  expect(ran.stderr).toBe("");
  expect(ran.status).toBe(0);
  return JSON.parse(ran.stdout);
}

/** The mapping that holds `address`, if any. */
function mappingOf(mappings: Mapping[], address: number): Mapping | undefined {
  return mappings.find((m) => m.start <= address && address < m.end);
}

/** Whether `address` lies inside one of the run's pymalloc arenas. */
function inArena(json: { runtime: { arenaAddresses: number[]; arenaBytes: number } }, a: number) {
  const { arenaAddresses, arenaBytes } = json.runtime;
  return arenaAddresses.some((start) => start <= a && a < start + arenaBytes);
}

describe("mm layout TRACE", () => {
  // cycle.jsonl's layout, run once for the tests that read it.
  let cycleJson: ReturnType<typeof layoutJson> | undefined;
  const cycleLayout = () => {
    cycleJson ??= layoutJson([cycle]);
    return cycleJson;
  };

  it("runs the trace in the runtime's own process: each pymalloc arena an unnamed mmap below mmap_base", () => {
    const none = layoutJson([churn, "--collector", "none"]);
    const { arenas, arenaBytes, arenaAddresses } = none.runtime;
    expect(arenas).toBeGreaterThan(1);
    expect(arenaAddresses).toHaveLength(arenas);
    for (const address of arenaAddresses) {
      const mapping = mappingOf(none.mappings, address)!;
      // As CPython 3.11 leaves them: anonymous, unnamed, read-write.
      expect(mapping).toMatchObject({ path: "", perms: "rw-p" });
      expect(address + arenaBytes).toBeLessThanOrEqual(none.mmapBase);
      expect(address).toBeGreaterThan(none.programBreak);
    }
    // The mmap region holds the arenas and nothing else: the free store is on the brk heap.
    const anonymous = none.mappings.filter((m: Mapping) => m.path === "");
    expect(anonymous.reduce((n: number, m: Mapping) => n + m.end - m.start, 0)).toBe(
      arenas * arenaBytes,
    );
    expect(Math.max(...anonymous.map((m: Mapping) => m.end))).toBe(none.mmapBase);
    const cpython = layoutJson([churn]);
    expect(cpython.runtime.arenas).toBeLessThan(arenas);
  });

  it("puts the free store on the brk heap: a [heap] mapping once it was used, none before", () => {
    const used = layoutJson([survivors]);
    const { arenas, arenaBytes, brkBytes, breakBytes, freeStoreBlockBytes } = used.runtime;
    // The one list that keeps every survivor has an item array far past pymalloc's 512 bytes.
    expect(freeStoreBlockBytes).toBeGreaterThan(8 * 12_000);
    expect(brkBytes).toBeGreaterThanOrEqual(freeStoreBlockBytes);
    const heapMapping = used.mappings.find((m: Mapping) => m.path === "[heap]");
    expect(heapMapping).toMatchObject({ end: used.programBreak, perms: "rw-p" });
    // The heap runs up to the break; pages the free store gave back below it stay inside.
    expect(heapMapping.end - heapMapping.start).toBe(breakBytes);
    expect(breakBytes).toBeGreaterThanOrEqual(brkBytes);
    expect(used.segments.find((s: { name: string }) => s.name === "heap").size).toBe(breakBytes);
    // The same heap as mm run measures: arenas and brk heap are all the runtime maps.
    const stats = JSON.parse(mm(["run", survivors, "--json"]).stdout);
    expect(arenas * arenaBytes + brkBytes).toBe(stats.heapBytes.final);
    // The run has ended: no call is left on the stack.
    expect(used.stack).toEqual({ depth: 0, frames: [] });
    const unused = cycleLayout();
    expect(unused.runtime.brkBytes).toBe(0);
    expect(unused.mappings.map((m: Mapping) => m.path)).not.toContain("[heap]");
    // Without pymalloc every block comes from the free store: no arena, all on the brk heap.
    const malloc = layoutJson([cycle, "--allocator", "malloc_debug"]);
    expect(malloc.runtime).toMatchObject({ arenas: 0, arenaAddresses: [], pymallocBlockBytes: 0 });
    expect(malloc.runtime.freeStoreBlockBytes).toBeGreaterThan(unused.runtime.pymallocBlockBytes);
    expect(malloc.mappings.map((m: Mapping) => m.path)).not.toContain("");
  });

  it("reads the type names and the trace's names and literals out of rodata", () => {
    const json = cycleLayout();
    const { constants } = json.runtime;
    expect(constants.strings.slice(0, constants.typeNames)).toEqual(
      expect.arrayContaining(["NoneType", "int", "str", "list", "dict"]),
    );
    expect(constants.strings.slice(constants.typeNames)).toEqual(
      expect.arrayContaining(["keep", "kept", "other", "a value"]),
    );
    const bytes = constants.strings.reduce(
      (n: number, s: string) => n + Buffer.byteLength(s) + 1,
      0,
    );
    expect(bytes).toBe(constants.used);
    const rodata = mappingOf(json.mappings, constants.start)!;
    expect(rodata.perms).toBe("r--p");
    expect(rodata.path).toBe("/usr/bin/python3.11");
  });

  it("prints the heap, rodata, the stack, the segments and /proc/PID/maps", () => {
    const ran = mm(["layout", cycle]);
    expect(ran.status).toBe(0);
    const lines = ran.stdout.split("\n");
    expect(lines.slice(0, 5)).toEqual([
      "the runtime's process after all 18 steps of cycle.jsonl (cpython collector, pymalloc allocator)",
      expect.stringMatching(
        /^pymalloc: 1 arena of 1 MiB mmapped below mmap_base, [\d.]+ KiB in blocks$/,
      ),
      "free store: 0 B mapped from the brk heap, 0 B in blocks",
      expect.stringMatching(
        /^rodata: 112 B of constants, 12 type names and 9 strings of the trace: "keep" "kept" "c" /,
      ),
      "stack: no frames: the program is at module level",
    ]);
    expect(ran.stdout).toMatch(
      /\nrodata +0x000000401000 +0x000000441000 +256 KiB +112 B +r-- +constants area, 21 interned\n/,
    );
    expect(ran.stdout).toMatch(
      /\n\/proc\/1\/maps\n00400000-00401000 r-xp 00000000 00:00 0 +\/usr\/bin\/python3\.11\n/,
    );
    // An unnamed mapping's line ends after the inode column, as the kernel prints it.
    expect(ran.stdout).toContain("\n7ffff7eff000-7ffff7fff000 rw-p 00000000 00:00 0 \n");
  });

  it("pauses inside calls with --at: their frames on the stack, their slots holding objects' addresses", () => {
    // Steps 104 and 105 run two calls deep; 106 returns from the inner call; 109 is the last.
    const deep = layoutJson([calls, "--at", "104"]);
    expect([deep.step, deep.totalSteps]).toEqual([104, 109]);
    expect(deep.stack.depth).toBe(2);
    const [outer, inner] = deep.stack.frames as Frame[];
    expect([outer!.depth, inner!.depth]).toEqual([0, 1]);
    expect(deep.registers.rbp).toBe(inner!.frameAddress);
    expect(deep.registers.rsp).toBe(inner!.localsAddress);
    expect(inner!.frameAddress).toBeLessThan(outer!.frameAddress);
    // The outer call's first local holds the object it made; the inner call's, its list.
    for (const frame of [outer!, inner!]) {
      expect(inArena(deep, frame.slots[0]!)).toBe(true);
      expect(mappingOf(deep.mappings, frame.frameAddress)!.path).toBe("[stack]");
    }
    expect(outer!.slots[0]).not.toBe(inner!.slots[0]);
    expect(layoutJson([calls, "--at", "106"]).stack.depth).toBe(1);

    const ran = mm(["layout", calls, "--at", "105"]);
    expect(ran.status).toBe(0);
    expect(ran.stdout).toMatch(
      /^the runtime's process paused after step 105 of 109 of calls\.jsonl/,
    );
    expect(ran.stdout).toMatch(
      /\nstack: 2 frames of unfinished calls, innermost last \(call depth 3 with the module\)\n {2}#0 rbp 0x7fffffffefc0, returns to 0x000000400005, locals 0x7ffff7[0-9a-f]{6} 0\n {2}#1 rbp 0x7fffffffefa0, /,
    );
    expect(ran.stdout).toMatch(/\nstack +0x7ffffffde000 .* limit 8 MiB, 2 frames, rsp /);
  });

  it("stops at a step, says so past the end, and draws the SVG", () => {
    const dir = tempDir();
    const early = layoutJson([churn, "--at", "10", "--svg", join(dir, "layout.svg")]);
    expect([early.step, early.totalSteps]).toEqual([10, 200011]);
    expect(readFileSync(early.svg, "utf8")).toMatch(/^<svg/);
    const past = mm(["layout", cycle, "--at", "99"]);
    expect(past.stdout).toMatch(
      /^the runtime's process after all 18 steps of cycle\.jsonl .*\n\(the trace has 18 steps; --at 99 is past its end\)\n/,
    );
  });
});

describe.runIf(cat !== undefined)("mm layout --elf", () => {
  it("loads an executable's segments where the kernel puts them, as its own maps show", () => {
    const ran = mm(["layout", "--elf", cat!]);
    expect(ran.status).toBe(0);
    const ours = ran.stdout.split("\n").filter((line) => line.endsWith(` ${cat}`));
    expect(ours.length).toBeGreaterThanOrEqual(3);
    const kernel = spawnSync("setarch", ["-R", cat!, "/proc/self/maps"], { encoding: "utf8" });
    if (kernel.status !== 0) {
      console.log("the kernel comparison skipped: setarch -R cannot turn randomisation off here");
      return;
    }
    const theirs = kernel.stdout.split("\n").filter((line) => line.endsWith(` ${cat}`));
    expect(ours).toEqual(theirs);
  });

  it("runs the runtime in that executable's process: its calls return into the file's text", () => {
    const alone = layoutJson(["--elf", cat!]);
    const both = layoutJson([calls, "--elf", cat!, "--at", "104"]);
    expect(both.elf).toBe(cat);
    expect(both.entry).toBe(alone.entry);
    expect(both.runtime.constants).toBeNull();
    const paths = both.mappings.map((m: Mapping) => m.path);
    expect(paths).toContain("[heap]");
    // The executable's own mappings are the same as when it is loaded alone.
    const own = (json: { mappings: Mapping[] }) => json.mappings.filter((m) => m.path === cat);
    expect(own(both)).toEqual(own(alone));
    for (const frame of both.stack.frames as Frame[]) {
      const text = mappingOf(both.mappings, frame.returnAddress)!;
      expect([text.path, text.perms]).toEqual([cat, "r-xp"]);
      expect(inArena(both, frame.slots[0]!)).toBe(true);
    }
    const text = mm(["layout", calls, "--elf", cat!]).stdout;
    expect(text).toMatch(/^the runtime in cat's process after all 109 steps of calls\.jsonl/);
    expect(text).toContain(
      "\nrodata: the executable's own (its image has no constants area for the runtime)\n",
    );
  });
});

describe("mm layout errors", () => {
  it("needs a trace or an executable, and refuses what cannot be loaded", () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ["layout"],
        /^mm: mm layout needs a trace file, --elf FILE, or both \(see mm layout --help\)\n$/,
      ],
      [
        ["layout", "--elf", cycle, "--collector", "none"],
        /^mm: --collector, --allocator, --preset and --at need a trace file/,
      ],
      [
        ["layout", "--elf", cycle],
        /^mm: .*cycle\.jsonl: cannot load ELF file \(not-elf\): the file does not start with the ELF magic 7f 45 4c 46\n$/,
      ],
      [["layout", cycle, "--elf", cycle], /^mm: .*cycle\.jsonl: cannot load ELF file \(not-elf\)/],
      [["layout", "--elf", "no-such-program"], /^mm: no-such-program: no such file\n$/],
      [["layout", "missing.jsonl"], /^mm: missing\.jsonl: no such file\n$/],
    ];
    for (const [args, message] of cases) {
      const ran = mm(args);
      expect(ran.status, args.join(" ")).toBe(1);
      expect(ran.stderr).toMatch(message);
    }
  });
});
