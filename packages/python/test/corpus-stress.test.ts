// The corpus under GC stress (the runtime's `stress` option, as MM_GC_STRESS=1): a collection at
// every container allocation and every structure verified as the program runs, with no
// violation. A program whose output does not depend on when collections run prints the same as
// without stress, which corpus.test.ts holds equal to python3's output; the programs that print
// collection counts, results or timings are listed below with what they depend on, and only
// have to run without a violation.
//
// CI's setting: a verification before every 64th line (`stressVerifyEvery: 64`), and after the
// program. Verifying before every line walks the whole heap at each one, which would make the
// loops of a few programs (20,000 allocations) take minutes; the programs whose long loops run
// over a large heap are verified before every 1,024th line (listed below): at every 64th, those
// five took 41 of the corpus's 51 seconds under stress.

import { describe, expect, it } from "vitest";
import { runPython } from "../src/index.js";
import { corpusPrograms, pending, programSource } from "./corpus-files.js";

/** Programs whose output depends on when collections run, with what it depends on. */
const TIMING: Readonly<Record<string, string>> = {
  "cycles/class_instance_cycle.py": "prints what explicit collections find",
  "cycles/classes_are_cycles.py": "prints what explicit collections find",
  "cycles/many_cycles.py": "prints what one explicit collection found",
  "finalizers/atexit_before_teardown.py":
    "prints when a cycle's finalizer runs, which any collection before the exit moves",
  "finalizers/cycle_finalized.py": "prints when the collector finalizes a cycle",
  "finalizers/exit_order.py":
    "prints the order of finalizers at exit, which every collection before it reorders",
  "finalizers/resurrect_from_cycle.py": "prints what a collection finds after a resurrection",
  "free-lists/constructor_skips_free_list.py": "prints gc.get_count() deltas",
  "free-lists/startup_free_lists.py":
    "prints traced bytes of objects the free lists serve, which a full collection empties",
  "gc-module/garbage_empty.py": "prints an explicit collection's result",
  "gc-module/get_objects.py": "prints tracking, which collections change",
  "gc-module/get_objects_generation.py":
    "prints which generation objects are in and tracking, which collections change",
  "generations/auto_collect_700.py": "counts automatic collections",
  "generations/count_lists.py": "prints gc.get_count()",
  "generations/first_container_repr.py": "prints gc.get_count()",
  "generations/instance_free_decrements.py": "prints gc.get_count()",
  "generations/many_young_collections.py": "counts automatic collections per generation",
  "generations/middle_counter.py": "prints gc.get_count()",
  "generations/print_can_collect.py": "prints gc.get_count() and where a print starts a collection",
  "generations/promotion.py": "prints which generation objects are in",
  "generations/startup_state.py": "counts automatic collections per generation",
  "generations/stats_deltas.py": "prints gc.get_stats() deltas",
  "generations/threshold_small.py": "counts automatic collections",
  "refcounts/exec_namespaces.py":
    "counts new blocks across exec() runs, each of which makes a function object, so a collection under stress (which empties the free lists) runs inside the loop",
  "pools/streams_exist_at_startup.py":
    "counts new blocks and tracked objects, which collections change (free lists emptied, tuples untracked)",
  "weakrefs/cycle_clears_refs.py":
    "prints a weakref callback, which a collection inside the print before it (each piece's bound write) runs early",
  "sizes/str_append_traced.py":
    "prints a traced peak that counts a tuple the free lists serve until a full collection",
};

/** Programs verified less often, with what makes a verification there costly. */
const LARGE: Readonly<Record<string, string>> = {
  "recursion/deep_tuple_hash.py": "holds a tuple nested 100,000 deep",
  "generations/startup_state.py": "makes 90,000 instances in a loop",
  "generators/pipeline.py": "runs a pipeline of 100,000 items",
  "language/textwrap_paragraphs.py":
    "wraps paragraphs through regular expressions written in Python",
  "generations/many_young_collections.py": "keeps 20,000 lists made in a loop",
};

const run = (program: string, stress: boolean) =>
  runPython(programSource(program), {
    filename: program,
    maxSteps: 50_000_000,
    ...(stress
      ? {
          runtimeOptions: {
            stress: true,
            stressVerifyEvery: LARGE[program] === undefined ? 64 : 1024,
          },
        }
      : {}),
  });

describe("the corpus under GC stress", () => {
  it("lists only corpus programs as timing-dependent", () => {
    const all = corpusPrograms();
    for (const program of Object.keys(TIMING)) expect(all).toContain(program);
    for (const program of Object.keys(LARGE)) expect(all).toContain(program);
  });

  for (const program of corpusPrograms()) {
    if (pending[program] !== undefined) continue; // not yet python3's output, stress or not
    const timing = TIMING[program];
    if (timing === undefined) {
      it(`${program} prints the same under stress`, () => {
        const stressed = run(program, true);
        const plain = run(program, false);
        expect({ stdout: stressed.stdout, status: stressed.status }).toEqual({
          stdout: plain.stdout,
          status: plain.status,
        });
      });
    } else {
      it(`${program} runs under stress with no violation (its output ${timing})`, () => {
        const stressed = run(program, true);
        // A violation throws HeapCorruptionError out of runPython; a Python error is status 1.
        expect(stressed.status).toBe(run(program, false).status);
      });
    }
  }
});
