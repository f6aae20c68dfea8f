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

// ------------------------------------------------------------------------------------------
// Wider traces, for the comparison with CPython: shapes the small ops above cannot reach in 40
// steps. Long-lived populations (many survivors, so the 25% rule holds full collections back),
// chains nested past the trashcan's depth, dicts grown past their 8-slot table, more attribute
// names than a class's key table holds (30), weak references stored inside the cycles they
// point into, and low thresholds so that automatic collections of every generation happen.

/** More attribute names than a key table takes, so some instances need a real dict. */
const ATTRS = ["x", "y", ...Array.from({ length: 38 }, (_, i) => `a${i}`)];
/** Enough str keys to grow a dict's table several times. */
const KEYS = Array.from({ length: 24 }, (_, i) => `k${i}`);
const wideKey = fc.oneof(fc.constantFrom(...KEYS), fc.integer({ min: -3, max: 40 }));
const wideTarget = fc.oneof(
  fc.constantFrom(...ATTRS).map((attr) => ({ attr })),
  wideKey.map((k) => ({ key: k })),
);

/** An op on a wide target (attributes and keys from the big pools). */
const wideOp: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .record({ obj: name, target: wideTarget, value })
      .map(({ obj, target, value }) => ({ op: "set", obj, ...target, value })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ var: name, obj: name, target: wideTarget })
      .map(({ var: v, obj, target }) => ({ op: "get", var: v, obj, ...target })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ obj: name, target: wideTarget })
      .map(({ obj, target }) => ({ op: "unset", obj, ...target })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        var: name,
        items: fc.dictionary(fc.constantFrom(...KEYS), value, { minKeys: 6, maxKeys: 16 }),
      })
      .map((r) => ({ op: "new", type: "dict", ...r })),
  },
);

/** `count` objects kept alive in the list `keep`, optionally each in a self-cycle. */
const population = fc
  .record({
    times: fc.integer({ min: 10, max: 300 }),
    del: fc.boolean(),
    cyclic: fc.boolean(),
    keep: fc.boolean(),
  })
  .map(({ times, del, cyclic, keep }) => [
    {
      op: "repeat",
      times,
      ops: [
        { op: "new", var: "p", type: "object", name: "p", del },
        ...(cyclic ? [{ op: "set", obj: "p", attr: "me", value: "p" }] : []),
        ...(keep ? [{ op: "append", obj: "keep", value: "p" }] : []),
      ],
    },
    { op: "del", var: "p" },
  ]);

/** A chain `depth` deep in `var` (lists, tuples or objects), dropped or kept. */
const chain = fc
  .record({
    var: name,
    depth: fc.integer({ min: 2, max: 250 }),
    kind: fc.constantFrom("list", "tuple", "object"),
    drop: fc.boolean(),
  })
  .map(({ var: v, depth, kind, drop }) => [
    { op: "new", var: v, type: "list", items: [] },
    {
      op: "repeat",
      times: depth,
      ops:
        kind === "object"
          ? [
              { op: "new", var: "q", type: "object", name: "q", del: true },
              { op: "set", obj: "q", attr: "next", value: v },
              { op: "assign", var: v, value: "q" },
            ]
          : [{ op: "new", var: v, type: kind, items: [v] }],
    },
    ...(kind === "object" ? [{ op: "del", var: "q" }] : []),
    ...(drop ? [{ op: "del", var: v }] : []),
  ]);

/** A dict grown key by key past its first tables, then some keys deleted. */
const bigDict = fc
  .record({
    var: name,
    keys: fc.integer({ min: 6, max: KEYS.length }),
    deleted: fc.array(fc.constantFrom(...KEYS), { maxLength: 4 }),
  })
  .map(({ var: v, keys, deleted }) => [
    { op: "new", var: v, type: "dict" },
    ...KEYS.slice(0, keys).map((k) => ({ op: "set", obj: v, key: k, value: v })),
    ...deleted.map((k) => ({ op: "unset", obj: v, key: k })),
    { op: "sizeof", var: v },
  ]);

/** Many attribute names on the instances of one class: past the key table's 30 names. */
const manyAttributes = fc
  .record({ var: name, count: fc.integer({ min: 5, max: ATTRS.length }) })
  .map(({ var: v, count }) => [
    { op: "new", var: v, type: "object", name: "m", del: true },
    ...ATTRS.slice(0, count).map((attr) => ({ op: "set", obj: v, attr, value: v })),
    { op: "sizeof", var: v },
  ]);

/** A two-cycle whose members hold a weak reference (with or without a callback) to each other. */
const weakCycle = fc
  .record({ first: name, second: name, callback: fc.boolean(), collect: fc.boolean() })
  .filter(({ first, second }) => first !== second)
  .map(({ first, second, callback, collect }) => [
    { op: "new", var: first, type: "object", name: `${first}c`, del: true },
    { op: "new", var: second, type: "object", name: `${second}c` },
    { op: "set", obj: first, attr: "other", value: second },
    { op: "set", obj: second, attr: "other", value: first },
    { op: "weakref", var: "w", target: first, callback, name: "wc" },
    { op: "set", obj: second, attr: "w", value: "w" },
    { op: "del", var: "w" },
    { op: "del", var: first },
    { op: "del", var: second },
    ...(collect ? [{ op: "collect" }] : []),
  ]);

/** Low thresholds, so that automatic collections of every generation happen in a short trace. */
const thresholds = fc.option(
  fc
    .tuple(
      fc.integer({ min: 2, max: 60 }),
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 6 }),
    )
    .map((args) => ({ op: "gc", call: "set_threshold", args })),
);

/**
 * A wide trace: the prologue of {@link traceText} plus a list `keep`, sometimes low thresholds,
 * then a mix of small ops, wide ops and the shapes above, and finally a full collection and the
 * counts (so that whatever survived the ops is examined once more).
 */
export const wideTraceText: fc.Arbitrary<string> = fc
  .tuple(
    prologue,
    thresholds,
    fc.array(
      fc.oneof(
        { weight: 6, arbitrary: simpleOp.map((op) => [op]) },
        { weight: 3, arbitrary: wideOp.map((op) => [op]) },
        { weight: 1, arbitrary: population },
        { weight: 1, arbitrary: chain },
        { weight: 1, arbitrary: bigDict },
        { weight: 1, arbitrary: manyAttributes },
        { weight: 1, arbitrary: weakCycle },
        {
          weight: 1,
          arbitrary: fc
            .array(fc.oneof(simpleOp, wideOp), { maxLength: 4 })
            .map((ops) => [{ op: "call" }, ...ops, { op: "return", value: "a", var: "e" }]),
        },
      ),
      { maxLength: 30, size: "max" },
    ),
  )
  .map(([start, limits, groups]) => [
    { "mm-trace": 1 },
    ...start,
    { op: "new", var: "keep", type: "list" },
    ...(limits ? [limits] : []),
    ...groups.flat(),
    { op: "collect" },
    { op: "gc", call: "get_count" },
  ])
  .map((lines) => lines.map((line) => JSON.stringify(line)).join("\n"));
