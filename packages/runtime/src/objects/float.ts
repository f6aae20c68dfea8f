// float: CPython's `PyFloatObject`, with its free list.

import type { TypeDescriptor } from "@mm/heap";
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

  value(o: number): number {
    return this.#table.memory.f64[(o + Float.value) >>> 3]!;
  }

  /** float_dealloc: onto the free list while it has room. */
  free(o: number): void {
    if (!this.#table.park("float", o, 0)) this.#table.host.release(o);
  }
}
