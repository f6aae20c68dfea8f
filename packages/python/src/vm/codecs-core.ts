// The text codecs `str.encode`, `bytes.decode`, `bytes(s, enc)`, `str(b, enc)` and the `codecs`
// module share: utf-8, utf-8-sig, utf-16 and utf-32 (with a byte order mark, and their -le and
// -be forms), ascii, latin-1 and cp1252, found by CPython's rules for encoding names
// (Lib/encodings: case folded, runs of punctuation made one underscore, then the aliases of
// encodings/aliases.py), with the error handlers of Python/codecs.c (strict, ignore, replace,
// backslashreplace, xmlcharrefreplace, surrogateescape, surrogatepass) and CPython's exact
// UnicodeEncodeError and UnicodeDecodeError messages: which run of characters or bytes each
// codec reports, and the name it reports it under ('utf-16-le' for a utf-16 decode, 'charmap'
// for cp1252).

import { isAlnum } from "../text/unicode.js";
import type { Host } from "./host.js";

/** The codecs this package implements, by the name of their module in Lib/encodings. */
export type CodecId =
  | "utf_8"
  | "utf_8_sig"
  | "utf_16"
  | "utf_16_le"
  | "utf_16_be"
  | "utf_32"
  | "utf_32_le"
  | "utf_32_be"
  | "ascii"
  | "latin_1"
  | "cp1252";

/** The name `codecs.lookup(...).name` gives each codec. */
export const codecInfoName: Readonly<Record<CodecId, string>> = {
  utf_8: "utf-8",
  utf_8_sig: "utf-8-sig",
  utf_16: "utf-16",
  utf_16_le: "utf-16-le",
  utf_16_be: "utf-16-be",
  utf_32: "utf-32",
  utf_32_le: "utf-32-le",
  utf_32_be: "utf-32-be",
  ascii: "ascii",
  latin_1: "iso8859-1",
  cp1252: "cp1252",
};

/** encodings/aliases.py's aliases of the codecs above. */
const aliases: Readonly<Record<string, CodecId>> = (() => {
  const table: Record<string, CodecId> = {};
  const add = (id: CodecId, names: string) => {
    for (const n of names.split(" ")) table[n] = id;
  };
  add("utf_8", "cp65001 u8 utf utf8 utf8_ucs2 utf8_ucs4");
  add("utf_16", "u16 utf16");
  add("utf_16_le", "unicodelittleunmarked utf_16le");
  add("utf_16_be", "unicodebigunmarked utf_16be");
  add("utf_32", "u32 utf32");
  add("utf_32_le", "utf_32le");
  add("utf_32_be", "utf_32be");
  add(
    "ascii",
    "646 ansi_x3.4_1968 ansi_x3.4_1986 ansi_x3_4_1968 cp367 csascii ibm367 iso646_us iso_646.irv_1991 iso_ir_6 us us_ascii",
  );
  add(
    "latin_1",
    "8859 cp819 csisolatin1 ibm819 iso8859 iso8859_1 iso_8859_1 iso_8859_1_1987 iso_ir_100 l1 latin latin1",
  );
  add("cp1252", "1252 windows_1252");
  return table;
})();

/** The names that reach CPython's built-in codecs directly, not through the codec registry. */
const fastNames = new Set([
  "utf8",
  "utf_8",
  "utf16",
  "utf_16",
  "utf32",
  "utf_32",
  "ascii",
  "us_ascii",
  "latin1",
  "latin_1",
  "iso_8859_1",
  "iso8859_1",
]);

/** An encoding argument resolved: the codec and how the program spelled it. */
export interface Encoding {
  readonly id: CodecId;
  /** The name as given (what a wrapped handler error quotes). */
  readonly spelling: string;
  /**
   * Whether CPython reaches the codec without its registry (`utf-8`, `ascii`, `latin-1`…): then
   * an error handler's own error (an unknown handler name) is not wrapped in
   * "encoding with 'x' codec failed (...)".
   */
  readonly fast: boolean;
}

