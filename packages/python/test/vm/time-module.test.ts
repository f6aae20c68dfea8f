// The `time` module against python3: its clocks (floats and nanosecond ints that move forward),
// and `time.sleep` as 3.11's `_PyTime_FromSecondsObject` and `time_sleep` take their argument:
// a float scaled to nanoseconds, anything else through `__index__`, with python3's errors for
// NaN, negative lengths and lengths past a 64-bit count of nanoseconds, in a property over
// random arguments. A sleep lasts at least its length; Ctrl-C ending one is apps/cli's test.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

const seed = fcSeed();

describeAgainstPython("the time module", [
  [
    "clocks: types, forward motion, and the nanosecond clocks beside the float ones",
    `import time
for name in ("time", "perf_counter", "monotonic", "process_time"):
    f = getattr(time, name)
    g = getattr(time, name + "_ns")
    a = f(); b = f(); n = g()
    print(name, type(a).__name__, type(n).__name__, b >= a, n > 0)
t = time.perf_counter(); time.sleep(0.02); d = time.perf_counter() - t
print("slept its length:", d >= 0.02)
t = time.monotonic_ns(); time.sleep(0.01); print(time.monotonic_ns() - t >= 10_000_000)
print(abs(time.time_ns() / 1e9 - time.time()) < 1)`,
  ],
  [
    "argument counts and keywords of the clocks and sleep",
    `import time
for call in (lambda: time.sleep(), lambda: time.sleep(1, 2), lambda: time.sleep(secs=1),
             lambda: time.time(1), lambda: time.perf_counter(x=1), lambda: time.time_ns(0),
             lambda: time.monotonic_ns(1, 2), lambda: time.process_time_ns(a=1)):
    try:
        call()
    except TypeError as e:
        print(e)`,
  ],
]);

describe("time.sleep's argument", () => {
  const cpython = new CPythonForks(20);
  afterAll(() => cpython.close());

  // What a program may pass: lengths short enough to sleep, and the values its conversion
  // refuses (NaN, negatives, past 2**63 nanoseconds as floats and as ints, no number at all).
  const argument = fc.oneof(
    fc.double({ min: 0, max: 0.002, noNaN: true }).map((x) => `${x}`),
    // Any double but the lengths that would really sleep long (past 2 ms, short of the limit).
    fc
      .double({ noNaN: false })
      .filter((x) => !(x > 0.002 && x < 9.3e9))
      .map((x) => `float(${JSON.stringify(String(x))})`),
    fc.constantFrom("-0.0", "0", "True", "False", "9.3e9", "9.2e9 * 10", "-1e-9", "1e-300"),
    fc
      .bigInt({ min: -(2n ** 80n), max: 2n ** 80n })
      .map((n) => (n > 0n && n <= 9_223_372_036n ? "0" : `${n}`)),
    fc.constantFrom(9_223_372_037n, -9_223_372_036n, -9_223_372_037n).map(String),
    fc.constantFrom('"1"', "None", "[]", "1j", "Index(0)", "Index(-1)", "Index(2**70)", "Bad()"),
  );

  it("is converted and checked as python3 does it", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(argument, { minLength: 1, maxLength: 12 }), async (args) => {
        const source = `import time
class Index:
    def __init__(self, n): self.n = n
    def __index__(self): return self.n
class Bad:
    def __index__(self): return "x"
for arg in [${args.join(", ")}]:
    try:
        print(repr(time.sleep(arg)))
    except Exception as e:
        print(type(e).__name__, e)
`;
        const want = await cpython.run(source);
        const got = runPython(source, { filename: "prog.py" });
        expect(got.stdout).toBe(want.stdout);
        expect(got.status).toBe(want.status);
      }),
      { numRuns: fcRuns(40), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});
