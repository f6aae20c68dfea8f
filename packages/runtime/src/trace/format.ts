// mm-trace version 1 (specified in docs/mm-trace.md): reading and checking a whole trace before anything runs.
// A line that is not JSON, an unknown op, a missing, extra or ill-typed field stops the read
// with one TraceError naming the line; nothing is half-applied. The rules are the conformance
// driver's, so a trace either runs in both CPython and the runtime or in neither.

import { TraceError } from "../errors.js";
import { isObject, JsonFloat, type JsonValue, parseJson } from "./json.js";

/** A value: a variable, None, a bool, or a fresh int, float or str. */
export type TraceValue =
  | { readonly kind: "var"; readonly name: string }
  | { readonly kind: "none" }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "int"; readonly value: bigint }
  | { readonly kind: "float"; readonly value: number }
  | { readonly kind: "str"; readonly value: string };

/** An attribute or a subscript key. */
export type Target = { readonly attr: string } | { readonly key: string | bigint };

/** The ops, each with its 1-based file line (a repeat's inner ops carry the repeat's line). */
export type Op =
  | {
      readonly op: "new-object";
      readonly line: number;
      readonly var: string;
      readonly name: string;
      readonly del: boolean;
      readonly resurrect: string | undefined;
    }
  | {
      readonly op: "new-list" | "new-tuple";
      readonly line: number;
      readonly var: string;
      readonly items: readonly TraceValue[];
    }
  | {
      readonly op: "new-dict";
      readonly line: number;
      readonly var: string;
      readonly items: ReadonlyArray<readonly [string, TraceValue]>;
    }
  | {
      readonly op: "new-scalar";
      readonly line: number;
      readonly var: string;
      readonly value: TraceValue;
    }
  | {
      readonly op: "assign";
      readonly line: number;
      readonly var: string;
      readonly value: TraceValue;
    }
  | { readonly op: "del"; readonly line: number; readonly var: string }
  | {
      readonly op: "set";
      readonly line: number;
      readonly obj: string;
      readonly target: Target;
      readonly value: TraceValue;
    }
  | {
      readonly op: "get";
      readonly line: number;
      readonly var: string;
      readonly obj: string;
      readonly target: Target;
    }
  | { readonly op: "unset"; readonly line: number; readonly obj: string; readonly target: Target }
  | {
      readonly op: "append";
      readonly line: number;
      readonly obj: string;
      readonly value: TraceValue;
    }
  | { readonly op: "pop" | "clear"; readonly line: number; readonly obj: string }
  | {
      readonly op: "weakref";
      readonly line: number;
      readonly var: string;
      readonly target: TraceValue;
      readonly callback: string | undefined;
    }
  | {
      readonly op: "call";
      readonly line: number;
      readonly ops: readonly Op[];
      readonly returnLine: number;
      readonly value: TraceValue | undefined;
      readonly var: string | undefined;
    }
  | {
      readonly op: "repeat";
      readonly line: number;
      readonly times: number;
      readonly ops: readonly Op[];
    }
  | { readonly op: "collect"; readonly line: number; readonly generation: number }
  | {
      readonly op: "gc";
      readonly line: number;
      readonly call: GcCall;
      readonly var: string | undefined;
      readonly args: readonly number[];
    }
  | { readonly op: "refcount" | "sizeof"; readonly line: number; readonly var: string };

/** The gc calls that change the collector's state and return nothing. */
export const GC_ACTIONS = ["disable", "enable", "freeze", "unfreeze"] as const;
/** The gc calls whose result a trace may print or keep in a variable. */
export const GC_QUERIES = ["get_count", "get_threshold", "get_freeze_count", "garbage"] as const;
/** The gc calls about one object, named by the trace variable that holds it. */
export const GC_VAR_QUERIES = ["is_tracked", "is_finalized"] as const;
/** A `gc` module function a trace's `gc` op calls. */
export type GcCall =
  | (typeof GC_ACTIONS)[number]
  | (typeof GC_QUERIES)[number]
  | (typeof GC_VAR_QUERIES)[number]
  | "set_threshold"
  | "set_debug";
