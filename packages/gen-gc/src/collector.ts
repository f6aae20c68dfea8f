// The contract between an embedder's runtime and a memory-management strategy: what the
// runtime calls on a collector (allocation, tracking, counts, the gc module), what the collector
// may call back (the host), and what it declares it does (its capabilities). The collectors of
// this package implement it; so can anyone else's.

import type { ObjectSpace, TypeDescriptor } from "@mm/heap";
import type { LifecycleHooks, RefCounter, UnraisableHook } from "@mm/refcount";
import type { CollectionRecord, GcCallback, GenerationStats, Preset, UntrackRule } from "./api.js";
import type { GarbageList } from "./garbage.js";

/** What a collector needs and offers; a runtime checks its configuration against it. */
export interface CollectorCapabilities {
  /** Objects carry reference counts and die when they reach zero. */
  readonly refcounts: boolean;
  /** Collection needs the runtime to enumerate its roots (frames, globals, handles). */
  readonly roots: boolean;
  /** Objects are grouped in generations with thresholds (`gc.get_count`, presets). */
  readonly generational: boolean;
  /** Unreachable cycles are found and freed. */
  readonly collectsCycles: boolean;
  /** Objects are ever freed. */
  readonly frees: boolean;
  /** Finalizers (`__del__`) run. */
  readonly finalizers: boolean;
  /** Weak references are cleared when their referent dies. */
  readonly weakrefs: boolean;
}

/** The names of {@link CollectorCapabilities}, in declaration order (for checking a definition). */
export const CAPABILITY_NAMES = [
  "refcounts",
  "roots",
  "generational",
  "collectsCycles",
  "frees",
  "finalizers",
  "weakrefs",
] as const satisfies ReadonlyArray<keyof CollectorCapabilities>;

/** Everything a collector may take from the runtime that embeds it. */
export interface CollectorHost {
  /** The object space the collector manages (its allocator, memory and type registry). */
  readonly space: ObjectSpace;
  /** Which CPython's thresholds a generational collector starts with. */
  readonly preset: Preset;
  /** For a collector paced by allocation volume: collect after this many bytes. */
  readonly tracingBytes: number;
  /**
   * Stress mode: the embedder asks for a collection at every allocation a collection could
   * follow (for the generational collector, every container allocation), to shake out objects
   * that are not reachable when they should be. A collector that cannot honour it may ignore it.
   */
  readonly stress: boolean;
  /** Where exceptions from finalizers, weakref callbacks, `clear` and gc callbacks go. */
  readonly unraisable: UnraisableHook;
  /** Where debug output goes (one line per call, no newline). */
  readonly log: (line: string) => void;
  /**
   * tp_free of the embedder's object layer: a dead object's memory goes to a free list or back
   * through the collector's `release`.
   */
  readonly free: (object: number) => void;
  /** Calls `visit` on every root: frames, globals, handles, constants. */
  readonly roots: (visit: (object: number) => void) => void;
  /** Empties the embedder's free lists (a full collection ends with it). */
  readonly clearFreeLists: () => void;
  /** Called before gc.callbacks run: CPython builds the info dict there. */
  readonly callbackInfo: () => void;
  /** CPython's temporary tuple when two or more weakrefs to a dying object are cleared. */
  readonly clearingWeakrefs: NonNullable<LifecycleHooks["clearingWeakrefs"]>;
  /**
   * An allocator over the space's memory for the collector's own bookkeeping blocks (the
   * generational collector's copy of its type tables for its WebAssembly walks), so that they
   * are no blocks of the object domain. Without it they come from the space's allocator.
   */
  readonly raw?: {
    malloc(bytes: number): number;
    free(address: number): void;
  };
  /**
   * A fixed range of the space's memory that no allocator hands out, where the generational
   * collector's WebAssembly walks keep their copy of the type tables (see
   * `GenerationalOptions.kernelTables`): a collector given one has the kernel without a
   * block in any allocator's figures.
   */
  readonly kernelTables?: { readonly address: number; readonly bytes: number };
}

/**
 * One memory-management strategy as a runtime drives it: allocation and tracking of objects,
 * reference counts (where the strategy keeps them), collection, and the whole `gc` module.
 * Every member is called by the runtime; none may be left out, though a strategy without
 * generations answers the generation questions with zeros and no objects.
 */
