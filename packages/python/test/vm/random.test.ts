// The random module against python3: seeded sequences of every function (ints of any size,
// floats, str, bytes and bytearray seeds), Random instances and their saved states, the state
// object's size, argument errors; a property over random seeds and call sequences; and the
// module's SHA-512 and Mersenne Twister against python3's hashlib and _random.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha512 } from "../../src/vm/random.js";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("random", [
  [
    "seeded sequences of every function",
    `import random
random.seed(42)
print(random.random(), random.randint(1, 100), random.randrange(0, 100, 7), random.getrandbits(70))
l = list(range(10)); random.shuffle(l); print(l)
print(random.choice("abcdef"), random.choices(range(5), k=4), random.choices("abc", [1, 2, 3], k=5))
print(random.choices("abc", cum_weights=[1, 5, 6], k=4), random.randrange(10, 0, -3))
print(random.sample(range(1000), 10), random.sample(range(10), 3), random.sample("abcdefgh", 8))
print(random.sample(range(5), k=4, counts=[3, 1, 0, 2, 2]))
print(random.uniform(1, 5), random.gauss(0, 1), random.gauss(0, 1), random.normalvariate(2, 3))
print(random.expovariate(2), random.lognormvariate(0, 1), random.vonmisesvariate(1, 2))
print(random.gammavariate(0.5, 1), random.gammavariate(1, 2), random.gammavariate(3, 1))
print(random.betavariate(2, 3), random.paretovariate(2), random.weibullvariate(1, 2), random.triangular(0, 10, 3))
print(random.randbytes(9), random.getrandbits(0), random.getrandbits(32), random.getrandbits(33))`,
  ],
  [
    "seeds of every kind",
    `import random
for s in [0, 1, -1, 2**32, 2**32 - 1, -12345678901234567890123, 10**200, True, 1.5, -2.25, 0.0,
          "", "hello", "héllo ✓", b"", b"bytes", bytearray(b"ba"), "x" * 300]:
    random.seed(s)
    print(repr(s)[:20], random.random(), random.getrandbits(8))
random.seed("abc", version=1); print(random.random())
random.seed(b"abc", version=1); print(random.random())
r = random.Random(7)
r.seed(7); a = r.random(); r.seed(7); print(a == r.random())`,
  ],
  [
    "Random instances and saved states",
    `import random
a, b = random.Random(5), random.Random(5)
print([a.random() for _ in range(3)] == [b.random() for _ in range(3)])
s = a.getstate()
print(type(s), len(s), s[0], len(s[1]), s[1][-1], s[2])
x = [a.randint(0, 9) for _ in range(20)]
a.setstate(s)
print(x == [a.randint(0, 9) for _ in range(20)], a.__dict__)
a.gauss(); print(a.getstate()[2] is not None)
random.seed(1); g = random.getstate(); n1 = random.random(); random.setstate(g); print(n1 == random.random())
class Dice(random.Random):
    def roll(self):
        return self.randint(1, 6)
print([Dice(3).roll() for _ in range(2)], isinstance(Dice(), random.Random))
sr = random.SystemRandom()
print(0 <= sr.random() < 1, 0 <= sr.randint(1, 6) <= 6, len(sr.randbytes(4)), sr.getrandbits(5) < 32)
random.seed()
print(0 <= random.random() < 1, random.Random().random() != random.Random().random())`,
  ],
  [
    "argument errors",
    `import random
cases = [lambda: random.randrange(0), lambda: random.randrange(5, 2), lambda: random.randrange(1, 5, 0),
         lambda: random.randrange(1.5), lambda: random.randrange(10, step=2), lambda: random.choice([]),
         lambda: random.sample({1, 2}, 1), lambda: random.sample([1, 2], 3), lambda: random.sample([1], -1),
         lambda: random.choices([1, 2], [1]), lambda: random.choices([1], [1], cum_weights=[1]),
         lambda: random.choices([1, 2], 2), lambda: random.choices([1], [0]), lambda: random.getrandbits(-1),
         lambda: random.getrandbits(1.5), lambda: random.seed([1]), lambda: random.setstate((9, (), None)),
         lambda: random.setstate((3, (1, 2), None)), lambda: random.setstate((3, (0,) * 624 + (700,), None)),
         lambda: random.gammavariate(0, 1), lambda: random.sample([1, 2], 1, counts=[1]),
         lambda: random.sample([1, 2], 1, counts=[0, 0]), lambda: random.randint(1, 2.5)]
for case in cases:
    try:
        print(case())
    except Exception as e:
        print(type(e).__name__, e)`,
  ],
]);

/** A seed as Python source: an int of any size, a str or a float. */
const seedSource = fc.oneof(
  fc.bigInt({ min: -(1n << 200n), max: 1n << 200n }).map((n) => n.toString()),
  fc.integer().map(String),
  fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s)),
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .map((d) => `float(${JSON.stringify(String(d))})`),
);

/** One call on the generator `r`, printed. */
const call = fc.oneof(
  fc.constant("r.random()"),
  fc.integer({ min: 0, max: 200 }).map((k) => `r.getrandbits(${k})`),
  fc
    .tuple(fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }), fc.bigInt({ min: 0n, max: 1n << 70n }))
    .map(([a, w]) => `r.randint(${a}, ${a + w})`),
  fc.integer({ min: 1, max: 1000 }).map((n) => `r.randrange(${n})`),
  fc.integer({ min: 0, max: 30 }).map((n) => `r.shuffle(l := list(range(${n}))) or l`),
  fc.integer({ min: 1, max: 30 }).map((n) => `r.choice(range(${n}))`),
  fc
    .tuple(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 0, max: 40 }))
    .map(([n, k]) => `r.sample(range(${n}), ${Math.min(n, k)})`),
  fc.integer({ min: 0, max: 10 }).map((k) => `r.choices("abcde", [1, 0, 2.5, 3, 1], k=${k})`),
  fc.constant("r.gauss(1, 2)"),
  fc.constant("r.normalvariate()"),
  fc.constant("r.uniform(-3, 7)"),
  fc.constant("(s := r.getstate(), r.random(), r.setstate(s))[1] == r.random()"),
);

describe("random against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("draws python3's numbers for random seeds and call sequences", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        seedSource,
        fc.array(call, { minLength: 1, maxLength: 12 }),
        async (s, calls) => {
          const lines = ["import random", `r = random.Random(${s})`];
          for (const c of calls) lines.push(`print(${c})`);
          const source = `${lines.join("\n")}\n`;
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(40), ...(seed !== undefined ? { seed } : {}) },
    );
  });

  it("hashes as hashlib.sha512 does", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (data) => {
        const hex = Buffer.from(data).toString("hex");
        const want = await cpython.run(
          `import hashlib\nprint(hashlib.sha512(bytes.fromhex("${hex}")).hexdigest())\n`,
        );
        expect(`${Buffer.from(sha512(data)).toString("hex")}\n`).toBe(want.stdout);
      }),
      { numRuns: fcRuns(20), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});
