// `bytearray` as CPython 3.11's Objects/bytearrayobject.c has it: a 56-byte object (not a
// container, so no GC head) whose bytes live in a separate PyObject_Malloc block of `ob_alloc`
// bytes, over-allocated as PyByteArray_Resize does; `sys.getsizeof` is 56 + ob_alloc. Deleting
// from the front (`del b[:n]`) moves the logical start `ob_start` instead of copying; a
// memoryview exporting the bytes (`ob_exports`) forbids every resize.

import type { NativeType, Ref } from "@mm/runtime";
import { BinaryOp, CompareOp } from "../compile/opcodes.js";
import { type BytesType, codecName, encodeText, errorsName, installByteMethods } from "./bytes.js";
import { Raised } from "./errors.js";
import type { Host, Protocols } from "./host.js";
import { SeqIter } from "./layouts.js";
import type { BuiltinFn, PyType } from "./types.js";

/**
 * `PyByteArrayObject`:
 * ```
 *   op + 16  ob_size (the length)        op + 40  ob_start (where the bytes begin)
 *   op + 24  ob_alloc (the block's size)  op + 48  ob_exports (buffers handed out)
 *   op + 32  ob_bytes (the block)
 *   sys.getsizeof = 56 + ob_alloc
 * ```
 */
export const ByteArray = {
  size: 16,
  alloc: 24,
  bytes: 32,
  start: 40,
  exports: 48,
  basicSize: 56,
} as const;

/** `repr(b)` of a bytearray: `bytearray(b'...')`, a quote inside always escaped. */
export function bytearrayRepr(name: string, d: Uint8Array): string {
  const quote = d.includes(0x27) && !d.includes(0x22) ? '"' : "'";
  let out = `${name}(b${quote}`;
  for (const c of d) {
    if (c === 0x27 || c === 0x5c) out += `\\${String.fromCharCode(c)}`;
    else if (c === 0x09) out += "\\t";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c < 0x20 || c >= 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += String.fromCharCode(c);
  }
  return `${out}${quote})`;
}

/** The bytearray type of one interpreter: its objects' layout, resizing and methods. */
export class BytearrayType {
  readonly native: NativeType;
  readonly iterNative: NativeType;
  readonly type: PyType;
  readonly #b: Protocols;
  readonly #bytes: BytesType;

  constructor(b: Protocols, bytes: BytesType) {
    this.#b = b;
    this.#bytes = bytes;
    const vm: Host = b.vm;
    const py = vm.py;
    this.native = py.defineType({
      name: "bytearray",
      basicSize: ByteArray.basicSize,
      sizeOf: (o) => ByteArray.basicSize + this.#get(o, ByteArray.alloc),
      // bytearray_dealloc: the block goes back with PyObject_Free.
      onFree: (o) => {
        const block = this.#get(o, ByteArray.bytes);
        this.#set(o, ByteArray.bytes, 0);
        py.objFree(block);
      },
    });
    this.iterNative = py.defineType({
      name: "bytearray_iterator",
      basicSize: SeqIter.basicSize,
      container: true,
      refs: [SeqIter.seq],
    });
    this.type = b.newNativeType("bytearray", this.native, "__main__", {
      len: (o) => this.length(o),
      // bytearray_repr names the object's type (a subclass's name).
      repr: (o) => bytearrayRepr(vm.typeOf(o).name, this.data(o)),
      compare: (l, r, op) => this.#compare(l, r, op),
      binary: (op, l, r, inplace) => this.#binary(op, l, r, inplace),
      unhashable: true,
      subclassable: true,
    });
    const iter = b.newNativeType("bytearray_iterator", this.iterNative, "__main__", {
      next: (it) => this.#next(it),
      len: (it) => {
        const seq = py.getRef(it, SeqIter.seq);
        return seq === 0 ? 0 : Math.max(0, this.length(seq) - this.#get(it, SeqIter.index));
      },
    });
    iter.methods.set("__iter__", (a) => py.newRef(a[0]!));
    iter.methods.set("__next__", (a) => this.#next(a[0]!) || vm.raise("StopIteration"));
    this.#install();
  }

  #get(o: Ref, at: number): number {
    return this.#b.vm.py.memory.u32[(o + at) >>> 2]!;
  }

  #set(o: Ref, at: number, v: number): void {
    const u32 = this.#b.vm.py.memory.u32;
    u32[(o + at) >>> 2] = v;
    u32[(o + at + 4) >>> 2] = 0;
  }

