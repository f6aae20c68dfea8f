// The object space: objects laid out with CPython's header over an allocator, with a bit per
// 16 bytes that says which addresses are live objects. That bit is what lets reference counting
// and the collectors refuse a freed or forged address in O(1) instead of corrupting the heap.

import type { Allocator } from "./allocator.js";
import {
  checkSize,
  HeapCorruptionError,
  hex,
  InvalidAddressError,
  invalidArgument,
} from "./errors.js";
import { AddressBitmap } from "./internal/address-bitmap.js";
import type { Memory } from "./memory.js";
import {
  GC_NEXT,
  GC_PREV,
  GC_REFS,
  OB_FLAGS,
  OB_REFCNT,
  OB_SIZE,
  OB_TYPE,
  ObjectFlags,
} from "./object-header.js";
import { instanceSize, type TypeDescriptor, type TypeRegistry } from "./type-registry.js";

/**
 * The live bitmap's geometry: a bit per 16 bytes (the objects' alignment), 32 bits a word. A
 * `const enum`, so the hot paths that index the bitmap directly get plain numbers.
 */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Live {
  GranuleLog2 = 4,
  /** log2 of the bytes one word covers. */
  WordLog2 = 9,
}

/**
 * `OB_TYPE`, written in place for `freeAs`, which runs on every deallocation: in V8 an imported
 * constant is a load and a check on every use.
 */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Header {
  Type = 8,
}
if (Header.Type !== OB_TYPE) throw new Error("ObjectSpace was built with another OB_TYPE");

/**
 * Allocates, initialises and frees objects of registered types.
 *
 * An object's *address* is where its object head starts; its *block* (what the allocator
 * returned) starts `preHeaderSize` bytes earlier, with the GC head just before the object.
 *
 * @example
 * ```ts
 * const space = new ObjectSpace(allocator, types);
 * const o = space.allocate(pair.id);   // refcount 1, untracked, fields zeroed
 * space.memory.u32[(o + 16) >>> 2] = other;
 * space.free(o);
 * ```
 */
export class ObjectSpace {
  readonly memory: Memory;
  readonly allocator: Allocator;
  readonly types: TypeRegistry;
  readonly #live: AddressBitmap;
  #liveObjects = 0;
  #containersFreed = 0;

  constructor(allocator: Allocator, types: TypeRegistry) {
    this.allocator = allocator;
    this.memory = allocator.memory;
    this.types = types;
    this.#live = new AddressBitmap(this.memory, Live.GranuleLog2);
  }

  /**
   * Where the live bitmap's words start in the memory's storage, for a WebAssembly module over
   * the memory: bit `(o >>> 4) & 31` of the word at `liveBitsAddress + 4 * (o >>> 9)` is set
   * while `o` is a live object. The words are above every heap byte (a side table of the
   * memory) and move when the memory grows: read this again after anything that may allocate.
   * -1 when the memory keeps no side tables (an adopted memory, a buffer backing).
   */
  get liveBitsAddress(): number {
    return this.#live.byteOffset;
  }

  /** The number of live objects. */
  get liveObjects(): number {
    return this.#liveObjects;
  }

  /**
   * How many objects of container (GC) types {@link free} and {@link freeAs} have freed since
   * the space was made; objects retired to a free list do not count. A cycle collector reads it
   * to lower its gen-0 count by one per container death, as CPython's `PyObject_GC_Del` does,
   * without a call per death.
   */
  get containersFreed(): number {
    return this.#containersFreed;
  }

  /**
   * Counts deaths that a module over the memory carried out itself (a WebAssembly release
   * kernel that cleared the objects' live bits at {@link liveBitsAddress} and gave their blocks
   * back to the allocator): `objects` fewer live objects, `containers` of them of GC types (see
   * {@link containersFreed}). The counts are then what {@link freeOwnType} would have left.
   * @throws InvalidArgumentError when either is not a non-negative integer, or `containers`
   *   exceeds `objects` or `objects` the live objects.
   */
  countFreedElsewhere(objects: number, containers: number): void {
    if (
      !Number.isInteger(objects) ||
      !Number.isInteger(containers) ||
      containers < 0 ||
      containers > objects ||
      objects > this.#liveObjects
    ) {
      invalidArgument(
        `countFreedElsewhere(${objects}, ${containers}): not a count of deaths among ${this.#liveObjects} live objects`,
      );
    }
    this.#liveObjects -= objects;
    this.#containersFreed += containers;
  }

  /** Bytes a block must have for an instance of `type` with `items` items. */
  blockSize(type: TypeDescriptor, items = 0): number {
    return type.preHeaderSize + instanceSize(type, items);
  }

  /**
   * Allocates and initialises an object: refcount 1, flags from its type, untracked, all other
   * bytes zero.
   * @returns the object's address, or 0 when memory is exhausted.
   */
  allocate(typeId: number, items = 0): number {
    const type = this.types.get(typeId);
    // An item count is a u32: the check's message only for one that is not.
    if (items >>> 0 !== items) checkSize("item count", items);
    const bytes = this.blockSize(type, items);
    const block = this.allocator.calloc(1, bytes);
    if (block === 0) return 0;
    return this.#init(block, type, items, false);
  }

