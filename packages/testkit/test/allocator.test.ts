import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocatorModelProperty, assertAllocatorModel } from "../src/index.js";
import { counterexample } from "./failures.js";
import { FirstFit, GenerousFree, NoCopyRealloc } from "./systems.js";

describe("allocatorModelProperty", () => {
  it("passes a correct first-fit allocator", () => {
    fc.assert(
      allocatorModelProperty(() => new FirstFit()),
      { numRuns: fcRuns(300) },
    );
  });

  it("hands the caller's allocator type to afterEach and drain", () => {
    let checks = 0;
    assertAllocatorModel(() => new FirstFit(), {
      runs: 20,
      afterEach: (a) => {
        checks++;
        a.verify();
      },
      drain: (a) => expect(a.live.size).toBe(0),
    });
    expect(checks).toBeGreaterThan(0);
  });

  it("catches a realloc that moves a block without its bytes, with a short counterexample", () => {
    const { commands, message } = counterexample(allocatorModelProperty(() => new NoCopyRealloc()));
    expect(message).toMatch(/byte \d+ of the \d+-byte block at \d+ reads \d+, wrote \d+/);
    expect(commands.length).toBeLessThanOrEqual(3);
    expect(commands.some((c) => c.startsWith("realloc"))).toBe(true);
  });

  it("catches a free that gives back more than the block (overlapping blocks)", () => {
    const { commands, message } = counterexample(allocatorModelProperty(() => new GenerousFree()));
    expect(message).toMatch(/overlaps live block|reads \d+, wrote|overlap or touch|stats\(\)/);
    expect(commands.length).toBeLessThanOrEqual(6);
  });
});