  /** Whether `o` is a bytearray (or an instance of a subclass of bytearray). */
  is(o: Ref): boolean {
    const t = this.#b.vm.typeOf(o);
    return t === this.type || t.nativeRoot === this.type;
  }

  length(o: Ref): number {
    return this.#get(o, ByteArray.size);
  }

  /** Where the bytes begin in memory (`ob_start`; 0 for an empty bytearray never filled). */
  address(o: Ref): number {
    return this.#get(o, ByteArray.start);
  }

  /** The bytes (a copy). */
  data(o: Ref): Uint8Array {
    const start = this.#get(o, ByteArray.start);
    return this.#b.vm.py.memory.u8.slice(start, start + this.length(o));
  }

  /** `ob_exports`: the buffers handed out (a memoryview's managed buffer holds one). */
  exports(o: Ref): number {
    return this.#get(o, ByteArray.exports);
  }

  /** Counts a buffer handed out (`bytearray_getbuffer`) or given back (`releasebuffer`). */
  export(o: Ref, delta: 1 | -1): void {
    this.#set(o, ByteArray.exports, this.exports(o) + delta);
  }

  /** `PyByteArray_FromStringAndSize`: a new bytearray of `d`, its block exactly `n + 1` bytes. */
  make(d: Uint8Array): Ref {
    const py = this.#b.vm.py;
    const o = py.allocate(this.native);
    const n = d.length;
    let block = 0;
    if (n > 0) {
      try {
        block = py.objMalloc(n + 1);
      } catch (error) {
        py.decref(o);
        throw error;
      }
      py.memory.u8.set(d, block);
      py.memory.u8[block + n] = 0;
    }
    this.#set(o, ByteArray.size, n);
    this.#set(o, ByteArray.alloc, n === 0 ? 0 : n + 1);
    this.#set(o, ByteArray.bytes, block);
    this.#set(o, ByteArray.start, block);
    this.#set(o, ByteArray.exports, 0);
    return o;
  }

