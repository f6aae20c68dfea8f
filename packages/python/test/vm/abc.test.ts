// The abc module against python3: abstract methods and properties refusing instantiation with
// CPython's message, register, __subclasshook__, metaclass __instancecheck__/__subclasscheck__,
// the deprecated decorators; and a property over random class hierarchies.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("abc", [
  [
    "abstract methods, properties and the deprecated decorators",
    `import abc
from abc import ABC, ABCMeta, abstractmethod
class Base(ABC):
    @abstractmethod
    def a(self): ...
    @property
    @abstractmethod
    def p(self): ...
    @classmethod
    @abstractmethod
    def c(cls): ...
    @staticmethod
    @abstractmethod
    def s(): ...
    @abc.abstractproperty
    def old(self): ...
for cls in (Base,):
    try:
        cls()
    except TypeError as e:
        print(e)
print(sorted(Base.__abstractmethods__), type(Base), abc.get_cache_token())
class Done(Base):
    def a(self): return 1
    p = 2
    @classmethod
    def c(cls): return 3
    @staticmethod
    def s(): return 4
    old = 5
d = Done()
print(d.a(), d.p, d.c(), d.s(), d.old, Done.__abstractmethods__)
print(isinstance(abc.abstractproperty(lambda s: 1), property), abc.abstractclassmethod(lambda c: 1).__isabstractmethod__)
class M(metaclass=ABCMeta):
    pass
print(type(M()).__name__, isinstance(M(), M))`,
  ],
  [
    "register, caches, the subclass hook and its errors",
    `from abc import ABC, ABCMeta, get_cache_token, update_abstractmethods, abstractmethod
class R(ABC): pass
t0 = get_cache_token()
print(R.register(int) is int, get_cache_token() - t0, isinstance(3, R), issubclass(bool, R), issubclass(str, R))
print(R.register(int) is int, get_cache_token() - t0)
class Sub(R): pass
print(issubclass(Sub, R), R.register(Sub) is Sub, get_cache_token() - t0)
try:
    Sub.register(R)
except RuntimeError as e:
    print("RuntimeError", e)
try:
    issubclass(3, R)
except TypeError as e:
    print("TypeError", e)
class H(ABC):
    @classmethod
    def __subclasshook__(cls, C):
        return 1
try:
    issubclass(int, H)
except AssertionError as e:
    print("AssertionError", e)
class Late(ABC):
    def f(self): pass
Late.f = abstractmethod(lambda self: 0)
print(Late(), update_abstractmethods(Late) is Late, Late.__abstractmethods__)
try:
    Late()
except TypeError as e:
    print(e)
print(isinstance(3, (str, R)), issubclass(int, (R, str)))
try:
    isinstance(3, 4)
except TypeError as e:
    print(e)
try:
    issubclass(int, 4)
except TypeError as e:
    print(e)
try:
    issubclass(4, int)
except TypeError as e:
    print(e)`.replace("print(Late(), ", "print(type(Late()).__name__, "),
  ],
]);

describe("abc against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  const NAMES = ["area", "perimeter", "draw", "name", "zoom", "b", "a"];

  it("refuses and accepts instantiation, and answers isinstance, as python3 does", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(NAMES, { minLength: 1 }),
        fc.array(fc.boolean(), { minLength: NAMES.length, maxLength: NAMES.length }),
        fc.subarray(NAMES),
        fc.subarray(NAMES),
        fc.subarray(["int", "str", "list", "tuple", "dict"]),
        async (abstract, asProperty, firstOverrides, secondOverrides, registered) => {
          const lines = ["from abc import ABC, abstractmethod", "class Base(ABC):"];
          abstract.forEach((name, i) => {
            if (asProperty[i]) lines.push("    @property");
            lines.push("    @abstractmethod", `    def ${name}(self): ...`);
          });
          lines.push("class First(Base):", "    pass");
          for (const name of firstOverrides) lines.push(`    def ${name}(self): return 1`);
          lines.push("class Second(First):", "    pass");
          for (const name of secondOverrides) lines.push(`    ${name} = 2`);
          for (const t of registered) lines.push(`Base.register(${t})`);
          lines.push(
            "for cls in (Base, First, Second):",
            "    try:",
            "        print(type(cls()).__name__)",
            "    except TypeError as e:",
            "        print(e)",
            "    print(sorted(cls.__abstractmethods__), issubclass(cls, Base))",
            `for v in (1, "s", [], (), {}, True):`,
            "    print(isinstance(v, Base), issubclass(type(v), Base))",
          );
          const source = `${lines.join("\n")}\n`;
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(30), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});
