// The registers and the call stack, moved exactly as the System V x86-64 call sequence moves
// them (gcc -O0 -fno-omit-frame-pointer):
//
//   caller:  sub  rsp, 8           ; only if needed so that rsp % 16 == 0 at the call
//            push argN-1 … arg0    ; right to left: arg0 ends up lowest, at rbp + 16
//            call target           ; push return address, rip = target
//   callee:  push rbp
//            mov  rbp, rsp
//            sub  rsp, locals      ; locals rounded up to 16
//   return:  leave                 ; mov rsp, rbp; pop rbp
//            ret                   ; rip = pop
//   caller:  add  rsp, 8·N + pad
//
// Push, pop, call, ret and leave leave rflags alone; the `sub` and `add` on rsp set its six
// status flags as x86 does, so rflags always matches the last arithmetic executed.

import { invalidArgument } from "@mm/heap";
import {
  type FrameOptions,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  RFlags,
  type StackFrame,
  type Word,
} from "../api.js";
import { LayoutCorruptionError, StackOverflowError, StackUnderflowError, vhex } from "../errors.js";
import type { VirtualMemory } from "./vm.js";

const STATUS_FLAGS = RFlags.CF | RFlags.PF | RFlags.AF | RFlags.ZF | RFlags.SF | RFlags.OF;
const MASK_64 = (1n << 64n) - 1n;
const BIT_63 = 1n << 63n;

/** The flags x86 sets for the 64-bit `sub a, b` (or `add a, b`). */
export function arithmeticFlags(rflags: number, a: number, b: number, subtract: boolean): number {
  const x = BigInt(a) & MASK_64;
  const y = BigInt(b) & MASK_64;
  const r = (subtract ? x - y : x + y) & MASK_64;
  let flags = rflags & ~STATUS_FLAGS;
  if (subtract ? x < y : x + y > MASK_64) flags |= RFlags.CF;
  let low = Number(r & 0xffn);
  low ^= low >>> 4;
  low ^= low >>> 2;
  low ^= low >>> 1;
  if ((low & 1) === 0) flags |= RFlags.PF;
  if (((x ^ y ^ r) & 0x10n) !== 0n) flags |= RFlags.AF;
  if (r === 0n) flags |= RFlags.ZF;
  if ((r & BIT_63) !== 0n) flags |= RFlags.SF;
  const overflow = subtract ? (x ^ y) & (x ^ r) : ~(x ^ y) & (x ^ r);
  if ((overflow & BIT_63) !== 0n) flags |= RFlags.OF;
  return flags;
}

/** Checks a 64-bit argument: a bigint in [-2^63, 2^64) or a safe integer. */
function checkWord(what: string, value: Word): void {
  if (typeof value === "bigint") {
    if (value < -(1n << 63n) || value > MASK_64) invalidArgument(`${what} must fit 64 bits`);
  } else if (!Number.isSafeInteger(value)) {
    invalidArgument(`${what} must be a safe integer or a bigint, got ${String(value)}`);
  }
}

function wordBytes(value: Word): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(value)), true);
  return bytes;
}

function readWord(vm: VirtualMemory, address: number): bigint {
  return new DataView(vm.kernelRead(address, 8).buffer).getBigUint64(0, true);
}

export class CallStack {
  rip: number;
  rsp: number;
  rbp = 0;
  rflags: number;
  /** Where rsp was when the process started: argc, then NULL argv, envp and auxv ends. */
  readonly initialRsp: number;
  readonly #vm: VirtualMemory;
  readonly #frames: StackFrame[] = [];
  /** Words pushed with `push` at each depth (index 0: below every frame). */
  readonly #pushed: number[] = [0];

  constructor(vm: VirtualMemory, entry: number, rsp: number, rflags: number) {
    this.#vm = vm;
    this.rip = entry;
    this.rsp = rsp;
    this.initialRsp = rsp;
    this.rflags = rflags;
  }

  get depth(): number {
    return this.#frames.length;
  }

