// list: CPython's `PyListObject`, its items in a separate block of the mem domain, with
// `list_resize`'s over-allocation and the list free list.

import { OB_TYPE, type TypeDescriptor, TypeFlags, type Visit } from "@mm/heap";
import { raise } from "../errors.js";
import type { KindTable, ObjectKind } from "./kind.js";

/**
 * `PyListObject` (a container). `ob_item` points to a block of `allocated` 8-byte slots from the
 * mem domain (PyMem_Malloc), of which the first ob_size hold items; 0 when allocated is 0.
 *
 * ```
 *   op - 16  +------------------------+
 *            | gc_next      gc_gen    |  8   PyGC_Head
 *   op - 8   | gc_prev      gc_refs   |  8
 *   op + 0   +------------------------+
 *            | ob_refcnt    ob_flags  |  8
 *   op + 8   | ob_type      weaklist  |  8
 *   op + 16  | ob_size                |  8   List.size: n
 *   op + 24  | ob_item  ──────────────┼──8─▶ +-------------+ block + 0
 *   op + 32  | allocated              |  8   | item[0]     |  8
 *   op + 40  +------------------------+      | ...         |
 *                                            | item[n - 1] |
 *                                            | (spare)     |  up to allocated slots
 *                                            +-------------+
 *   sys.getsizeof = 16 + 40 + 8 × allocated: [] is 56, [a, b, c] is 80
 * ```
 */
/** `allocated` of a list whose items `list.sort` holds: -1 as CPython marks it. */
const DETACHED = 0xffff_ffff;

/** A list's items while `list.sort` holds them (see `ListKind.detach`). */
export interface DetachedItems {
  /** The items in their order; the sorter may reorder this array. */
  readonly items: number[];
  /** The list's item array, the items' home again at `reattach`. */
  readonly array: number;
  /** The array's slots. */
  readonly allocated: number;
}

export const List = { basicSize: 40, size: 16, items: 24, allocated: 32 } as const;

// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum At {
  Size = 16,
  Items = 24,
  Allocated = 32,
}

/** The `list` kind. */
export class ListKind implements ObjectKind {
  readonly name = "list";
  readonly type: TypeDescriptor;
  readonly #table: KindTable;

  constructor(table: KindTable) {
    this.#table = table;
    const memory = table.memory;
    const clear = (o: number) => this.clear(o);
    this.type = table.register(
      {
        name: "list",
        basicSize: List.basicSize,
        flags: TypeFlags.Gc,
        // list_traverse visits the items last to first; the map says the same.
        pointers: { items: { block: List.items, count: List.size, first: 0, reverse: true } },
        traverse: (o: number, visit: Visit, arg: number): number => {
          const u32 = memory.u32;
          const array = u32[(o + At.Items) >>> 2]!;
          for (let i = u32[(o + At.Size) >>> 2]! - 1; i >= 0; i--) {
            const item = u32[(array + 8 * i) >>> 2]!;
            if (item !== 0 && visit(item, arg) !== 0) return 1;
          }
          return 0;
        },
        clear,
        // list_dealloc drops the items last to first, the pointer map's order, and nothing
        // else before PyMem_Free(ob_item), which `free` does: reference counting may release a
        // list in place.
        release: "pointers",
        dealloc: clear,
        // i32: a list being sorted has `allocated` -1 (see `detach`), and reports 48 bytes.
        sizeOf: (o) => List.basicSize + 8 * memory.i32[(o + At.Allocated) >>> 2]!,
      },
      this,
      // `free` for an exact list, as data: the item array goes, then the list is parked.
      { block: At.Items, park: "list" },
    );
  }

