// Python's formatting as pure functions: the format-spec mini-language of `format()`, f-strings
// and `str.format` for int, bool, float and str (CPython's Python/formatter_unicode.c), the
// `str.format` template language (Objects/stringlib/unicode_format.h), and printf-style `%`
// formatting of strs (PyUnicode_Format). Values the functions cannot know (arguments of a
// template, an object's str or repr) come through callbacks.

import { raise } from "./errors.js";
import { floatToInt, formatDouble } from "./float.js";
import { intToDecimal, intToFloat } from "./int.js";
import { asciiFromRepr, strLen, strRepr } from "./str.js";
import { decimalValue } from "./unicode.js";

// ------------------------------------------------------------------ the spec mini-language

/** A parsed format spec: `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`. */
export interface FormatSpec {
  /** The fill character (a code point), " " unless given or implied by "0". */
  readonly fill: string;
  /** "<", ">", "=", "^", or undefined for the type's default. */
  readonly align: "<" | ">" | "=" | "^" | undefined;
  /** "+", "-", " ", or undefined. */
  readonly sign: "+" | "-" | " " | undefined;
  /** The z option (3.11): negative zero after rounding prints as zero. */
  readonly noNeg0: boolean;
  /** The # option: alternate form. */
  readonly alternate: boolean;
  /** The minimum width, or -1. */
  readonly width: number;
  /** The thousands separator and its group size (4 for '_' with b, o, x, X). */
  readonly grouping: { readonly separator: "," | "_"; readonly size: 3 | 4 } | undefined;
  /** The precision, or -1. */
  readonly precision: number;
  /** The presentation type (one code point), or "" for none. */
  readonly type: string;
}

const SSIZE_MAX = (1n << 63n) - 1n;

/** Beyond this many characters a result cannot be built (CPython would fail to allocate it). */
const MAX_TEXT = 1 << 28;

/** `fill` repeated `count` times, or MemoryError when that is more than can be built. */
function repeat(fill: string, count: number): string {
  if (count > MAX_TEXT) raise("MemoryError", "");
  return count > 0 ? fill.repeat(count) : "";
}

function formatError(message: string): never {
  return raise("ValueError", message);
}

/** Reads a run of decimal digits (Unicode ones too) at `points[i]`; returns [value, end]. */
function readInteger(points: readonly string[], i: number): [number, number] {
  let value = 0n;
  let j = i;
  while (j < points.length) {
    const digit = decimalValue(points[j]!.codePointAt(0)!);
    if (digit < 0) break;
    value = value * 10n + BigInt(digit);
    if (value > SSIZE_MAX) formatError("Too many decimal digits in format string");
    j++;
  }
  return [j === i ? -1 : Number(value), j];
}

/** The message CPython writes for a code point in an error: the char itself, or \x escape. */
function codeName(ch: string): string {
  const cp = ch.codePointAt(0)!;
  return cp > 32 && cp < 128 ? `'${ch}'` : `'\\x${cp.toString(16)}'`;
}

/**
 * Parses a format spec for an object of type `typeName`, whose default presentation type is
 * `defaultType` ("" for none) and default alignment `defaultAlign` — CPython's
 * parse_internal_render_format_spec, with its checks and messages.
 */
