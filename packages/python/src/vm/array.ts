// The `array` module: `array.array` laid out as CPython 3.11's arraymodule.c lays it out, so
// `sys.getsizeof` and the allocations a program makes come out the same. The object is 64 bytes
// (80 with the GC head) and its items live in one separate block of exactly `allocated ×
// itemsize` bytes, grown by `array_resize`'s over-allocation (`newsize + newsize / 16 + 3` while
// the array has fewer than 8 items, `+ 7` after), kept when a shrink stays within 16 items of the
// room, freed when the array empties. An array made from a list, tuple or another array is sized
// exactly; one made from any other iterable grows item by item, as CPython's does.

import type { NativeType, Ref } from "@mm/runtime";
import { BinaryOp, CompareOp } from "../compile/opcodes.js";
import type { Host, Protocols } from "./host.js";
import { ModuleObj } from "./layouts.js";
import { memoryviewTypeOf } from "./memoryview.js";
import { numberIndex } from "./number-index.js";
import type { BuiltinFn, PyType } from "./types.js";

/**
 * `arrayobject`:
 * ```
 *   op + 16  ob_size (the length)      op + 40  ob_descr (here: the typecode's index)
 *   op + 24  ob_item (the items' block) op + 48  weakreflist
 *   op + 32  allocated (items of room)  op + 56  ob_exports
 *   sys.getsizeof = 64 + allocated × itemsize + 16
 * ```
 */
export const ArrayObj = {
  size: 16,
  item: 24,
  allocated: 32,
  descr: 40,
  exports: 56,
  basicSize: 64,
} as const;

/**
 * `arrayiterobject`: the index of the next item, the array (owned; NULL once exhausted) and the
 * typecode's `getitem` (here unused: the array's typecode says it). 40 bytes, 56 with the GC
 * head, as `sys.getsizeof(iter(array('i')))`.
 */
export const ArrayIterObj = {
  index: 16,
  array: 24,
  getitem: 32,
  basicSize: 40,
} as const;

/** The typecodes, in the order `array.typecodes` lists them, with their item sizes. */
export const TYPECODES = "bBuhHiIlLqQfd";
const ITEM_SIZE: Readonly<Record<string, number>> = {
  b: 1,
  B: 1,
  u: 4,
  h: 2,
  H: 2,
  i: 4,
  I: 4,
  l: 8,
  L: 8,
  q: 8,
  Q: 8,
  f: 4,
  d: 8,
};

/** An item's value: a number (small ints, floats), a bigint (8-byte ints) or a str ('u'). */
type Item = number | bigint | string;

/** The integer typecodes' bounds and CPython's words for a value outside them. */
const INT_RANGE: Readonly<Record<string, readonly [bigint, bigint, string, string]>> = {
  b: [-128n, 127n, "signed char is less than minimum", "signed char is greater than maximum"],
  B: [
    0n,
    255n,
    "unsigned byte integer is less than minimum",
    "unsigned byte integer is greater than maximum",
  ],
  h: [
    -32768n,
    32767n,
    "signed short integer is less than minimum",
    "signed short integer is greater than maximum",
  ],
  H: [0n, 65535n, "unsigned short is less than minimum", "unsigned short is greater than maximum"],
  i: [
    -2147483648n,
    2147483647n,
    "signed integer is less than minimum",
    "signed integer is greater than maximum",
  ],
  I: [
    0n,
    4294967295n,
    "can't convert negative value to unsigned int",
    "unsigned int is greater than maximum",
  ],
  l: [
    -(1n << 63n),
    (1n << 63n) - 1n,
    "Python int too large to convert to C long",
    "Python int too large to convert to C long",
  ],
  L: [
    0n,
    (1n << 64n) - 1n,
    "can't convert negative value to unsigned int",
    "Python int too large to convert to C unsigned long",
  ],
  q: [-(1n << 63n), (1n << 63n) - 1n, "int too big to convert", "int too big to convert"],
  Q: [0n, (1n << 64n) - 1n, "can't convert negative int to unsigned", "int too big to convert"],
};

/** The array type of one interpreter. */
export class ArrayType {
  readonly native: NativeType;
  readonly type: PyType;
  /** `array.arrayiterator`: what `iter(array)` makes, reading the items from the buffer. */
  readonly iterType: PyType;
  readonly #b: Protocols;
  readonly #vm: Host;

