// Living inside a modelled process: the Process a runtime runs in, the machine stack that mirrors
// its function frames, and the string constants a trace brings into rodata.

import { type Memory, OutOfMemoryError } from "@mm/heap";
import { type ElfImage, Process, type ProcessOptions, vhex } from "@mm/layout";
import type { ResolvedProcess } from "./config.js";
import { ConfigError } from "./errors.js";
import type { Frame, NativeFrames } from "./frames.js";
import type { Op, Trace, TraceValue } from "./trace/format.js";

/**
 * The interpreter's text: the prologue and epilogue of the function every Python call runs in
 * (`push rbp; mov rbp, rsp; ...; leave; ret`), as CPython's evaluation loop is one C function.
 */
const INTERPRETER_CODE = new Uint8Array([0x55, 0x48, 0x89, 0xe5, 0xc9, 0xc3]);

/** Bytes of the `call rel32` that makes a Python call from the evaluation loop. */
const CALL_SIZE = 5;

/** Room for the program's string constants: 256 KiB of rodata. */
const CONSTANTS_BYTES = 256 << 10;

/**
 * A process for a runtime: its image is the given ELF file, or the interpreter's text and a
 * rodata for the program's constants.
 */
export function createProcess(
  spec: ResolvedProcess,
  memory: Memory,
  reservedBytes: number,
): Process {
  const options = {
    pid: spec.pid,
    stackBytes: spec.stackBytes,
    memory,
    reservedBytes,
    path: spec.path ?? (spec.elf ? "a.out" : "/usr/bin/python3.11"),
    deviceMajor: spec.deviceMajor ?? 0,
    deviceMinor: spec.deviceMinor ?? 0,
    inode: spec.inode ?? 0,
  };
  if (spec.elf) return loadElf(spec.elf, options);
  return new Process(
    { code: INTERPRETER_CODE, constants: spec.constants },
    { ...options, constantsBytes: CONSTANTS_BYTES },
  );
}

/**
 * The process of an ELF image the runtime is to run in. Two images the loader accepts cannot
 * host it, and both are the caller's input, not a failure of the runtime: one larger than the
 * heap, and one whose entry point (where every Python call is made) is not executable.
 * @throws ConfigError for those two; ElfFormatError for a file the loader refuses
 */
function loadElf(elf: ElfImage, options: ProcessOptions & { memory: Memory }): Process {
  let process: Process;
  try {
    process = new Process(elf, options);
  } catch (error) {
    if (error instanceof OutOfMemoryError) {
      throw new ConfigError(
        `the executable's image does not fit the heap (heapBytes ${options.memory.maximumBytes}): ${error.message}`,
      );
    }
    throw error;
  }
  const entry = process.entry;
  const text = process.mappings().find((m) => m.start <= entry && entry < m.end);
  if (text?.perms[2] !== "x") {
    throw new ConfigError(
      `the executable's entry point ${vhex(entry)} is not in an executable segment${text ? ` (it is in a ${text.perms.slice(0, 3)} mapping)` : " (nothing is mapped there)"}: the runtime's calls start there`,
    );
  }
  return process;
}

/** Whether `process` has a constants area to intern into (an ELF image has none). */
export function hasConstantsArea(process: Process): boolean {
  return process.constantsArea !== undefined;
}

/**
 * Function frames on the process's stack. Each Python call is a System V call into the
 * interpreter (return address, saved rbp) with one 8-byte slot per declared local, holding the
 * virtual address of the object bound to it, or 0. Every call is made from the same place of
 * the evaluation loop, so every frame returns to the same address, the instruction after that
 * `call` (left to its default, the return address would be the previous return plus 5, and a
 * program that made a few hundred calls in a row would return past the end of the text).
 */
export class ProcessFrames implements NativeFrames {
  readonly #process: Process;
  readonly #locals = new WeakMap<Frame, number>();

  constructor(process: Process) {
    this.#process = process;
  }

