import { fc } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import type * as A from "../../src/syntax/ast.js";
import { Ellipsis } from "../../src/syntax/ast.js";
import { parse } from "../../src/syntax/parse.js";
import { askCPython, toJson } from "./cpython.js";

// Random expression trees, printed as Python with the fewest parentheses Python's precedences
// allow: parsing the text must give the tree back, and CPython's ast.parse must agree with
// `parse` on the text, positions included.

/** An expression without positions (what the generator builds). */
type Bare = Record<string, unknown> & { kind: string };

// Binding strength, loosest first (Python's grammar, lambda to atoms).
const LAMBDA = 0;
const IFEXP = 1;
const OR = 2;
const AND = 3;
const NOT = 4;
const CMP = 5;
const BINARY: Readonly<Record<string, number>> = {
  "|": 6,
  "^": 7,
  "&": 8,
  "<<": 9,
  ">>": 9,
  "+": 10,
  "-": 10,
  "*": 11,
  "@": 11,
  "/": 11,
  "//": 11,
  "%": 11,
  "**": 13,
};
const UNARY = 12;
const PRIMARY = 14;
const ATOM = 15;

function precedence(e: Bare): number {
  switch (e.kind) {
    case "Lambda":
      return LAMBDA;
    case "IfExp":
      return IFEXP;
    case "BoolOp":
      return e.op === "or" ? OR : AND;
    case "UnaryOp":
      return e.op === "not" ? NOT : UNARY;
    case "Compare":
      return CMP;
    case "BinOp":
      return BINARY[e.op as string] as number;
    case "Call":
    case "Attribute":
    case "Subscript":
      return PRIMARY;
    default:
      return ATOM;
  }
}

function printFloat(v: number): string {
  const s = String(v);
  return /^[0-9]+$/.test(s) ? `${s}.0` : s;
}

function show(e: Bare, min: number): string {
  const text = showBare(e);
  return precedence(e) < min ? `(${text})` : text;
}

function showItem(e: Bare): string {
  return e.kind === "Starred" ? `*${show(e.value as Bare, 6)}` : show(e, IFEXP);
}

