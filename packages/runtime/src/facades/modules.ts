// Facades named after Python's modules: gc, sys and weakref, over whatever strategy the runtime
// uses. They take and give handles; CPython's names become camelCase.

import {
  type CollectorSeed,
  type DebugFlags,
  type GcCallback,
  GcValueError,
  type GenerationStats,
} from "@mm/gen-gc";
import type { Handle } from "../handle.js";
import type { RuntimeCore } from "../internal/core.js";

/** The `gc` module. */
export class GcModule {
  readonly #rt: RuntimeCore;

  /** @internal The runtime builds its facades over its core. */
  constructor(core: RuntimeCore) {
    this.#rt = core;
  }

  /** `gc.DEBUG_*`. */
  get flags(): typeof DebugFlags {
    return { Stats: 1, Collectable: 2, Uncollectable: 4, SaveAll: 32, Leak: 38 };
  }

  /** `gc.collect(generation=2)`: the number of unreachable objects found. */
  collect(generation = 2): number {
    if (!Number.isInteger(generation) || generation < 0 || generation > 2)
      throw new GcValueError("invalid generation");
    return this.#rt.collect(generation);
  }

  enable(): void {
    this.#rt.strategy.enable();
  }

  disable(): void {
    this.#rt.strategy.disable();
  }

  isEnabled(): boolean {
    return this.#rt.strategy.isEnabled();
  }

  getCount(): [number, number, number] {
    return this.#rt.strategy.getCount();
  }

  getThreshold(): [number, number, number] {
    return this.#rt.strategy.getThreshold();
  }

  setThreshold(threshold0: number, threshold1?: number, threshold2?: number): void {
    this.#rt.strategy.setThreshold(threshold0, threshold1, threshold2);
  }

  getStats(): GenerationStats[] {
    return this.#rt.strategy.getStats();
  }

  /**
   * Starts the gc module where another interpreter's start-up leaves it (its counts, statistics
   * and old population: see gen-gc's `CollectorSeed`), for an embedder that reproduces that
   * interpreter; a strategy without generations ignores it.
   * @throws InvalidArgumentError for counts or statistics that are not non-negative integers.
   */
  seed(state: CollectorSeed): void {
    this.#rt.strategy.seed?.(state);
  }

  setDebug(flags: number): void {
    this.#rt.strategy.setDebug(flags);
  }

  getDebug(): number {
    return this.#rt.strategy.getDebug();
  }

  /** `gc.callbacks`. */
  get callbacks(): GcCallback[] {
    return this.#rt.strategy.callbacks;
  }

  /** `gc.garbage`, as new handles. */
  get garbage(): Handle[] {
    return Array.from(this.#rt.strategy.garbage, (o) => this.#share(o));
  }

  /**
   * `gc.garbage`'s entries handed over to a front end that keeps its own list of them (as
   * CPython's `gc.garbage` is a Python list): new handles to them, and the collector's list is
   * emptied, so that the front end's list is what holds them from then on.
   */
  takeGarbage(): Handle[] {
    const garbage = this.#rt.strategy.garbage;
    const taken = Array.from(garbage, (o) => this.#share(o));
    garbage.clear();
    return taken;
  }

  freeze(): void {
    this.#rt.strategy.freeze();
  }

  unfreeze(): void {
    this.#rt.strategy.unfreeze();
  }

  getFreezeCount(): number {
    return this.#rt.strategy.getFreezeCount();
  }

  /** `gc.get_objects(generation=None)`, as new handles. */
  getObjects(generation?: number): Handle[] {
    return this.#rt.strategy.getObjects(generation).map((o) => this.#share(o));
  }

  /** `gc.get_referrers(*objs)`. */
  getReferrers(...objects: Handle[]): Handle[] {
    return this.#rt.strategy
      .getReferrers(...objects.map((h) => this.#rt.addressOf(h)))
      .map((o) => this.#share(o));
  }

  /** `gc.get_referents(*objs)`: what each container refers to. */
  getReferents(...objects: Handle[]): Handle[] {
    const out: Handle[] = [];
    for (const h of objects) {
      const o = this.#rt.addressOf(h);
      if (!this.#rt.space.typeOf(o).isGc) continue;
      for (const ref of this.#rt.objects.referents(o)) out.push(this.#share(ref));
    }
    return out;
  }

  isTracked(h: Handle): boolean {
    return this.#rt.strategy.isTracked(this.#rt.addressOf(h));
  }

  isFinalized(h: Handle): boolean {
    return this.#rt.strategy.isFinalized(this.#rt.addressOf(h));
  }

  #share(o: number): Handle {
    this.#rt.strategy.incref(o);
    return this.#rt.own(o);
  }
}

/** The `sys` module's memory functions. */
export class SysModule {
  readonly #rt: RuntimeCore;

  /** @internal The runtime builds its facades over its core. */
  constructor(core: RuntimeCore) {
    this.#rt = core;
  }

  /** `sys.getrefcount(o)`: the references to `o`, plus one for the argument, as CPython reports. */
  getrefcount(h: Handle): number {
    return this.#rt.referenceCount(this.#rt.addressOf(h)) + 1;
  }

  /** `sys.getsizeof(o)`. */
  getsizeof(h: Handle): number {
    return this.#rt.objects.sizeOf(this.#rt.addressOf(h));
  }

  getrecursionlimit(): number {
    return this.#rt.frames.limit;
  }

  setrecursionlimit(limit: number): void {
    this.#rt.frames.setLimit(limit);
  }

  /** `sys.intern(s)`: the interned str of that value. */
  intern(h: Handle): Handle {
    const o = this.#rt.objects.intern(this.#rt.addressOf(h));
    return this.#rt.own(o);
  }

  /** `sys.getallocatedblocks()`: pymalloc blocks in use plus large blocks (fact 14). */
  getallocatedblocks(): number {
    return this.#rt.pymalloc
      ? this.#rt.pymalloc.getAllocatedBlocks()
      : this.#rt.raw.stats().liveBlocks;
  }

  /** `sys._debugmallocstats()`: the text CPython writes to stderr. */
  debugmallocstats(): string {
    if (this.#rt.pymalloc) return this.#rt.pymalloc.debugMallocStats();
    return `${this.#rt.freeLists.debugTypeStats()}`;
  }
}

/** The `weakref` module. */
export class WeakrefModule {
  readonly #rt: RuntimeCore;

  /** @internal The runtime builds its facades over its core. */
  constructor(core: RuntimeCore) {
    this.#rt = core;
  }

  /** `weakref.ref(o, callback)`. @throws PythonError TypeError for types without weakrefs */
  ref(target: Handle, callback?: (weakref: Handle) => void): Handle {
    const rt = this.#rt;
    const o = rt.addressOf(target);
    const wr = rt.strategy.rc.newWeakref(
      o,
      callback
        ? (w) => {
            rt.notifyWeakrefCallback(w);
            rt.strategy.incref(w);
            using handle = rt.own(w);
            callback(handle);
          }
        : undefined,
    );
    rt.notifyAllocate(wr);
    return rt.own(wr);
  }

  /** `w()`: the referent as a new handle, or undefined once it is dead. */
  deref(weakref: Handle): Handle | undefined {
    const target = this.#rt.strategy.rc.weakrefTarget(this.#rt.addressOf(weakref));
    if (target === 0) return undefined;
    this.#rt.strategy.incref(target);
    return this.#rt.own(target);
  }

  /** `weakref.getweakrefcount(o)`. */
  getweakrefcount(target: Handle): number {
    return this.#rt.strategy.rc.weakrefsTo(this.#rt.addressOf(target)).length;
  }
}
