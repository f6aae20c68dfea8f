// The kind table's free plans (a list's, a tuple's, an instance's, a dict's `free` as data, run by the
// table without a call into the kind) against the kinds' own `free`, which the table calls
// when the strategy releases through `release` alone: the same program gives the allocator the
// same blocks back in the same order, parks the same objects, and counts the same deaths.

import { fc } from "@fast-check/vitest";
import {
  type Allocator,
  FreeStore,
  InvalidArgumentError,
  Memory,
  MemoryPageSource,
  ObjectSpace,
  TypeRegistry,
} from "@mm/heap";
import { FreeLists } from "@mm/pool-allocator";
import { RefCounter } from "@mm/refcount";
import { describe, expect, it } from "vitest";
import type { KindTable, ObjectHost, ObjectKind } from "../src/objects/kind.js";
import { objectKinds } from "../src/objects/kinds.js";
import { ObjectModel } from "../src/objects/model.js";

/** An allocator that writes each call it passes on to `log`. */
function logged(inner: Allocator, log: string[]): Allocator {
  return {
    memory: inner.memory,
    name: inner.name,
    malloc: (size) => {
      const p = inner.malloc(size);
      log.push(`malloc ${size} ${p}`);
      return p;
    },
    calloc: (count, size) => {
      const p = inner.calloc(count, size);
      log.push(`calloc ${count * size} ${p}`);
      return p;
    },
    realloc: (address, size) => {
      const p = inner.realloc(address, size);
      log.push(`realloc ${address} ${size} ${p}`);
      return p;
    },
    free: (address) => {
      log.push(`free ${address}`);
      inner.free(address);
    },
    usableSize: (address) => inner.usableSize(address),
    owns: (address) => inner.owns(address),
    stats: () => inner.stats(),
    verify: () => inner.verify(),
  };
}

/**
 * How the host releases: through `release` alone (the kinds' own `free` runs), through a
 * `releaseAs` (the plans run), or through a `releaseAs` that it says frees an untracked object
 * to the space (the plans free such objects to the space themselves).
 */
type Release = "layered" | "direct" | "untracked";

/**
 * An object layer over a bare heap and a reference counter, with small free lists (so that
 * programs fill them); a host with a `releaseAs` makes the plans run.
 */
function layer(mode: Release, countsInPlace = false) {
  const memory = new Memory({ maximumBytes: 16 << 20 });
  const log: string[] = [];
  const store = logged(new FreeStore(new MemoryPageSource(memory)), log);
  const space = new ObjectSpace(store, new TypeRegistry());
  // A tupleMaxLength past the tuple kind's 20: the kind's own limit must hold.
  const freeLists = new FreeLists(store, {
    listCapacity: 3,
    tupleCapacity: 2,
    tupleMaxLength: 24,
    dictCapacity: 2,
    dictKeysCapacity: 2,
  });
  let free: (o: number) => void = () => {};
  const rc = new RefCounter(space, { hooks: { free: (o) => free(o) } });
  const host: ObjectHost = {
    space,
    mem: store,
    obj: store,
    freeLists,
    allocate: (typeId, items) => space.allocate(typeId, items),
    track: () => {},
    isTracked: () => false,
    incref: (o) => rc.incref(o),
    decref: (o) => rc.decref(o),
    release: (o) => {
      log.push(`release ${o}`);
      space.free(o);
    },
    ...(mode !== "layered"
      ? {
          releaseAs: (o: number, type: { id: number }) => {
            log.push(`release ${o}`);
            space.freeAs(o, space.types.get(type.id));
          },
          releaseUntrackedIsFreeAs: mode === "untracked",
        }
      : {}),
    unraisable: (error) => {
      throw error;
    },
    countsInPlace,
  };
  const model = new ObjectModel(host, objectKinds);
  free = model.freeFunction();
  return { space, rc, model, log, freeLists };
}

