// `bytes`: CPython 3.11's PyBytesObject, a variable-size object (not a container) whose bytes
// follow a 32-byte header inline, plus a terminating NUL: 33 bytes for `b""`, one more per
// byte. The empty bytes and the 256 one-byte bytes are shared, as CPython's caches are.

import type { NativeType, Ref } from "@mm/runtime";
import type { Host, Protocols } from "./host.js";
import { SeqIter } from "./layouts.js";
import type { BuiltinFn } from "./types.js";

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

/** Installs `bytes(...)`, its methods and `str.encode`. */
export function installBytes(b: Protocols, bytes: BytesType): void {
  const vm = b.vm;
  const py = vm.py;
  const t = vm.types.bytes!;
  const method = (name: string, f: BuiltinFn) => t.methods.set(name, f);
  const data = (o: Ref): Uint8Array => {
    if (vm.kindOf(o) !== "bytes")
      vm.raise("TypeError", `a bytes-like object is required, not '${vm.typeOf(o).name}'`);
    return bytes.data(o);
  };
  const encoding = (o: Ref | undefined) => {
    const e = o === undefined ? "utf-8" : py.strValue(o).toLowerCase().replace("_", "-");
    if (e !== "utf-8" && e !== "utf8" && e !== "ascii" && e !== "latin-1" && e !== "latin1")
      vm.raise("LookupError" as never, `unknown encoding: ${o === undefined ? e : py.strValue(o)}`);
    return e;
  };
  const encode = (s: string, enc: string): Uint8Array => {
    if (enc.startsWith("utf")) return new TextEncoder().encode(s);
    const out = new Uint8Array(Array.from(s).length);
    let i = 0;
    for (const ch of s) {
      const c = ch.codePointAt(0)!;
      const limit = enc === "ascii" ? 0x80 : 0x100;
      if (c >= limit)
        vm.raise(
          "UnicodeError" as never,
          `'${enc === "ascii" ? "ascii" : "latin-1"}' codec can't encode character '\\x${c.toString(16)}' in position ${i}: ordinal not in range(${limit})`,
        );
      out[i++] = c;
    }
    return out;
  };
  t.methods.set("__new__", (args) => {
    if (args.length === 0) return bytes.make(new Uint8Array(0));
    const x = args[0]!;
    const k = vm.kindOf(x);
    if (k === "int" || k === "bool") {
      const n = Number(vm.intOf(x));
      if (n < 0) vm.raise("ValueError", "negative count");
      return bytes.make(new Uint8Array(n));
    }
    if (k === "str") {
      if (args[1] === undefined) vm.raise("TypeError", "string argument without an encoding");
      return bytes.make(encode(py.strValue(x), encoding(args[1])));
    }
    if (k === "bytes") return py.newRef(x);
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
  method("decode", (a) => {
    const enc = encoding(a[1]);
    const d = data(a[0]!);
    if (enc.startsWith("utf")) {
      try {
        return py.str(new TextDecoder("utf-8", { fatal: true }).decode(d));
      } catch {
        return vm.raise("UnicodeError" as never, "'utf-8' codec can't decode bytes");
      }
    }
    return py.str(String.fromCharCode(...d));
  });
  method("hex", (a) =>
    py.str(Array.from(data(a[0]!), (c) => c.toString(16).padStart(2, "0")).join("")),
  );
  t.methods.set("fromhex", (a) => {
    const text = py.strValue(b.isType(a[0]!) ? a[1]! : a[0]!).replace(/\s+/g, "");
    if (!/^([0-9a-fA-F]{2})*$/.test(text))
      vm.raise("ValueError", "non-hexadecimal number found in fromhex() arg");
    const out = new Uint8Array(text.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
    return bytes.make(out);
  });
  method("find", (a) => py.int(indexOf(data(a[0]!), needle(a[1]!))));
  method("split", (a) => {
    const d = data(a[0]!);
    const sep = a[1] !== undefined && a[1] !== py.none ? data(a[1]) : undefined;
    const parts: Uint8Array[] = [];
    if (sep === undefined) {
      let start = -1;
      for (let i = 0; i <= d.length; i++) {
        const space = i < d.length && (d[i] === 0x20 || (d[i]! >= 0x09 && d[i]! <= 0x0d));
        if (i < d.length && !space) {
          if (start < 0) start = i;
        } else if (start >= 0) {
          parts.push(d.slice(start, i));
          start = -1;
        }
      }
    } else {
      if (sep.length === 0) vm.raise("ValueError", "empty separator");
      let start = 0;
      for (let at = indexOf(d, sep, 0); at >= 0; at = indexOf(d, sep, start)) {
        parts.push(d.slice(start, at));
        start = at + sep.length;
      }
      parts.push(d.slice(start));
    }
    const refs = parts.map((p) => bytes.make(p));
    const l = py.list(refs);
    for (const r of refs) py.decref(r);
    return l;
  });
  const needle = (o: Ref): Uint8Array => {
    const k = vm.kindOf(o);
    if (k === "int" || k === "bool") return new Uint8Array([Number(vm.intOf(o))]);
    return data(o);
  };
  // str.encode
  vm.types.str!.methods.set("encode", (a) =>
    bytes.make(encode(py.strValue(a[0]!), encoding(a[1]))),
  );
}

/** The first index of `needle` in `hay` from `from`, or -1. */
export function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
