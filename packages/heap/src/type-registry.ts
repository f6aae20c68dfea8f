// The type registry: what collectors and reference counting know of an object model. Objects
// store a type id in `ob_type`; the descriptor says how big instances are and how to visit,
// clear, release and finalize them, as a CPython type object's tp_* slots do.

import { checkSize, invalidArgument, UnknownTypeError } from "./errors.js";
import { GC_HEAD_SIZE, ObjectFlags } from "./object-header.js";

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

/**
 * Where a type's references sit, so that a collector can walk them with plain loops instead of
 * calling `traverse` once per object and `visit` once per reference. Each slot is 8 bytes as in
 * CPython and holds an object's address in its low 32 bits, or 0 for NULL.
 *
 * Two shapes cover CPython's common traversals: fixed slots (`__slots__` members, a dict
 * pointer) and one counted run of item slots, inline (a tuple's `ob_item`) or in a block the
 * object points to (a list's `ob_item`, an instance's values). The fields are visited first, in
 * the order given, then the items from first to last (or last to first with
 * {@link PointerRun.reverse}): this must be the order in which `traverse` visits them, because
 * a collection's list order (and so the finalizers' order) follows it.
 *
 * @example
 * ```ts
 * // A list: the item count at +16, the item array's address at +24, 8 bytes per item, visited
 * // last to first as CPython's list_traverse does.
 * pointers: { items: { count: 16, block: 24, first: 0, reverse: true } }
 * // A node with `__slots__ = ("partner", "next")`.
 * pointers: { fields: [16, 24] }
 * ```
 */
export interface PointerMap {
  /**
   * Byte offsets, from the object's address, of single reference slots. A negative offset is
   * in the extra pre-header (3.11's managed-dict pointers).
   * @defaultValue `[]`
   */
  readonly fields?: readonly number[];
  /** A counted run of reference slots, visited after the fields. */
  readonly items?: PointerRun;
  /** A table of entries in a block (a dict's keys object), visited after the run. */
  readonly table?: PointerTable;
}

/**
 * A table of entries in a block the object points to, laid out as CPython 3.11's
 * `PyDictKeysObject`: a header, an index whose size in bytes is a power of two read from the
 * block, then the entries, in one of two layouts that a byte of the block chooses. An entry
 * whose key slot holds 0 is a hole and is skipped; a live one visits its value, then its key
 * when the layout says so (dict_traverse visits the keys of a general table only).
 */
export interface PointerTable {
  /** Byte offset, from the object's address, of the slot holding the block (0: no entries). */
  readonly block: number;
  /** Byte offset, from the block, of the unsigned 32-bit count of entries used, holes included. */
  readonly count: number;
  /** Byte offset, from the block, of the index (the entries follow it). */
  readonly index: number;
  /** Byte offset, from the block, of the byte holding log2 of the index's size in bytes. */
  readonly indexBytesLog2: number;
  /** Byte offset, from the block, of the byte that chooses the layout: 0 the first, else the second. */
  readonly layoutByte: number;
  /** The entries' layouts. */
  readonly layouts: readonly [PointerTableLayout, PointerTableLayout];
}

/** Where an entry of a {@link PointerTable} holds its references. */
export interface PointerTableLayout {
  /** Bytes from one entry to the next; a positive multiple of 4. */
  readonly stride: number;
  /** Byte offset of the key slot in an entry. */
  readonly key: number;
  /** Byte offset of the value slot in an entry. */
  readonly value: number;
  /** Whether the key is visited (after the value). */
  readonly visitKey: boolean;
}

