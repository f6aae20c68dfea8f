// A strict JSON reader for mm-trace lines. `JSON.parse` cannot serve: it accepts duplicate keys
// (the last one silently wins) and forgets whether a number was written as an integer, and
// mm-trace distinguishes `{"int": 5}` from `{"float": 5.0}` as Python's json does.

/** A JSON number written with a fraction or an exponent (Python reads it as a float). */
export class JsonFloat {
  constructor(readonly value: number) {}
}

/** What the reader returns: integers as bigint, floats as {@link JsonFloat}. */
export type JsonValue =
  | null
  | boolean
  | string
  | bigint
  | JsonFloat
  | JsonValue[]
  | { [key: string]: JsonValue };

/**
 * Arrays and objects nest at most this deep. The reader recurses once per level, and CPython's
 * json recurses as deep under its recursion limit of 1,000, so the conformance driver refuses
 * deeper traces anyway; the bound keeps a hostile line from exhausting the JavaScript stack.
 */
export const MAX_JSON_DEPTH = 500;

/** CPython 3.11's default `sys.get_int_max_str_digits()`. */
const INT_MAX_STR_DIGITS = 4300;

/** Parses one JSON text; throws a SyntaxError saying what and where. */
export function parseJson(text: string): JsonValue {
  let i = 0;
  let depth = 0;
  const enter = () => {
    if (++depth > MAX_JSON_DEPTH) fail(`arrays and objects nested deeper than ${MAX_JSON_DEPTH}`);
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at character ${i + 1}`);
  };
  const space = () => {
    while (i < text.length && " \t\r\n".includes(text[i]!)) i++;
  };
  const value = (): JsonValue => {
    space();
    const c = text[i];
    if (c === "{") return object();
    if (c === "[") return array();
    if (c === '"') return string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return number();
    for (const [word, result] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return result;
      }
    }
    return fail(c === undefined ? "unexpected end of input" : `unexpected '${c}'`);
  };
  const object = (): JsonValue => {
    enter();
    i++;
    const out: { [key: string]: JsonValue } = {};
    space();
    if (text[i] === "}") {
      i++;
      depth--;
      return out;
    }
    for (;;) {
      space();
      if (text[i] !== '"') fail("expected a string key");
      const key = string();
      if (Object.hasOwn(out, key)) fail(`duplicate key ${JSON.stringify(key)}`);
      space();
      if (text[i] !== ":") fail("expected ':'");
      i++;
      const item = value();
      // An assignment to "__proto__" would set the object's prototype instead of adding a key:
      // a header or an op hidden under it would then be inherited, and a dict item lost.
      if (key === "__proto__")
        Object.defineProperty(out, key, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else out[key] = item;
      space();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        depth--;
        return out;
      }
      fail("expected ',' or '}'");
    }
  };
  const array = (): JsonValue => {
    enter();
    i++;
    const out: JsonValue[] = [];
    space();
    if (text[i] === "]") {
      i++;
      depth--;
      return out;
    }
    for (;;) {
      out.push(value());
      space();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        depth--;
        return out;
      }
      fail("expected ',' or ']'");
    }
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if (text.charCodeAt(i) < 0x20) fail("a control character in a string");
      i++;
    }
    if (i >= text.length) fail("an unterminated string");
    i++;
    const decoded = JSON.parse(text.slice(start, i)) as string;
    if (!decoded.isWellFormed()) fail("a string holds a lone surrogate");
    return decoded;
  };
  const number = (): JsonValue => {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (!match) return fail("a malformed number");
    if (match[2] === undefined && match[3] === undefined) {
      // Python's json reads an integer with int(), under CPython 3.11's 4,300-digit limit on
      // int↔str conversion (the conversion is quadratic: a million digits take minutes).
      const digits = match[1]!.length;
      if (digits > INT_MAX_STR_DIGITS) {
        fail(
          `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion: value has ${digits} digits; use sys.set_int_max_str_digits() to increase the limit`,
        );
      }
      i += match[0].length;
      return BigInt(match[0]);
    }
    i += match[0].length;
    const float = Number(match[0]);
    if (!Number.isFinite(float)) fail("a number too large for a float");
    return new JsonFloat(float);
  };
  const result = value();
  space();
  if (i < text.length) fail("extra data after the value");
  return result;
}

/** Whether `value` is a JSON object (not an array, not null). */
export function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof JsonFloat)
  );
}
