import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AddressHandles, collectorModelProperty, ModelViolation } from "../src/index.js";
import { counterexample } from "./failures.js";
import {
  Freezing,
  MarkSweep,
  SkipsLastReference,
  SparesContainers,
  TwoGenerations,
} from "./systems.js";

describe("collectorModelProperty", () => {
  it("passes a correct mark-sweep collector", () => {
    fc.assert(
      collectorModelProperty(() => new MarkSweep()),
      { numRuns: fcRuns(300) },
    );
  });

  it("passes a correct collector with generations and one with freeze", () => {
    fc.assert(
      collectorModelProperty(() => new TwoGenerations(), { generations: 2 }),
      {
        numRuns: fcRuns(300),
      },
    );
    fc.assert(
      collectorModelProperty(() => new Freezing()),
      { numRuns: fcRuns(300) },
    );
  });

  it("catches a mark phase that skips the last reference of each object, with a short counterexample", () => {
    const { commands, message } = counterexample(
      collectorModelProperty(() => new SkipsLastReference()),
    );
    expect(message).toMatch(/object \d+ was freed while the program can reach it/);
    expect(commands.length).toBeLessThanOrEqual(8);
    expect(commands.at(-1)).toBe("collect()");
  });

  it("catches a sweep that spares unreachable containers (exactness)", () => {
    const { commands, message } = counterexample(
      collectorModelProperty(() => new SparesContainers()),
    );
    expect(message).toMatch(/object \d+ is unreachable but survived a full collection/);
    expect(commands.length).toBeLessThanOrEqual(8);
  });

  it("catches a young collection that has no remembered set (old objects refer to young ones)", () => {
    class NoRememberedSet extends TwoGenerations {
      override collect(generation?: number): void {
        if (generation !== 0) {
          super.collect(generation);
          return;
        }
        // Marks young objects from the roots only: a young object that only an old one refers
        // to is swept, reachable or not.
        const marked = new Set<number>();
        const stack = this.roots.filter((o) => this.young.has(o));
        while (stack.length > 0) {
          const o = stack.pop()!;
          if (marked.has(o)) continue;
          marked.add(o);
          stack.push(...this.referents(o).filter((c) => this.young.has(c)));
        }
        for (const o of this.young) if (!marked.has(o)) this.heap.delete(o);
        this.young.clear();
      }
    }
    const { commands, message } = counterexample(
      collectorModelProperty(() => new NoRememberedSet(), { generations: 2 }),
    );
    expect(message).toMatch(/was freed while the program can reach it: root \d+, \d+\[\d\] = \d+/);
    expect(commands).toContain("collect(0)");
    expect(commands.length).toBeLessThanOrEqual(8);
  });

  it("checks automatic full collections that fullCollections() counts", () => {
    // Explicit collections are right; the automatic one inside every third create spares
    // unreachable containers. Only the count of full collections tells the property it ran.
    class Automatic extends MarkSweep {
      #creates = 0;
      full = 0;
      fullCollections?: () => number;
      constructor(counted: boolean) {
        super();
        if (counted) this.fullCollections = () => this.full;
      }
      override create(): number {
        if (++this.#creates % 3 === 0) {
          SparesContainers.prototype.collect.call(this);
          this.full++;
        }
        return super.create();
      }
      override collect(): void {
        super.collect();
        this.full++;
      }
    }
    const uncounted = fc.check(
      collectorModelProperty(() => new Automatic(false)),
      {
        numRuns: 200,
        seed: 7,
      },
    );
    expect(uncounted.failed).toBe(false);
    const { commands, message } = counterexample(
      collectorModelProperty(() => new Automatic(true)),
      7,
    );
    expect(message).toMatch(/unreachable but survived a full collection/);
    expect(commands).not.toContain("collect()");
    expect(commands.length).toBeLessThanOrEqual(8);
  });

  it("refuses a system with freeze but no unfreeze, and bad options", () => {
    class Half extends MarkSweep {
      freeze(): void {}
    }
    expect(() => collectorModelProperty(() => new Half())).toThrow(/both freeze and unfreeze/);
    expect(() => collectorModelProperty(() => new MarkSweep(), { slots: 0 })).toThrow(RangeError);
    expect(() => collectorModelProperty(() => new MarkSweep(), { generations: 1.5 })).toThrow(
      RangeError,
    );
  });
});

describe("AddressHandles", () => {
  it("ends a handle at its free, from the hook or from the heap, and at its address's reuse", () => {
    const live = new Set<number>();
    const handles = new AddressHandles((address) => live.has(address));
    live.add(64);
    const a = handles.add(64);
    expect(handles.address(a)).toBe(64);
    expect(handles.handleAt(64)).toBe(a);
    live.delete(64); // freed, no hook called: the heap says so
    expect(handles.isLive(a)).toBe(false);
    expect(handles.handleAt(64)).toBeUndefined();
    expect(() => handles.address(a)).toThrow(ModelViolation);
    live.add(64); // the address is handed out again
    expect(handles.isLive(a)).toBe(true); // (the heap cannot tell until the adapter says)
    const b = handles.add(64);
    expect(b).not.toBe(a);
    expect(handles.isLive(a)).toBe(false);
    expect(handles.isLive(b)).toBe(true);
    handles.freed(64); // the free hook
    expect(handles.isLive(b)).toBe(false);
    handles.freed(128); // an address without a handle: nothing to do
  });
});
