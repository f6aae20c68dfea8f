import { fc, test } from "@fast-check/vitest";
import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import { describe, expect, it } from "vitest";
import {
  EnvironmentSettingError,
  propertyParameters,
  runsFactor,
  scaledRuns,
  seedFromEnvironment,
} from "../src/index.js";

describe("MM_FC_RUNS and MM_FC_SEED", () => {
  it("scale a property's own run count and replay a seed", () => {
    expect(scaledRuns(1000, {})).toBe(1000);
    expect(scaledRuns(1000, { MM_FC_RUNS: "" })).toBe(1000);
    expect(scaledRuns(1000, { MM_FC_RUNS: "0.1" })).toBe(100);
    expect(scaledRuns(40, { MM_FC_RUNS: "0.001" })).toBe(1);
    expect(scaledRuns(300, { MM_FC_RUNS: "10" })).toBe(3000);
    expect(propertyParameters({ runs: 50, seed: 3 }, { MM_FC_RUNS: "2" })).toEqual({
      numRuns: 100,
      includeErrorInReport: true,
      seed: 3,
    });
    expect(propertyParameters({ seed: 3 }, { MM_FC_SEED: "-17" })).toMatchObject({ seed: -17 });
    expect(propertyParameters({}, {})).toEqual({ numRuns: 100, includeErrorInReport: true });
    expect(seedFromEnvironment({ MM_FC_SEED: " " })).toBeUndefined();
  });

  it("refuse a value that is not a usable number, naming the variable", () => {
    for (const bad of ["0", "-1", "ten", "Infinity"]) {
      expect(() => runsFactor({ MM_FC_RUNS: bad })).toThrow(EnvironmentSettingError);
    }
    for (const bad of ["1.5", "seed", "1e300"]) {
      expect(() => seedFromEnvironment({ MM_FC_SEED: bad })).toThrow(/^MM_FC_SEED="/);
    }
    try {
      runsFactor({ MM_FC_RUNS: "x" });
    } catch (error) {
      expect(error).toMatchObject({ variable: "MM_FC_RUNS", value: "x" });
    }
  });

  // The workspace's own tests read the variables through @mm/vitest-config; the two must agree.
  test.prop([
    fc.oneof(fc.constantFrom("", "1", "0.5", "3", "0", "-2", "x"), fc.double().map(String)),
    fc.oneof(fc.constantFrom("", "12", "-4", "1.5"), fc.integer().map(String)),
    fc.integer({ min: 1, max: 5000 }),
  ])("read the same way as the workspace's test configuration", (runs, seed, base) => {
    const env = { MM_FC_RUNS: runs, MM_FC_SEED: seed };
    const outcome = (f: () => unknown) => {
      try {
        return { value: f() };
      } catch {
        return { error: true };
      }
    };
    expect(outcome(() => scaledRuns(base, env))).toEqual(outcome(() => fcRuns(base, env)));
    expect(outcome(() => seedFromEnvironment(env))).toEqual(outcome(() => fcSeed(env)));
  });
});
