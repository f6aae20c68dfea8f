// Random mm-traces for property tests: a small pool of variable names and every op kind, so
// that sequences build cycles, share objects, fail on purpose and churn.

import fc from "fast-check";

const VARS = ["a", "b", "c", "d", "e"];
const name = fc.constantFrom(...VARS);
const value = fc.oneof(
  { weight: 6, arbitrary: name },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.integer({ min: -10, max: 1000 }).map((n) => ({ int: n })) },
  {
    weight: 1,
    arbitrary: fc
      .double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })
      .map((x) => ({ float: x })),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }).map((s) => ({ str: s })) },
);
const key = fc.oneof(fc.constantFrom("k", "m", "n"), fc.integer({ min: -3, max: 3 }));
const target = fc.oneof(
  fc.constantFrom("x", "y").map((attr) => ({ attr })),
  key.map((k) => ({ key: k })),
);

/** One op (not call/return/repeat), as a JSON object. */
const simpleOp: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc
    .record({ var: name, name: fc.constantFrom("o1", "o2", "o3"), del: fc.boolean() })
    .map((r) => ({ op: "new", type: "object", ...r })),
  fc
    .record({ var: name, items: fc.array(value, { maxLength: 4 }) })
    .map((r) => ({ op: "new", type: "list", ...r })),
  fc
    .record({ var: name, items: fc.array(value, { maxLength: 3 }) })
    .map((r) => ({ op: "new", type: "tuple", ...r })),
  fc
    .record({
      var: name,
      items: fc.dictionary(fc.constantFrom("k", "m", "n"), value, { maxKeys: 3 }),
    })
    .map((r) => ({ op: "new", type: "dict", ...r })),
  fc.record({ var: name, value }).map((r) => ({ op: "assign", ...r })),
  name.map((v) => ({ op: "del", var: v })),
  fc
    .record({ obj: name, target, value })
    .map(({ obj, target, value }) => ({ op: "set", obj, ...target, value })),
  fc
    .record({ var: name, obj: name, target })
    .map(({ var: v, obj, target }) => ({ op: "get", var: v, obj, ...target })),
  fc.record({ obj: name, target }).map(({ obj, target }) => ({ op: "unset", obj, ...target })),
  fc.record({ obj: name, value }).map((r) => ({ op: "append", ...r })),
  name.map((obj) => ({ op: "pop", obj })),
  name.map((obj) => ({ op: "clear", obj })),
  fc
    .record({ var: name, target: name, callback: fc.boolean() })
    .map((r) => ({ op: "weakref", ...r, name: `w${r.var}` })),
  fc.integer({ min: 0, max: 2 }).map((generation) => ({ op: "collect", generation })),
  name.map((v) => ({ op: "sizeof", var: v })),
  name.map((v) => ({ op: "refcount", var: v })),
);

/** Every variable starts bound, to an object with a finalizer, a list or a dict. */
const prologue = fc.tuple(
  ...VARS.map((v) =>
    fc.constantFrom<Record<string, unknown>>(
      { op: "new", var: v, type: "object", name: `${v}0`, del: true },
      { op: "new", var: v, type: "list", items: [] },
      { op: "new", var: v, type: "dict" },
    ),
  ),
);

/** A whole trace: a prologue binding every variable, then ops, some in calls, some repeated. */
export const traceText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 8, arbitrary: simpleOp.map((op) => [op]) },
      {
        weight: 1,
        arbitrary: fc
          .array(simpleOp, { maxLength: 4 })
          .map((ops) => [{ op: "call" }, ...ops, { op: "return", value: "a", var: "e" }]),
      },
      {
        weight: 1,
        arbitrary: fc
          .record({
            times: fc.integer({ min: 0, max: 5 }),
            ops: fc.array(simpleOp, { maxLength: 3 }),
          })
          .map((r) => [{ op: "repeat", ...r }]),
      },
    ),
    { maxLength: 40, size: "max" },
  )
  .chain((groups) => prologue.map((start) => [{ "mm-trace": 1 }, ...start, ...groups.flat()]))
  .map((lines) => lines.map((line) => JSON.stringify(line)).join("\n"));
