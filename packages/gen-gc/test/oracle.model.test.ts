// Both collectors against a reachability oracle over a plain JavaScript graph: random create,
// link, unlink, root, drop-root, collect, freeze/unfreeze, enable/disable and DEBUG_SAVEALL
// on/off sequences. After every command no reachable object has been freed; after a full
// collection with nothing frozen, every unreachable object not protected by a legacy finalizer
// is freed (or, under DEBUG_SAVEALL, saved in gc.garbage) and the result counts exactly them
// plus the uncollectables; finalizers run at most once per object, ever; resurrected objects
// survive and are collected later without a second finalize.

import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CollectionRecord, DebugFlags, type GarbageList } from "../src/index.js";
import { generationalWorld, type Log, type NodeKind, SLOTS, tracingWorld } from "./fixtures.js";

/** What the commands drive: one collector, seen through the same operations. */
interface System {
  readonly log: Log;
  readonly garbage: GarbageList;
  readonly frozen: () => number;
  create(kind: NodeKind): number;
  /** Adds a test-held reference (a root). */
  retain(object: number): void;
  /** Drops a test-held reference. */
  drop(object: number): void;
  /** Drops the reference a resurrecting finalizer took (already removed from the graveyard). */
  dropResurrected(object: number): void;
  set(parent: number, slot: number, child: number): void;
  collect(generation: number): number;
  freeze?(): void;
  unfreeze?(): void;
  setEnabled(on: boolean): void;
  /** Turns DEBUG_SAVEALL on or off. */
  setSaveAll(on: boolean): void;
  readonly saveAll: () => boolean;
  /**
   * Whether reference counting frees objects (the generational collector), so that tp_clear of
   * the collectable trash can free uncollectable objects only the trash referred to.
   */
  readonly counting: boolean;
  isLive(object: number): boolean;
  verify(): void;
  /** Every collection so far, explicit and automatic, in order. */
  collections(): readonly CollectionRecord[];
}

interface ModelNode {
  readonly kind: NodeKind;
  readonly slots: number[];
}

interface Model {
  /** Live objects by address, as the oracle knows them. */
  readonly nodes: Map<number, ModelNode>;
  /** Test-held references, one entry each. */
  readonly roots: number[];
  readonly finalizeCounts: Map<number, number>;
}

function reachableFrom(model: Model, starts: Iterable<number>): Set<number> {
  const seen = new Set<number>();
  const stack = [...starts];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id) || !model.nodes.has(id)) continue;
    seen.add(id);
    for (const child of model.nodes.get(id)!.slots) if (child !== 0) stack.push(child);
  }
  return seen;
}

const anchors = (model: Model, sys: System) => [
  ...model.roots,
  ...sys.log.graveyard,
  ...sys.garbage,
];

/**
 * Replays new frees and finalizations in order: a freed object leaves the model (its address
 * may be reused by a new object), a finalized one must not have been finalized before.
 */
function sync(model: Model, sys: System, seen: { n: number }): void {
  for (; seen.n < sys.log.events.length; seen.n++) {
    const [what, o] = sys.log.events[seen.n]!;
    if (what === "free") {
      model.nodes.delete(o);
      model.finalizeCounts.delete(o);
    } else {
      const n = (model.finalizeCounts.get(o) ?? 0) + 1;
      expect(n, `object ${o} finalized twice`).toBe(1);
      model.finalizeCounts.set(o, n);
    }
  }
}

/**
 * The uncollectable objects that outlive a full collection. CPython calls tp_clear on the
 * collectable trash before it hands the uncollectables to gc.garbage, and "this may also cause
 * some objects in finalizers to be freed": under reference counting an uncollectable object
 * lives on only while another one that lives on, or a survivor, refers to it. Under
 * DEBUG_SAVEALL nothing is cleared (the saved trash is among the survivors).
 */