/** A counted run of reference slots, inline in the object or in a block it points to. */
export interface PointerRun {
  /**
   * Byte offset, from the object's address, of the slot that holds the address of the block
   * with the items; when that slot holds 0 there are no items. Omitted: the items are inline.
   */
  readonly block?: number;
  /**
   * Byte offset of the unsigned 32-bit item count: from the object's address, or from the
   * block's when {@link countInBlock} is set.
   */
  readonly count: number;
  /**
   * Whether the count sits in the block (an instance's values block keeps its capacity).
   * @defaultValue `false`
   */
  readonly countInBlock?: boolean;
  /** Byte offset of the first item: from the block's address, or the object's when inline. */
  readonly first: number;
  /**
   * Bytes from one item to the next: 8 for a tuple, 16 for a run of {key, value} pairs read
   * as keys only. A positive multiple of 4.
   * @defaultValue `8`
   */
  readonly stride?: number;
  /**
   * Whether the items are visited from last to first, as CPython 3.11's `tupletraverse` and
   * `list_traverse` do (`for (i = Py_SIZE(o); --i >= 0; )`).
   * @defaultValue `false`
   */
  readonly reverse?: boolean;
}

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
  /**
   * Calls `visit` on every object this one refers to (`tp_traverse`). A GC type needs this or
   * {@link pointers}, or both (then both must visit the same references in the same order).
   */
  readonly traverse?: (object: number, visit: Visit, arg: number) => number;
  /**
   * Where the references are, for collectors that walk them without a call per object (see
   * {@link PointerMap}). Without `traverse`, collectors derive the traversal from it.
   */
  readonly pointers?: PointerMap;
  /** Drops the references that could form a cycle (`tp_clear`). */
  readonly clear?: (object: number) => void;
  /**
   * Declares that `clear` and `dealloc` are CPython's generic ones for a class with
   * `__slots__` (`subtype_clear`, `subtype_dealloc`): `"fields"` drops each field of
   * {@link pointers}, in order, zeroing the slot before dropping what it held (`Py_CLEAR`).
   * Reference counting and the collectors then release such objects with plain loops over the
   * fields, with no call into the model. Needs a pointer map with at least one field and no item
   * run, and rules out `clear` and `dealloc`.
   *
   * The pointer map is then a promise, as `tp_traverse` is in CPython: each of those slots
   * holds 0 or the address of a live object. Releases write through them without checking
   * each one; `ObjectSpace.verify` checks the promise for the fields.
   *
   * `"pointers"` declares that `dealloc` drops exactly the references of {@link pointers}: each
   * field in order, then each slot of the item run in the map's order (last to first with
   * {@link PointerRun.reverse}), as `tupledealloc`, `list_dealloc` and 3.11's `subtype_dealloc`
   * for a managed dict do, and nothing else (a block that holds the items is freed by the
   * type's free, after the drops, as `PyMem_Free(ob_item)` follows them). Reference counting
   * may then release such an object in place, zeroing each slot before dropping what it held,
   * without calling `dealloc`; `clear` and `dealloc` stay the type's own and are used everywhere
   * else (a collector's clear, a death with weak references). Needs a pointer map, a `dealloc`,
   * and no finalizer of any kind.
   */
  readonly release?: "fields" | "pointers";
  /**
   * Drops every reference the object holds, just before its memory is freed (the first half
   * of `tp_dealloc`). It must not free the object itself.
   */
  readonly dealloc?: (object: number) => void;
  /** The finalizer (`tp_finalize`); runs at most once per object. */
  readonly finalize?: (object: number) => void;
  /**
   * Bytes of an instance from its address, the pre-header not included (CPython's
   * `__sizeof__`), for a type whose size is not `basicSize + itemSize × ob_size`: a str's
   * characters follow a header whose size depends on its kind, a list's items are in a block of
   * its capacity, an int has at least one digit. `sys.getsizeof` adds {@link
   * TypeDescriptor.preHeaderSize}. Without it, `ObjectSpace.sizeOf` computes the size from the
   * layout.
   */
  readonly sizeOf?: (object: number) => number;
  /**
   * The address of the heap object that stands for the type, when every instance holds a
   * reference to it: CPython's heap types (the classes a program makes), which
   * `PyType_GenericAlloc` increfs for each instance, `subtype_traverse` visits and
   * `subtype_dealloc` decrefs once the instance's memory is freed. Collectors visit it after
   * the pointer map's references (before them with {@link typeObjectFirst}); taking and
   * dropping the reference is the object model's part, as allocating and freeing are.
   * @defaultValue `0` (instances hold no reference to their type, as those of static types)
   */
  readonly typeObject?: number;
  /**
   * Whether the collectors visit {@link typeObject} before the pointer map's references rather
   * than after them: `subtype_traverse` visits the type before handing over to the nearest base
   * with a traverse of its own (a subclass of an exception), after its own slots and dict.
   * @defaultValue `false`
   */
  readonly typeObjectFirst?: boolean;
}

