// The object layer with observers' hooks: every creator reports a fresh object, `free` reports
// the death, and every class's finalizer reports itself before it runs. With nobody observing
// each hook is one property read and a branch.

import type { ObjectSpace } from "@mm/heap";
import {
  type ClassSpec,
  type NativeSpec,
  type NativeTypeInfo,
  type ObjectHost,
  ObjectModel,
  type PythonClass,
  type SetSource,
  type Subtype,
  type SubtypeSpec,
  type SubtypeValue,
} from "../objects/model.js";
import type { Observers } from "./events.js";

/** Where the hooks find the observers: set once construction is over (a symbol, not a field). */
const events = Symbol("observers");

/** {@link ObjectModel}, telling {@link Observers} of allocations, frees and finalizers. */
export class ObservedObjectModel extends ObjectModel {
  /** Unset while the base constructor builds the singletons and caches (nothing observes yet). */
  [events]: Observers | undefined;
  readonly #space: ObjectSpace;

  constructor(host: ObjectHost, observers: Observers) {
    super(host);
    this.#space = host.space;
    this[events] = observers;
  }

  override newInt(value: number | bigint): number {
    const before = this.allocated;
    return this.#fresh(before, super.newInt(value));
  }

  override newFloat(value: number): number {
    const before = this.allocated;
    return this.#fresh(before, super.newFloat(value));
  }

  override newStr(value: string): number {
    const before = this.allocated;
    return this.#fresh(before, super.newStr(value));
  }

  override newTuple(items: readonly number[]): number {
    const before = this.allocated;
    return this.#fresh(before, super.newTuple(items));
  }

  override newList(items: readonly number[], fresh = false): number {
    const before = this.allocated;
    return this.#fresh(before, super.newList(items, fresh));
  }

  override newDict(fresh = false): number {
    const before = this.allocated;
    return this.#fresh(before, super.newDict(fresh));
  }

  override dictCopy(d: number): number {
    const before = this.allocated;
    return this.#fresh(before, super.dictCopy(d));
  }

  override dictPopItem(d: number): number {
    const before = this.allocated;
    return this.#fresh(before, super.dictPopItem(d));
  }

  override newSet(frozen: boolean, source?: SetSource): number {
    const before = this.allocated;
    return this.#fresh(before, super.newSet(frozen, source));
  }

  override setCopy(s: number): number {
    const before = this.allocated;
    return this.#fresh(before, super.setCopy(s));
  }

  override setUnion(a: number, b: number): number {
    const before = this.allocated;
    return this.#fresh(before, super.setUnion(a, b));
  }

  override setIntersection(a: number, b: number): number {
    const before = this.allocated;
    return this.#fresh(before, super.setIntersection(a, b));
  }

  override setDifference(a: number, b: number): number {
    const before = this.allocated;
    return this.#fresh(before, super.setDifference(a, b));
  }

  override setSymmetricDifference(a: number, b: number): number {
    const before = this.allocated;
    return this.#fresh(before, super.setSymmetricDifference(a, b));
  }

  override newInstance(cls: PythonClass): number {
    const before = this.allocated;
    return this.#fresh(before, super.newInstance(cls));
  }

  override newResource(onClose: () => void): number {
    const before = this.allocated;
    return this.#fresh(before, super.newResource(onClose));
  }

  override newNative(type: NativeTypeInfo, items: number): number {
    const before = this.allocated;
    return this.#fresh(before, super.newNative(type, items));
  }

  /** Registers a native type whose finalizer reports itself before it runs. */
  override defineNative(spec: NativeSpec): NativeTypeInfo {
    const finalize = spec.finalize;
    if (!finalize) return super.defineNative(spec);
    return super.defineNative({
      ...spec,
      finalize: (o: number) => {
        const observers = this[events];
        if (observers?.active)
          observers.emit({ kind: "finalize", address: o, type: this.typeName(o) });
        finalize(o);
      },
    });
  }

  /**
   * A str resized in place is reported as the old block's free and the new block's allocation
   * (at the same address when the block stayed), so that observers follow its size and place;
   * a new str is reported as any allocation, and the old one's death by {@link free}.
   */
  override strAppend(left: number, right: number): number {
    const observers = this[events];
    if (!observers?.active) return super.strAppend(left, right);
    const before = this.allocated;
    const resizedBefore = this.resized;
    const oldSize = this.#blockSize(left);
    const o = super.strAppend(left, right);
    if (this.resized !== resizedBefore) {
      observers.free(left, "str", oldSize);
      observers.emit({ kind: "allocate", address: o, type: "str", size: this.#blockSize(o) });
    } else {
      this.#fresh(before, o);
    }
    return o;
  }

  override free(o: number): void {
    const observers = this[events];
    if (observers?.active) observers.free(o, this.typeName(o), this.#blockSize(o));
    super.free(o);
  }

  /** {@link free} as one function: the observers are asked at each death, as `free` asks them. */
  override freeFunction(): (o: number) => void {
    const free = super.freeFunction();
    const observers = this[events];
    if (observers === undefined) return free;
    return (o) => {
      if (observers.active) observers.free(o, this.typeName(o), this.#blockSize(o));
      free(o);
    };
  }

  /**
   * {@link free} as one function that tells no observer: the same as {@link freeFunction}'s
   * while nobody observes, without the question at each death. A caller that takes it must go
   * back to {@link freeFunction}'s once an observer is added (`Observers.onActiveChange`).
   */
  unobservedFreeFunction(): (o: number) => void {
    return super.freeFunction();
  }

  /** Registers a class whose finalizers report themselves before they run. */
  override defineClass(spec: ClassSpec): PythonClass {
    const announce = (fn: ((self: number) => void) | undefined) =>
      fn
        ? (self: number) => {
            const observers = this[events];
            if (observers?.active)
              observers.emit({ kind: "finalize", address: self, type: this.typeName(self) });
            fn(self);
          }
        : undefined;
    const del = announce(spec.del);
    const legacyDel = announce(spec.legacyDel);
    return super.defineClass({
      name: spec.name,
      ...(del ? { del } : {}),
      ...(legacyDel ? { legacyDel } : {}),
      ...(spec.typeObject ? { typeObject: spec.typeObject } : {}),
      ...(spec.fields ? { fields: spec.fields } : {}),
    });
  }

  override newSubtypeInstance(subtype: Subtype, value?: SubtypeValue): number {
    const before = this.allocated;
    return this.#fresh(before, super.newSubtypeInstance(subtype, value));
  }

  /** Registers a subclass of a built-in whose finalizer reports itself before it runs. */
  override defineSubtype(spec: SubtypeSpec): Subtype {
    const del = spec.del;
    if (!del) return super.defineSubtype(spec);
    return super.defineSubtype({
      ...spec,
      del: (self: number) => {
        const observers = this[events];
        if (observers?.active)
          observers.emit({ kind: "finalize", address: self, type: this.typeName(self) });
        del(self);
      },
    });
  }

  #blockSize(o: number): number {
    const space = this.#space;
    return space.blockSize(space.typeOf(o), space.itemCount(o));
  }

  /** Reports `o` when the creator made it (the count of allocations moved), not a cached one. */
  #fresh(before: number, o: number): number {
    const observers = this[events];
    if (observers?.active && this.allocated !== before)
      observers.emit({
        kind: "allocate",
        address: o,
        type: this.typeName(o),
        size: this.#blockSize(o),
      });
    return o;
  }
}