  /**
   * `[a, b, …]`: a new list of exactly `items.length` slots (BUILD_LIST), tracked. `fresh`
   * skips the free list, as `list()` does (`list_vectorcall` allocates with
   * `PyType_GenericAlloc`).
   */
  create(items: readonly number[], fresh = false): number {
    const table = this.#table;
    const l =
      (fresh ? 0 : table.fromFreeList("list", this.type.id, 0)) || table.alloc(this.type.id, 0);
    const n = items.length;
    if (n > 0) {
      const host = table.host;
      const array = table.malloc(host.mem, 8 * n);
      const u32 = table.memory.u32;
      for (let i = 0; i < n; i++) {
        const item = items[i]!;
        host.incref(item);
        u32[(array + 8 * i) >>> 2] = item;
      }
      u32[(l + At.Items) >>> 2] = array;
      u32[(l + At.Size) >>> 2] = n;
      u32[(l + At.Allocated) >>> 2] = n;
    }
    table.host.track(l);
    return l;
  }

  length(l: number): number {
    return this.#table.memory.u32[(l + At.Size) >>> 2]!;
  }

  items(l: number): number[] {
    const u32 = this.#table.memory.u32;
    const array = u32[(l + At.Items) >>> 2]!;
    const n = u32[(l + At.Size) >>> 2]!;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = u32[(array + 8 * i) >>> 2]!;
    return out;
  }

  /**
   * `l.append(v)` (`_PyList_AppendTakeRef`): into the next slot while the list has room, else
   * through `list_resize` with CPython's over-allocation.
   */
  append(l: number, value: number): void {
    const n = this.length(l);
    // i32 here and below: a list `list.sort` holds the items of has `allocated` -1.
    if (this.#table.memory.i32[(l + At.Allocated) >>> 2]! > n) {
      this.#table.memory.u32[(l + At.Size) >>> 2] = n + 1;
    } else {
      this.#resize(l, n + 1);
    }
    this.#table.host.incref(value);
    const u32 = this.#table.memory.u32;
    u32[(u32[(l + At.Items) >>> 2]! + 8 * n) >>> 2] = value;
  }

  /**
   * `list_extend`'s guess before it runs an iterator, `hint` being PyObject_LengthHint of the
   * iterable (8 when it cannot tell): a list without an item array gets exactly an even number
   * of slots for the hint (`list_preallocate_exact`), any other is resized (`list_resize`) to
   * its length plus the hint and keeps its length, so that the items go into the room made.
   */
  reserve(l: number, hint: number): void {
    if (hint <= 0) return;
    const table = this.#table;
    if (table.memory.u32[(l + At.Items) >>> 2] === 0) {
      const allocated = (hint + 1) & ~1;
      const array = table.malloc(table.host.mem, 8 * allocated);
      const u32 = table.memory.u32;
      u32[(l + At.Items) >>> 2] = array;
      u32[(l + At.Allocated) >>> 2] = allocated;
      return;
    }
    const n = this.length(l);
    this.#resize(l, n + hint);
    table.memory.u32[(l + At.Size) >>> 2] = n;
  }