export interface Collector {
  /** The name it was registered under. */
  readonly name: string;
  /** What it does; the runtime reads this instead of the name. */
  readonly capabilities: CollectorCapabilities;
  /** The reference counter: counts where the strategy counts; weakrefs and flags always. */
  readonly rc: RefCounter;
  /** `gc.callbacks` (called around collections, when the strategy calls them). */
  readonly callbacks: GcCallback[];
  /** `gc.garbage`. */
  readonly garbage: GarbageList;
  /** Every collection so far: generation, results, pause time. */
  readonly history: ReadonlyArray<CollectionRecord>;
  /** Allocates an object (untracked); may collect first. @returns 0 when memory is exhausted. */
  allocate(typeId: number, items: number): number;
  /** Starts tracking a container (a no-op for strategies without tracking lists). */
  track(object: number): void;
  /** Stops tracking an object. */
  untrack(object: number): void;
  /** `gc.is_tracked`. */
  isTracked(object: number): boolean;
  /** `gc.is_finalized`. */
  isFinalized(object: number): boolean;
  /** A new reference (a no-op for strategies that do not count). */
  incref(object: number): void;
  /** A reference dropped (a no-op for strategies that do not count). */
  decref(object: number): void;
  /** Returns an object's memory to the allocator (tp_free), with the collector's bookkeeping. */
  release(object: number): void;
  /**
   * {@link release} for a caller that has already read the object's type (an object layer's
   * tp_free, once per death): the same bookkeeping without looking the type up again. Optional;
   * a caller uses it in place of `release` only when the class that defines it also defines
   * `release` (see {@link directRelease}), so a subclass that overrides `release` alone still
   * sees every release.
   */
  releaseAs?(object: number, type: TypeDescriptor): void;
  /** `gc.collect(generation)`: the number of unreachable objects found. */
  collect(generation: number): number;
  /** `gc.enable()`. */
  enable(): void;
  /** `gc.disable()`. */
  disable(): void;
  /** `gc.isenabled()`. */
  isEnabled(): boolean;
  /** `gc.get_count()`. */
  getCount(): [number, number, number];
  /** `gc.get_threshold()`. */
  getThreshold(): [number, number, number];
  /** `gc.set_threshold(...)`. */
  setThreshold(t0: number, t1?: number, t2?: number): void;
  /** `gc.get_stats()`: three entries, one per generation. */
  getStats(): GenerationStats[];
  /** `gc.set_debug(flags)`. */
  setDebug(flags: number): void;
  /** `gc.get_debug()`. */
  getDebug(): number;
  /** `gc.freeze()`. */
  freeze(): void;
  /** `gc.unfreeze()`. */
  unfreeze(): void;
  /** `gc.get_freeze_count()`. */
  getFreezeCount(): number;
  /** `gc.get_objects(generation)`. */
  getObjects(generation?: number): number[];
  /** `gc.get_referrers(*objects)`. */
  getReferrers(...objects: number[]): number[];
  /** Adds a type whose survivors collections may untrack (tuples, dicts); a no-op without generations. */
  addUntrackRule(rule: UntrackRule): void;
  /** Checks the strategy's own structures. @throws HeapCorruptionError */
  verify(): void;
  /**
   * Takes on the counts, statistics and old population another interpreter's start-up leaves
   * (CPython 3.11 has run two dozen collections before a program's first line). Optional: a
   * strategy without generations leaves it out, and the runtime then does nothing.
   */
  seed?(state: CollectorSeed): void;
}

/**
 * The state of the `gc` module another interpreter's start-up leaves when a program's first line
 * runs, for an embedder that reproduces that interpreter (see {@link Collector.seed}).
 */
export interface CollectorSeed {
  /** `gc.get_count()` at the first line. */
  readonly counts: readonly [number, number, number];
  /** `gc.get_stats()` at the first line: the collections the start-up ran and what they found. */
  readonly stats: readonly GenerationStats[];
  /**
   * How many objects that interpreter's oldest generation holds then (its modules, functions
   * and classes). The objects this heap tracks at the seed are taken as old too; those it lacks
   * still count toward the long-lived total that decides when a full collection is worth running.
   */
  readonly oldest: number;
}

/** Makes a collector for one runtime. */
export type CollectorFactory = (host: CollectorHost) => Collector;

/**
 * A collector as it is registered with a runtime: its name, what it does, and how to make one.
 * This is also the shape a module exports for `mm --collector-module`.
 */
export interface CollectorDefinition {
  /** A name of letters, digits, `-` and `_`, starting with a letter. */
  readonly name: string;
  /** What the collectors it makes do. */
  readonly capabilities: CollectorCapabilities;
  /** Makes one collector over a runtime's host. */
  readonly create: CollectorFactory;
  /** One line for listings. */
  readonly description?: string;
}

/**
 * The collector's {@link Collector.releaseAs}, bound, when calling it is the same as calling
 * its `release`: the first class on the prototype chain that defines either member must define
 * both (an own property counts as a definition). A subclass or an object that replaces
 * `release` alone gets undefined, and its callers go through `release` for every death.
 */
export function directRelease(
  collector: Collector,
): ((object: number, type: TypeDescriptor) => void) | undefined {
  if (typeof collector.releaseAs !== "function") return undefined;
  for (let at: object | null = collector; at !== null; at = Object.getPrototypeOf(at)) {
    const hasRelease = Object.hasOwn(at, "release");
    const hasReleaseAs = Object.hasOwn(at, "releaseAs");
    if (hasRelease || hasReleaseAs) {
      return hasRelease && hasReleaseAs ? collector.releaseAs.bind(collector) : undefined;
    }
  }
  return undefined;
}
