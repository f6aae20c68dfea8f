// float: CPython's `PyFloatObject`, with its free list.

import type { TypeDescriptor } from "@mm/heap";
import { raise } from "../errors.js";
import type { KindTable, ObjectKind } from "./kind.js";

/**
 * `PyFloatObject`: the object head and one IEEE 754 double. Not a container.
 *
 * ```
 *   op + 0   +------------------------+
 *            | ob_refcnt    ob_flags  |  8
 *   op + 8   | ob_type      weaklist  |  8
 *   op + 16  | ob_fval (f64)          |  8   Float.value
 *   op + 24  +------------------------+
 *   sys.getsizeof = 24
 * ```
 */
export const Float = { basicSize: 24, value: 16 } as const;

/** The `float` kind: new floats come from the free list when it has one. */
export class FloatKind implements ObjectKind {
  readonly name = "float";
  readonly type: TypeDescriptor;
  readonly #table: KindTable;

  constructor(table: KindTable) {
    this.#table = table;
    this.type = table.register({ name: "float", basicSize: Float.basicSize }, this);
  }

  /** A float, from the free list when it has one. */
  create(value: number): number {
    const table = this.#table;
    const o = table.fromFreeList("float", this.type.id, 0) || table.alloc(this.type.id, 0);
    table.memory.f64[(o + Float.value) >>> 3] = value;
    return o;
  }

  /**
   * {@link create} for a caller that has made sure that the strategy's allocation of a float is
   * the object space's and that nobody observes it (the embedding's direct path, as for ints):
   * the same free-list block or new block, header and counts, without the layers in between.
   * @throws PythonError MemoryError when the heap is exhausted
   */
  createDirect(value: number): number {
    const table = this.#table;
    let o = table.fromFreeList("float", this.type.id, 0);
    if (o === 0) {
      o = table.host.space.allocate(this.type.id, 0);
      if (o === 0) raise("MemoryError", "");
      table.countAllocated();
    }
    table.memory.f64[(o + Float.value) >>> 3] = value;
    return o;
  }

  /**
   * The death of a float whose count the caller has just set to 0, when freeing it is the
   * object space's `freeAs` and nobody observes it (see {@link createDirect}): `free`, with the
   * strategy's release of what the free list has no room for, in one step.
   */
  releaseDirect(o: number): void {
    const table = this.#table;
    table.countFreed();
    if (!table.park("float", o, 0)) table.host.space.freeAs(o, this.type);
  }

  value(o: number): number {
    return this.#table.memory.f64[(o + Float.value) >>> 3]!;
  }

  /** float_dealloc: onto the free list while it has room. */
  free(o: number): void {
    if (!this.#table.park("float", o, 0)) this.#table.host.release(o);
  }
}