export function parseFormatSpec(
  spec: string,
  typeName: string,
  defaultType: string,
  defaultAlign: "<" | ">",
): FormatSpec {
  const p = Array.from(spec);
  const n = p.length;
  let i = 0;
  let fill = " ";
  let align: FormatSpec["align"];
  let fillGiven = false;
  const isAlign = (c: string | undefined) => c === "<" || c === ">" || c === "=" || c === "^";
  if (n - i >= 2 && isAlign(p[i + 1])) {
    fill = p[i]!;
    align = p[i + 1] as FormatSpec["align"];
    fillGiven = true;
    i += 2;
  } else if (n - i >= 1 && isAlign(p[i])) {
    align = p[i] as FormatSpec["align"];
    i++;
  }
  let sign: FormatSpec["sign"];
  if (p[i] === "+" || p[i] === "-" || p[i] === " ") {
    sign = p[i] as FormatSpec["sign"];
    i++;
  }
  let noNeg0 = false;
  if (p[i] === "z") {
    noNeg0 = true;
    i++;
  }
  let alternate = false;
  if (p[i] === "#") {
    alternate = true;
    i++;
  }
  // "0" before the width: zero fill, and sign-aware padding for types aligned right by default.
  if (!fillGiven && p[i] === "0") {
    fill = "0";
    if (align === undefined && defaultAlign === ">") align = "=";
    i++;
  }
  const [width, afterWidth] = readInteger(p, i);
  i = afterWidth;
  let separator: "," | "_" | undefined;
  if (p[i] === ",") {
    separator = ",";
    i++;
  }
  if (p[i] === "_") {
    if (separator !== undefined) formatError("Cannot specify both ',' and '_'.");
    separator = "_";
    i++;
  }
  if (p[i] === "," && separator === "_") formatError("Cannot specify both ',' and '_'.");
  let precision = -1;
  if (p[i] === ".") {
    const [value, end] = readInteger(p, i + 1);
    if (value < 0) formatError("Format specifier missing precision");
    precision = value;
    i = end;
  }
  if (n - i > 1) {
    formatError(`Invalid format specifier '${spec}' for object of type '${typeName}'`);
  }
  const type = n - i === 1 ? p[i]! : defaultType;
  let grouping: FormatSpec["grouping"];
  if (separator !== undefined) {
    if (type === "" || "defgEG%F".includes(type)) grouping = { separator, size: 3 };
    else if ("boxX".includes(type) && separator === "_") grouping = { separator, size: 4 };
    else formatError(`Cannot specify '${separator}' with ${codeName(type)}.`);
  }
  return { fill, align, sign, noNeg0, alternate, width, grouping, precision, type };
}

function unknownCode(type: string, typeName: string): never {
  return formatError(`Unknown format code ${codeName(type)} for object of type '${typeName}'`);
}

/**
 * Inserts the separator every `size` digits from the right, and, while `minWidth` is not met,
 * zeros on the left — separators included, as CPython's _PyUnicode_InsertThousandsGrouping
 * does for zero padding ('0,001,234'). A size of 0 means no grouping.
 */
function groupDigits(digits: string, minWidth: number, size: number, separator: string): string {
  let remaining = digits.length;
  let end = digits.length;
  let out = "";
  let useSeparator = false;
  let done = false;
  const emit = (l: number) => {
    const zeros = Math.max(0, l - remaining);
    const chars = Math.max(0, Math.min(remaining, l));
    out =
      repeat("0", zeros) + digits.slice(end - chars, end) + (useSeparator ? separator : "") + out;
    end -= chars;
    remaining -= chars;
  };
  if (size > 0) {
    while (true) {
      const l = Math.min(size, Math.max(remaining, minWidth, 1));
      emit(l);
      useSeparator = true;
      minWidth -= l;
      if (remaining <= 0 && minWidth <= 0) {
        done = true;
        break;
      }
      minWidth -= separator.length;
    }
  }
  if (!done) emit(Math.max(remaining, minWidth, 1));
  return out;
}

/**
 * Lays out a formatted number as CPython's calc_number_widths and fill_number do: padding,
 * sign, prefix, sign-aware padding, grouped digits, decimal point and the rest.
 */
function layoutNumber(
  spec: FormatSpec,
  negative: boolean,
  prefix: string,
  digits: string,
  decimal: string,
  remainder: string,
): string {
  const sign = negative ? "-" : spec.sign === "+" ? "+" : spec.sign === " " ? " " : "";
  const fixed = sign.length + prefix.length + decimal.length + strLen(remainder);
  const zeroPad = spec.fill === "0" && spec.align === "=";
  const minWidth = zeroPad ? spec.width - fixed : 0;
  const separator = spec.grouping?.separator ?? "";
  const grouped =
    digits === "" ? "" : groupDigits(digits, minWidth, spec.grouping?.size ?? 0, separator);
  const padding = spec.width - (fixed + grouped.length);
  let left = "";
  let inner = "";
  let right = "";
  if (padding > 0) {
    const align = spec.align ?? ">";
    if (align === "<") right = repeat(spec.fill, padding);
    else if (align === "^") {
      left = repeat(spec.fill, Math.floor(padding / 2));
      right = repeat(spec.fill, padding - Math.floor(padding / 2));
    } else if (align === "=") inner = repeat(spec.fill, padding);
    else left = repeat(spec.fill, padding);
  }
  return left + sign + prefix + inner + grouped + decimal + remainder + right;
}

