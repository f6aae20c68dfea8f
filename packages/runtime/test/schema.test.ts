// The JSON Schema of mm-trace (schema/mm-trace.schema.json) against the reader (parseTrace):
// every trace of the corpus and of the CLI's fixtures validates, and on generated ops, valid
// and mutated, the schema and the reader accept and refuse the same lines.
//
// Where they legitimately differ (a JSON Schema sees one line's parsed JSON value, nothing
// more), the last block shows each difference:
// - a number written with a fraction or an exponent is a float to the reader and an integer
//   to the schema when its value is whole (`{"int": 5.0}`, `"generation": 2e0`);
// - duplicate keys: JSON.parse keeps the last, the reader refuses the line;
// - `call` and `return` pair up across lines, which the reader checks and a line cannot;
// - repeats nest at most 15 deep, which a recursive schema cannot count.
// The generators below never write numbers with a fraction or exponent for whole values (that
// is what JSON.stringify does below 1e21), never nest deeper than 3, and check each call or
// return line beside its partner, so the property compares only what both can see.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTrace, TraceError } from "../src/index.js";

const root = join(import.meta.dirname, "..");
const schema = JSON.parse(readFileSync(join(root, "schema", "mm-trace.schema.json"), "utf8"));
// strictRequired would refuse `required` of properties that a sibling branch declares, which
// is how the schema says "this op needs that field".
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
ajv.addSchema(schema);
const lineSchema = ajv.getSchema(schema.$id)!;
const headerSchema = ajv.getSchema(`${schema.$id}#/$defs/header`)!;
const opSchema = ajv.getSchema(`${schema.$id}#/$defs/op`)!;

const HEADER = '{"mm-trace": 1}';

function schemaAcceptsOp(line: string): boolean {
  return opSchema(JSON.parse(line)) === true;
}

/** Whether the reader accepts `line` as an op (a call or return line beside its partner). */
function readerAcceptsOp(line: string): boolean {
  const value = JSON.parse(line) as { op?: unknown } | null;
  const op = typeof value === "object" && value !== null ? value.op : undefined;
  const before = op === "return" ? ['{"op":"call"}'] : [];
  const after = op === "call" ? ['{"op":"return"}'] : [];
  try {
    parseTrace([HEADER, ...before, line, ...after].join("\n"));
    return true;
  } catch (error) {
    if (!(error instanceof TraceError)) throw error;
    return false;
  }
}

function errorsOf(line: string): string {
  opSchema(JSON.parse(line));
  return ajv.errorsText(opSchema.errors);
}

// ── Every trace in the repository ───────────────────────────────────────────────────────────

const corpus = [
  ...readdirSync(join(root, "conformance", "traces")).map((f) =>
    join(root, "conformance", "traces", f),
  ),
  ...readdirSync(join(root, "..", "..", "apps", "cli", "test", "fixtures")).map((f) =>
    join(root, "..", "..", "apps", "cli", "test", "fixtures", f),
  ),
].filter((f) => f.endsWith(".jsonl") && !f.endsWith("bad-trace.jsonl"));

describe("the schema", () => {
  it("compiles as draft 2020-12 in ajv's strict mode", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(corpus.length).toBeGreaterThan(50);
  });

  it.each(corpus.map((f) => [f.slice(root.length - "runtime".length), f]))(
    "validates every line of %s, as the reader does",
    (_name, file) => {
      const text = readFileSync(file, "utf8");
      expect(() => parseTrace(text)).not.toThrow();
      const lines = text.split("\n").filter((l) => l.trim() !== "");
      expect(headerSchema(JSON.parse(lines[0]!)), ajv.errorsText(headerSchema.errors)).toBe(true);
      for (const line of lines.slice(1)) {
        expect(opSchema(JSON.parse(line)), `${line}: ${ajv.errorsText(opSchema.errors)}`).toBe(
          true,
        );
        expect(lineSchema(JSON.parse(line))).toBe(true);
      }
    },
  );

  it("refuses the CLI's bad trace on the line the reader refuses", () => {
    const file = join(root, "..", "..", "apps", "cli", "test", "fixtures", "bad-trace.jsonl");
    const lines = readFileSync(file, "utf8").split("\n");
    expect(() => parseTrace(lines.join("\n"))).toThrow(/^.*3: unknown op "frobnicate"/);
    expect(schemaAcceptsOp(lines[1]!)).toBe(true);
    expect(schemaAcceptsOp(lines[2]!)).toBe(false);
  });

  it("refuses a header without mm-trace 1", () => {
    for (const header of [{}, { "mm-trace": 2 }, { "mm-trace": "1" }, [], 1]) {
      expect(headerSchema(header)).toBe(false);
      expect(() => parseTrace(JSON.stringify(header))).toThrow(TraceError);
    }
    expect(headerSchema({ "mm-trace": 1, description: "x", extra: [1] })).toBe(true);
  });
});

