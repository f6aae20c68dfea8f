import { describe, expect, it } from "vitest";
import {
  LayoutCorruptionError,
  LayoutErrorCode,
  PAGE_SIZE,
  Process,
  RFlags,
  SegmentationFault,
  StackOverflowError,
  StackUnderflowError,
} from "../src/index.js";
import { arithmeticFlags } from "../src/internal/call-stack.js";

const code = new Uint8Array(64).fill(0x90);

describe("stack frames", () => {
  it("have the System V shape: arguments above the return address, saved rbp, locals below", () => {
    const p = new Process({ code });
    const before = p.registers();
    const f = p.pushFrame(0x400010, { args: [11, 22n, 33], localsBytes: 20 });
    expect(f.frameAddress % 16).toBe(0);
    expect(p.rbp).toBe(f.frameAddress);
    expect(p.rsp).toBe(f.frameAddress - 32);
    expect(p.rsp % 16).toBe(0);
    expect(p.rip).toBe(0x400010);
    expect(p.readU64(f.frameAddress)).toBe(0n);
    expect(p.readU64Number(f.frameAddress + 8)).toBe(before.rip + 5);
    expect([0, 1, 2].map((i) => p.readU64(f.argsAddress + 8 * i))).toEqual([11n, 22n, 33n]);
    expect(f.argsAddress).toBe(f.frameAddress + 16);
    expect(f.padding).toBe(8);
    expect(f.callerRsp).toBe(before.rsp);
    p.writeU64(f.localsAddress, 7n);
    const g = p.pushFrame(0x400020, { args: [1, 2] });
    expect(p.readU64Number(g.frameAddress)).toBe(f.frameAddress);
    expect(g.returnAddress).toBe(0x400015);
    expect(p.frames().map((x) => x.depth)).toEqual([0, 1]);
    expect(p.popFrame()).toEqual(g);
    expect(p.registers()).toMatchObject({
      rip: 0x400015,
      rsp: f.localsAddress,
      rbp: f.frameAddress,
    });
    expect(p.readU64(f.localsAddress)).toBe(7n);
    expect(p.popFrame()).toEqual(f);
    expect({ ...p.registers(), rflags: 0 }).toEqual({ ...before, rip: before.rip + 5, rflags: 0 });
    p.verify();
  });

  it("push and pop are LIFO within a frame, and leave discards what a frame pushed", () => {
    const p = new Process({ code });
    p.push(1);
    p.push(2n);
    const f = p.pushFrame(0x400000);
    p.push(3);
    expect(p.pop()).toBe(3n);
    p.push(4);
    expect(() => p.verify()).not.toThrow();
    p.popFrame();
    expect(p.rsp).toBe(f.callerRsp);
    expect(p.pop()).toBe(2n);
    expect(p.pop()).toBe(1n);
    expect(() => p.pop()).toThrow(StackUnderflowError);
    expect(() => p.popFrame()).toThrow(StackUnderflowError);
    p.verify();
  });

  it("running into the guard gap is a clear StackOverflowError; stack and registers stay as they were", () => {
    const p = new Process({ code }, { stackBytes: 64 * 1024 });
    let depth = 0;
    let overflow: unknown;
    for (;;) {
      const before = p.registers();
      try {
        p.pushFrame(0x400000, { args: [depth], localsBytes: 1000 });
        depth++;
      } catch (error) {
        overflow = error;
        expect(p.registers()).toEqual(before);
        break;
      }
    }
    expect(overflow).toBeInstanceOf(StackOverflowError);
    expect((overflow as StackOverflowError).code).toBe(LayoutErrorCode.StackOverflow);
    expect((overflow as StackOverflowError).message).toMatch(/stack overflow: .* below its limit/);
    expect((overflow as StackOverflowError).depth).toBe(depth);
    expect(p.depth).toBe(depth);
    expect(p.stackStart).toBe(p.stackLimit);
    p.verify();
    for (let i = depth - 1; i >= 0; i--)
      expect(p.readU64(p.popFrame().argsAddress)).toBe(BigInt(i));
  });

  it("a push past the limit overflows too", () => {
    const p = new Process({ code }, { stackBytes: PAGE_SIZE });
    for (let i = 0; i < (PAGE_SIZE - 48) / 8; i++) p.push(i);
    expect(() => p.push(0)).toThrow(StackOverflowError);
    p.verify();
  });

  it("calling a non-executable address faults before anything is pushed", () => {
    const p = new Process({ code, data: new Uint8Array(16) });
    const before = p.registers();
    expect(() => p.pushFrame(0x411000)).toThrow(SegmentationFault);
    expect(p.registers()).toEqual(before);
    expect(p.depth).toBe(0);
  });

  it("detects a smashed return address or saved rbp and leaves the frame in place", () => {
    const p = new Process({ code });
    const f = p.pushFrame(0x400000, { localsBytes: 16 });
    p.writeU64(f.frameAddress + 8, 0x4141414141414141n);
    expect(() => p.popFrame()).toThrow(LayoutCorruptionError);
    expect(() => p.popFrame()).toThrow(/stack smashing detected: the return address/);
    expect(p.depth).toBe(1);
    p.writeU64(f.frameAddress + 8, f.returnAddress);
    p.writeU64(f.frameAddress, 1);
    expect(() => p.popFrame()).toThrow(/saved rbp/);
    p.writeU64(f.frameAddress, f.savedRbp);
    p.popFrame();
    p.verify();
  });

  it("a return to a non-executable address faults and the frame stays", () => {
    const p = new Process({ code });
    p.pushFrame(0x400000, { returnAddress: 0x1234 });
    expect(() => p.popFrame()).toThrow(SegmentationFault);
    expect(p.depth).toBe(1);
  });

  it("unwindFrame abandons a frame whose return faulted, from its record, not from memory", () => {
    const p = new Process({ code });
    const outer = p.pushFrame(0x400000, { args: [7], localsBytes: 8 });
    const inner = p.pushFrame(0x400000, { localsBytes: 24 });
    p.writeU64(inner.frameAddress, 0x4141414141414141n);
    p.writeU64(inner.frameAddress + 8, 0x4141414141414141n);
    expect(() => p.popFrame()).toThrow(LayoutCorruptionError);
    const rip = p.rip;
    expect(p.unwindFrame()).toEqual(inner);
    expect(p.registers()).toMatchObject({ rip, rsp: outer.localsAddress, rbp: outer.frameAddress });
    expect(p.frames()).toEqual([outer]);
    p.verify();
    p.popFrame();
    expect(() => p.unwindFrame()).toThrow(StackUnderflowError);
    p.verify();
  });

  it("rflags follows the sub and add on rsp, as x86 sets them", () => {
    const p = new Process({ code });
    const rsp = p.rsp;
    const f = p.pushFrame(0x400000, { args: [1], localsBytes: 16 });
    expect(f.padding).toBe(8);
    expect(p.rflags).toBe(
      arithmeticFlags(arithmeticFlags(0x202, rsp, 8, true), f.frameAddress, 16, true),
    );
    p.popFrame();
    expect(p.rflags).toBe(arithmeticFlags(0x202, f.frameAddress + 16, 16, false));
  });

  it("arithmeticFlags agrees with x86 on known cases", () => {
    const base = 0x202;
    // sub 0, 0: ZF and PF set (result 0 has even parity).
    expect(arithmeticFlags(base, 0, 0, true)).toBe(base | RFlags.ZF | RFlags.PF);
    // sub 0, 1: borrow, result all ones: CF, SF, AF, PF (0xff has eight bits set).
    expect(arithmeticFlags(base, 0, 1, true)).toBe(
      base | RFlags.CF | RFlags.SF | RFlags.AF | RFlags.PF,
    );
    // sub 0x10, 1 = 0x0f: a borrow out of bit 4 (AF), four bits set (PF).
    expect(arithmeticFlags(base, 0x10, 1, true)).toBe(base | RFlags.AF | RFlags.PF);
    // add 0x1f, 1 = 0x20: a carry out of bit 3 (AF), one bit set (no PF).
    expect(arithmeticFlags(base, 0x1f, 1, false)).toBe(base | RFlags.AF);
    // add -1, 1 (0xffff_ffff_ffff_ffff + 1): carry out of bit 63, result zero.
    expect(arithmeticFlags(base, -1, 1, false)).toBe(
      base | RFlags.CF | RFlags.ZF | RFlags.PF | RFlags.AF,
    );
    // The flags outside the status set are kept.
    expect(arithmeticFlags(0xfff, 2, 1, true) & ~0x8d5).toBe(0xfff & ~0x8d5);
  });
});
