// dataclasses against python3. fast-check makes random dataclasses (fields with or without a
// default or a default factory, some left out of `__init__`, `repr` or comparisons, and the
// decorator's options: frozen, order, eq, unsafe_hash, slots, kw_only); each program prints the
// class's generated methods at work (the repr, equality, ordering, hashing, the fields, asdict,
// replace, the instance's size and dict), calls `__init__` with too few, too many and unknown
// arguments, assigns to a field, or prints the error the decorator raised. python3 runs the
// same program; stdout and exit status must be equal. Named programs follow.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

/** One generated field. */
interface FieldSpec {
  readonly default: "none" | "value" | "factory";
  readonly init: boolean;
  readonly repr: boolean;
  readonly compare: boolean;
}

const fieldArb = fc.record({
  default: fc.constantFrom("none", "value", "factory") as fc.Arbitrary<FieldSpec["default"]>,
  init: fc.boolean(),
  repr: fc.boolean(),
  compare: fc.boolean(),
});

const optionsArb = fc.record({
  frozen: fc.boolean(),
  order: fc.boolean(),
  eq: fc.boolean(),
  unsafe_hash: fc.boolean(),
  slots: fc.boolean(),
  kw_only: fc.boolean(),
});

/** The program defining a dataclass of `fields` with `options` and using it. */
function source(fields: readonly FieldSpec[], options: Record<string, boolean>): string {
  const opts = Object.entries(options)
    .map(([k, v]) => `${k}=${v ? "True" : "False"}`)
    .join(", ");
  const lines = [
    "import sys",
    "from dataclasses import dataclass, field, fields, asdict, replace",
    "try:",
    `    @dataclass(${opts})`,
    "    class D:",
  ];
  fields.forEach((f, i) => {
    const args: string[] = [];
    if (f.default === "value") args.push(`default=${i * 10}`);
    if (f.default === "factory") args.push("default_factory=list");
    if (!f.init) args.push("init=False");
    if (!f.repr) args.push("repr=False");
    if (!f.compare) args.push("compare=False");
    lines.push(`        f${i}: int${args.length > 0 ? ` = field(${args.join(", ")})` : ""}`);
  });
  if (fields.length === 0) lines.push("        pass");
  lines.push(
    "except (TypeError, ValueError) as e:",
    '    print("class", type(e).__name__, e)',
    "    raise SystemExit",
    "names = [f.name for f in fields(D)]",
    "print(names, D.__match_args__ if hasattr(D, '__match_args__') else None)",
    "print(D.__doc__, D.__hash__ is None, hasattr(D, '__lt__') and '__lt__' in D.__dict__)",
    "needed = [f.name for f in fields(D) if f.init]",
    "kw = {n: i + 1 for i, n in enumerate(needed)}",
    "try:",
    "    a = D(**kw)",
    "    b = D(**kw)",
    "except TypeError as e:",
    '    print("init", e)',
    "    raise SystemExit",
    "print(repr(a), a == b, a is b)",
    "try:",
    "    print(a < b, a <= b)",
    "except TypeError as e:",
    '    print("order", e)',
    "try:",
    "    print(hash(a) == hash(b))",
    "except TypeError as e:",
    '    print("hash", e)',
    "print(asdict(a), sys.getsizeof(a), hasattr(a, '__dict__'))",
    "for args, extra in [((), {}), (tuple(range(len(needed) + 1)), {}), ((), {'nope': 1})]:",
    "    try:",
    "        D(*args, **extra)",
    "        print('made')",
    "    except TypeError as e:",
    '        print("call", e)',
    "if names:",
    "    try:",
    "        setattr(a, names[0], 99)",
    "        print('set', getattr(a, names[0]))",
    "    except AttributeError as e:",
    '        print("set", type(e).__name__, e)',
    "    try:",
    "        print(replace(b, **{needed[0]: 7}) if needed else replace(b))",
    "    except (TypeError, ValueError) as e:",
    '        print("replace", e)',
  );
  return `${lines.join("\n")}\n`;
}

