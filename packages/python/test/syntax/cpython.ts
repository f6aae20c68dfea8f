// CPython as the oracle for the front end: one python3 run per test file answers a batch of
// snippets, each dumped as JSON in the shape of our AST (ast.ts's kinds, field names and
// contexts), so the comparison is a plain deep equality.

import { spawnSync } from "node:child_process";
import { Ellipsis } from "../../src/syntax/ast.js";
import { complexRepr } from "../../src/vm/complex-math.js";

const SCRIPT = String.raw`
import ast, json, sys

OPS = {
  "Add": "+", "Sub": "-", "Mult": "*", "MatMult": "@", "Div": "/", "Mod": "%", "Pow": "**",
  "LShift": "<<", "RShift": ">>", "BitOr": "|", "BitXor": "^", "BitAnd": "&", "FloorDiv": "//",
  "And": "and", "Or": "or", "Not": "not", "USub": "-", "UAdd": "+", "Invert": "~",
  "Eq": "==", "NotEq": "!=", "Lt": "<", "LtE": "<=", "Gt": ">", "GtE": ">=", "Is": "is",
  "IsNot": "is not", "In": "in", "NotIn": "not in", "Load": "load", "Store": "store", "Del": "del",
}
RENAME = {
  "lineno": "line", "col_offset": "col", "end_lineno": "endLine", "end_col_offset": "endCol",
  "kw_defaults": "kwDefaults", "decorator_list": "decorators", "format_spec": "formatSpec",
  "context_expr": "contextExpr", "optional_vars": "optionalVars", "kwd_attrs": "kwdAttrs",
  "kwd_patterns": "kwdPatterns",
}
DROP = {"type_comment", "type_ignores", "is_async"}
NO_KIND = {"arguments", "arg", "keyword", "alias", "withitem", "comprehension", "match_case"}

def const(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return {"$int": str(v)}
    if isinstance(v, float):
        return {"$float": repr(v)}
    if isinstance(v, bytes):
        return {"$bytes": list(v)}
    if v is Ellipsis:
        return {"$ellipsis": True}
    if isinstance(v, complex):
        return {"$complex": repr(v)}
    raise TypeError(type(v))

def dump(src):
    lines = src.split("\n")
    def col(line, byte_col):
        # ast columns are UTF-8 byte offsets; ours count UTF-16 units.
        text = lines[line - 1].encode("utf-8")[:byte_col].decode("utf-8")
        return len(text.encode("utf-16-le")) // 2
    def conv(node):
        if isinstance(node, list):
            return [conv(x) for x in node]
        if not isinstance(node, ast.AST):
            return node
        name = type(node).__name__
        if name in OPS:
            return OPS[name]
        out = {} if name in NO_KIND else {"kind": name}
        for field in node._fields:
            if field in DROP or (name == "Constant" and field == "kind"):
                continue
            value = getattr(node, field, None)
            if name == "Constant" and field == "value":
                out["value"] = const(value)
            elif name == "AnnAssign" and field == "simple":
                out["simple"] = bool(value)
            else:
                out[RENAME.get(field, field)] = conv(value)
        if hasattr(node, "lineno") and name != "Module":
            out["line"] = node.lineno
            out["col"] = col(node.lineno, node.col_offset)
            out["endLine"] = node.end_lineno
            out["endCol"] = col(node.end_lineno, node.end_col_offset)
        return out
    return conv(ast.parse(src))

def error(src):
    try:
        compile(src, "<string>", "exec")
        return None
    except SyntaxError as e:
        return {"type": type(e).__name__, "msg": e.msg, "line": e.lineno, "col": e.offset}

req = json.load(sys.stdin)
out = {"asts": [], "errors": []}
for src in req["asts"]:
    try:
        out["asts"].append(dump(src))
    except SyntaxError as e:
        out["asts"].append({"error": e.msg})
for src in req["errors"]:
    out["errors"].append(error(src))
print(json.dumps(out))
`;

/** What python3 said about a snippet that does not compile (`null` when it compiles). */
export interface CPythonError {
  readonly type: string;
  readonly msg: string;
  readonly line: number;
  readonly col: number;
}

/** CPython's answers for one batch. */
export interface CPythonAnswers {
  readonly asts: unknown[];
  readonly errors: (CPythonError | null)[];
}

/** Runs python3 once over every snippet: their ASTs (our shape) and their compile errors. */
export function askCPython(request: {
  asts?: readonly string[];
  errors?: readonly string[];
}): CPythonAnswers {
  const result = spawnSync("python3", ["-c", SCRIPT], {
    input: JSON.stringify({ asts: request.asts ?? [], errors: request.errors ?? [] }),
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0)
    throw new Error(`python3 failed: ${result.stderr || result.error?.message}`);
  const answers = JSON.parse(result.stdout) as CPythonAnswers;
  return { asts: answers.asts.map(normalizeFloats), errors: answers.errors };
}

function normalizeFloats(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalizeFloats);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o.$float === "string") {
      const r = o.$float;
      return {
        $float: r === "inf" ? Number.POSITIVE_INFINITY : r === "nan" ? Number.NaN : Number(r),
      };
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, normalizeFloats(x)]));
  }
  return v;
}

/** Our AST as the same JSON: constants tagged like the Python side's. */
export function toJson(v: unknown): unknown {
  if (typeof v === "bigint") return { $int: v.toString() };
  if (typeof v === "number") return { $float: v };
  if (v === Ellipsis) return { $ellipsis: true };
  if (v instanceof Uint8Array) return { $bytes: [...v] };
  if (Array.isArray(v)) return v.map(toJson);
  if (v !== null && typeof v === "object" && "complex" in v) {
    const [real, imag] = (v as { complex: [number, number] }).complex;
    return { $complex: complexRepr({ real, imag }) };
  }
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toJsonField(k, x)]),
    );
  }
  return v;
}

function toJsonField(key: string, v: unknown): unknown {
  // Numbers outside `value` fields are positions, levels and conversions, not float constants.
  if (typeof v === "number" && key !== "value") return v;
  return toJson(v);
}