/** Pads a str to the spec's width, as format_string_internal does. */
function padText(text: string, spec: FormatSpec, defaultAlign: "<" | ">"): string {
  const len = strLen(text);
  if (spec.width <= len) return text;
  const total = spec.width - len;
  const align = spec.align ?? defaultAlign;
  const left = align === ">" ? total : align === "^" ? Math.floor(total / 2) : 0;
  return repeat(spec.fill, left) + text + repeat(spec.fill, total - left);
}

/** `format(s, spec)` of a str: alignment, fill, width, and precision as a maximum length. */
export function formatStr(s: string, specText: string, typeName = "str"): string {
  if (specText === "") return s;
  const spec = parseFormatSpec(specText, typeName, "s", "<");
  if (spec.type !== "s") unknownCode(spec.type, typeName);
  if (spec.sign === " ") formatError("Space not allowed in string format specifier");
  if (spec.sign !== undefined) formatError("Sign not allowed in string format specifier");
  if (spec.noNeg0) formatError("Negative zero coercion (z) not allowed in string format specifier");
  if (spec.alternate) formatError("Alternate form (#) not allowed in string format specifier");
  if (spec.align === "=") formatError("'=' alignment not allowed in string format specifier");
  let text = s;
  if (spec.precision >= 0 && strLen(s) > spec.precision) {
    text = Array.from(s).slice(0, spec.precision).join("");
  }
  return padText(text, spec, "<");
}

/** Float presentation of a parsed spec (format_float_internal), for floats and ints alike. */
function formatFloatSpec(x: number, spec: FormatSpec): string {
  if (spec.precision > 2147483647) formatError("precision too big");
  let type = spec.type;
  let precision = spec.precision;
  let addDot0 = false;
  let defaultPrecision = 6;
  if (type === "") {
    // No type: repr's digits without a precision, else 'g' that keeps a ".0".
    addDot0 = true;
    type = "r";
    defaultPrecision = 0;
  }
  if (type === "n") type = "g";
  let value = x;
  let percent = "";
  if (type === "%") {
    type = "f";
    value = x * 100;
    percent = "%";
  }
  if (precision < 0) precision = defaultPrecision;
  else if (type === "r") type = "g";
  const text =
    formatDouble(value, type as "e" | "E" | "f" | "F" | "g" | "G" | "r", precision, {
      alt: spec.alternate,
      addDot0,
      noNeg0: spec.noNeg0,
    }) + percent;
  const negative = text.startsWith("-");
  const body = negative ? text.slice(1) : text;
  // Split into leading digits, the decimal point, and the rest (CPython's parse_number).
  let k = 0;
  while (k < body.length && body.charCodeAt(k) >= 48 && body.charCodeAt(k) <= 57) k++;
  const hasDecimal = body[k] === ".";
  return layoutNumber(
    spec,
    negative,
    "",
    body.slice(0, k),
    hasDecimal ? "." : "",
    body.slice(hasDecimal ? k + 1 : k),
  );
}

/** `format(x, spec)` of a float: types e E f F g G n % and none. */
export function formatFloat(x: number, specText: string, typeName = "float"): string {
  if (specText === "") return formatDouble(x, "r", 0, { addDot0: true });
  const spec = parseFormatSpec(specText, typeName, "", ">");
  if (!["", "e", "E", "f", "F", "g", "G", "n", "%"].includes(spec.type))
    unknownCode(spec.type, typeName);
  return formatFloatSpec(x, spec);
}

/**
 * `format(n, spec)` of an int (or an int subclass named `typeName`, like bool): types b c d o x
 * X n, and the float types after conversion to float.
 */
