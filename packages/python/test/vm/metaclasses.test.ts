// Metaclasses, class keywords, `__init_subclass__` and `__set_name__` against python3.
// fast-check makes random hierarchies of metaclasses (each deriving from `type` or an earlier
// metaclass, some with `__prepare__`, `__new__`, `__init__` or `__call__` that log what they
// see) and of classes (each naming a metaclass or not, earlier classes as bases, and keywords
// for a base's `__init_subclass__`); the program prints what every hook saw, each class's
// metaclass and MRO, or the TypeError its statement raised (a metaclass conflict, keywords
// object's `__init_subclass__` refuses). python3 runs the same program; stdout and exit status
// must be equal. Named programs then check what the random ones only touch.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

/** One generated metaclass: its base (an earlier metaclass's index, or -1 for `type`). */
interface MetaSpec {
  readonly base: number;
  readonly hooks: readonly ("prepare" | "new" | "init" | "call")[];
}

/** One generated class statement. */
interface ClassSpec {
  /** The metaclass keyword (an index into the metaclasses), or none. */
  readonly meta: number | undefined;
  /** Earlier classes named as bases. */
  readonly bases: readonly number[];
  /** Whether the class defines `__init_subclass__` taking a `tag` keyword. */
  readonly hook: boolean;
  /** The keywords the statement passes. */
  readonly keywords: readonly ("tag" | "other")[];
}

const metas = fc
  .array(
    fc.record({
      base: fc.nat(3),
      hooks: fc.subarray(["prepare", "new", "init", "call"] as const),
    }),
    { minLength: 2, maxLength: 3 },
  )
  .map((raw): MetaSpec[] =>
    raw.map((r, i) => ({ base: i === 0 ? -1 : (r.base % (i + 1)) - 1, hooks: r.hooks })),
  );

const classes = fc.array(
  fc.record({
    meta: fc.option(fc.nat(2), { nil: undefined }),
    bases: fc.array(fc.nat(5), { maxLength: 3 }),
    hook: fc.boolean(),
    keywords: fc.subarray(["tag", "other"] as const),
  }),
  { minLength: 2, maxLength: 6 },
);

/** The program defining `ms` and `cs`, printing what each hook and statement did. */
function source(ms: readonly MetaSpec[], cs: readonly ClassSpec[]): string {
  const lines: string[] = [];
  ms.forEach((m, i) => {
    lines.push(`class M${i}(${m.base < 0 ? "type" : `M${m.base}`}):`);
    if (m.hooks.includes("prepare"))
      lines.push(
        "    @classmethod",
        "    def __prepare__(mcls, name, bases, **kw):",
        `        print("  M${i}.prepare", mcls.__name__, name, len(bases), sorted(kw))`,
        `        return {"prepared_by": "M${i}"}`,
      );
    if (m.hooks.includes("new"))
      lines.push(
        "    def __new__(mcls, name, bases, ns, **kw):",
        `        print("  M${i}.new", mcls.__name__, name, sorted(k for k in ns if not k.startswith("__")), sorted(kw))`,
        "        return super().__new__(mcls, name, bases, ns, **kw)",
      );
    if (m.hooks.includes("init"))
      lines.push(
        "    def __init__(cls, name, bases, ns, **kw):",
        `        print("  M${i}.init", name, sorted(kw))`,
        "        super().__init__(name, bases, ns)",
      );
    if (m.hooks.includes("call"))
      lines.push(
        "    def __call__(cls, *args, **kw):",
        `        print("  M${i}.call", cls.__name__, args)`,
        "        return super().__call__(*args, **kw)",
      );
    lines.push("    pass");
  });
  cs.forEach((c, i) => {
    const args: string[] = [];
    for (const b of new Set(c.bases)) if (b < i) args.push(`C${b}`);
    if (c.meta !== undefined && c.meta < ms.length) args.push(`metaclass=M${c.meta}`);
    for (const k of c.keywords) args.push(`${k}=${JSON.stringify(`${k}${i}`)}`);
    lines.push("try:", `    class C${i}(${args.join(", ")}):`, `        x${i} = ${i}`);
    if (c.hook)
      lines.push(
        "        def __init_subclass__(cls, tag=None, **kw):",
        `            print("  C${i}.init_subclass", cls.__name__, tag, sorted(kw))`,
        "            super().__init_subclass__(**kw)",
      );
    lines.push(
      `    print("C${i}", type(C${i}).__name__, [k.__name__ for k in C${i}.__mro__], getattr(C${i}, "prepared_by", None))`,
      `    print(" ", type(C${i}()).__name__, isinstance(C${i}, type))`,
      "except TypeError as e:",
      `    print("C${i}", "TypeError", e)`,
      `    C${i} = object`,
    );
  });
  return `${lines.join("\n")}\n`;
}

