// resource: an object that owns something outside the heap (a file, a socket) and must be
// closed, as io objects are; one that dies open is closed by its finalizer, with a warning.

import { type TypeDescriptor, TypeFlags } from "@mm/heap";
import type { KindTable, ObjectKind } from "./kind.js";

/**
 * A resource (not a container; this model's own kind, smaller than an io object). Its close
 * callback is a JavaScript function, kept beside the heap by address.
 *
 * ```
 *   op + 0   +------------------------+
 *            | ob_refcnt    ob_flags  |  8
 *   op + 8   | ob_type      weaklist  |  8
 *   op + 16  | closed (0 or 1)        |  8   Resource.closed
 *   op + 24  +------------------------+
 *   sys.getsizeof = 24
 * ```
 */
export const Resource = { basicSize: 24, closed: 16 } as const;

/** The `resource` kind. */
export class ResourceKind implements ObjectKind {
  readonly name = "resource";
  readonly type: TypeDescriptor;
  readonly #table: KindTable;
  /** Close callbacks by address, until the resource is closed. */
  readonly #onClose = new Map<number, () => void>();

  constructor(table: KindTable) {
    this.#table = table;
    this.type = table.register(
      {
        name: "resource",
        basicSize: Resource.basicSize,
        flags: TypeFlags.Weakrefable | TypeFlags.HasFinalizer,
        // As io objects do: a resource that dies open is closed, with a warning.
        finalize: (o) => {
          if (this.isClosed(o)) return;
          table.host.unraisable(
            new Error("ResourceWarning: unclosed resource"),
            `<resource at 0x${o.toString(16)}>`,
          );
          this.close(o);
        },
      },
      this,
    );
  }

  /** A resource that needs closing; `onClose` runs once, at `close()` or at death. */
  create(onClose: () => void): number {
    const o = this.#table.alloc(this.type.id, 0);
    this.#onClose.set(o, onClose);
    return o;
  }

  isClosed(o: number): boolean {
    return this.#table.memory.u32[(o + Resource.closed) >>> 2] === 1;
  }

  /** `r.close()`: idempotent, as file objects' is. */
  close(o: number): void {
    if (this.isClosed(o)) return;
    this.#table.memory.u32[(o + Resource.closed) >>> 2] = 1;
    const onClose = this.#onClose.get(o);
    this.#onClose.delete(o);
    onClose?.();
  }

  free(o: number): void {
    this.#table.host.release(o);
  }

  repr(o: number): string {
    return `<resource at 0x${o.toString(16)}${this.isClosed(o) ? " (closed)" : ""}>`;
  }
}
