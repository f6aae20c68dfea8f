// fast-check defaults for every project: 100 runs times MM_FC_RUNS for a property that sets no
// run count of its own (one that does writes `numRuns: fcRuns(n)`), and MM_FC_SEED's seed for
// every property, to replay a failing run (its seed is printed with the counterexample and its
// shrink path).
import fc from "fast-check";
import { fcRuns, fcSeed } from "./fast-check.js";

const seed = fcSeed();
fc.configureGlobal({
  numRuns: fcRuns(100),
  ...(seed !== undefined ? { seed } : {}),
});
