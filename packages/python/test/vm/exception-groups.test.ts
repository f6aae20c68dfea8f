// Exception groups (PEP 654, new in 3.11) against python3: BaseExceptionGroup and
// ExceptionGroup (the constructor's checks, the class it picks, `split`, `subgroup`, `derive`
// and what the parts keep of the original), `try: … except* T as e:` (which clauses run on
// which part, what is raised at the end), the uncaught report of a group, and the
// SyntaxErrors of `except*`; with a property over random nested groups and random sequences
// of `except*` clauses whose stdout, stderr and status must be python3's.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fileRunner } from "./against-python.js";

/** python3's and runPython's outputs for `source`, run as the file prog.py. */
const both = fileRunner("mm-exception-groups-");

function same(source: string): void {
  const { want, got } = both(source);
  expect(got.stderr).toBe(want.stderr);
  expect(got.stdout).toBe(want.stdout);
  expect(got.status).toBe(want.status);
}

describe("exception groups", () => {
  it("the constructor's checks and errors, the class it picks, members and str", () => {
    same(`import sys
for a in [(), ("m",), (1, [ValueError()]), ("m", 5), ("m", []), ("m", [1]), ("m", {1: 2}),
          ("m", [ValueError()], 3), ("m", (ValueError(),)), ("m", [KeyboardInterrupt()])]:
    try:
        g = BaseExceptionGroup(*a)
        print(type(g).__name__, repr(g), str(g), g.args, g.exceptions, g.message)
    except Exception as e:
        print(type(e).__name__, e)
for args, kw in [(("m", [KeyboardInterrupt()]), {}), (("m", [ValueError()]), {"x": 1})]:
    try:
        ExceptionGroup(*args, **kw)
    except Exception as e:
        print(type(e).__name__, e)
class E(ExceptionGroup):
    pass
class B(BaseExceptionGroup):
    pass
try:
    E("m", [KeyboardInterrupt()])
except TypeError as e:
    print(e)
print(repr(B("m", [ValueError()])), type(B("m", [KeyboardInterrupt()])).__name__)
print(ExceptionGroup.__mro__, ExceptionGroup.__module__, ExceptionGroup[int])
print(isinstance(ExceptionGroup("x", [ValueError()]), Exception), issubclass(BaseExceptionGroup, Exception))
g = ExceptionGroup("s", [ValueError(1), TypeError(2)])
for attr in ("message", "exceptions"):
    try:
        setattr(g, attr, 1)
    except AttributeError as e:
        print(e)
print(sys.getsizeof(g), sys.getsizeof(BaseExceptionGroup("b", [KeyboardInterrupt()])))
print(str(ExceptionGroup("one", [ValueError()])), dir(g)[-6:])
import gc, weakref
print([type(x).__name__ for x in gc.get_referents(g)], gc.is_tracked(g))
before = sys.getrefcount(ExceptionGroup)
many = [ExceptionGroup("many", [ValueError()]) for _ in range(3)]
print(sys.getrefcount(ExceptionGroup) - before, sys.getrefcount(g), sys.getrefcount(g.exceptions))
del many
print(sys.getrefcount(ExceptionGroup) - before, weakref.ref(g)() is g)
try:
    weakref.ref(BaseExceptionGroup("b", [KeyboardInterrupt()]))
except TypeError as e:
    print(e)
print(sys.getsizeof(E("sub", [ValueError()])), [type(x).__name__ for x in gc.get_referents(E("sub", [ValueError()]))])
`);
  });

  it("split, subgroup and derive, with the parts' traceback, cause, context and notes", () => {
    same(`import sys
def f():
    raise ExceptionGroup("top", [ValueError(1), ExceptionGroup("n", [TypeError(2), ValueError(3)])])
try:
    f()
except ExceptionGroup as e:
    e.add_note("hello")
    e.__cause__ = KeyError("c")
    m, r = e.split(ValueError)
    print(repr(m), repr(r))
    print(m.__notes__, m.__notes__ is e.__notes__, m.__traceback__ is e.__traceback__)
    print(repr(m.__cause__), m.__suppress_context__, m.exceptions[1].__traceback__)
    print(e.subgroup(TypeError), e.subgroup(lambda x: False), e.subgroup(BaseException) is e)
    print(e.split((KeyError, TypeError)), e.split(lambda x: isinstance(x, TypeError)))
    for bad in (1, "x", (ValueError, 1), int, len):
        try:
            e.split(bad)
        except TypeError as t:
            print(t)
    for name in ("split", "subgroup", "derive"):
        for args in ((), (1, 2)):
            try:
                getattr(e, name)(*args)
            except TypeError as t:
                print(t)
class MyEG(ExceptionGroup):
    def __new__(cls, message, excs, code):
        obj = super().__new__(cls, message, excs)
        obj.code = code
        return obj
    def __init__(self, message, excs, code):
        super().__init__(message, excs)
    def derive(self, excs):
        return MyEG(self.message, excs, self.code)
eg = MyEG("x", [ValueError(1), TypeError(2)], 42)
m, r = eg.split(TypeError)
print(repr(m), m.code, type(r).__name__, r.code, eg.args, repr(eg.derive([KeyError()])))
class BadDerive(ExceptionGroup):
    def derive(self, excs):
        return 1
try:
    BadDerive("m", [ValueError(), TypeError()]).split(ValueError)
except TypeError as e:
    print(e)
print(BaseExceptionGroup("b", [KeyboardInterrupt(), ValueError()]).split(Exception))
`);
  });

  it("except* runs each clause on its part and raises what is left, as 3.11 does", () => {
    same(`import sys
try:
    raise ExceptionGroup("counts", [ValueError(1), TypeError(2)])
except* ValueError as e:
    print(sys.getrefcount(e), sys.getrefcount(e.exceptions[0]))
except* TypeError:
    pass
def t(exc):
    try:
        try:
            raise exc
        except* ValueError as e:
            print("V", repr(e), sys.exc_info()[1] is e)
        except* TypeError:
            print("T", repr(sys.exc_info()[1]))
            raise KeyError("k")
        except* OSError as e:
            print("O", repr(e))
            raise
        else:
            print("else")
        print("after")
    except BaseException as e:
        print("out", repr(e), repr(e.__context__))
    print(sys.exc_info())
t(ExceptionGroup("g", [ValueError(1), TypeError(2), OSError(3), ZeroDivisionError(4)]))
for e in (ValueError(5), TypeError(6), OSError(7), ZeroDivisionError(8), KeyboardInterrupt()):
    t(e)
t(ExceptionGroup("h", [ValueError(1), ExceptionGroup("i", [OSError(2), KeyError(3)])]))
for types in ("ExceptionGroup", "(ValueError, BaseExceptionGroup)", "int", "(ValueError, 1)"):
    try:
        try:
            raise ValueError(1)
        except* eval(types):
            pass
    except TypeError as e:
        print(e)
try:
    pass
except* ValueError:
    pass
else:
    print("else")
finally:
    print("finally")
for i in range(2):
    try:
        raise ExceptionGroup("x", [ValueError(i)])
    except* ValueError as e:
        for j in range(3):
            if j == 1:
                break
            continue
        print(i, e.exceptions)
    print("e" in dir())
def inner():
    try:
        raise ExceptionGroup("g", [ValueError(1), TypeError(2), KeyError(3)])
    except* ValueError:
        raise RuntimeError("r")
    except* TypeError:
        pass
inner()
`);
  });

  it("prints uncaught groups in boxes, nested, with notes, chains and their limits", () => {
    same(`import sys
def f(n):
    if n:
        return f(n - 1)
    raise ValueError("multi\\nline")
def g():
    try:
        f(5)
    except ValueError as e:
        e.add_note("note1\\nnote1b")
        e.add_note("")
        e.add_note("a\n\nb\r\nc\n")
        raise ExceptionGroup("inner", [e, KeyError(2)]) from TypeError("cause")
deep = ValueError("leaf")
for i in range(12):
    deep = ExceptionGroup(f"d{i}", [deep, TypeError(i)])
try:
    raise deep
except Exception as x:
    sys.excepthook(type(x), x, x.__traceback__)
try:
    g()
except ExceptionGroup as e:
    e.add_note("gnote")
    raise ExceptionGroup("outer", [e, SyntaxError("bad", ("x.py", 1, 2, "abc", 1, 3))] + [OSError(i) for i in range(16)])
`);
  });

  it("the traceback module formats groups as 3.11's TracebackException does", () => {
    same(`import traceback, sys
def g():
    try:
        raise ValueError("multi\\nline")
    except ValueError as e:
        e.add_note("n1\\nn2")
        raise ExceptionGroup("inner", [e, KeyError(2)]) from TypeError("cause")
try:
    g()
except ExceptionGroup as e:
    try:
        raise ExceptionGroup("outer", [e] + [OSError(i) for i in range(16)])
    except ExceptionGroup as o:
        print("".join(traceback.format_exception(o)))
        traceback.print_exception(o, file=sys.stdout)
        te = traceback.TracebackException.from_exception(o, max_group_width=2, max_group_depth=1)
        print("".join(te.format()))
        print(len(te.exceptions), te.exceptions[0].exceptions[1].exc_type, te.exceptions[1].exceptions)
        print("".join(traceback.format_exception(o, chain=False)))
        traceback.print_exc()
        sys.__excepthook__(type(o), o, o.__traceback__)
`);
  });

  it("refuses what CPython's parser and compiler refuse in except*", () => {
    const programs = [
      "try:\n    pass\nexcept* ValueError:\n    pass\nexcept TypeError:\n    pass\n",
      "try:\n    pass\nexcept TypeError:\n    pass\nexcept* ValueError:\n    pass\n",
      "try:\n    pass\nexcept*:\n    pass\n",
      "try:\n    pass\nexcept* as e:\n    pass\n",
      "for i in range(3):\n    try:\n        pass\n    except* ValueError:\n        break\n",
      "for i in range(3):\n    try:\n        pass\n    except* ValueError:\n        continue\n",
      "def f():\n    try:\n        pass\n    except* ValueError:\n        return 1\n",
      "def f():\n    try:\n        pass\n    except* ValueError:\n        return\n",
      "try:\n    pass\nexcept* ValueError, TypeError as e:\n    pass\n",
      "try:\n    pass\nexcept ValueError, TypeError:\n    pass\n",
      "try:\n    pass\nexcept* ValueError:\n    continue\n",
    ];
    for (const p of programs) same(p);
  });

  it("matches python3 on random groups caught by random except* clauses", () => {
    const leaf = fc.constantFrom(
      "ValueError(1)",
      "ValueError('v')",
      "TypeError(2)",
      "KeyError('k')",
      "IndexError(3)",
      "OSError(4)",
      "ZeroDivisionError()",
      "GeneratorExit()",
    );
    const { tree } = fc.letrec<{ tree: string }>((self) => ({
      tree: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        leaf,
        fc
          .tuple(
            fc.constantFrom("'a'", "'b'", "''"),
            fc.array(self("tree"), { minLength: 1, maxLength: 4 }),
          )
          .map(([m, items]) => `BaseExceptionGroup(${m}, [${items.join(", ")}])`),
      ),
    }));
    const clauseType = fc.constantFrom(
      "ValueError",
      "TypeError",
      "LookupError",
      "(KeyError, OSError)",
      "ArithmeticError",
      "Exception",
      "GeneratorExit",
    );
    const action = fc.constantFrom(
      "pass",
      "raise",
      "raise RuntimeError('new')",
      "raise e",
      "print(e.split(ValueError))",
    );
    const clauses = fc.array(fc.tuple(clauseType, action), { minLength: 1, maxLength: 4 });
    const seed = fcSeed();
    fc.assert(
      fc.property(tree, clauses, fc.boolean(), (group, cs, outer) => {
        const body = cs
          .map(
            ([t, a], i) =>
              `    except* ${t} as e:\n        print(${i}, repr(e), repr(e.__context__))\n        ${a}`,
          )
          .join("\n");
        const program = `import sys
exc = ${group}
print(repr(exc), type(exc).__name__)
if isinstance(exc, BaseExceptionGroup):
    print(exc.split(ValueError), exc.subgroup(lambda x: isinstance(x, LookupError)))
def run():
    try:
        raise exc
${body}
    print("done", sys.exc_info())
${outer ? "try:\n    run()\nexcept BaseException as caught:\n    print('caught', repr(caught))\n    raise" : "run()"}
`;
        same(program);
      }),
      { numRuns: fcRuns(20), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});
