// `memoryview` as CPython 3.11's Objects/memoryobject.c has it, for one-dimensional views of
// bytes, bytearray and array.array (whose items keep their format and size): a view (168 bytes, 184 with the GC head: a 144-byte head and three
// 8-byte items for shape, strides and suboffsets) over a `managedbuffer` (112 bytes, 128 with
// the GC head) that holds the exporter and the one buffer it handed out. Slicing, casting or
// viewing a view makes a new view of the same managed buffer: no bytes are copied. While any
// view of it is unreleased, a bytearray's or an array's exports count stays up and it cannot
// be resized.

import type { NativeType, Ref } from "@mm/runtime";
import { BinaryOp, CompareOp } from "../compile/opcodes.js";
import type { BytearrayType } from "./bytearray.js";
import type { BytesType } from "./bytes.js";
import { Bytes, hexWithSeparator } from "./bytes.js";
import type { Host, Protocols } from "./host.js";
import { SeqIter } from "./layouts.js";
import type { BuiltinFn, PyType } from "./types.js";

/**
 * `_PyManagedBufferObject` (a container):
 * ```
 *   op + 16  flags (1: released)     op + 32  master Py_buffer: buf
 *   op + 24  exports (views of it)   op + 40  master.obj (the exporter, owned)
 *   op + 48  master.len              op + 56  master.itemsize
 *   op + 64  master.readonly         op + 72  master.format (its character here)
 * ```
 */
export const ManagedBuffer = {
  flags: 16,
  exports: 24,
  buf: 32,
  obj: 40,
  len: 48,
  itemsize: 56,
  readonly: 64,
  format: 72,
  basicSize: 112,
} as const;

/**
 * `PyMemoryViewObject` (a container, weakly referenceable; 3 items for one dimension):
 * ```
 *   op + 16  ob_size (3)            op + 56  view.buf   op + 64 view.obj (borrowed)
 *   op + 24  mbuf (owned)           op + 72  view.len   op + 80 view.itemsize
 *   op + 32  hash (-1 until hashed) op + 88  readonly   op + 96 format (its character here)
 *   op + 40  flags (1: released)    op + 144 shape[0]   op + 152 strides[0]
 *   op + 48  exports                sys.getsizeof = 144 + 3 × 8 + 16
 * ```
 */
export const MemoryView = {
  size: 16,
  mbuf: 24,
  hash: 32,
  flags: 40,
  exports: 48,
  buf: 56,
  obj: 64,
  len: 72,
  itemsize: 80,
  readonly: 88,
  format: 96,
  shape: 144,
  strides: 152,
  basicSize: 144,
  items: 3,
} as const;

/**
 * A buffer a type a module defines exports (`bf_getbuffer`): where its bytes are, how many,
 * and the items' struct format and size. `release` is `bf_releasebuffer`.
 */
export interface BufferExporter {
  /** The object's buffer, its exports count raised; undefined when it is not the type's. */
  readonly get: (
    o: Ref,
  ) =>
    | { buf: number; len: number; readonly: boolean; format: string; itemsize: number }
    | undefined;
  /** Lowers the exports count `get` raised. */
  readonly release: (o: Ref) => void;
  /** The object's bytes (a copy), for the bytes-like arguments that read them; or undefined. */
  readonly bytes: (o: Ref) => Uint8Array | undefined;
}

/** Item sizes of the native single-character struct formats a view may have or be cast to. */
const FORMAT_SIZE: Readonly<Record<string, number>> = {
  c: 1,
  b: 1,
  B: 1,
  "?": 1,
  h: 2,
  H: 2,
  i: 4,
  I: 4,
  l: 8,
  L: 8,
  q: 8,
  Q: 8,
  n: 8,
  N: 8,
  f: 4,
  d: 8,
};

/** The integer formats' bounds. */
const INT_BOUNDS: Readonly<Record<string, readonly [bigint, bigint]>> = {
  b: [-128n, 127n],
  B: [0n, 255n],
  h: [-32768n, 32767n],
  H: [0n, 65535n],
  i: [-2147483648n, 2147483647n],
  I: [0n, 4294967295n],
  l: [-(1n << 63n), (1n << 63n) - 1n],
  L: [0n, (1n << 64n) - 1n],
  q: [-(1n << 63n), (1n << 63n) - 1n],
  Q: [0n, (1n << 64n) - 1n],
  n: [-(1n << 63n), (1n << 63n) - 1n],
  N: [0n, (1n << 64n) - 1n],
};