/**
 * A registered type: its spec, its id and the sizes derived from it. Every descriptor has every
 * field (absent functions are `undefined`), so all descriptors share one shape and the hot paths
 * that read them (`dealloc`, `traverse`, `preHeaderSize`) stay monomorphic however many types a
 * model registers.
 */
export interface TypeDescriptor {
  /** The id stored in `ob_type`. */
  readonly id: number;
  /** {@inheritDoc TypeSpec.name} */
  readonly name: string;
  /** {@inheritDoc TypeSpec.basicSize} */
  readonly basicSize: number;
  /** {@inheritDoc TypeSpec.itemSize} */
  readonly itemSize: number;
  /** {@inheritDoc TypeSpec.flags} */
  readonly flags: number;
  /** {@inheritDoc TypeSpec.extraPreHeaderSize} */
  readonly extraPreHeaderSize: number;
  /** {@inheritDoc TypeSpec.traverse} */
  readonly traverse: ((object: number, visit: Visit, arg: number) => number) | undefined;
  /** The checked pointer map, if the spec gave one ({@link TypeSpec.pointers}). */
  readonly pointers: PointerMap | undefined;
  /** {@inheritDoc TypeSpec.release} */
  readonly release: "fields" | "pointers" | undefined;
  /** {@inheritDoc TypeSpec.clear} */
  readonly clear: ((object: number) => void) | undefined;
  /** {@inheritDoc TypeSpec.dealloc} */
  readonly dealloc: ((object: number) => void) | undefined;
  /** {@inheritDoc TypeSpec.finalize} */
  readonly finalize: ((object: number) => void) | undefined;
  /** {@inheritDoc TypeSpec.sizeOf} */
  readonly sizeOf: ((object: number) => number) | undefined;
  /** {@inheritDoc TypeSpec.typeObject} 0 when instances hold no reference to their type. */
  readonly typeObject: number;
  /** {@inheritDoc TypeSpec.typeObjectFirst} */
  readonly typeObjectFirst: boolean;
  /** Bytes before the object's address: the GC head (if any) and the extra pre-header. */
  readonly preHeaderSize: number;
  /** Whether {@link TypeFlags.Gc} is set. */
  readonly isGc: boolean;
  /**
   * The `ob_flags` word of a new object of the type (see {@link ObjectFlags}): immortal for
   * {@link TypeFlags.ImmortalInstances}, the GC head's bit, and how its death releases it.
   */
  readonly objectFlags: number;
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
    const preHeaderSize = (isGc ? GC_HEAD_SIZE : 0) + extra;
    if (isGc && !spec.traverse && !spec.pointers) {
      invalidArgument(`GC type ${spec.name} needs a traverse function or a pointer map`);
    }
    const pointers =
      spec.pointers &&
      checkPointerMap(spec.name, spec.pointers, spec.basicSize, itemSize, preHeaderSize, extra);
    for (const hook of ["traverse", "clear", "dealloc", "finalize", "sizeOf"] as const) {
      if (spec[hook] !== undefined && typeof spec[hook] !== "function") {
        invalidArgument(`${spec.name}.${hook} must be a function, got ${typeof spec[hook]}`);
      }
    }
    const typeObject = spec.typeObject ?? 0;
    if (!Number.isInteger(typeObject) || typeObject < 0 || typeObject % 16 !== 0) {
      invalidArgument(
        `${spec.name}.typeObject must be an object's address or 0, got ${typeObject}`,
      );
    }
    if (typeObject !== 0 && !isGc) {
      invalidArgument(`${spec.name}.typeObject needs a GC type: instances refer to their type`);
    }
    if ((flags & TypeFlags.HasFinalizer) !== 0 && !spec.finalize) {
      invalidArgument(`type ${spec.name} has the HasFinalizer flag but no finalize function`);
    }
    if (spec.release === "pointers") {
      if (!pointers || ((pointers.fields?.length ?? 0) === 0 && !pointers.items)) {
        invalidArgument(`${spec.name}.release "pointers" needs a pointer map`);
      }
      if (!spec.dealloc) {
        invalidArgument(
          `${spec.name}.release "pointers" needs the dealloc that drops the pointer map`,
        );
      }
      if (spec.finalize || (flags & (TypeFlags.HasFinalizer | TypeFlags.LegacyFinalizer)) !== 0) {
        invalidArgument(`${spec.name}.release "pointers" rules out a finalizer`);
      }
    } else if (spec.release !== undefined) {
      if (spec.release !== "fields") {
        invalidArgument(
          `${spec.name}.release must be "fields" or "pointers", got ${JSON.stringify(spec.release)}`,
        );
      }
      if (!pointers || (pointers.fields?.length ?? 0) === 0 || pointers.items) {
        invalidArgument(
          `${spec.name}.release "fields" needs a pointer map with at least one field and no items`,
        );
      }
      if (spec.clear || spec.dealloc) {
        invalidArgument(`${spec.name}.release "fields" replaces clear and dealloc: give neither`);
      }
    }
    // One object literal with every field in one order: one hidden class for all descriptors.
    const descriptor: TypeDescriptor = {
      id: this.#types.length + 1,
      name: spec.name,
      basicSize: spec.basicSize,
      itemSize,
      flags,
      extraPreHeaderSize: extra,
      traverse: spec.traverse,
      pointers,
      release: spec.release,
      clear: spec.clear,
      dealloc: spec.dealloc,
      finalize: spec.finalize,
      sizeOf: spec.sizeOf,
      typeObject,
      typeObjectFirst: spec.typeObjectFirst === true,
      preHeaderSize,
      isGc,
      objectFlags:
        ((flags & TypeFlags.ImmortalInstances) !== 0 ? ObjectFlags.Immortal : 0) |
        (isGc ? ObjectFlags.GcHead : 0) |
        (spec.release === "fields" && !spec.finalize ? ObjectFlags.ReleasesFields : 0) |
        (spec.release === "pointers" ? ObjectFlags.ReleasesPointers : 0),
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

/**
 * Checks a pointer map against its type's layout and returns a frozen copy with the defaults
 * filled in. Object-relative slots must lie in the extra pre-header or after the 16-byte object
 * head (inline items may run past `basicSize` in a variable-size object); block-relative ones
 * must not be negative.
 */
function checkPointerMap(
  name: string,
  map: PointerMap,
  basicSize: number,
  itemSize: number,
  preHeaderSize: number,
  extra: number,
): PointerMap {
  const where = `${name}.pointers`;
  // The extra pre-header is [-preHeaderSize, -preHeaderSize + extra); the GC head follows it.
  const slot = (what: string, offset: unknown, inObject: boolean, end: number) => {
    const ok =
      typeof offset === "number" &&
      Number.isInteger(offset) &&
      offset % 4 === 0 &&
      (inObject
        ? (offset >= 16 && offset + 4 <= end) ||
          (offset >= -preHeaderSize && offset + 4 <= extra - preHeaderSize)
        : offset >= 0 && offset <= 0x7fff_fff0);
    if (!ok) {
      invalidArgument(
        `${where}.${what} must be a multiple of 4 inside the object after its head` +
          `${extra > 0 ? " or in its extra pre-header" : ""}, got ${String(offset)}`,
      );
    }
    return offset as number;
  };
  const fields = (map.fields ?? []).map((offset, i) =>
    slot(`fields[${i}]`, offset, true, basicSize),
  );
  // A slot named twice would be one reference counted as two: a collector would subtract it
  // twice, and a release would drop it once.
  const twice = fields.findIndex((offset, i) => fields.indexOf(offset) !== i);
  if (twice >= 0) {
    invalidArgument(`${where}.fields[${twice}] names offset ${fields[twice]} a second time`);
  }
  let items: PointerRun | undefined;
  if (map.items) {
    const run = map.items;
    const inBlock = run.block !== undefined;
    const stride = run.stride ?? 8;
    if (!Number.isInteger(stride) || stride <= 0 || stride % 4 !== 0 || stride > 1 << 20) {
      invalidArgument(`${where}.items.stride must be a positive multiple of 4, got ${stride}`);
    }
    const countInBlock = run.countInBlock ?? false;
    if (countInBlock && !inBlock) {
      invalidArgument(`${where}.items.countInBlock needs items in a block`);
    }
    if (!inBlock && itemSize === 0) {
      invalidArgument(`${where}.items: inline items need a variable-size type (itemSize > 0)`);
    }
    const end = inBlock || itemSize === 0 ? basicSize : 0x7fff_fff0;
    items = Object.freeze({
      ...(inBlock ? { block: slot("items.block", run.block, true, basicSize) } : {}),
      count: slot("items.count", run.count, !countInBlock, basicSize),
      countInBlock,
      first: slot("items.first", run.first, !inBlock, end),
      stride,
      reverse: run.reverse === true,
    });
  }
  let table: PointerTable | undefined;
  if (map.table) {
    const t = map.table;
    const byte = (what: string, offset: unknown) => {
      if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0) {
        invalidArgument(`${where}.table.${what} must be a byte offset, got ${String(offset)}`);
      }
      return offset as number;
    };
    const layouts = t.layouts;
    if (!Array.isArray(layouts) || layouts.length !== 2) {
      invalidArgument(`${where}.table.layouts must be two layouts`);
    }
    const layout = (l: PointerTableLayout, i: number): PointerTableLayout => {
      const stride = l.stride;
      if (!Number.isInteger(stride) || stride <= 0 || stride % 4 !== 0 || stride > 1 << 20) {
        invalidArgument(
          `${where}.table.layouts[${i}].stride must be a positive multiple of 4, got ${stride}`,
        );
      }
      const key = slot(`table.layouts[${i}].key`, l.key, false, 0);
      const value = slot(`table.layouts[${i}].value`, l.value, false, 0);
      if (key + 4 > stride || value + 4 > stride || key === value) {
        invalidArgument(
          `${where}.table.layouts[${i}]: key and value must be two slots of an entry`,
        );
      }
      return Object.freeze({ stride, key, value, visitKey: l.visitKey === true });
    };
    table = Object.freeze({
      block: slot("table.block", t.block, true, basicSize),
      count: slot("table.count", t.count, false, 0),
      index: slot("table.index", t.index, false, 0),
      indexBytesLog2: byte("indexBytesLog2", t.indexBytesLog2),
      layoutByte: byte("layoutByte", t.layoutByte),
      layouts: Object.freeze([layout(layouts[0], 0), layout(layouts[1], 1)] as const),
    });
  }
  return Object.freeze({
    fields: Object.freeze(fields),
    ...(items ? { items } : {}),
    ...(table ? { table } : {}),
  });
}

/** Bytes of an instance with `items` items, from its address (CPython's `__sizeof__`). */
export function instanceSize(type: TypeDescriptor, items = 0): number {
  return type.basicSize + type.itemSize * items;
}
