// The type registry: what collectors and reference counting know of an object model. Objects
// store a type id in `ob_type`; the descriptor says how big instances are and how to visit,
// clear, release and finalize them, as a CPython type object's tp_* slots do.

import { checkSize, invalidArgument, UnknownTypeError } from "./errors.js";
import { GC_HEAD_SIZE } from "./object-header.js";

/** Bits of {@link TypeSpec.flags}. */
export const TypeFlags = {
  /** A container: instances carry a GC head and may be tracked by a cycle collector. */
  Gc: 1,
  /** Instances have a finalizer (`tp_finalize`, Python's `__del__`), run at most once. */
  HasFinalizer: 2,
  /** Instances have a legacy finalizer (`tp_del`): a collector never frees them in a cycle. */
  LegacyFinalizer: 4,
  /** Instances are created immortal (PEP 683). */
  ImmortalInstances: 8,
  /** Weak references to instances are allowed. */
  Weakrefable: 16,
} as const;

/**
 * Called for each reference an object holds; return non-zero to stop the traversal early
 * (CPython's `visitproc`). `arg` is passed through unchanged, so a visitor can be one shared
 * function rather than a closure per object.
 */
export type Visit = (referent: number, arg: number) => number;

/** What a caller says about a type when registering it. */
export interface TypeSpec {
  /** The type's name, as `type(o).__name__` prints it. */
  readonly name: string;
  /**
   * Bytes of an instance from its address, the object head included (`tp_basicsize`).
   * At least 16 (24 for variable-size types).
   */
  readonly basicSize: number;
  /**
   * Bytes per item of a variable-size instance (`tp_itemsize`).
   * @defaultValue `0`
   */
  readonly itemSize?: number;
  /**
   * {@link TypeFlags} bits.
   * @defaultValue `0`
   */
  readonly flags?: number;
  /**
   * Bytes before the GC head that belong to each instance (3.11 keeps the managed dict and
   * values pointers there, 16 bytes). They count in `sys.getsizeof`.
   * @defaultValue `0`
   */
  readonly extraPreHeaderSize?: number;
  /** Calls `visit` on every object this one refers to (`tp_traverse`). Required for GC types. */
  readonly traverse?: (object: number, visit: Visit, arg: number) => number;
  /** Drops the references that could form a cycle (`tp_clear`). */
  readonly clear?: (object: number) => void;
  /**
   * Drops every reference the object holds, just before its memory is freed (the first half
   * of `tp_dealloc`). It must not free the object itself.
   */
  readonly dealloc?: (object: number) => void;
  /** The finalizer (`tp_finalize`); runs at most once per object. */
  readonly finalize?: (object: number) => void;
}

/** A registered type: its spec, its id and the sizes derived from it. */
export interface TypeDescriptor extends TypeSpec {
  /** The id stored in `ob_type`. */
  readonly id: number;
  readonly itemSize: number;
  readonly flags: number;
  /** Bytes before the object's address: the GC head (if any) and the extra pre-header. */
  readonly preHeaderSize: number;
  /** Whether {@link TypeFlags.Gc} is set. */
  readonly isGc: boolean;
}

/**
 * Maps type ids to descriptors. Id 0 is never used, so a zeroed header is never a valid object.
 *
 * @example
 * ```ts
 * const types = new TypeRegistry();
 * const pair = types.register({
 *   name: "pair",
 *   basicSize: 32,                       // head + two 8-byte slots
 *   flags: TypeFlags.Gc,
 *   traverse: (o, visit, arg) => visit(memory.u32[(o + 16) >>> 2]!, arg) || visit(memory.u32[(o + 24) >>> 2]!, arg),
 * });
 * ```
 */
export class TypeRegistry {
  readonly #types: TypeDescriptor[] = [];
  readonly #byName = new Map<string, TypeDescriptor>();

  /** Registers a type and returns its descriptor (whose `id` goes into `ob_type`). */
  register(spec: TypeSpec): TypeDescriptor {
    if (typeof spec.name !== "string" || spec.name.length === 0) {
      invalidArgument("a type needs a non-empty name");
    }
    if (this.#byName.has(spec.name))
      invalidArgument(`type ${JSON.stringify(spec.name)} is already registered`);
    const itemSize = spec.itemSize ?? 0;
    const flags = spec.flags ?? 0;
    const extra = spec.extraPreHeaderSize ?? 0;
    checkSize(`${spec.name}.basicSize`, spec.basicSize);
    checkSize(`${spec.name}.itemSize`, itemSize);
    checkSize(`${spec.name}.extraPreHeaderSize`, extra);
    if (spec.basicSize < (itemSize > 0 ? 24 : 16)) {
      invalidArgument(
        `${spec.name}.basicSize must include the ${itemSize > 0 ? 24 : 16}-byte head`,
      );
    }
    if (extra % 16 !== 0)
      invalidArgument(`${spec.name}.extraPreHeaderSize must be a multiple of 16`);
    const isGc = (flags & TypeFlags.Gc) !== 0;
    if (isGc && !spec.traverse) invalidArgument(`GC type ${spec.name} needs a traverse function`);
    if ((flags & TypeFlags.HasFinalizer) !== 0 && !spec.finalize) {
      invalidArgument(`type ${spec.name} has the HasFinalizer flag but no finalize function`);
    }
    const descriptor: TypeDescriptor = {
      ...spec,
      id: this.#types.length + 1,
      itemSize,
      flags,
      preHeaderSize: (isGc ? GC_HEAD_SIZE : 0) + extra,
      isGc,
    };
    this.#types.push(descriptor);
    this.#byName.set(spec.name, descriptor);
    return descriptor;
  }

  /** The descriptor of `id`. @throws UnknownTypeError */
  get(id: number): TypeDescriptor {
    const descriptor = this.#types[id - 1];
    if (descriptor === undefined) throw new UnknownTypeError(id, "in the type registry");
    return descriptor;
  }

  /** The descriptor of `id`, or undefined. */
  find(id: number): TypeDescriptor | undefined {
    return this.#types[id - 1];
  }

  /** The descriptor registered under `name`, or undefined. */
  byName(name: string): TypeDescriptor | undefined {
    return this.#byName.get(name);
  }

  /** Every registered type, in id order. */
  all(): readonly TypeDescriptor[] {
    return this.#types;
  }
}

/** Bytes of an instance with `items` items, from its address (CPython's `__sizeof__`). */
export function instanceSize(type: TypeDescriptor, items = 0): number {
  return type.basicSize + type.itemSize * items;
}