function showBare(e: Bare): string {
  switch (e.kind) {
    case "Name":
      return e.id as string;
    case "Constant": {
      const v = e.value;
      if (typeof v === "bigint") return v.toString();
      if (typeof v === "number") return printFloat(v);
      if (typeof v === "string") return JSON.stringify(v);
      if (v === Ellipsis) return "...";
      return v === null ? "None" : v ? "True" : "False";
    }
    case "BinOp": {
      const p = BINARY[e.op as string] as number;
      if (e.op === "**")
        return `${show(e.left as Bare, PRIMARY)} ** ${show(e.right as Bare, UNARY)}`;
      return `${show(e.left as Bare, p)} ${e.op} ${show(e.right as Bare, p + 1)}`;
    }
    case "UnaryOp":
      return e.op === "not"
        ? `not ${show(e.operand as Bare, NOT)}`
        : `${e.op}${show(e.operand as Bare, UNARY)}`;
    case "BoolOp": {
      const p = e.op === "or" ? OR : AND;
      return (e.values as Bare[]).map((v) => show(v, p + 1)).join(` ${e.op} `);
    }
    case "Compare": {
      let s = show(e.left as Bare, CMP + 1);
      (e.ops as string[]).forEach((op, i) => {
        s += ` ${op} ${show((e.comparators as Bare[])[i] as Bare, CMP + 1)}`;
      });
      return s;
    }
    case "IfExp":
      return `${show(e.body as Bare, OR)} if ${show(e.test as Bare, OR)} else ${show(e.orelse as Bare, IFEXP)}`;
    case "Lambda": {
      const args = e.args as { args: { arg: string }[]; defaults: Bare[] };
      const n = args.args.length;
      const params = args.args.map((a, i) => {
        const d = args.defaults[i - (n - args.defaults.length)];
        return d === undefined ? a.arg : `${a.arg}=${show(d, IFEXP)}`;
      });
      return `lambda${params.length > 0 ? ` ${params.join(", ")}` : ""}: ${show(e.body as Bare, LAMBDA)}`;
    }
    case "NamedExpr":
      return `(${(e.target as Bare).id} := ${show(e.value as Bare, IFEXP)})`;
    case "Call": {
      const args = (e.args as Bare[]).map(showItem);
      const kws = (e.keywords as { arg: string | null; value: Bare }[]).map((k) =>
        k.arg === null ? `**${show(k.value, 6)}` : `${k.arg}=${show(k.value, IFEXP)}`,
      );
      return `${show(e.func as Bare, PRIMARY)}(${[...args, ...kws].join(", ")})`;
    }
    case "Attribute": {
      const v = e.value as Bare;
      // `1.real` would read as a float; a number base needs parentheses.
      const base = v.kind === "Constant" ? `(${showBare(v)})` : show(v, PRIMARY);
      return `${base}.${e.attr}`;
    }
    case "Subscript": {
      const s = e.slice as Bare;
      const inner =
        // `a[*b, c]` is 3.11 syntax the grammar lacks: such a tuple keeps its parentheses.
        s.kind === "Tuple" &&
        (s.elts as Bare[]).length > 0 &&
        !(s.elts as Bare[]).some((x) => x.kind === "Starred")
          ? `${(s.elts as Bare[]).map(showSliceItem).join(", ")}${(s.elts as Bare[]).length === 1 ? "," : ""}`
          : showSliceItem(s);
      return `${show(e.value as Bare, PRIMARY)}[${inner}]`;
    }
    case "Tuple": {
      const elts = (e.elts as Bare[]).map(showItem);
      return `(${elts.join(", ")}${elts.length === 1 ? "," : ""})`;
    }
    case "List":
      return `[${(e.elts as Bare[]).map(showItem).join(", ")}]`;
    case "Set":
      return `{${(e.elts as Bare[]).map(showItem).join(", ")}}`;
    case "Dict": {
      const keys = e.keys as (Bare | null)[];
      const items = (e.values as Bare[]).map((v, i) => {
        const k = keys[i];
        return k === null || k === undefined
          ? `**${show(v, 6)}`
          : `${show(k, IFEXP)}: ${show(v, IFEXP)}`;
      });
      return `{${items.join(", ")}}`;
    }
    case "ListComp": {
      const g = (e.generators as { target: Bare; iter: Bare; ifs: Bare[] }[])[0] as {
        target: Bare;
        iter: Bare;
        ifs: Bare[];
      };
      const ifs = g.ifs.map((c) => ` if ${show(c, OR)}`).join("");
      return `[${show(e.elt as Bare, IFEXP)} for ${g.target.id} in ${show(g.iter, OR)}${ifs}]`;
    }
    default:
      throw new Error(`no printer for ${e.kind}`);
  }
}

function showSliceItem(e: Bare): string {
  if (e.kind !== "Slice") return show(e, IFEXP);
  const part = (x: unknown) => (x === null ? "" : show(x as Bare, IFEXP));
  return `${part(e.lower)}:${part(e.upper)}${e.step === null ? "" : `:${part(e.step)}`}`;
}

const name = fc.constantFrom("a", "b", "x", "y", "foo", "_z", "Été");
const load = (id: string): Bare => ({ kind: "Name", id, ctx: "load" });

const leaf: fc.Arbitrary<Bare> = fc.oneof(
  name.map(load),
  fc
    .oneof(fc.bigInt({ min: 0n, max: 1000n }), fc.bigInt({ min: 0n, max: 10n ** 30n }))
    .map((value) => ({ kind: "Constant", value })),
  fc
    .double({ min: 0, max: 1e300, noNaN: true, noDefaultInfinity: true })
    .map((v) => ({ kind: "Constant", value: Math.abs(v) })),
  fc.string({ maxLength: 6 }).map((value) => ({ kind: "Constant", value })),
  fc
    .constantFrom<unknown>(true, false, null, Ellipsis)
    .map((value) => ({ kind: "Constant", value })),
);

