// The gc module of a collector without generations, written once: thresholds are kept but
// trigger nothing, the generation figures are zero, freezing moves nothing, and no object is
// tracked on a list. The reference-counting-only and no-op strategies and the tracing collector
// build on it; so can a collector written outside this package.

import type { ObjectSpace } from "@mm/heap";
import type { RefCounter, UnraisableHook } from "@mm/refcount";
import { writeUnraisable } from "@mm/refcount";
import type { CollectionRecord, GcCallback, GenerationStats, UntrackRule } from "./api.js";
import type { Collector, CollectorCapabilities } from "./collector.js";
import type { GarbageList } from "./garbage.js";
import { GcModuleState } from "./gc-state.js";

/** What {@link FlatCollector} is made with. */
export interface FlatCollectorOptions {
  /** The name the collector reports. */
  readonly name: string;
  /** What it does. */
  readonly capabilities: CollectorCapabilities;
  /** `gc.garbage`: `GarbageList.counting(rc)` when the collector counts, `listing(space)` if not. */
  readonly garbage: GarbageList;
  /** Where exceptions from gc callbacks go. @defaultValue `writeUnraisable` */
  readonly unraisable?: UnraisableHook;
  /** Called once per phase before `gc.callbacks` run. */
  readonly callbackInfo?: () => void;
}

/**
 * A {@link Collector} without generations, short of its allocation and collection: subclasses
 * give `rc`, `allocate`, `isFinalized`, `incref`, `decref`, `release` and `collect`, and record
 * each collection they run with `this.state.record(...)` (as generation 2, the only one a
 * non-generational collector has).
 *
 * @example
 * ```ts
 * class Leaky extends FlatCollector {
 *   readonly rc = new RefCounter(space);
 *   constructor() { super({ name: "leaky", capabilities, garbage: GarbageList.listing(space) }); }
 *   allocate(typeId: number, items: number) { return space.allocate(typeId, items); }
 *   isFinalized() { return false; }
 *   incref() {} decref() {} release() {}
 *   collect() { return 0; }
 * }
 * ```
 */
export abstract class FlatCollector implements Collector {
  /** The name it was made under. */
  readonly name: string;
  /** What it does. */
  readonly capabilities: CollectorCapabilities;
  /** The gc module's state. */
  readonly state: GcModuleState;
  /** `gc.callbacks` (the subclass decides whether its collections call them). */
  readonly callbacks: GcCallback[];
  /** `gc.garbage`. */
  readonly garbage: GarbageList;
  /** Every collection the subclass recorded. */
  readonly history: CollectionRecord[];
  /** The reference counter: counts if the subclass counts; weakrefs and flags always. */
  abstract readonly rc: RefCounter;

  constructor(options: FlatCollectorOptions) {
    this.name = options.name;
    this.capabilities = options.capabilities;
    this.state = new GcModuleState({
      garbage: options.garbage,
      unraisable: options.unraisable ?? writeUnraisable,
      callbackInfo: options.callbackInfo,
    });
    this.callbacks = this.state.callbacks;
    this.garbage = this.state.garbage;
    this.history = this.state.history;
  }

  /** Allocates an object; may collect first. @returns 0 when memory is exhausted. */
  abstract allocate(typeId: number, items: number): number;
  /** `gc.is_finalized`. */
  abstract isFinalized(object: number): boolean;
  /** A new reference. */
  abstract incref(object: number): void;
  /** A reference dropped. */
  abstract decref(object: number): void;
  /** Returns an object's memory to the allocator. */
  abstract release(object: number): void;
  /** Collects; returns the number of unreachable objects found. */
  abstract collect(generation?: number): number;

  /** `gc.enable()`. */
  enable(): void {
    this.state.enable();
  }
  /** `gc.disable()`. */
  disable(): void {
    this.state.disable();
  }
  /** `gc.isenabled()`. */
  isEnabled(): boolean {
    return this.state.enabled;
  }
  /** Always zeros: nothing is counted per generation. */
  getCount(): [number, number, number] {
    return [0, 0, 0];
  }
  /** `gc.get_threshold()`: kept, never triggering anything. */
  getThreshold(): [number, number, number] {
    return this.state.getThreshold();
  }
  /** `gc.set_threshold(...)`. @throws InvalidArgumentError for a value not a 32-bit integer. */
  setThreshold(t0: number, t1?: number, t2?: number): void {
    this.state.setThreshold(t0, t1, t2);
  }
  /** `gc.get_stats()`. */
  getStats(): GenerationStats[] {
    return this.state.getStats();
  }
  /** `gc.set_debug(flags)`. @throws InvalidArgumentError for a value not a 32-bit integer. */
  setDebug(flags: number): void {
    this.state.setDebug(flags);
  }
  /** `gc.get_debug()`. */
  getDebug(): number {
    return this.state.debug;
  }
  /** Nothing to freeze: no generations. */
  freeze(): void {}
  /** Nothing to unfreeze. */
  unfreeze(): void {}
  /** Always 0. */
  getFreezeCount(): number {
    return 0;
  }
  /** No object is on a generation's list. */
  getObjects(_generation?: number): number[] {
    return [];
  }
  /** No object is on a generation's list, so none is a referrer. */
  getReferrers(..._objects: number[]): number[] {
    return [];
  }
  /** Nothing: no tracking lists. */
  track(_object: number): void {}
  /** Nothing: no tracking lists. */
  untrack(_object: number): void {}
  /** Nothing to untrack: no object is tracked. */
  addUntrackRule(_rule: UntrackRule): void {}
  /** Always false: no tracking lists. */
  isTracked(_object: number): boolean {
    return false;
  }
  /** Nothing beyond the object space to check: no lists of objects are kept. */
  verify(): void {}
}

/** Whether `object` is a container whose finalizer has run (`gc.is_finalized`). */
export function finalizedContainer(space: ObjectSpace, rc: RefCounter, object: number): boolean {
  return space.typeOf(object).isGc && rc.isFinalized(object);
}
