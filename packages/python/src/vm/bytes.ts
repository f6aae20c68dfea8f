// `bytes`: CPython 3.11's PyBytesObject, a variable-size object (not a container) whose bytes
// follow a 32-byte header inline, plus a terminating NUL: 33 bytes for `b""`, one more per
// byte. The empty bytes and the 256 one-byte bytes are shared, as CPython's caches are.

import type { NativeType, Ref } from "@mm/runtime";
import { decodeBytes, type Encoding, encodeString, findCodec } from "./codecs-core.js";
import type { Host, Protocols } from "./host.js";
import { namedArguments } from "./keyword-args.js";
import { SeqIter } from "./layouts.js";
import { numberIndex } from "./number-index.js";
import { splitList } from "./split.js";
import type { BuiltinFn, PyType } from "./types.js";

/**
 * ```
 *   op + 0   | ob_refcnt  ob_flags | ob_type  weaklist |  16
 *   op + 16  | ob_size (the length)                    |   8
 *   op + 24  | ob_shash (-1 until hashed)              |   8
 *   op + 32  | the bytes…, then a NUL                  |   n + 1
 *   sys.getsizeof = 33 + n (not a container: no GC head)
 * ```
 */
export const Bytes = { size: 16, hash: 24, data: 32, basicSize: 32 } as const;

/** The bytes type of one interpreter: creation, reading and the shared objects. */
export class BytesType {
  readonly type: NativeType;
  readonly iterType: NativeType;
  readonly #vm: Host;
  #empty = 0;
  /**
   * The bytes of another bytes-like object (a bytearray's, a memoryview's), or undefined for
   * an object without the buffer protocol: set by the types that export buffers.
   */
  buffer: ((o: Ref) => Uint8Array | undefined) | undefined;
  readonly #single: number[] = new Array<number>(256).fill(0);

  constructor(vm: Host) {
    this.#vm = vm;
    const py = vm.py;
    // The NUL after the data is one more item: a bytes of n bytes is allocated 33 + n bytes.
    this.type = py.defineType({
      name: "bytes",
      basicSize: Bytes.basicSize,
      itemSize: 1,
      sizeOf: (o) => Bytes.basicSize + 1 + this.length(o),
    });
    this.iterType = py.defineType({
      name: "bytes_iterator",
      basicSize: SeqIter.basicSize,
      container: true,
      refs: [SeqIter.seq],
    });
  }

  /**
   * Makes the shared bytes: `b""` and the 256 one-byte bytes, which CPython 3.11 keeps as
   * static objects (so taking one never allocates).
   */
  start(): void {
    this.#empty = this.#vm.keep(this.#allocate(new Uint8Array(0)));
    for (let c = 0; c < 256; c++)
      this.#single[c] = this.#vm.keep(this.#allocate(new Uint8Array([c])));
  }

