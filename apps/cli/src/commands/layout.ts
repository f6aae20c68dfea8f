// mm layout: the address space of a process: the runtime's own after a trace (it runs in a
// modelled process: its arenas in the mmap region, its free store on the brk heap, its strings
// in rodata, the frames of unfinished calls on the stack), a real ELF executable's as the kernel
// loads it, or both (the runtime running in that executable's process).

import { basename } from "node:path";
import { type Process, vhex } from "@mm/layout";
import {
  addressSpaceSvg,
  count,
  type FrameView,
  formatBytes,
  plural,
  type RuntimeFootprint,
  runtimeFootprint,
  stackFrames,
} from "@mm/views";
import { type Command, nonEmpty, parseCommand, positiveInteger, printJson } from "../command.js";
import { UsageError } from "../errors.js";
import { writeOutput } from "../output/files.js";
import { styleFor } from "../output/style.js";
import { elfOrUsageError, loadExecutable, readExecutable } from "../pictures/executable.js";
import { loadTrace } from "../trace/load.js";
import { type Measurement, measureTrace, type RunSummary } from "../trace/measure.js";
import { runtimeOptions, strategyHelp, strategyOptions } from "../trace/strategy.js";

/** Frames listed one per line; deeper stacks show their innermost ones. */
const FRAMES_SHOWN = 8;
/** Characters of rodata's strings listed before the rest is counted. */
const LIST_WIDTH = 48;

const help = `mm layout [TRACE.jsonl] [--elf FILE] [options]

Draws a process's address space as Linux lays it out (x86-64, randomisation off): the
segments with their sizes and permissions, the registers, and the /proc/PID/maps table.

  mm layout TRACE        the runtime's own process after the trace: pymalloc's arenas
                         mmapped below mmap_base, the free store on the brk heap, the type
                         names and the trace's names and string literals in rodata, and a
                         System V frame on the stack for every unfinished call
  mm layout --elf FILE   a real ELF64 executable, its PT_LOAD segments mapped as the kernel
                         maps them (compare with the kernel's own /proc/PID/maps)
  both                   the runtime running in that executable's process

Options:
      --elf FILE         an ELF64 x86-64 executable to load
      --at STEP          pause the program after this step: calls not yet returned keep
                         their frames on the stack, their local slots holding the virtual
                         addresses of their objects
${strategyHelp}
      --svg FILE         also draw the address space as an SVG picture in FILE, with
                         the stack's frames and what their local slots point to
      --json             print the segments, the mappings, the registers and the stack's
                         frames as JSON
  -h, --help             show this help

Example:
  mm layout packages/runtime/conformance/traces/auto-collect-churn-100k.jsonl --collector none
  mm layout packages/runtime/conformance/traces/call-nested-scopes.jsonl --at 5
  mm layout --elf /bin/cat`;

/** `mm layout`. */
export const layout: Command = {
  name: "layout",
  summary: "draw a process's address space: the runtime's own after a trace, or an ELF file's",
  help,
  run(argv, io) {
    const { values, positionals } = parseCommand(
      "layout",
      argv,
      {
        ...strategyOptions,
        elf: { type: "string" },
        at: { type: "string" },
        svg: { type: "string" },
        json: { type: "boolean" },
      },
      { min: 0, max: 1, what: "a trace file" },
    );
    const file = positionals[0];
    if (file === undefined && values.elf === undefined)
      throw new UsageError("mm layout needs a trace file, --elf FILE, or both", "layout");
    if (
      file === undefined &&
      (values.collector ?? values.allocator ?? values.preset ?? values.at) !== undefined
    )
      throw new UsageError(
        "--collector, --allocator, --preset and --at need a trace file",
        "layout",
      );
    const at = positiveInteger(values.at, "--at", "layout");
    const options = file === undefined ? undefined : runtimeOptions(values, "layout", io);
    const trace = file === undefined ? undefined : loadTrace(file, io.cwd);
    const exe = values.elf === undefined ? undefined : readExecutable(values.elf, io.cwd);
    let run: Measurement | undefined;
    let proc: Process;
    if (trace && options) {
      // The runtime lives in the process: with --elf, in the executable's image, shown with the
      // file's path, device and inode.
      const measure = () =>
        measureTrace(trace, {
          runtime: { ...options, process: exe ?? true },
          io,
          leaks: false,
          ...(at !== undefined ? { maxSteps: at } : {}),
        });
      const measured = values.elf ? elfOrUsageError(values.elf, measure) : measure();
      run = measured;
      proc = measured.runtime.process!;
    } else {
      proc = loadExecutable(exe!, values.elf!);
    }
    const footprint = run && runtimeFootprint(run.runtime, proc);
    const frames = run && stackFrames(proc);
    const title = describe(proc.path, run?.summary, values.elf);
    const svg = nonEmpty(values.svg, "--svg", "layout");
    const svgPath =
      svg !== undefined ? writeOutput(svg, io.cwd, addressSpaceSvg(proc, { title })) : undefined;
    if (values.json) {
      const summary = run?.summary;
      printJson(io, {
        ...(summary
          ? {
              trace: summary.trace,
              step: summary.steps,
              totalSteps: summary.totalSteps,
              collector: summary.collector,
              allocator: summary.allocator,
            }
          : {}),
        ...(values.elf ? { elf: proc.path, entry: proc.entry, loadBias: proc.loadBias } : {}),
        ...(footprint ? { runtime: footprint } : {}),
        ...(frames ? { stack: { depth: frames.length, frames } } : {}),
        ...(svgPath ? { svg: svgPath } : {}),
        segments: proc.segments(),
        mappings: proc.mappings(),
        registers: proc.registers(),
        programBreak: proc.programBreak,
        mmapBase: proc.mmapBase,
      });
      return;
    }
    const style = styleFor(io.stdout, io.env);
    const r = proc.registers();
    const totalSteps = run?.summary.totalSteps ?? 0;
    io.stdout.write(
      [
        style.bold(title),
        ...(at !== undefined && at > totalSteps
          ? [style.dim(`(the trace has ${count(totalSteps)} steps; --at ${at} is past its end)`)]
          : []),
        ...(footprint ? heapLines(footprint) : []),
        ...(frames ? stackLines(frames) : []),
        `registers: rip ${vhex(r.rip)}, rsp ${vhex(r.rsp)}, rbp ${vhex(r.rbp)}; brk ${vhex(proc.programBreak)}, mmap_base ${vhex(proc.mmapBase)}`,
        "",
        proc.summary().trimEnd(),
        "",
        style.bold(`/proc/${proc.pid}/maps`),
        proc.maps().trimEnd(),
        ...(svgPath ? ["", `picture: ${values.svg}`] : []),
        "",
      ].join("\n"),
    );
  },
};