  #canResize(o: Ref): void {
    if (this.exports(o) > 0)
      this.#b.vm.raise("BufferError", "Existing exports of data: object cannot be re-sized");
  }

  /**
   * `PyByteArray_Resize`: the length becomes `requested`. A block big enough keeps its place
   * unless the length drops below half of it (then it shrinks to fit); growing by at most an
   * eighth over-allocates as lists do, more grows to fit. Data past a moved start is copied
   * to the front of a new block.
   */
  resize(o: Ref, requested: number): void {
    const py = this.#b.vm.py;
    const size = this.length(o);
    if (requested === size) return;
    this.#canResize(o);
    let alloc = this.#get(o, ByteArray.alloc);
    const bytes = this.#get(o, ByteArray.bytes);
    const start = this.#get(o, ByteArray.start);
    const offset = start - bytes;
    if (requested + offset + 1 <= alloc) {
      if (requested < Math.floor(alloc / 2)) alloc = requested + 1;
      else {
        this.#set(o, ByteArray.size, requested);
        py.memory.u8[start + requested] = 0;
        return;
      }
    } else if (requested <= alloc * 1.125) {
      alloc = requested + (requested >> 3) + (requested < 9 ? 3 : 6);
    } else alloc = requested + 1;
    let block: number;
    if (offset > 0) {
      block = py.objMalloc(alloc);
      const u8 = py.memory.u8;
      u8.copyWithin(block, start, start + Math.min(requested, size));
      py.objFree(bytes);
    } else block = py.objRealloc(bytes, alloc);
    this.#set(o, ByteArray.bytes, block);
    this.#set(o, ByteArray.start, block);
    this.#set(o, ByteArray.size, requested);
    this.#set(o, ByteArray.alloc, alloc);
    py.memory.u8[block + requested] = 0;
  }

  /**
   * `bytearray_setslice_linear`: bytes `lo` to `hi` become `d`. Shrinking from the front moves
   * the logical start; growing resizes first, then moves the tail.
   */
  setSlice(o: Ref, lo: number, hi: number, d: Uint8Array): void {
    const py = this.#b.vm.py;
    const growth = d.length - (hi - lo);
    if (growth < 0) {
      this.#canResize(o);
      const start = this.#get(o, ByteArray.start);
      if (lo === 0) this.#set(o, ByteArray.start, start - growth);
      else py.memory.u8.copyWithin(start + lo + d.length, start + hi, start + this.length(o));
      this.resize(o, this.length(o) + growth);
    } else if (growth > 0) {
      this.resize(o, this.length(o) + growth);
      const start = this.#get(o, ByteArray.start);
      const n = this.length(o);
      py.memory.u8.copyWithin(start + lo + d.length, start + hi, start + n - growth);
    }
    if (d.length > 0) py.memory.u8.set(d, this.#get(o, ByteArray.start) + lo);
  }

  /** The bytes of any bytes-like object, or undefined. */
  #buffer(o: Ref): Uint8Array | undefined {
    const vm: Host = this.#b.vm;
    if (vm.kindOf(o) === "bytes") return this.#bytes.data(o);
    return this.#bytes.buffer?.(o);
  }

  /** `_getbytevalue`: an int in range(256), with CPython's errors. */
  #byteValue(o: Ref): number {
    const vm: Host = this.#b.vm;
    const k = vm.kindOf(o);
    if (k !== "int" && k !== "bool")
      vm.raise("TypeError", `'${vm.typeOf(o).name}' object cannot be interpreted as an integer`);
    const v = vm.intOf(o);
    if (v < 0n || v > 255n) vm.raise("ValueError", "byte must be in range(0, 256)");
    return Number(v);
  }

  #index(o: Ref, what = "integer"): number {
    const vm: Host = this.#b.vm;
    const k = vm.kindOf(o);
    if (k !== "int" && k !== "bool")
      vm.raise("TypeError", `'${vm.typeOf(o).name}' object cannot be interpreted as an ${what}`);
    return Number(vm.intOf(o));
  }

  /** Appends the ints of `iterable` as `bytearray(iterable)` does (one resize per overflow). */
  #appendAll(o: Ref, iterable: Ref): void {
    const b = this.#b;
    const py = b.vm.py;
    const it = b.iter(iterable);
    try {
      for (let item = b.next(it); item !== 0; item = b.next(it)) {
        let v: number;
        try {
          v = this.#byteValue(item);
        } finally {
          py.decref(item);
        }
        const n = this.length(o);
        if (n + 1 < this.#get(o, ByteArray.alloc)) this.#set(o, ByteArray.size, n + 1);
        else this.resize(o, n + 1);
        py.memory.u8[this.#get(o, ByteArray.start) + n] = v;
      }
    } finally {
      py.decref(it);
    }
  }

  /** `bytearray.__init__`: fills the new, empty `o` from the constructor's arguments. */
  #init(o: Ref, args: readonly Ref[], kw: ReadonlyMap<string, Ref> | null): void {
    const vm: Host = this.#b.vm;
    const py = vm.py;
    if (args.length > 3)
      vm.raise("TypeError", `bytearray() takes at most 3 arguments (${args.length} given)`);
    const names = ["source", "encoding", "errors"];
    for (const k of kw?.keys() ?? [])
      if (!names.includes(k))
        vm.raise("TypeError", `bytearray() got an unexpected keyword argument '${k}'`);
    const arg = args[0] ?? kw?.get("source");
    const encoding = args[1] ?? kw?.get("encoding");
    const errors = args[2] ?? kw?.get("errors");
    const noString = () =>
      vm.raise(
        "TypeError",
        encoding !== undefined
          ? "encoding without a string argument"
          : "errors without a string argument",
      );
    if (arg === undefined) {
      if (encoding !== undefined || errors !== undefined) noString();
      return;
    }
    const k = vm.kindOf(arg);
    if (k === "str") {
      if (encoding === undefined) vm.raise("TypeError", "string argument without an encoding");
      // The encoded bytes object is made, then appended (bytearray_iconcat).
      const encoded = this.#bytes.fresh(
        encodeText(vm, py.strValue(arg), codecName(vm, encoding), errorsName(vm, errors)),
      );
      try {
        this.setSlice(o, this.length(o), this.length(o), this.#bytes.data(encoded));
      } finally {
        py.decref(encoded);
      }
      return;
    }
    if (encoding !== undefined || errors !== undefined) noString();
    if (k === "int" || k === "bool") {
      const count = Number(vm.intOf(arg));
      if (count < 0) vm.raise("ValueError", "negative count");
      if (count > 0) {
        this.resize(o, count);
        const start = this.#get(o, ByteArray.start);
        py.memory.u8.fill(0, start, start + count);
      }
      return;
    }
    const buffer = this.#buffer(arg);
    if (buffer !== undefined) {
      this.resize(o, buffer.length);
      py.memory.u8.set(buffer, this.#get(o, ByteArray.start));
      return;
    }
    const tk = vm.typeOf(arg);
    if ((k === "list" || k === "tuple") && !tk.heap) {
      // The fast path of an exact list or tuple: one resize to its length.
      const items = py.items(arg);
      this.resize(o, items.length);
      const ints = items.every((i) => vm.kindOf(i) === "int");
      if (ints) {
        items.forEach((item, i) => {
          py.memory.u8[this.#get(o, ByteArray.start) + i] = this.#byteValue(item);
        });
        return;
      }
      this.resize(o, 0);
    }
    py.decref(this.#iterOr(arg, `cannot convert '${tk.name}' object to bytearray`));
    this.#appendAll(o, arg);
  }

  /** `iter(o)`, its TypeError replaced by one saying `message`. */
  #iterOr(o: Ref, message: string): Ref {
    const vm: Host = this.#b.vm;
    try {
      return this.#b.iter(o);
    } catch (error) {
      if (error instanceof Raised && vm.typeOf(error.exc) === vm.types.TypeError) {
        vm.py.decref(error.exc);
        vm.raise("TypeError", message);
      }
      throw error;
    }
  }

  /** `bytearray.extend(iterable)`. */
  extend(o: Ref, iterable: Ref): void {
    const b = this.#b;
    const vm: Host = b.vm;
    const py = vm.py;
    const buffer = this.#buffer(iterable);
    if (buffer !== undefined) {
      this.setSlice(o, this.length(o), this.length(o), buffer);
      return;
    }
    const it = this.#iterOr(iterable, `can't extend bytearray with ${vm.typeOf(iterable).name}`);
    // The ints go into a scratch bytearray first, grown by half as it fills.
    let size = b.lengthHint(iterable, 64);
    const scratch = this.make(new Uint8Array(size));
    try {
      let n = 0;
      for (let item = b.next(it); item !== 0; item = b.next(it)) {
        let v: number;
        try {
          v = this.#byteValue(item);
        } finally {
          py.decref(item);
        }
        if (n >= size) {
          size = n + (n >> 1) + 1;
          this.resize(scratch, size);
        }
        py.memory.u8[this.#get(scratch, ByteArray.start) + n++] = v;
      }
      this.resize(scratch, n);
      this.setSlice(o, this.length(o), this.length(o), this.data(scratch));
    } finally {
      py.decref(it);
      py.decref(scratch);
    }
  }

  #next(it: Ref): Ref {
    const py = this.#b.vm.py;
    const seq = py.getRef(it, SeqIter.seq);
    if (seq === 0) return 0;
    const i = this.#get(it, SeqIter.index);
    if (i < this.length(seq)) {
      this.#set(it, SeqIter.index, i + 1);
      return py.int(py.memory.u8[this.address(seq) + i]!);
    }
    py.setRef(it, SeqIter.seq, 0);
    return 0;
  }

  /** `bytearray_richcompare`: any two bytes-like objects, a bytearray among them. */
  #compare(l: Ref, r: Ref, op: CompareOp): boolean | undefined {
    const a = this.#buffer(l);
    const c = this.#buffer(r);
    if (a === undefined || c === undefined) return undefined;
    return compareBytes(a, c, op);
  }

  #binary(op: BinaryOp, l: Ref, r: Ref, inplace: boolean): Ref {
    const vm: Host = this.#b.vm;
    const py = vm.py;
    if (op === BinaryOp.Add) {
      const a = this.#buffer(l);
      const c = this.#buffer(r);
      if (a === undefined || c === undefined) {
        if (!this.is(l)) return 0;
        vm.raise("TypeError", `can't concat ${vm.typeOf(r).name} to ${vm.typeOf(l).name}`);
      }
      if (inplace && this.is(l)) {
        // bytearray_iconcat: one resize, then the other's bytes after the old end.
        const n = this.length(l);
        this.resize(l, n + c.length);
        py.memory.u8.set(c, this.address(l) + n);
        return py.newRef(l);
      }
      const out = new Uint8Array(a.length + c.length);
      out.set(a);
      out.set(c, a.length);
      // bytes + bytearray is a bytes (bytes_concat), bytearray + anything a bytearray.
      return this.is(l) ? this.make(out) : this.#bytes.fresh(out);
    }
    if (op === BinaryOp.Multiply) {
      const [seq, count] = this.is(l) ? [l, r] : [r, l];
      const k = vm.kindOf(count);
      if (k !== "int" && k !== "bool") return 0;
      const d = this.data(seq);
      const times = this.#b.repeatTimes(vm.intOf(count), d.length);
      if (inplace && seq === l) {
        // bytearray_irepeat: a resize to the whole length, then the copies.
        this.resize(l, d.length * times);
        const start = this.address(l);
        for (let i = 0; i < times; i++) py.memory.u8.set(d, start + i * d.length);
        return py.newRef(l);
      }
      const out = new Uint8Array(d.length * times);
      for (let i = 0; i < times; i++) out.set(d, i * d.length);
      return this.make(out);
    }
    // bytearray_mod: the template's bytes formatted as bytes_mod formats them.
    if (op === BinaryOp.Remainder && this.is(l))
      return this.make(vm.formatBytesPercent(this.data(l), r));
    return 0;
  }

  /** `b[key]`. */
  getItem(o: Ref, key: Ref): Ref {
    const b = this.#b;
    const vm: Host = b.vm;
    const py = vm.py;
    const n = this.length(o);
    const k = vm.kindOf(key);
    if (k === "int" || k === "bool") {
      let i = Number(vm.intOf(key));
      if (i < 0) i += n;
      if (i < 0 || i >= n) vm.raise("IndexError", "bytearray index out of range");
      return py.int(py.memory.u8[this.address(o) + i]!);
    }
    if (k === "slice") {
      const [start, , step, length] = b.sliceIndices(key, n);
      const d = this.data(o);
      const out = new Uint8Array(length);
      for (let i = 0, at = start; i < length; i++, at += step) out[i] = d[at]!;
      return this.make(out);
    }
    return vm.raise(
      "TypeError",
      `bytearray indices must be integers or slices, not ${vm.typeOf(key).name}`,
    );
  }

  /** `bytearray_ass_subscript`: `b[key] = value`, or `del b[key]` when `value` is 0. */
  setItem(o: Ref, key: Ref, value: Ref): void {
    const b = this.#b;
    const vm: Host = b.vm;
    const py = vm.py;
    const n = this.length(o);
    const k = vm.kindOf(key);
    let start: number;
    let stop: number;
    let step: number;
    let length: number;
    if (k === "int" || k === "bool") {
      let i = Number(vm.intOf(key));
      const v = value === 0 ? -1 : this.#byteValue(value);
      if (i < 0) i += n;
      if (i < 0 || i >= n) vm.raise("IndexError", "bytearray index out of range");
      if (value !== 0) {
        py.memory.u8[this.address(o) + i] = v;
        return;
      }
      [start, stop, step, length] = [i, i + 1, 1, 1];
    } else if (k === "slice") {
      [start, stop, step, length] = b.sliceIndices(key, n);
    } else {
      vm.raise(
        "TypeError",
        `bytearray indices must be integers or slices, not ${vm.typeOf(key).name}`,
      );
    }
    let d: Uint8Array;
    if (value === 0) d = new Uint8Array(0);
    else if (value === o || !this.is(value)) {
      const vk = vm.kindOf(value);
      if (vk === "int" || vk === "bool" || vk === "float" || vk === "complex" || vk === "str")
        vm.raise(
          "TypeError",
          "can assign only bytes, buffers, or iterables of ints in range(0, 256)",
        );
      // A copy as a bytearray first (PyByteArray_FromObject).
      const copy = this.make(new Uint8Array(0));
      try {
        this.#init(copy, [value], null);
        d = this.data(copy);
      } finally {
        py.decref(copy);
      }
    } else d = this.data(value);
    if ((step < 0 && start < stop) || (step > 0 && start > stop)) stop = start;
    if (step === 1) {
      this.setSlice(o, start, stop, d);
      return;
    }
    if (d.length === 0) {
      this.#canResize(o);
      if (length === 0) return;
      if (step < 0) {
        start = start + step * (length - 1);
        step = -step;
      }
      const kept = this.data(o).filter(
        (_, i) => i < start || (i - start) % step !== 0 || i >= start + step * length,
      );
      py.memory.u8.set(kept, this.address(o));
      this.resize(o, kept.length);
      return;
    }
    if (d.length !== length)
      vm.raise(
        "ValueError",
        `attempt to assign bytes of size ${d.length} to extended slice of size ${length}`,
      );
    const at = this.address(o);
    for (let i = 0, cur = start; i < length; i++, cur += step) py.memory.u8[at + cur] = d[i]!;
  }

  #install(): void {
    const b = this.#b;
    const vm: Host = b.vm;
    const py = vm.py;
    const t = this.type;
    const m = (name: string, f: BuiltinFn) => t.methods.set(name, f);
    const none = () => py.newRef(py.none);
    const self = (a: readonly Ref[]) => {
      const o = a[0]!;
      if (!this.is(o))
        vm.raise(
          "TypeError",
          `descriptor requires a 'bytearray' object but received a '${vm.typeOf(o).name}'`,
        );
      return o;
    };
    m("__new__", (a, kw) => {
      const o = this.make(new Uint8Array(0));
      try {
        this.#init(o, a, kw);
      } catch (error) {
        py.decref(o);
        throw error;
      }
      return o;
    });
    // bytearray___init__: a subclass's instance starts empty and is filled here (emptied first
    // when `__init__` is called once more).
    m("__init__", (a, kw) => {
      const o = self(a);
      if (this.length(o) !== 0) this.resize(o, 0);
      this.#init(o, a.slice(1), kw);
      return none();
    });
    m("__len__", (a) => py.intFromSsize(this.length(self(a))));
    m("__alloc__", (a) => py.int(this.#get(self(a), ByteArray.alloc)));
    // The type's basic size (a subclass's with its slots) and the buffer.
    m("__sizeof__", (a) => {
      const o = self(a);
      return py.int(py.sizeof(o) - py.preHeaderSize(o));
    });
    m("__getitem__", (a) => this.getItem(self(a), a[1]!));
    m("__setitem__", (a) => {
      this.setItem(self(a), a[1]!, a[2]!);
      return none();
    });
    m("__delitem__", (a) => {
      this.setItem(self(a), a[1]!, 0);
      return none();
    });
    m("__iter__", (a) => {
      const it = py.allocate(this.iterNative);
      py.setRef(it, SeqIter.seq, self(a));
      return it;
    });
    m("__contains__", (a) => {
      const hay = this.data(self(a));
      const x = a[1]!;
      const k = vm.kindOf(x);
      if (k === "int" || k === "bool") {
        const v = vm.intOf(x);
        if (v < 0n || v > 255n) vm.raise("ValueError", "byte must be in range(0, 256)");
        return py.bool(hay.includes(Number(v)));
      }
      const needle = this.#buffer(x);
      if (needle === undefined)
        vm.raise("TypeError", `a bytes-like object is required, not '${vm.typeOf(x).name}'`);
      return py.bool(indexIn(hay, needle) >= 0);
    });
    m("append", (a) => {
      const o = self(a);
      const v = this.#byteValue(a[1]!);
      const n = this.length(o);
      this.resize(o, n + 1);
      py.memory.u8[this.address(o) + n] = v;
      return none();
    });
    m("extend", (a) => {
      this.extend(self(a), a[1]!);
      return none();
    });
    m("insert", (a) => {
      const o = self(a);
      let i = this.#index(a[1]!);
      const v = this.#byteValue(a[2]!);
      const n = this.length(o);
      this.resize(o, n + 1);
      if (i < 0) i = Math.max(0, i + n);
      if (i > n) i = n;
      const at = this.address(o);
      py.memory.u8.copyWithin(at + i + 1, at + i, at + n);
      py.memory.u8[at + i] = v;
      return none();
    });
    m("pop", (a) => {
      const o = self(a);
      const n = this.length(o);
      let i = a[1] === undefined ? -1 : this.#index(a[1]);
      if (n === 0) vm.raise("IndexError", "pop from empty bytearray");
      if (i < 0) i += n;
      if (i < 0 || i >= n) vm.raise("IndexError", "pop index out of range");
      this.#canResize(o);
      const at = this.address(o);
      const v = py.memory.u8[at + i]!;
      py.memory.u8.copyWithin(at + i, at + i + 1, at + n);
      this.resize(o, n - 1);
      return py.int(v);
    });
    m("remove", (a) => {
      const o = self(a);
      const v = this.#byteValue(a[1]!);
      const n = this.length(o);
      const at = this.address(o);
      const i = this.data(o).indexOf(v);
      if (i < 0) vm.raise("ValueError", "value not found in bytearray");
      this.#canResize(o);
      py.memory.u8.copyWithin(at + i, at + i + 1, at + n);
      this.resize(o, n - 1);
      return none();
    });
    m("reverse", (a) => {
      const o = self(a);
      py.memory.u8.set(this.data(o).reverse(), this.address(o));
      return none();
    });
    m("clear", (a) => {
      this.resize(self(a), 0);
      return none();
    });
    m("copy", (a) => this.make(this.data(self(a))));
    m("__iadd__", (a) => this.#binary(BinaryOp.Add, self(a), a[1]!, true));
    m("__add__", (a) => this.#binary(BinaryOp.Add, self(a), a[1]!, false));
    m("__mul__", (a) => this.#binary(BinaryOp.Multiply, self(a), a[1]!, false));
    m("__imul__", (a) => this.#binary(BinaryOp.Multiply, self(a), a[1]!, true));
    // bytearray_mod: only with the template on the left.
    m("__mod__", (a) => this.#binary(BinaryOp.Remainder, self(a), a[1]!, false));
    m("__rmod__", (a) => {
      const other = a[1]!;
      if (!this.is(other)) return py.newRef(b.notImplemented);
      return this.#binary(BinaryOp.Remainder, other, self(a), false);
    });
    m("__repr__", (a) => py.str(bytearrayRepr("bytearray", this.data(self(a)))));
    m("__eq__", (a) => {
      const r = this.#compare(self(a), a[1]!, CompareOp.Eq);
      return r === undefined ? py.newRef(b.notImplemented) : py.bool(r);
    });
    t.methods.set("fromhex", (a) => {
      const text = py.strValue(a[1]!).replace(/\s+/g, "");
      if (!/^([0-9a-fA-F]{2})*$/.test(text))
        vm.raise("ValueError", "non-hexadecimal number found in fromhex() arg");
      const out = new Uint8Array(text.length / 2);
      for (let i = 0; i < out.length; i++)
        out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
      return this.make(out);
    });
    installByteMethods(b, t, this.#bytes, {
      name: "bytearray",
      read: (o) => this.data(self([o])),
      make: (d) => this.make(d),
      fresh: (d) => this.make(d),
      same: (o) => this.make(this.data(o)),
    });
  }
}

/** The first index of `needle` in `hay`, or -1. */
function indexIn(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** `a op c` of two byte strings: memcmp of the common length, then the lengths. */
export function compareBytes(a: Uint8Array, c: Uint8Array, op: CompareOp): boolean {
  let cmp = 0;
  const n = Math.min(a.length, c.length);
  for (let i = 0; i < n && cmp === 0; i++) cmp = a[i]! - c[i]!;
  if (cmp === 0) cmp = a.length - c.length;
  switch (op) {
    case CompareOp.Lt:
      return cmp < 0;
    case CompareOp.Le:
      return cmp <= 0;
    case CompareOp.Eq:
      return cmp === 0;
    case CompareOp.Ne:
      return cmp !== 0;
    case CompareOp.Gt:
      return cmp > 0;
    default:
      return cmp >= 0;
  }
}

/** Creates the bytearray type and makes `bytearray` a builtin. */
export function installBytearray(b: Protocols, bytes: BytesType): BytearrayType {
  const t = new BytearrayType(b, bytes);
  const vm: Host = b.vm;
  vm.types.bytearray = t.type;
  b.setStr(b.dict, "bytearray", t.type.object);
  return t;
}