// ── Generated ops ───────────────────────────────────────────────────────────────────────────

const KEYWORDS = ["None", "True", "class", "def", "del", "for", "lambda", "return", "yield"];
const name = fc
  .stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,4}$/)
  .filter((n) => !KEYWORDS.includes(n) && !schema.$defs.name.not.enum.includes(n));
const badName = fc.constantFrom(...KEYWORDS, "", "_x", "1a", "a-b", "é", "a b");
const int = fc.integer({ min: -(2 ** 40), max: 2 ** 40 });
// Never whole and ≥ 1e21, where JSON.stringify would write an exponent.
const float = fc.double({ min: -1e15, max: 1e15, noNaN: true });
const str = fc.string({ maxLength: 6 });
const key = fc.string({ maxLength: 4 }).filter((k) => k !== "__proto__");

const value = fc.oneof(
  name,
  fc.constant(null),
  fc.boolean(),
  int.map((n) => ({ int: n })),
  float.map((x) => ({ float: x })),
  str.map((s) => ({ str: s })),
);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type OpJson = { [k: string]: Json };

const simpleOp: fc.Arbitrary<OpJson> = fc.oneof(
  fc.record(
    {
      op: fc.constant("new"),
      var: name,
      type: fc.constant("object"),
      name: str,
      del: fc.boolean(),
      resurrect: name,
    },
    { requiredKeys: ["op", "var", "type", "name"] },
  ),
  fc.record(
    {
      op: fc.constant("new"),
      var: name,
      type: fc.constantFrom("list", "tuple"),
      items: fc.array(value, { maxLength: 32 }),
    },
    { requiredKeys: ["op", "var", "type"] },
  ),
  fc.record(
    {
      op: fc.constant("new"),
      var: name,
      type: fc.constant("dict"),
      items: fc.dictionary(key, value, { maxKeys: 17, noNullPrototype: true }),
    },
    { requiredKeys: ["op", "var", "type"] },
  ),
  fc.record({ op: fc.constant("new"), var: name, type: fc.constant("int"), value: int }),
  fc.record({ op: fc.constant("new"), var: name, type: fc.constant("float"), value: float }),
  fc.record({ op: fc.constant("new"), var: name, type: fc.constant("str"), value: str }),
  fc.record({ op: fc.constant("assign"), var: name, value }),
  fc.record({ op: fc.constant("del"), var: name }),
  fc.record(
    { op: fc.constantFrom("set", "append"), obj: name, value, attr: name, key: fc.oneof(key, int) },
    { requiredKeys: ["op", "obj", "value"] },
  ),
  fc.record(
    { op: fc.constant("get"), var: name, obj: name, attr: name, key: fc.oneof(key, int) },
    { requiredKeys: ["op", "var", "obj"] },
  ),
  fc.record(
    { op: fc.constant("unset"), obj: name, attr: fc.oneof(name, fc.constant("name")), key },
    { requiredKeys: ["op", "obj"] },
  ),
  fc.record({ op: fc.constantFrom("pop", "clear"), obj: name }),
  fc.record(
    { op: fc.constant("weakref"), var: name, target: value, name: str, callback: fc.boolean() },
    { requiredKeys: ["op", "var", "target"] },
  ),
  fc.record(
    { op: fc.constant("collect"), generation: fc.integer({ min: -1, max: 3 }) },
    { requiredKeys: ["op"] },
  ),
  fc.record({
    op: fc.constant("gc"),
    call: fc.constantFrom(
      "disable",
      "enable",
      "freeze",
      "unfreeze",
      "get_count",
      "get_threshold",
      "get_freeze_count",
      "garbage",
    ),
  }),
  fc.record({
    op: fc.constant("gc"),
    call: fc.constantFrom("is_tracked", "is_finalized"),
    var: name,
  }),
  fc.record({
    op: fc.constant("gc"),
    call: fc.constant("set_threshold"),
    args: fc.array(fc.integer({ min: -1, max: 2 ** 31 }), { minLength: 0, maxLength: 4 }),
  }),
  fc.record({
    op: fc.constant("gc"),
    call: fc.constant("set_debug"),
    args: fc.array(fc.constantFrom(0, 1, 32, 38), { minLength: 0, maxLength: 2 }),
  }),
  fc.record({ op: fc.constantFrom("refcount", "sizeof"), var: name }),
);