function keptUncollectable(
  model: Model,
  uncollectable: ReadonlySet<number>,
  survivors: ReadonlySet<number>,
  counting: boolean,
): Set<number> {
  const kept = new Set(uncollectable);
  if (!counting) return kept;
  const refersTo = (from: number, to: number) => model.nodes.get(from)?.slots.includes(to) === true;
  for (let changed = true; changed; ) {
    changed = false;
    for (const o of kept) {
      const held = [...kept, ...survivors].some((from) => refersTo(from, o));
      if (!held) {
        kept.delete(o);
        changed = true;
      }
    }
  }
  return kept;
}

function checkReachableLive(model: Model, sys: System): void {
  for (const id of reachableFrom(model, anchors(model, sys))) {
    expect(sys.isLive(id), `reachable object ${id} was freed`).toBe(true);
  }
  sys.verify();
}

/** What a full collection must do, computed from the model just before it runs. */
interface FullExpectation {
  readonly frozen: boolean;
  readonly saveAll: boolean;
  readonly unreachable: readonly number[];
  readonly protectedSet: ReadonlySet<number>;
}

function fullCollectionExpectation(m: Model, sys: System): FullExpectation {
  const reachable = reachableFrom(m, anchors(m, sys));
  const unreachable = [...m.nodes.keys()].filter((o) => !reachable.has(o));
  const legacy = unreachable.filter((o) => m.nodes.get(o)!.kind === "legacy");
  return {
    frozen: sys.frozen() > 0,
    saveAll: sys.saveAll(),
    unreachable,
    protectedSet: reachableFrom(m, legacy),
  };
}

/**
 * After a full collection (explicit or automatic) with nothing frozen: every unreachable object
 * not protected by a legacy finalizer is freed (or saved, under DEBUG_SAVEALL), the protected
 * ones are kept while something kept refers to them, resurrected ones live, and the result
 * counts exactly the collected and uncollectable objects.
 */
function checkFullCollection(m: Model, sys: System, before: FullExpectation, result: number): void {
  const { frozen, saveAll, unreachable, protectedSet } = before;
  if (frozen) return;
  // Freed objects have left the model (sync); an automatic collection inside a creation may
  // have freed the block the new object now reuses, which the space alone would call live.
  const isLive = (o: number) => m.nodes.has(o) && sys.isLive(o);
  const survivors = reachableFrom(m, [...m.roots, ...sys.log.graveyard]);
  const saved = saveAll ? unreachable.filter((o) => !protectedSet.has(o)) : [];
  const kept = keptUncollectable(m, protectedSet, new Set([...survivors, ...saved]), sys.counting);
  let expected = 0;
  for (const o of unreachable) {
    if (protectedSet.has(o)) {
      if (kept.has(o)) {
        expected++;
        expect(isLive(o), `uncollectable ${o} was freed`).toBe(true);
      } else {
        expect(isLive(o), `uncollectable ${o}, held only by the trash, survived`).toBe(false);
      }
    } else if (survivors.has(o)) {
      expect(isLive(o), `resurrected ${o} was freed`).toBe(true);
    } else if (saveAll) {
      // DEBUG_SAVEALL: the trash goes to gc.garbage instead of being freed.
      expected++;
      expect(sys.garbage.includes(o), `unreachable ${o} not saved in garbage`).toBe(true);
      expect(isLive(o), `saved ${o} was freed`).toBe(true);
    } else {
      expected++;
      expect(isLive(o), `unreachable ${o} survived a full collection`).toBe(false);
    }
  }
  expect(result).toBe(expected);
}

type Cmd = fc.Command<Model, { sys: System; freed: { n: number } }>;

const live = (m: Readonly<Model>) => [...m.nodes.keys()];

