// The functools module against python3: sizes and tracking of partial, the lru_cache wrapper
// and cmp_to_key's keys; what a cache keeps alive and when eviction and cache_clear() release
// it; partial, wraps, reduce, total_ordering and cached_property with their errors; and random
// sequences of cached calls, whose hits, misses and releases python3 gives.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython(
  "functools",
  [
    [
      "sizes and tracking",
      `import functools, gc, sys
def f(a, b=0):
    return a + b
objs = [functools.partial(f), functools.partial(f, 1, b=2), functools.lru_cache(f),
        functools.lru_cache(maxsize=None)(f), functools.cache(f), functools.lru_cache(0)(f),
        functools.cmp_to_key(f), functools.cmp_to_key(f)(3)]
for o in objs:
    print(type(o).__name__, sys.getsizeof(o), gc.is_tracked(o))
p = functools.partial(f, 1)
p.note = "x"
print(sys.getsizeof(p), p.__dict__, type(functools.cache(f).cache_info()).__name__)`,
    ],
    [
      "a cache keeps its results alive until eviction or cache_clear()",
      `import functools, sys
class Result:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("free", self.n)
@functools.lru_cache(maxsize=2)
def make(n):
    return Result(n)
make(1); make(2); make(1)
print("full", make.cache_info())
make(3)
print("evicted the least recently used", make.cache_info())
r = make(3)
print(sys.getrefcount(r))
del r
make.cache_clear()
print("cleared", make.cache_info())
@functools.cache
def build(n, *, tag=""):
    return Result(f"{tag}{n}")
build(1); build(2, tag="t"); build(1); build(n=1)
print(build.cache_info(), build.cache_parameters())
build.cache_clear()
print("cleared unbounded")
@functools.lru_cache(maxsize=None, typed=True)
def kind(x):
    return type(x).__name__
print(kind(1), kind(1.0), kind(True), kind.cache_info())
@functools.lru_cache(maxsize=0)
def never(x):
    return x
never(1); never(1)
print(never.cache_info())
@functools.lru_cache
def fib(n):
    """Fibonacci numbers."""
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(80), fib.cache_info(), fib.__name__, fib.__doc__, fib.__wrapped__(10))
class Shape:
    def __init__(self, side):
        self.side = side
    @functools.lru_cache(maxsize=4)
    def area(self, scale):
        return self.side * self.side * scale
s = Shape(3)
print(s.area(2), s.area(2), Shape.area.cache_info(), type(s.area).__name__)
for bad in [lambda: functools.lru_cache("x"), lambda: functools.cache(1),
            lambda: functools.lru_cache(maxsize=2.5)(len)]:
    try:
        bad()
    except TypeError as e:
        print(e)`,
    ],
    [
      "partial holds its function, arguments and keywords",
      `import functools, sys
class Arg:
    def __del__(self):
        print("arg freed")
    def __repr__(self):
        return "Arg()"
def show(*args, **kwargs):
    return args, sorted(kwargs.items())
a = Arg()
p = functools.partial(show, a, 2, key="k")
print(sys.getrefcount(a), p.args[1:], p.keywords, p.func is show)
print(p(3, key="other", more=1))
q = functools.partial(p, 4, extra=5)
print(q.func is show, q.args[1:], q.keywords)
print(functools.partial(max, 1, key=abs), functools.partial(len))
del a
print("name deleted")
del p, q
print("partials deleted")
for bad in [lambda: functools.partial(), lambda: functools.partial(1)]:
    try:
        bad()
    except TypeError as e:
        print(e)`,
    ],
    [
      "wraps, reduce, cmp_to_key, total_ordering and cached_property",
      `import functools
def traced(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        print("calling", func.__name__)
        return func(*args, **kwargs)
    return wrapper
@traced
def add(a, b):
    """Adds two numbers."""
    return a + b
add.__dict__["marker"] = 1
print(add(1, 2), add.__name__, add.__qualname__, add.__doc__, add.__module__, add.__wrapped__.__name__)
print(functools.update_wrapper(lambda: 0, add).__wrapped__ is add, functools.WRAPPER_ASSIGNMENTS)
print(functools.reduce(lambda x, y: x * y, range(1, 8)), functools.reduce(max, [], 0))
print(functools.reduce(lambda x, y: x + y, ["a", "b", "c"], "_"))
for bad in [lambda: functools.reduce(max, []), lambda: functools.reduce(max, 1),
            lambda: functools.reduce(max), lambda: functools.cmp_to_key(max)(1) < 2]:
    try:
        bad()
    except TypeError as e:
        print(e)
print(sorted(["bb", "a", "ccc"], key=functools.cmp_to_key(lambda x, y: len(y) - len(x))))
for root in ["__lt__", "__le__", "__gt__", "__ge__"]:
    def make(root):
        ops = {"__lt__": lambda s, o: s.v < o.v, "__le__": lambda s, o: s.v <= o.v,
               "__gt__": lambda s, o: s.v > o.v, "__ge__": lambda s, o: s.v >= o.v}
        class V:
            def __init__(self, v):
                self.v = v
            def __eq__(self, other):
                return self.v == other.v
        setattr(V, root, ops[root])
        return V
    V = make(root)
    V = functools.total_ordering(V)
    print(root, [(V(a) < V(b), V(a) <= V(b), V(a) > V(b), V(a) >= V(b)) for a, b in [(1, 2), (2, 2), (3, 2)]])
try:
    @functools.total_ordering
    class Plain:
        pass
except ValueError as e:
    print(e)
class Circle:
    def __init__(self, r):
        self.r = r
    @functools.cached_property
    def area(self):
        print("computing")
        return 3 * self.r * self.r
c = Circle(2)
print(c.area, c.area, c.__dict__, type(Circle.area).__name__)
del c.area
print(c.area)`,
    ],
    [
      "a class attribute whose class defines __get__ is read through it",
      `class Doubled:
    def __get__(self, obj, owner=None):
        print("get", obj is None, owner.__name__)
        return self if obj is None else obj.value * 2
class Plain:
    pass
class Holder:
    twice = Doubled()
    plain = Plain()
    def __init__(self, value):
        self.value = value
h = Holder(21)
print(h.twice, type(Holder.twice).__name__, type(h.plain).__name__)
h.__dict__["twice"] = "own"
print(h.twice)`,
    ],
  ],
  { quiet: true },
);

describe("lru_cache against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("hits, misses and releases results in python3's order for random calls", async () => {
    const seed = fcSeed();
    const call = fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 6 }).map((k) => `f(${k})`) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 3 }).map((k) => `f(${k}, t="x")`) },
      { weight: 1, arbitrary: fc.constant("f.cache_clear()") },
      { weight: 1, arbitrary: fc.constant("print(f.cache_info())") },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.integer({ min: 0, max: 5 })),
        fc.boolean(),
        fc.array(call, { maxLength: 40 }),
        async (maxsize, typed, calls) => {
          const lines = [
            "import functools",
            "class R:",
            "    def __init__(self, k):",
            "        self.k = k",
            "    def __del__(self):",
            "        print('free', self.k)",
            `@functools.lru_cache(maxsize=${maxsize ?? "None"}, typed=${typed ? "True" : "False"})`,
            "def f(k, t=''):",
            "    return R(f'{t}{k}')",
            ...calls.map((c) => (c.startsWith("f(") ? `print(${c}.k)` : c)),
            "print(f.cache_info())",
            "f.cache_clear()",
            "print('end')",
          ];
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
});