function describe(path: string, run: RunSummary | undefined, elf: string | undefined): string {
  if (!run) return `${basename(path)}, loaded as the kernel loads it`;
  const image = elf ? `the runtime in ${basename(path)}'s process` : "the runtime's process";
  const where =
    run.steps < run.totalSteps
      ? `paused after step ${count(run.steps)} of ${count(run.totalSteps)}`
      : `after all ${count(run.steps)} steps`;
  return `${image} ${where} of ${basename(run.trace)} (${run.collector} collector, ${run.allocator} allocator)`;
}

/** Where the runtime's heap is: pymalloc's arenas, the free store's brk heap, rodata. */
function heapLines(f: RuntimeFootprint): string[] {
  return [
    f.arenas > 0
      ? `pymalloc: ${plural(f.arenas, "arena")} of ${formatBytes(f.arenaBytes)} mmapped below mmap_base, ${formatBytes(f.pymallocBlockBytes)} in blocks`
      : "pymalloc: no arenas mapped",
    `free store: ${formatBytes(f.brkBytes)} mapped from the brk heap${f.breakBytes > f.brkBytes ? ` (${formatBytes(f.breakBytes)} up to the break, with the pages it gave back)` : ""}, ${formatBytes(f.freeStoreBlockBytes)} in blocks`,
    f.constants
      ? `rodata: ${formatBytes(f.constants.used)} of constants, ${plural(f.constants.typeNames, "type name")} and ${plural(f.constants.strings.length - f.constants.typeNames, "string")} of the trace: ${quoted(f.constants.strings.slice(f.constants.typeNames))}`
      : "rodata: the executable's own (its image has no constants area for the runtime)",
  ];
}

/** Strings quoted and listed in one line of about {@link LIST_WIDTH} characters at most. */
function quoted(strings: readonly string[]): string {
  const shown: string[] = [];
  let width = 0;
  for (const s of strings) {
    const item = JSON.stringify(s);
    if (width + item.length > LIST_WIDTH && shown.length > 0) {
      return `${shown.join(" ")} and ${count(strings.length - shown.length)} more`;
    }
    shown.push(item);
    width += item.length + 1;
  }
  return shown.join(" ");
}

/** The stack: how many calls are unfinished, and each frame with its local slots. */
function stackLines(frames: readonly FrameView[]): string[] {
  if (frames.length === 0) return ["stack: no frames: the program is at module level"];
  const shown = frames.slice(-FRAMES_SHOWN);
  return [
    `stack: ${plural(frames.length, "frame")} of unfinished calls, innermost last (call depth ${count(frames.length + 1)} with the module)`,
    ...(frames.length > shown.length
      ? [`  ... ${plural(frames.length - shown.length, "outer frame")}`]
      : []),
    ...shown.map(
      (f) =>
        `  #${f.depth} rbp ${vhex(f.frameAddress)}, returns to ${vhex(f.returnAddress)}, locals ${f.slots.length === 0 ? "none" : f.slots.map((v) => (v === 0 ? "0" : vhex(v))).join(" ")}`,
    ),
  ];
}
