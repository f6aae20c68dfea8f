// Stress mode's configuration and its collections: MM_GC_STRESS and the options are checked
// with messages that say why, and a stressed runtime collects at every container allocation,
// the generation rotating as CPython's counts pick it.

import { describe, expect, it } from "vitest";
import { ConfigError, Runtime } from "../src/index.js";

describe("stress mode", () => {
  it("is off by default, on with MM_GC_STRESS=1 or the option (which wins)", () => {
    expect(new Runtime({ env: {} }).config.stress).toBe(false);
    expect(new Runtime({ env: { MM_GC_STRESS: "1" } }).config.stress).toBe(true);
    expect(new Runtime({ env: { MM_GC_STRESS: "0" } }).config.stress).toBe(false);
    expect(new Runtime({ env: { MM_GC_STRESS: "1" }, stress: false }).config.stress).toBe(false);
    expect(new Runtime({ env: {}, stress: true }).config.stressVerifyEvery).toBe(1);
  });

  it("refuses values that cannot work, saying why", () => {
    expect(() => new Runtime({ env: { MM_GC_STRESS: "yes" } })).toThrow(
      new ConfigError("MM_GC_STRESS=yes is not 0 or 1"),
    );
    expect(() => new Runtime({ env: {}, stress: true, stressVerifyEvery: 0 })).toThrow(
      new ConfigError("stressVerifyEvery must be a positive integer, got 0"),
    );
    expect(() => new Runtime({ env: {}, stressVerifyEvery: 5 })).toThrow(/stress mode is off/);
  });

  it("collects at every container allocation: eleven of generation 0, then one of generation 1 (CPython's pattern)", () => {
    const rt = new Runtime({ env: {}, stress: true });
    rt.gc.collect();
    const before = rt.strategy.history.length;
    const lists = Array.from({ length: 24 }, () => rt.list());
    const generations = rt.strategy.history.slice(before).map((h) => h.generation);
    expect(generations).toEqual([...Array(11).fill(0), 1, ...Array(11).fill(0), 1]);
    expect(rt.strategy.history.slice(before).every((h) => h.automatic)).toBe(true);
    for (const l of lists) l.release();
    rt.verify();
  });

  it("leaves automatic collections off after gc.disable(), as CPython does", () => {
    const rt = new Runtime({ env: {}, stress: true });
    rt.gc.disable();
    const before = rt.strategy.history.length;
    using _l = rt.list();
    expect(rt.strategy.history.length).toBe(before);
  });
});