  /**
   * Turns a block that the caller already holds (from a free list, say) into a fresh object of
   * `type`: the header is rewritten and the body zeroed.
   * @returns the object's address.
   */
  initialize(block: number, typeId: number, items = 0): number {
    const type = this.types.get(typeId);
    return this.#init(block, type, items, true);
  }

  /**
   * Marks `object` dead without freeing its block, and returns the block (for a free list).
   * @throws InvalidAddressError when `object` is not live.
   */
  retire(object: number): number {
    const type = this.typeOf(object);
    this.#live.clear(object);
    this.#liveObjects--;
    return object - type.preHeaderSize;
  }

  /**
   * Resizes a variable-size object to `items` items with the allocator's `realloc`, as
   * CPython's `PyObject_Realloc` of an object (`resize_compact`, `_PyTuple_Resize`): the header
   * and body move with the block, bytes past the old size are left as the allocator leaves
   * them, and the item count is set. The block may stay where it is (pymalloc keeps it when
   * the new size fits its size class) or move; the live bit follows it. Only an untracked
   * object may be resized: a tracked container's collector links would be left pointing at the
   * old address.
   * @returns the object's address after the resize (the old one when the block stayed), or 0
   *   when memory is exhausted (the object is then unchanged).
   * @throws InvalidAddressError when `object` is not live.
   * @throws InvalidArgumentError when its type has no items, or it is a tracked container.
   */
  resize(object: number, items: number): number {
    const type = this.typeOf(object);
    if (type.itemSize === 0) {
      invalidArgument(`resize(${hex(object)}): a ${type.name} has no items`);
    }
    checkSize("item count", items);
    const u32 = this.memory.u32;
    if (type.isGc && u32[(object + GC_NEXT) >>> 2] !== 0) {
      invalidArgument(`resize(${hex(object)}): a tracked ${type.name} cannot move`);
    }
    const block = this.allocator.realloc(object - type.preHeaderSize, this.blockSize(type, items));
    if (block === 0) return 0;
    const moved = block + type.preHeaderSize;
    if (moved !== object) {
      this.#live.clear(object);
      this.#live.set(moved);
    }
    this.memory.u32[(moved + OB_SIZE) >>> 2] = items;
    return moved;
  }

  /** Marks `object` dead and frees its block. */
  free(object: number): void {
    const type = this.typeOf(object);
    this.#live.clear(object);
    this.#liveObjects--;
    if (type.isGc === true) this.#containersFreed++;
    this.allocator.free(object - type.preHeaderSize);
  }

  /**
   * {@link free} for a caller that has already read the object's type, as a deallocation path
   * has: one bitmap word and one header word are checked instead of a full lookup.
   * @throws InvalidAddressError when `object` is not live.
   * @throws InvalidArgumentError when it is live but of another type.
   */
  freeAs(object: number, type: TypeDescriptor): void {
    const words = this.#live.words;
    const index = object >>> Live.WordLog2;
    const bit = 1 << ((object >>> Live.GranuleLog2) & 31);
    const word = words[index]!;
    if (
      (word & bit) === 0 ||
      object >>> 0 !== object ||
      (object & 15) !== 0 ||
      this.memory.u32[(object + Header.Type) >>> 2] !== type.id
    ) {
      refuseFree(this, object, type);
    }
    words[index] = word ^ bit;
    this.#liveObjects--;
    if (type.isGc === true) this.#containersFreed++;
    this.allocator.free(object - type.preHeaderSize);
  }

  /**
   * {@link freeAs} for a caller that read `type` from the object's own header (a free plan, a
   * kind's `free`): the live bit is checked, the header's type id is not read again.
   * @throws InvalidAddressError when `object` is not live.
   */
  freeOwnType(object: number, type: TypeDescriptor): void {
    const words = this.#live.words;
    const index = object >>> Live.WordLog2;
    const bit = 1 << ((object >>> Live.GranuleLog2) & 31);
    const word = words[index]!;
    if ((word & bit) === 0 || object >>> 0 !== object || (object & 15) !== 0) {
      refuseFree(this, object, type);
    }
    words[index] = word ^ bit;
    this.#liveObjects--;
    if (type.isGc === true) this.#containersFreed++;
    this.allocator.free(object - type.preHeaderSize);
  }