const { expr } = fc.letrec<{ expr: Bare; item: Bare; slice: Bare }>((tie) => {
  const e = tie("expr");
  const item = tie("item");
  return {
    expr: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc.record({
        kind: fc.constant("BinOp"),
        left: e,
        op: fc.constantFrom(...Object.keys(BINARY)),
        right: e,
      }),
      fc.record({
        kind: fc.constant("UnaryOp"),
        op: fc.constantFrom("not", "-", "+", "~"),
        operand: e,
      }),
      fc.record({
        kind: fc.constant("BoolOp"),
        op: fc.constantFrom("and", "or"),
        values: fc.array(e, { minLength: 2, maxLength: 3 }),
      }),
      fc
        .array(
          fc.tuple(
            fc.constantFrom("==", "!=", "<", "<=", ">", ">=", "is", "is not", "in", "not in"),
            e,
          ),
          {
            minLength: 1,
            maxLength: 3,
          },
        )
        .chain((pairs) =>
          e.map((left) => ({
            kind: "Compare",
            left,
            ops: pairs.map(([op]) => op),
            comparators: pairs.map(([, c]) => c),
          })),
        ),
      fc.record({ kind: fc.constant("IfExp"), test: e, body: e, orelse: e }),
      fc
        .record({
          kind: fc.constant("Call"),
          func: e,
          args: fc.array(item, { maxLength: 3 }),
          keywords: fc.array(
            fc.oneof(
              fc.record({ arg: fc.constantFrom("k", "sep", "end"), value: e }),
              fc.record({ arg: fc.constant(null), value: e }),
            ),
            { maxLength: 2 },
          ),
        })
        .filter(
          (c) =>
            new Set(c.keywords.map((k) => k.arg).filter((a) => a !== null)).size ===
            c.keywords.filter((k) => k.arg !== null).length,
        ),
      fc.record({ kind: fc.constant("Attribute"), value: e, attr: name, ctx: fc.constant("load") }),
      fc.record({
        kind: fc.constant("Subscript"),
        value: e,
        slice: fc.oneof(
          tie("slice"),
          fc
            .array(tie("slice"), { minLength: 1, maxLength: 3 })
            .map((elts) => ({ kind: "Tuple", elts, ctx: "load" })),
        ),
        ctx: fc.constant("load"),
      }),
      fc.record({
        kind: fc.constant("Tuple"),
        elts: fc.array(item, { maxLength: 3 }),
        ctx: fc.constant("load"),
      }),
      fc.record({
        kind: fc.constant("List"),
        elts: fc.array(item, { maxLength: 3 }),
        ctx: fc.constant("load"),
      }),
      fc.record({ kind: fc.constant("Set"), elts: fc.array(item, { minLength: 1, maxLength: 3 }) }),
      fc
        .array(fc.tuple(fc.option(e, { nil: null }), e), { maxLength: 3 })
        .map((kv) => ({ kind: "Dict", keys: kv.map(([k]) => k), values: kv.map(([, v]) => v) })),
      fc
        .tuple(fc.uniqueArray(name, { maxLength: 3 }), fc.array(e, { maxLength: 3 }), e)
        .map(([params, defaults, body]) => ({
          kind: "Lambda",
          args: {
            posonlyargs: [],
            args: params.map((arg) => ({ arg, annotation: null })),
            vararg: null,
            kwonlyargs: [],
            kwDefaults: [],
            kwarg: null,
            defaults: defaults.slice(0, params.length),
          },
          body,
        })),
      fc.record({
        kind: fc.constant("NamedExpr"),
        target: name.map((id) => ({ kind: "Name", id, ctx: "store" })),
        value: e,
      }),
      fc.tuple(e, name, e, fc.array(e, { maxLength: 2 })).map(([elt, target, iter, ifs]) => ({
        kind: "ListComp",
        elt,
        generators: [{ target: { kind: "Name", id: target, ctx: "store" }, iter, ifs }],
      })),
    ),
    item: fc.oneof(
      { depthSize: "small" },
      e,
      e.map((value) => ({ kind: "Starred", value, ctx: "load" })),
    ),
    slice: fc.oneof(
      e,
      fc.record({
        kind: fc.constant("Slice"),
        lower: fc.option(e, { nil: null }),
        upper: fc.option(e, { nil: null }),
        step: fc.option(e, { nil: null }),
      }),
    ),
  };
});