export function formatInt(n: bigint, specText: string, typeName = "int"): string {
  if (specText === "") return intToDecimal(n);
  const spec = parseFormatSpec(specText, typeName, "d", ">");
  const type = spec.type;
  if ("eEfFgG%".includes(type)) return formatFloatSpec(intToFloat(n), spec);
  if (!"bcdoxXn".includes(type)) unknownCode(type, typeName);
  if (spec.precision !== -1) formatError("Precision not allowed in integer format specifier");
  if (spec.noNeg0)
    formatError("Negative zero coercion (z) not allowed in integer format specifier");
  if (type === "c") {
    if (spec.sign !== undefined) formatError("Sign not allowed with integer format specifier 'c'");
    if (spec.alternate)
      formatError("Alternate form (#) not allowed with integer format specifier 'c'");
    if (n > 2n ** 63n - 1n || n < -(2n ** 63n))
      raise("OverflowError", "Python int too large to convert to C long");
    if (n < 0n || n > 0x10ffffn) raise("OverflowError", "%c arg not in range(0x110000)");
    // The character is laid out as "remainder": never grouped, never zero-padded as a digit.
    return layoutNumber(spec, false, "", "", "", String.fromCodePoint(Number(n)));
  }
  const negative = n < 0n;
  const magnitude = negative ? -n : n;
  let digits: string;
  let prefix = "";
  if (type === "d" || type === "n") digits = intToDecimal(magnitude);
  else {
    const base = type === "b" ? 2 : type === "o" ? 8 : 16;
    digits = magnitude.toString(base);
    if (spec.alternate) prefix = type === "b" ? "0b" : type === "o" ? "0o" : "0x";
    if (type === "X") {
      digits = digits.toUpperCase();
      prefix = prefix.toUpperCase();
    }
  }
  return layoutNumber(spec, negative, prefix, digits, "", "");
}

/** `format(b, spec)` of a bool: its name for an empty spec, else the int 0 or 1. */
export function formatBool(b: boolean, specText: string): string {
  if (specText === "") return b ? "True" : "False";
  return formatInt(b ? 1n : 0n, specText, "bool");
}

// ------------------------------------------------------------------ str.format

/** What `strFormat` needs from the evaluator; `V` is its value type. */
export interface TemplateHooks<V> {
  /** The positional argument at `index`, or undefined past the end. */
  positional(index: number): V | undefined;
  /** The keyword argument `name`, or undefined when absent. */
  keyword(name: string): V | undefined;
  /** `getattr(value, name)`. */
  attribute(value: V, name: string): V;
  /** `value[key]`: an int key when the brackets hold only digits, else a str key. */
  item(value: V, key: number | string): V;
  /** `!r`, `!s`, `!a`: the value's repr, str or ascii, as a str value. */
  convert(value: V, conversion: "r" | "s" | "a"): V;
  /** `format(value, spec)`. */
  format(value: V, spec: string): string;
}

/** Auto-numbering state shared by a template and its nested specs. */
interface Numbering {
  state: "init" | "auto" | "manual";
  next: number;
}

/** The field name's first part as an index, or -1 when it is not all decimal digits. */
function fieldIndex(text: string): number {
  if (text === "") return -1;
  const points = Array.from(text);
  const [value, end] = readInteger(points, 0);
  return end === points.length ? value : -1;
}

/** Resolves a field name (`0`, `name`, `0.attr[key]`, or empty for the next positional). */
function fieldValue<V>(name: string, hooks: TemplateHooks<V>, numbering: Numbering): V {
  const points = Array.from(name);
  let i = 0;
  while (i < points.length && points[i] !== "." && points[i] !== "[") i++;
  const first = points.slice(0, i).join("");
  let index = fieldIndex(first);
  const empty = first === "";
  if (empty || index !== -1) {
    if (numbering.state === "init") numbering.state = empty ? "auto" : "manual";
    if (numbering.state === "manual" && empty) {
      formatError("cannot switch from manual field specification to automatic field numbering");
    }
    if (numbering.state === "auto" && !empty) {
      formatError("cannot switch from automatic field numbering to manual field specification");
    }
    if (empty) index = numbering.next++;
  }
  let value: V;
  if (index === -1) {
    const found = hooks.keyword(first);
    if (found === undefined) raise("KeyError", strRepr(first));
    value = found;
  } else {
    const found = hooks.positional(index);
    if (found === undefined) {
      raise("IndexError", `Replacement index ${index} out of range for positional args tuple`);
    }
    value = found;
  }
  // The rest: .attribute and [key] accessors, in order.
  while (i < points.length) {
    const c = points[i++];
    let j = i;
    if (c === ".") {
      while (j < points.length && points[j] !== "." && points[j] !== "[") j++;
      const attr = points.slice(i, j).join("");
      if (attr === "") formatError("Empty attribute in format string");
      value = hooks.attribute(value, attr);
      i = j;
    } else if (c === "[") {
      while (j < points.length && points[j] !== "]") j++;
      if (j === points.length) formatError("Missing ']' in format string");
      const key = points.slice(i, j).join("");
      if (key === "") formatError("Empty attribute in format string");
      const k = fieldIndex(key);
      value = hooks.item(value, k === -1 ? key : k);
      i = j + 1;
    } else {
      formatError("Only '.' or '[' may follow ']' in format field specifier");
    }
  }
  return value;
}

