// A model-based test of the whole address space: random sequences of reads, writes, sbrk,
// mmap, munmap, mprotect, page-source maps, pushes, pops, calls and returns, run against a plain
// model (a Map of mapped pages, a Map of known bytes, the registers and a list of frames).
// After every command the real process must agree with the model page by page, byte by byte
// and register by register, and verify() must pass.

import assert from "node:assert/strict";
import { Memory } from "@mm/heap";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, it } from "vitest";
import {
  BreakBelowStartError,
  InvalidVirtualAddressError,
  LayoutCorruptionError,
  MMAP_MIN_ADDR,
  PAGE_SIZE,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  Process,
  SegmentationFault,
  STACK_GUARD_GAP,
  StackOverflowError,
  StackUnderflowError,
  TASK_SIZE,
} from "../src/index.js";

const STACK_BYTES = 256 * 1024;
/** The constants area of the process under test (64 KiB of rodata after one page of text). */
const CONSTANTS_START = 0x401000;
const CONSTANTS_END = 0x411000;
const CODE_BYTES = 64;
const TWO_64 = 1n << 64n;

type Kind = "image" | "heap" | "mmap" | "source" | "stack";

interface ModelFrame {
  target: number;
  returnAddress: number;
  frameAddress: number;
  savedRbp: number;
  argCount: number;
  padding: number;
  callerRsp: number;
  localsAddress: number;
}

/** Everything the real process should show, kept in the plainest form. */
class Model {
  readonly pages = new Map<number, { prot: number; kind: Kind }>();
  /** Bytes whose value is known: written, or in a page mapped fresh (zero). */
  readonly known = new Map<number, number>();
  /** Pages mapped fresh and not written since: their unknown bytes are zero. */
  readonly fresh = new Set<number>();
  readonly chunks: Array<{ offset: number; start: number; end: number }> = [];
  readonly frames: ModelFrame[] = [];
  readonly pushed: bigint[][] = [[]];
  rip = 0;
  rsp = 0;
  rbp = 0;
  rflags = 0;
  brk = 0;
  startBrk = 0;
  stackStart = 0;
  stackLimit = 0;
  mmapBase = 0;

  constructor(real: Process) {
    for (const entry of real.mappings()) {
      const kind: Kind =
        entry.path === "[stack]" ? "stack" : entry.path === "[heap]" ? "heap" : "image";
      for (let a = entry.start; a < entry.end; a += PAGE_SIZE)
        this.pages.set(a / PAGE_SIZE, { prot: protOf(entry.perms), kind });
    }
    Object.assign(this, real.registers());
    this.brk = real.programBreak;
    this.startBrk = real.heapStart;
    this.stackStart = real.stackStart;
    this.stackLimit = real.stackLimit;
    this.mmapBase = real.mmapBase;
  }

  byte(address: number): number | undefined {
    return (
      this.known.get(address) ?? (this.fresh.has(Math.floor(address / PAGE_SIZE)) ? 0 : undefined)
    );
  }

  mapFresh(start: number, end: number, prot: number, kind: Kind): void {
    for (let a = start; a < end; a += PAGE_SIZE) {
      this.pages.set(a / PAGE_SIZE, { prot, kind });
      this.fresh.add(a / PAGE_SIZE);
    }
    this.forget(start, end);
  }

  unmap(start: number, end: number): void {
    for (let a = start; a < end; a += PAGE_SIZE) {
      this.pages.delete(a / PAGE_SIZE);
      this.fresh.delete(a / PAGE_SIZE);
    }
    this.forget(start, end);
  }

  forget(start: number, end: number): void {
    for (const address of this.known.keys()) {
      if (address >= start && address < end) this.known.delete(address);
    }
  }

  isFree(start: number, end: number): boolean {
    for (let a = start; a < end; a += PAGE_SIZE) if (this.pages.has(a / PAGE_SIZE)) return false;
    return true;
  }

  /** The first byte that `access` may not touch, or -1; the stack's growth area counts as mapped. */
  firstBad(address: number, length: number, access: number): number {
    // Permissions are per page, so one look per page covers every byte in it.
    for (let a = address; a < address + length; a = (Math.floor(a / PAGE_SIZE) + 1) * PAGE_SIZE) {
      const page = this.pages.get(Math.floor(a / PAGE_SIZE));
      if (page) {
        if ((page.prot & access) === 0) return a;
      } else if (!(a >= this.stackLimit && a < this.stackStart && access !== PROT_EXEC)) {
        return a;
      }
    }
    return -1;
  }