/** A call's ops: `call`, a body, `return` (as flat lines, the way they are written). */
const callBlock = fc
  .tuple(
    fc.array(simpleOp, { maxLength: 3 }),
    fc.record({ op: fc.constant("return"), value, var: name }, { requiredKeys: ["op"] }),
  )
  .map(([body, ret]) => [{ op: "call" }, ...body, ret] as OpJson[]);

const { op: lineOp } = fc.letrec<{ op: OpJson; repeat: OpJson }>((tie) => ({
  op: fc.oneof(
    { depthSize: "small", maxDepth: 3 },
    { arbitrary: simpleOp, weight: 8 },
    { arbitrary: tie("repeat"), weight: 1 },
    { arbitrary: fc.constant({ op: "call" }), weight: 1 },
    {
      arbitrary: fc.record(
        { op: fc.constant("return"), value, var: name },
        { requiredKeys: ["op"] },
      ),
      weight: 1,
    },
  ),
  repeat: fc.record({
    op: fc.constant("repeat"),
    times: fc.integer({ min: -1, max: 5 }),
    ops: fc
      .array(
        fc.oneof(
          simpleOp.map((o) => [o]),
          callBlock,
          tie("repeat").map((o) => [o]),
        ),
        { maxLength: 3 },
      )
      .map((chunks) => chunks.flat()),
  }),
}));

const leaf: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  int,
  float,
  str,
  name,
  badName,
);
const anything: fc.Arbitrary<Json> = fc.oneof(
  leaf,
  fc.array(leaf, { maxLength: 3 }),
  fc.dictionary(key, leaf, { maxKeys: 2, noNullPrototype: true }),
  value,
);

/** One change to a valid op: a field dropped, added, retyped or renamed badly. */
const mutated: fc.Arbitrary<Json> = fc
  .tuple(
    lineOp,
    fc.nat(),
    fc.integer({ min: 0, max: 6 }),
    anything,
    badName,
    fc.string({ minLength: 1, maxLength: 6 }),
    name,
    value as fc.Arbitrary<Json>,
  )
  .map(([op, pick, how, other, bad, extraKey, name0, value0]) => {
    const keys = Object.keys(op);
    const field = keys[pick % keys.length]!;
    const copy: OpJson = { ...op };
    switch (how) {
      case 0:
        delete copy[field];
        return copy;
      case 1:
        if (extraKey === "__proto__") return copy;
        copy[extraKey] = other;
        return copy;
      case 2:
        copy[field] = other;
        return copy;
      case 3:
        copy[field] = bad;
        return copy;
      case 4:
        return other;
      case 5:
        // Often still valid: another name where a name was.
        copy[field] = name0;
        return copy;
      default:
        copy[field] = value0;
        return copy;
    }
  });

