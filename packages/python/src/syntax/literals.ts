// Decoding of Python number and string literals from their source text, as CPython's
// tokenizer and Parser/string_parser.c do: the grammar only delimits a literal, these functions
// give it its value or say why it is malformed.

/** Why a literal could not be decoded: a message and where in the literal's text it applies. */
export interface LiteralProblem {
  readonly message: string;
  /** Offset into the literal's text (the caller turns it into a source position). */
  readonly offset: number;
  /** True for valid Python that the subset refuses (`\N{…}`). */
  readonly unsupported: boolean;
  /**
   * True when CPython gives the error a line but no column (offset 0): an error of the value's
   * conversion, raised after tokenizing, rather than of the literal's spelling.
   */
  readonly lineOnly?: boolean;
}

/** A decoded number: an int (bigint), a float (number) or an imaginary number, or what is wrong with it. */
export type NumberResult =
  | {
      readonly ok: true;
      readonly value: bigint | number | { readonly complex: readonly [number, number] };
    }
  | { readonly ok: false; readonly problem: LiteralProblem };

/** CPython 3.11's default `sys.get_int_max_str_digits()`. */
const INT_MAX_STR_DIGITS = 4300;

const DECIMAL_INT = /^(?:[1-9](?:_?[0-9])*|0(?:_?0)*)$/;
const HEX_INT = /^0[xX](?:_?[0-9a-fA-F])+$/;
const OCT_INT = /^0[oO](?:_?[0-7])+$/;
const BIN_INT = /^0[bB](?:_?[01])+$/;
const DIGITS = "[0-9](?:_?[0-9])*";
const FLOAT = new RegExp(
  `^(?:(?:(?:${DIGITS})?\\.${DIGITS}|${DIGITS}\\.)(?:[eE][+-]?${DIGITS})?|${DIGITS}[eE][+-]?${DIGITS})$`,
);
const IMAG = new RegExp(
  `^(?:(?:(?:${DIGITS})?\\.${DIGITS}|${DIGITS}\\.)(?:[eE][+-]?${DIGITS})?|${DIGITS}(?:[eE][+-]?${DIGITS})?)[jJ]$`,
);

function problem(message: string, offset = 0, unsupported = false): NumberResult {
  return { ok: false, problem: { message, offset, unsupported } };
}

/**
 * Decodes a number literal (`0x_ff`, `1_000`, `1e3`, `.5`) to a bigint (ints) or a number
 * (floats) or an imaginary literal (`2.5j`) to a complex constant. Malformed literals get the
 * tokenizer's messages.
 */
export function decodeNumber(text: string): NumberResult {
  if (DECIMAL_INT.test(text)) {
    // CPython 3.11 converts a decimal literal written without underscores under the int↔str
    // digit limit (CVE-2020-10735: the conversion is quadratic), so a huge one is a SyntaxError
    // before it costs anything. Zeros, and literals with underscores, take paths it does not
    // limit; so do hex, octal and binary, which convert in linear time.
    if (text.length > INT_MAX_STR_DIGITS && text[0] !== "0" && !text.includes("_")) {
      return {
        ok: false,
        problem: {
          message: `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion: value has ${text.length} digits; use sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge integer literals to avoid decimal conversion limits.`,
          offset: 0,
          unsupported: false,
          lineOnly: true,
        },
      };
    }
    return { ok: true, value: BigInt(text.replaceAll("_", "")) };
  }
  if (HEX_INT.test(text) || OCT_INT.test(text) || BIN_INT.test(text)) {
    // BigInt understands the 0x/0o/0b prefixes in either case once underscores are gone.
    return { ok: true, value: BigInt(text.replaceAll("_", "").toLowerCase()) };
  }
  if (FLOAT.test(text)) return { ok: true, value: Number(text.replaceAll("_", "")) };
  if (IMAG.test(text))
    return { ok: true, value: { complex: [0, Number(text.slice(0, -1).replaceAll("_", ""))] } };
  const prefix = text.slice(0, 2).toLowerCase();
  if (prefix === "0x") return problem("invalid hexadecimal literal", 2);
  if (prefix === "0o") return problem("invalid octal literal", 2);
  if (prefix === "0b") return problem("invalid binary literal", 2);
  if (/^0[0-9_]*$/.test(text) && /[1-9]/.test(text)) {
    return problem(
      "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
    );
  }
  // The tokenizer stops at the first underscore not followed by a digit.
  const underscore = /_(?![0-9])/.exec(text);
  return problem("invalid decimal literal", underscore?.index ?? Math.max(0, text.length - 1));
}