/**
 * encodings.normalize_encoding over the lower-cased name: each run of characters other than
 * letters, digits and dots becomes one underscore (none at the start or the end); non-ASCII
 * letters and digits are dropped.
 */
export function normalizeEncoding(name: string): string {
  let out = "";
  let punct = false;
  for (const ch of name.toLowerCase()) {
    const cp = ch.codePointAt(0)!;
    if (ch === "." || (cp < 0x80 ? /[a-z0-9]/.test(ch) : isAlnum(cp))) {
      if (punct && out) out += "_";
      if (cp < 0x80) out += ch;
      punct = false;
    } else punct = true;
  }
  return out;
}

/** The codec an encoding name finds, or undefined (CPython's "unknown encoding"). */
export function findCodec(name: string): Encoding | undefined {
  const norm = normalizeEncoding(name);
  const id =
    aliases[norm] ??
    aliases[norm.replace(/\./g, "_")] ??
    (Object.hasOwn(codecInfoName, norm) ? (norm as CodecId) : undefined);
  if (id === undefined) return undefined;
  return { id, spelling: name, fast: fastNames.has(norm) };
}

/** The 32 characters cp1252 gives the bytes 0x80..0x9f (U+FFFE: undefined). */
const cp1252High = [
  0x20ac, 0xfffe, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039,
  0x0152, 0xfffe, 0x017d, 0xfffe, 0xfffe, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
  0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffe, 0x017e, 0x0178,
];
const cp1252Encode = new Map<number, number>();
for (let b = 0; b < 256; b++) {
  const c = b >= 0x80 && b < 0xa0 ? cp1252High[b - 0x80]! : b;
  if (c !== 0xfffe) cp1252Encode.set(c, b);
}

/** A character as a codec error names it: `\xe9`, `\u20ac` or `\U0001f600`. */
function escapeChar(c: number): string {
  if (c <= 0xff) return `\\x${c.toString(16).padStart(2, "0")}`;
  if (c <= 0xffff) return `\\u${c.toString(16).padStart(4, "0")}`;
  return `\\U${c.toString(16).padStart(8, "0")}`;
}

const isSurrogate = (c: number) => c >= 0xd800 && c <= 0xdfff;

/** Raises an error a handler met, wrapped as CPython's codec registry wraps it. */
function handlerError(vm: Host, enc: Encoding, op: string, type: string, message: string): never {
  if (enc.fast) vm.raise(type as never, message);
  vm.raise(type as never, `${op} with '${enc.spelling}' codec failed (${type}: ${message})`);
}

/** How each codec encodes: its units, what it cannot encode and how it reports it. */
interface Encoder {
  /** The codec's name in UnicodeEncodeError. */
  readonly name: string;
  readonly reason: string;
  /** The family: how runs are reported and what surrogateescape/surrogatepass do. */
  readonly kind: "utf8" | "ucs1" | "charmap" | "utf16" | "utf32";
  readonly bom: readonly number[];
  cannot(c: number): boolean;
  put(out: number[], c: number): void;
}

function utf8Put(out: number[], c: number): void {
  if (c < 0x80) out.push(c);
  else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
  else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  else
    out.push(
      0xf0 | (c >> 18),
      0x80 | ((c >> 12) & 0x3f),
      0x80 | ((c >> 6) & 0x3f),
      0x80 | (c & 0x3f),
    );
}

function unit16(out: number[], u: number, le: boolean): void {
  if (le) out.push(u & 0xff, u >> 8);
  else out.push(u >> 8, u & 0xff);
}

function unit32(out: number[], u: number, le: boolean): void {
  const b = [u & 0xff, (u >> 8) & 0xff, (u >> 16) & 0xff, u >>> 24];
  out.push(...(le ? b : b.reverse()));
}