describe("the schema and parseTrace", () => {
  // Both outcomes must be common, or the property would compare little: at least `share` of the
  // runs each (a mutation mostly breaks an op, so fewer of those are accepted).
  const agree = (arbitrary: fc.Arbitrary<Json>, share: number) => {
    const seen = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(arbitrary, (op) => {
        const line = JSON.stringify(op);
        const reader = readerAcceptsOp(line);
        seen[reader ? "accepted" : "refused"]++;
        expect(schemaAcceptsOp(line), `${line}\nreader ${reader}; schema: ${errorsOf(line)}`).toBe(
          reader,
        );
      }),
      // Five times the configured runs (MM_FC_RUNS scales both), so the shares below are stable.
      { numRuns: 5 * (fc.readConfigureGlobal().numRuns ?? 100) },
    );
    const runs = seen.accepted + seen.refused;
    expect(seen.accepted).toBeGreaterThan(runs * share);
    expect(seen.refused).toBeGreaterThan(runs * share);
  };

  it("agree on generated ops (some break a rule: items past 30, times -1, args out of range)", () => {
    agree(lineOp, 0.1);
  });

  it("agree on mutated ops: a field dropped, added, retyped or given a bad name", () => {
    agree(mutated, 0.02);
  });

  it("refuse, both, the ops that break each rule", () => {
    const refused = [
      '{"op":"new","var":"a","type":"set"}',
      '{"op":"new","var":"class","type":"list"}',
      '{"op":"new","var":"a","type":"object","name":"a","del":false,"resurrect":"g"}',
      '{"op":"new","var":"a","type":"int","value":"5"}',
      '{"op":"new","var":"a","type":"list","extra":1}',
      '{"op":"new","var":"a","type":"list","items":null}',
      '{"op":"new","var":"a","type":"dict","items":null}',
      `{"op":"new","var":"a","type":"list","items":[${Array(31).fill("null").join(",")}]}`,
      '{"op":"set","obj":"a","attr":"name","value":null}',
      '{"op":"set","obj":"a","attr":"x","key":"k","value":null}',
      '{"op":"get","var":"v","obj":"a"}',
      '{"op":"weakref","var":"w","target":"a","callback":true}',
      '{"op":"repeat","times":-1,"ops":[]}',
      '{"op":"gc","call":"set_debug","args":[2]}',
      '{"op":"gc","call":"set_threshold","args":[2147483648]}',
      '{"op":"gc","call":"get_count","var":"a"}',
      '{"op":"assign","var":"a","value":{"int":1,"float":1}}',
      '{"op":"assign","var":"a","value":"_private"}',
    ];
    for (const line of refused) {
      expect(readerAcceptsOp(line), line).toBe(false);
      expect(schemaAcceptsOp(line), line).toBe(false);
    }
  });
});

describe("where one line cannot say what the reader checks", () => {
  it("a whole number written as a float: the schema accepts it, the reader does not", () => {
    for (const line of [
      '{"op":"collect","generation":2.0}',
      '{"op":"new","var":"x","type":"int","value":5e0}',
      '{"op":"assign","var":"x","value":{"int":1.0}}',
    ]) {
      expect(schemaAcceptsOp(line)).toBe(true);
      expect(readerAcceptsOp(line)).toBe(false);
    }
    expect(headerSchema(JSON.parse('{"mm-trace": 1.0}'))).toBe(true);
    expect(() => parseTrace('{"mm-trace": 1.0}')).toThrow(TraceError);
  });

  it("duplicate keys: JSON.parse keeps the last one, the reader refuses the line", () => {
    const line = '{"op":"del","var":"a","var":"b"}';
    expect(schemaAcceptsOp(line)).toBe(true);
    expect(readerAcceptsOp(line)).toBe(false);
  });

  it("call and return pair up across lines", () => {
    expect(schemaAcceptsOp('{"op":"call"}')).toBe(true);
    expect(() => parseTrace(`${HEADER}\n{"op":"call"}`)).toThrow(/'call' without a 'return'/);
    expect(() => parseTrace(`${HEADER}\n{"op":"return"}`)).toThrow(/'return' without a 'call'/);
  });

  it("repeats nest at most 15 deep", () => {
    let op: OpJson = { op: "del", var: "a" };
    for (let depth = 0; depth < 16; depth++) op = { op: "repeat", times: 1, ops: [op] };
    const line = JSON.stringify(op);
    expect(schemaAcceptsOp(line)).toBe(true);
    expect(readerAcceptsOp(line)).toBe(false);
    expect(readerAcceptsOp(JSON.stringify((op.ops as OpJson[])[0]))).toBe(true);
  });
});
