// bool: an int subclass with two immortal instances, `False` and `True`.

import type { TypeDescriptor } from "@mm/heap";
import { TypeFlags } from "@mm/heap";
import { writeInt } from "./int.js";
import type { KindTable, ObjectKind } from "./kind.js";

/**
 * `False` and `True` are `PyLongObject`s (see int.ts) sized, as 3.11 reports them, with one
 * digit: `False` has ob_size 0 and `True` ob_size 1 with digit 1.
 *
 * ```
 *   op + 0   +------------------------+
 *            | ob_refcnt    ob_flags  |  8
 *   op + 8   | ob_type      weaklist  |  8
 *   op + 16  | ob_size: 0 or 1        |  8
 *   op + 24  | ob_digit[0]: 0 or 1    |  4
 *   op + 28  +------------------------+
 *   sys.getsizeof(True) = sys.getsizeof(False) = 28
 * ```
 */
export const BoolLayout = { basicSize: 28 } as const;

/** The `bool` kind: `False` and `True`. */
export class BoolKind implements ObjectKind {
  readonly name = "bool";
  readonly type: TypeDescriptor;
  readonly #table: KindTable;
  /** `True`'s address (0 until {@link start}). */
  true = 0;
  /** `False`'s address (0 until {@link start}). */
  false = 0;

  constructor(table: KindTable) {
    this.#table = table;
    this.type = table.register(
      { name: "bool", basicSize: BoolLayout.basicSize, flags: TypeFlags.ImmortalInstances },
      this,
    );
  }

  /** Makes `True` and `False`, in that order. */
  start(): void {
    this.true = this.#table.raw(this.type.id, 0);
    this.false = this.#table.raw(this.type.id, 0);
    writeInt(this.#table, this.true, 1);
    writeInt(this.#table, this.false, 0);
  }

  free(o: number): void {
    this.#table.host.release(o);
  }

  repr(o: number): string {
    return o === this.true ? "True" : "False";
  }
}