  /** Whether `object` is the address of a live object. O(1). */
  isLive(object: number): boolean {
    // Past the end of memory the bitmap has no word: the read is undefined, the bit 0. The
    // bitmap's read is written out: this runs on every incref and decref.
    // `>>> 0` keeps only unsigned 32-bit integers: a fraction or a number past 2^32 would
    // otherwise alias the bit of a real object.
    return (
      object >>> 0 === object &&
      object !== 0 &&
      (object & 15) === 0 &&
      ((this.#live.words[object >>> Live.WordLog2]! >>> ((object >>> Live.GranuleLog2) & 31)) &
        1) ===
        1
    );
  }

  /**
   * The type of a live object.
   * @throws InvalidAddressError when `object` is not live.
   */
  typeOf(object: number): TypeDescriptor {
    this.check(object);
    return this.types.get(this.memory.u32[(object + OB_TYPE) >>> 2]!);
  }

  /** Throws unless `object` is live. */
  check(object: number, operation: "access" | "incref" | "decref" | "free" = "access"): void {
    if (this.isLive(object)) return;
    if (object >>> 0 !== object) {
      throw new InvalidAddressError(
        operation,
        object,
        "not-owned",
        `${object} is not an unsigned 32-bit address`,
      );
    }
    throw new InvalidAddressError(
      operation,
      object,
      object === 0 ? "null" : (object & 15) !== 0 ? "misaligned" : "freed",
      "no live object starts there",
    );
  }

  /** The item count of a variable-size object (`ob_size`). */
  itemCount(object: number): number {
    return this.typeOf(object).itemSize > 0 ? this.memory.u32[(object + OB_SIZE) >>> 2]! : 0;
  }

  /** `__sizeof__`: bytes of the object from its address (its type's `sizeOf`, if it has one). */
  sizeOf(object: number): number {
    const type = this.typeOf(object);
    if (type.sizeOf !== undefined) return type.sizeOf(object);
    return instanceSize(type, type.itemSize > 0 ? this.memory.u32[(object + OB_SIZE) >>> 2]! : 0);
  }

  /** Whether `flag` (an {@link ObjectFlags} bit) is set on `object`. */
  hasFlag(object: number, flag: number): boolean {
    return (this.memory.u32[(object + OB_FLAGS) >>> 2]! & flag) !== 0;
  }

  /** Every live object's address, in address order (a full scan; for tests and views). */
  *objects(): IterableIterator<number> {
    const words = this.#live.words;
    for (let w = 0; w < words.length; w++) {
      let bits = words[w]!;
      while (bits !== 0) {
        const bit = 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        yield ((w << 5) + bit) * 16; // a product, not `<< 4`: addresses reach 2^32
      }
    }
  }

  /**
   * Checks that every live object has a registered type and sits in an allocated block, that
   * its type's type object, if it has one, is live (each instance holds a reference to it), and
   * that each field of its type's pointer map holds 0 or a live object (the promise that a
   * pointer map makes).
   */
  verify(): void {
    let count = 0;
    const u32 = this.memory.u32;
    for (const object of this.objects()) {
      count++;
      const typeId = u32[(object + OB_TYPE) >>> 2]!;
      const type = this.types.find(typeId);
      if (!type) {
        throw new HeapCorruptionError(
          "object header",
          object,
          `a live object has the unknown type id ${typeId}`,
        );
      }
      const block = object - type.preHeaderSize;
      if (!this.allocator.owns(block)) {
        throw new HeapCorruptionError(
          "object space",
          object,
          `the block ${hex(block)} of a live ${type.name} is not allocated`,
        );
      }
      if (type.typeObject !== 0 && !this.isLive(type.typeObject)) {
        throw new HeapCorruptionError(
          "type object",
          object,
          `the type object ${hex(type.typeObject)} of a live ${type.name} is not a live object`,
        );
      }
      for (const offset of type.pointers?.fields ?? []) {
        const ref = u32[(object + offset) >>> 2]!;
        if (ref !== 0 && !this.isLive(ref)) {
          throw new HeapCorruptionError(
            "pointer field",
            object,
            `the field at +${offset} of a live ${type.name} holds ${hex(ref)}, not a live object`,
          );
        }
      }
    }
    if (count !== this.#liveObjects) {
      throw new HeapCorruptionError(
        "object space",
        0,
        `${count} live bits but ${this.#liveObjects} objects counted`,
      );
    }
  }

  #init(block: number, type: TypeDescriptor, items: number, zero: boolean): number {
    const object = block + type.preHeaderSize;
    const end = object + instanceSize(type, items);
    const { u8, u32 } = this.memory;
    if (zero) u8.fill(0, block, end);
    u32[(object + OB_REFCNT) >>> 2] = 1;
    u32[(object + OB_FLAGS) >>> 2] = type.objectFlags;
    u32[(object + OB_TYPE) >>> 2] = type.id;
    if (type.itemSize > 0) u32[(object + OB_SIZE) >>> 2] = items;
    if (type.isGc) {
      u32[(object + GC_NEXT) >>> 2] = 0;
      u32[(object + GC_PREV) >>> 2] = 0;
      u32[(object + GC_REFS) >>> 2] = 0;
    }
    this.#live.set(object);
    this.#liveObjects++;
    return object;
  }
}

/**
 * The error of a bad {@link ObjectSpace.freeAs}. A module function, not a method: the call is a
 * few bytes of `freeAs`'s bytecode, which keeps `freeAs` cheap for V8 to inline into a
 * deallocation path.
 */
function refuseFree(space: ObjectSpace, object: number, type: TypeDescriptor): never {
  space.check(object, "free");
  return invalidArgument(
    `${hex(object)} is a ${space.typeOf(object).name} object, not a ${type.name}`,
  );
}
