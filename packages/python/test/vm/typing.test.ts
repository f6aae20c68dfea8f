// The typing module and the built-in generic aliases against python3: reprs of subscripted
// aliases, unions and optionals, NamedTuple, TypedDict, Protocol and Generic; and a property
// over random nested type expressions (their reprs, equality, hashes, origins and arguments),
// Annotated and ParamSpec among them.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("typing", [
  [
    "ParamSpec, Concatenate and Annotated",
    `import typing
from typing import ParamSpec, Callable, Concatenate, Annotated, TypeVar, Generic
P = ParamSpec('P'); T = TypeVar('T')
print(P, P.args, P.kwargs, P.__name__, type(P.args).__name__, P.args.__origin__ is P, isinstance(P, TypeVar))
print(Callable[P, int], Callable[Concatenate[int, P], int], Callable[P, T].__parameters__)
class G(Generic[P]): pass
print(G.__parameters__)
A = Annotated[int, 'm', 5]
print(A, A.__metadata__, A.__origin__, typing.get_origin(A), typing.get_args(A), Annotated[A, 'x'])
def f(x: Annotated[int, 'pos']) -> None: pass
print(typing.get_type_hints(f), typing.get_type_hints(f, include_extras=True))
print(ParamSpec('Q', bound=int).__bound__, repr(ParamSpec('C', covariant=True)))
try: Annotated[int]
except TypeError as e: print(e)
print(A == Annotated[int, 'm', 5], hash(A) == hash(Annotated[int, 'm', 5]), list[A] )
def deco(func: Callable[P, T]) -> Callable[P, T]:
    def inner(*args: P.args, **kwargs: P.kwargs) -> T:
        print('calling', func.__name__)
        return func(*args, **kwargs)
    return inner
@deco
def add(a: int, b: int) -> int: return a + b
print(add(2, 3), typing.get_args(Callable[P, int]))`,
  ],
  [
    "TypeVar and ParamSpec on typing's mixins",
    `import typing, copy, sys, weakref
T = typing.TypeVar("T")
K = typing.TypeVar("K", bound=int, covariant=True)
P = typing.ParamSpec("P", contravariant=True)
print(T, K, P, T.__module__, P.__module__, K.__bound__, P.__bound__)
print([c.__name__ for c in type(T).__mro__], [c.__name__ for c in type(P).__mro__])
print([c.__name__ for c in type(P.args).__mro__], [c.__name__ for c in type(P.kwargs).__mro__])
print(copy.copy(T) is T, copy.deepcopy(P) is P, copy.copy(P.args) is P.args, T.__reduce__(), P.__reduce__())
print(T | int, int | T, P | None)
for base in (typing.TypeVar, typing.ParamSpec, type(P.args)):
    try:
        class U(base): pass
    except TypeError as e: print(e)
for make in (lambda: typing.TypeVar("X", covariant=True, contravariant=True), lambda: typing.ParamSpec("Y", covariant=True, contravariant=True), lambda: typing.TypeVar("Z", int)):
    try: make()
    except (TypeError, ValueError) as e: print(type(e).__name__, e)
print(weakref.ref(T)() is T, sys.getsizeof(T), hasattr(T, "__dict__"), "__weakref__" in typing._Final.__dict__)`,
  ],
  [
    "NamedTuple, TypedDict and their errors",
    `import sys
from typing import NamedTuple, TypedDict
class P(NamedTuple):
    x: int
    y: float = 1.5
    def total(self): return self.x + self.y
p = P(2)
print(p, p.total(), P._field_defaults, P.__annotations__, sys.getsizeof(p), p._replace(y=0))
E = NamedTuple("E", [("a", int), ("b", str)])
print(E(1, "s"), E.__annotations__, NamedTuple("K", x=int)(3))
for src in ("class B(NamedTuple):\\n    a: int = 1\\n    b: int", "class C(NamedTuple):\\n    x: int\\n    def _asdict(self): pass"):
    try:
        exec(src)
    except (TypeError, AttributeError) as e:
        print(type(e).__name__, e)
class M(TypedDict, total=False):
    a: int
class N(M):
    b: str
print(N(a=1, b="x"), type(N(b="y")).__name__, N.__required_keys__, M.__optional_keys__, N.__annotations__)
print(TypedDict("T", {"q": int})(q=2))
try:
    isinstance({}, M)
except TypeError as e:
    print(e)`,
  ],
  [
    "TypeVar, Generic, Protocol and the helper functions",
    `from typing import *
T = TypeVar("T"); K = TypeVar("K"); V = TypeVar("V", bound=int); C = TypeVar("C", covariant=True)
print(T, V.__bound__, C, Dict[K, List[T]], Dict[K, List[T]][str, int], List[T].__parameters__)
class Pair(Generic[K, T]):
    def __init__(self, k: K, v: T) -> None:
        self.k, self.v = k, v
print(Pair[str, int], Pair.__parameters__, Pair[str, int]("a", 1).v)
class Sub(Pair[str, T]): pass
print(Sub.__parameters__, Sub.__orig_bases__, Sub.__mro__)
for bad in (lambda: Pair[int], lambda: Generic[int], lambda: TypeVar("X", int), lambda: Union[()],
            lambda: Any(), lambda: Optional[int](), lambda: isinstance(3, Union[int, List[int]]),
            lambda: type("Z", (Generic,), {})):
    try:
        print(bad())
    except TypeError as e:
        print("TypeError", e)
@runtime_checkable
class Sized2(Protocol):
    def __len__(self) -> int: ...
print(isinstance([], Sized2), isinstance(3, Sized2), issubclass(dict, Sized2))
print(get_origin(Dict[str, int]), get_origin(int), get_args(Callable[..., int]), get_args(Optional[str]))
print(isinstance(3, Union[int, str]), issubclass(bool, Optional[int]), isinstance(iter([]), Iterator))
def f(a: "List[int]", b: Optional["str"] = None) -> None: pass
print(get_type_hints(f))
UserId = NewType("UserId", int)
print(UserId, UserId(3), Literal[1, "a"], ClassVar[int], Final, assert_never.__name__)`,
  ],
]);

