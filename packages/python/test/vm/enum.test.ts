// enum against python3. fast-check makes random enumerations (Enum, IntEnum or Flag; members
// with explicit values, auto() and aliases); each program prints the members in order, every
// lookup by value and by name (the same object), reprs and strs, `in`, `unique`'s verdict and
// the errors for a missing value or name. python3 runs the same program; stdout and exit
// status must be equal. Named programs follow.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

/** One generated member: an explicit value, auto(), or an alias of an earlier member. */
type MemberSpec =
  | { kind: "value"; value: number }
  | { kind: "auto" }
  | { kind: "alias"; of: number };

const memberArb: fc.Arbitrary<MemberSpec> = fc.oneof(
  fc.record({ kind: fc.constant("value" as const), value: fc.integer({ min: 1, max: 9 }) }),
  fc.record({ kind: fc.constant("auto" as const) }),
  fc.record({ kind: fc.constant("alias" as const), of: fc.nat(5) }),
);

/** The program defining an enumeration of `base` with `members` and using it. */
function source(base: string, members: readonly MemberSpec[]): string {
  const lines = [`from enum import ${base}, auto, unique`, `class E(${base}):`];
  members.forEach((m, i) => {
    let value: string;
    if (m.kind === "value") value = base === "Flag" ? String(1 << (m.value % 4)) : String(m.value);
    else if (m.kind === "auto" || i === 0) value = "auto()";
    else value = `M${m.of % i}`;
    lines.push(`    M${i} = ${value}`);
  });
  if (members.length === 0) lines.push("    pass");
  lines.push(
    "print(list(E), len(E), repr(E))",
    "print(list(E.__members__))",
    "for name, m in E.__members__.items():",
    "    print(name, repr(m), str(m), m.name, m.value, E(m.value) is m, E[name] is m, m in E)",
    "try:",
    "    unique(E)",
    '    print("unique")',
    "except ValueError as e:",
    '    print("ValueError", e)',
    "for bad in (0 if E.__name__ != 'E' else 100, 'x'):",
    "    try:",
    "        print(repr(E(bad)))",
    "    except ValueError as e:",
    '        print("ValueError", e)',
    "try:",
    '    E["NOPE"]',
    "except KeyError as e:",
    '    print("KeyError", e)',
  );
  return `${lines.join("\n")}\n`;
}

describe("random enumerations against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("members, lookups, aliases and errors are python3's", async () => {
    const seen = { alias: 0, unique: 0 };
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("Enum", "IntEnum", "Flag"),
        fc.array(memberArb, { maxLength: 6 }),
        async (base, members) => {
          const program = source(base, members);
          const pending = cpython.run(program);
          const got = runPython(program, { filename: "prog.py" });
          const want = await pending;
          expect(got.stdout, program).toBe(want.stdout);
          expect(got.status).toBe(want.status);
          if (want.stdout.includes("duplicate values")) seen.alias++;
          if (want.stdout.includes("\nunique\n")) seen.unique++;
        },
      ),
      { numRuns: fcRuns(80), ...(seed !== undefined ? { seed } : {}) },
    );
    expect(seen.alias).toBeGreaterThan(0);
    expect(seen.unique).toBeGreaterThan(0);
  }, 600_000);
});

describeAgainstPython("enum", [
  [
    "Enum, IntEnum, Flag, auto, unique, aliases, errors, copies and sizes",
    `from enum import Enum, IntEnum, Flag, auto, unique
import sys
class Color(Enum):
    RED = 1
    GREEN = 2
    BLUE = 3
    CRIMSON = 1
    def describe(self): return self.name.lower()
print(Color.RED, repr(Color.RED), Color(1), Color['GREEN'], Color.CRIMSON is Color.RED, list(Color), len(Color))
print(Color, repr(Color), Color.__members__, type(Color.__members__))
print(Color.RED.name, Color.RED.value, Color.RED.describe(), f"{Color.RED}", format(Color.RED), str(Color.RED))
print(Color.RED in Color, hash(Color.RED) == hash("RED"), Color.RED == 1, isinstance(Color.RED, Color), type(Color.RED))
try: Color(7)
except ValueError as e: print(e)
try: Color['X']
except KeyError as e: print(repr(e))
try: 1 in Color
except TypeError as e: print(e)
class N(IntEnum):
    ONE = 1
    TWO = auto()
print(N.ONE, repr(N.TWO), N.TWO + 1, N.ONE == 1, f"{N.ONE}", sorted([N.TWO, N.ONE]), N(2), isinstance(N.ONE, int))
class P(Flag):
    R = auto()
    W = auto()
    X = auto()
print(P.R | P.W, repr(P.R | P.W), P.R in (P.R | P.W), bool(P(0)), repr(P(0)), list(P), repr(~P.R), (P.R|P.X).value)
try:
    @unique
    class U(Enum):
        A = 1
        B = 1
except ValueError as e: print(e)
class A(Enum):
    X = auto()
    Y = auto()
print(A.X.value, A.Y.value, repr(auto()))
try:
    class C2(Color): pass
except TypeError as e: print(e)
try: Color.RED = 5
except AttributeError as e: print(e)
import copy
print(copy.copy(Color.RED) is Color.RED, copy.deepcopy(Color.RED) is Color.RED)
print(sys.getsizeof(Color.RED), sys.getsizeof(N.ONE))
print(Color.RED.__class__.__mro__, N.__mro__)`,
  ],
  [
    "IntFlag, StrEnum, tuple values with __init__, the functional API, _missing_",
    `from enum import Enum, IntEnum, IntFlag, StrEnum, Flag, auto
class Perm(IntFlag):
    R = 4
    W = 2
    X = 1
print(Perm.R | Perm.W, repr(Perm.R | Perm.W), str(Perm.R), f"{Perm.R}", Perm.R + 1, Perm.R | 1, repr(Perm(0)))
class S(StrEnum):
    A = auto()
    B = "bee"
print(S.A, repr(S.A), S.B == "bee", f"{S.B}", S("bee"))
class Planet(Enum):
    EARTH = (5.97e24, 6.37e6)
    MARS = (6.42e23, 3.39e6)
    def __init__(self, mass, radius):
        self.mass = mass
        self.radius = radius
print(Planet.EARTH.mass, Planet.MARS.value, Planet((6.42e23, 3.39e6)))
Animal = Enum("Animal", "ANT BEE CAT")
print(list(Animal), Animal.BEE.value, repr(Animal))
Shape = Enum("Shape", [("SQUARE", 4), ("TRI", 3)])
print(Shape(3), Shape.__members__.keys() if False else list(Shape.__members__))
class Ordered(Enum):
    B = 2
    A = 1
    @classmethod
    def _missing_(cls, value):
        return cls.A
print(Ordered(9), list(reversed(Ordered)), Ordered.A < Ordered.B if False else Ordered.A.name)
try:
    Ordered.A < Ordered.B
except TypeError as e:
    print(e)
print({Ordered.A: 1}[Ordered.A], Ordered.A == Ordered.A, Ordered.A != Ordered.B)
try:
    del Ordered.A
except AttributeError as e:
    print(e)
try:
    class E2(int, str, Enum):
        A = 1
except TypeError as e:
    print("too many")
class Color(Enum):
    RED = 1
print(Color.RED.__class__.__name__, Color.RED._name_, Color.RED.__objclass__)`,
  ],
]);
