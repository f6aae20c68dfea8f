// Public types of the collectors: options, presets, debug flags, callbacks and statistics.

import type { LifecycleHooks, UnraisableHook } from "@mm/refcount";

/** CPython's default thresholds, by version. */
export const Presets = {
  /** 3.11 and 3.12: (700, 10, 10). */
  "3.11": [700, 10, 10],
  /** 3.13: the first threshold raised to 2000. */
  "3.13": [2000, 10, 10],
} as const satisfies Record<string, readonly [number, number, number]>;

/** A CPython version whose collector numbers a collector can pin. */
export type Preset = keyof typeof Presets;

/** `gc.DEBUG_*` flags, with CPython's values. */
export const DebugFlags = {
  /** Print statistics during collection. */
  Stats: 1,
  /** Print collectable objects found. */
  Collectable: 2,
  /** Print unreachable but uncollectable objects found. */
  Uncollectable: 4,
  /** Save every unreachable object to `garbage` instead of freeing it. */
  SaveAll: 32,
  /** Collectable | Uncollectable | SaveAll. */
  Leak: 38,
} as const;

/** The phase a `gc.callbacks` entry is called for. */
export type GcPhase = "start" | "stop";

/** The `info` dict a `gc.callbacks` entry receives, with CPython 3.11's keys. */
export interface GcCallbackInfo {
  readonly generation: number;
  readonly collected: number;
  readonly uncollectable: number;
}

/** An entry of `gc.callbacks`. */
export type GcCallback = (phase: GcPhase, info: GcCallbackInfo) => void;

/** One entry of `gc.get_stats()`. */
export interface GenerationStats {
  readonly collections: number;
  readonly collected: number;
  readonly uncollectable: number;
}

/** One collection, as the collector records it for tools (not part of CPython's API). */
export interface CollectionRecord {
  readonly generation: number;
  readonly collected: number;
  readonly uncollectable: number;
  /** Objects examined: the size of the collected generations at the start. */
  readonly examined: number;
  /** Wall time of the collection, in milliseconds. */
  readonly pauseMs: number;
  /** Whether an allocation triggered it (rather than an explicit `collect`). */
  readonly automatic: boolean;
}

/**
 * A type whose instances a collection may stop tracking, as CPython untracks tuples in every
 * collection and dicts in full ones when nothing they hold can be part of a cycle.
 */
export interface UntrackRule {
  readonly typeId: number;
  /** Only in collections of the oldest generation (CPython's dict rule). */
  readonly fullCollectionsOnly: boolean;
  /** Whether the (surviving, tracked) object may be untracked now. */
  readonly canUntrack: (object: number) => boolean;
  /**
   * Says that `canUntrack` is CPython's test over the references the type's pointer map
   * describes (`_PyTuple_MaybeUntrack`): every slot holds a reference, and no referent may be
   * tracked, where a referent may be tracked when its type is a container, unless its type's
   * rule has {@link untrackedIsAcyclic} and it is untracked now. The collector then runs that
   * test itself, as typed-array code over the map, and may run a rule of every collection
   * inside move_unreachable's walk (which reaches the survivors in their final order) instead
   * of walking them again; `canUntrack` must give the same answers. Ignored for a type without
   * a pointer map.
   * @defaultValue `false`
   */
  readonly byPointerMap?: boolean;
  /**
   * Whether an untracked instance of this type can be part of no cycle, in the
   * {@link byPointerMap} tests of every rule: CPython's `_PyObject_GC_MAY_BE_TRACKED` says so of
   * exact tuples only (an untracked dict is tracked again when it gets a container).
   * @defaultValue `false`
   */
  readonly untrackedIsAcyclic?: boolean;
}

