// weakref: CPython's `PyWeakReference`. Reference counting registers the type (it links, clears
// and calls weak references); this kind gives the object layer its layout and its free.

import { InvalidArgumentError, type TypeDescriptor, TypeFlags } from "@mm/heap";
import { WeakrefLayout } from "@mm/refcount";
import type { KindTable, ObjectKind } from "./kind.js";

/**
 * `PyWeakReference` (a container in CPython, so it has a GC head; it holds no counted
 * reference: the referent is weak and the callback is a JavaScript function here). The weak
 * references to one object form a doubly linked list whose head is the referent's
 * `ob_weaklist`. Offsets are @mm/refcount's `WeakrefLayout`.
 *
 * ```
 *   op - 16  +------------------------+
 *            | gc_next      gc_gen    |  8   PyGC_Head
 *   op - 8   | gc_prev      gc_refs   |  8
 *   op + 0   +------------------------+
 *            | ob_refcnt    ob_flags  |  8
 *   op + 8   | ob_type      weaklist  |  8
 *   op + 16  | wr_object              |  8   the referent, 0 once it died (CPython: None)
 *   op + 24  | wr_callback            |  8   the callback's slot in the counter's table, or 0
 *   op + 32  | hash                   |  8
 *   op + 40  | wr_prev                |  8   previous weak reference to the same referent
 *   op + 48  | wr_next                |  8   next one
 *   op + 56  | vectorcall             |  8
 *   op + 64  +------------------------+
 *   sys.getsizeof = 16 + 64 = 80, with or without a callback
 * ```
 */
export const Weakref = WeakrefLayout;

/** The `weakref` kind: adopts the type reference counting registered. */
export class WeakrefKind implements ObjectKind {
  readonly name = "weakref";
  readonly type: TypeDescriptor;
  readonly #table: KindTable;

  constructor(table: KindTable) {
    this.#table = table;
    const type = table.host.space.types.byName("weakref");
    if (type === undefined || (type.flags & TypeFlags.Gc) === 0) {
      throw new InvalidArgumentError(
        "the object space has no weakref type: create its RefCounter before the object layer",
      );
    }
    this.type = type;
    table.adopt(type, this);
  }

  /** CPython's `tp_name`, which every message names a weak reference by. */
  typeName(): string {
    return "weakref.ReferenceType";
  }

  /** The referent, or 0 once it died. */
  referent(o: number): number {
    return this.#table.memory.u32[(o + Weakref.object) >>> 2]!;
  }

  free(o: number): void {
    this.#table.host.release(o);
  }

  repr(o: number): string {
    const target = this.referent(o);
    const at = `<weakref at 0x${o.toString(16)}; `;
    return target === 0
      ? `${at}dead>`
      : `${at}to '${this.#table.typeName(target)}' at 0x${target.toString(16)}>`;
  }
}
