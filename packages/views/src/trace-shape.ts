// What a parsed trace holds, read without running it: how many steps a run takes.

import type { Op } from "@mm/runtime";

/**
 * The steps a run of `ops` takes, as the runner counts them: one per op, each iteration of a
 * repeat's ops again, and one more for a call's return.
 */
export function countSteps(ops: readonly Op[]): number {
  let steps = 0;
  for (const op of ops) {
    if (op.op === "repeat") steps += op.times * countSteps(op.ops);
    else if (op.op === "call") steps += countSteps(op.ops) + 1;
    else steps += 1;
  }
  return steps;
}
