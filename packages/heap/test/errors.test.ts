import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { DoubleFreeError, hex, InvalidAddressError, MemoryManagerError } from "../src/index.js";

describe("hex", () => {
  it("pads to eight digits and keeps addresses past 32 bits whole", () => {
    expect(hex(0)).toBe("0x00000000");
    expect(hex(0x10)).toBe("0x00000010");
    expect(hex(0xffffffff)).toBe("0xffffffff");
    expect(hex(0x7ffff7fff000)).toBe("0x7ffff7fff000");
  });

  it("shows a negative integer as its 32-bit pattern, and a non-integer as itself", () => {
    expect(hex(-1)).toBe("0xffffffff");
    // An address printed for these would name a real one they are not.
    expect(hex(1.5)).toBe("1.5");
    expect(hex(Number.NaN)).toBe("NaN");
    expect(hex(16n as unknown as number)).toBe("16n");
  });

  test.prop([fc.maxSafeNat()])("round-trips every non-negative safe integer", (address) => {
    expect(Number.parseInt(hex(address).slice(2), 16)).toBe(address);
  });
});

describe("address errors", () => {
  it("name the operation and the whole address", () => {
    const error = new InvalidAddressError("access", 0x7fffffffe000, "unmapped");
    expect(error).toBeInstanceOf(MemoryManagerError);
    expect(error.message).toBe("access(0x7fffffffe000): address is not mapped");
    expect(new DoubleFreeError(0x20).message).toMatch(/^free\(0x00000020\)/);
  });
});