/** IS_BYTE_FORMAT: the formats a cast may go from or to whatever the other is. */
const isByteFormat = (f: number) => f === 0x42 || f === 0x62 || f === 0x63;

/** An item as a view's format reads it: a number, a bigint, a bool, or a 1-byte 'c' item. */
type ItemValue = number | bigint | boolean | { readonly c: number };

const RELEASED = 1;
const RELEASED_MESSAGE = "operation forbidden on released memoryview object";

/** The memoryview type of one interpreter. */
export class MemoryviewType {
  readonly native: NativeType;
  readonly mbufNative: NativeType;
  readonly iterNative: NativeType;
  readonly type: PyType;
  readonly #b: Protocols;
  readonly #bytes: BytesType;
  readonly #bytearray: BytearrayType;
  /** The buffer exporters of types modules define (array.array). */
  readonly #exporters: BufferExporter[] = [];

  constructor(b: Protocols, bytes: BytesType, bytearray: BytearrayType) {
    this.#b = b;
    this.#bytes = bytes;
    this.#bytearray = bytearray;
    const py = b.vm.py;
    this.mbufNative = py.defineType({
      name: "managedbuffer",
      basicSize: ManagedBuffer.basicSize,
      container: true,
      external: {
        traverse: (o, visit, arg) => {
          const obj = this.#get(o, ManagedBuffer.obj);
          return obj !== 0 ? visit(obj, arg) : 0;
        },
        clear: (o) => this.#releaseBuffer(o),
      },
    });
    this.native = py.defineType({
      name: "memoryview",
      basicSize: MemoryView.basicSize,
      itemSize: 8,
      container: true,
      weakrefable: true,
      sizeOf: () => MemoryView.basicSize + 8 * MemoryView.items,
      external: {
        traverse: (o, visit, arg) => {
          const mbuf = this.#get(o, MemoryView.mbuf);
          return mbuf !== 0 ? visit(mbuf, arg) : 0;
        },
        // memory_clear and memory_dealloc: the view is released, then the managed buffer.
        clear: (o) => {
          this.#release(o, false);
          const mbuf = this.#get(o, MemoryView.mbuf);
          if (mbuf !== 0) {
            this.#set(o, MemoryView.mbuf, 0);
            py.decref(mbuf);
          }
        },
      },
    });
    this.iterNative = py.defineType({
      name: "memory_iterator",
      basicSize: SeqIter.basicSize + 8,
      container: true,
      refs: [SeqIter.seq],
    });
    b.newNativeType("managedbuffer", this.mbufNative, "__main__");
    this.type = b.newNativeType("memoryview", this.native, "__main__", {
      len: (o) => {
        this.#check(o);
        return this.#get(o, MemoryView.shape);
      },
      repr: (o) => `<${this.#released(o) ? "released memory" : "memory"} at 0x${o.toString(16)}>`,
      compare: (l, r, op) => this.#compare(l, r, op),
      hashData: (o) => this.#hashData(o),
      // bytes + view is bytes_concat over the view's buffer; a view has no `+` of its own.
      binary: (op, l, r) =>
        op === BinaryOp.Add && b.vm.kindOf(l) === "bytes" && this.is(r)
          ? this.#bytes.fresh(concat(this.#bytes.data(l), this.data(r)))
          : 0,
    });
    const iter = b.newNativeType("memory_iterator", this.iterNative, "__main__", {
      next: (it) => this.#next(it),
    });
    iter.methods.set("__iter__", (a) => py.newRef(a[0]!));
    iter.methods.set("__next__", (a) => this.#next(a[0]!) || b.vm.raise("StopIteration"));
    this.#install();
  }

  #get(o: Ref, at: number): number {
    return this.#b.vm.py.memory.i32[(o + at) >>> 2]!;
  }