function encoderOf(id: CodecId): Encoder {
  switch (id) {
    case "utf_8":
    case "utf_8_sig":
      return {
        name: "utf-8",
        reason: "surrogates not allowed",
        kind: "utf8",
        bom: id === "utf_8" ? [] : [0xef, 0xbb, 0xbf],
        cannot: isSurrogate,
        put: utf8Put,
      };
    case "ascii":
    case "latin_1": {
      const limit = id === "ascii" ? 0x80 : 0x100;
      return {
        name: id === "ascii" ? "ascii" : "latin-1",
        reason: `ordinal not in range(${limit})`,
        kind: "ucs1",
        bom: [],
        cannot: (c) => c >= limit,
        put: (out, c) => out.push(c),
      };
    }
    case "cp1252":
      return {
        name: "charmap",
        reason: "character maps to <undefined>",
        kind: "charmap",
        bom: [],
        cannot: (c) => !cp1252Encode.has(c),
        put: (out, c) => out.push(cp1252Encode.get(c)!),
      };
    default: {
      const wide = id.startsWith("utf_32");
      const le = !id.endsWith("_be");
      const put = (out: number[], c: number) => {
        if (wide) unit32(out, c, le);
        else if (c < 0x10000) unit16(out, c, le);
        else {
          unit16(out, 0xd800 | ((c - 0x10000) >> 10), le);
          unit16(out, 0xdc00 | ((c - 0x10000) & 0x3ff), le);
        }
      };
      const bom: number[] = [];
      if (id === "utf_16" || id === "utf_32") put(bom, 0xfeff);
      return {
        name: codecInfoName[id],
        reason: "surrogates not allowed",
        kind: wide ? "utf32" : "utf16",
        bom,
        cannot: isSurrogate,
        put,
      };
    }
  }
}

/** `s.encode(enc, errors)`: the bytes, or CPython's UnicodeEncodeError or handler error. */
export function encodeString(vm: Host, s: string, enc: Encoding, errors: string): Uint8Array {
  if (
    enc.id === "utf_8" &&
    !/[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ""))
  )
    return new TextEncoder().encode(s);
  const e = encoderOf(enc.id);
  const cps = Array.from(s, (ch) => ch.codePointAt(0)!);
  const out: number[] = [...e.bom];
  const fail = (start: number, end: number): never => {
    const what =
      end - start === 1
        ? `character '${escapeChar(cps[start]!)}' in position ${start}`
        : `characters in position ${start}-${end - 1}`;
    return vm.raise("UnicodeEncodeError", `'${e.name}' codec can't encode ${what}: ${e.reason}`);
  };
  const text = (t: string) => {
    for (const ch of t) e.put(out, ch.codePointAt(0)!);
  };
  let i = 0;
  while (i < cps.length) {
    const c = cps[i]!;
    if (!e.cannot(c)) {
      e.put(out, c);
      i++;
      continue;
    }
    // utf-16 and utf-32 report one character at a time, the others the whole run.
    const start = i;
    let end = i + 1;
    if (e.kind !== "utf16" && e.kind !== "utf32")
      while (end < cps.length && e.cannot(cps[end]!)) end++;
    const run = cps.slice(start, end);
    switch (errors) {
      case "strict":
        fail(start, end);
        break;
      case "ignore":
        break;
      case "replace":
        text("?".repeat(run.length));
        break;
      case "backslashreplace":
        text(run.map(escapeChar).join(""));
        break;
      case "xmlcharrefreplace":
        text(run.map((x) => `&#${x};`).join(""));
        break;
      case "surrogateescape": {
        const escapes = (x: number) => x >= 0xdc80 && x <= 0xdcff;
        if (e.kind === "utf8" || e.kind === "ucs1") {
          // The encoder writes the escapable prefix itself and reports the rest.
          let k = 0;
          while (k < run.length && escapes(run[k]!)) out.push(run[k++]! - 0xdc00);
          if (k < run.length) fail(start + k, end);
        } else if (e.kind === "charmap" && run.every(escapes))
          for (const x of run) out.push(x - 0xdc00);
        else fail(start, end);
        break;
      }
      case "surrogatepass":
        if (e.kind === "utf8") for (const x of run) utf8Put(out, x);
        else if (e.kind === "utf16" || e.kind === "utf32") for (const x of run) e.put(out, x);
        else fail(start, end);
        break;
      default:
        handlerError(vm, enc, "encoding", "LookupError", `unknown error handler name '${errors}'`);
    }
    i = end;
  }
  return new Uint8Array(out);
}

