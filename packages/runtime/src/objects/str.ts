// str: PEP 393's compact strings (1, 2 or 4 bytes per code point), the empty and one-character
// latin-1 singletons, and interning.

import { OB_FLAGS, OB_REFCNT, OB_TYPE, ObjectFlags, type TypeDescriptor } from "@mm/heap";
import { type Hash64, hashBytes } from "./hash.js";
import type { KindTable, ObjectKind } from "./kind.js";

/**
 * `PyASCIIObject` / `PyCompactUnicodeObject` (not a container). A string of ASCII characters has
 * the 48-byte ASCII header and one byte per character; any other has the 72-byte compact header
 * (the UTF-8 cache and the wide-char pointer, unused here) and 1, 2 or 4 bytes per code point.
 * Both end with a NUL of the same width.
 *
 * ```
 *   op + 0   +------------------------+
 *            | ob_refcnt    ob_flags  |  8
 *   op + 8   | ob_type      weaklist  |  8
 *   op + 16  | length (code points)   |  8   Str.length
 *   op + 24  | hash                   |  8   Str.hash (-1: not computed yet)
 *   op + 32  | state                  |  4   Str.state: interned 2 bits, kind 3, compact, ascii
 *   op + 36  | (padding)              |  4
 *   op + 40  | wstr                   |  8
 *   op + 48  +------------------------+ ---- ASCII: the characters start here (asciiHeader)
 *            | utf8_length            |  8
 *   op + 56  | utf8                   |  8
 *   op + 64  | wstr_length            |  8
 *   op + 72  +------------------------+ ---- others: the code points start here (compactHeader)
 *            | data[0] ... data[n]    |  (n + 1) × kind, the last one NUL
 *            +------------------------+
 *   sys.getsizeof = 48 + n + 1 (ASCII), or 72 + (n + 1) × kind: '' 49, 'é' 74, '😀' 80
 * ```
 */
export const Str = {
  asciiHeader: 48,
  compactHeader: 72,
  length: 16,
  hash: 24,
  state: 32,
  /** `state` bits: interned (2 bits), kind (bits 2..4: 1, 2 or 4 bytes), ascii (bit 5). */
  internedMask: 3,
  kindShift: 2,
  asciiBit: 32,
  /**
   * `state` bit of a str that is not compact (an instance of a subclass of str, a
   * `PyUnicodeObject` of 80 bytes): its characters are in a block of their own, whose address
   * is at {@link Str.dataPointer}.
   */
  legacyBit: 64,
  /** `data.any` of a `PyUnicodeObject`: the address of a non-compact str's characters. */
  dataPointer: 72,
  /** `sizeof(PyUnicodeObject)`: the object of a non-compact str. */
  legacySize: 80,
} as const;

/** Where the characters of str `o` with `state` start (in the object, or its own block). */
function dataOf(u32: Uint32Array, o: number, state: number): number {
  if (state & Str.legacyBit) return u32[(o + Str.dataPointer) >>> 2]!;
  return o + (state & Str.asciiBit ? Str.asciiHeader : Str.compactHeader);
}

/** Code units decoded per `String.fromCharCode` call (well below engines' argument limits). */
const DECODE_CHUNK = 4096;

/** The `str` kind. */
export class StrKind implements ObjectKind {
  readonly name = "str";
  readonly type: TypeDescriptor;
  readonly #table: KindTable;
  readonly #latin1: number[] = [];
  /** Interned strings by value (`sys.intern`); the table's references are not counted. */
  readonly #interned = new Map<string, number>();
  /** The statically allocated strs, by value (see {@link StrKind.makeStatic}). */
  readonly #static = new Map<string, number>();
  /** `''` (0 until {@link start}). */
  empty = 0;

  constructor(table: KindTable) {
    this.#table = table;
    const memory = table.memory;
    this.type = table.register(
      {
        name: "str",
        basicSize: Str.asciiHeader,
        itemSize: 1,
        // unicode_sizeof: the header of the string's form, then (length + 1) × kind bytes.
        sizeOf: (o) => {
          const u32 = memory.u32;
          const state = u32[(o + Str.state) >>> 2]!;
          const kind = (state >>> Str.kindShift) & 7;
          const length = u32[(o + Str.length) >>> 2]!;
          return (state & Str.asciiBit ? Str.asciiHeader : Str.compactHeader) + (length + 1) * kind;
        },
      },
      this,
    );
  }

