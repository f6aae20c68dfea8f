// What a parsed trace holds, read without running it: how many steps a run takes (for the
// progress bar) and the dict keys its code writes.

import type { Op, Trace } from "@mm/runtime";

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

/** The str keys the trace's code writes (dict displays and subscripts): its constants. */
export function keyConstants(trace: Trace): Set<string> {
  const keys = new Set<string>();
  const walk = (ops: readonly Op[]) => {
    for (const op of ops) {
      if (op.op === "new-dict") for (const [key] of op.items) keys.add(key);
      if ("target" in op && typeof op.target === "object" && "key" in op.target) {
        if (typeof op.target.key === "string") keys.add(op.target.key);
      }
      if (op.op === "call" || op.op === "repeat") walk(op.ops);
    }
  };
  walk(trace.ops);
  return keys;
}