const GC_CALLS: readonly string[] = [
  ...GC_ACTIONS,
  ...GC_QUERIES,
  ...GC_VAR_QUERIES,
  "set_threshold",
  "set_debug",
];

/** A whole trace: its header and its op tree. */
export interface Trace {
  readonly header: { readonly [key: string]: JsonValue };
  readonly ops: readonly Op[];
  readonly file: string | undefined;
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(
    " ",
  ),
);
const MAX_SEQUENCE_ITEMS = 30;
const MAX_DICT_ITEMS = 16;
const MAX_REPEAT_DEPTH = 15;
const MAX_INT32 = 2 ** 31 - 1;
const DEBUG_SAVEALL = 32;
const OBJECT_TYPES = ["object", "list", "tuple", "dict", "int", "float", "str"];

/** Reads and checks a trace from its text; throws {@link TraceError} naming the first bad line. */
export function parseTrace(text: string, file?: string): Trace {
  const lines = text.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const fail = (line: number, message: string): never => {
    throw new TraceError(line, message, file);
  };
  if (lines.length === 0) fail(1, 'empty file; the first line must be the header {"mm-trace": 1}');
  const parse = (line: number, source: string): JsonValue => {
    try {
      return parseJson(source);
    } catch (error) {
      return fail(line, `not valid JSON: ${(error as Error).message}`);
    }
  };
  const header = parse(1, lines[0]!);
  if (!isObject(header) || header["mm-trace"] !== 1n) {
    fail(1, 'the first line must be the header {"mm-trace": 1}');
  }
  const flat: Raw[] = [];
  lines.slice(1).forEach((source, index) => {
    const line = index + 2;
    if (source.trim() === "") return;
    flat.push(checkOp(parse(line, source), line, 0, fail));
  });
  return { header: header as { [key: string]: JsonValue }, ops: nestCalls(flat, 0, fail), file };
}

/** An op after checking, before call/return pairs are nested. */
type Raw =
  | Op
  | { readonly op: "call-open"; readonly line: number }
  | {
      readonly op: "return";
      readonly line: number;
      readonly value: TraceValue | undefined;
      readonly var: string | undefined;
    };
type Fail = (line: number, message: string) => never;

