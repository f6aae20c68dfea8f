// The memory-management strategies the runtime can swap: each says what it needs and offers,
// and implements the same small interface over @mm/refcount and @mm/gen-gc, so the object
// layer never asks which one it runs on.

import {
  GarbageList,
  type GcCallback,
  GenerationalCollector,
  type GenerationStats,
  TracingCollector,
  type UntrackRule,
} from "@mm/gen-gc";
import type { ObjectSpace } from "@mm/heap";
import { RefCounter, type UnraisableHook } from "@mm/refcount";
import type { CollectorName, PresetName, StrategyCapabilities } from "./api.js";

/** What every strategy does for the runtime. */
export interface Strategy {
  readonly name: CollectorName;
  readonly capabilities: StrategyCapabilities;
  /** The reference counter: counts under `cpython` and `refcount`, weakrefs and flags always. */
  readonly rc: RefCounter;
  /** `gc.callbacks` (called around collections, when the strategy collects). */
  readonly callbacks: GcCallback[];
  /** `gc.garbage`. */
  readonly garbage: GarbageList;
  allocate(typeId: number, items: number): number;
  track(object: number): void;
  untrack(object: number): void;
  isTracked(object: number): boolean;
  isFinalized(object: number): boolean;
  incref(object: number): void;
  decref(object: number): void;
  /** Returns an object's memory to the allocator (tp_free), with the collector's bookkeeping. */
  release(object: number): void;
  collect(generation: number): number;
  enable(): void;
  disable(): void;
  isEnabled(): boolean;
  getCount(): [number, number, number];
  getThreshold(): [number, number, number];
  setThreshold(t0: number, t1?: number, t2?: number): void;
  getStats(): GenerationStats[];
  setDebug(flags: number): void;
  getDebug(): number;
  freeze(): void;
  unfreeze(): void;
  getFreezeCount(): number;
  getObjects(generation?: number): number[];
  getReferrers(...objects: number[]): number[];
  /** Adds a type whose survivors collections may untrack (tuples, dicts); a no-op without generations. */
  addUntrackRule(rule: UntrackRule): void;
  /** Pause times and results of every collection so far. */
  readonly history: ReadonlyArray<{ generation: number; collected: number; pauseMs: number }>;
  /** Checks the strategy's own structures (the collector's lists). @throws HeapCorruptionError */
  verify(): void;
}

/** Everything a strategy needs from the runtime. */
export interface StrategyContext {
  readonly space: ObjectSpace;
  readonly preset: PresetName;
  readonly tracingBytes: number;
  readonly unraisable: UnraisableHook;
  readonly log: (line: string) => void;
  /** tp_free of the object layer (free lists, then `release`). */
  readonly free: (object: number) => void;
  /** Calls `visit` on every root: frames, globals, handles, constants. */
  readonly roots: (visit: (object: number) => void) => void;
  readonly clearFreeLists: () => void;
  /** Called before gc.callbacks run: CPython builds the info dict there. */
  readonly callbackInfo: () => void;
  /** CPython's temporary tuple when two or more weakrefs to a dying object are cleared. */
  readonly clearingWeakrefs: (count: number) => (() => void) | undefined;
}

export const capabilities: Record<CollectorName, StrategyCapabilities> = {
  cpython: {
    refcounts: true,
    roots: false,
    generational: true,
    collectsCycles: true,
    frees: true,
    finalizers: true,
    weakrefs: true,
  },
  refcount: {
    refcounts: true,
    roots: false,
    generational: false,
    collectsCycles: false,
    frees: true,
    finalizers: true,
    weakrefs: true,
  },
  tracing: {
    refcounts: false,
    roots: true,
    generational: false,
    collectsCycles: true,
    frees: true,
    finalizers: true,
    weakrefs: true,
  },
  none: {
    refcounts: false,
    roots: false,
    generational: false,
    collectsCycles: false,
    frees: false,
    finalizers: false,
    weakrefs: false,
  },
};

/** Creates the strategy `name` over `context`. */
export function createStrategy(name: CollectorName, context: StrategyContext): Strategy {
  switch (name) {
    case "cpython":
      return new CPythonStrategy(context);
    case "refcount":
      return new CountingStrategy(context);
    case "tracing":
      return new TracingStrategy(context);
    case "none":
      return new NoneStrategy(context);
  }
}