  constructor(b: Protocols) {
    this.#b = b;
    const vm = b.vm;
    this.#vm = vm;
    const py = vm.py;
    this.native = py.defineType({
      name: "array",
      basicSize: ArrayObj.basicSize,
      container: true,
      weakrefable: true,
      sizeOf: (o) => ArrayObj.basicSize + this.#u(o, ArrayObj.allocated) * this.itemSize(o),
      onFree: (o) => {
        py.objFree(this.#u(o, ArrayObj.item));
        this.#set(o, ArrayObj.item, 0);
      },
    });
    this.type = b.newNativeType("array", this.native, "array", {
      len: (o) => this.length(o),
      repr: (o) => this.repr(o),
      compare: (l, r, op) => this.#compare(l, r, op),
      binary: (op, l, r, inplace) => this.#binary(op, l, r, inplace),
      unhashable: true,
      subclassable: true,
      newSubclass: (make, args, kwargs) => this.#new(args, kwargs, make),
      getattr: (o, name) => {
        if (name === "typecode") return py.str(this.typecode(o));
        if (name === "itemsize") return py.int(this.itemSize(o));
        return 0;
      },
    });
    const iterNative = py.defineType({
      name: "arrayiterator",
      basicSize: ArrayIterObj.basicSize,
      container: true,
      refs: [ArrayIterObj.array],
    });
    this.iterType = b.newNativeType("arrayiterator", iterNative, "array", {
      next: (it) => this.#next(it),
    });
    this.iterType.methods.set("__iter__", (a) => py.newRef(a[0]!));
    this.iterType.methods.set("__next__", (a) => this.#next(a[0]!) || vm.raise("StopIteration"));
    this.#installMethods();
    // The method descriptors exist before the program runs, as a static type's do.
    for (const t of [this.type, this.iterType])
      for (const name of t.methods.keys()) b.lookupType(t, name);
  }

  /** `array_iter`: a new iterator over `o` from its first item (a new reference). */
  #iter(o: Ref): Ref {
    const py = this.#vm.py;
    const it = py.allocate(this.iterType.native!);
    this.#set(it, ArrayIterObj.index, 0);
    this.#set(it, ArrayIterObj.getitem, 0);
    py.setRef(it, ArrayIterObj.array, o);
    return it;
  }

  /**
   * `array_iter_next`: the item at the iterator's index, read from the array's buffer then (an
   * item appended meanwhile is seen), or 0 when it is past the end: the iterator then lets the
   * array go.
   */
  #next(it: Ref): Ref {
    const py = this.#vm.py;
    const o = this.#u(it, ArrayIterObj.array);
    if (o === 0) return 0;
    const i = this.#u(it, ArrayIterObj.index);
    if (i < this.length(o)) {
      this.#set(it, ArrayIterObj.index, i + 1);
      return this.item(o, i);
    }
    py.setRef(it, ArrayIterObj.array, 0);
    return 0;
  }