function checkOp(raw: JsonValue, line: number, depth: number, fail: Fail): Raw {
  if (!isObject(raw)) return fail(line, "an op must be a JSON object");
  const op = raw.op;
  if (typeof op !== "string") return fail(line, "an op needs a string field 'op'");
  const fields = (required: readonly string[], optional: readonly string[] = []) => {
    for (const field of required) {
      if (!Object.hasOwn(raw, field)) fail(line, `op '${op}' needs the field '${field}'`);
    }
    for (const field of Object.keys(raw)) {
      if (field !== "op" && !required.includes(field) && !optional.includes(field)) {
        fail(line, `op '${op}' has no field '${field}'`);
      }
    }
  };
  const name = (value: JsonValue | undefined, what: string): string => {
    if (typeof value !== "string" || !NAME.test(value) || KEYWORDS.has(value)) {
      return fail(
        line,
        `${what} must be a name (a letter, then letters, digits or '_'; not a Python keyword), got ${show(value)}`,
      );
    }
    return value;
  };
  const value = (v: JsonValue | undefined, what: string): TraceValue =>
    checkValue(v, what, line, fail, name);
  const target = (action: boolean): Target => {
    const hasAttr = Object.hasOwn(raw, "attr");
    if (hasAttr === Object.hasOwn(raw, "key"))
      fail(line, `op '${op}' needs exactly one of 'attr' and 'key'`);
    if (hasAttr) {
      const attr = name(raw.attr, "'attr'");
      if (action && attr === "name") {
        fail(
          line,
          "the attribute 'name' holds an object's name for its finalize event; it cannot be set or deleted",
        );
      }
      return { attr };
    }
    const key = raw.key;
    if (typeof key === "string" || typeof key === "bigint") return { key };
    return fail(line, `'key' must be a string or an integer, got ${show(key)}`);
  };
  switch (op) {
    case "new":
      return checkNew(raw, line, fail, fields, name, value);
    case "assign":
      fields(["var", "value"]);
      return { op, line, var: name(raw.var, "'var'"), value: value(raw.value, "'value'") };
    case "del":
      fields(["var"]);
      return { op, line, var: name(raw.var, "'var'") };
    case "set": {
      fields(["obj", "value"], ["attr", "key"]);
      const obj = name(raw.obj, "'obj'");
      return { op, line, obj, target: target(true), value: value(raw.value, "'value'") };
    }
    case "get": {
      fields(["var", "obj"], ["attr", "key"]);
      const v = name(raw.var, "'var'");
      return { op, line, var: v, obj: name(raw.obj, "'obj'"), target: target(false) };
    }
    case "unset":
      fields(["obj"], ["attr", "key"]);
      return { op, line, obj: name(raw.obj, "'obj'"), target: target(true) };
    case "append":
      fields(["obj", "value"]);
      return { op, line, obj: name(raw.obj, "'obj'"), value: value(raw.value, "'value'") };
    case "pop":
    case "clear":
      fields(["obj"]);
      return { op, line, obj: name(raw.obj, "'obj'") };
    case "weakref": {
      fields(["var", "target"], ["name", "callback"]);
      const v = name(raw.var, "'var'");
      const t = value(raw.target, "'target'");
      if (Object.hasOwn(raw, "callback") && typeof raw.callback !== "boolean")
        fail(line, "'callback' must be true or false");
      if (Object.hasOwn(raw, "name") && typeof raw.name !== "string")
        fail(line, "'name' must be a string");
      if (raw.callback === true && !Object.hasOwn(raw, "name"))
        fail(line, "a weakref with a callback needs a 'name' for its event");
      return {
        op,
        line,
        var: v,
        target: t,
        callback: raw.callback === true ? (raw.name as string) : undefined,
      };
    }
    case "call":
      fields([]);
      return { op: "call-open", line };
    case "return":
      fields([], ["value", "var"]);
      return {
        op,
        line,
        value: Object.hasOwn(raw, "value") ? value(raw.value, "'value'") : undefined,
        var: Object.hasOwn(raw, "var") ? name(raw.var, "'var'") : undefined,
      };
    case "repeat": {
      fields(["times", "ops"]);
      const times = raw.times;
      if (typeof times !== "bigint" || times < 0n) fail(line, "'times' must be an integer >= 0");
      if (!Array.isArray(raw.ops)) fail(line, "'ops' must be an array of ops");
      if (depth >= MAX_REPEAT_DEPTH) fail(line, `repeats nest at most ${MAX_REPEAT_DEPTH} deep`);
      const body = (raw.ops as JsonValue[]).map((inner) => checkOp(inner, line, depth + 1, fail));
      return { op, line, times: Number(times), ops: nestCalls(body, line, fail) };
    }
    case "collect": {
      fields([], ["generation"]);
      const g = raw.generation;
      if (Object.hasOwn(raw, "generation") && typeof g !== "bigint")
        fail(line, "'generation' must be an integer");
      return { op, line, generation: g === undefined ? 2 : Number(g) };
    }
    case "gc":
      return checkGc(raw, line, fail, fields, name);
    case "refcount":
    case "sizeof":
      fields(["var"]);
      return { op, line, var: name(raw.var, "'var'") };
    default:
      return fail(line, `unknown op ${JSON.stringify(op)}`);
  }
}