/** What both collectors take from the runtime as it is. */
function collectorOptions(context: StrategyContext) {
  return {
    free: context.free,
    unraisable: context.unraisable,
    clearFreeLists: context.clearFreeLists,
    clearingWeakrefs: context.clearingWeakrefs,
    log: context.log,
  };
}

/** Reference counting plus CPython 3.11's generational cycle collector. */
class CPythonStrategy implements Strategy {
  readonly name = "cpython" as const;
  readonly capabilities = capabilities.cpython;
  readonly gc: GenerationalCollector;
  readonly rc: RefCounter;
  readonly callbacks: GcCallback[];
  readonly garbage: GarbageList;
  readonly history: GenerationalCollector["history"];

  constructor(context: StrategyContext) {
    this.gc = new GenerationalCollector(context.space, {
      ...collectorOptions(context),
      preset: context.preset,
      callbackInfo: context.callbackInfo,
    });
    this.rc = this.gc.rc;
    this.callbacks = this.gc.callbacks;
    this.garbage = this.gc.garbage;
    this.history = this.gc.history;
  }

  allocate(typeId: number, items: number): number {
    return this.gc.allocate(typeId, items);
  }
  addUntrackRule(rule: UntrackRule): void {
    this.gc.addUntrackRule(rule);
  }
  track(object: number): void {
    this.gc.track(object);
  }
  untrack(object: number): void {
    this.gc.untrack(object);
  }
  isTracked(object: number): boolean {
    return this.gc.isTracked(object);
  }
  isFinalized(object: number): boolean {
    return this.gc.isFinalized(object);
  }
  incref(object: number): void {
    this.rc.incref(object);
  }
  decref(object: number): void {
    this.rc.decref(object);
  }
  release(object: number): void {
    this.gc.release(object);
  }
  collect(generation: number): number {
    return this.gc.collect(generation);
  }
  enable(): void {
    this.gc.enable();
  }
  disable(): void {
    this.gc.disable();
  }
  isEnabled(): boolean {
    return this.gc.isEnabled();
  }
  getCount(): [number, number, number] {
    return this.gc.getCount();
  }
  getThreshold(): [number, number, number] {
    return this.gc.getThreshold();
  }
  setThreshold(t0: number, t1?: number, t2?: number): void {
    this.gc.setThreshold(t0, t1, t2);
  }
  getStats(): GenerationStats[] {
    return this.gc.getStats();
  }
  setDebug(flags: number): void {
    this.gc.setDebug(flags);
  }
  getDebug(): number {
    return this.gc.getDebug();
  }
  freeze(): void {
    this.gc.freeze();
  }
  unfreeze(): void {
    this.gc.unfreeze();
  }
  getFreezeCount(): number {
    return this.gc.getFreezeCount();
  }
  getObjects(generation?: number): number[] {
    return this.gc.getObjects(generation);
  }
  getReferrers(...objects: number[]): number[] {
    return this.gc.getReferrers(...objects);
  }
  verify(): void {
    this.gc.verify();
  }
}

/**
 * A strategy without a generational collector: the gc module's generation figures are zero,
 * thresholds are kept but never trigger anything, and freezing moves nothing.
 */
abstract class FlatStrategy {
  readonly callbacks: GcCallback[] = [];

  /** Nothing beyond the object space to check: these strategies keep no lists of objects. */
  verify(): void {}
  #enabled = true;
  #debug = 0;
  #threshold: [number, number, number] = [700, 10, 10];

  enable(): void {
    this.#enabled = true;
  }
  disable(): void {
    this.#enabled = false;
  }
  isEnabled(): boolean {
    return this.#enabled;
  }
  getCount(): [number, number, number] {
    return [0, 0, 0];
  }
  getThreshold(): [number, number, number] {
    return [...this.#threshold];
  }
  setThreshold(t0: number, t1?: number, t2?: number): void {
    this.#threshold = [t0, t1 ?? this.#threshold[1], t2 ?? this.#threshold[2]];
  }
  setDebug(flags: number): void {
    this.#debug = flags;
  }
  getDebug(): number {
    return this.#debug;
  }
  freeze(): void {}
  unfreeze(): void {}
  getFreezeCount(): number {
    return 0;
  }
  getObjects(): number[] {
    return [];
  }
  getReferrers(): number[] {
    return [];
  }
  track(): void {}
  untrack(): void {}
  addUntrackRule(): void {}
  isTracked(): boolean {
    return false;
  }
}

/** Reference counting alone: acyclic garbage dies at once, cycles leak. */
class CountingStrategy extends FlatStrategy implements Strategy {
  readonly name = "refcount" as const;
  readonly capabilities = capabilities.refcount;
  readonly rc: RefCounter;
  /** Never filled by a collector (there is none); what is appended is held by a reference. */
  readonly garbage: GarbageList;
  readonly history = [];
  readonly #space: ObjectSpace;