  #u(o: Ref, at: number): number {
    return this.#vm.py.memory.u32[(o + at) >>> 2]!;
  }

  #set(o: Ref, at: number, v: number): void {
    const u32 = this.#vm.py.memory.u32;
    u32[(o + at) >>> 2] = v;
    u32[(o + at + 4) >>> 2] = 0;
  }

  /** Whether `o` is an array (or an instance of a subclass of array). */
  is(o: Ref): boolean {
    const t = this.#vm.typeOf(o);
    return t === this.type || t.nativeRoot === this.type;
  }

  length(o: Ref): number {
    return this.#u(o, ArrayObj.size);
  }

  typecode(o: Ref): string {
    return TYPECODES[this.#u(o, ArrayObj.descr)]!;
  }

  itemSize(o: Ref): number {
    return ITEM_SIZE[this.typecode(o)]!;
  }

  /** `newarrayobject(size, descr)`: a new array of `size` zeroed items, its block exactly sized. */
  create(typecode: string, size: number, make?: () => Ref): Ref {
    const py = this.#vm.py;
    const o = make ? make() : py.allocate(this.native);
    this.#set(o, ArrayObj.size, size);
    this.#set(o, ArrayObj.descr, TYPECODES.indexOf(typecode));
    this.#set(o, ArrayObj.allocated, size);
    this.#set(o, ArrayObj.exports, 0);
    this.#set(o, ArrayObj.item, 0);
    if (size > 0) {
      const bytes = size * ITEM_SIZE[typecode]!;
      let block: number;
      try {
        block = py.objMalloc(bytes);
      } catch (error) {
        py.decref(o);
        throw error;
      }
      py.memory.u8.fill(0, block, block + bytes);
      this.#set(o, ArrayObj.item, block);
    }
    return o;
  }

  /** `array_resize`: the length becomes `n`, the block over-allocated as CPython's is. */
  resize(o: Ref, n: number): void {
    const py = this.#vm.py;
    const size = this.length(o);
    if (this.#u(o, ArrayObj.exports) > 0 && n !== size)
      this.#vm.raise("BufferError", "cannot resize an array that is exporting buffers");
    const allocated = this.#u(o, ArrayObj.allocated);
    const item = this.#u(o, ArrayObj.item);
    if (allocated >= n && size < n + 16 && item !== 0) {
      this.#set(o, ArrayObj.size, n);
      return;
    }
    if (n === 0) {
      py.objFree(item);
      this.#set(o, ArrayObj.item, 0);
      this.#set(o, ArrayObj.size, 0);
      this.#set(o, ArrayObj.allocated, 0);
      return;
    }
    const room = (n >> 4) + (size < 8 ? 3 : 7) + n;
    const moved = py.objRealloc(item, room * this.itemSize(o));
    this.#set(o, ArrayObj.item, moved);
    this.#set(o, ArrayObj.size, n);
    this.#set(o, ArrayObj.allocated, room);
  }

  #view(): DataView {
    const u8 = this.#vm.py.memory.u8;
    return new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  }

  /** Item `i` as a JS value. */
  get(o: Ref, i: number): Item {
    const tc = this.typecode(o);
    const at = this.#u(o, ArrayObj.item) + i * ITEM_SIZE[tc]!;
    const v = this.#view();
    switch (tc) {
      case "b":
        return v.getInt8(at);
      case "B":
        return v.getUint8(at);
      case "h":
        return v.getInt16(at, true);
      case "H":
        return v.getUint16(at, true);
      case "i":
        return v.getInt32(at, true);
      case "I":
        return v.getUint32(at, true);
      case "l":
      case "q":
        return v.getBigInt64(at, true);
      case "L":
      case "Q":
        return v.getBigUint64(at, true);
      case "f":
        return v.getFloat32(at, true);
      case "d":
        return v.getFloat64(at, true);
      default:
        return String.fromCodePoint(v.getUint32(at, true));
    }
  }

  /** Writes item `i` (a value {@link convert} made). */
  put(o: Ref, i: number, value: Item): void {
    const tc = this.typecode(o);
    const at = this.#u(o, ArrayObj.item) + i * ITEM_SIZE[tc]!;
    const v = this.#view();
    switch (tc) {
      case "b":
        v.setInt8(at, Number(value));
        return;
      case "B":
        v.setUint8(at, Number(value));
        return;
      case "h":
        v.setInt16(at, Number(value), true);
        return;
      case "H":
        v.setUint16(at, Number(value), true);
        return;
      case "i":
        v.setInt32(at, Number(value), true);
        return;
      case "I":
        v.setUint32(at, Number(value), true);
        return;
      case "l":
      case "q":
        v.setBigInt64(at, BigInt(value), true);
        return;
      case "L":
      case "Q":
        v.setBigUint64(at, BigInt(value), true);
        return;
      case "f":
        v.setFloat32(at, Number(value), true);
        return;
      case "d":
        v.setFloat64(at, Number(value), true);
        return;
      default:
        v.setUint32(at, (value as string).codePointAt(0)!, true);
        return;
    }
  }

  /** Item `i` of `o` as a new Python object (an int, a float, or a str for 'u'). */
  item(o: Ref, i: number): Ref {
    const py = this.#vm.py;
    const value = this.get(o, i);
    if (typeof value === "string") return py.str(value);
    return "fd".includes(this.typecode(o)) ? py.float(Number(value)) : py.int(value);
  }

  /** A Python value as an item of typecode `tc`, with CPython's errors (`*_setitem`). */
  convert(tc: string, v: Ref): Item {
    const vm = this.#vm;
    const py = vm.py;
    if (tc === "u") {
      if (vm.kindOf(v) !== "str" || py.strValue(v).length === 0 || [...py.strValue(v)].length !== 1)
        vm.raise("TypeError", "array item must be unicode character");
      return py.strValue(v);
    }
    if (tc === "f" || tc === "d") {
      const x = this.#toDouble(v);
      return tc === "f" ? Math.fround(x) : x;
    }
    const n = numberIndex(this.#b, v);
    const [lo, hi, below, above] = INT_RANGE[tc]!;
    if (n < lo) vm.raise("OverflowError", below);
    if (n > hi) vm.raise("OverflowError", above);
    return ITEM_SIZE[tc] === 8 ? n : Number(n);
  }

  #toDouble(o: Ref): number {
    const vm = this.#vm;
    const py = vm.py;
    const k = vm.kindOf(o);
    if (k === "float") return py.floatValue(o);
    if (k === "int" || k === "bool") return Number(vm.intOf(o));
    const t = vm.typeOf(o);
    const f = this.#b.lookupType(t, "__float__");
    if (f) {
      const r = vm.call(f, [o]);
      try {
        if (vm.kindOf(r) !== "float")
          vm.raise(
            "TypeError",
            `${t.name}.__float__ returned non-float (type ${vm.typeOf(r).name})`,
          );
        return py.floatValue(r);
      } finally {
        py.decref(r);
      }
    }
    if (this.#b.lookupType(t, "__index__")) return Number(numberIndex(this.#b, o));
    return vm.raise("TypeError", `must be real number, not ${t.name}`);
  }

  /** The items as JS values. */
  values(o: Ref): Item[] {
    const n = this.length(o);
    const out: Item[] = [];
    for (let i = 0; i < n; i++) out.push(this.get(o, i));
    return out;
  }

  /**
   * array_ass_subscr's early check (bpo-4509): while a buffer is exported, a slice deletion, or
   * an assignment of another number of items than the slice has, fails before any change.
   */
  #guardSlice(o: Ref, count: number, needed: number): void {
    if ((needed === 0 || count !== needed) && this.#u(o, ArrayObj.exports) > 0)
      this.#vm.raise("BufferError", "cannot resize an array that is exporting buffers");
  }

  /** Where the items begin in memory (0 for an array never given a block). */
  address(o: Ref): number {
    return this.#u(o, ArrayObj.item);
  }

  /** `ob_exports`: the buffers handed out, raised or lowered by one. */
  export(o: Ref, delta: 1 | -1): void {
    this.#set(o, ArrayObj.exports, this.#u(o, ArrayObj.exports) + delta);
  }

  /** The items' bytes (a copy). */
  bytes(o: Ref): Uint8Array {
    const start = this.#u(o, ArrayObj.item);
    return this.#vm.py.memory.u8.slice(start, start + this.length(o) * this.itemSize(o));
  }

  /** `ins1`: `v` inserted before index `where` (clamped), the array grown by one. */
  insert(o: Ref, where: number, v: Ref): void {
    const value = this.convert(this.typecode(o), v);
    const n = this.length(o);
    this.resize(o, n + 1);
    let at = where;
    if (at < 0) {
      at += n;
      if (at < 0) at = 0;
    }
    if (at > n) at = n;
    const size = this.itemSize(o);
    const item = this.#u(o, ArrayObj.item);
    const u8 = this.#vm.py.memory.u8;
    u8.copyWithin(item + (at + 1) * size, item + at * size, item + n * size);
    this.put(o, at, value);
  }

  /** `array_del_slice(lo, hi)` for a step of 1: the items moved down, then the array resized. */
  deleteRange(o: Ref, lo: number, hi: number): void {
    const n = this.length(o);
    const d = hi - lo;
    if (d <= 0) return;
    const size = this.itemSize(o);
    const item = this.#u(o, ArrayObj.item);
    this.#vm.py.memory.u8.copyWithin(item + lo * size, item + hi * size, item + n * size);
    this.resize(o, n - d);
  }

  /** `array.extend(iterable)`: an array's items copied at once, any other iterable's one by one. */
  extend(o: Ref, iterable: Ref): void {
    const vm = this.#vm;
    const py = vm.py;
    if (this.is(iterable)) {
      if (this.typecode(iterable) !== this.typecode(o))
        vm.raise("TypeError", "can only extend with array of same kind");
      const data = this.bytes(iterable);
      const n = this.length(o);
      this.resize(o, n + this.length(iterable));
      py.memory.u8.set(data, this.#u(o, ArrayObj.item) + n * this.itemSize(o));
      return;
    }
    const it = this.#b.iter(iterable);
    try {
      for (let v = this.#b.next(it); v !== 0; v = this.#b.next(it)) {
        try {
          this.insert(o, this.length(o), v);
        } finally {
          py.decref(v);
        }
      }
    } finally {
      py.decref(it);
    }
  }

  /** `frombytes`: the bytes appended as items. */
  fromBytes(o: Ref, data: Uint8Array): void {
    const size = this.itemSize(o);
    if (data.length % size !== 0)
      this.#vm.raise("ValueError", "bytes length not a multiple of item size");
    const n = this.length(o);
    this.resize(o, n + data.length / size);
    this.#vm.py.memory.u8.set(data, this.#u(o, ArrayObj.item) + n * size);
  }

  repr(o: Ref): string {
    const tc = this.typecode(o);
    const n = this.length(o);
    // array_repr names the object's type (a subclass's name).
    const name = this.#vm.typeOf(o).name;
    if (n === 0) return `${name}('${tc}')`;
    if (tc === "u") {
      const s = this.#vm.py.str(this.values(o).join(""));
      try {
        return `${name}('u', ${this.#b.reprOf(s)})`;
      } finally {
        this.#vm.py.decref(s);
      }
    }
    const l = this.#toList(o);
    try {
      return `${name}('${tc}', ${this.#b.reprOf(l)})`;
    } finally {
      this.#vm.py.decref(l);
    }
  }

  #toList(o: Ref): Ref {
    const py = this.#vm.py;
    const items: Ref[] = [];
    for (let i = 0; i < this.length(o); i++) items.push(this.item(o, i));
    const l = py.list(items);
    for (const i of items) py.decref(i);
    return l;
  }

  #compare(l: Ref, r: Ref, op: CompareOp): boolean | undefined {
    if (!this.is(l) || !this.is(r)) return undefined;
    const a = this.values(l);
    const c = this.values(r);
    if ((op === CompareOp.Eq || op === CompareOp.Ne) && a.length !== c.length)
      return op === CompareOp.Ne;
    let i = 0;
    while (i < a.length && i < c.length && a[i] === c[i]) i++;
    if (i >= a.length || i >= c.length) {
      const x = a.length;
      const y = c.length;
      return [x < y, x <= y, x === y, x !== y, x > y, x >= y][op]!;
    }
    if (op === CompareOp.Eq) return false;
    if (op === CompareOp.Ne) return true;
    const x = a[i]!;
    const y = c[i]!;
    return [x < y, x <= y, false, true, x > y, x >= y][op]!;
  }

  #binary(op: BinaryOp, l: Ref, r: Ref, inplace: boolean): Ref {
    const vm = this.#vm;
    const py = vm.py;
    if (op === BinaryOp.Add && this.is(l)) {
      if (!this.is(r))
        vm.raise(
          "TypeError",
          inplace
            ? `can only extend array with array (not "${vm.typeOf(r).name}")`
            : `can only append array (not "${vm.typeOf(r).name}") to array`,
        );
      if (this.typecode(l) !== this.typecode(r))
        vm.raise(
          "TypeError",
          inplace
            ? "can only extend with array of same kind"
            : "bad argument type for built-in operation",
        );
      if (inplace) {
        this.extend(l, r);
        return py.newRef(l);
      }
      const out = this.create(this.typecode(l), this.length(l) + this.length(r));
      const data = this.bytes(l);
      py.memory.u8.set(data, this.#u(out, ArrayObj.item));
      py.memory.u8.set(this.bytes(r), this.#u(out, ArrayObj.item) + data.length);
      return out;
    }
    if (op === BinaryOp.Multiply && (this.is(l) || this.is(r))) {
      const [a, k] = this.is(l) ? [l, r] : [r, l];
      const kk = vm.kindOf(k);
      if (kk !== "int" && kk !== "bool") return 0;
      const times = Math.max(0, Number(vm.intOf(k)));
      const data = this.bytes(a);
      if (inplace && a === l) {
        const n = this.length(a);
        if (n > 0) {
          if (times === 0) this.resize(a, 0);
          else {
            this.resize(a, n * times);
            const item = this.#u(a, ArrayObj.item);
            for (let i = 1; i < times; i++) py.memory.u8.set(data, item + i * data.length);
          }
        }
        return py.newRef(a);
      }
      const out = this.create(this.typecode(a), this.length(a) * times);
      const item = this.#u(out, ArrayObj.item);
      for (let i = 0; i < times; i++) py.memory.u8.set(data, item + i * data.length);
      return out;
    }
    return 0;
  }

  /** An index argument made non-negative, or IndexError with `what`'s words. */
  #index(o: Ref, key: Ref, what: string): number {
    const n = this.length(o);
    let i = Number(numberIndex(this.#b, key));
    if (i < 0) i += n;
    if (i < 0 || i >= n) this.#vm.raise("IndexError", what);
    return i;
  }

  /** The bytes of a bytes or bytearray object, or undefined for anything else. */
  #bytesLike(o: Ref): Uint8Array | undefined {
    const vm = this.#vm;
    const py = vm.py;
    if (vm.kindOf(o) === "bytes") return this.#b.bytesType.data(o);
    if (vm.typeOf(o).name !== "bytearray") return undefined;
    const copy = vm.call(py.dictGet(this.#b.dict, py.constant("bytes")), [o]);
    try {
      return this.#b.bytesType.data(copy);
    } finally {
      py.decref(copy);
    }
  }

  /**
   * `array_new`: a new array of the typecode `a[0]`, filled from `a[1]`; made with `make` for a
   * subclass (an empty instance of it), else an exact array.
   */
  #new(a: readonly Ref[], kw: ReadonlyMap<string, Ref> | null, make?: () => Ref): Ref {
    const vm = this.#vm;
    const py = vm.py;
    if (kw && kw.size > 0) vm.raise("TypeError", "array.array() takes no keyword arguments");
    if (a.length < 1 || a.length > 2)
      vm.raise(
        "TypeError",
        a.length < 1
          ? `array() takes at least 1 argument (${a.length} given)`
          : `array() takes at most 2 arguments (${a.length} given)`,
      );
    const code = a[0]!;
    if (vm.kindOf(code) !== "str" || py.strValue(code).length !== 1)
      vm.raise(
        "TypeError",
        `array() argument 1 must be a unicode character, not ${vm.kindOf(code) === "str" ? "str" : vm.typeOf(code).name}`,
      );
    const tc = py.strValue(code);
    if (!TYPECODES.includes(tc))
      vm.raise("ValueError", "bad typecode (must be b, B, u, h, H, i, I, l, L, q, Q, f or d)");
    const init = a[1];
    if (init === undefined) return this.create(tc, 0, make);
    const k = vm.kindOf(init);
    if (k === "str" && tc !== "u")
      vm.raise("TypeError", `cannot use a str to initialize an array with typecode '${tc}'`);
    if (this.is(init) && this.typecode(init) === "u" && tc !== "u")
      vm.raise(
        "TypeError",
        `cannot use a unicode array to initialize an array with typecode '${tc}'`,
      );
    if (k === "list" || k === "tuple") {
      const items = py.items(init);
      const o = this.create(tc, items.length, make);
      try {
        for (let i = 0; i < items.length; i++) this.put(o, i, this.convert(tc, items[i]!));
      } catch (error) {
        py.decref(o);
        throw error;
      }
      return o;
    }
    if (this.is(init)) {
      const n = this.length(init);
      const o = this.create(tc, n, make);
      const values = this.values(init);
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        this.put(o, i, tc === "f" ? Math.fround(Number(v)) : v);
      }
      return o;
    }
    const o = this.create(tc, 0, make);
    try {
      const data = this.#bytesLike(init);
      if (data) this.fromBytes(o, data);
      else if (k === "str") {
        // PyUnicode_AsWideCharString's buffer (with its terminating NUL) becomes the items.
        const chars = [...py.strValue(init)];
        if (chars.length > 0) {
          const block = py.objMalloc((chars.length + 1) * 4);
          py.memory.u8.fill(0, block, block + (chars.length + 1) * 4);
          this.#set(o, ArrayObj.item, block);
          this.#set(o, ArrayObj.size, chars.length);
          this.#set(o, ArrayObj.allocated, chars.length);
          chars.forEach((ch, i) => {
            this.put(o, i, ch);
          });
        }
      } else this.extend(o, init);
    } catch (error) {
      py.decref(o);
      throw error;
    }
    return o;
  }

  #installMethods(): void {
    const vm = this.#vm;
    const b = this.#b;
    const py = vm.py;
    const t = this.type;
    const none = () => py.newRef(py.none);
    const m = (name: string, f: BuiltinFn) => t.methods.set(name, f);
    const argc = (name: string, a: readonly Ref[], n: number) => {
      if (a.length - 1 !== n)
        vm.raise(
          "TypeError",
          n === 0
            ? `array.${name}() takes no arguments (${a.length - 1} given)`
            : `array.${name}() takes exactly one argument (${a.length - 1} given)`,
        );
    };
    m("__new__", (a, kw) => this.#new(a, kw));
    m("append", (a) => {
      argc("append", a, 1);
      this.insert(a[0]!, this.length(a[0]!), a[1]!);
      return none();
    });
    m("extend", (a) => {
      argc("extend", a, 1);
      this.extend(a[0]!, a[1]!);
      return none();
    });
    m("insert", (a) => {
      if (a.length !== 3) vm.raise("TypeError", `insert expected 2 arguments, got ${a.length - 1}`);
      this.insert(a[0]!, Number(numberIndex(b, a[1]!)), a[2]!);
      return none();
    });
    m("pop", (a) => {
      const o = a[0]!;
      if (a.length > 2)
        vm.raise("TypeError", `pop expected at most 1 argument, got ${a.length - 1}`);
      let i = a[1] === undefined ? -1 : Number(numberIndex(b, a[1]));
      const n = this.length(o);
      if (n === 0) vm.raise("IndexError", "pop from empty array");
      if (i < 0) i += n;
      if (i < 0 || i >= n) vm.raise("IndexError", "pop index out of range");
      const v = this.item(o, i);
      this.deleteRange(o, i, i + 1);
      return v;
    });
    const find = (o: Ref, x: Ref, from = 0, to = this.length(o)): number => {
      for (let i = from; i < Math.min(to, this.length(o)); i++) {
        const v = this.item(o, i);
        try {
          if (b.equal(v, x)) return i;
        } finally {
          py.decref(v);
        }
      }
      return -1;
    };
    m("remove", (a) => {
      argc("remove", a, 1);
      const i = find(a[0]!, a[1]!);
      if (i < 0) vm.raise("ValueError", "array.remove(x): x not in array");
      this.deleteRange(a[0]!, i, i + 1);
      return none();
    });
    m("index", (a) => {
      const o = a[0]!;
      const n = this.length(o);
      const clamp = (r: Ref | undefined, d: number) => {
        if (r === undefined) return d;
        let i = Number(numberIndex(b, r));
        if (i < 0) i = Math.max(0, i + n);
        return Math.min(i, n);
      };
      const i = find(o, a[1]!, clamp(a[2], 0), clamp(a[3], n));
      if (i < 0) vm.raise("ValueError", "array.index(x): x not in array");
      return py.intFromSsize(i);
    });
    m("count", (a) => {
      argc("count", a, 1);
      let c = 0;
      for (let i = 0; i < this.length(a[0]!); i++) {
        const v = this.item(a[0]!, i);
        try {
          if (b.equal(v, a[1]!)) c++;
        } finally {
          py.decref(v);
        }
      }
      return py.intFromSsize(c);
    });
    m("reverse", (a) => {
      argc("reverse", a, 0);
      const o = a[0]!;
      const values = this.values(o).reverse();
      values.forEach((v, i) => {
        this.put(o, i, v);
      });
      return none();
    });
    m("tobytes", (a) => {
      argc("tobytes", a, 0);
      return b.bytes(this.bytes(a[0]!));
    });
    m("frombytes", (a) => {
      argc("frombytes", a, 1);
      const data =
        this.#bytesLike(a[1]!) ??
        vm.raise("TypeError", `a bytes-like object is required, not '${vm.typeOf(a[1]!).name}'`);
      this.fromBytes(a[0]!, data);
      return none();
    });
    m("tolist", (a) => {
      argc("tolist", a, 0);
      return this.#toList(a[0]!);
    });
    m("fromlist", (a) => {
      argc("fromlist", a, 1);
      const o = a[0]!;
      if (vm.kindOf(a[1]!) !== "list") vm.raise("TypeError", "arg must be list");
      const items = py.items(a[1]!);
      const tc = this.typecode(o);
      const values = items.map((v) => this.convert(tc, v));
      const n = this.length(o);
      this.resize(o, n + values.length);
      values.forEach((v, i) => {
        this.put(o, n + i, v);
      });
      return none();
    });
    m("tounicode", (a) => {
      argc("tounicode", a, 0);
      if (this.typecode(a[0]!) !== "u")
        vm.raise("ValueError", "tounicode() may only be called on unicode type arrays");
      return py.str(this.values(a[0]!).join(""));
    });
    m("buffer_info", (a) => {
      argc("buffer_info", a, 0);
      const addr = py.int(this.#u(a[0]!, ArrayObj.item));
      const len = py.int(this.length(a[0]!));
      const tuple = py.tuple([addr, len]);
      py.decref(addr);
      py.decref(len);
      return tuple;
    });
    m("byteswap", (a) => {
      argc("byteswap", a, 0);
      const o = a[0]!;
      const size = this.itemSize(o);
      const item = this.#u(o, ArrayObj.item);
      const u8 = py.memory.u8;
      for (let i = 0; i < this.length(o); i++)
        u8.subarray(item + i * size, item + (i + 1) * size).reverse();
      return none();
    });
    m("__len__", (a) => py.intFromSsize(this.length(a[0]!)));
    // The type's basic size (a subclass's with its slots) and the items' block.
    m("__sizeof__", (a) => py.int(py.sizeof(a[0]!) - py.preHeaderSize(a[0]!)));
    m("__contains__", (a) => py.bool(find(a[0]!, a[1]!) >= 0));
    m("__iter__", (a) => this.#iter(a[0]!));
    m("__getitem__", (a) => {
      const o = a[0]!;
      const key = a[1]!;
      if (vm.kindOf(key) === "slice") {
        const [start, , step, count] = b.sliceIndices(key, this.length(o));
        const out = this.create(this.typecode(o), count);
        const values = this.values(o);
        for (let i = 0; i < count; i++) this.put(out, i, values[start + i * step]!);
        return out;
      }
      return this.item(o, this.#index(o, key, "array index out of range"));
    });
    m("__setitem__", (a) => {
      const o = a[0]!;
      const key = a[1]!;
      const value = a[2]!;
      if (vm.kindOf(key) === "slice") {
        if (!this.is(value))
          vm.raise(
            "TypeError",
            `can only assign array (not "${vm.typeOf(value).name}") to array slice`,
          );
        if (this.typecode(value) !== this.typecode(o))
          vm.raise("TypeError", "bad argument type for built-in operation");
        const incoming = this.values(value);
        const [start, stop, step, count] = b.sliceIndices(key, this.length(o));
        this.#guardSlice(o, count, incoming.length);
        if (step === 1) {
          const hi = Math.max(start, stop);
          const before = this.values(o);
          const next = [...before.slice(0, start), ...incoming, ...before.slice(hi)];
          this.resize(o, next.length);
          next.forEach((v, i) => {
            this.put(o, i, v);
          });
        } else {
          if (incoming.length !== count)
            vm.raise(
              "ValueError",
              `attempt to assign array of size ${incoming.length} to extended slice of size ${count}`,
            );
          for (let i = 0; i < count; i++) this.put(o, start + i * step, incoming[i]!);
        }
        return none();
      }
      const i = this.#index(o, key, "array assignment index out of range");
      this.put(o, i, this.convert(this.typecode(o), value));
      return none();
    });
    m("__delitem__", (a) => {
      const o = a[0]!;
      const key = a[1]!;
      if (vm.kindOf(key) === "slice") {
        const [start, stop, step, count] = b.sliceIndices(key, this.length(o));
        this.#guardSlice(o, count, 0);
        if (step === 1) this.deleteRange(o, start, Math.max(start, stop));
        else if (count > 0) {
          const drop = new Set<number>();
          for (let i = 0; i < count; i++) drop.add(start + i * step);
          const kept = this.values(o).filter((_, i) => !drop.has(i));
          kept.forEach((v, i) => {
            this.put(o, i, v);
          });
          this.resize(o, kept.length);
        }
        return none();
      }
      const i = this.#index(o, key, "array assignment index out of range");
      this.deleteRange(o, i, i + 1);
      return none();
    });
    const copy = (a: readonly Ref[]) => {
      const o = a[0]!;
      const out = this.create(this.typecode(o), this.length(o));
      py.memory.u8.set(this.bytes(o), this.#u(out, ArrayObj.item));
      return out;
    };
    m("__copy__", copy);
    m("__deepcopy__", copy);
  }
}

/** The `array` module (a new reference): the array type and `typecodes`. */
export function arrayModule(b: Protocols): Ref {
  const py = b.vm.py;
  const m = b.newModule("array");
  const dict = py.getRef(m, ModuleObj.dict);
  const array = new ArrayType(b);
  // array_buffer_getbuf and array_buffer_relbuf: the items' block, in the typecode's format,
  // counted in `ob_exports` while a view holds it.
  memoryviewTypeOf(b.vm).addExporter({
    get: (o) => {
      if (!array.is(o)) return undefined;
      array.export(o, 1);
      const itemsize = array.itemSize(o);
      return {
        buf: array.address(o),
        len: array.length(o) * itemsize,
        readonly: false,
        // 'u' items are wchar_t, which the buffer protocol calls 'w' (4 bytes).
        format: array.typecode(o) === "u" ? "w" : array.typecode(o),
        itemsize,
      };
    },
    release: (o) => {
      if (array.is(o)) array.export(o, -1);
    },
    bytes: (o) => (array.is(o) ? array.bytes(o) : undefined),
  });
  b.setStr(dict, "array", array.type.object);
  b.setStr(dict, "ArrayType", array.type.object);
  b.setStr(dict, "typecodes", 0, TYPECODES);
  return m;
}