  /** Maps the stack pages an allowed access reaches below the stack, as the real one grows. */
  growFor(address: number): void {
    if (address >= this.stackStart || address < this.stackLimit) return;
    const start = Math.floor(address / PAGE_SIZE) * PAGE_SIZE;
    this.mapFresh(start, this.stackStart, PROT_READ | PROT_WRITE, "stack");
    this.stackStart = start;
  }

  /** The highest free range of `size` below mmap_base, as Linux's top-down search finds it. */
  topDown(size: number): number {
    for (let start = this.mmapBase - size; start >= MMAP_MIN_ADDR; start -= PAGE_SIZE) {
      if (this.isFree(start, start + size)) return start;
    }
    return -1;
  }

  write(address: number, bytes: Uint8Array): void {
    bytes.forEach((b, i) => {
      this.known.set(address + i, b);
    });
  }

  word(address: number): bigint | undefined {
    let value = 0n;
    for (let i = 7; i >= 0; i--) {
      const b = this.byte(address + i);
      if (b === undefined) return undefined;
      value = (value << 8n) | BigInt(b);
    }
    return value;
  }
}

function protOf(perms: string): number {
  return (
    (perms[0] === "r" ? PROT_READ : 0) |
    (perms[1] === "w" ? PROT_WRITE : 0) |
    (perms[2] === "x" ? PROT_EXEC : 0)
  );
}

