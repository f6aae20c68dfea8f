// fast-check defaults for every project. MM_FC_SEED replays a failing run (its seed is printed
// with the counterexample and its shrink path); MM_FC_RUNS scales the default number of runs.
import fc from "fast-check";

const seed = process.env.MM_FC_SEED;
fc.configureGlobal({
  numRuns: Number(process.env.MM_FC_RUNS ?? 100),
  ...(seed !== undefined ? { seed: Number(seed) } : {}),
});
