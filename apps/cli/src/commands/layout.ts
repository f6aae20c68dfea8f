// mm layout: the address space of a process: a runtime's after a trace (its arenas in the mmap
// region, its free store on the brk heap, its interned names in rodata), a real ELF
// executable's as the kernel loads it, or both (the runtime's heap in that executable).

import { basename } from "node:path";
import { vhex } from "@mm/layout";
import { type Command, parseCommand, positiveInteger, printJson } from "../command.js";
import { UsageError } from "../errors.js";
import { writeOutput } from "../output/files.js";
import { styleFor } from "../output/style.js";
import { bytes, count, plural } from "../output/units.js";
import { processFromElf, type RuntimeFootprint, runtimeProcess } from "../pictures/process.js";
import { loadTrace } from "../trace/load.js";
import { measureTrace, type RunSummary } from "../trace/measure.js";
import { runtimeOptions, strategyHelp, strategyOptions } from "../trace/strategy.js";

const help = `mm layout [TRACE.jsonl] [--elf FILE] [options]

Draws a process's address space as Linux lays it out (x86-64, randomisation off): the
segments with their sizes and permissions, and the /proc/PID/maps table.

  mm layout TRACE        a runtime after the trace: each pymalloc arena a 1 MiB mmap below
                         mmap_base, the free store on the brk heap, the names and keys the
                         trace interns in rodata
  mm layout --elf FILE   a real ELF64 executable, its PT_LOAD segments mapped as the kernel
                         maps them (compare with the kernel's own /proc/PID/maps)
  both                   the runtime's heap inside that executable's process

Options:
      --elf FILE         an ELF64 x86-64 executable to load
      --at STEP          stop the trace after this step
${strategyHelp}
      --svg FILE         also draw the address space as an SVG picture in FILE
      --json             print the segments, the mappings and the registers as JSON
  -h, --help             show this help

Example:
  mm layout packages/runtime/conformance/traces/auto-collect-churn-100k.jsonl --collector none
  mm layout --elf /bin/cat`;

/** `mm layout`. */
export const layout: Command = {
  name: "layout",
  summary: "draw a process's address space: a runtime's after a trace, or an ELF file's",
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
    const elf = values.elf === undefined ? undefined : processFromElf(values.elf, io.cwd, 1);
    let footprint: RuntimeFootprint | undefined;
    let run: RunSummary | undefined;
    let process = elf;
    if (trace && options) {
      const measured = measureTrace(trace, {
        runtime: options,
        io,
        leaks: false,
        ...(at !== undefined ? { maxSteps: at } : {}),
      });
      run = measured.summary;
      ({ process, footprint } = runtimeProcess(measured.runtime, trace, elf));
    }
    const proc = process!;
    const title = describe(proc.path, run, values.elf);
    const svgPath = values.svg ? writeOutput(values.svg, io.cwd, proc.svg({ title })) : undefined;
    if (values.json) {
      printJson(io, {
        ...(trace
          ? {
              trace: trace.file,
              step: run!.steps,
              totalSteps: run!.totalSteps,
              collector: run!.collector,
              allocator: run!.allocator,
            }
          : {}),
        ...(values.elf ? { elf: proc.path, entry: proc.entry, loadBias: proc.loadBias } : {}),
        ...(footprint ? { runtime: footprint } : {}),
        ...(svgPath ? { svg: svgPath } : {}),
        segments: proc.segments(),
        mappings: proc.mappings(),
        registers: proc.registers(),
      });
      return;
    }
    const style = styleFor(io.stdout, io.env);
    const r = proc.registers();
    io.stdout.write(
      [
        style.bold(title),
        ...(footprint ? [heapLine(footprint)] : []),
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
  const image = elf ? basename(path) : "a modelled runtime process";
  if (!run) return `${basename(path)}, loaded as the kernel loads it`;
  const where =
    run.steps < run.totalSteps
      ? `after step ${count(run.steps)} of ${count(run.totalSteps)}`
      : `after all ${count(run.steps)} steps`;
  return `${image} ${where} of ${basename(run.trace)} (${run.collector} collector, ${run.allocator} allocator)`;
}

function heapLine(f: RuntimeFootprint): string {
  const arenas =
    f.arenas > 0
      ? `${plural(f.arenas, "pymalloc arena")} of ${bytes(f.arenaBytes)} in the mmap region (${bytes(f.pymallocBlockBytes)} in blocks), `
      : "";
  const names =
    f.interned > 0
      ? `; ${plural(f.interned, "name or key", "names and keys")} interned in rodata`
      : "";
  return `the runtime's heap: ${arenas}${bytes(f.freeStoreBytes)} of free store on the brk heap (${bytes(f.freeStoreBlockBytes)} in blocks)${names}`;
}