function checkValue(
  v: JsonValue | undefined,
  what: string,
  line: number,
  fail: Fail,
  name: (value: JsonValue | undefined, what: string) => string,
): TraceValue {
  if (v === null) return { kind: "none" };
  if (v === true || v === false) return { kind: "bool", value: v };
  if (typeof v === "string") return { kind: "var", name: name(v, what) };
  if (isObject(v)) {
    const entries = Object.entries(v);
    if (entries.length === 1) {
      const [kind, literal] = entries[0]!;
      if (kind === "int" && typeof literal === "bigint") return { kind: "int", value: literal };
      if (kind === "float" && (literal instanceof JsonFloat || typeof literal === "bigint")) {
        const float = literal instanceof JsonFloat ? literal.value : Number(literal);
        if (Number.isFinite(float)) return { kind: "float", value: float };
      }
      if (kind === "str" && typeof literal === "string") return { kind: "str", value: literal };
    }
  }
  return fail(
    line,
    `${what} must be a variable name, null, true, false, {"int": n}, {"float": x} or {"str": s}, got ${show(v)}`,
  );
}

function checkNew(
  raw: { [key: string]: JsonValue },
  line: number,
  fail: Fail,
  fields: (required: readonly string[], optional?: readonly string[]) => void,
  name: (value: JsonValue | undefined, what: string) => string,
  value: (v: JsonValue | undefined, what: string) => TraceValue,
): Raw {
  const kind = raw.type;
  if (typeof kind !== "string" || !OBJECT_TYPES.includes(kind)) {
    return fail(line, `'type' must be one of ${OBJECT_TYPES.join(", ")}, got ${show(kind)}`);
  }
  if (kind === "object") {
    fields(["var", "type", "name"], ["del", "resurrect"]);
    if (typeof raw.name !== "string") fail(line, "'name' must be a string");
    if (Object.hasOwn(raw, "del") && typeof raw.del !== "boolean")
      fail(line, "'del' must be true or false");
    let resurrect: string | undefined;
    if (Object.hasOwn(raw, "resurrect")) {
      resurrect = name(raw.resurrect, "'resurrect'");
      if (raw.del === false) fail(line, "'resurrect' needs a __del__, so 'del' cannot be false");
    }
    return {
      op: "new-object",
      line,
      var: name(raw.var, "'var'"),
      name: raw.name as string,
      del: raw.del === true || resurrect !== undefined,
      resurrect,
    };
  }
  if (kind === "list" || kind === "tuple") {
    fields(["var", "type"], ["items"]);
    const items = Object.hasOwn(raw, "items") ? raw.items : [];
    if (!Array.isArray(items)) fail(line, "'items' must be an array of values");
    const list = items as JsonValue[];
    if (list.length > MAX_SEQUENCE_ITEMS)
      fail(line, `a ${kind} display holds at most ${MAX_SEQUENCE_ITEMS} items`);
    const values = list.map((item) => value(item, "an item"));
    return {
      op: kind === "list" ? "new-list" : "new-tuple",
      line,
      var: name(raw.var, "'var'"),
      items: values,
    };
  }
  if (kind === "dict") {
    fields(["var", "type"], ["items"]);
    const items = Object.hasOwn(raw, "items") ? raw.items : {};
    if (!isObject(items)) return fail(line, "'items' must be an object of values");
    const entries = Object.entries(items);
    if (entries.length > MAX_DICT_ITEMS)
      fail(line, `a dict display holds at most ${MAX_DICT_ITEMS} items`);
    const pairs = entries.map(([k, v]) => [k, value(v, "an item")] as const);
    return { op: "new-dict", line, var: name(raw.var, "'var'"), items: pairs };
  }
  fields(["var", "type", "value"]);
  const literal = raw.value;
  let scalar: TraceValue | undefined;
  if (kind === "int" && typeof literal === "bigint") scalar = { kind: "int", value: literal };
  if (kind === "float" && (literal instanceof JsonFloat || typeof literal === "bigint")) {
    const float = literal instanceof JsonFloat ? literal.value : Number(literal);
    if (Number.isFinite(float)) scalar = { kind: "float", value: float };
  }
  if (kind === "str" && typeof literal === "string") scalar = { kind: "str", value: literal };
  if (!scalar) {
    const expected = { int: "an integer", float: "a finite number", str: "a string" }[
      kind as "int" | "float" | "str"
    ];
    return fail(line, `'value' of a new ${kind} must be ${expected}`);
  }
  return { op: "new-scalar", line, var: name(raw.var, "'var'"), value: scalar };
}