  /** Makes `''` and the 256 one-character latin-1 strings (immortal). */
  start(): void {
    this.empty = this.#make("", true);
    this.#table.makeImmortal(this.empty);
    for (let c = 0; c < 256; c++) {
      const o = this.#make(String.fromCharCode(c), true);
      this.#table.makeImmortal(o);
      this.#latin1.push(o);
    }
  }

  /** A str: the empty and one-character latin-1 strings are singletons. */
  create(value: string): number {
    if (value.length === 0) return this.empty;
    if (value.length === 1 && value.charCodeAt(0) < 256) return this.#latin1[value.charCodeAt(0)]!;
    return this.#make(value, false);
  }

  /**
   * A new str object even for a value CPython caches (`PyUnicode_New` and a copy, as
   * `long_to_decimal_string` makes `str(5)`): only the empty str stays the singleton.
   */
  createNew(value: string): number {
    return value.length === 0 ? this.empty : this.#make(value, false);
  }

  /** Whether `o` is a str. */
  is(o: number): boolean {
    return this.#table.memory.u32[(o + OB_TYPE) >>> 2] === this.type.id;
  }

  value(o: number): string {
    const memory = this.#table.memory;
    const u32 = memory.u32;
    const length = u32[(o + Str.length) >>> 2]!;
    const state = u32[(o + Str.state) >>> 2]!;
    const kind = (state >>> Str.kindShift) & 7;
    const data = dataOf(u32, o, state);
    if (kind === 4) {
      let out = "";
      for (let i = 0; i < length; i++)
        out += String.fromCodePoint(memory.view.getUint32(data + 4 * i, true));
      return out;
    }
    // Latin-1 and UCS-2 code units are UTF-16 code units: decode them a chunk at a time.
    const units =
      kind === 1
        ? memory.u8.subarray(data, data + length)
        : new Uint16Array(memory.u8.buffer, memory.u8.byteOffset + data, length);
    if (length <= DECODE_CHUNK)
      return String.fromCharCode.apply(null, units as unknown as number[]);
    let out = "";
    for (let i = 0; i < length; i += DECODE_CHUNK) {
      const chunk = units.subarray(i, Math.min(length, i + DECODE_CHUNK));
      out += String.fromCharCode.apply(null, chunk as unknown as number[]);
    }
    return out;
  }

  /**
   * `a + b` (PyUnicode_Concat): a new reference to a new str, or to one operand when the other
   * is empty, as CPython returns it. Strs of the same kind are joined byte for byte.
   */
  concat(a: number, b: number): number {
    const table = this.#table;
    let u32 = table.memory.u32;
    const la = u32[(a + Str.length) >>> 2]!;
    const lb = u32[(b + Str.length) >>> 2]!;
    if (la === 0 || lb === 0) {
      const o = la === 0 ? b : a;
      // PyUnicode_FromObject: a str subclass's instance is copied to a str.
      if (!this.is(o)) {
        const value = this.value(o);
        return value.length === 0 ? this.empty : this.#make(value, false);
      }
      table.host.incref(o);
      return o;
    }
    const sa = u32[(a + Str.state) >>> 2]!;
    const sb = u32[(b + Str.state) >>> 2]!;
    const kind = (sa >>> Str.kindShift) & 7;
    if (kind !== ((sb >>> Str.kindShift) & 7))
      return this.#make(this.value(a) + this.value(b), false);
    const ascii = (sa & sb & Str.asciiBit) !== 0;
    const length = la + lb;
    const items = (ascii ? 0 : Str.compactHeader - Str.asciiHeader) + (length + 1) * kind;
    const o = table.alloc(this.type.id, items);
    // The allocation may have grown the heap: take the views afresh.
    const memory = table.memory;
    u32 = memory.u32;
    u32[(o + Str.length) >>> 2] = length;
    u32[(o + Str.hash) >>> 2] = 0xffffffff;
    u32[(o + Str.hash + 4) >>> 2] = 0xffffffff;
    u32[(o + Str.state) >>> 2] = (kind << Str.kindShift) | (ascii ? Str.asciiBit : 0);
    const data = o + (ascii ? Str.asciiHeader : Str.compactHeader);
    const da = dataOf(u32, a, sa);
    const db = dataOf(u32, b, sb);
    const u8 = memory.u8;
    u8.copyWithin(data, da, da + la * kind);
    u8.copyWithin(data + la * kind, db, db + lb * kind);
    return o;
  }