  constructor(context: StrategyContext) {
    super();
    this.#space = context.space;
    const rc = new RefCounter(context.space, {
      hooks: { free: context.free, clearingWeakrefs: context.clearingWeakrefs },
      unraisable: context.unraisable,
    });
    this.rc = rc;
    this.garbage = GarbageList.counting(rc);
  }

  allocate(typeId: number, items: number): number {
    return this.#space.allocate(typeId, items);
  }
  isFinalized(object: number): boolean {
    return this.#space.typeOf(object).isGc && this.rc.isFinalized(object);
  }
  incref(object: number): void {
    this.rc.incref(object);
  }
  decref(object: number): void {
    this.rc.decref(object);
  }
  release(object: number): void {
    this.#space.free(object);
  }
  collect(): number {
    return 0;
  }
  getStats(): GenerationStats[] {
    return [0, 1, 2].map(() => ({ collections: 0, collected: 0, uncollectable: 0 }));
  }
}

/** Mark-sweep from the runtime's roots; no counts are kept. */
class TracingStrategy extends FlatStrategy implements Strategy {
  readonly name = "tracing" as const;
  readonly capabilities = capabilities.tracing;
  readonly tracer: TracingCollector;
  readonly rc: RefCounter;
  readonly garbage: GarbageList;
  readonly history: TracingCollector["history"];
  readonly #space: ObjectSpace;

  constructor(context: StrategyContext) {
    super();
    this.#space = context.space;
    this.tracer = new TracingCollector(context.space, {
      roots: context.roots,
      bytesBetweenCollections: context.tracingBytes,
      ...collectorOptions(context),
    });
    this.rc = this.tracer.rc;
    this.garbage = this.tracer.garbage;
    this.history = this.tracer.history;
  }

  allocate(typeId: number, items: number): number {
    return this.tracer.allocate(typeId, items);
  }
  isFinalized(object: number): boolean {
    return this.#space.typeOf(object).isGc && this.rc.isFinalized(object);
  }
  incref(): void {}
  decref(): void {}
  release(object: number): void {
    this.#space.free(object);
  }
  collect(): number {
    return this.tracer.collect();
  }
  override enable(): void {
    super.enable();
    this.tracer.enable();
  }
  override disable(): void {
    super.disable();
    this.tracer.disable();
  }
  override setDebug(flags: number): void {
    super.setDebug(flags);
    this.tracer.setDebug(flags);
  }
  getStats(): GenerationStats[] {
    return [
      { collections: 0, collected: 0, uncollectable: 0 },
      { collections: 0, collected: 0, uncollectable: 0 },
      this.tracer.getStats(),
    ];
  }
}

/** Nothing is ever freed: no counts, no collections. */
class NoneStrategy extends FlatStrategy implements Strategy {
  readonly name = "none" as const;
  readonly capabilities = capabilities.none;
  readonly rc: RefCounter;
  /** Never filled (nothing is collected); nothing is counted, so holding is being listed. */
  readonly garbage: GarbageList;
  readonly history = [];
  readonly #space: ObjectSpace;

  constructor(context: StrategyContext) {
    super();
    this.#space = context.space;
    this.rc = new RefCounter(context.space, { unraisable: context.unraisable });
    this.garbage = GarbageList.listing(context.space);
  }

  allocate(typeId: number, items: number): number {
    return this.#space.allocate(typeId, items);
  }
  isFinalized(): boolean {
    return false;
  }
  incref(): void {}
  decref(): void {}
  release(): void {}
  collect(): number {
    return 0;
  }
  getStats(): GenerationStats[] {
    return [0, 1, 2].map(() => ({ collections: 0, collected: 0, uncollectable: 0 }));
  }
}
