// What a parsed trace holds, read without running it: how many steps a run takes.

import type { Op } from "@mm/runtime";

/**
 * The steps a run of `ops` takes, as the runner counts them: one per op, each iteration of a
 * repeat's ops again, and one more for a call's return.
 *
 * A stack of op lists rather than a recursion per call: a trace nests calls one line each, as
 * deep as its author likes, and counting them must not exhaust the JavaScript stack. Each list
 * carries how many times it runs (the product of the repeats around it).
 */
export function countSteps(ops: readonly Op[]): number {
  let steps = 0;
  const pending: Array<{ readonly ops: readonly Op[]; readonly times: number }> = [
    { ops, times: 1 },
  ];
  for (;;) {
    const list = pending.pop();
    if (list === undefined) return steps;
    const { times } = list;
    for (const op of list.ops) {
      if (op.op === "repeat") {
        if (op.times > 0) pending.push({ ops: op.ops, times: times * op.times });
      } else if (op.op === "call") {
        steps += times;
        pending.push({ ops: op.ops, times });
      } else steps += times;
    }
  }
}
