// The untrack walk after move_unreachable skips survivors whose types have no rule of the
// collection's kind, and skips the whole walk when no survivor's type has one. Whatever it
// skips, every survivor of a ruled type must still be asked, once, and only survivors are: the
// property checks that over random heaps of nodes, tuples and dicts and collections of every
// generation.

import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generationalWorld, mayBeTracked, SLOTS } from "./fixtures.js";

type Kind = "node" | "tuple" | "dict";

const step = fc.record({
  kind: fc.constantFrom<Kind>("node", "tuple", "dict"),
  /** Picks among the objects made so far (modulo their number). */
  targets: fc.array(fc.nat(), { maxLength: 3 }),
  /** Whether the program drops its own reference to the new object. */
  drop: fc.boolean(),
});

describe("untrack rules", () => {
  it("ask exactly the survivors whose types have a rule of the collection's kind", () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 2 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
        (steps, generation, dictAnswers) => {
          const asked: number[] = [];
          let w!: ReturnType<typeof generationalWorld>;
          // The fixture's types come in a fixed order, so their ids are known up front.
          const ids = generationalWorld().types;
          w = generationalWorld({
            untrack: [
              {
                typeId: ids.tuple.id,
                fullCollectionsOnly: false,
                canUntrack: (t) => {
                  asked.push(t);
                  const u32 = w.space.memory.u32;
                  for (let i = 0; i < u32[(t + 16) >>> 2]!; i++) {
                    const item = u32[(t + 24 + 8 * i) >>> 2]!;
                    if (item === 0 || mayBeTracked(w.gc, w.types, item)) return false;
                  }
                  return true;
                },
              },
              {
                typeId: ids.dict.id,
                fullCollectionsOnly: true,
                canUntrack: (d) => {
                  asked.push(d);
                  return dictAnswers[asked.length % dictAnswers.length]!;
                },
              },
            ],
          });
          w.gc.disable();
          const made: number[] = [];
          const held: number[] = [];
          for (const s of steps) {
            const live = made.filter((o) => w.space.isLive(o));
            const pick = (n: number) => live[n % live.length]!;
            let o: number;
            if (s.kind === "tuple") {
              o = w.tuple(...(live.length === 0 ? [] : s.targets.map(pick)));
            } else {
              o = w.gc.allocate(s.kind === "dict" ? w.types.dict.id : w.types.node.plain.id);
              w.gc.track(o);
              if (live.length > 0) {
                const targets = s.targets.slice(0, SLOTS);
                for (let i = 0; i < targets.length; i++) w.set(o, i, pick(targets[i]!));
              }
            }
            made.push(o);
            if (s.drop) w.gc.rc.decref(o);
            else held.push(o);
          }
          // Cycles too: the last live node points back to the first live object.
          const live = made.filter((o) => w.space.isLive(o));
          const last = live[live.length - 1];
          if (last !== undefined && w.space.typeOf(last) === w.types.node.plain) {
            w.set(last, SLOTS - 1, live[0]!);
          }
          const examined = new Set<number>();
          for (let g = 0; g <= generation; g++) {
            for (const o of w.gc.getObjects(g)) examined.add(o);
          }
          w.gc.collect(generation);
          // Survivors: examined objects still alive (nothing is allocated during a collection,
          // so a live address is the same object).
          const ruled = (o: number) => {
            const type = w.space.typeOf(o);
            return type === w.types.tuple || (generation === 2 && type === w.types.dict);
          };
          const expected = [...examined].filter((o) => w.space.isLive(o) && ruled(o));
          expect(new Set(asked).size).toBe(asked.length);
          expect([...asked].sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
          for (const o of held) w.gc.rc.decref(o);
        },
      ),
      { numRuns: fcRuns(300) },
    );
  });
});
