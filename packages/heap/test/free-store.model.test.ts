import { allocatorModelProperty } from "@mm/testkit";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, it } from "vitest";
import { FreeStore, Memory, MemoryPageSource } from "../src/index.js";

describe("FreeStore against a model of live blocks", () => {
  it("keeps blocks aligned, disjoint and intact, verify() passing after every command, and returns to its start when all is freed", () => {
    fc.assert(
      allocatorModelProperty(
        () => new FreeStore(new MemoryPageSource(new Memory({ maximumBytes: 24 << 20 }))),
      ),
      { numRuns: fcRuns(1000) },
    );
  });

  it("holds the same invariants with small regions and an eager trim threshold", () => {
    fc.assert(
      allocatorModelProperty(
        () =>
          new FreeStore(new MemoryPageSource(new Memory({ maximumBytes: 24 << 20 })), {
            regionBytes: 4096,
            trimThreshold: 4096,
          }),
      ),
      { numRuns: fcRuns(1000) },
    );
  });
});