  push(frame: Frame, slots: number): void {
    const process = this.#process;
    const native = process.pushFrame(process.entry, {
      localsBytes: slots * 8,
      returnAddress: process.entry + CALL_SIZE,
    });
    // The stack below rsp holds whatever deeper frames left there: unbound locals read 0.
    for (let slot = 0; slot < slots; slot++) process.writeU64(native.localsAddress + slot * 8, 0);
    this.#locals.set(frame, native.localsAddress);
  }

  pop(frame: Frame): void {
    this.#process.popFrame();
    this.#locals.delete(frame);
  }

  unwind(frame: Frame): void {
    this.#process.unwindFrame();
    this.#locals.delete(frame);
  }

  store(frame: Frame, slot: number, object: number): void {
    const base = this.#locals.get(frame);
    if (base === undefined) return;
    const process = this.#process;
    process.writeU64(base + slot * 8, object === 0 ? 0 : process.virtualAddressOf(object));
  }
}

/**
 * The strings a trace's code holds as constants, in order of first appearance, each with the
 * line it first appears on: variable and attribute names, class names, dict keys and string
 * literals (what CPython's compiler puts in co_names, co_varnames and co_consts).
 */
export function traceConstants(trace: Trace): Map<string, number> {
  const seen = new Map<string, number>();
  let line = 0;
  const add = (s: string | undefined) => {
    if (s !== undefined && !s.includes("\0") && !seen.has(s)) seen.set(s, line);
  };
  const value = (v: TraceValue | undefined) => {
    if (v === undefined) return;
    if (v.kind === "var") add(v.name);
    else if (v.kind === "str") add(v.value);
  };
  const target = (t: { readonly attr: string } | { readonly key: string | bigint }) => {
    if ("attr" in t) add(t.attr);
    else if (typeof t.key === "string") add(t.key);
  };
  // A stack of pending work rather than a recursion per call: calls nest as deep as the trace's
  // lines go, and the walk must not run out of JavaScript stack before the program does. The
  // strings still come in order of first appearance, a call's body before the ops after it.
  type Pending = { readonly ops: readonly Op[]; next: number } | (() => void);
  const pending: Pending[] = [{ ops: trace.ops, next: 0 }];
  for (;;) {
    const item = pending.pop();
    if (item === undefined) break;
    if (typeof item === "function") {
      item();
      continue;
    }
    const op = item.ops[item.next];
    if (op === undefined) continue;
    item.next++;
    pending.push(item);
    line = op.line;
    switch (op.op) {
      case "new-object":
        add(op.var);
        add(op.name);
        add(op.resurrect);
        break;
      case "new-list":
      case "new-tuple":
        add(op.var);
        op.items.forEach(value);
        break;
      case "new-dict":
        add(op.var);
        for (const [key, item] of op.items) {
          add(key);
          value(item);
        }
        break;
      case "new-scalar":
      case "assign":
        add(op.var);
        value(op.value);
        break;
      case "del":
      case "refcount":
      case "sizeof":
        add(op.var);
        break;
      case "set":
        add(op.obj);
        target(op.target);
        value(op.value);
        break;
      case "get":
        add(op.var);
        add(op.obj);
        target(op.target);
        break;
      case "unset":
        add(op.obj);
        target(op.target);
        break;
      case "append":
        add(op.obj);
        value(op.value);
        break;
      case "pop":
      case "clear":
        add(op.obj);
        break;
      case "weakref":
        add(op.var);
        value(op.target);
        add(op.callback);
        break;
      case "call":
        // The body first, then the return's value and the variable it is bound to.
        pending.push(() => {
          line = op.returnLine;
          value(op.value);
          add(op.var);
        });
        pending.push({ ops: op.ops, next: 0 });
        break;
      case "repeat":
        pending.push({ ops: op.ops, next: 0 });
        break;
      case "gc":
        add(op.var);
        break;
      case "collect":
        break;
    }
  }
  return seen;
}