function le(value: bigint, width: number): Uint8Array {
  const out = new Uint8Array(width);
  let v = BigInt.asUintN(64, value);
  for (let i = 0; i < width; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** x86's flags for 64-bit add or sub, written from the manual's definitions (not the source's). */
function x86Flags(before: number, a: number, b: number, subtract: boolean): number {
  const x = BigInt.asUintN(64, BigInt(a));
  const y = BigInt.asUintN(64, BigInt(b));
  const r = BigInt.asUintN(64, subtract ? x - y : x + y);
  const signed = (v: bigint) => BigInt.asIntN(64, v);
  const exact = subtract ? signed(x) - signed(y) : signed(x) + signed(y);
  const ones = [...(r & 0xffn).toString(2)].filter((c) => c === "1").length;
  let flags = before & ~(0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x800);
  if (subtract ? x < y : x + y >= TWO_64) flags |= 0x1;
  if (ones % 2 === 0) flags |= 0x4;
  if (subtract ? (x & 0xfn) < (y & 0xfn) : (x & 0xfn) + (y & 0xfn) > 0xfn) flags |= 0x10;
  if (r === 0n) flags |= 0x40;
  if (signed(r) < 0n) flags |= 0x80;
  if (exact !== signed(r)) flags |= 0x800;
  return flags;
}

interface Real {
  readonly p: Process;
}

/** Where an address spec points, given the current state. */
interface AddressSpec {
  readonly region: number;
  readonly offset: number;
}

function resolve(m: Model, spec: AddressSpec): number {
  const o = spec.offset;
  const mmapPages = [...m.pages].filter(
    ([, info]) => info.kind === "mmap" || info.kind === "source",
  );
  switch (spec.region) {
    case 0:
      return 0x400000 + (o % PAGE_SIZE);
    case 1:
      return 0x401000 + (o % (2 * PAGE_SIZE));
    case 2:
      return 0x411000 + (o % (3 * PAGE_SIZE));
    case 3:
      return m.startBrk + (o % (m.brk - m.startBrk + 2 * PAGE_SIZE));
    case 4:
      return mmapPages.length === 0
        ? m.mmapBase - PAGE_SIZE + (o % PAGE_SIZE)
        : mmapPages[o % mmapPages.length]![0] * PAGE_SIZE + ((o >> 8) % (PAGE_SIZE + 8)) - 4;
    case 5:
      return m.rsp + (o % 1024) - 512;
    case 6:
      return m.stackLimit - STACK_GUARD_GAP / 64 + (o % (STACK_GUARD_GAP / 32));
    case 7: {
      const pages = [...m.pages.keys()];
      return pages[o % pages.length]! * PAGE_SIZE - (o % 9);
    }
    case 9: {
      // The innermost frame's saved rbp and return address: writes here smash the stack.
      const frame = m.frames.at(-1);
      return frame ? frame.frameAddress + (o % 24) - 4 : m.rsp + (o % 64);
    }
    default:
      return 0x1000 + (o % 0x10000);
  }
}

const addressSpec = fc.record({ region: fc.integer({ min: 0, max: 9 }), offset: fc.nat() });

function expectThrow<E>(run: () => unknown, type: new (...args: never[]) => E): E {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    return error;
  }
  return assert.fail(`expected ${type.name}`);
}

/** Checks a fault, and that the attempted range holds what it held before (raw bytes). */
function expectFault(
  real: Process,
  run: () => unknown,
  address: number,
  length: number,
  bad: number,
  access: string,
): void {
  const before = rawBytes(real, address, length);
  const fault = expectThrow(run, SegmentationFault);
  assert.equal(fault.faultAddress, bad, "the fault names the first byte that may not be touched");
  assert.equal(fault.access, access);
  assert.deepEqual(rawBytes(real, address, length), before, "a fault leaves memory unchanged");
}

/** The bytes behind [address, address + length), read past the permissions; undefined where unmapped. */
function rawBytes(real: Process, address: number, length: number): Array<number | undefined> {
  const out: Array<number | undefined> = [];
  for (let a = address; a < address + length; ) {
    const next = Math.min(address + length, (Math.floor(a / PAGE_SIZE) + 1) * PAGE_SIZE);
    let offset = -1;
    try {
      offset = real.offsetOf(a);
    } catch {
      offset = -1;
    }
    for (let b = a; b < next; b++)
      out.push(offset < 0 ? undefined : real.memory.u8[offset + (b - a)]);
    a = next;
  }
  return out;
}

class ReadCommand implements fc.Command<Model, Real> {
  constructor(
    readonly spec: AddressSpec,
    readonly width: 1 | 2 | 4 | 8,
  ) {}
  check = () => true;
  run(m: Model, { p }: Real): void {
    const address = resolve(m, this.spec);
    const read = () =>
      this.width === 1
        ? BigInt(p.readU8(address))
        : this.width === 2
          ? BigInt(p.readU16(address))
          : this.width === 4
            ? BigInt(p.readU32(address))
            : p.readU64(address);
    const bad = m.firstBad(address, this.width, PROT_READ);
    if (bad >= 0) {
      expectFault(p, read, address, this.width, bad, "read");
      return;
    }
    m.growFor(address);
    const bytes = le(read(), this.width);
    bytes.forEach((b, i) => {
      const expected = m.byte(address + i);
      if (expected !== undefined)
        assert.equal(b, expected, `byte ${address + i} reads back the last write`);
      else m.known.set(address + i, b);
    });
  }
  toString = () => `read${this.width * 8}(${JSON.stringify(this.spec)})`;
}

class WriteCommand implements fc.Command<Model, Real> {
  constructor(
    readonly spec: AddressSpec,
    readonly width: 1 | 2 | 4 | 8,
    readonly value: bigint,
  ) {}
  check = () => true;
  run(m: Model, { p }: Real): void {
    const address = resolve(m, this.spec);
    const write = () =>
      this.width === 1
        ? p.writeU8(address, Number(this.value & 0xffn))
        : this.width === 2
          ? p.writeU16(address, Number(this.value & 0xffffn))
          : this.width === 4
            ? p.writeU32(address, Number(this.value & 0xffffffffn))
            : p.writeU64(address, this.value);
    const bad = m.firstBad(address, this.width, PROT_WRITE);
    if (bad >= 0) {
      expectFault(p, write, address, this.width, bad, "write");
      return;
    }
    write();
    m.growFor(address);
    m.write(address, le(this.value, this.width));
  }
  toString = () => `write${this.width * 8}(${JSON.stringify(this.spec)}, ${this.value})`;
}

class SbrkCommand implements fc.Command<Model, Real> {
  constructor(readonly increment: number) {}
  check = () => true;
  run(m: Model, { p }: Real): void {
    const requested = m.brk + this.increment;
    if (requested < m.startBrk) {
      expectThrow(() => p.sbrk(this.increment), BreakBelowStartError);
      return;
    }
    const oldTop = Math.ceil(m.brk / PAGE_SIZE) * PAGE_SIZE;
    const newTop = Math.ceil(requested / PAGE_SIZE) * PAGE_SIZE;
    let next = m.stackLimit - STACK_GUARD_GAP;
    for (const page of m.pages.keys())
      if (page * PAGE_SIZE >= oldTop && page * PAGE_SIZE < next) next = page * PAGE_SIZE;
    const fits = newTop <= oldTop || newTop + PAGE_SIZE <= next;
    assert.equal(p.sbrk(this.increment), fits ? m.brk : -1);
    if (!fits) return;
    if (newTop > oldTop) m.mapFresh(oldTop, newTop, PROT_READ | PROT_WRITE, "heap");
    else m.unmap(newTop, oldTop);
    m.brk = requested;
  }
  toString = () => `sbrk(${this.increment})`;
}

class MmapCommand implements fc.Command<Model, Real> {
  constructor(
    readonly pages: number,
    readonly prot: number,
    readonly hint: AddressSpec | undefined,
  ) {}
  check = () => true;
  run(m: Model, { p }: Real): void {
    const size = this.pages * PAGE_SIZE;
    const hint = this.hint ? Math.ceil(resolve(m, this.hint) / PAGE_SIZE) * PAGE_SIZE : 0;
    const hintOk =
      hint >= MMAP_MIN_ADDR &&
      hint + size <= m.stackLimit - STACK_GUARD_GAP &&
      m.isFree(hint, hint + size);
    const expected = hintOk ? hint : m.topDown(size);
    const options = this.hint ? { address: Math.max(0, resolve(m, this.hint)) } : {};
    assert.equal(p.mmap(size - 1, this.prot, options), expected);
    m.mapFresh(expected, expected + size, this.prot, "mmap");
  }
  toString = () =>
    `mmap(${this.pages} pages, prot ${this.prot}${this.hint ? `, hint ${JSON.stringify(this.hint)}` : ""})`;
}

class MunmapCommand implements fc.Command<Model, Real> {
  constructor(
    readonly spec: AddressSpec,
    readonly pages: number,
    readonly misalign: number,
  ) {}
  check = () => true;
  run(m: Model, { p }: Real): void {
    const address = Math.floor(resolve(m, this.spec) / PAGE_SIZE) * PAGE_SIZE + this.misalign;
    const end = address + this.pages * PAGE_SIZE;
    if (this.misalign !== 0) {
      const error = expectThrow(
        () => p.munmap(address, this.pages * PAGE_SIZE),
        InvalidVirtualAddressError,
      );
      assert.equal(error.reason, "misaligned");
      return;
    }
    if (end > TASK_SIZE) {
      const error = expectThrow(
        () => p.munmap(address, this.pages * PAGE_SIZE),
        InvalidVirtualAddressError,
      );
      assert.equal(error.reason, "out-of-range");
      return;
    }
    let foreign = false;
    for (let a = address; a < end; a += PAGE_SIZE) {
      const page = m.pages.get(a / PAGE_SIZE);
      if (page && page.kind !== "mmap") foreign = true;
    }
    if (foreign) {
      assert.equal(
        expectThrow(() => p.munmap(address, this.pages * PAGE_SIZE), InvalidVirtualAddressError)
          .reason,
        "not-owned",
      );
      return;
    }
    p.munmap(address, this.pages * PAGE_SIZE);
    m.unmap(address, end);
  }
  toString = () => `munmap(${JSON.stringify(this.spec)}+${this.misalign}, ${this.pages} pages)`;
}

class MprotectCommand implements fc.Command<Model, Real> {
  constructor(
    readonly spec: AddressSpec,
    readonly pages: number,
    readonly prot: number,
  ) {}
  check = () => true;
  run(m: Model, { p }: Real): void {
    const address = Math.floor(resolve(m, this.spec) / PAGE_SIZE) * PAGE_SIZE;
    const end = address + this.pages * PAGE_SIZE;
    if (end > TASK_SIZE) {
      const error = expectThrow(
        () => p.mprotect(address, this.pages * PAGE_SIZE, this.prot),
        InvalidVirtualAddressError,
      );
      assert.equal(error.reason, "out-of-range");
      return;
    }
    let mapped = true;
    for (let a = address; a < end; a += PAGE_SIZE) if (!m.pages.has(a / PAGE_SIZE)) mapped = false;
    const sealed = address < CONSTANTS_END && end > CONSTANTS_START;
    if (!mapped || sealed) {
      const error = expectThrow(
        () => p.mprotect(address, this.pages * PAGE_SIZE, this.prot),
        InvalidVirtualAddressError,
      );
      assert.equal(error.reason, mapped ? "sealed" : "unmapped");
      return;
    }
    p.mprotect(address, this.pages * PAGE_SIZE, this.prot);
    for (let a = address; a < end; a += PAGE_SIZE) m.pages.get(a / PAGE_SIZE)!.prot = this.prot;
  }
  toString = () => `mprotect(${JSON.stringify(this.spec)}, ${this.pages} pages, ${this.prot})`;
}

class SourceMapCommand implements fc.Command<Model, Real> {
  constructor(readonly pages: number) {}
  check = () => true;
  run(m: Model, { p }: Real): void {
    const size = this.pages * PAGE_SIZE;
    const expected = m.topDown(size);
    const offset = p.mmapPageSource.map(size);
    assert.equal(
      p.virtualAddressOf(offset),
      expected,
      "page-source chunks are placed top-down too",
    );
    m.mapFresh(expected, expected + size, PROT_READ | PROT_WRITE, "source");
    m.chunks.push({ offset, start: expected, end: expected + size });
  }
  toString = () => `mmapPageSource.map(${this.pages} pages)`;
}

class SourceUnmapCommand implements fc.Command<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.chunks.length > 0;
  run(m: Model, { p }: Real): void {
    const chunk = m.chunks.splice(this.pick % m.chunks.length, 1)[0]!;
    p.mmapPageSource.unmap(chunk.offset, chunk.end - chunk.start);
    m.unmap(chunk.start, chunk.end);
  }
  toString = () => `mmapPageSource.unmap(#${this.pick})`;
}

class PushFrameCommand implements fc.Command<Model, Real> {
  constructor(
    readonly target: number,
    readonly args: bigint[],
    readonly localsBytes: number,
  ) {}
  check = () => true;
  run(m: Model, { p }: Real): void {
    const run = () => p.pushFrame(this.target, { args: this.args, localsBytes: this.localsBytes });
    const badTarget = m.firstBad(this.target, 1, PROT_EXEC);
    if (badTarget >= 0) {
      expectFault(p, run, this.target, 1, badTarget, "execute");
      return;
    }
    const locals = Math.ceil(this.localsBytes / 16) * 16;
    const padding = (m.rsp - 8 * this.args.length) % 16 === 0 ? 0 : 8;
    const frameAddress = m.rsp - padding - 8 * this.args.length - 16;
    const lowest = frameAddress - locals;
    if (lowest < m.stackLimit) {
      expectThrow(run, StackOverflowError);
      return;
    }
    const bad = m.firstBad(lowest, m.rsp - lowest, PROT_WRITE);
    if (bad >= 0) {
      expectFault(p, run, lowest, m.rsp - lowest, bad, "write");
      return;
    }
    const frame = run();
    m.growFor(lowest);
    const expected: ModelFrame = {
      target: this.target,
      returnAddress: m.rip + 5,
      frameAddress,
      savedRbp: m.rbp,
      argCount: this.args.length,
      padding,
      callerRsp: m.rsp,
      localsAddress: lowest,
    };
    assert.deepEqual(
      { ...expected },
      {
        target: frame.function,
        returnAddress: frame.returnAddress,
        frameAddress: frame.frameAddress,
        savedRbp: frame.savedRbp,
        argCount: frame.argCount,
        padding: frame.padding,
        callerRsp: frame.callerRsp,
        localsAddress: frame.localsAddress,
      },
    );
    this.args.forEach((arg, i) => {
      m.write(frameAddress + 16 + 8 * i, le(arg, 8));
    });
    m.write(frameAddress + 8, le(BigInt(expected.returnAddress), 8));
    m.write(frameAddress, le(BigInt(m.rbp), 8));
    if (padding > 0) m.rflags = x86Flags(m.rflags, m.rsp, 8, true);
    if (locals > 0) m.rflags = x86Flags(m.rflags, frameAddress, locals, true);
    m.frames.push(expected);
    m.pushed.push([]);
    m.rip = this.target;
    m.rbp = frameAddress;
    m.rsp = lowest;
  }
  toString = () =>
    `pushFrame(0x${this.target.toString(16)}, [${this.args.join(", ")}], ${this.localsBytes})`;
}

class PopFrameCommand implements fc.Command<Model, Real> {
  check = () => true;
  run(m: Model, { p }: Real): void {
    const frame = m.frames.at(-1);
    if (!frame) {
      expectThrow(() => p.popFrame(), StackUnderflowError);
      return;
    }
    const badSlots = m.firstBad(frame.frameAddress, 16, PROT_READ);
    if (badSlots >= 0) {
      expectFault(p, () => p.popFrame(), frame.frameAddress, 16, badSlots, "read");
      return;
    }
    const savedRbp = m.word(frame.frameAddress);
    const returnAddress = m.word(frame.frameAddress + 8);
    if (savedRbp !== BigInt(frame.savedRbp) || returnAddress !== BigInt(frame.returnAddress)) {
      expectThrow(() => p.popFrame(), LayoutCorruptionError);
      return;
    }
    const badReturn = m.firstBad(frame.returnAddress, 1, PROT_EXEC);
    if (badReturn >= 0) {
      expectFault(p, () => p.popFrame(), frame.returnAddress, 1, badReturn, "execute");
      return;
    }
    const popped = p.popFrame();
    assert.equal(popped.frameAddress, frame.frameAddress, "frames come off in LIFO order");
    const cleanup = 8 * frame.argCount + frame.padding;
    if (cleanup > 0) m.rflags = x86Flags(m.rflags, frame.frameAddress + 16, cleanup, false);
    m.frames.pop();
    m.pushed.pop();
    m.rsp = frame.callerRsp;
    m.rbp = frame.savedRbp;
    m.rip = frame.returnAddress;
  }
  toString = () => "popFrame()";
}

class PushCommand implements fc.Command<Model, Real> {
  constructor(readonly value: bigint) {}
  check = () => true;
  run(m: Model, { p }: Real): void {
    const at = m.rsp - 8;
    if (at < m.stackLimit) {
      expectThrow(() => p.push(this.value), StackOverflowError);
      return;
    }
    const bad = m.firstBad(at, 8, PROT_WRITE);
    if (bad >= 0) {
      expectFault(p, () => p.push(this.value), at, 8, bad, "write");
      return;
    }
    p.push(this.value);
    m.growFor(at);
    m.write(at, le(this.value, 8));
    m.rsp = at;
    m.pushed.at(-1)!.push(BigInt.asUintN(64, this.value));
  }
  toString = () => `push(${this.value})`;
}

class PopCommand implements fc.Command<Model, Real> {
  check = () => true;
  run(m: Model, { p }: Real): void {
    const words = m.pushed.at(-1)!;
    if (words.length === 0) {
      expectThrow(() => p.pop(), StackUnderflowError);
      return;
    }
    const bad = m.firstBad(m.rsp, 8, PROT_READ);
    if (bad >= 0) {
      expectFault(p, () => p.pop(), m.rsp, 8, bad, "read");
      return;
    }
    const expected = m.word(m.rsp);
    assert.equal(
      p.pop(),
      expected,
      "pop returns what is at rsp: the last push, unless overwritten",
    );
    words.pop();
    m.rsp += 8;
  }
  toString = () => "pop()";
}

/** After every command: pages, permissions, known bytes and registers agree; verify() passes. */
class Checked implements fc.Command<Model, Real> {
  constructor(readonly inner: fc.Command<Model, Real>) {}
  check(m: Readonly<Model>): boolean {
    return this.inner.check(m);
  }
  run(m: Model, real: Real): void {
    try {
      this.#run(m, real);
    } catch (error) {
      throw new Error(
        `after ${this.inner.toString()}: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }
  }
  #run(m: Model, real: Real): void {
    this.inner.run(m, real);
    const p = real.p;
    const smashed = m.frames.some(
      (f) =>
        m.word(f.frameAddress) !== BigInt(f.savedRbp) ||
        m.word(f.frameAddress + 8) !== BigInt(f.returnAddress),
    );
    if (smashed) expectThrow(() => p.verify(), LayoutCorruptionError);
    else p.verify();
    const entries = p.mappings();
    const seen = new Set<number>();
    entries.forEach((entry, i) => {
      if (i > 0)
        assert.ok(entries[i - 1]!.end <= entry.start, "mappings never overlap and stay sorted");
      for (let a = entry.start; a < entry.end; a += PAGE_SIZE) {
        const page = m.pages.get(a / PAGE_SIZE);
        assert.ok(page, `page 0x${a.toString(16)} is mapped but the model has no mapping there`);
        assert.equal(protOf(entry.perms), page.prot, `permissions of page 0x${a.toString(16)}`);
        seen.add(a / PAGE_SIZE);
      }
    });
    assert.equal(seen.size, m.pages.size, "every page of the model is mapped");
    for (const [address, value] of m.known)
      assert.equal(p.memory.u8[p.offsetOf(address)], value, `byte 0x${address.toString(16)}`);
    assert.deepEqual(p.registers(), { rip: m.rip, rsp: m.rsp, rbp: m.rbp, rflags: m.rflags });
    assert.equal(p.programBreak, m.brk);
    assert.equal(p.depth, m.frames.length);
    assert.equal(p.stackStart, m.stackStart);
  }
  toString(): string {
    return this.inner.toString();
  }
}

const word = fc.bigInt({ min: -(1n << 63n), max: TWO_64 - 1n });
const width = fc.constantFrom<1 | 2 | 4 | 8>(1, 2, 4, 8);
const commands = [
  fc.tuple(addressSpec, width).map(([s, w]) => new ReadCommand(s, w)),
  fc.tuple(addressSpec, width, word).map(([s, w, v]) => new WriteCommand(s, w, v)),
  fc.tuple(addressSpec, width, word).map(([s, w, v]) => new WriteCommand(s, w, v)),
  fc.integer({ min: -3 * PAGE_SIZE, max: 3 * PAGE_SIZE }).map((n) => new SbrkCommand(n)),
  fc
    .tuple(
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 0, max: 7 }),
      fc.option(addressSpec, { freq: 3 }),
    )
    .map(([n, prot, hint]) => new MmapCommand(n, prot, hint ?? undefined)),
  fc
    .tuple(addressSpec, fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, 0, 0, 1, 8, 2048))
    .map(([s, n, mis]) => new MunmapCommand(s, n, mis)),
  fc
    .tuple(addressSpec, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 7 }))
    .map(([s, n, prot]) => new MprotectCommand(s, n, prot)),
  fc.integer({ min: 1, max: 3 }).map((n) => new SourceMapCommand(n)),
  fc.nat().map((n) => new SourceUnmapCommand(n)),
  fc
    .tuple(
      fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 0x400000, max: 0x400000 + CODE_BYTES - 6 }) },
        { weight: 1, arbitrary: fc.constant(0x411000) },
      ),
      fc.array(word, { maxLength: 4 }),
      fc.oneof(
        fc.integer({ min: 0, max: 64 }),
        fc.integer({ min: 0, max: 40_000 }),
        fc.integer({ min: 100_000, max: 200_000 }),
      ),
    )
    .map(([t, args, locals]) => new PushFrameCommand(t, args, locals)),
  fc.constant(new PopFrameCommand()),
  word.map((v) => new PushCommand(v)),
  fc.constant(new PopCommand()),
].map((arb) => arb.map((c) => new Checked(c)));

describe("the address space against a plain model", () => {
  it("segments never overlap, reads return the last write, permissions hold, faults change nothing, the stack is LIFO and the registers follow it", () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 40, size: "max" }), (cmds) => {
        const p = new Process(
          {
            code: new Uint8Array(CODE_BYTES).fill(0x90),
            constants: ["k"],
            data: new Uint8Array(100).fill(3),
            bssBytes: 5000,
          },
          { stackBytes: STACK_BYTES, memory: new Memory({ maximumBytes: 32 << 20 }) },
        );
        fc.modelRun(() => ({ model: new Model(p), real: { p } }), cmds);
      }),
      { numRuns: fcRuns(1000) },
    );
  });
});