  /**
   * `PyUnicode_Append(&left, right)`: takes over the caller's reference to `left` and returns
   * a reference to `left + right`. When nothing else holds `left` (a count of 1), its hash is
   * not computed yet, it is not interned and `right`'s characters fit its form (no wider, and
   * not an ASCII `left` with a non-ASCII `right`), `left` itself is resized in place
   * (`resize_compact`: a `realloc` that keeps the block while the new size fits its size class)
   * and the result may be `left` at the same address; otherwise the result is a new str (as
   * {@link concat}) and `left` loses its reference. An empty `left` gives `right` back, an
   * empty `right` gives `left` back.
   */
  append(left: number, right: number): number {
    const table = this.#table;
    let u32 = table.memory.u32;
    if (left === this.empty) {
      table.host.incref(right);
      return right;
    }
    const lb = u32[(right + Str.length) >>> 2]!;
    if (lb === 0) return left;
    const sa = u32[(left + Str.state) >>> 2]!;
    const sb = u32[(right + Str.state) >>> 2]!;
    const kind = (sa >>> Str.kindShift) & 7;
    if (
      u32[(left + OB_REFCNT) >>> 2] === 1 &&
      // unicode_modifiable and PyUnicode_CheckExact(right): exact strs only.
      this.is(left) &&
      this.is(right) &&
      u32[(left + Str.hash) >>> 2] === 0xffffffff &&
      u32[(left + Str.hash + 4) >>> 2] === 0xffffffff &&
      (sa & Str.internedMask) === 0 &&
      (u32[(left + OB_FLAGS) >>> 2]! & ObjectFlags.Immortal) === 0 &&
      ((sb >>> Str.kindShift) & 7) <= kind &&
      !((sa & Str.asciiBit) !== 0 && (sb & Str.asciiBit) === 0)
    ) {
      const la = u32[(left + Str.length) >>> 2]!;
      const length = la + lb;
      const ascii = (sa & Str.asciiBit) !== 0;
      const items = (ascii ? 0 : Str.compactHeader - Str.asciiHeader) + (length + 1) * kind;
      const o = table.resize(left, items);
      const memory = table.memory;
      u32 = memory.u32;
      u32[(o + Str.length) >>> 2] = length;
      const data = o + (ascii ? Str.asciiHeader : Str.compactHeader);
      const db = dataOf(u32, right, sb);
      const rightKind = (sb >>> Str.kindShift) & 7;
      if (rightKind === kind) {
        memory.u8.copyWithin(data + la * kind, db, db + lb * kind);
      } else {
        // A narrower right (latin-1 into UCS-2, say): widened code point by code point, as
        // _PyUnicode_FastCopyCharacters converts.
        const view = memory.view;
        for (let i = 0; i < lb; i++) {
          const c = rightKind === 1 ? memory.u8[db + i]! : view.getUint16(db + 2 * i, true);
          if (kind === 2) view.setUint16(data + 2 * (la + i), c, true);
          else view.setUint32(data + 4 * (la + i), c, true);
        }
      }
      // The terminating NUL of the new length.
      memory.u8.fill(0, data + length * kind, data + (length + 1) * kind);
      return o;
    }
    const o = this.concat(left, right);
    table.host.decref(left);
    return o;
  }