/** Options shared by both collectors. */
export interface CollectorOptions {
  /** The name the collector reports (`Collector.name`). @defaultValue `"generational"` or `"tracing"` */
  readonly name?: string;
  /**
   * Returns a dead object's memory: to a free list, or to the allocator through the collector's
   * `release`. Without it, objects go back to the object space (`ObjectSpace.freeAs`). A
   * free-list push must leave the gen-0 count alone, as CPython's free lists do (park the block
   * with `ObjectSpace.retire`); call `release` when the block goes back to the allocator.
   */
  readonly free?: (object: number) => void;
  /** Where exceptions from finalizers, weakref callbacks, `clear` and gc callbacks go. */
  readonly unraisable?: UnraisableHook;
  /** Nested deallocations before the trashcan defers them. @defaultValue `50` */
  readonly trashcanDepth?: number;
  /** Called at the end of every full collection to empty the free lists. */
  readonly clearFreeLists?: () => void;
  /** Where debug output goes (one line per call, no newline). @defaultValue `console.error` */
  readonly log?: (line: string) => void;
  /** A clock in milliseconds, for pause times. @defaultValue `performance.now` */
  readonly clock?: () => number;
  /** Passed to the reference counter: see `LifecycleHooks.clearingWeakrefs`. */
  readonly clearingWeakrefs?: LifecycleHooks["clearingWeakrefs"];
}

/** Options of the generational collector. */
export interface GenerationalOptions extends CollectorOptions {
  /** Which CPython's thresholds to start with. @defaultValue `"3.11"` */
  readonly preset?: Preset;
  /** Explicit thresholds; they win over the preset. */
  readonly thresholds?: readonly [number, number, number];
  /** Types that collections may untrack (tuples, dicts). */
  readonly untrack?: readonly UntrackRule[];
  /**
   * Stress mode: every container allocation runs an automatic collection, as if the gen-0
   * count had just passed its threshold. The generation is picked as CPython's counts pick it
   * (generation 1 once its count passes threshold 1, generation 2 under the same rule and the
   * 25% rule), so the collections rotate through the generations. `gc.disable()` and a
   * threshold 0 still stop automatic collections.
   * @defaultValue `false`
   */
  readonly stress?: boolean;
  /**
   * Called once per phase before `gc.callbacks` run, when there are any: CPython builds the
   * `info` dict there, a new GC object, which the gen-0 count sees.
   */
  readonly callbackInfo?: () => void;
  /**
   * Which walks detect cycles: `"wasm"`, update_refs, subtract_refs and move_unreachable as a
   * WebAssembly module over the heap's memory, or `"js"`, the same walks as JavaScript loops.
   * Both decide the same objects in the same order. The kernel needs the heap's memory to be a
   * `WebAssembly.Memory` (`@mm/heap`'s default backing) and an engine that compiles it; without
   * them the JavaScript walks run. A collector made with `"wasm"` can switch later through
   * `GenerationalCollector.walks`; one made with `"js"` has no kernel (and so no block in the
   * heap for its tables) and keeps the JavaScript walks.
   * @defaultValue `"wasm"`
   */
  readonly walks?: "wasm" | "js";
  /**
   * Where the kernel keeps its copy of the type tables: an allocator over the same memory.
   * The runtime gives its raw domain, so that the copy is no block of the object domain.
   * @defaultValue the object space's allocator
   */
  readonly kernelBlocks?: {
    malloc(bytes: number): number;
    free(address: number): void;
  };
  /**
   * A fixed range of the memory for the kernel's copy of the type tables, in place of a block
   * from `kernelBlocks`: bytes that no allocator hands out (below a `MemoryPageSource`'s
   * `base`, say), so that the copy is in no allocator's figures. `address` is a multiple of 16
   * from 16 up; `bytes` a multiple of 4 that holds at least the header and the 1,024 noted
   * survivors (4,136 bytes). Tables that outgrow it are not copied and the JavaScript walks
   * detect (both decide the same). Giving both this and `kernelBlocks` is an error.
   */
  readonly kernelTables?: { readonly address: number; readonly bytes: number };
}

/** Options of the tracing collector. */
export interface TracingOptions extends CollectorOptions {
  /** Calls `visit` on every root: frames, globals, handles. */
  readonly roots: (visit: (object: number) => void) => void;
  /**
   * Collect when this many bytes were allocated since the last collection.
   * @defaultValue `4194304` (4 MiB)
   */
  readonly bytesBetweenCollections?: number;
}