  /** A bytes object of `data` (a new reference; the shared one for 0 or 1 bytes). */
  make(data: Uint8Array): Ref {
    const vm = this.#vm;
    const py = vm.py;
    if (data.length === 0) {
      if (!this.#empty) this.#empty = vm.keep(this.#allocate(data));
      return py.newRef(this.#empty);
    }
    if (data.length === 1) {
      const b = data[0]!;
      if (!this.#single[b]) this.#single[b] = vm.keep(this.#allocate(data));
      return py.newRef(this.#single[b]!);
    }
    return this.#allocate(data);
  }

  /**
   * A bytes object of `data` that CPython makes empty and then fills
   * (`PyBytes_FromStringAndSize(NULL, n)`): only `b""` is shared, a one-byte result is new.
   */
  fresh(data: Uint8Array): Ref {
    return data.length === 0 ? this.make(data) : this.#allocate(data);
  }

  #allocate(data: Uint8Array): Ref {
    const py = this.#vm.py;
    const o = py.allocate(this.type, data.length + 1);
    const mem = py.memory;
    mem.u32[(o + Bytes.size) >>> 2] = data.length;
    mem.u32[(o + Bytes.hash) >>> 2] = 0xffffffff;
    mem.u32[(o + Bytes.hash + 4) >>> 2] = 0xffffffff;
    mem.u8.set(data, o + Bytes.data);
    mem.u8[o + Bytes.data + data.length] = 0;
    return o;
  }

  /** The bytes of a bytes object (a copy). */
  data(o: Ref): Uint8Array {
    const mem = this.#vm.py.memory;
    const n = mem.u32[(o + Bytes.size) >>> 2]!;
    return mem.u8.slice(o + Bytes.data, o + Bytes.data + n);
  }

  length(o: Ref): number {
    return this.#vm.py.memory.u32[(o + Bytes.size) >>> 2]!;
  }
}

/** `repr(b)`: `b'...'` with CPython's quote choice and escapes. */
export function bytesRepr(data: Uint8Array): string {
  const hasSingle = data.includes(0x27);
  const hasDouble = data.includes(0x22);
  const quote = hasSingle && !hasDouble ? '"' : "'";
  let out = `b${quote}`;
  for (const c of data) {
    if (c === quote.charCodeAt(0) || c === 0x5c) out += `\\${String.fromCharCode(c)}`;
    else if (c === 0x09) out += "\\t";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c < 0x20 || c >= 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += String.fromCharCode(c);
  }
  return `${out}${quote}`;
}

/**
 * The codec an `encoding` argument names (utf-8 by default), or CPython's TypeError (not a
 * str), ValueError (a NUL in it) or LookupError (no such codec).
 */
export function codecName(vm: Host, o: Ref | undefined, method = "encode"): Encoding {
  if (o === undefined) return findCodec("utf-8")!;
  if (vm.kindOf(o) !== "str")
    vm.raise("TypeError", `${method}() argument 'encoding' must be str, not ${vm.typeOf(o).name}`);
  const name = vm.py.strValue(o);
  if (name.includes("\0")) vm.raise("ValueError", "embedded null character");
  const found = findCodec(name);
  if (found === undefined) vm.raise("LookupError" as never, `unknown encoding: ${name}`);
  return found;
}

/** The name of a codec error handler argument (`errors`): "strict" when it is not given. */
export function errorsName(vm: Host, o: Ref | undefined, method = "encode"): string {
  if (o === undefined) return "strict";
  if (vm.kindOf(o) !== "str")
    vm.raise("TypeError", `${method}() argument 'errors' must be str, not ${vm.typeOf(o).name}`);
  const name = vm.py.strValue(o);
  if (name.includes("\0")) vm.raise("ValueError", "embedded null character");
  return name;
}

/** `s.encode(enc, errors)` with CPython's UnicodeEncodeError (codecs-core.ts). */
export function encodeText(vm: Host, s: string, enc: Encoding, errors = "strict"): Uint8Array {
  return encodeString(vm, s, enc, errors);
}

/**
 * `bytes.hex(sep, bytes_per_sep)`, as `_Py_strhex_impl` writes it for bytes, bytearray and
 * memoryview: two hex digits a byte and, when `sep` is given (a str or bytes of one ASCII
 * character), `sep` between groups of |bytes_per_sep| bytes, counted from the right end when it
 * is positive and from the left when negative. `args` are the method's arguments after self,
 * `kw` its keywords (`sep`, `bytes_per_sep`).
 * @throws CPython's TypeError, ValueError and OverflowError for a bad `sep` or `bytes_per_sep`
 */
export function hexWithSeparator(
  b: Protocols,
  data: Uint8Array,
  args: readonly Ref[],
  kw: ReadonlyMap<string, Ref> | null,
): string {
  const vm: Host = b.vm;
  const py = vm.py;
  if (kw !== null)
    for (const k of kw.keys()) {
      const at = k === "sep" ? 0 : k === "bytes_per_sep" ? 1 : -1;
      if (at < 0) vm.raise("TypeError", `'${k}' is an invalid keyword argument for hex()`);
      if (at < args.length)
        vm.raise("TypeError", `argument for hex() given by name ('${k}') and position (${at + 1})`);
    }
  const sep = args[0] ?? kw?.get("sep");
  const perSepArg = args[1] ?? kw?.get("bytes_per_sep");
  // The argument parser converts bytes_per_sep (a C int) before the separator is looked at.
  let perSep = 1;
  if (perSepArg !== undefined) {
    const n = numberIndex(b, perSepArg);
    if (n >= 2n ** 31n || n < -(2n ** 31n))
      vm.raise("OverflowError", "Python int too large to convert to C int");
    perSep = Number(n);
  }
  const digits = Array.from(data, (c) => c.toString(16).padStart(2, "0"));
  if (sep === undefined) return digits.join("");
  if (b.len(sep) !== 1) vm.raise("ValueError", "sep must be length 1.");
  const k = vm.kindOf(sep);
  let code: number;
  if (k === "str") code = py.strValue(sep).codePointAt(0)!;
  else if (k === "bytes") code = b.bytesType.data(sep)[0]!;
  else return vm.raise("TypeError", "sep must be str or bytes.");
  if (code > 127) vm.raise("ValueError", "sep must be ASCII.");
  const group = Math.abs(perSep);
  if (perSep === 0 || group >= digits.length) return digits.join("");
  const mark = String.fromCharCode(code);
  let out = "";
  // Positive: the first group is the short one (groups end at the right end); negative: the last.
  const first = perSep > 0 ? digits.length % group || group : group;
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (i - first) % group === 0) out += mark;
    out += digits[i];
  }
  return out;
}

/**
 * The bytes of a bytes-like argument (bytes, bytearray, memoryview: a copy), or CPython's
 * TypeError.
 */
export function bufferArg(vm: Host, bytes: BytesType, o: Ref): Uint8Array {
  if (vm.kindOf(o) === "bytes") return bytes.data(o);
  const d = bytes.buffer?.(o);
  if (d === undefined)
    vm.raise("TypeError", `a bytes-like object is required, not '${vm.typeOf(o).name}'`);
  return d;
}

/** Installs `bytes(...)`, its methods and `str.encode`. */
export function installBytes(b: Protocols, bytes: BytesType): void {
  const vm = b.vm;
  const py = vm.py;
  const t = vm.types.bytes!;
  const encoding = (o: Ref | undefined) => codecName(vm, o);
  const method = (name: string, f: BuiltinFn) => t.methods.set(name, f);
  // bytes_repr as a method: what `bytes.__repr__(self)` in a subclass's `__repr__` reaches.
  method("__repr__", (a) => {
    if (a.length !== 1 || vm.kindOf(a[0]!) !== "bytes")
      vm.raise("TypeError", "descriptor '__repr__' requires a 'bytes' object");
    return py.str(bytesRepr(bytes.data(a[0]!)));
  });
  t.methods.set("__new__", (given, kw) => {
    // bytes_new: `source`, `encoding` and `errors` by position or by name.
    const [x, enc, errors] = namedArguments(given, kw, 0, ["source", "encoding", "errors"]);
    if (x === undefined) {
      if (enc !== undefined || errors !== undefined)
        vm.raise("TypeError", "encoding or errors without sequence argument");
      return bytes.make(new Uint8Array(0));
    }
    const k = vm.kindOf(x);
    if (enc !== undefined) {
      if (k !== "str") vm.raise("TypeError", "encoding without a string argument");
      const args = errors === undefined ? [x, enc] : [x, enc, errors];
      return vm.types.str!.methods.get("encode")!(args, null);
    }
    if (errors !== undefined)
      vm.raise(
        "TypeError",
        k === "str" ? "string argument without an encoding" : "errors without a string argument",
      );
    if (k === "int" || k === "bool") {
      const n = Number(vm.intOf(x));
      if (n < 0) vm.raise("ValueError", "negative count");
      return bytes.make(new Uint8Array(n));
    }
    if (k === "str") vm.raise("TypeError", "string argument without an encoding");
    // An exact bytes is its own copy; a subclass's instance is copied (bytes.__bytes__).
    if (k === "bytes") return vm.typeOf(x).heap ? bytes.make(bytes.data(x)) : py.newRef(x);
    const buffer = bytes.buffer?.(x);
    if (buffer !== undefined) return bytes.fresh(buffer);
    const items = b.collect(x);
    try {
      const out = new Uint8Array(items.length);
      items.forEach((i, at) => {
        const ik = vm.kindOf(i);
        if (ik !== "int" && ik !== "bool")
          vm.raise(
            "TypeError",
            `'${vm.typeOf(i).name}' object cannot be interpreted as an integer`,
          );
        const v = Number(vm.intOf(i));
        if (v < 0 || v > 255) vm.raise("ValueError", "bytes must be in range(0, 256)");
        out[at] = v;
      });
      return bytes.make(out);
    } finally {
      for (const i of items) py.decref(i);
    }
  });
  t.methods.set("fromhex", (a) => {
    // A class method: a[0] is the class.
    const text = py.strValue(a[1]!).replace(/\s+/g, "");
    if (!/^([0-9a-fA-F]{2})*$/.test(text))
      vm.raise("ValueError", "non-hexadecimal number found in fromhex() arg");
    const out = new Uint8Array(text.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
    return bytes.make(out);
  });
  installByteMethods(b, t, bytes, {
    name: "bytes",
    read: (o) => bytes.data(o),
    make: (d) => bytes.make(d),
    fresh: (d) => bytes.fresh(d),
    same: (o) => py.newRef(o),
  });
  // str.encode
  vm.types.str!.methods.set("encode", (a) =>
    bytes.make(encodeText(vm, py.strValue(a[0]!), encoding(a[1]), errorsName(vm, a[2]))),
  );
}

/**
 * How the shared bytes methods read their object and make their results: `bytes` and
 * `bytearray` have the same methods, a bytearray's results new bytearrays.
 */
export interface ByteOps {
  /** The type's name, as argument errors name its methods. */
  readonly name: string;
  /** The bytes of an object of the type (a copy). */
  read(o: Ref): Uint8Array;
  /** A result made from existing bytes (a new reference). */
  make(d: Uint8Array): Ref;
  /** A result allocated first and then filled, as CPython makes it (a new reference). */
  fresh(d: Uint8Array): Ref;
  /** The object itself as a result that changes nothing (a copy for a mutable type). */
  same(o: Ref): Ref;
}

/** Installs the methods bytes and bytearray share (decode, hex, find, split, strip…) on `t`. */
export function installByteMethods(b: Protocols, t: PyType, bytes: BytesType, ops: ByteOps): void {
  const vm = b.vm;
  const py = vm.py;
  const method = (name: string, f: BuiltinFn) => t.methods.set(name, f);
  const data = (o: Ref): Uint8Array => bufferArg(vm, bytes, o);
  method("decode", (a) => {
    const enc = codecName(vm, a[1], "decode");
    const errors = errorsName(vm, a[2], "decode");
    return py.str(decodeBytes(vm, self(a), enc, errors));
  });
  method("hex", (a, kw) => py.str(hexWithSeparator(b, self(a), a.slice(1), kw)));
  // The str-like methods, ASCII only as CPython's bytes methods are (Py_ISSPACE, Py_ISUPPER…).
  // A method that changes nothing returns the bytes object itself where CPython's does; a
  // result CPython fills after allocating it is `fresh` (no shared one-byte object).
  const self = (a: readonly Ref[]) => ops.read(a[0]!);
  const noArgs = (name: string, a: readonly Ref[]) => {
    if (a.length > 1)
      vm.raise("TypeError", `${ops.name}.${name}() takes no arguments (${a.length - 1} given)`);
  };
  const index = (o: Ref): number => {
    const k = vm.kindOf(o);
    if (k !== "int" && k !== "bool")
      vm.raise("TypeError", `'${vm.typeOf(o).name}' object cannot be interpreted as an integer`);
    return Number(vm.intOf(o));
  };
  /** ADJUST_INDICES of optional `start` and `end` arguments over `n` bytes. */
  const bounds = (n: number, start: Ref | undefined, end: Ref | undefined): [number, number] => {
    const arg = (o: Ref | undefined, dflt: number) => {
      if (o === undefined || o === py.none) return dflt;
      const k = vm.kindOf(o);
      if (k !== "int" && k !== "bool")
        vm.raise("TypeError", "slice indices must be integers or None or have an __index__ method");
      return Number(vm.intOf(o));
    };
    let s = arg(start, 0);
    let e = arg(end, n);
    if (e > n) e = n;
    else if (e < 0) e = Math.max(0, e + n);
    if (s < 0) s = Math.max(0, s + n);
    return [s, e];
  };
  /** The argument of find, count and index: a bytes or one byte given as an int. */
  const sub = (o: Ref): Uint8Array => {
    const k = vm.kindOf(o);
    if (k === "int" || k === "bool") {
      const v = Number(vm.intOf(o));
      if (v < 0 || v > 255) vm.raise("ValueError", "byte must be in range(0, 256)");
      return new Uint8Array([v]);
    }
    const d = k === "bytes" ? bytes.data(o) : bytes.buffer?.(o);
    return (
      d ??
      vm.raise(
        "TypeError",
        `argument should be integer or bytes-like object, not '${vm.typeOf(o).name}'`,
      )
    );
  };
  const space = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
  const upper = (c: number) => c >= 0x41 && c <= 0x5a;
  const lower = (c: number) => c >= 0x61 && c <= 0x7a;
  const digit = (c: number) => c >= 0x30 && c <= 0x39;
  const mapped = (name: string, f: (d: Uint8Array) => Uint8Array) =>
    method(name, (a) => {
      noArgs(name, a);
      return ops.fresh(f(self(a)));
    });
  mapped("upper", (d) => d.map((c) => (lower(c) ? c - 32 : c)));
  mapped("lower", (d) => d.map((c) => (upper(c) ? c + 32 : c)));
  mapped("swapcase", (d) => d.map((c) => (lower(c) ? c - 32 : upper(c) ? c + 32 : c)));
  mapped("capitalize", (d) =>
    d.map((c, i) => (i === 0 ? (lower(c) ? c - 32 : c) : upper(c) ? c + 32 : c)),
  );
  mapped("title", (d) => {
    let cased = false;
    return d.map((c) => {
      const out = lower(c) && !cased ? c - 32 : upper(c) && cased ? c + 32 : c;
      cased = lower(c) || upper(c);
      return out;
    });
  });
  const predicate = (name: string, f: (d: Uint8Array) => boolean) =>
    method(name, (a) => {
      noArgs(name, a);
      return py.bool(f(self(a)));
    });
  predicate("isascii", (d) => d.every((c) => c < 0x80));
  predicate("isspace", (d) => d.length > 0 && d.every(space));
  predicate("isdigit", (d) => d.length > 0 && d.every(digit));
  predicate("isalpha", (d) => d.length > 0 && d.every((c) => upper(c) || lower(c)));
  predicate("isalnum", (d) => d.length > 0 && d.every((c) => upper(c) || lower(c) || digit(c)));
  predicate("islower", (d) => d.some(lower) && !d.some(upper));
  predicate("isupper", (d) => d.some(upper) && !d.some(lower));
  predicate("istitle", (d) => {
    let cased = false;
    let previous = false;
    for (const c of d) {
      if (upper(c)) {
        if (previous) return false;
        previous = cased = true;
      } else if (lower(c)) {
        if (!previous) return false;
        previous = cased = true;
      } else previous = false;
    }
    return cased;
  });
  // strip, lstrip, rstrip: whitespace, or the bytes of their argument.
  const stripper = (left: boolean, right: boolean) => (a: readonly Ref[]) => {
    const d = self(a);
    const chars = a[1] === undefined || a[1] === py.none ? undefined : data(a[1]);
    const strip = chars ? (c: number) => chars.includes(c) : space;
    let i = 0;
    let j = d.length;
    if (left) while (i < j && strip(d[i]!)) i++;
    if (right) while (j > i && strip(d[j - 1]!)) j--;
    if (i === 0 && j === d.length) return ops.same(a[0]!);
    return ops.make(d.slice(i, j));
  };
  method("strip", stripper(true, true));
  method("lstrip", stripper(true, false));
  method("rstrip", stripper(false, true));
  /** The first (or, `reverse`, last) index of `needle` in `hay[start:end]`, or -1. */
  const search = (hay: Uint8Array, needle: Uint8Array, s: number, e: number, reverse: boolean) => {
    if (e - s < needle.length) return -1;
    if (!reverse) {
      const at = indexOf(hay.subarray(0, e), needle, s);
      return at;
    }
    for (let i = e - needle.length; i >= s; i--) if (indexOf(hay, needle, i) === i) return i;
    return -1;
  };
  const finder = (reverse: boolean, raises: boolean) => (a: readonly Ref[]) => {
    const d = self(a);
    const [s, e] = bounds(d.length, a[2], a[3]);
    const at = search(d, sub(a[1]!), s, e, reverse);
    if (at < 0 && raises) vm.raise("ValueError", "subsection not found");
    return py.intFromSsize(at);
  };
  method("find", finder(false, false));
  method("rfind", finder(true, false));
  method("index", finder(false, true));
  method("rindex", finder(true, true));
  method("count", (a) => {
    const d = self(a);
    const needle = sub(a[1]!);
    const [s, e] = bounds(d.length, a[2], a[3]);
    if (e < s) return py.intFromSsize(0);
    if (needle.length === 0) return py.intFromSsize(e - s + 1);
    let n = 0;
    for (
      let at = search(d, needle, s, e, false);
      at >= 0;
      at = search(d, needle, at + needle.length, e, false)
    )
      n++;
    return py.intFromSsize(n);
  });
  const affix = (name: string, ends: boolean) =>
    method(name, (a) => {
      const d = self(a);
      const x = a[1]!;
      const options =
        vm.kindOf(x) === "tuple"
          ? py.items(x)
          : vm.kindOf(x) === "bytes" || bytes.buffer?.(x) !== undefined
            ? [x]
            : vm.raise(
                "TypeError",
                `${name} first arg must be bytes or a tuple of bytes, not ${vm.typeOf(x).name}`,
              );
      for (const o of options) {
        const p = data(o);
        // _Py_bytes_tailmatch
        let [s, e] = bounds(d.length, a[2], a[3]);
        if (!ends) {
          if (s > d.length - p.length) continue;
        } else {
          if (e - s < p.length || s > d.length) continue;
          if (e - p.length > s) s = e - p.length;
        }
        if (e - s < p.length) continue;
        if (p.every((c, i) => d[s + i] === c)) return py.bool(true);
      }
      return py.bool(false);
    });
  affix("startswith", false);
  affix("endswith", true);
  method("replace", (a) => {
    const d = self(a);
    const from = data(a[1]!);
    const to = data(a[2]!);
    const max = a[3] === undefined ? -1 : index(a[3]);
    const limit = max < 0 ? Number.POSITIVE_INFINITY : max;
    // Where the replacements go: every position for an empty `from` (between the bytes).
    const at: number[] = [];
    if (from.length === 0) {
      for (let i = 0; i <= d.length && at.length < limit; i++) at.push(i);
    } else {
      for (
        let i = indexOf(d, from);
        i >= 0 && at.length < limit;
        i = indexOf(d, from, i + from.length)
      )
        at.push(i);
    }
    if (at.length === 0 || (from.length === 0 && to.length === 0)) return ops.same(a[0]!);
    const out: number[] = [];
    let last = 0;
    for (const i of at) {
      for (let k = last; k < i; k++) out.push(d[k]!);
      out.push(...to);
      last = i + from.length;
      // An empty `from` is replaced before each byte, the byte itself kept.
      if (from.length === 0 && i < d.length) {
        out.push(d[i]!);
        last = i + 1;
      }
    }
    for (let k = last; k < d.length; k++) out.push(d[k]!);
    return ops.fresh(new Uint8Array(out));
  });
  method("join", (a) => {
    const sep = self(a);
    const items = b.collect(a[1]!);
    try {
      const parts = items.map((i, n) => {
        const d = vm.kindOf(i) === "bytes" ? bytes.data(i) : bytes.buffer?.(i);
        return (
          d ??
          vm.raise(
            "TypeError",
            `sequence item ${n}: expected a bytes-like object, ${vm.typeOf(i).name} found`,
          )
        );
      });
      // bytes_join: one exact bytes is itself.
      if (items.length === 1 && ops.name === "bytes" && vm.kindOf(items[0]!) === "bytes")
        return py.newRef(items[0]!);
      const total =
        parts.reduce((n, p) => n + p.length, 0) + sep.length * Math.max(0, parts.length - 1);
      const out = new Uint8Array(total);
      let at = 0;
      parts.forEach((p, i) => {
        if (i > 0) {
          out.set(sep, at);
          at += sep.length;
        }
        out.set(p, at);
        at += p.length;
      });
      return ops.fresh(out);
    } finally {
      for (const i of items) py.decref(i);
    }
  });
  /** The [start, end) ranges of a split, in the order stringlib makes them. */
  const ranges = (d: Uint8Array, sep: Uint8Array | undefined, max: number, reverse: boolean) => {
    const out: [number, number][] = [];
    let limit = max < 0 ? Number.POSITIVE_INFINITY : max;
    if (sep === undefined) {
      if (!reverse) {
        let i = 0;
        while (i < d.length) {
          while (i < d.length && space(d[i]!)) i++;
          if (i === d.length) break;
          if (limit-- <= 0) {
            // The rest, its trailing whitespace kept.
            out.push([i, d.length]);
            break;
          }
          let j = i;
          while (j < d.length && !space(d[j]!)) j++;
          out.push([i, j]);
          i = j;
        }
      } else {
        let j = d.length;
        while (j > 0) {
          while (j > 0 && space(d[j - 1]!)) j--;
          if (j === 0) break;
          if (limit-- <= 0) {
            out.push([0, j]);
            break;
          }
          let i = j;
          while (i > 0 && !space(d[i - 1]!)) i--;
          out.push([i, j]);
          j = i;
        }
      }
      return out;
    }
    if (sep.length === 0) vm.raise("ValueError", "empty separator");
    if (!reverse) {
      let i = 0;
      for (let at = indexOf(d, sep, 0); at >= 0 && limit-- > 0; at = indexOf(d, sep, i)) {
        out.push([i, at]);
        i = at + sep.length;
      }
      out.push([i, d.length]);
    } else {
      let j = d.length;
      for (
        let at = search(d, sep, 0, j, true);
        at >= 0 && limit-- > 0;
        at = search(d, sep, 0, j, true)
      ) {
        out.push([at + sep.length, j]);
        j = at;
      }
      out.push([0, j]);
    }
    return out;
  };
  const splitter = (reverse: boolean, name: string) =>
    method(name, (a, kw) => {
      if (a.length > 3)
        vm.raise("TypeError", `${name}() takes at most 2 arguments (${a.length - 1} given)`);
      const d = self(a);
      const sepArg = a[1] ?? kw?.get("sep");
      const maxArg = a[2] ?? kw?.get("maxsplit");
      const sep = sepArg === undefined || sepArg === py.none ? undefined : data(sepArg);
      const max = maxArg === undefined ? -1 : index(maxArg);
      // Made in the order of `ranges`: last to first for an rsplit.
      const made = ranges(d, sep, max, reverse);
      const whole =
        made.length === 1 &&
        made[0]![0] === 0 &&
        made[0]![1] === d.length &&
        (sep !== undefined || max !== 0);
      const pieces = reverse ? made.reverse() : made;
      return splitList(
        py,
        max,
        pieces.length,
        (i) => (whole ? ops.same(a[0]!) : ops.make(d.slice(pieces[i]![0], pieces[i]![1]))),
        reverse,
      );
    });
  splitter(false, "split");
  splitter(true, "rsplit");
  method("splitlines", (a, kw) => {
    const d = self(a);
    const keepArg = a[1] ?? kw?.get("keepends");
    // keepends is a C int (`_PyLong_AsInt`): an int or an object with `__index__`.
    const keep = keepArg !== undefined && index(keepArg) !== 0;
    const l = py.list([]);
    let i = 0;
    while (i < d.length) {
      let j = i;
      while (j < d.length && d[j] !== 0x0a && d[j] !== 0x0d) j++;
      let eol = j;
      if (j < d.length) {
        j += d[j] === 0x0d && d[j + 1] === 0x0a ? 2 : 1;
        if (keep) eol = j;
      }
      const r = i === 0 && eol === d.length ? ops.same(a[0]!) : ops.make(d.slice(i, eol));
      py.append(l, r);
      py.decref(r);
      i = j;
    }
    return l;
  });
  const partition = (reverse: boolean) => (a: readonly Ref[]) => {
    const d = self(a);
    const sep = data(a[1]!);
    if (sep.length === 0) vm.raise("ValueError", "empty separator");
    const at = search(d, sep, 0, d.length, reverse);
    let parts: Ref[];
    if (at < 0) {
      const none = () => ops.make(new Uint8Array(0));
      parts = reverse ? [none(), none(), ops.same(a[0]!)] : [ops.same(a[0]!), none(), none()];
    } else {
      parts = [
        ops.make(d.slice(0, at)),
        ops.name === "bytes" ? py.newRef(a[1]!) : ops.make(sep),
        ops.make(d.slice(at + sep.length)),
      ];
    }
    const t = py.tuple(parts);
    for (const p of parts) py.decref(p);
    return t;
  };
  method("partition", partition(false));
  method("rpartition", partition(true));
  const pad = (name: string, where: (marg: number, width: number) => number) =>
    method(name, (a) => {
      const d = self(a);
      const width = index(a[1]!);
      let fill = 0x20;
      if (a[2] !== undefined) {
        const f = a[2];
        if (vm.kindOf(f) !== "bytes" || bytes.length(f) !== 1)
          vm.raise(
            "TypeError",
            `${name}() argument 2 must be a byte string of length 1, not ${vm.typeOf(f).name}`,
          );
        fill = bytes.data(f)[0]!;
      }
      if (width <= d.length) return ops.same(a[0]!);
      const out = new Uint8Array(width).fill(fill);
      out.set(d, where(width - d.length, width));
      return ops.fresh(out);
    });
  pad("ljust", () => 0);
  pad("rjust", (marg) => marg);
  // pad(): the odd byte goes left when both the margin and the width are odd.
  pad("center", (marg, width) => Math.floor(marg / 2) + (marg & width & 1));
  method("zfill", (a) => {
    const d = self(a);
    const width = index(a[1]!);
    if (width <= d.length) return ops.same(a[0]!);
    const out = new Uint8Array(width).fill(0x30);
    const fill = width - d.length;
    out.set(d, fill);
    if (d.length > 0 && (d[0] === 0x2b || d[0] === 0x2d)) {
      out[0] = d[0]!;
      out[fill] = 0x30;
    }
    return ops.fresh(out);
  });
  const remove = (suffix: boolean) => (a: readonly Ref[]) => {
    const d = self(a);
    const x = data(a[1]!);
    const match =
      x.length > 0 &&
      x.length <= d.length &&
      x.every((c, i) => d[suffix ? d.length - x.length + i : i] === c);
    if (!match) return ops.same(a[0]!);
    return ops.make(suffix ? d.slice(0, d.length - x.length) : d.slice(x.length));
  };
  method("removeprefix", remove(false));
  method("removesuffix", remove(true));
  method("expandtabs", (a, kw) => {
    const d = self(a);
    const sizeArg = a[1] ?? kw?.get("tabsize");
    const size = sizeArg === undefined ? 8 : index(sizeArg);
    const out: number[] = [];
    let column = 0;
    for (const c of d) {
      if (c === 0x09) {
        if (size > 0) {
          const n = size - (column % size);
          for (let k = 0; k < n; k++) out.push(0x20);
          column += n;
        }
      } else {
        out.push(c);
        column = c === 0x0a || c === 0x0d ? 0 : column + 1;
      }
    }
    return ops.fresh(new Uint8Array(out));
  });
}

/** The first index of `needle` in `hay` from `from`, or -1. */
export function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