/** One step: a new object holding earlier ones, a batch of fresh ones in a list, or a drop. */
type Step =
  | { op: "list" | "tuple" | "plain" | "dict-instance" | "dict" | "str-dict"; children: number[] }
  | { op: "batch"; kind: "list" | "tuple" | "plain" | "dict"; count: number; width: number }
  | { op: "drop"; at: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constantFrom("list", "tuple", "plain", "dict-instance", "dict", "str-dict"),
      children: fc.array(fc.nat(), { maxLength: 5 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("batch"),
      kind: fc.constantFrom("list", "tuple", "plain", "dict"),
      count: fc.nat({ max: 12 }),
      width: fc.nat({ max: 23 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("drop"), at: fc.nat() }) },
) as fc.Arbitrary<Step>;

/** Runs `steps`, drops what is left, and returns what the allocator and the table saw. */
function run(mode: Release, steps: readonly Step[], countsInPlace = false) {
  const { space, rc, model, log, freeLists } = layer(mode, countsInPlace);
  // The class's instances each hold a reference to its type object (a list stands in for it),
  // which every instance's death drops: in place when the host counts in place.
  const typeObject = model.newList([]);
  const plain = model.defineClass({ name: "Plain", typeObject });
  const held: number[] = [];
  const pick = (k: number) => {
    const alive = held.filter((r) => r !== 0);
    return alive.length === 0 ? undefined : alive[k % alive.length];
  };
  /** A dict of `values` under int keys, or str keys (a table small ones park on its list). */
  const dict = (values: readonly number[], strKeys: boolean): number => {
    const d = model.newDict();
    values.forEach((value, i) => {
      const key = strKeys ? model.newStr(`k${i}`) : model.newInt(1000 + i);
      model.dictSet(d, key, value);
      rc.decref(key);
    });
    return d;
  };
  const fresh = (kind: "list" | "tuple" | "plain" | "dict", width: number): number => {
    const items = Array.from({ length: width }, () => model.none);
    if (kind === "list") return model.newList(items);
    if (kind === "tuple") return model.newTuple(items);
    if (kind === "dict") return dict(items, width % 2 === 0);
    const o = model.newInstance(plain);
    items.slice(0, 3).forEach((item, i) => {
      model.setAttr(o, `a${i}`, item);
    });
    return o;
  };
  for (const step of steps) {
    if (step.op === "drop") {
      const alive = held.flatMap((r, i) => (r !== 0 ? [i] : []));
      if (alive.length === 0) continue;
      const i = alive[step.at % alive.length]!;
      const r = held[i]!;
      held[i] = 0;
      rc.decref(r);
      continue;
    }
    if (step.op === "batch") {
      const items = Array.from({ length: step.count }, (_, i) =>
        fresh(step.kind, (step.width + i) % 24),
      );
      held.push(model.newList(items));
      for (const item of items) rc.decref(item);
      continue;
    }
    const children = step.children.flatMap((k) => {
      const r = pick(k);
      return r === undefined ? [] : [r];
    });
    let o: number;
    if (step.op === "list") o = model.newList(children);
    else if (step.op === "tuple") o = model.newTuple(children);
    else if (step.op === "dict" || step.op === "str-dict")
      o = dict(children, step.op === "str-dict");
    else {
      o = model.newInstance(plain);
      children.forEach((child, i) => {
        model.setAttr(o, `a${i % 4}`, child);
      });
      // An instance whose values moved to a materialised dict.
      if (step.op === "dict-instance") rc.decref(model.instanceDict(o));
    }
    held.push(o);
  }
  for (let i = held.length - 1; i >= 0; i--) if (held[i] !== 0) rc.decref(held[i]!);
  space.verify();
  const typeCount = space.memory.u32[typeObject >>> 2]!;
  rc.decref(typeObject);
  return {
    typeCount,
    log,
    freed: model.freed,
    allocated: model.allocated,
    live: space.liveObjects,
    parked: freeLists.counts(),
  };
}

describe("free plans", () => {
  it("free what the kinds' own free frees, in the same order, parking the same objects", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 50 }), (steps) => {
        const reference = run("layered", steps);
        const planned = run("direct", steps);
        expect(planned.log).toEqual(reference.log);
        expect(planned.freed).toBe(reference.freed);
        expect(planned.allocated).toBe(reference.allocated);
        expect(planned.live).toBe(reference.live);
        expect(planned.parked).toEqual(reference.parked);
        // Nothing is tracked here: the deaths the table releases go to the space instead of the
        // strategy (kinds that call the host's `release` themselves still do), with the same
        // blocks freed in the same order.
        const untracked = run("untracked", steps);
        const frees = (log: readonly string[]) => log.filter((l) => !l.startsWith("release "));
        const releases = (log: readonly string[]) => log.length - frees(log).length;
        expect(frees(untracked.log)).toEqual(frees(reference.log));
        expect(releases(untracked.log)).toBeLessThanOrEqual(releases(reference.log));
        expect(untracked.freed).toBe(reference.freed);
        expect(untracked.allocated).toBe(reference.allocated);
        expect(untracked.live).toBe(reference.live);
        expect(untracked.parked).toEqual(reference.parked);
        // Instances drop their type's reference in place when the host counts in place: the
        // same count at the end, the same blocks in the same order.
        const counted = run("untracked", steps, true);
        expect(counted).toEqual(untracked);
        expect(reference.typeCount).toBe(1);
      }),
      { numRuns: 60 },
    );
  });

  it("free an untracked object to the space when the host says its release is that", () => {
    // Four instances (no free list) made and dropped: the strategy releases each under a
    // plain releaseAs, the space frees each under one that frees untracked objects to it.
    const steps: Step[] = [{ op: "batch", kind: "plain", count: 4, width: 0 }];
    const direct = run("direct", steps);
    const untracked = run("untracked", steps);
    const releases = (log: readonly string[]) => log.filter((l) => l.startsWith("release "));
    // The holding list is parked; the four instances are released.
    expect(releases(direct.log)).toHaveLength(4);
    expect(releases(untracked.log)).toHaveLength(0);
    expect(untracked.log).toEqual(direct.log.filter((l) => !l.startsWith("release ")));
  });

  it("refuse a plan the table cannot run, before registering its type", () => {
    let table: KindTable | undefined;
    class Probe implements ObjectKind {
      readonly name = "probe";
      constructor(t: KindTable) {
        table = t;
      }
      free(): void {}
    }
    // A layer with the probe kind installed after the built-in ones, to reach its table.
    const memory = new Memory({ maximumBytes: 4 << 20 });
    const store = new FreeStore(new MemoryPageSource(memory));
    const space = new ObjectSpace(store, new TypeRegistry());
    const rc = new RefCounter(space);
    new ObjectModel(
      {
        space,
        mem: store,
        obj: store,
        freeLists: undefined,
        allocate: (typeId, items) => space.allocate(typeId, items),
        track: () => {},
        isTracked: () => false,
        incref: (o) => rc.incref(o),
        decref: (o) => rc.decref(o),
        release: (o) => space.free(o),
        unraisable: (error) => {
          throw error;
        },
      },
      [...objectKinds, Probe],
    );
    const kind = new Probe(table!);
    const spec = (name: string) => ({ name, basicSize: 32, flags: 0 });
    expect(() => table!.register(spec("three"), kind, { block: 16, zero: [20, 24, 28] })).toThrow(
      InvalidArgumentError,
    );
    expect(() => table!.register(spec("loose"), kind, { zero: [20] })).toThrow(
      /only beside its block/,
    );
    expect(() => table!.register(spec("tuples"), kind, { park: "tuple" })).toThrow(
      /tupleMaxLength/,
    );
    expect(() => table!.register(spec("unless"), kind, { kindFreeUnlessZero: -4 })).toThrow(
      /kindFreeUnlessZero/,
    );
    expect(space.types.byName("three")).toBeUndefined();
    expect(space.types.byName("unless")).toBeUndefined();
    expect(() => table!.register(spec("fine"), kind, { block: 16, park: "list" })).not.toThrow();
  });
});
