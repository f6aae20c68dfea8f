// What the generational and tracing collectors do alike once they know what is unreachable:
// the policies of the post-detection phases (which uncollectable objects gc.garbage keeps, how a
// weakref callback runs, what DEBUG_COLLECTABLE, DEBUG_UNCOLLECTABLE and DEBUG_STATS print).
// Each collector walks its trash its own way (intrusive lists in typed arrays for the
// generational one, arrays for the tracing one) and calls these for the objects that need them.

import { hex, type ObjectSpace, TypeFlags } from "@mm/heap";
import type { UnraisableHook, WeakrefCallback } from "@mm/refcount";
import { DebugFlags } from "./api.js";
import type { GcModuleState } from "./gc-state.js";

/** The post-detection phases' shared steps, over one collector's state and hooks. */
export class CollectionPhases {
  readonly #space: ObjectSpace;
  readonly #state: GcModuleState;
  readonly #unraisable: UnraisableHook;
  readonly #log: (line: string) => void;

  constructor(
    space: ObjectSpace,
    state: GcModuleState,
    unraisable: UnraisableHook,
    log: (line: string) => void,
  ) {
    this.#space = space;
    this.#state = state;
    this.#unraisable = unraisable;
    this.#log = log;
  }

  /**
   * handle_legacy_finalizers' rule for one uncollectable object: it goes to gc.garbage when its
   * type has a legacy finalizer, or with DEBUG_SAVEALL.
   */
  keepUncollectable(object: number): void {
    if (
      this.#state.debug & DebugFlags.SaveAll ||
      this.#space.typeOf(object).flags & TypeFlags.LegacyFinalizer
    ) {
      this.#state.garbage.append(object);
    }
  }

  /** Runs a cleared weak reference's callback; an exception goes to the unraisable hook. */
  runWeakrefCallback(weakref: number, callback: WeakrefCallback): void {
    try {
      callback(weakref);
    } catch (error) {
      this.#unraisable(error, `weakref callback of ${hex(weakref)}`, weakref);
    }
  }

  /** DEBUG_COLLECTABLE's and DEBUG_UNCOLLECTABLE's line for one object. */
  logObject(what: "collectable" | "uncollectable", object: number): void {
    const type = this.#space.typeOf(object);
    this.#log(`gc: ${what} <${type.name} 0x${object.toString(16)}>`);
  }

  /** DEBUG_STATS' last line of a collection. */
  logDone(unreachable: number, uncollectable: number, elapsedMs: number): void {
    if (this.#state.debug & DebugFlags.Stats) {
      this.#log(
        `gc: done, ${unreachable} unreachable, ${uncollectable} uncollectable, ${(elapsedMs / 1000).toFixed(4)}s elapsed`,
      );
    }
  }
}