/**
 * The first error CPython's UTF-8 decoder reports in `d` from `from` (the bytes `start` to
 * `end` and the reason), or undefined when the rest is valid UTF-8. A sequence ends at its
 * first byte that cannot continue it (overlong forms, surrogates and code points past U+10FFFF
 * are refused at their second byte); a sequence cut short by the end of the data is
 * "unexpected end of data".
 */
export function utf8Error(
  d: Uint8Array,
  from = 0,
): { start: number; end: number; reason: string } | undefined {
  let i = from;
  while (i < d.length) {
    const c = d[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 3;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 4;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return { start: i, end: i + 1, reason: "invalid start byte" };
    for (let k = 1; k < n; k++) {
      const next = d[i + k];
      if (next === undefined) return { start: i, end: d.length, reason: "unexpected end of data" };
      const ok = k === 1 ? next >= lo && next <= hi : next >= 0x80 && next <= 0xbf;
      if (!ok) return { start: i, end: i + k, reason: "invalid continuation byte" };
    }
    i += n;
  }
  return undefined;
}

/** `d.decode(enc, errors)`: the text, or CPython's UnicodeDecodeError or handler error. */
export function decodeBytes(vm: Host, data: Uint8Array, enc: Encoding, errors: string): string {
  let d = data;
  let id = enc.id;
  if (id === "utf_8_sig") {
    // The mark is cut off first: positions in errors count from after it.
    if (d[0] === 0xef && d[1] === 0xbb && d[2] === 0xbf) d = d.subarray(3);
    id = "utf_8";
  }
  if (id === "utf_8" && errors === "strict" && utf8Error(d) === undefined)
    return new TextDecoder("utf-8").decode(d);
  let pos = 0;
  let name: string;
  let le = !id.endsWith("_be");
  if (id === "utf_16" || id === "utf_32") {
    const wide = id === "utf_32";
    const b = Array.from(d.subarray(0, wide ? 4 : 2));
    const is = (bytes: number[]) => b.length === bytes.length && b.every((x, k) => x === bytes[k]);
    if (is(wide ? [0xff, 0xfe, 0, 0] : [0xff, 0xfe])) pos = b.length;
    else if (is(wide ? [0, 0, 0xfe, 0xff] : [0xfe, 0xff])) {
      pos = b.length;
      le = false;
    }
  }
  if (id.startsWith("utf_16")) name = le ? "utf-16-le" : "utf-16-be";
  else if (id.startsWith("utf_32")) name = le ? "utf-32-le" : "utf-32-be";
  else
    name =
      id === "utf_8" ? "utf-8" : id === "cp1252" ? "charmap" : id === "ascii" ? "ascii" : "latin-1";
  const parts: string[] = [];
  const fail = (start: number, end: number, reason: string): never =>
    vm.raise(
      "UnicodeDecodeError",
      end - start === 1
        ? `'${name}' codec can't decode byte 0x${d[start]!.toString(16).padStart(2, "0")} in position ${start}: ${reason}`
        : `'${name}' codec can't decode bytes in position ${start}-${end - 1}: ${reason}`,
    );
  const u16 = (at: number) => (le ? d[at]! | (d[at + 1]! << 8) : (d[at]! << 8) | d[at + 1]!);
  const u32 = (at: number) =>
    (le
      ? d[at]! | (d[at + 1]! << 8) | (d[at + 2]! << 16) | (d[at + 3]! << 24)
      : (d[at]! << 24) | (d[at + 1]! << 16) | (d[at + 2]! << 8) | d[at + 3]!) >>> 0;
  // The handler of Python/codecs.c for an undecodable run: the text it stands for and where
  // decoding resumes.
  const handle = (start: number, end: number, reason: string): number => {
    switch (errors) {
      case "strict":
        return fail(start, end, reason);
      case "ignore":
        return end;
      case "replace":
        parts.push("\ufffd");
        return end;
      case "backslashreplace":
        for (let k = start; k < end; k++) parts.push(`\\x${d[k]!.toString(16).padStart(2, "0")}`);
        return end;
      case "surrogateescape": {
        let k = start;
        while (k < end && k - start < 4 && d[k]! >= 0x80)
          parts.push(String.fromCharCode(0xdc00 + d[k++]!));
        if (k === start) fail(start, end, reason);
        return k;
      }
      case "surrogatepass": {
        let c = -1;
        let n = 0;
        if (id === "utf_8" && start + 3 <= d.length) {
          n = 3;
          const [x, y, z] = [d[start]!, d[start + 1]!, d[start + 2]!];
          if ((x & 0xf0) === 0xe0 && (y & 0xc0) === 0x80 && (z & 0xc0) === 0x80)
            c = ((x & 0x0f) << 12) | ((y & 0x3f) << 6) | (z & 0x3f);
        } else if (id.startsWith("utf_16") && start + 2 <= d.length) {
          n = 2;
          c = u16(start);
        } else if (id.startsWith("utf_32") && start + 4 <= d.length) {
          n = 4;
          c = u32(start);
        }
        if (!isSurrogate(c)) fail(start, end, reason);
        parts.push(String.fromCharCode(c));
        return start + n;
      }
      case "xmlcharrefreplace":
      case "namereplace":
        return handlerError(
          vm,
          enc,
          "decoding",
          "TypeError",
          "don't know how to handle UnicodeDecodeError in error callback",
        );
      default:
        return handlerError(
          vm,
          enc,
          "decoding",
          "LookupError",
          `unknown error handler name '${errors}'`,
        );
    }
  };
  const n = d.length;
  if (id === "utf_8") {
    const utf8 = new TextDecoder("utf-8");
    while (pos < n) {
      const error = utf8Error(d, pos);
      if (!error) {
        parts.push(utf8.decode(d.subarray(pos)));
        break;
      }
      parts.push(utf8.decode(d.subarray(pos, error.start)));
      pos = handle(error.start, error.end, error.reason);
    }
  } else if (id.startsWith("utf_16")) {
    let run = "";
    while (pos < n) {
      if (n - pos < 2) {
        parts.push(run);
        run = "";
        pos = handle(pos, n, "truncated data");
        continue;
      }
      const u = u16(pos);
      if (!isSurrogate(u)) {
        run += String.fromCharCode(u);
        pos += 2;
        continue;
      }
      let error: [number, number, string] | undefined;
      if (u >= 0xdc00) error = [pos, pos + 2, "illegal encoding"];
      else if (n - pos - 2 < 2) error = [pos, n, "unexpected end of data"];
      else {
        const u2 = u16(pos + 2);
        if (u2 >= 0xdc00 && u2 <= 0xdfff) {
          run += String.fromCharCode(u, u2);
          pos += 4;
          continue;
        }
        error = [pos, pos + 2, "illegal UTF-16 surrogate"];
      }
      parts.push(run);
      run = "";
      pos = handle(...error);
    }
    parts.push(run);
  } else if (id.startsWith("utf_32")) {
    while (pos < n) {
      if (n - pos < 4) {
        pos = handle(pos, n, "truncated data");
        continue;
      }
      const c = u32(pos);
      if (c > 0x10ffff) pos = handle(pos, pos + 4, "code point not in range(0x110000)");
      else if (isSurrogate(c))
        pos = handle(pos, pos + 4, "code point in surrogate code point range(0xd800, 0xe000)");
      else {
        parts.push(String.fromCodePoint(c));
        pos += 4;
      }
    }
  } else {
    let run = "";
    while (pos < n) {
      const x = d[pos]!;
      const c = id === "cp1252" && x >= 0x80 && x < 0xa0 ? cp1252High[x - 0x80]! : x;
      if (id === "ascii" ? c >= 0x80 : c === 0xfffe) {
        parts.push(run);
        run = "";
        pos = handle(
          pos,
          pos + 1,
          id === "ascii" ? "ordinal not in range(128)" : "character maps to <undefined>",
        );
        continue;
      }
      run += String.fromCharCode(c);
      pos++;
    }
    parts.push(run);
  }
  return parts.join("");
}