/** One replacement field as parse_field splits it. */
interface Field {
  readonly name: string;
  readonly conversion: string;
  readonly spec: string;
  readonly specHasFields: boolean;
}

/** Parses the field starting after its '{' at `points[i]`; returns it and the index after '}'. */
function parseField(points: readonly string[], i: number): [Field, number] {
  const n = points.length;
  const nameStart = i;
  let c = "";
  while (i < n) {
    c = points[i++]!;
    if (c === "{") formatError("unexpected '{' in field name");
    if (c === "[") {
      while (i < n && points[i] !== "]") i++;
      continue;
    }
    if (c === "}" || c === ":" || c === "!") break;
  }
  if (c !== "}" && c !== ":" && c !== "!") formatError("expected '}' before end of string");
  const name = points.slice(nameStart, i - 1).join("");
  if (c === "}") return [{ name, conversion: "", spec: "", specHasFields: false }, i];
  let conversion = "";
  if (c === "!") {
    if (i >= n) formatError("end of string while looking for conversion specifier");
    conversion = points[i++]!;
    if (i < n) {
      const after = points[i++]!;
      if (after === "}") return [{ name, conversion, spec: "", specHasFields: false }, i];
      if (after !== ":") formatError("expected ':' after conversion specifier");
    }
  }
  const specStart = i;
  let depth = 1;
  let specHasFields = false;
  while (i < n) {
    const d = points[i++]!;
    if (d === "{") {
      specHasFields = true;
      depth++;
    } else if (d === "}" && --depth === 0) {
      return [
        { name, conversion, spec: points.slice(specStart, i - 1).join(""), specHasFields },
        i,
      ];
    }
  }
  return formatError("unmatched '{' in format spec");
}

function renderTemplate<V>(
  template: string,
  hooks: TemplateHooks<V>,
  depth: number,
  numbering: Numbering,
): string {
  if (depth <= 0) formatError("Max string recursion exceeded");
  const points = Array.from(template);
  const n = points.length;
  let out = "";
  let i = 0;
  while (i < n) {
    // Literal text up to a brace; doubled braces are literal braces.
    const c = points[i++]!;
    if (c !== "{" && c !== "}") {
      out += c;
      continue;
    }
    const atEnd = i >= n;
    if (c === "}" && (atEnd || points[i] !== "}"))
      formatError("Single '}' encountered in format string");
    if (atEnd && c === "{") formatError("Single '{' encountered in format string");
    if (points[i] === c) {
      out += c;
      i++;
      continue;
    }
    const [field, next] = parseField(points, i);
    i = next;
    let value = fieldValue(field.name, hooks, numbering);
    if (field.conversion !== "") {
      const conv = field.conversion;
      if (conv !== "r" && conv !== "s" && conv !== "a") {
        const cp = conv.codePointAt(0)!;
        formatError(
          `Unknown conversion specifier ${cp > 32 && cp < 127 ? conv : `\\x${cp.toString(16)}`}`,
        );
      }
      value = hooks.convert(value, conv);
    }
    const spec = field.specHasFields
      ? renderTemplate(field.spec, hooks, depth - 1, numbering)
      : field.spec;
    out += hooks.format(value, spec);
  }
  return out;
}

