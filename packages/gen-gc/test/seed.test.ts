// A seeded start: the generational collector takes on the counts, statistics and old population
// another interpreter's start-up leaves, and from there its automatic collections follow CPython's
// rules with that population counted as long-lived. The property replays the rules over a random
// workload in a plain model (counts, the long-lived pending and total, the objects the heap lacks)
// and requires the collector's collections, counts and statistics to be the model's.

import { InvalidArgumentError } from "@mm/heap";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CollectorSeed } from "../src/index.js";
import { generationalWorld } from "./fixtures.js";

const THRESHOLDS: [number, number, number] = [10, 2, 2];

const statistic = fc.record({
  collections: fc.nat(50),
  collected: fc.nat(500),
  uncollectable: fc.nat(5),
});

const seedArb: fc.Arbitrary<CollectorSeed> = fc.record({
  counts: fc.tuple(fc.nat(THRESHOLDS[0]), fc.nat(THRESHOLDS[1]), fc.nat(THRESHOLDS[2])),
  stats: fc.tuple(statistic, statistic, statistic),
  oldest: fc.nat(400),
});

/** A step: allocate a node (kept or dropped at once), or drop a kept one. */
const step = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: "keep" as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: "temporary" as const }) },
  { weight: 1, arbitrary: fc.nat().map((i) => ({ kind: "drop" as const, i })) },
);

describe("a seeded generational collector", () => {
  it("takes on the seed and collects as CPython's rules say from there", () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.nat(60),
        fc.array(step, { minLength: 200, maxLength: 1500, size: "max" }),
        (seed, before, steps) => {
          const w = generationalWorld({ thresholds: THRESHOLDS });
          const kept = Array.from({ length: before }, () => w.node());
          w.gc.history.length = 0;
          w.gc.seed(seed);
          expect(w.gc.getCount()).toEqual([...seed.counts]);
          expect(w.gc.getStats()).toEqual(seed.stats.map((s) => ({ ...s })));
          // Every object tracked at the seed is old.
          expect(w.gc.getObjects(2)).toHaveLength(before);

          // The model: CPython's collect_generations with the heap's missing old objects.
          const counts = [...seed.counts];
          const absent = Math.max(0, seed.oldest - before);
          let pending = before + absent;
          let total = 0;
          const stats = seed.stats.map((s) => ({ ...s }));
          const expected: number[] = [];
          let seen = 0;
          /** Applies the collections the collector recorded since the last look, checking each. */
          const replay = (due: boolean) => {
            const records = w.gc.history.slice(seen);
            seen = w.gc.history.length;
            if (!due) {
              expect(records).toEqual([]);
              return;
            }
            let generation = -1;
            for (let g = 2; g >= 0; g--) {
              if (counts[g]! > THRESHOLDS[g]!) {
                if (g === 2 && pending < Math.trunc(total / 4)) continue;
                generation = g;
                break;
              }
            }
            expected.push(generation);
            expect(records.map((r) => r.generation)).toEqual([generation]);
            const r = records[0]!;
            if (generation < 2) counts[generation + 1]! += 1;
            for (let g = 0; g <= generation; g++) counts[g] = 0;
            const survivors = r.examined - r.collected - r.uncollectable;
            if (generation === 1) pending += survivors;
            if (generation === 2) {
              pending = 0;
              total = survivors + absent;
            }
            stats[generation]!.collections += 1;
            stats[generation]!.collected += r.collected;
          };
          for (const s of steps) {
            if (s.kind === "drop") {
              if (kept.length === 0) continue;
              const [o] = kept.splice(s.i % kept.length, 1);
              w.gc.decref(o!);
              counts[0] = Math.max(0, counts[0]! - 1);
              continue;
            }
            // The allocation raises count0 and collects when it passes the threshold.
            counts[0]! += 1;
            const o = w.node();
            replay(counts[0]! > THRESHOLDS[0]);
            if (s.kind === "keep") kept.push(o);
            else {
              w.gc.decref(o);
              counts[0] = Math.max(0, counts[0]! - 1);
            }
          }
          expect(w.gc.getCount()).toEqual(counts);
          expect(w.gc.getStats()).toEqual(stats);
          w.gc.verify();
        },
      ),
      { numRuns: fcRuns(100) },
    );
  });

  it("refuses a seed that is not three non-negative integer counts and statistics, changing nothing", () => {
    const w = generationalWorld();
    for (let i = 0; i < 5; i++) w.node();
    const good: CollectorSeed = {
      counts: [1, 0, 2],
      stats: [0, 1, 2].map(() => ({ collections: 0, collected: 0, uncollectable: 0 })),
      oldest: 10,
    };
    const bad: CollectorSeed[] = [
      { ...good, counts: [-1, 0, 2] },
      { ...good, counts: [1.5, 0, 2] },
      { ...good, oldest: Number.NaN },
      { ...good, stats: good.stats.slice(0, 2) },
      { ...good, counts: [1, 0] as unknown as [number, number, number] },
      {
        ...good,
        stats: [{ collections: -2, collected: 0, uncollectable: 0 }, ...good.stats.slice(1)],
      },
    ];
    for (const seed of bad) {
      expect(() => w.gc.seed(seed)).toThrow(InvalidArgumentError);
      expect(w.gc.getCount()).toEqual([5, 0, 0]);
      expect(w.gc.getObjects(0)).toHaveLength(5);
      w.gc.verify();
    }
    w.gc.seed(good);
    expect(w.gc.getCount()).toEqual([1, 0, 2]);
  });
});