/** What a string literal's prefix and quotes say about it. */
export interface StringShape {
  /** Letters before the quote, lower-cased (`""`, `"r"`, `"b"`, `"rb"`, `"f"`, `"rf"`, `"u"`). */
  readonly prefix: string;
  readonly raw: boolean;
  readonly bytes: boolean;
  readonly format: boolean;
  /** The quote sequence: `'`, `"`, `'''` or `"""`. */
  readonly quote: string;
  /** Offsets of the body (between the quotes) within the literal's text. */
  readonly bodyStart: number;
  readonly bodyEnd: number;
}

/** Splits a string literal's text into prefix, quotes and body. */
export function stringShape(text: string): StringShape {
  let i = 0;
  while (i < text.length && text[i] !== "'" && text[i] !== '"') i++;
  const prefix = text.slice(0, i).toLowerCase();
  const q = text[i] ?? '"';
  const quote = text.startsWith(q.repeat(3), i) && text.length - i >= 6 ? q.repeat(3) : q;
  const bodyStart = i + quote.length;
  const bodyEnd =
    text.endsWith(quote) && text.length - quote.length >= bodyStart
      ? text.length - quote.length
      : text.length;
  return {
    prefix,
    raw: prefix.includes("r"),
    bytes: prefix.includes("b"),
    format: prefix.includes("f"),
    quote,
    bodyStart,
    bodyEnd,
  };
}

/** The result of decoding a piece of a string literal's body. */
export type DecodeResult =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly problem: LiteralProblem };

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "\n": "",
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

function isHex(s: string): boolean {
  return /^[0-9a-fA-F]+$/.test(s);
}

/**
 * Decodes the body text of a string literal (or one literal run of an f-string): backslash
 * escapes unless `raw`, and for f-strings the doubled braces. For bytes the result holds one
 * char per byte (0–255). `base` is added to the offsets of reported problems.
 */
export function decodeBody(
  body: string,
  opts: { raw: boolean; bytes: boolean; format: boolean },
  base = 0,
): DecodeResult {
  let out = "";
  let i = 0;
  const n = body.length;
  while (i < n) {
    const c = body[i] as string;
    if (c === "\\" && !opts.raw) {
      const e = body[i + 1];
      if (e === undefined) {
        out += "\\";
        i++;
        continue;
      }
      if (opts.format && (e === "{" || e === "}")) {
        // `\{` in an f-string: the backslash stays, the brace is read as a brace.
        out += "\\";
        i++;
        continue;
      }
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        i += 2;
        continue;
      }
      if (e >= "0" && e <= "7") {
        let j = i + 1;
        while (j < n && j < i + 4 && (body[j] as string) >= "0" && (body[j] as string) <= "7") j++;
        const code = Number.parseInt(body.slice(i + 1, j), 8);
        // Bytes keep the low eight bits of an out-of-range octal escape, as CPython 3.11 does.
        out += String.fromCharCode(opts.bytes ? code & 0xff : code);
        i = j;
        continue;
      }
      const width = e === "x" ? 2 : opts.bytes ? 0 : e === "u" ? 4 : e === "U" ? 8 : 0;
      if (width > 0) {
        const hex = body.slice(i + 2, i + 2 + width);
        if (hex.length < width || !isHex(hex)) {
          const kind = e === "x" ? "\\xXX" : e === "u" ? "\\uXXXX" : "\\UXXXXXXXX";
          const codec = opts.bytes
            ? `(value error) invalid \\x escape at position ${i}`
            : undefined;
          return {
            ok: false,
            problem: {
              message:
                codec ??
                `(unicode error) 'unicodeescape' codec can't decode bytes in position ${i}-${i + 1 + hex.replace(/[^0-9a-fA-F].*$/, "").length}: truncated ${kind} escape`,
              offset: base + i,
              unsupported: false,
            },
          };
        }
        const code = Number.parseInt(hex, 16);
        if (code > 0x10ffff) {
          return {
            ok: false,
            problem: {
              message: `(unicode error) 'unicodeescape' codec can't decode bytes in position ${i}-${i + 9}: illegal Unicode character`,
              offset: base + i,
              unsupported: false,
            },
          };
        }
        out += String.fromCodePoint(code);
        i += 2 + width;
        continue;
      }
      if (e === "N" && !opts.bytes) {
        return {
          ok: false,
          problem: {
            message: "\\N{...} escapes are not supported",
            offset: base + i,
            unsupported: true,
          },
        };
      }
      // An unknown escape keeps its backslash (CPython 3.11 only warns).
      out += `\\${e}`;
      i += 2;
      continue;
    }
    if (opts.format && (c === "{" || c === "}")) {
      if (body[i + 1] === c) {
        out += c;
        i += 2;
        continue;
      }
      if (c === "}") {
        return {
          ok: false,
          problem: {
            message: "f-string: single '}' is not allowed",
            offset: base + i,
            unsupported: false,
          },
        };
      }
    }
    out += c;
    i++;
  }
  return { ok: true, value: out };
}
