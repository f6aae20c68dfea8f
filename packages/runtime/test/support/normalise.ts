// The one function that makes a runtime's event log and CPython's comparable for a random
// trace: each rule is a known divergence, documented in the conformance README (Fuzzing), and
// applied to both logs alike. A log is never dropped: at worst, only its errors and sizes are
// compared (the events that no collection timing can move).

import type { TraceEvent } from "../../src/index.js";

/** One line of a trace, as the generators write it. */
interface TraceLine {
  readonly op?: string;
  readonly type?: string;
  readonly del?: boolean;
  readonly resurrect?: string;
  readonly attr?: string;
  readonly call?: string;
  readonly times?: number;
  readonly ops?: readonly TraceLine[];
}

/** How many names a class's shared key table holds in CPython 3.11. */
const KEY_TABLE_NAMES = 30;

/**
 * Whether some class of the trace may run out of key-table slots. CPython 3.11 gives a class 30
 * usable slots; each instance created takes one while more than one is left, and each new
 * attribute name one more; a new name with no slot left makes the instance a real dict (docs:
 * "Key tables"). The ops are followed in order, repeats as many times as they run (at most 40:
 * by then creations have stopped taking slots), and every attribute name set or deleted on
 * anything counts against every class: generous, so that no trace that overflows is missed.
 */
export function mayOverflowKeyTable(lines: readonly TraceLine[]): boolean {
  const tables = new Map<string, { usable: number; names: Set<string> }>();
  const insert = (table: { usable: number; names: Set<string> }, name: string) => {
    if (table.names.has(name)) return true;
    if (table.usable <= 0) return false;
    table.names.add(name);
    table.usable--;
    return true;
  };
  const walk = (ops: readonly TraceLine[]): boolean => {
    for (const op of ops) {
      if (op.op === "repeat") {
        for (let i = 0; i < Math.min(op.times ?? 0, 40); i++) if (!walk(op.ops ?? [])) return false;
      } else if (op.op === "new" && op.type === "object") {
        const cls = op.resurrect !== undefined ? `resurrect ${op.resurrect}` : op.del ? "del" : "";
        let table = tables.get(cls);
        if (table === undefined) {
          table = { usable: KEY_TABLE_NAMES, names: new Set() };
          tables.set(cls, table);
        }
        if (table.usable > 1) table.usable--;
        if (!insert(table, "name")) return false;
      } else if ((op.op === "set" || op.op === "unset") && op.attr !== undefined) {
        for (const table of tables.values()) if (!insert(table, op.attr)) return false;
      }
    }
    return true;
  };
  return !walk(lines);
}

/**
 * weakref-name: CPython's messages use the weak reference type's `tp_name`,
 * `weakref.ReferenceType`, and so do the runtime's now; both logs' messages are written with
 * CPython's, which no longer changes either.
 */
const WEAKREF_RUNTIME = "'weakref' object";
const WEAKREF_CPYTHON = "'weakref.ReferenceType' object";

/**
 * immortal-refcount: a count this high belongs to an object the whole interpreter shares (None,
 * a small int); the runtime's are immortal and report 1, CPython 3.11 counts every reference of
 * the process. No object a trace makes comes near it.
 */
const SHARED_REFCOUNT = 1000;

/**
 * The logs with each `refcount` event that is about a shared object in one of them (aligned at
 * the same index, for the same variable, in all) written as `"shared"` in all of them.
 */
function sharedRefcounts(logs: readonly (readonly string[])[]): string[][] {
  const out = logs.map((log) => [...log]);
  const length = Math.min(...logs.map((log) => log.length));
  for (let i = 0; i < length; i++) {
    // Only refcount events are read; the runner writes each with this prefix.
    if (logs.some((log) => !log[i]!.startsWith('{"event":"refcount"'))) continue;
    const events = logs.map(
      (log) => JSON.parse(log[i]!) as { event: string; var?: string; value?: number },
    );
    const first = events[0]!;
    if (events.some((e) => e.var !== first.var)) continue;
    if (!events.some((e) => (e.value ?? 0) >= SHARED_REFCOUNT)) continue;
    for (const log of out)
      log[i] = JSON.stringify({ event: "refcount", var: first.var, value: "shared" });
  }
  return out;
}

/** What {@link comparableEvents} kept of a log, and why. */
export interface Comparable {
  /** `"all"`, or the exclusion that cut the log down to its errors and sizes. */
  readonly rule: "all" | "key-table" | "error-allocations";
  readonly events: readonly string[];
}

/**
 * The events of `log` (one JSON line each) that the comparison looks at, for the trace `text`:
 *
 * - **key-table**: a trace that may take a class past its 30-name key table. CPython then gives
 *   the instance a real dict, and so does the runtime, in the instance's own insertion order as
 *   CPython's. The rule stays for what these long traces run into besides: without it, seed
 *   1717 compares two of them whole and both differ elsewhere (an error's allocations taking
 *   generation 0 to its default threshold, which error-allocations covers only when the
 *   thresholds are lowered; the empty tuple's refcount).
 * - **error-allocations**: a trace that lowers the thresholds and has an error in either log.
 *   CPython allocates an exception, its args tuple and a traceback (GC objects) for every error
 *   and frees them at the `except`; the runner allocates nothing, so an automatic collection
 *   that CPython runs inside an error can come at another op, or not at all.
 *
 * - **weakref-name**: in every log, the runtime's `'weakref' object` in messages is written as
 *   CPython's `'weakref.ReferenceType' object`.
 * - **immortal-refcount**: in every log, a `refcount` of None or a small int (1000 or more in
 *   one log; 1 for the runtime's immortal objects) is written as `"shared"` in all of them.
 *
 * Under key-table or error-allocations only errors and sizes are compared; otherwise the whole
 * log.
 */
export function comparableEvents(text: string, logs: readonly (readonly string[])[]): Comparable[] {
  const lines = text
    .split("\n")
    .slice(1)
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as TraceLine);
  const lowered = lines.some((l) => l.op === "gc" && l.call === "set_threshold");
  const hasError = logs.some((log) => log.some((e) => e.startsWith('{"event":"error"')));
  const rule = mayOverflowKeyTable(lines)
    ? "key-table"
    : lowered && hasError
      ? "error-allocations"
      : "all";
  return sharedRefcounts(logs).map((log) => {
    const named = log.map((e) => e.replaceAll(WEAKREF_RUNTIME, WEAKREF_CPYTHON));
    return {
      rule,
      events:
        rule === "all"
          ? named
          : named.filter((e) => {
              const event = (JSON.parse(e) as TraceEvent).event;
              return event === "error" || event === "sizeof";
            }),
    };
  });
}