/** A random type expression: its source, built from typing's aliases and the built-ins. */
const typeExpr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  leaf: fc.constantFrom("int", "str", "float", "bytes", "None", "Any", "T"),
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    tie("leaf"),
    fc
      .tuple(
        fc.constantFrom(
          "List",
          "Set",
          "Optional",
          "Iterator",
          "Sequence",
          "list",
          "set",
          "type",
          "Type",
        ),
        tie("node"),
      )
      .map(([f, a]) => `${f}[${a}]`),
    fc
      .tuple(fc.constantFrom("Dict", "dict", "Mapping"), tie("node"), tie("node"))
      .map(([f, a, b]) => `${f}[${a}, ${b}]`),
    fc.array(tie("node"), { minLength: 1, maxLength: 3 }).map((xs) => `Union[${xs.join(", ")}]`),
    fc.array(tie("node"), { minLength: 1, maxLength: 3 }).map((xs) => `Tuple[${xs.join(", ")}]`),
    tie("node").map((x) => `Tuple[${x}, ...]`),
    fc
      .tuple(fc.array(tie("node"), { maxLength: 2 }), tie("node"))
      .map(([xs, r]) => `Callable[[${xs.join(", ")}], ${r}]`),
    fc
      .tuple(
        fc.constantFrom("int", "str", "None", "list[int]"),
        fc.constantFrom("int", "bytes", "None", "dict[str, int]"),
      )
      .map(([a, b]) => `(${a} | ${b})`),
    fc
      .tuple(tie("node"), fc.constantFrom("'m'", "1, 2", "'unit', None"))
      .map(([t, meta]) => `Annotated[${t}, ${meta}]`),
    fc
      .tuple(fc.constantFrom("P", "Concatenate[int, P]"), tie("node"))
      .map(([params, r]) => `Callable[${params}, ${r}]`),
  ),
})).node as fc.Arbitrary<string>;

describe("typing against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("gives random type expressions python3's reprs, equality, origins and arguments", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(fc.array(typeExpr, { minLength: 1, maxLength: 6 }), async (exprs) => {
        const lines = ["from typing import *", 'T = TypeVar("T")', 'P = ParamSpec("P")'];
        for (const e of exprs) {
          lines.push(
            "try:",
            `    t = ${e}`,
            `    u = ${e}`,
            "    print(repr(t), t == u, hash(t) == hash(u), get_origin(t), get_args(t))",
            "except TypeError as e:",
            '    print("TypeError", e)',
          );
        }
        const source = `${lines.join("\n")}\n`;
        const want = await cpython.run(source);
        const got = runPython(source, { filename: "prog.py" });
        expect(got.stdout).toBe(want.stdout);
        expect(got.status).toBe(want.status);
      }),
      { numRuns: fcRuns(40), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});
