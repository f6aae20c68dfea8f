// The runtime's core: what the parts built around the object layer (the trace runner, the gc,
// sys and weakref facades, the embedding API, the inspection view) need of a runtime, and
// nothing more. They take a `RuntimeCore` instead of the `Runtime` class, so no module of the
// runtime imports runtime.ts back: runtime.ts builds the core and hands it out.

import type { Allocator, ObjectSpace } from "@mm/heap";
import type { Process } from "@mm/layout";
import type { FreeLists, PoolAllocator } from "@mm/pool-allocator";
import type { StrategyCapabilities } from "../api.js";
import type { ResolvedConfig } from "../config.js";
import type { FrameStack } from "../frames.js";
import type { Handle } from "../handle.js";
import type { ObjectModel } from "../objects/model.js";
import type { Strategy } from "../strategies.js";
import type { DirectPath } from "./direct-ints.js";
import type { RuntimeObserver } from "./events.js";

/**
 * The core of one runtime. Addresses here are object addresses in the runtime's heap; a method
 * that returns one says whether the caller owns the reference (a new reference) or not
 * (borrowed).
 */
export interface RuntimeCore {
  /** The configuration the runtime was built with. */
  readonly config: ResolvedConfig;
  /** What the strategy does: counts, roots, generations, cycles, finalizers, weakrefs. */
  readonly capabilities: StrategyCapabilities;
  /** The object space: headers, types, liveness. */
  readonly space: ObjectSpace;
  /** The object layer: creation, access and destruction of every kind of object. */
  readonly objects: ObjectModel;
  /** The memory-management strategy: reference counts, tracking, collection. */
  readonly strategy: Strategy;
  /** The module frame and the function frames; their variables are roots. */
  readonly frames: FrameStack;
  /** The modelled process, if the runtime lives in one. */
  readonly process: Process | undefined;
  /** pymalloc, when that is the allocator. */
  readonly pymalloc: PoolAllocator | undefined;
  /** CPython's raw domain (the free store). */
  readonly raw: Allocator;
  /** The free lists of floats, tuples, lists, dicts and dict keys. */
  readonly freeLists: FreeLists;
  /**
   * Temporaries: objects between evaluation and storage (a value stack). Each entry owns one
   * reference; they are roots under a tracing collector. Push and pop in stack order.
   */
  readonly temps: number[];
  /** Where debug output and unraisable exceptions go. */
  readonly log: (line: string) => void;
  /** Whether the runtime was disposed (its handles are stale, nothing more is released). */
  readonly disposed: boolean;

  /** The address behind a handle of this runtime. @throws StaleHandleError */
  addressOf(handle: Handle): number;
  /** A handle that takes over one reference the caller owns to `address`. */
  own(address: number): Handle;
  /** A dict key written in code: one interned str per value, alive for good (borrowed). */
  keyConstant(value: string): number;
  /** Whether `address` is one of the key constants. */
  isConstant(address: number): boolean;
  /** Adds a source of roots (a front end's own state); returns its removal. */
  addRoots(source: () => Iterable<number>): () => void;
  /**
   * Calls `visit` on every root: frame variables, handles, temporaries, (with `withConstants`,
   * the default) key constants, and added sources.
   */
  forEachRoot(visit: (address: number) => void, withConstants?: boolean): void;
  /** `sys.getrefcount(o) - 1`, counted by a scan under strategies without counts. */
  referenceCount(address: number): number;
  /** `gc.collect(generation)` on the strategy, seen by observers. */
  collect(generation: number): number;
  /** Reports an exception nobody can catch (from `__del__`, a weakref callback). */
  unraisable(error: unknown, where: string): void;
  /** Starts the process, when there is one and it has not started: code is about to run. */
  startProcess(): void;
  /** Adds an observer of allocations, frees, finalizers, callbacks and collections. */
  observe(observer: RuntimeObserver): () => void;
  /** The observers added with {@link observe}: `active` while there is at least one. */
  readonly observers: { readonly active: boolean };
  /** The direct path of ints and floats, under the collectors that allow it, else undefined. */
  readonly direct: DirectPath | undefined;
  /**
   * Counts an object made outside the object layer (a weak reference) as allocated, and tells
   * the observers of it; a basic weak reference handed out again is no allocation and is
   * neither counted nor told.
   */
  notifyAllocate(address: number): void;
  /** Tells the observers that a weakref callback is about to run. */
  notifyWeakrefCallback(weakref: number): void;
  /** Checks every structure (`Runtime.verify`). @throws HeapCorruptionError */
  verify(): void;
}

/** The core of each runtime, keyed by the runtime: only runtime.ts registers. */
const cores = new WeakMap<object, RuntimeCore>();

/** Registers the core of `runtime` (done once, by the runtime's constructor). */
export function registerCore(runtime: object, core: RuntimeCore): void {
  cores.set(runtime, core);
}

/**
 * The core of `runtime`.
 * @throws TypeError when `runtime` is not a `Runtime`.
 */
export function coreOf(runtime: object): RuntimeCore {
  const core = cores.get(runtime);
  if (!core) throw new TypeError("not a Runtime: expected an instance of @mm/runtime's Runtime");
  return core;
}
