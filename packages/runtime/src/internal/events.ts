// What observers of a runtime are told: every allocation and free of an object (and whether the
// count or a collection freed it), every finalizer and weakref callback, every collection. The
// runtime pays for this only while someone observes: with no observer the hooks are one check.

/** How an object died. */
export type FreeCause =
  /** Its count dropped to zero outside any collection. */
  | { readonly by: "refcount" }
  /** During a collection of `generation` (2 for the tracing collector's sweeps). */
  | { readonly by: "collection"; readonly generation: number };

/** One thing that happened in a runtime, as observers see it. */
export type RuntimeEvent =
  | {
      readonly kind: "allocate";
      readonly address: number;
      /** The object's type name (`type(o).__name__`). */
      readonly type: string;
      /** Its block's size in bytes, header and pre-header included (item arrays are blocks of their own). */
      readonly size: number;
    }
  | {
      readonly kind: "free";
      readonly address: number;
      readonly type: string;
      readonly size: number;
      readonly cause: FreeCause;
    }
  | { readonly kind: "finalize"; readonly address: number; readonly type: string }
  | { readonly kind: "weakref-callback"; readonly weakref: number }
  | {
      readonly kind: "collect";
      readonly generation: number;
      /** Unreachable objects found. */
      readonly collected: number;
      readonly pauseMs: number;
    };

/**
 * Receives a runtime's events in the order they happened. Events raised while an allocation runs
 * an automatic collection are delivered when that allocation returns (a free cannot be told
 * apart from a count's until the collection is over), still in order, before the new object's
 * `allocate`. An observer must not change the heap (it is called mid-operation); an exception it
 * throws is reported as unraisable and does not stop the runtime.
 */
export type RuntimeObserver = (event: RuntimeEvent) => void;

/** A collection as the strategy records it. */
interface HistoryEntry {
  readonly generation: number;
  readonly collected: number;
  readonly pauseMs: number;
}

/** Pending frees are labelled once the operation they happened in is over. */
type Pending =
  | RuntimeEvent
  | {
      readonly kind: "free?";
      readonly address: number;
      readonly type: string;
      readonly size: number;
    };

/**
 * The observers of one runtime and the bookkeeping that labels frees: operations that may
 * collect (allocation, tracking, `gc.collect`) run through {@link Observers.during}, which
 * holds their events back and labels the frees by the collection that ran, if any.
 */
export class Observers {
  readonly #observers = new Set<RuntimeObserver>();
  readonly #history: () => ReadonlyArray<HistoryEntry>;
  readonly #unraisable: (error: unknown, where: string) => void;
  #depth = 0;
  #pending: Pending[] = [];
  /** Told when {@link active} changes (see {@link Observers.onActiveChange}). */
  #activeChanged: ((active: boolean) => void) | undefined;

  /**
   * @param history - the strategy's collections so far (it only grows)
   * @param unraisable - where an observer's exception goes
   */
  constructor(
    history: () => ReadonlyArray<HistoryEntry>,
    unraisable: (error: unknown, where: string) => void,
  ) {
    this.#history = history;
    this.#unraisable = unraisable;
  }

  /**
   * Calls `changed` whenever {@link active} changes (the first observer added, the last one
   * removed), so that a hot path may take a hook that asks nothing while nobody observes. One
   * listener; a second call replaces the first.
   */
  onActiveChange(changed: (active: boolean) => void): void {
    this.#activeChanged = changed;
  }

  /** Whether anyone observes (the hooks do nothing otherwise). */
  get active(): boolean {
    return this.#observers.size > 0;
  }

  /** Adds an observer; returns its removal. */
  add(observer: RuntimeObserver): () => void {
    const observers = this.#observers;
    const was = observers.size > 0;
    observers.add(observer);
    if (!was) this.#activeChanged?.(true);
    return () => {
      if (observers.delete(observer) && observers.size === 0) this.#activeChanged?.(false);
    };
  }

  /** Runs an operation that may collect, holding its events back until it is over. */
  during<T>(operation: () => T): T {
    const before = this.#depth === 0 ? this.#history().length : -1;
    this.#depth++;
    try {
      return operation();
    } finally {
      this.#depth--;
      if (this.#depth === 0) this.#flush(before);
    }
  }

  /** An event: delivered now, or held back while an operation that may collect runs. */
  emit(event: RuntimeEvent): void {
    if (this.#depth > 0) this.#pending.push(event);
    else this.#deliver(event);
  }

  /** A free, labelled by count now, or by whatever collection ran once the operation is over. */
  free(address: number, type: string, size: number): void {
    if (this.#depth > 0) this.#pending.push({ kind: "free?", address, type, size });
    else this.#deliver({ kind: "free", address, type, size, cause: { by: "refcount" } });
  }

  #flush(before: number): void {
    const history = this.#history();
    const runs = history.slice(before);
    const pending = this.#pending;
    this.#pending = [];
    const last = runs[runs.length - 1];
    const cause: FreeCause = last
      ? { by: "collection", generation: last.generation }
      : { by: "refcount" };
    for (const event of pending) {
      if (event.kind === "free?") {
        const { address, type, size } = event;
        this.#deliver({ kind: "free", address, type, size, cause });
      } else {
        this.#deliver(event);
      }
    }
    for (const run of runs) {
      this.#deliver({
        kind: "collect",
        generation: run.generation,
        collected: run.collected,
        pauseMs: run.pauseMs,
      });
    }
  }

  #deliver(event: RuntimeEvent): void {
    for (const observer of this.#observers) {
      try {
        observer(event);
      } catch (error) {
        this.#unraisable(error, "<runtime observer>");
      }
    }
  }
}
