// The state behind the gc module, one copy for every collector: whether automatic collection
// is on, the debug flags, thresholds and counts, gc.callbacks, gc.garbage, the per-generation
// statistics and the history of collections. A collector keeps its own objects; this is what
// the `gc` module reads and writes, whatever the collector.

import { InvalidArgumentError } from "@mm/heap";
import type { UnraisableHook } from "@mm/refcount";
import type {
  CollectionRecord,
  GcCallback,
  GcCallbackInfo,
  GcPhase,
  GenerationStats,
} from "./api.js";
import type { GarbageList } from "./garbage.js";

/** The generations the gc module reports (`gc.get_count()` has three entries). */
export const NUM_GENERATIONS = 3;

/** What {@link GcModuleState} is made with. */
export interface GcModuleStateOptions {
  /** `gc.garbage`: counting for a collector that counts, listing for one that does not. */
  readonly garbage: GarbageList;
  /** The starting thresholds. @defaultValue CPython 3.11's (700, 10, 10) */
  readonly thresholds?: readonly [number, number, number];
  /** Where exceptions from gc callbacks go. */
  readonly unraisable: UnraisableHook;
  /** Called once per phase before `gc.callbacks` run, when there are any. */
  readonly callbackInfo?: (() => void) | undefined;
}

/**
 * The gc module's state, shared by every collector. The collection algorithms read `enabled`,
 * `debug`, `thresholds` and `counts` directly (they are plain fields, for the allocation path)
 * and report each collection through {@link record}.
 *
 * @example
 * ```ts
 * const state = new GcModuleState({ garbage: GarbageList.listing(space), unraisable });
 * state.setThreshold(100);
 * state.record({ generation: 2, collected: 3, uncollectable: 0, examined: 10, pauseMs: 0.1, automatic: false });
 * state.getStats()[2];   // { collections: 1, collected: 3, uncollectable: 0 }
 * ```
 */
export class GcModuleState {
  /** Whether automatic collection is on (`gc.isenabled()`). */
  enabled = true;
  /** `gc.get_debug()`. */
  debug = 0;
  /** `gc.get_threshold()`, kept in place (the collectors hold the array). */
  readonly thresholds: [number, number, number];
  /** `gc.get_count()`, kept in place. */
  readonly counts: [number, number, number] = [0, 0, 0];
  /** `gc.callbacks`: called with ("start" | "stop", info) around collections. */
  readonly callbacks: GcCallback[] = [];
  /** `gc.garbage`. */
  readonly garbage: GarbageList;
  /** Per-generation totals behind `gc.get_stats()`. */
  readonly stats: Array<{ collections: number; collected: number; uncollectable: number }> = [
    0, 1, 2,
  ].map(() => ({ collections: 0, collected: 0, uncollectable: 0 }));
  /** Every collection so far, for tools. */
  readonly history: CollectionRecord[] = [];

  readonly #unraisable: UnraisableHook;
  readonly #callbackInfo: (() => void) | undefined;

  constructor(options: GcModuleStateOptions) {
    this.garbage = options.garbage;
    this.#unraisable = options.unraisable;
    this.#callbackInfo = options.callbackInfo;
    const thresholds = options.thresholds ?? [700, 10, 10];
    for (const t of thresholds) checkInt("threshold", t);
    this.thresholds = [...thresholds] as [number, number, number];
  }

  /** `gc.enable()`. */
  enable(): void {
    this.enabled = true;
  }

  /** `gc.disable()`. */
  disable(): void {
    this.enabled = false;
  }

  /** `gc.isenabled()`. */
  isEnabled(): boolean {
    return this.enabled;
  }

  /** `gc.get_threshold()`. */
  getThreshold(): [number, number, number] {
    return [...this.thresholds];
  }

  /**
   * `gc.set_threshold(threshold0[, threshold1[, threshold2]])`; 0 disables automatic collection.
   * @throws InvalidArgumentError for a value that is not a 32-bit integer (nothing changes).
   */
  setThreshold(threshold0: number, threshold1?: number, threshold2?: number): void {
    const next = [threshold0, threshold1 ?? this.thresholds[1], threshold2 ?? this.thresholds[2]];
    for (const t of next) checkInt("threshold", t);
    this.thresholds.splice(0, 3, ...(next as [number, number, number]));
  }

  /** `gc.get_count()` as kept (a collector with deferred counting brings it up to date first). */
  getCount(): [number, number, number] {
    return [...this.counts];
  }

  /**
   * `gc.set_debug(flags)`.
   * @throws InvalidArgumentError for a value that is not a 32-bit integer.
   */
  setDebug(flags: number): void {
    checkInt("flags", flags);
    this.debug = flags;
  }

  /** `gc.get_debug()`. */
  getDebug(): number {
    return this.debug;
  }

  /** `gc.get_stats()`: copies. */
  getStats(): GenerationStats[] {
    return this.stats.map((s) => ({ ...s }));
  }

  /**
   * Calls every `gc.callbacks` entry with `phase` and `info`, after `callbackInfo`; an entry
   * that throws goes to the unraisable hook and the rest still run.
   */
  invokeCallbacks(phase: GcPhase, info: GcCallbackInfo): void {
    if (this.callbacks.length === 0) return;
    this.#callbackInfo?.();
    for (let i = 0; i < this.callbacks.length; i++) {
      const callback = this.callbacks[i]!;
      try {
        callback(phase, info);
      } catch (error) {
        this.#unraisable(error, `gc callback ${callback.name || "(anonymous)"}`, 0);
      }
    }
  }

  /** Adds one finished collection to the statistics of its generation and to the history. */
  record(collection: CollectionRecord): void {
    const stats = this.stats[collection.generation]!;
    stats.collections++;
    stats.collected += collection.collected;
    stats.uncollectable += collection.uncollectable;
    this.history.push(collection);
  }
}

/** @throws InvalidArgumentError when `value` is not a 32-bit integer. */
export function checkInt(what: string, value: number): void {
  if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0x7fff_ffff) {
    throw new InvalidArgumentError(`${what} must be a 32-bit integer, got ${String(value)}`);
  }
}