  /**
   * `hash(s)` into `out`: SipHash-1-3 of the canonical representation (1, 2 or 4 bytes per code
   * point), computed on first use and cached in the object, as `unicode_hash` does.
   */
  hash(o: number, out: Hash64): void {
    const memory = this.#table.memory;
    const u32 = memory.u32;
    const at = (o + Str.hash) >>> 2;
    const lo = u32[at]!;
    const hi = u32[at + 1]!;
    if (lo !== 0xffffffff || hi !== 0xffffffff) {
      out.lo = lo;
      out.hi = hi;
      return;
    }
    const state = u32[(o + Str.state) >>> 2]!;
    const kind = (state >>> Str.kindShift) & 7;
    const data = dataOf(u32, o, state);
    hashBytes(memory.u8, data, u32[(o + Str.length) >>> 2]! * kind, out);
    u32[at] = out.lo;
    u32[at + 1] = out.hi;
  }

  /** Whether two strs have the same value (`unicode_eq`: length, kind, then the bytes). */
  equal(a: number, b: number): boolean {
    if (a === b) return true;
    const memory = this.#table.memory;
    const u32 = memory.u32;
    const length = u32[(a + Str.length) >>> 2]!;
    const state = u32[(a + Str.state) >>> 2]!;
    if (length !== u32[(b + Str.length) >>> 2]!) return false;
    const kindMask = 7 << Str.kindShift;
    if ((state & kindMask) !== (u32[(b + Str.state) >>> 2]! & kindMask)) return false;
    const bytes = length * ((state >>> Str.kindShift) & 7);
    // An ASCII str and a latin-1 one share kind 1 but not their header's size: each side finds
    // its own data (their bytes then differ, as a latin-1 str has a byte above 127).
    const da = dataOf(u32, a, state);
    const db = dataOf(u32, b, u32[(b + Str.state) >>> 2]!);
    const u8 = memory.u8;
    for (let i = 0; i < bytes; i++) if (u8[da + i] !== u8[db + i]) return false;
    return true;
  }

  /**
   * `sys.intern(s)`: the interned string of that value, interning `s` if none is. The table's
   * references are not counted (CPython 3.11's mortal interning): the string dies as usual and
   * leaves the table.
   */
  intern(s: number): number {
    const value = this.value(s);
    const existing = this.#interned.get(value);
    const host = this.#table.host;
    if (existing !== undefined) {
      host.incref(existing);
      return existing;
    }
    this.#interned.set(value, s);
    this.#table.memory.u32[(s + Str.state) >>> 2]! |= 1;
    host.incref(s);
    return s;
  }

  /**
   * A statically allocated str of `value` (immortal, made once, borrowed): the interned str of
   * its value from now on, and a key constant's object. CPython 3.11 has such strs for the
   * identifiers of its deep-frozen modules; among them one-character ones (`'x'`) that are not
   * the cached latin-1 singletons, so `sys.intern('x')` and a code's `'x'` are not `chr(120)`.
   */
  makeStatic(value: string): number {
    let o = this.#static.get(value);
    if (o === undefined) {
      o = this.#make(value, true);
      this.#table.makeImmortal(o);
      this.#table.memory.u32[(o + Str.state) >>> 2]! |= 1;
      this.#interned.set(value, o);
      this.#static.set(value, o);
    }
    return o;
  }

  /** The statically allocated str of `value` ({@link StrKind.makeStatic}), or undefined. */
  staticOf(value: string): number | undefined {
    return this.#static.get(value);
  }

