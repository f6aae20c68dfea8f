// Code units as JSON: what lets a module compiled once, ahead of time, be loaded without parsing
// and compiling it again (the `weakref` module the interpreter loads at startup is shipped so).
// Every field survives the round trip exactly, floats included (NaN, the infinities and -0.0).

import { type ConstantValue, Ellipsis } from "../syntax/ast.js";
import type { CodeConstant, CodeUnit, Handler } from "./code.js";

/** A JSON value, as `JSON.parse` returns it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The serialized form's version: a stored unit of another version is refused. */
export const SERIALIZED_CODE_VERSION = 2;

/** A constant as JSON: strings, booleans and None as themselves, the rest tagged. */
function encodeConstant(c: CodeConstant): Json {
  if (c === null || typeof c === "boolean" || typeof c === "string") return c;
  if (typeof c === "bigint") return { int: c.toString() };
  if (typeof c === "number") {
    // JSON has no NaN, infinities or negative zero: the float's repr-like text keeps them.
    return { float: Object.is(c, -0) ? "-0" : String(c) };
  }
  if (typeof c === "symbol") return { ellipsis: true };
  if (c instanceof Uint8Array) return { bytes: Array.from(c) };
  if ("kind" in c) return { code: encodeUnit(c) };
  if ("tuple" in c) return { tuple: c.tuple.map(encodeConstant) };
  if ("complex" in c)
    return { complex: c.complex.map((x) => (Object.is(x, -0) ? "-0" : String(x))) };
  return { frozenset: c.frozenset.map(encodeConstant) };
}

function encodeUnit(u: CodeUnit): Json {
  return {
    name: u.name,
    qualname: u.qualname,
    filename: u.filename,
    firstLine: u.firstLine,
    flags: u.flags,
    argCount: u.argCount,
    posOnlyArgCount: u.posOnlyArgCount,
    kwOnlyArgCount: u.kwOnlyArgCount,
    varnames: [...u.varnames],
    cellvars: [...u.cellvars],
    freevars: [...u.freevars],
    cell2arg: [...u.cell2arg],
    names: [...u.names],
    consts: u.consts.map(encodeConstant),
    code: Array.from(u.code),
    lines: Array.from(u.lines),
    cols: Array.from(u.cols),
    endLines: Array.from(u.endLines),
    endCols: Array.from(u.endCols),
    handlerOf: Array.from(u.handlerOf),
    handlers: u.handlers.map((h) => [h.target, h.depth, h.lasti ? 1 : 0]),
    stackSize: u.stackSize,
    length: u.length,
  };
}

/** `unit` (and every code unit among its constants) as a JSON document. */
export function serializeCode(unit: CodeUnit): string {
  return JSON.stringify({ version: SERIALIZED_CODE_VERSION, unit: encodeUnit(unit) });
}

/** Thrown by {@link deserializeCode} for a document that is not a serialized code unit. */
export class SerializedCodeError extends Error {
  override readonly name = "SerializedCodeError";
}

type Obj = { readonly [key: string]: Json };

function isObject(v: Json | undefined): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function field<T>(o: Obj, key: string, check: (v: Json | undefined) => v is T & Json): T {
  const v = o[key];
  if (!check(v)) throw new SerializedCodeError(`serialized code: field '${key}' is malformed`);
  return v;
}

const isNumber = (v: Json | undefined): v is number => typeof v === "number";
const isString = (v: Json | undefined): v is string => typeof v === "string";
const isArray = (v: Json | undefined): v is Json[] => Array.isArray(v);

/** Field `key`, an array whose every item passes `check` (`what` names such an item). */
function arrayOf<T extends Json>(
  o: Obj,
  key: string,
  check: (v: Json | undefined) => v is T,
  what: string,
): T[] {
  const a = field(o, key, isArray);
  if (!a.every(check))
    throw new SerializedCodeError(`serialized code: '${key}' holds a non-${what}`);
  return a as T[];
}

const numbers = (o: Obj, key: string) => arrayOf(o, key, isNumber, "number");
const strings = (o: Obj, key: string) => arrayOf(o, key, isString, "string");

function decodeConstant(j: Json): CodeConstant {
  if (j === null || typeof j === "boolean" || typeof j === "string") return j;
  if (isObject(j)) {
    if (isString(j.int)) return BigInt(j.int);
    if (isString(j.float)) return j.float === "-0" ? -0 : Number(j.float);
    if (j.ellipsis === true) return Ellipsis;
    if (isArray(j.bytes)) return Uint8Array.from(j.bytes as number[]);
    if (isObject(j.code)) return decodeUnit(j.code);
    if (isArray(j.tuple)) return { tuple: j.tuple.map(decodeConstant) as ConstantValue[] };
    if (isArray(j.frozenset))
      return { frozenset: j.frozenset.map(decodeConstant) as ConstantValue[] };
    if (isArray(j.complex) && j.complex.length === 2 && j.complex.every(isString)) {
      // Number() reads back "-0", "NaN" and the infinities as String() wrote them.
      const [real, imag] = j.complex.map((x) => Number(x));
      return { complex: [real!, imag!] };
    }
  }
  throw new SerializedCodeError(`serialized code: unknown constant ${JSON.stringify(j)}`);
}

function decodeUnit(o: Obj): CodeUnit {
  const handlers: Handler[] = field(o, "handlers", isArray).map((h) => {
    if (!Array.isArray(h) || h.length !== 3 || !h.every(isNumber))
      throw new SerializedCodeError("serialized code: a handler is malformed");
    return { target: h[0] as number, depth: h[1] as number, lasti: h[2] === 1 };
  });
  return {
    kind: "code",
    name: field(o, "name", isString),
    qualname: field(o, "qualname", isString),
    filename: field(o, "filename", isString),
    firstLine: field(o, "firstLine", isNumber),
    flags: field(o, "flags", isNumber),
    argCount: field(o, "argCount", isNumber),
    posOnlyArgCount: field(o, "posOnlyArgCount", isNumber),
    kwOnlyArgCount: field(o, "kwOnlyArgCount", isNumber),
    varnames: strings(o, "varnames"),
    cellvars: strings(o, "cellvars"),
    freevars: strings(o, "freevars"),
    cell2arg: numbers(o, "cell2arg"),
    names: strings(o, "names"),
    consts: field(o, "consts", isArray).map(decodeConstant),
    code: Int32Array.from(numbers(o, "code")),
    lines: Int32Array.from(numbers(o, "lines")),
    cols: Int32Array.from(numbers(o, "cols")),
    endLines: Int32Array.from(numbers(o, "endLines")),
    endCols: Int32Array.from(numbers(o, "endCols")),
    handlerOf: Int32Array.from(numbers(o, "handlerOf")),
    handlers,
    stackSize: field(o, "stackSize", isNumber),
    length: field(o, "length", isNumber),
  };
}

/**
 * The code unit a {@link serializeCode} document holds.
 * @throws SerializedCodeError when `text` is not one (or of another version)
 */
export function deserializeCode(text: string): CodeUnit {
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch {
    throw new SerializedCodeError("serialized code: not JSON");
  }
  if (!isObject(doc) || doc.version !== SERIALIZED_CODE_VERSION || !isObject(doc.unit))
    throw new SerializedCodeError(
      `serialized code: not a version ${SERIALIZED_CODE_VERSION} code document`,
    );
  return decodeUnit(doc.unit);
}