function commands(withGenerations: boolean): fc.Arbitrary<Iterable<Cmd>> {
  type Counter = { n: number };
  const step = (
    name: string,
    check: (m: Readonly<Model>) => boolean,
    run: (m: Model, sys: System, freed: Counter) => void,
  ): Cmd => ({
    check,
    run: (m, r) => {
      run(m, r.sys, r.freed);
      sync(m, r.sys, r.freed);
      checkReachableLive(m, r.sys);
    },
    toString: () => name,
  });
  const kinds: NodeKind[] = ["plain", "plain", "final", "phoenix", "legacy"];
  const create = (kind: NodeKind): Cmd =>
    step(
      `create(${kind})`,
      () => true,
      (m, sys, freed) => {
        // An automatic collection may run inside the allocation and free objects whose address
        // the new one then reuses: forget them first. A full one must be as exact as an
        // explicit one (a bug there would otherwise show only in the runs that happen to
        // collect explicitly after it).
        const before = fullCollectionExpectation(m, sys);
        const collections = sys.collections().length;
        const o = sys.create(kind);
        sync(m, sys, freed);
        const automatic = sys.collections().slice(collections);
        if (automatic.length > 0) {
          expect(automatic.length, "one automatic collection per allocation").toBe(1);
          const [record] = automatic as [CollectionRecord];
          if (record.generation === 2) {
            checkFullCollection(m, sys, before, record.collected + record.uncollectable);
          }
        }
        m.nodes.set(o, { kind, slots: Array(SLOTS).fill(0) });
        m.roots.push(o);
      },
    );
  const list: Array<fc.Arbitrary<Cmd>> = [
    // Creation is listed three times: more objects, more automatic collections of every generation.
    fc.constantFrom(...kinds).map(create),
    fc.constantFrom(...kinds).map(create),
    fc.constantFrom(...kinds).map(create),
    fc.tuple(fc.nat(), fc.integer({ min: 0, max: SLOTS - 1 }), fc.nat()).map(([p, s, c]) =>
      step(
        `link(#${p}.${s} = #${c})`,
        (m) => m.nodes.size > 0,
        (m, sys) => {
          const ids = live(m);
          const parent = ids[p % ids.length]!;
          const child = ids[c % ids.length]!;
          sys.set(parent, s, child);
          m.nodes.get(parent)!.slots[s] = child;
        },
      ),
    ),
    fc.tuple(fc.nat(), fc.integer({ min: 0, max: SLOTS - 1 })).map(([p, s]) =>
      step(
        `unlink(#${p}.${s})`,
        (m) => m.nodes.size > 0,
        (m, sys) => {
          const ids = live(m);
          const parent = ids[p % ids.length]!;
          sys.set(parent, s, 0);
          m.nodes.get(parent)!.slots[s] = 0;
        },
      ),
    ),
    fc.nat().map((p) =>
      step(
        `root(#${p})`,
        (m) => m.nodes.size > 0,
        (m, sys) => {
          const ids = live(m);
          const o = ids[p % ids.length]!;
          sys.retain(o);
          m.roots.push(o);
        },
      ),
    ),
    fc.nat().map((p) =>
      step(
        `drop-root(#${p})`,
        (m) => m.roots.length > 0,
        (m, sys) => {
          const [o] = m.roots.splice(p % m.roots.length, 1) as [number];
          sys.drop(o);
        },
      ),
    ),
    fc.nat().map((p) =>
      step(
        `drop-resurrected(#${p})`,
        () => true,
        (_m, sys) => {
          if (sys.log.graveyard.length === 0) return;
          const [o] = sys.log.graveyard.splice(p % sys.log.graveyard.length, 1) as [number];
          sys.dropResurrected(o);
        },
      ),
    ),
    fc.integer({ min: 0, max: 2 }).map((g) =>
      step(
        `collect(${g})`,
        () => true,
        (m, sys, freed) => {
          const before = fullCollectionExpectation(m, sys);
          const result = sys.collect(g);
          sync(m, sys, freed);
          if (g === 2) checkFullCollection(m, sys, before, result);
        },
      ),
    ),
    fc.boolean().map((on) =>
      step(
        on ? "enable" : "disable",
        () => true,
        (_m, sys) => sys.setEnabled(on),
      ),
    ),
    fc.boolean().map((on) =>
      step(
        on ? "saveall on" : "saveall off",
        () => true,
        (_m, sys) => sys.setSaveAll(on),
      ),
    ),
  ];
  if (withGenerations) {
    list.push(
      fc.constant(
        step(
          "freeze",
          () => true,
          (_m, sys) => sys.freeze!(),
        ),
      ),
    );
    list.push(
      fc.constant(
        step(
          "unfreeze",
          () => true,
          (_m, sys) => sys.unfreeze!(),
        ),
      ),
    );
  }
  return fc.commands(list, { maxCommands: 80, size: "max" });
}