function checkGc(
  raw: { [key: string]: JsonValue },
  line: number,
  fail: Fail,
  fields: (required: readonly string[], optional?: readonly string[]) => void,
  name: (value: JsonValue | undefined, what: string) => string,
): Raw {
  const call = raw.call;
  if (typeof call !== "string" || !GC_CALLS.includes(call)) {
    return fail(line, `'call' must be one of ${GC_CALLS.join(", ")}, got ${show(call)}`);
  }
  const gcCall = call as GcCall;
  if ((GC_VAR_QUERIES as readonly string[]).includes(call)) {
    fields(["call", "var"]);
    return { op: "gc", line, call: gcCall, var: name(raw.var, "'var'"), args: [] };
  }
  if (call === "set_threshold") {
    fields(["call", "args"]);
    const args = raw.args;
    if (
      !Array.isArray(args) ||
      args.length < 1 ||
      args.length > 3 ||
      !args.every((a) => typeof a === "bigint" && a >= 0n && a <= BigInt(MAX_INT32))
    ) {
      fail(line, `'args' of set_threshold must be 1 to 3 integers from 0 to ${MAX_INT32}`);
    }
    return { op: "gc", line, call: gcCall, var: undefined, args: (args as bigint[]).map(Number) };
  }
  if (call === "set_debug") {
    fields(["call", "args"]);
    const args = raw.args;
    if (
      !Array.isArray(args) ||
      args.length !== 1 ||
      (args[0] !== 0n && args[0] !== BigInt(DEBUG_SAVEALL))
    ) {
      fail(
        line,
        "'args' of set_debug must be [0] or [32] (DEBUG_SAVEALL); the other flags write to stderr, which allocates",
      );
    }
    return { op: "gc", line, call: gcCall, var: undefined, args: [Number((args as bigint[])[0])] };
  }
  fields(["call"]);
  return { op: "gc", line, call: gcCall, var: undefined, args: [] };
}

/** Turns each flat `call` … `return` run into one call node holding its body. */
function nestCalls(ops: readonly Raw[], enclosingLine: number, fail: Fail): Op[] {
  type Open = { line: number; body: Op[] };
  const root: Op[] = [];
  const stack: Array<{ open: Open | undefined; body: Op[] }> = [{ open: undefined, body: root }];
  for (const op of ops) {
    if (op.op === "call-open") {
      const open: Open = { line: op.line, body: [] };
      stack.push({ open, body: open.body });
    } else if (op.op === "return") {
      const top = stack[stack.length - 1]!;
      if (!top.open) fail(op.line, "'return' without a 'call' before it");
      stack.pop();
      stack[stack.length - 1]!.body.push({
        op: "call",
        line: top.open!.line,
        ops: top.open!.body,
        returnLine: op.line,
        value: op.value,
        var: op.var,
      });
    } else {
      stack[stack.length - 1]!.body.push(op);
    }
  }
  if (stack.length > 1) {
    const where = enclosingLine ? "repeat's ops" : "trace";
    fail(
      stack[stack.length - 1]!.open!.line,
      `'call' without a 'return' before the end of the ${where}`,
    );
  }
  return root;
}

function show(value: JsonValue | undefined): string {
  if (value === undefined) return "nothing";
  if (typeof value === "bigint") return value.toString();
  if (value instanceof JsonFloat) return String(value.value);
  return JSON.stringify(value, (_k, v) =>
    typeof v === "bigint" ? Number(v) : v instanceof JsonFloat ? v.value : v,
  );
}
