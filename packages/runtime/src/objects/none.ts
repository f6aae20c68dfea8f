// None: CPython's `_Py_NoneStruct`, the one instance of `NoneType`.

import type { TypeDescriptor } from "@mm/heap";
import { TypeFlags } from "@mm/heap";
import type { KindTable, ObjectKind } from "./kind.js";

/**
 * `None` is a bare `PyObject`: the object head and nothing else, never freed.
 *
 * ```
 *   op + 0   +------------------------+
 *            | ob_refcnt    ob_flags  |  8
 *   op + 8   | ob_type      weaklist  |  8
 *   op + 16  +------------------------+
 *   sys.getsizeof(None) = 16
 * ```
 */
export const NoneLayout = { basicSize: 16 } as const;

/** The `NoneType` kind: one immortal instance. */
export class NoneKind implements ObjectKind {
  readonly name = "NoneType";
  readonly type: TypeDescriptor;
  readonly #table: KindTable;
  /** `None`'s address (0 until {@link start}). */
  none = 0;

  constructor(table: KindTable) {
    this.#table = table;
    this.type = table.register(
      { name: "NoneType", basicSize: NoneLayout.basicSize, flags: TypeFlags.ImmortalInstances },
      this,
    );
  }

  /** Makes `None`. */
  start(): void {
    this.none = this.#table.raw(this.type.id, 0);
  }

  free(o: number): void {
    this.#table.host.release(o);
  }

  repr(): string {
    return "None";
  }
}