/**
 * `template.format(*args, **kwargs)`: literal text with `{{`/`}}`, replacement fields
 * `{name!conv:spec}` with automatic or manual numbering, attribute and item access, and
 * nested fields in the spec (two levels deep at most, as CPython allows).
 */
export function strFormat<V>(template: string, hooks: TemplateHooks<V>): string {
  return renderTemplate(template, hooks, 2, { state: "init", next: 0 });
}

// ------------------------------------------------------------------ printf-style %

/** What `percentFormat` needs from the evaluator; `V` is its value type. */
export interface PercentHooks<V> {
  /** The items of a tuple, or undefined for any other value. */
  tupleItems(value: V): readonly V[] | undefined;
  /** Whether the value is a mapping for `%(key)s` (has __getitem__; not a tuple or str). */
  isMapping(value: V): boolean;
  /** `mapping[key]`. */
  getItem(mapping: V, key: string): V;
  /** `str(value)`. */
  str(value: V): string;
  /** `repr(value)`. */
  repr(value: V): string;
  /** The value's int (int or bool) as a bigint, its float as a number, else undefined. */
  number(value: V): bigint | number | undefined;
  /** The value's str when it is a str, else undefined. */
  text(value: V): string | undefined;
  /** The name of the value's type, for error messages. */
  typeName(value: V): string;
  /**
   * Present when the template is bytes (PEP 461, `_PyBytes_FormatEx`): the template and the
   * result are then latin-1 text, one character a byte.
   */
  bytes?: BytesPercentHooks<V>;
}

/** What `bytes % args` needs beyond `PercentHooks`. */
export interface BytesPercentHooks<V> {
  /**
   * The bytes of `%s`/`%b`'s argument as latin-1 text: a bytes-like object's, or what its
   * `__bytes__` returns; undefined when it has neither.
   */
  buffer(value: V): string | undefined;
  /** The single byte of a bytes or bytearray of length one, for `%c`; else undefined. */
  singleByte(value: V): number | undefined;
}

interface Conversion {
  flags: { left: boolean; sign: boolean; blank: boolean; alt: boolean; zero: boolean };
  width: number;
  precision: number;
  ch: string;
}

/** An int conversion (d i u o x X) of `n`, before padding (CPython's _PyUnicode_FormatLong). */
function formatLongPercent(n: bigint, alt: boolean, precision: number, ch: string): string {
  const negative = n < 0n;
  const magnitude = negative ? -n : n;
  let digits: string;
  let prefix = "";
  if (ch === "o") {
    digits = magnitude.toString(8);
    if (alt) prefix = "0o";
  } else if (ch === "x" || ch === "X") {
    digits = magnitude.toString(16);
    if (alt) prefix = "0x";
  } else digits = intToDecimal(magnitude);
  if (precision > digits.length) digits = repeat("0", precision - digits.length) + digits;
  const text = (negative ? "-" : "") + prefix + digits;
  return ch === "X" ? text.toUpperCase() : text;
}

/**
 * `template % arg`: conversions `%[(key)][flags][width][.precision][hlL]type` with flags
 * `- + space # 0`, `*` widths and precisions, types d i u o x X e E f F g G c s r a and `%%`,
 * over a tuple of arguments, a mapping, or a single value.
 */