  #set(o: Ref, at: number, v: number): void {
    const i32 = this.#b.vm.py.memory.i32;
    i32[(o + at) >>> 2] = v;
    i32[(o + at + 4) >>> 2] = v < 0 ? -1 : 0;
  }

  /** Adds the buffer of a type a module defines to what `memoryview()` and bytes-like reads take. */
  addExporter(exporter: BufferExporter): void {
    this.#exporters.push(exporter);
  }

  /** The bytes of an object a module's type exports (a copy), or undefined. */
  exportedBytes(o: Ref): Uint8Array | undefined {
    for (const e of this.#exporters) {
      const d = e.bytes(o);
      if (d !== undefined) return d;
    }
    return undefined;
  }

  /** Whether `o` is a memoryview. */
  is(o: Ref): boolean {
    return this.#b.vm.typeOf(o) === this.type;
  }

  #released(o: Ref): boolean {
    const mbuf = this.#get(o, MemoryView.mbuf);
    return (
      (this.#get(o, MemoryView.flags) & RELEASED) !== 0 ||
      mbuf === 0 ||
      (this.#get(mbuf, ManagedBuffer.flags) & RELEASED) !== 0
    );
  }

  /** CHECK_RELEASED: CPython's ValueError for a released view. */
  #check(o: Ref): void {
    if (this.#released(o)) this.#b.vm.raise("ValueError", RELEASED_MESSAGE);
  }

  /** The bytes the view shows, in its order (a copy). */
  data(o: Ref): Uint8Array {
    this.#check(o);
    const u8 = this.#b.vm.py.memory.u8;
    const n = this.#get(o, MemoryView.shape);
    const stride = this.#get(o, MemoryView.strides);
    const buf = this.#get(o, MemoryView.buf);
    const size = this.#get(o, MemoryView.itemsize);
    const out = new Uint8Array(n * size);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < size; j++) out[i * size + j] = u8[buf + i * stride + j]!;
    return out;
  }

  /** `mbuf_release`: the exporter gets its buffer back and is dropped; untracked. */
  #releaseBuffer(mbuf: Ref): void {
    const py = this.#b.vm.py;
    if ((this.#get(mbuf, ManagedBuffer.flags) & RELEASED) !== 0) return;
    this.#set(mbuf, ManagedBuffer.flags, RELEASED);
    py.untrack(mbuf);
    const obj = this.#get(mbuf, ManagedBuffer.obj);
    if (obj === 0) return;
    if (this.#bytearray.is(obj)) this.#bytearray.export(obj, -1);
    else for (const e of this.#exporters) e.release(obj);
    this.#set(mbuf, ManagedBuffer.obj, 0);
    py.decref(obj);
  }

  /** `_memory_release`: the view gives up its share of the managed buffer. */
  #release(o: Ref, raises: boolean): void {
    if ((this.#get(o, MemoryView.flags) & RELEASED) !== 0) return;
    const exports = this.#get(o, MemoryView.exports);
    if (exports > 0) {
      if (!raises) return;
      this.#b.vm.raise(
        "BufferError",
        `memoryview has ${exports} exported buffer${exports === 1 ? "" : "s"}`,
      );
    }
    this.#set(o, MemoryView.flags, RELEASED);
    const mbuf = this.#get(o, MemoryView.mbuf);
    if (mbuf === 0) return;
    const left = this.#get(mbuf, ManagedBuffer.exports) - 1;
    this.#set(mbuf, ManagedBuffer.exports, left);
    if (left === 0) this.#releaseBuffer(mbuf);
  }

  /** `memoryview(obj)` (a new reference). */
  make(obj: Ref): Ref {
    const vm: Host = this.#b.vm;
    const py = vm.py;
    if (this.is(obj)) {
      this.#check(obj);
      return this.#addView(this.#get(obj, MemoryView.mbuf), obj);
    }
    let buf: number;
    let len: number;
    let readonly: number;
    let format = 0x42;
    let itemsize = 1;
    let exported = false;
    if (vm.kindOf(obj) === "bytes") {
      buf = obj + Bytes.data;
      len = this.#bytes.length(obj);
      readonly = 1;
    } else if (this.#bytearray.is(obj)) {
      buf = this.#bytearray.address(obj);
      len = this.#bytearray.length(obj);
      readonly = 0;
    } else {
      let info: ReturnType<BufferExporter["get"]>;
      for (const e of this.#exporters) {
        info = e.get(obj);
        if (info) break;
      }
      if (!info)
        return vm.raise(
          "TypeError",
          `memoryview: a bytes-like object is required, not '${vm.typeOf(obj).name}'`,
        );
      buf = info.buf;
      len = info.len;
      readonly = info.readonly ? 1 : 0;
      format = info.format.charCodeAt(0);
      itemsize = info.itemsize;
      exported = true;
    }
    // _PyManagedBuffer_FromObject: the managed buffer first, then the exporter's buffer.
    const mbuf = py.allocate(this.mbufNative);
    this.#set(mbuf, ManagedBuffer.buf, buf);
    this.#set(mbuf, ManagedBuffer.len, len);
    this.#set(mbuf, ManagedBuffer.readonly, readonly);
    this.#set(mbuf, ManagedBuffer.format, format);
    this.#set(mbuf, ManagedBuffer.itemsize, itemsize);
    py.incref(obj);
    this.#set(mbuf, ManagedBuffer.obj, obj);
    // An exporter's count went up as it handed its buffer out.
    if (this.#bytearray.is(obj) && !exported) this.#bytearray.export(obj, 1);
    try {
      return this.#addView(mbuf, 0);
    } finally {
      py.decref(mbuf);
    }
  }

  /** `mbuf_add_view`: a new view of `mbuf`, as `from` shows it (0: the whole buffer). */
  #addView(mbuf: Ref, from: Ref): Ref {
    const py = this.#b.vm.py;
    const mv = py.allocate(this.native, MemoryView.items);
    this.#set(mv, MemoryView.size, MemoryView.items);
    this.#set(mv, MemoryView.hash, -1);
    if (from === 0) {
      const len = this.#get(mbuf, ManagedBuffer.len);
      this.#set(mv, MemoryView.buf, this.#get(mbuf, ManagedBuffer.buf));
      this.#set(mv, MemoryView.obj, this.#get(mbuf, ManagedBuffer.obj));
      const itemsize = this.#get(mbuf, ManagedBuffer.itemsize);
      this.#set(mv, MemoryView.len, len);
      this.#set(mv, MemoryView.itemsize, itemsize);
      this.#set(mv, MemoryView.readonly, this.#get(mbuf, ManagedBuffer.readonly));
      this.#set(mv, MemoryView.format, this.#get(mbuf, ManagedBuffer.format));
      this.#set(mv, MemoryView.shape, len / itemsize);
      this.#set(mv, MemoryView.strides, itemsize);
    } else {
      for (const at of [
        MemoryView.buf,
        MemoryView.obj,
        MemoryView.len,
        MemoryView.itemsize,
        MemoryView.readonly,
        MemoryView.format,
        MemoryView.shape,
        MemoryView.strides,
      ])
        this.#set(mv, at, this.#get(from, at));
    }
    py.incref(mbuf);
    this.#set(mv, MemoryView.mbuf, mbuf);
    this.#set(mbuf, ManagedBuffer.exports, this.#get(mbuf, ManagedBuffer.exports) + 1);
    return mv;
  }

  #dataView(): DataView {
    const u8 = this.#b.vm.py.memory.u8;
    return new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  }

  /**
   * The item at address `at` as the view's format reads it (unpack_single), or CPython's
   * NotImplementedError for a format it does not unpack.
   */
  #value(o: Ref, at: number): ItemValue {
    const v = this.#dataView();
    const format = String.fromCharCode(this.#get(o, MemoryView.format));
    switch (format) {
      case "B":
        return v.getUint8(at);
      case "b":
        return v.getInt8(at);
      case "c":
        return { c: v.getUint8(at) };
      case "?":
        return v.getUint8(at) !== 0;
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
      case "n":
        return v.getBigInt64(at, true);
      case "L":
      case "Q":
      case "N":
        return v.getBigUint64(at, true);
      case "f":
        return v.getFloat32(at, true);
      case "d":
        return v.getFloat64(at, true);
      default:
        return this.#b.vm.raise(
          "NotImplementedError" as never,
          `memoryview: format ${format} not supported`,
        );
    }
  }

  /** The item at address `at` as a new Python object: an int, a float, a bool, a 1-byte bytes. */
  #unpack(o: Ref, at: number): Ref {
    const py = this.#b.vm.py;
    const value = this.#value(o, at);
    if (typeof value === "object") return this.#bytes.make(new Uint8Array([value.c]));
    if (typeof value === "boolean") return py.bool(value);
    if (typeof value === "bigint") return py.int(value);
    const f = this.#get(o, MemoryView.format);
    return f === 0x66 || f === 0x64 ? py.float(value) : py.int(value);
  }

  /** Writes `value` at address `at` as the view's format packs it, with CPython's errors. */
  #pack(o: Ref, at: number, value: Ref): void {
    const vm: Host = this.#b.vm;
    const py = vm.py;
    const format = String.fromCharCode(this.#get(o, MemoryView.format));
    const k = vm.kindOf(value);
    const v = this.#dataView();
    if (format === "c") {
      if (k !== "bytes" || this.#bytes.length(value) !== 1)
        vm.raise("ValueError", "memoryview: invalid value for format 'c'");
      v.setUint8(at, this.#bytes.data(value)[0]!);
      return;
    }
    if (format === "?") {
      v.setUint8(at, this.#b.truth(value) ? 1 : 0);
      return;
    }
    if (format === "f" || format === "d") {
      if (k !== "float" && k !== "int" && k !== "bool")
        vm.raise("TypeError", `memoryview: invalid type for format '${format}'`);
      const x = k === "float" ? py.floatValue(value) : Number(vm.intOf(value));
      if (format === "f") v.setFloat32(at, x, true);
      else v.setFloat64(at, x, true);
      return;
    }
    const bounds = INT_BOUNDS[format];
    if (!bounds)
      vm.raise("NotImplementedError" as never, `memoryview: format ${format} not supported`);
    if (k !== "int" && k !== "bool")
      vm.raise("TypeError", `memoryview: invalid type for format '${format}'`);
    const n = vm.intOf(value);
    if (n < bounds[0] || n > bounds[1])
      vm.raise("ValueError", `memoryview: invalid value for format '${format}'`);
    const size = FORMAT_SIZE[format]!;
    const signed = bounds[0] < 0n;
    if (size === 8) {
      if (signed) v.setBigInt64(at, n, true);
      else v.setBigUint64(at, n, true);
    } else if (size === 4) {
      if (signed) v.setInt32(at, Number(n), true);
      else v.setUint32(at, Number(n), true);
    } else if (size === 2) {
      if (signed) v.setInt16(at, Number(n), true);
      else v.setUint16(at, Number(n), true);
    } else v.setUint8(at, Number(n) & 0xff);
  }

  /** The view's items as its format reads them. */
  #values(o: Ref): ItemValue[] {
    this.#check(o);
    const n = this.#get(o, MemoryView.shape);
    const stride = this.#get(o, MemoryView.strides);
    const buf = this.#get(o, MemoryView.buf);
    const out: ItemValue[] = [];
    for (let i = 0; i < n; i++) out.push(this.#value(o, buf + i * stride));
    return out;
  }

  #item(o: Ref, key: Ref): number {
    const vm: Host = this.#b.vm;
    let i = Number(vm.intOf(key));
    const n = this.#get(o, MemoryView.shape);
    if (i < 0) i += n;
    if (i < 0 || i >= n) vm.raise("IndexError", "index out of bounds on dimension 1");
    return this.#get(o, MemoryView.buf) + i * this.#get(o, MemoryView.strides);
  }

  getItem(o: Ref, key: Ref): Ref {
    const b = this.#b;
    const vm: Host = b.vm;
    this.#check(o);
    const k = vm.kindOf(key);
    if (k === "int" || k === "bool") return this.#unpack(o, this.#item(o, key));
    if (k === "slice") {
      const [start, , step, length] = b.sliceIndices(key, this.#get(o, MemoryView.shape));
      const mv = this.#addView(this.#get(o, MemoryView.mbuf), o);
      const stride = this.#get(o, MemoryView.strides);
      this.#set(mv, MemoryView.buf, this.#get(o, MemoryView.buf) + start * stride);
      this.#set(mv, MemoryView.shape, length);
      this.#set(mv, MemoryView.strides, stride * step);
      this.#set(mv, MemoryView.len, length * this.#get(o, MemoryView.itemsize));
      return mv;
    }
    return vm.raise("TypeError", "memoryview: invalid slice key");
  }

  setItem(o: Ref, key: Ref, value: Ref): void {
    const b = this.#b;
    const vm: Host = b.vm;
    this.#check(o);
    if (this.#get(o, MemoryView.readonly)) vm.raise("TypeError", "cannot modify read-only memory");
    if (value === 0) vm.raise("TypeError", "cannot delete memory");
    const k = vm.kindOf(key);
    if (k === "int" || k === "bool") {
      this.#pack(o, this.#item(o, key), value);
      return;
    }
    if (k !== "slice") vm.raise("TypeError", "memoryview: invalid slice key");
    const [start, , step, length] = b.sliceIndices(key, this.#get(o, MemoryView.shape));
    const src = this.is(value) ? this.data(value) : bufferOf(vm, this.#bytes, value);
    if (src === undefined)
      vm.raise("TypeError", `a bytes-like object is required, not '${vm.typeOf(value).name}'`);
    // equiv_structure: the same item format and the same number of items.
    const size = this.#get(o, MemoryView.itemsize);
    const srcFormat = this.is(value) ? this.#get(value, MemoryView.format) : this.#formatOf(value);
    const same =
      srcFormat === this.#get(o, MemoryView.format) ||
      (size === 1 && isByteFormat(srcFormat) && isByteFormat(this.#get(o, MemoryView.format)));
    if (!same || src.length !== length * size)
      vm.raise("ValueError", "memoryview assignment: lvalue and rvalue have different structures");
    const buf = this.#get(o, MemoryView.buf);
    const stride = this.#get(o, MemoryView.strides);
    const u8 = vm.py.memory.u8;
    for (let i = 0; i < length; i++)
      for (let j = 0; j < size; j++) u8[buf + (start + i * step) * stride + j] = src[i * size + j]!;
  }

  #compare(l: Ref, r: Ref, op: CompareOp): boolean | undefined {
    if (op !== CompareOp.Eq && op !== CompareOp.Ne) return undefined;
    const vm: Host = this.#b.vm;
    // A released view equals only itself.
    if ((this.is(l) && this.#released(l)) || (this.is(r) && this.#released(r)))
      return (l === r) === (op === CompareOp.Eq);
    // memory_richcompare: the items as each side's format reads them, compared by value.
    const side = (o: Ref): ItemValue[] | undefined => {
      if (this.is(o)) return this.#values(o);
      const d = bufferOf(vm, this.#bytes, o);
      if (d === undefined) return undefined;
      const f = this.#formatOf(o);
      if (f === 0x42) return Array.from(d);
      // An exporter's items in their own format, through a view of them.
      const mv = this.make(o);
      try {
        return this.#values(mv);
      } finally {
        this.#release(mv, false);
        vm.py.decref(mv);
      }
    };
    const a = side(l);
    const c = side(r);
    if (a === undefined || c === undefined) return undefined;
    const eq = a.length === c.length && a.every((x, i) => sameItem(x, c[i]!));
    return eq === (op === CompareOp.Eq);
  }

  /** The struct format character of a bytes-like object other than a view ('B' but an exporter's). */
  #formatOf(o: Ref): number {
    const vm: Host = this.#b.vm;
    if (vm.kindOf(o) === "bytes" || this.#bytearray.is(o)) return 0x42;
    for (const e of this.#exporters) {
      const info = e.get(o);
      if (info) {
        e.release(o);
        return info.format.charCodeAt(0);
      }
    }
    return 0x42;
  }

  #hashData(o: Ref): Uint8Array {
    const vm: Host = this.#b.vm;
    this.#check(o);
    if (!this.#get(o, MemoryView.readonly))
      vm.raise("ValueError", "cannot hash writable memoryview object");
    if (!isByteFormat(this.#get(o, MemoryView.format)))
      vm.raise("ValueError", "memoryview: hashing is restricted to formats 'B', 'b' or 'c'");
    // The exporter must be hashable too (a read-only view of a bytearray is not).
    if (this.#bytearray.is(this.#get(o, MemoryView.obj)))
      vm.raise("TypeError", "unhashable type: 'bytearray'");
    return this.data(o);
  }

  #next(it: Ref): Ref {
    const py = this.#b.vm.py;
    const mv = py.getRef(it, SeqIter.seq);
    if (mv === 0) return 0;
    this.#check(mv);
    const i = this.#get(it, SeqIter.index);
    if (i < this.#get(mv, MemoryView.shape)) {
      this.#set(it, SeqIter.index, i + 1);
      const at = this.#get(mv, MemoryView.buf) + i * this.#get(mv, MemoryView.strides);
      return this.#unpack(mv, at);
    }
    py.setRef(it, SeqIter.seq, 0);
    return 0;
  }

  #install(): void {
    const b = this.#b;
    const vm: Host = b.vm;
    const py = vm.py;
    const t = this.type;
    const m = (name: string, f: BuiltinFn) => t.methods.set(name, f);
    const self = (a: readonly Ref[]) => {
      const o = a[0]!;
      if (!this.is(o))
        vm.raise(
          "TypeError",
          `descriptor requires a 'memoryview' object but received a '${vm.typeOf(o).name}'`,
        );
      return o;
    };
    const live = (a: readonly Ref[]) => {
      const o = self(a);
      this.#check(o);
      return o;
    };
    m("__new__", (a, kw) => {
      const obj = a[0] ?? kw?.get("object");
      if (obj === undefined || a.length > 1)
        vm.raise(
          "TypeError",
          a.length > 1
            ? `memoryview() takes at most 1 argument (${a.length} given)`
            : "memoryview() missing required argument 'object' (pos 1)",
        );
      return this.make(obj);
    });
    m("__len__", (a) => py.intFromSsize(b.len(self(a))));
    m("__getitem__", (a) => this.getItem(self(a), a[1]!));
    m("__setitem__", (a) => {
      this.setItem(self(a), a[1]!, a[2]!);
      return py.newRef(py.none);
    });
    m("__delitem__", (a) => {
      this.setItem(self(a), a[1]!, 0);
      return py.newRef(py.none);
    });
    m("__iter__", (a) => {
      const o = live(a);
      const it = py.allocate(this.iterNative);
      py.setRef(it, SeqIter.seq, o);
      return it;
    });
    m("release", (a) => {
      this.#release(self(a), true);
      return py.newRef(py.none);
    });
    m("__enter__", (a) => py.newRef(live(a)));
    m("__exit__", (a) => {
      this.#release(self(a), true);
      return py.newRef(py.none);
    });
    m("tobytes", (a) => this.#bytes.fresh(this.data(self(a))));
    m("tolist", (a) => {
      const o = self(a);
      this.#check(o);
      const n = this.#get(o, MemoryView.shape);
      const stride = this.#get(o, MemoryView.strides);
      const buf = this.#get(o, MemoryView.buf);
      const items: Ref[] = [];
      try {
        for (let i = 0; i < n; i++) items.push(this.#unpack(o, buf + i * stride));
      } catch (error) {
        for (const i of items) py.decref(i);
        throw error;
      }
      const l = py.list(items);
      for (const i of items) py.decref(i);
      return l;
    });
    m("hex", (a, kw) => py.str(hexWithSeparator(b, this.data(self(a)), a.slice(1), kw)));
    m("toreadonly", (a) => {
      const o = live(a);
      const mv = this.#addView(this.#get(o, MemoryView.mbuf), o);
      this.#set(mv, MemoryView.readonly, 1);
      return mv;
    });
    m("cast", (a) => {
      const o = live(a);
      const f = a[1];
      if (f === undefined || vm.kindOf(f) !== "str")
        vm.raise("TypeError", "memoryview: format argument must be a string");
      if (!this.#contiguous(o))
        vm.raise("TypeError", "memoryview: casts are restricted to C-contiguous views");
      if (a.length > 2)
        vm.raise("NotImplementedError" as never, "memoryview: cast with a shape is not supported");
      const format = py.strValue(f).replace(/^@/, "");
      const size = format.length === 1 ? FORMAT_SIZE[format] : undefined;
      if (size === undefined)
        vm.raise(
          "ValueError",
          "memoryview: destination format must be a native single character format prefixed with an optional '@'",
        );
      const code = format.charCodeAt(0);
      if (!isByteFormat(code) && !isByteFormat(this.#get(o, MemoryView.format)))
        vm.raise("TypeError", "memoryview: cannot cast between two non-byte formats");
      const len = this.#get(o, MemoryView.len);
      if (len % size! !== 0)
        vm.raise("TypeError", "memoryview: length is not a multiple of itemsize");
      // cast_to_1D: the same bytes as items of the new format, side by side.
      const mv = this.#addView(this.#get(o, MemoryView.mbuf), o);
      this.#set(mv, MemoryView.format, code);
      this.#set(mv, MemoryView.itemsize, size!);
      this.#set(mv, MemoryView.shape, len / size!);
      this.#set(mv, MemoryView.strides, size!);
      return mv;
    });
    const getter = (name: string, f: (o: Ref) => Ref) => [name, f] as const;
    const getters = new Map<string, (o: Ref) => Ref>([
      getter("obj", (o) => py.newRef(this.#get(o, MemoryView.obj))),
      getter("nbytes", (o) => py.intFromSsize(this.#get(o, MemoryView.len))),
      getter("readonly", (o) => py.bool(this.#get(o, MemoryView.readonly) !== 0)),
      getter("itemsize", (o) => py.int(this.#get(o, MemoryView.itemsize))),
      getter("format", (o) => py.str(String.fromCharCode(this.#get(o, MemoryView.format)))),
      getter("ndim", () => py.int(1)),
      getter("shape", (o) => this.#tuple([this.#get(o, MemoryView.shape)])),
      getter("strides", (o) => this.#tuple([this.#get(o, MemoryView.strides)])),
      getter("suboffsets", () => py.tuple([])),
      getter("c_contiguous", (o) => py.bool(this.#contiguous(o))),
      getter("f_contiguous", (o) => py.bool(this.#contiguous(o))),
      getter("contiguous", (o) => py.bool(this.#contiguous(o))),
    ]);
    t.slotHooks = {
      ...t.slotHooks,
      getattr: (o, name) => {
        const f = getters.get(name);
        if (!f) return 0;
        this.#check(o);
        return f(o);
      },
    };
  }

  #contiguous(o: Ref): boolean {
    // MV_CONTIGUOUS_NDIM1: one item, or items side by side (an empty view with a step is not).
    return (
      this.#get(o, MemoryView.shape) === 1 ||
      this.#get(o, MemoryView.strides) === this.#get(o, MemoryView.itemsize)
    );
  }

  #tuple(values: readonly number[]): Ref {
    const py = this.#b.vm.py;
    const items = values.map((v) => py.int(v));
    const t = py.tuple(items);
    for (const i of items) py.decref(i);
    return t;
  }
}

/** Whether two items read from views are equal as Python compares them (NaN is not itself). */
function sameItem(x: ItemValue, y: ItemValue): boolean {
  if (typeof x === "object" || typeof y === "object")
    return typeof x === "object" && typeof y === "object" && x.c === y.c;
  const a = typeof x === "boolean" ? Number(x) : x;
  const c = typeof y === "boolean" ? Number(y) : y;
  // A number and a bigint compare by value with ==.
  // biome-ignore lint/suspicious/noDoubleEquals: mixed number and bigint comparison
  return a == c;
}

/** `a` then `c`, in one new array. */
function concat(a: Uint8Array, c: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + c.length);
  out.set(a);
  out.set(c, a.length);
  return out;
}

/** The bytes of a bytes-like object other than a memoryview (a copy), or undefined. */
function bufferOf(vm: Host, bytes: BytesType, o: Ref): Uint8Array | undefined {
  if (vm.kindOf(o) === "bytes") return bytes.data(o);
  return bytes.buffer?.(o);
}

/** The memoryview type of each interpreter, for the modules that export buffers to it. */
const views = new WeakMap<Host, MemoryviewType>();

/** The memoryview type of an interpreter (made with its builtins). */
export function memoryviewTypeOf(vm: Host): MemoryviewType {
  const t = views.get(vm);
  if (t === undefined) throw new Error("memoryview is not installed in this interpreter");
  return t;
}

/** Creates the memoryview type and makes `memoryview` a builtin. */
export function installMemoryview(
  b: Protocols,
  bytes: BytesType,
  bytearray: BytearrayType,
): MemoryviewType {
  const t = new MemoryviewType(b, bytes, bytearray);
  b.vm.types.memoryview = t.type;
  b.setStr(b.dict, "memoryview", t.type.object);
  // Every bytes-like argument reads bytearrays, memoryviews and exporters through this.
  bytes.buffer = (o) =>
    bytearray.is(o) ? bytearray.data(o) : t.is(o) ? t.data(o) : t.exportedBytes(o);
  views.set(b.vm, t);
  return t;
}
