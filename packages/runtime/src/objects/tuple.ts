// tuple: CPython's `PyTupleObject`, items inline, with the empty-tuple singleton, the free lists
// for lengths 1 to 20 and the untracking of tuples that can hold no cycle.

import { type TypeDescriptor, TypeFlags, type Visit } from "@mm/heap";
import type { KindTable, KindUntrackRule, ObjectKind } from "./kind.js";

/**
 * `PyTupleObject` (a container: a GC head before the object). The items are inline: ob_size
 * slots of 8 bytes, each an object's address in its low 32 bits (0 only while a tuple is being
 * filled).
 *
 * ```
 *   op - 16  +------------------------+
 *            | gc_next      gc_gen    |  8   PyGC_Head
 *   op - 8   | gc_prev      gc_refs   |  8
 *   op + 0   +------------------------+
 *            | ob_refcnt    ob_flags  |  8
 *   op + 8   | ob_type      weaklist  |  8
 *   op + 16  | ob_size                |  8   Tuple.size: n
 *   op + 24  | ob_item[0]             |  8   Tuple.items
 *            | ...                    |
 *            | ob_item[n - 1]         |  8
 *            +------------------------+
 *   sys.getsizeof = 16 + 24 + 8n: () is 40
 * ```
 */
export const Tuple = { basicSize: 24, itemSize: 8, size: 16, items: 24 } as const;

// The offsets again for the hot loops, where a const enum compiles to literals.
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum At {
  Size = 16,
  Items = 24,
}

/** Tuples of up to this length go to the free lists (`PyTuple_MAXSAVESIZE`). */
const MAX_FREE_LENGTH = 20;

/** The `tuple` kind. */
export class TupleKind implements ObjectKind {
  readonly name = "tuple";
  readonly type: TypeDescriptor;
  /** `_PyTuple_MaybeUntrack`, run by every collection. */
  readonly untrack: KindUntrackRule;
  readonly #table: KindTable;
  /** `()` (0 until {@link start}). */
  empty = 0;

  constructor(table: KindTable) {
    this.#table = table;
    const memory = table.memory;
    const host = table.host;
    this.type = table.register(
      {
        name: "tuple",
        basicSize: Tuple.basicSize,
        itemSize: Tuple.itemSize,
        flags: TypeFlags.Gc,
        // The collectors walk the items with this map; traverse visits them in the same order,
        // CPython's tupletraverse: last to first.
        pointers: { items: { count: Tuple.size, first: Tuple.items, reverse: true } },
        traverse: (o: number, visit: Visit, arg: number): number => {
          const u32 = memory.u32;
          for (let i = u32[(o + At.Size) >>> 2]! - 1; i >= 0; i--) {
            const item = u32[(o + At.Items + 8 * i) >>> 2]!;
            if (item !== 0 && visit(item, arg) !== 0) return 1;
          }
          return 0;
        },
        // tupledealloc: the items last to first, the pointer map's order, and nothing else, so
        // reference counting may release a tuple in place. Tuples have no tp_clear.
        release: "pointers",
        dealloc: (o: number): void => {
          const u32 = memory.u32;
          for (let i = u32[(o + At.Size) >>> 2]! - 1; i >= 0; i--) {
            const at = (o + At.Items + 8 * i) >>> 2;
            const item = memory.u32[at]!;
            memory.u32[at] = 0;
            if (item !== 0) host.decref(item);
          }
        },
      },
      this,
      // `free`, as data: parked by length while its list has room.
      { park: "tuple", tupleMaxLength: MAX_FREE_LENGTH },
    );
    // The collector runs this rule as its own test over the pointer map (the items), which
    // is what `untrackable` does; a tuple is the one kind whose untracked instances
    // `_PyObject_GC_MAY_BE_TRACKED` counts as holding no cycle.
    this.untrack = {
      fullCollectionsOnly: false,
      canUntrack: (t) => this.untrackable(t),
      byPointerMap: true,
      untrackedIsAcyclic: true,
    };
  }

  /** Makes `()` (immortal). */
  start(): void {
    this.empty = this.#table.raw(this.type.id, 0);
    this.#table.makeImmortal(this.empty);
  }

  /** `(a, b, …)`: a new tuple holding new references to `items` (tracked). */
  create(items: readonly number[]): number {
    if (items.length === 0) return this.empty;
    const table = this.#table;
    const n = items.length;
    const t = table.fromFreeList("tuple", this.type.id, n) || table.alloc(this.type.id, n);
    const host = table.host;
    for (let i = 0; i < n; i++) {
      const item = items[i]!;
      host.incref(item);
      table.memory.u32[(t + At.Items + 8 * i) >>> 2] = item;
    }
    host.track(t);
    return t;
  }

  /**
   * {@link create} taking over the caller's references to `items` (at least one) rather than
   * adding its own: what `_PyTuple_FromArraySteal` does. The block, its tracking and the counts
   * are {@link create}'s.
   */
  createTaking(items: readonly number[]): number {
    const table = this.#table;
    const n = items.length;
    const t = table.fromFreeList("tuple", this.type.id, n) || table.alloc(this.type.id, n);
    const u32 = table.memory.u32;
    for (let i = 0; i < n; i++) u32[(t + At.Items + 8 * i) >>> 2] = items[i]!;
    table.host.track(t);
    return t;
  }

  length(t: number): number {
    return this.#table.memory.u32[(t + At.Size) >>> 2]!;
  }

  items(t: number): number[] {
    const u32 = this.#table.memory.u32;
    const n = u32[(t + At.Size) >>> 2]!;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = u32[(t + At.Items + 8 * i) >>> 2]!;
    return out;
  }

  /** CPython's `_PyTuple_MaybeUntrack` test: no item is missing or can be part of a cycle. */
  untrackable(t: number): boolean {
    const table = this.#table;
    const n = this.length(t);
    for (let i = 0; i < n; i++) {
      const item = table.memory.u32[(t + At.Items + 8 * i) >>> 2]!;
      if (item === 0 || table.mayBeTracked(item)) return false;
    }
    return true;
  }

  /** A tuple may have been untracked: it may be part of a cycle only while tracked. */
  mayBeTracked(t: number): boolean {
    return this.#table.host.isTracked(t);
  }

  /**
   * tupledealloc's end: onto the free list of its length (1 to 20) while it has room. The free
   * plan given at registration says the same, for the table to run without this call.
   */
  free(o: number): void {
    const table = this.#table;
    const length = table.memory.u32[(o + At.Size) >>> 2]!;
    if (length > 0 && length <= MAX_FREE_LENGTH && table.park("tuple", o, length)) return;
    table.release(o);
  }
}