export function percentFormat<V>(template: string, arg: V, hooks: PercentHooks<V>): string {
  const points = Array.from(template);
  const n = points.length;
  const items = hooks.tupleItems(arg);
  const dict =
    items === undefined && hooks.isMapping(arg) && hooks.text(arg) === undefined ? arg : undefined;
  let args: readonly V[] = items ?? [arg];
  let argLength = items === undefined ? -1 : items.length;
  let argIndex = items === undefined ? -2 : 0;
  let single: V = arg;

  const nextArg = (): V => {
    if (argIndex < argLength) {
      const k = argIndex++;
      return argLength < 0 ? single : args[k]!;
    }
    return raise("TypeError", "not enough arguments for format string");
  };
  const notAll = (): never =>
    raise(
      "TypeError",
      `not all arguments converted during ${hooks.bytes ? "bytes" : "string"} formatting`,
    );

  let out = "";
  let i = 0;
  while (i < n) {
    const c = points[i++]!;
    if (c !== "%") {
      out += c;
      continue;
    }
    // "%%" is a literal percent sign; a "%" after flags or a width is a conversion like any
    // other, and an unsupported one.
    if (points[i] === "%") {
      out += "%";
      i++;
      continue;
    }
    const conv: Conversion = {
      flags: { left: false, sign: false, blank: false, alt: false, zero: false },
      width: -1,
      precision: -1,
      ch: "",
    };
    const incomplete = (): never => formatError("incomplete format");
    if (points[i] === "(") {
      if (dict === undefined) raise("TypeError", "format requires a mapping");
      let depth = 1;
      const keyStart = ++i;
      while (depth > 0 && i < n) {
        if (points[i] === ")") depth--;
        else if (points[i] === "(") depth++;
        i++;
      }
      if (depth > 0) formatError("incomplete format key");
      single = hooks.getItem(dict, points.slice(keyStart, i - 1).join(""));
      args = [];
      argLength = -1;
      argIndex = -2;
    }
    const read = (): string => (i < n ? points[i++]! : incomplete());
    let ch = read();
    for (;;) {
      if (ch === "-") conv.flags.left = true;
      else if (ch === "+") conv.flags.sign = true;
      else if (ch === " ") conv.flags.blank = true;
      else if (ch === "#") conv.flags.alt = true;
      else if (ch === "0") conv.flags.zero = true;
      else break;
      ch = read();
    }
    const starArg = (bits: 32 | 64): number => {
      const v = nextArg();
      const num = hooks.number(v);
      if (typeof num !== "bigint") return raise("TypeError", "* wants int");
      const limit = 1n << BigInt(bits - 1);
      if (num >= limit || num < -limit) {
        raise(
          "OverflowError",
          `Python int too large to convert to C ${bits === 64 ? "ssize_t" : "int"}`,
        );
      }
      return Number(num);
    };
    if (ch === "*") {
      conv.width = starArg(64);
      if (conv.width < 0) {
        conv.flags.left = true;
        conv.width = -conv.width;
      }
      ch = read();
    } else if (ch >= "0" && ch <= "9") {
      conv.width = Number(ch);
      ch = read();
      while (ch >= "0" && ch <= "9") {
        conv.width = conv.width * 10 + Number(ch);
        if (conv.width > Number.MAX_SAFE_INTEGER) formatError("width too big");
        ch = read();
      }
    }
    if (ch === ".") {
      conv.precision = 0;
      ch = read();
      if (ch === "*") {
        conv.precision = Math.max(0, starArg(32));
        ch = read();
      } else if (ch >= "0" && ch <= "9") {
        conv.precision = Number(ch);
        ch = read();
        while (ch >= "0" && ch <= "9") {
          conv.precision = conv.precision * 10 + Number(ch);
          if (conv.precision > 2147483647) formatError("precision too big");
          ch = read();
        }
      }
    }
    if (ch === "h" || ch === "l" || ch === "L") ch = read();
    conv.ch = ch;
    out += percentConversion(conv, nextArg(), hooks, i - 1);
    if (dict !== undefined && argIndex < argLength) notAll();
  }
  if (argIndex < argLength && dict === undefined) notAll();
  return out;
}