  /**
   * `list_extend`'s cut back after the iterator: `list_resize` to the length, which reallocates
   * only when less than half the room is used.
   */
  trim(l: number): void {
    const n = this.length(l);
    if (n < this.#table.memory.i32[(l + At.Allocated) >>> 2]!) this.#resize(l, n);
  }

  /**
   * `l.extend(items)` from a list or tuple (items borrowed): an empty list gets exactly an even
   * number of slots (`list_preallocate_exact`, so `[1, 2, 3]` built from its constant tuple is
   * 88 bytes), a non-empty one grows as `list_resize` grows it.
   */
  extend(l: number, items: readonly number[]): void {
    const n = items.length;
    if (n === 0) return;
    const table = this.#table;
    const m = this.length(l);
    if (table.memory.u32[(l + At.Items) >>> 2] === 0) {
      const allocated = (n + 1) & ~1;
      const array = table.malloc(table.host.mem, 8 * allocated);
      const u32 = table.memory.u32;
      u32[(l + At.Items) >>> 2] = array;
      u32[(l + At.Size) >>> 2] = n;
      u32[(l + At.Allocated) >>> 2] = allocated;
    } else {
      this.#resize(l, m + n);
    }
    const host = table.host;
    const u32 = table.memory.u32;
    const array = u32[(l + At.Items) >>> 2]!;
    for (let i = 0; i < n; i++) {
      const item = items[i]!;
      host.incref(item);
      u32[(array + 8 * (m + i)) >>> 2] = item;
    }
  }

  /** `l.insert(i, v)` (v borrowed), with `list.insert`'s clamping of the index. */
  insert(l: number, index: number, value: number): void {
    const n = this.length(l);
    let i = index < 0 ? Math.max(0, index + n) : Math.min(index, n);
    if (!Number.isFinite(i)) i = 0;
    this.#resize(l, n + 1);
    this.#table.host.incref(value);
    const u32 = this.#table.memory.u32;
    const array = u32[(l + At.Items) >>> 2]!;
    for (let k = n; k > i; k--) u32[(array + 8 * k) >>> 2] = u32[(array + 8 * (k - 1)) >>> 2]!;
    u32[(array + 8 * i) >>> 2] = value;
  }

  /** Rewrites the items in a new order (a permutation of the same references: `sort`, `reverse`). */
  permute(l: number, items: readonly number[]): void {
    const u32 = this.#table.memory.u32;
    const array = u32[(l + At.Items) >>> 2]!;
    if (items.length !== this.length(l)) throw new RangeError("a permutation of another length");
    for (let i = 0; i < items.length; i++) u32[(array + 8 * i) >>> 2] = items[i]!;
  }

  /**
   * `list.sort`'s start: the list is made to look empty to the code the sort runs (its
   * comparisons and key function), `ob_item` NULL, size 0 and `allocated` -1, and its items
   * are handed to the sorter. {@link ListKind.reattach} puts them back; any change to the list
   * in between gives it an `allocated` other than -1.
   * @returns the list's items (the references stay the list's) and its array
   */
  detach(l: number): DetachedItems {
    const u32 = this.#table.memory.u32;
    const detached: DetachedItems = {
      items: this.items(l),
      array: u32[(l + At.Items) >>> 2]!,
      allocated: u32[(l + At.Allocated) >>> 2]!,
    };
    u32[(l + At.Items) >>> 2] = 0;
    u32[(l + At.Size) >>> 2] = 0;
    u32[(l + At.Allocated) >>> 2] = DETACHED;
    return detached;
  }

  /**
   * `list.sort`'s end: `detached.items` (a permutation of the items {@link ListKind.detach}
   * took, which may be in any order) go back into the list's array. Whatever the list was given
   * meanwhile is dropped first, its items from the last to the first, then its array freed.
   * @returns whether the list was changed while it was detached (`list modified during sort`)
   */
  reattach(l: number, detached: DetachedItems): boolean {
    const table = this.#table;
    const u32 = table.memory.u32;
    const modified = u32[(l + At.Allocated) >>> 2] !== DETACHED;
    const finalArray = u32[(l + At.Items) >>> 2]!;
    const finalSize = u32[(l + At.Size) >>> 2]!;
    const { items, array } = detached;
    for (let i = 0; i < items.length; i++) u32[(array + 8 * i) >>> 2] = items[i]!;
    u32[(l + At.Items) >>> 2] = array;
    u32[(l + At.Size) >>> 2] = items.length;
    u32[(l + At.Allocated) >>> 2] = detached.allocated;
    if (finalArray !== 0) {
      const host = table.host;
      for (let i = finalSize - 1; i >= 0; i--)
        host.decref(table.memory.u32[(finalArray + 8 * i) >>> 2]!);
      host.mem.free(finalArray);
    }
    return modified;
  }

  /** `l.pop()`: returns the last item (a reference the caller now owns). */
  pop(l: number): number {
    const n = this.length(l);
    if (n === 0) raise("IndexError", "pop from empty list");
    const u32 = this.#table.memory.u32;
    const item = u32[(u32[(l + At.Items) >>> 2]! + 8 * (n - 1)) >>> 2]!;
    this.#resize(l, n - 1);
    return item;
  }

  /** `l[i]` (borrowed). */
  get(l: number, index: number): number {
    const i = this.#index(l, index, "list index out of range");
    const u32 = this.#table.memory.u32;
    return u32[(u32[(l + At.Items) >>> 2]! + 8 * i) >>> 2]!;
  }

  /** `l[i] = v`. */
  set(l: number, index: number, value: number): void {
    const i = this.#index(l, index, "list assignment index out of range");
    const u32 = this.#table.memory.u32;
    const at = (u32[(l + At.Items) >>> 2]! + 8 * i) >>> 2;
    const old = u32[at]!;
    const host = this.#table.host;
    host.incref(value);
    u32[at] = value;
    host.decref(old);
  }

  /** `del l[i]` (`list_ass_item`, which deletes through `list_ass_slice`). */
  delete(l: number, index: number): void {
    const i = this.#index(l, index, "list assignment index out of range");
    this.deleteSlice(l, i, i + 1);
  }

  /**
   * `del l[start:stop]` for 0 <= start <= stop <= len(l) (`list_ass_slice` with no value): a
   * deletion of every item is `l.clear()`; otherwise the removed items are copied aside (into a PyMem block when there are more than 8, as CPython's
   * recycle array), the tail moves down, the list is resized once, and then the removed items
   * are released from the last to the first.
   */
  deleteSlice(l: number, start: number, stop: number): void {
    const n = this.length(l);
    checkSlice("deleteSlice", start, stop, n);
    const count = stop - start;
    if (count === 0) return;
    // A deletion that leaves nothing frees the item array, whatever room it had (`_list_clear`).
    if (count === n) {
      this.clear(l);
      return;
    }
    const table = this.#table;
    const mem = table.host.mem;
    // CPython's recycle array is on the C stack up to 8 items; beyond, a PyMem block.
    const block = count > 8 ? mem.malloc(8 * count) : 0;
    if (count > 8 && block === 0) raise("MemoryError", "");
    const u32 = table.memory.u32;
    const array = u32[(l + At.Items) >>> 2]!;
    const recycled = new Array<number>(count);
    for (let k = 0; k < count; k++) recycled[k] = u32[(array + 8 * (start + k)) >>> 2]!;
    u32.copyWithin((array + 8 * start) >>> 2, (array + 8 * stop) >>> 2, (array + 8 * n) >>> 2);
    this.#resize(l, n - count);
    for (let k = count - 1; k >= 0; k--) table.host.decref(recycled[k]!);
    if (block !== 0) mem.free(block);
  }

  /**
   * `l[start:stop] = items` for 0 <= start <= stop <= len(l) (`list_ass_slice` with a value;
   * items borrowed): a replacement that leaves nothing clears the list; otherwise the replaced
   * items are copied aside (into a PyMem block beyond 8, as CPython's recycle array), the tail
   * moves and the list is resized once, the new items are stored, and then the replaced ones
   * are released from the last to the first.
   */
  replaceSlice(l: number, start: number, stop: number, items: readonly number[]): void {
    const n = this.length(l);
    checkSlice("replaceSlice", start, stop, n);
    const count = stop - start;
    const d = items.length - count;
    if (n + d === 0) {
      this.clear(l);
      return;
    }
    const table = this.#table;
    const host = table.host;
    const mem = host.mem;
    const block = count > 8 ? mem.malloc(8 * count) : 0;
    if (count > 8 && block === 0) raise("MemoryError", "");
    let u32 = table.memory.u32;
    let array = u32[(l + At.Items) >>> 2]!;
    const recycled = new Array<number>(count);
    for (let k = 0; k < count; k++) recycled[k] = u32[(array + 8 * (start + k)) >>> 2]!;
    if (d < 0) {
      u32.copyWithin(
        (array + 8 * (stop + d)) >>> 2,
        (array + 8 * stop) >>> 2,
        (array + 8 * n) >>> 2,
      );
      this.#resize(l, n + d);
    } else if (d > 0) {
      this.#resize(l, n + d);
      u32 = table.memory.u32;
      array = u32[(l + At.Items) >>> 2]!;
      u32.copyWithin(
        (array + 8 * (stop + d)) >>> 2,
        (array + 8 * stop) >>> 2,
        (array + 8 * n) >>> 2,
      );
    }
    u32 = table.memory.u32;
    array = u32[(l + At.Items) >>> 2]!;
    for (let k = 0; k < items.length; k++) {
      host.incref(items[k]!);
      u32[(array + 8 * (start + k)) >>> 2] = items[k]!;
    }
    for (let k = count - 1; k >= 0; k--) host.decref(recycled[k]!);
    if (block !== 0) mem.free(block);
  }

  /**
   * `l.clear()`, and list's tp_clear and the release half of its tp_dealloc: empties the list
   * first, then drops the items from the last to the first and frees the array.
   */
  clear(l: number): void {
    const table = this.#table;
    const u32 = table.memory.u32;
    const array = u32[(l + At.Items) >>> 2]!;
    const n = u32[(l + At.Size) >>> 2]!;
    u32[(l + At.Items) >>> 2] = 0;
    u32[(l + At.Size) >>> 2] = 0;
    u32[(l + At.Allocated) >>> 2] = 0;
    if (array === 0) return;
    // The array stays allocated until the end, so a finalizer that runs during a decref cannot
    // reuse its memory while the remaining items are read from it.
    const host = table.host;
    const run = host.decrefRun;
    if (run !== undefined) run(array, n, 8);
    else for (let i = n - 1; i >= 0; i--) host.decref(table.memory.u32[(array + 8 * i) >>> 2]!);
    host.mem.free(array);
  }

  /**
   * list_dealloc's end: frees the array if dealloc did not (an in-place release, which leaves
   * the emptied array for here, or a tracing sweep), then parks. The free plan given at
   * registration says the same, for the table to run without this call.
   */
  free(o: number): void {
    const table = this.#table;
    const u32 = table.memory.u32;
    const array = u32[(o + At.Items) >>> 2]!;
    u32[(o + At.Items) >>> 2] = 0;
    if (array !== 0) table.host.mem.free(array);
    // list_dealloc parks exact lists only (`PyList_CheckExact`): a subclass's instance is
    // larger, and goes back to the allocator.
    if (u32[(o + OB_TYPE) >>> 2] !== this.type.id || !table.park("list", o, 0)) table.release(o);
  }

  #index(l: number, index: number, message: string): number {
    const n = this.length(l);
    const i = index < 0 ? index + n : index;
    if (!Number.isInteger(index) || i < 0 || i >= n) raise("IndexError", message);
    return i;
  }