  frames(): StackFrame[] {
    return [...this.#frames];
  }

  pushFrame(target: number, options: FrameOptions): StackFrame {
    const vm = this.#vm;
    const args = options.args ?? [];
    args.forEach((arg, i) => {
      checkWord(`argument ${i}`, arg);
    });
    const requested = options.localsBytes ?? 0;
    if (!Number.isSafeInteger(requested) || requested < 0) {
      invalidArgument(`localsBytes must be a non-negative integer, got ${String(requested)}`);
    }
    const returnAddress = options.returnAddress ?? this.rip + 5;
    if (!Number.isSafeInteger(returnAddress) || returnAddress < 0) {
      invalidArgument(
        `returnAddress must be a non-negative safe integer, got ${String(returnAddress)}`,
      );
    }
    vm.check(target, 1, PROT_EXEC);
    const localsBytes = Math.ceil(requested / 16) * 16;
    const callerRsp = this.rsp;
    const argBytes = 8 * args.length;
    const padding = (callerRsp - argBytes) % 16 === 0 ? 0 : 8;
    const frameAddress = callerRsp - padding - argBytes - 16;
    const lowest = frameAddress - localsBytes;
    if (lowest < vm.stackLimit) {
      throw new StackOverflowError(
        lowest,
        vm.stackLimit,
        vm.stackBytes,
        this.#frames.length,
        `a call with ${args.length} argument${args.length === 1 ? "" : "s"} and ${localsBytes} bytes of locals`,
      );
    }
    vm.check(lowest, callerRsp - lowest, PROT_WRITE);
    const argsAddress = frameAddress + 16;
    args.forEach((arg, i) => {
      vm.kernelWrite(argsAddress + 8 * i, wordBytes(arg));
    });
    vm.kernelWrite(frameAddress + 8, wordBytes(returnAddress));
    vm.kernelWrite(frameAddress, wordBytes(this.rbp));
    let rflags = this.rflags;
    if (padding > 0) rflags = arithmeticFlags(rflags, callerRsp, padding, true);
    if (localsBytes > 0) rflags = arithmeticFlags(rflags, frameAddress, localsBytes, true);
    const frame: StackFrame = {
      depth: this.#frames.length,
      function: target,
      returnAddress,
      frameAddress,
      savedRbp: this.rbp,
      argsAddress,
      argCount: args.length,
      localsAddress: lowest,
      localsBytes,
      callerRsp,
      padding,
    };
    this.#frames.push(frame);
    this.#pushed.push(0);
    this.rip = target;
    this.rbp = frameAddress;
    this.rsp = lowest;
    this.rflags = rflags;
    return frame;
  }

  popFrame(): StackFrame {
    const frame = this.#frames[this.#frames.length - 1];
    if (!frame) throw new StackUnderflowError("popFrame() with no frame on the stack");
    const vm = this.#vm;
    vm.check(frame.frameAddress, 16, PROT_READ);
    const savedRbp = readWord(vm, frame.frameAddress);
    const returnAddress = readWord(vm, frame.frameAddress + 8);
    if (savedRbp !== BigInt(frame.savedRbp) || returnAddress !== BigInt(frame.returnAddress)) {
      const which = returnAddress !== BigInt(frame.returnAddress) ? "return address" : "saved rbp";
      const at = which === "saved rbp" ? frame.frameAddress : frame.frameAddress + 8;
      const expected = which === "saved rbp" ? frame.savedRbp : frame.returnAddress;
      const found = which === "saved rbp" ? savedRbp : returnAddress;
      throw new LayoutCorruptionError(
        "stack frame",
        at,
        `stack smashing detected: the ${which} of frame ${frame.depth} was ${vhex(expected)} and is now 0x${found.toString(16)}`,
      );
    }
    vm.check(frame.returnAddress, 1, PROT_EXEC);
    let rflags = this.rflags;
    const cleanup = 8 * frame.argCount + frame.padding;
    if (cleanup > 0) rflags = arithmeticFlags(rflags, frame.frameAddress + 16, cleanup, false);
    this.#frames.pop();
    this.#pushed.pop();
    this.rsp = frame.callerRsp;
    this.rbp = frame.savedRbp;
    this.rip = frame.returnAddress;
    this.rflags = rflags;
    return frame;
  }

  unwindFrame(): StackFrame {
    const frame = this.#frames[this.#frames.length - 1];
    if (!frame) throw new StackUnderflowError("unwindFrame() with no frame on the stack");
    // No memory is read: the words the frame saved may be the very thing that was smashed. The
    // registers come back from the frame's own record, as longjmp restores them from its buffer.
    this.#frames.pop();
    this.#pushed.pop();
    this.rsp = frame.callerRsp;
    this.rbp = frame.savedRbp;
    return frame;
  }

  push(value: Word): void {
    checkWord("the pushed value", value);
    const vm = this.#vm;
    const at = this.rsp - 8;
    if (at < vm.stackLimit) {
      throw new StackOverflowError(at, vm.stackLimit, vm.stackBytes, this.#frames.length, "a push");
    }
    vm.check(at, 8, PROT_WRITE);
    vm.kernelWrite(at, wordBytes(value));
    this.rsp = at;
    this.#pushed[this.#pushed.length - 1]!++;
  }

  pop(): bigint {
    const level = this.#pushed.length - 1;
    if (this.#pushed[level] === 0) {
      throw new StackUnderflowError(
        this.#frames.length === 0
          ? "pop() with nothing pushed"
          : `pop() with nothing pushed in frame ${this.#frames.length - 1}`,
      );
    }
    this.#vm.check(this.rsp, 8, PROT_READ);
    const value = readWord(this.#vm, this.rsp);
    this.rsp += 8;
    this.#pushed[level]!--;
    return value;
  }

  jump(target: number): void {
    this.#vm.check(target, 1, PROT_EXEC);
    this.rip = target;
  }

  /** Checks that the registers and the frame chain in memory match the frames pushed. */
  verify(): void {
    const vm = this.#vm;
    const fail = (at: number, message: string): never => {
      throw new LayoutCorruptionError("call stack", at, message);
    };
    let rbp = 0;
    for (const frame of this.#frames) {
      if (frame.savedRbp !== rbp) fail(frame.frameAddress, "the frame chain is broken");
      if (readWord(vm, frame.frameAddress) !== BigInt(frame.savedRbp)) {
        fail(frame.frameAddress, "a saved rbp in memory differs from the frame pushed");
      }
      if (readWord(vm, frame.frameAddress + 8) !== BigInt(frame.returnAddress)) {
        fail(frame.frameAddress + 8, "a return address in memory differs from the frame pushed");
      }
      rbp = frame.frameAddress;
    }
    if (this.rbp !== rbp)
      fail(this.rbp, `rbp is ${vhex(this.rbp)}, the innermost frame is at ${vhex(rbp)}`);
    const top = this.#frames[this.#frames.length - 1];
    const base = top ? top.localsAddress : this.initialRsp;
    const expected = base - 8 * this.#pushed[this.#pushed.length - 1]!;
    if (this.rsp !== expected) fail(this.rsp, `rsp should be ${vhex(expected)}`);
    if (this.rsp < vm.stackLimit || this.rsp > vm.stackTop)
      fail(this.rsp, "rsp is outside the stack");
    if (this.rsp < vm.stackStart) fail(this.rsp, "rsp is below the mapped stack");
  }
}