/** The tree without positions, for comparison with a generated one. */
function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v !== null && typeof v === "object" && !(v instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k !== "line" && k !== "col" && k !== "endLine" && k !== "endCol") out[k] = strip(x);
    }
    return out;
  }
  return v;
}

function firstValue(m: A.Module): A.Expr {
  const s = m.body[0];
  if (s?.kind !== "Expr") throw new Error("not an expression statement");
  return s.value;
}

// A fixed sample, so that one python3 run checks these texts positions and all.
const SAMPLE = fc.sample(expr, { seed: 20261206, numRuns: 150 }).map((e) => showBare(e));
const answers = askCPython({ asts: SAMPLE });

describe("printed expression trees", () => {
  it("parse back to the same tree", () => {
    fc.assert(
      fc.property(expr, (e) => {
        const src = showBare(e);
        expect(strip(firstValue(parse(src)))).toEqual(strip(e));
      }),
      { numRuns: 300 },
    );
  }, 30_000);

  it("parse as CPython's ast.parse does, positions included", () => {
    SAMPLE.forEach((src, i) => {
      expect(toJson(parse(src)), src).toEqual(answers.asts[i]);
    });
  });
});

// PEP 614: the same expressions as decorators, which the grammar reads only as dotted names
// with a call; CPython's tree of each program, positions included.
const DECORATED = fc
  .sample(expr, { seed: 20261207, numRuns: 120 })
  .map((e) => `x = 1\n@${showBare(e)}\ndef f():\n    pass\n`);
const decoratedAnswers = askCPython({ asts: DECORATED });

describe("decorator expressions", () => {
  it("parse as CPython's ast.parse does, positions included", () => {
    let compared = 0;
    DECORATED.forEach((src, i) => {
      const theirs = decoratedAnswers.asts[i] as Record<string, unknown>;
      if ("error" in theirs) return;
      compared++;
      let ours: unknown;
      try {
        ours = toJson(parse(src));
      } catch (e) {
        ours = { src, error: String(e) };
      }
      expect(ours, src).toEqual(theirs);
    });
    expect(compared).toBeGreaterThan(100);
  });
});

describe("size", () => {
  it("parses and lowers a 5,000-line program whole", () => {
    const block = (i: number) => `
class Shape${i}(Base):
    """A shape."""
    def __init__(self, w, h=1, *args, scale: float = 1.0, **kw):
        self.w, self.h = w, h
        self.items = [x * scale for x in args if x is not None]
        self.meta = {"name": f"shape{i}", **kw}

    def area(self):
        if self.w < 0 or not self.h:
            raise ValueError(f"bad size {self.w!r}x{self.h:>4}")
        elif self.w == 0:
            return 0
        else:
            return self.w * self.h

def helper${i}(values, key=lambda v: -v):
    total = 0
    for i, v in enumerate(sorted(values, key=key)):
        try:
            total += v ** 2 // (i + 1)
        except ZeroDivisionError as e:
            print("skip", e, sep=": ")
            continue
        finally:
            pass
    while total > 1_000_000:
        total >>= 1
    with open("f") as fh, ctx() as c:
        data = fh.read()[1:-1:2]
    return total if total else None

result${i} = helper${i}([1, 2.5, 0x1F, 0o7, 0b1], key=abs)
assert isinstance(result${i}, (int, type(None))), "type"
del result${i}
`;
    let src = "import math\nfrom collections import defaultdict as dd\n";
    for (let i = 0; src.split("\n").length < 5000; i++) src += block(i);
    const m = parse(src);
    // Each block is five statements at module level: nothing is dropped on the way.
    const blocks = (src.match(/^class Shape/gm) ?? []).length;
    expect(m.body.length).toBe(2 + 5 * blocks);
  }, 30_000);
});