  /** CPython's `list_resize`: over-allocates by about 1/8 plus 6, rounded to a multiple of 4. */
  #resize(l: number, newSize: number): void {
    const table = this.#table;
    const u32 = table.memory.u32;
    const allocated = table.memory.i32[(l + At.Allocated) >>> 2]!;
    if (allocated >= newSize && newSize >= allocated >> 1) {
      u32[(l + At.Size) >>> 2] = newSize;
      return;
    }
    const size = u32[(l + At.Size) >>> 2]!;
    let newAllocated = (newSize + (newSize >>> 3) + 6) & ~3;
    if (newSize - size > newAllocated - newSize) newAllocated = (newSize + 3) & ~3;
    if (newSize === 0) newAllocated = 0;
    const array = u32[(l + At.Items) >>> 2]!;
    const mem = table.host.mem;
    let moved = 0;
    if (newAllocated === 0) {
      if (array !== 0) mem.free(array);
    } else {
      moved = array === 0 ? mem.malloc(8 * newAllocated) : mem.realloc(array, 8 * newAllocated);
      if (moved === 0) raise("MemoryError", "");
    }
    const words = table.memory.u32;
    words[(l + At.Items) >>> 2] = moved;
    words[(l + At.Size) >>> 2] = newSize;
    words[(l + At.Allocated) >>> 2] = newAllocated;
  }
}

/**
 * Checks a slice of a list of `n` items: 0 <= start <= stop <= n, both integers.
 * @throws RangeError naming the operation and the list's length
 */
function checkSlice(what: string, start: number, stop: number, n: number): void {
  if (
    !(Number.isInteger(start) && Number.isInteger(stop) && 0 <= start && start <= stop && stop <= n)
  )
    throw new RangeError(`${what}(${start}, ${stop}) of a list of ${n} items`);
}
