// Random mm-traces under every strategy: the program-visible results agree, no reachable object
// is ever freed, and after a final full collection `cpython` and `tracing` leave no garbage
// while `refcount` leaves exactly the cyclic garbage.

import { OB_FLAGS, ObjectFlags } from "@mm/heap";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CollectorName, formatEvent, Runtime, type TraceEvent } from "../src/index.js";
import { traceText } from "./support/arbitrary.js";

const STRATEGIES: CollectorName[] = ["cpython", "refcount", "tracing", "none"];

/** Events that do not depend on when memory is freed: errors and sizes. */
const visible = (events: TraceEvent[]) =>
  events.filter((e) => e.event === "error" || e.event === "sizeof").map(formatEvent);

/** Objects the program made that are still alive (not singletons, caches or key constants). */
function programObjects(rt: Runtime): number[] {
  const out: number[] = [];
  for (const o of rt.space.objects()) {
    if (rt.memory.u32[(o + OB_FLAGS) >>> 2]! & ObjectFlags.Immortal) continue;
    if (rt.isConstant(o)) continue;
    out.push(o);
  }
  return out;
}

/** Everything reachable from the frames' variables. */
function reachable(rt: Runtime): Set<number> {
  const seen = new Set<number>();
  const stack: number[] = [];
  for (const frame of rt.frames.frames()) for (const [, o] of frame.bindings()) stack.push(o);
  while (stack.length > 0) {
    const o = stack.pop()!;
    if (seen.has(o)) continue;
    seen.add(o);
    if (rt.space.typeOf(o).isGc) stack.push(...rt.objects.referents(o));
  }
  return seen;
}

function run(collector: CollectorName, text: string) {
  const rt = new Runtime({
    collector,
    env: {},
    heapBytes: 64 << 20,
    ...(collector === "tracing" ? { tracingBytes: 2048 } : {}),
    log: () => {},
  });
  if (collector === "cpython") rt.gc.setThreshold(5, 2, 2);
  const events = rt.runTrace(text);
  return { rt, events };
}

describe("every strategy runs every trace", () => {
  it("agrees on errors and sizes, never frees a reachable object, and leaves exactly the garbage it should", () => {
    fc.assert(
      fc.property(traceText, (text) => {
        const results = STRATEGIES.map((collector) => ({ collector, ...run(collector, text) }));
        const reference = visible(results[0]!.events);
        for (const { collector, rt, events } of results) {
          expect(visible(events), collector).toEqual(reference);
          for (const o of reachable(rt))
            expect(rt.space.isLive(o), `${collector}: reachable ${o} freed`).toBe(true);
          rt.verify();
          // Drop every variable, then collect fully.
          for (const [name] of [...rt.frames.module.bindings()]) rt.delGlobal(name);
          rt.gc.collect();
          const left = programObjects(rt);
          if (collector === "cpython" || collector === "tracing") {
            expect(left, `${collector} left garbage`).toEqual([]);
          } else if (collector === "refcount") {
            // Exactly the cyclic garbage: each survivor lies on, or hangs off, a cycle.
            const graph = new Map(
              left.map((o) => [o, rt.space.typeOf(o).isGc ? rt.objects.referents(o) : []]),
            );
            const reaches = (from: number, to: number) => {
              const seen = new Set<number>();
              const stack = [...(graph.get(from) ?? [])];
              while (stack.length > 0) {
                const x = stack.pop()!;
                if (x === to) return true;
                if (seen.has(x)) continue;
                seen.add(x);
                stack.push(...(graph.get(x) ?? []));
              }
              return false;
            };
            const onCycle = left.filter((o) => reaches(o, o));
            for (const o of left) {
              expect(
                onCycle.some((c) => c === o || reaches(c, o)),
                `refcount kept acyclic ${o}`,
              ).toBe(true);
            }
          }
        }
      }),
      { numRuns: fcRuns(500) },
    );
  });
});
