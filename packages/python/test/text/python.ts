// The CPython oracle of the text tests: one python3 process per test file evaluates a batch of
// expressions over JSON-encoded arguments and answers each with its value or its exception.

import { spawnSync } from "node:child_process";
import { PythonError } from "@mm/runtime";

/**
 * A value crossing to and from python3: str, bool and None as JSON; ints as `{ i: hex }` (exact,
 * and free of the int↔str digit limit); floats as `{ f: bits }` (the IEEE bits in hex, so
 * negative zero, NaN and infinities cross exactly); lists as arrays; tuples as `{ t: [...] }`.
 */
export type Wire = string | boolean | null | { i: string } | { f: string } | Wire[] | { t: Wire[] };

/** What python3 answered for one case: a value, or an exception's class name and message. */
export type Answer = { ok: Wire } | { err: [string, string] };

const ORACLE = `
import json, struct, sys
def dec(w):
    if isinstance(w, list): return [dec(x) for x in w]
    if isinstance(w, dict):
        if "i" in w: return int(w["i"], 16)
        if "f" in w: return struct.unpack(">d", bytes.fromhex(w["f"]))[0]
        if "t" in w: return tuple(dec(x) for x in w["t"])
    return w
def enc(v):
    if v is None or isinstance(v, (str, bool)): return v
    if isinstance(v, int): return {"i": hex(v)}
    if isinstance(v, float): return {"f": struct.pack(">d", v).hex()}
    if isinstance(v, list): return [enc(x) for x in v]
    if isinstance(v, tuple): return {"t": [enc(x) for x in v]}
    return repr(v)
out = []
compiled = {}
for expr, args in json.load(sys.stdin):
    code = compiled.get(expr)
    if code is None:
        code = compiled[expr] = compile(expr, "<case>", "eval")
    try:
        out.append({"ok": enc(eval(code, {"a": dec(args)}))})
    except Exception as e:
        out.append({"err": [type(e).__name__, str(e)]})
json.dump(out, sys.stdout)
`;

/** Encodes a JS value for python3: bigint → int, number → float, arrays → lists. */
export function encode(v: unknown): Wire {
  if (typeof v === "bigint")
    return { i: v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}` };
  if (typeof v === "number") {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v);
    let hex = "";
    for (let i = 0; i < 8; i++) hex += view.getUint8(i).toString(16).padStart(2, "0");
    return { f: hex };
  }
  if (Array.isArray(v)) return v.map(encode);
  if (v === undefined || v === null) return null;
  if (typeof v === "string" || typeof v === "boolean") return v;
  throw new Error(`cannot encode ${String(v)}`);
}

/** Decodes python3's answer: int → bigint, float → number, tuple/list → array. */
export function decode(w: Wire): unknown {
  if (w === null || typeof w !== "object") return w;
  if (Array.isArray(w)) return w.map(decode);
  if ("i" in w) return w.i.startsWith("-") ? -BigInt(w.i.slice(1)) : BigInt(w.i);
  if ("f" in w) {
    const view = new DataView(new ArrayBuffer(8));
    for (let i = 0; i < 8; i++) view.setUint8(i, Number.parseInt(w.f.slice(2 * i, 2 * i + 2), 16));
    return view.getFloat64(0);
  }
  return w.t.map(decode);
}

/** A case for python3: an expression over the argument list `a`, and those arguments. */
export type Case = readonly [expr: string, args: readonly unknown[]];

/** Evaluates every case in one python3 process. */
export function askPython(cases: readonly Case[]): Answer[] {
  const input = JSON.stringify(cases.map(([expr, args]) => [expr, args.map(encode)]));
  const run = spawnSync("python3", ["-c", ORACLE], { input, maxBuffer: 1 << 30, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Answer[];
}

/** Runs `f` and describes its outcome as python3 would: a value, or the exception raised. */
export function outcome(f: () => unknown): { ok: unknown } | { err: [string, string] } {
  try {
    return { ok: f() };
  } catch (e) {
    if (e instanceof PythonError) return { err: [e.name, e.message] };
    throw e;
  }
}

/** Python's answer decoded for comparison with `outcome`. */
export function expected(answer: Answer): { ok: unknown } | { err: [string, string] } {
  return "ok" in answer ? { ok: decode(answer.ok) } : answer;
}

/** One comparison with CPython: a Python expression over `a`, and the JS computing the same. */
export interface Check {
  readonly expr: string;
  readonly args: readonly unknown[];
  readonly run: () => unknown;
  /**
   * Floats may differ by this many units in the last place: for `**`, whose platform pow is
   * not correctly rounded in every case (it rounds some exact ties away from even).
   */
  readonly ulps?: number;
}

/** The distance in units in the last place between two finite doubles of the same sign. */
function ulpDistance(x: number, y: number): number {
  const bits = (v: number) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v);
    return view.getBigInt64(0);
  };
  const d = bits(x) - bits(y);
  return Number(d < 0n ? -d : d);
}

function close(want: { ok: unknown }, got: { ok: unknown }, ulps: number): boolean {
  const w = want.ok;
  const g = got.ok;
  return (
    typeof w === "number" &&
    typeof g === "number" &&
    Number.isFinite(w) &&
    Number.isFinite(g) &&
    Math.sign(w) === Math.sign(g) &&
    ulpDistance(w, g) <= ulps
  );
}

/** A form in which equal values compare equal: floats by bits (any NaN alike), ints by digits. */
function canonical(v: unknown): unknown {
  if (typeof v === "number") return Number.isNaN(v) ? "float nan" : encode(v);
  if (typeof v === "bigint") return `int ${v}`;
  if (Array.isArray(v)) return v.map(canonical);
  return v;
}

/**
 * Runs every group's checks in one python3 process and returns each group's disagreements, each
 * described with the expression, its arguments, python3's outcome and ours.
 */
export function disagreements(groups: Record<string, readonly Check[]>): Record<string, string[]> {
  const names = Object.keys(groups);
  const all = names.flatMap((name) => groups[name] ?? []);
  const answers = askPython(all.map((c) => [c.expr, c.args]));
  const result: Record<string, string[]> = {};
  let i = 0;
  for (const name of names) {
    const out: string[] = [];
    for (const check of groups[name] ?? []) {
      const want = expected(answers[i++]!);
      const got = outcome(check.run);
      const w = "ok" in want ? { ok: canonical(want.ok) } : want;
      const g = "ok" in got ? { ok: canonical(got.ok) } : got;
      if (JSON.stringify(w) === JSON.stringify(g)) continue;
      if (check.ulps !== undefined && "ok" in want && "ok" in got && close(want, got, check.ulps))
        continue;
      out.push(describe(check, w, g));
    }
    result[name] = out;
  }
  return result;
}

function describe(check: Check, want: unknown, got: unknown): string {
  const show = (_key: string, v: unknown) =>
    typeof v === "bigint" ? `${v}n` : typeof v === "number" && !Number.isFinite(v) ? String(v) : v;
  const args = check.args.map((a) => (typeof a === "number" ? String(a) : JSON.stringify(a, show)));
  return `${check.expr} with a=[${args.join(", ")}]: python ${JSON.stringify(want)}, ours ${JSON.stringify(got)}`;
}