describe("random dataclasses against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("generated methods, errors, sizes are python3's", async () => {
    const seen = { made: 0, refused: 0, frozen: 0 };
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(fc.array(fieldArb, { maxLength: 4 }), optionsArb, async (fs, options) => {
        const program = source(fs, options);
        const pending = cpython.run(program);
        const got = runPython(program, { filename: "prog.py" });
        const want = await pending;
        expect(got.stdout, program).toBe(want.stdout);
        expect(got.status).toBe(want.status);
        if (want.stdout.includes("made")) seen.made++;
        if (want.stdout.startsWith("class ")) seen.refused++;
        if (want.stdout.includes("FrozenInstanceError")) seen.frozen++;
      }),
      { numRuns: fcRuns(80), ...(seed !== undefined ? { seed } : {}) },
    );
    expect(seen.made).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.frozen).toBeGreaterThan(0);
  }, 600_000);
});

describeAgainstPython("dataclasses", [
  [
    "inheritance, kw_only fields, KW_ONLY and __post_init__",
    `from dataclasses import dataclass, field, KW_ONLY, fields
@dataclass
class Base:
    x: int
    y: int = 1
@dataclass
class Child(Base):
    z: int = 2
    _: KW_ONLY
    w: int = 3
    def __post_init__(self):
        self.total = self.x + self.y + self.z + self.w
c = Child(1, 2, 3, w=4)
print(c, c.total, [f.name for f in fields(c)], Child.__match_args__, Child.__doc__)
try:
    Child(1, 2, 3, 4)
except TypeError as e:
    print(e)
@dataclass(kw_only=True)
class K:
    a: int
    b: int = 0
print(K(a=1), K.__doc__)
try:
    K(1)
except TypeError as e:
    print(e)`,
  ],
  [
    "decorator errors: frozen mixing, order without eq, overwriting, a field without annotation",
    `from dataclasses import dataclass, field
@dataclass(frozen=True)
class F:
    x: int = 0
@dataclass
class N:
    x: int = 0
for make in [
    lambda: dataclass(type("A", (F,), {"__annotations__": {"y": int}, "y": 1})),
    lambda: dataclass(frozen=True)(type("B", (N,), {"__annotations__": {"y": int}, "y": 1})),
    lambda: dataclass(order=True, eq=False)(type("C", (), {})),
    lambda: dataclass(order=True)(type("D", (), {"__lt__": lambda s, o: True})),
    lambda: dataclass(unsafe_hash=True)(type("E", (), {"__hash__": lambda s: 1})),
    lambda: dataclass(type("G", (), {"x": field(default=1)})),
    lambda: field(default=1, default_factory=list),
    lambda: dataclass(weakref_slot=True)(type("H", (), {})),
]:
    try:
        make()
        print("made")
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)`,
  ],
  [
    "asdict and astuple recurse into dataclasses, lists, tuples and dicts; make_dataclass",
    `from dataclasses import dataclass, field, asdict, astuple, make_dataclass, is_dataclass
@dataclass
class P:
    x: int
    y: int
@dataclass
class Line:
    a: P
    b: P
    tags: dict = field(default_factory=dict)
    pts: list = field(default_factory=list)
l = Line(P(0, 0), P(1, 1), {"k": P(2, 2)}, [P(3, 3), (P(4, 4),)])
print(asdict(l))
print(astuple(l))
d = asdict(l)
print(d["a"] is not l.a, is_dataclass(l), is_dataclass(Line), is_dataclass(1))
Q = make_dataclass("Q", [("a", int), ("b", int, field(default=5))], frozen=True)
print(Q(1), Q(1) == Q(1, 5), hash(Q(1)) == hash(Q(1, 5)))
try:
    asdict(P)
except TypeError as e:
    print(e)`,
  ],
  [
    "slots=True: sizes, tracking, no __dict__, weakref_slot",
    `import sys, gc, weakref
from dataclasses import dataclass
@dataclass(slots=True)
class S:
    a: int
    b: str = "x"
@dataclass(slots=True, weakref_slot=True)
class W:
    a: int
@dataclass
class D:
    a: int
    b: str = "x"
s, w, d = S(1), W(1), D(1)
print(sys.getsizeof(s), sys.getsizeof(w), sys.getsizeof(d), S.__slots__, W.__slots__)
print(gc.is_tracked(s), hasattr(s, "__dict__"), weakref.ref(w)() is w)
try:
    weakref.ref(s)
except TypeError as e:
    print(e)`,
  ],
]);