  isInterned(s: number): boolean {
    return (this.#table.memory.u32[(s + Str.state) >>> 2]! & Str.internedMask) !== 0;
  }

  /** unicode_dealloc: an interned string leaves the interned table. */
  free(o: number): void {
    if (this.isInterned(o)) this.#interned.delete(this.value(o));
    this.#table.host.release(o);
  }

  /** `repr(s)`, quoted and escaped as CPython writes it. */
  repr(o: number): string {
    const s = this.value(o);
    const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
    let out = quote;
    for (const c of s) {
      const code = c.codePointAt(0)!;
      if (c === quote || c === "\\") out += `\\${c}`;
      else if (c === "\n") out += "\\n";
      else if (c === "\r") out += "\\r";
      else if (c === "\t") out += "\\t";
      else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
      else out += c;
    }
    return out + quote;
  }

  /**
   * Makes zeroed object `o` of a subclass of str a non-compact str of `value`
   * (`unicode_subtype_new`): the characters go to a block of their own, `(length + 1) × kind`
   * bytes from the object allocator, whose address the object keeps at
   * {@link Str.dataPointer}. The hash is not computed yet.
   */
  initializeLegacy(o: number, value: string): void {
    const { length, kind, ascii } = measure(value);
    const table = this.#table;
    const block = table.malloc(table.host.obj, (length + 1) * kind);
    const memory = table.memory;
    const u32 = memory.u32;
    u32[(o + Str.length) >>> 2] = length;
    u32[(o + Str.hash) >>> 2] = 0xffffffff;
    u32[(o + Str.hash + 4) >>> 2] = 0xffffffff;
    u32[(o + Str.state) >>> 2] =
      (kind << Str.kindShift) | (ascii ? Str.asciiBit : 0) | Str.legacyBit;
    u32[(o + Str.dataPointer) >>> 2] = block;
    encode(memory, block, value, length, kind);
    memory.u8.fill(0, block + length * kind, block + (length + 1) * kind);
  }

  /** `unicode_dealloc` of a non-compact str: its characters' block goes back. */
  freeLegacyData(o: number): void {
    const u32 = this.#table.memory.u32;
    const block = u32[(o + Str.dataPointer) >>> 2]!;
    u32[(o + Str.dataPointer) >>> 2] = 0;
    if (block !== 0) this.#table.host.obj.free(block);
  }

  /** `unicode_sizeof` of a non-compact str: the 80-byte object and `(length + 1) × kind`. */
  legacySize(o: number): number {
    const u32 = this.#table.memory.u32;
    const kind = (u32[(o + Str.state) >>> 2]! >>> Str.kindShift) & 7;
    return Str.legacySize + (u32[(o + Str.length) >>> 2]! + 1) * kind;
  }

  #make(value: string, raw: boolean): number {
    const { length, kind, ascii } = measure(value);
    const items = (ascii ? 0 : Str.compactHeader - Str.asciiHeader) + (length + 1) * kind;
    const table = this.#table;
    const o = raw ? table.raw(this.type.id, items) : table.alloc(this.type.id, items);
    const memory = table.memory;
    const u32 = memory.u32;
    u32[(o + Str.length) >>> 2] = length;
    // Not hashed yet: unicode_hash computes it on first use.
    u32[(o + Str.hash) >>> 2] = 0xffffffff;
    u32[(o + Str.hash + 4) >>> 2] = 0xffffffff;
    u32[(o + Str.state) >>> 2] = (kind << Str.kindShift) | (ascii ? Str.asciiBit : 0);
    encode(memory, o + (ascii ? Str.asciiHeader : Str.compactHeader), value, length, kind);
    return o;
  }
}

/** One pass over `value` for its length in code points and PEP 393's kind. */
function measure(value: string): { length: number; kind: number; ascii: boolean } {
  let length = 0;
  let max = 0;
  for (let i = 0; i < value.length; i++, length++) {
    const code = value.codePointAt(i)!;
    if (code > 0xffff) i++;
    if (code > max) max = code;
  }
  return { length, kind: max < 256 ? 1 : max < 65536 ? 2 : 4, ascii: max < 128 };
}

/** Writes `value`'s `length` code points at `data`, `kind` bytes each. */
function encode(
  memory: KindTable["memory"],
  data: number,
  value: string,
  length: number,
  kind: number,
): void {
  if (kind === 1) {
    const u8 = memory.u8;
    for (let i = 0; i < length; i++) u8[data + i] = value.charCodeAt(i);
    return;
  }
  const view = memory.view;
  for (let i = 0, at = 0; i < value.length; i++, at++) {
    const code = value.codePointAt(i)!;
    if (code > 0xffff) i++;
    if (kind === 2) view.setUint16(data + 2 * at, code, true);
    else view.setUint32(data + 4 * at, code, true);
  }
}