describe("random metaclasses and class keywords against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("hooks, metaclasses, MROs and errors are python3's", async () => {
    // How often each outcome came up, so that a generator that stopped making them would show.
    const seen = { made: 0, meta: 0, conflict: 0, keywords: 0 };
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(metas, classes, async (ms, cs) => {
        const program = source(ms, cs);
        const pending = cpython.run(program);
        const got = runPython(program, { filename: "prog.py" });
        const want = await pending;
        expect(got.stdout, program).toBe(want.stdout);
        expect(got.status).toBe(want.status);
        if (/^C\d+ type /m.test(want.stdout)) seen.made++;
        if (/^C\d+ M\d/m.test(want.stdout)) seen.meta++;
        if (want.stdout.includes("metaclass conflict")) seen.conflict++;
        if (want.stdout.includes("takes no keyword arguments")) seen.keywords++;
      }),
      { numRuns: fcRuns(80), ...(seed !== undefined ? { seed } : {}) },
    );
    expect(seen.made).toBeGreaterThan(0);
    expect(seen.meta).toBeGreaterThan(0);
    expect(seen.conflict).toBeGreaterThan(0);
    expect(seen.keywords).toBeGreaterThan(0);
  }, 600_000);
});

describeAgainstPython("metaclasses", [
  [
    "type() with three arguments, and its errors",
    `Point = type("Point", (), {"x": 0, "norm": lambda self: abs(self.x)})
p = Point()
p.x = -3
print(Point, Point.__name__, Point.__qualname__, Point.__module__, p.norm(), Point.__bases__)
Sub = type("Sub", (Point,), {})
print(Sub.__mro__, type(Sub) is type)
for args in [("T", 1, {}), (1, (), {}), ("T", (), []), ("T", ())]:
    try:
        type(*args)
    except TypeError as e:
        print(e)
try:
    type("T", (), {}, flag=1)
except TypeError as e:
    print(e)`,
  ],
  [
    "a metaclass's methods and properties, seen from its classes",
    `class Meta(type):
    count = 0
    def describe(cls):
        return "class " + cls.__name__
    @property
    def shout(cls):
        return cls.__name__.upper()
    @classmethod
    def kind(mcls):
        return mcls.__name__
    @staticmethod
    def helper():
        return "static"
class A(metaclass=Meta):
    count = 5
    def describe(self):
        return "instance"
print(A.describe(A()), Meta.describe(A), A.shout, A.kind(), A.helper(), A.count)
print(type(A).__name__, A.__class__.__name__, isinstance(A, Meta), issubclass(Meta, type))
try:
    A().shout
except AttributeError as e:
    print(e)`,
  ],
  [
    "a metaclass's __call__ makes singletons; type.__call__ and __init__ through super()",
    `class Single(type):
    made = {}
    def __call__(cls, *args, **kw):
        if cls not in cls.made:
            cls.made[cls] = super().__call__(*args, **kw)
        return cls.made[cls]
class Config(metaclass=Single):
    def __init__(self, name="x"):
        print("init", name)
        self.name = name
a = Config("a")
b = Config("b")
print(a is b, b.name, type.__call__(Config, "c").name)`,
  ],
  [
    "metaclass errors: a conflict, a bad __prepare__, calling a metaclass wrongly",
    `class M1(type): pass
class M2(type): pass
class A(metaclass=M1): pass
class B(metaclass=M2): pass
try:
    class C(A, B): pass
except TypeError as e:
    print(e)
class M3(M1, M2): pass
class D(A, B, metaclass=M3): pass
print(type(D).__name__, [k.__name__ for k in D.__mro__])
class Bad(type):
    @classmethod
    def __prepare__(mcls, name, bases):
        return 42
try:
    class E(metaclass=Bad): pass
except TypeError as e:
    print(e)
for args in [(), ("X",), ("X", (), {}, 1)]:
    try:
        M1(*args)
    except TypeError as e:
        print(e)
try:
    class F(metaclass=M1, extra=1): pass
except TypeError as e:
    print(e)
try:
    class S(type):
        __slots__ = ("a",)
except TypeError as e:
    print(e)`,
  ],
  [
    "__set_name__ runs in namespace order before __init_subclass__; its errors are wrapped",
    `class Named:
    def __set_name__(self, owner, name):
        print("set_name", owner.__name__, name)
        self.name = name
class Base:
    def __init_subclass__(cls, **kw):
        print("init_subclass", cls.__name__, kw)
        super().__init_subclass__()
class C(Base, flag=True):
    b = Named()
    a = Named()
print(C.a.name, C.b.name)
class Broken:
    def __set_name__(self, owner, name):
        raise ValueError("no " + name)
try:
    class D:
        x = Broken()
except RuntimeError as e:
    print(type(e).__name__, e, repr(e.__cause__), e.__suppress_context__)`,
  ],
  [
    "type.__subclasses__ lists the live direct subclasses, oldest first",
    `import gc
class Base: pass
class A(Base): pass
class B(Base): pass
class C(A, B): pass
print(Base.__subclasses__(), A.__subclasses__(), C.__subclasses__())
def temporary():
    class T(Base): pass
    return len(Base.__subclasses__())
print(temporary())
gc.collect()
print([c.__name__ for c in Base.__subclasses__()])
class M(type): pass
class K(metaclass=M): pass
class J(K): pass
print([c.__name__ for c in K.__subclasses__()])`,
  ],
  [
    "a __prepare__ namespace that is no plain dict: the body stores, reads and deletes through it",
    `class LoggingNS(dict):
    def __setitem__(self, key, value):
        if not key.startswith("__"):
            print("set", key, value)
        super().__setitem__(key, value)
    def __missing__(self, key):
        raise KeyError(key)
class NoDupes(dict):
    def __setitem__(self, key, value):
        if key in self and not key.startswith("__"):
            raise TypeError(f"Attempted to reuse key: {key!r}")
        super().__setitem__(key, value)
class Meta(type):
    @classmethod
    def __prepare__(mcls, name, bases, **kw):
        return LoggingNS()
    def __new__(mcls, name, bases, ns):
        print("ns type", type(ns).__name__)
        return super().__new__(mcls, name, bases, dict(ns))
class A(metaclass=Meta):
    x = 1
    y = x + 1
    z: int = 3
    del x
print(A.y, A.z, A.__annotations__, hasattr(A, "x"))
class M2(type):
    @classmethod
    def __prepare__(mcls, name, bases):
        return NoDupes()
try:
    class B(metaclass=M2):
        a = 1
        a = 2
except TypeError as e:
    print(e)
class Plain:
    def __getitem__(self, k): return 0
class M3(type):
    @classmethod
    def __prepare__(mcls, name, bases):
        return 5
try:
    class C(metaclass=M3): pass
except TypeError as e:
    print(e)
def outer():
    v = 10
    class D(metaclass=Meta):
        w = v
    return D.w
print(outer())`,
  ],
  [
    "__class__ and super() inside a metaclass-made class",
    `class Meta(type):
    def __new__(mcls, name, bases, ns):
        return super().__new__(mcls, name, bases, ns)
class A(metaclass=Meta):
    def who(self):
        return __class__.__name__
class B(A):
    def who(self):
        return "B>" + super().who()
print(B().who(), type(B).__name__)`,
  ],
]);