/** One conversion of `%` formatting, padded (unicode_format_arg_format and _output). */
function percentConversion<V>(
  conv: Conversion,
  v: V,
  hooks: PercentHooks<V>,
  index: number,
): string {
  const { ch, flags } = conv;
  let text: string;
  let numeric = false;
  const bytes = hooks.bytes;
  if (bytes !== undefined && (ch === "s" || ch === "b")) {
    const data = bytes.buffer(v);
    if (data === undefined)
      return raise(
        "TypeError",
        `%b requires a bytes-like object, or an object that implements __bytes__, not '${hooks.typeName(v)}'`,
      );
    text = data;
  } else if (bytes !== undefined && (ch === "r" || ch === "a")) {
    text = asciiFromRepr(hooks.repr(v));
  } else if (bytes !== undefined && ch === "c") {
    const single = bytes.singleByte(v);
    const num = hooks.number(v);
    if (single !== undefined) text = String.fromCharCode(single);
    else if (typeof num === "bigint") {
      if (num < 0n || num > 255n) raise("OverflowError", "%c arg not in range(256)");
      text = String.fromCharCode(Number(num));
    } else return raise("TypeError", "%c requires an integer in range(256) or a single byte");
  } else if (ch === "s" || ch === "r" || ch === "a") {
    text = ch === "s" ? hooks.str(v) : ch === "r" ? hooks.repr(v) : asciiFromRepr(hooks.repr(v));
  } else if ("diuoxX".includes(ch)) {
    const num = hooks.number(v);
    let int: bigint;
    if (typeof num === "bigint") int = num;
    else if (typeof num === "number" && !"oxX".includes(ch)) int = floatToInt(num);
    else if ("oxX".includes(ch)) {
      return raise("TypeError", `%${ch} format: an integer is required, not ${hooks.typeName(v)}`);
    } else
      return raise(
        "TypeError",
        // bytes_format reads `%i` as `%d` before it converts.
        `%${bytes && ch === "i" ? "d" : ch} format: a real number is required, not ${hooks.typeName(v)}`,
      );
    text = formatLongPercent(int, flags.alt, conv.precision, ch);
    numeric = true;
  } else if ("eEfFgG".includes(ch)) {
    const num = hooks.number(v);
    if (num === undefined)
      return raise(
        "TypeError",
        bytes
          ? `float argument required, not ${hooks.typeName(v)}`
          : `must be real number, not ${hooks.typeName(v)}`,
      );
    const x = typeof num === "bigint" ? intToFloat(num) : num;
    text = formatDouble(x, ch as "e", conv.precision < 0 ? 6 : conv.precision, { alt: flags.alt });
    numeric = true;
  } else if (ch === "c") {
    const s = hooks.text(v);
    const num = hooks.number(v);
    if (s !== undefined) {
      if (strLen(s) !== 1) raise("TypeError", "%c requires int or char");
      text = s;
    } else if (typeof num === "bigint") {
      if (num < 0n || num > 0x10ffffn) raise("OverflowError", "%c arg not in range(0x110000)");
      text = String.fromCodePoint(Number(num));
    } else return raise("TypeError", "%c requires int or char");
  } else {
    const cp = ch.codePointAt(0)!;
    // bytes_format passes the byte as a signed char to PyErr_Format's %c.
    if (bytes && cp >= 0x80) raise("OverflowError", "character argument not in range(0x110000)");
    const shown = cp >= 31 && cp <= 126 ? ch : "?";
    return formatError(
      `unsupported format character '${shown}' (0x${cp.toString(16)}) at index ${index}`,
    );
  }
  return padConversion(conv, text, numeric);
}

/** Width, sign, prefix and zero padding of one conversion (unicode_format_arg_output). */
function padConversion(conv: Conversion, text: string, numeric: boolean): string {
  const { flags, ch } = conv;
  const fill = numeric && flags.zero ? "0" : " ";
  let points = Array.from(text);
  if (
    (ch === "s" || ch === "r" || ch === "a" || ch === "b") &&
    conv.precision >= 0 &&
    points.length > conv.precision
  ) {
    points = points.slice(0, conv.precision);
  }
  let len = points.length;
  let width = conv.width;
  let at = 0;
  let signChar = "";
  if (numeric) {
    const first = points[0];
    if (first === "-" || first === "+") {
      signChar = first;
      len--;
      at++;
    } else if (flags.sign) signChar = "+";
    else if (flags.blank) signChar = " ";
  }
  if (width < len) width = len;
  let out = "";
  if (signChar !== "") {
    if (fill !== " ") out += signChar;
    if (width > len) width--;
  }
  const hasPrefix = flags.alt && (ch === "x" || ch === "X" || ch === "o");
  let prefix = "";
  if (hasPrefix) {
    prefix = points.slice(at, at + 2).join("");
    at += 2;
    if (fill !== " ") out += prefix;
    width = Math.max(0, width - 2);
    len -= 2;
  }
  if (width > len && !flags.left) {
    out += repeat(fill, width - len);
    width = len;
  }
  if (fill === " ") out += signChar + prefix;
  out += points.slice(at, at + len).join("");
  if (width > len) out += repeat(" ", width - len);
  return out;
}
