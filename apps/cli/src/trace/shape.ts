// What a parsed trace holds, read without running it: how many steps a run takes (for the
// progress bar), the names it binds and the dict keys its code writes (for counting leaks).

import type { Op, Trace, TraceValue } from "@mm/runtime";

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

/** Every variable name the trace mentions, in any frame. */
export function variableNames(trace: Trace): Set<string> {
  const names = new Set<string>();
  const value = (v: TraceValue | undefined) => {
    if (v?.kind === "var") names.add(v.name);
  };
  const walk = (ops: readonly Op[]) => {
    for (const op of ops) {
      if ("var" in op && op.var !== undefined) names.add(op.var);
      if ("obj" in op) names.add(op.obj);
      switch (op.op) {
        case "new-object":
          if (op.resurrect !== undefined) names.add(op.resurrect);
          break;
        case "new-list":
        case "new-tuple":
          op.items.forEach(value);
          break;
        case "new-dict":
          for (const [, v] of op.items) value(v);
          break;
        case "new-scalar":
        case "assign":
        case "set":
        case "append":
          value(op.value);
          break;
        case "weakref":
          value(op.target);
          break;
        case "call":
          value(op.value);
          walk(op.ops);
          break;
        case "repeat":
          walk(op.ops);
          break;
        default:
          break;
      }
    }
  };
  walk(trace.ops);
  return names;
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