function generationalSystem(thresholds: Thresholds, stress = false): System {
  // Low thresholds so that automatic collections of every generation, full ones included,
  // interleave with the commands; under stress every creation collects, the generation
  // rotating as the counts pick it.
  const w = generationalWorld({ thresholds, stress }, 16 << 20);
  return {
    log: w.log,
    garbage: w.gc.garbage,
    frozen: () => w.gc.getFreezeCount(),
    create: (kind) => w.node(kind),
    retain: (o) => w.gc.rc.incref(o),
    drop: (o) => w.gc.rc.decref(o),
    dropResurrected: (o) => w.gc.rc.decref(o),
    set: (p, s, c) => w.set(p, s, c),
    collect: (g) => w.gc.collect(g),
    freeze: () => w.gc.freeze(),
    unfreeze: () => w.gc.unfreeze(),
    setEnabled: (on) => (on ? w.gc.enable() : w.gc.disable()),
    setSaveAll: (on) => w.gc.setDebug(on ? DebugFlags.SaveAll : 0),
    saveAll: () => (w.gc.getDebug() & DebugFlags.SaveAll) !== 0,
    counting: true,
    isLive: (o) => w.space.isLive(o),
    verify: () => {
      w.gc.verify();
      w.space.verify();
    },
    collections: () => w.gc.history,
  };
}

function tracingSystem(): System {
  const w = tracingWorld({ bytesBetweenCollections: 512 }, 16 << 20);
  return {
    log: w.log,
    garbage: w.gc.garbage,
    frozen: () => 0,
    create: (kind) => {
      const o = w.node(kind);
      w.roots.push(o);
      return o;
    },
    retain: (o) => w.roots.push(o),
    drop: (o) => w.roots.splice(w.roots.indexOf(o), 1),
    dropResurrected: () => {},
    set: (p, s, c) => w.set(p, s, c),
    collect: () => w.gc.collect(),
    setEnabled: (on) => (on ? w.gc.enable() : w.gc.disable()),
    setSaveAll: (on) => w.gc.setDebug(on ? DebugFlags.SaveAll : 0),
    saveAll: () => (w.gc.getDebug() & DebugFlags.SaveAll) !== 0,
    counting: false,
    isLive: (o) => w.space.isLive(o),
    verify: () => w.space.verify(),
    collections: () => w.gc.history,
  };
}

type Thresholds = [number, number, number];

/** Thresholds low enough for a full automatic collection every few dozen creations at most. */
const thresholds: fc.Arbitrary<Thresholds> = fc.tuple(
  fc.integer({ min: 1, max: 5 }),
  fc.integer({ min: 1, max: 2 }),
  fc.integer({ min: 1, max: 2 }),
);

describe("collectors against a reachability oracle", () => {
  for (const [name, make, generations] of [
    ["the generational collector", (t: Thresholds) => generationalSystem(t), true],
    [
      "the generational collector under stress",
      (t: Thresholds) => generationalSystem(t, true),
      true,
    ],
    ["the tracing collector", () => tracingSystem(), false],
  ] as const) {
    it(`${name}: never frees a reachable object; a full collection frees exactly the unreachable non-legacy objects, finalizing each at most once`, () => {
      fc.assert(
        fc.property(thresholds, commands(generations), (limits, cmds) => {
          const sys = make(limits);
          const model: Model = { nodes: new Map(), roots: [], finalizeCounts: new Map() };
          fc.modelRun(() => ({ model, real: { sys, freed: { n: 0 } } }), cmds);
        }),
        { numRuns: fcRuns(1000) },
      );
    });
  }
});
