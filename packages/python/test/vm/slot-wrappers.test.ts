// The built-in types' special methods as CPython 3.11's type dicts hold them: slot wrappers
// for every slot a type fills (`int.__radd__`, `[].__eq__`, `object.__repr__`), bound as
// method-wrappers, NotImplemented where the slot returns it, `T.__dict__` a mappingproxy, and
// `__import__`. Against python3: the table of names, a property over types x special methods x
// operands, and programs.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { TYPE_SLOTS } from "../../src/vm/type-slots.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

const seed = fcSeed();
const seeded = seed !== undefined ? { seed } : {};

describe("the table of what the built-in types' dicts hold", () => {
  it("is the one python3 gives now", () => {
    const script = fileURLToPath(new URL("../../scripts/type-slots.py", import.meta.url));
    const fresh = spawnSync("python3", [script], { encoding: "utf8" });
    expect(fresh.status).toBe(0);
    // Formatted entries may wrap onto the next line after the key.
    const want = Object.fromEntries(
      [...fresh.stdout.matchAll(/^ {2}"([\w.-]+)": "([^"]*)",$/gm)].map((m) => [m[1], m[2]]),
    );
    expect(Object.keys(want).length).toBeGreaterThan(40);
    expect(TYPE_SLOTS).toEqual(want);
  });
});

/** An object of each built-in type the property calls special methods on, as literals. */
const SELVES: Readonly<Record<string, readonly string[]>> = {
  int: ["7", "-2", "True", "2**70"],
  bool: ["True", "False"],
  float: ["2.5", "-0.0", "1e300"],
  complex: ["(1+2j)"],
  str: ["'ab'", "''"],
  bytes: ["b'ab'"],
  list: ["[1, 2]", "[]"],
  tuple: ["(1, 2)"],
  dict: ["{1: 2}"],
  set: ["{1, 2}"],
  frozenset: ["frozenset({2, 3})"],
  range: ["range(3)"],
  object: ["7", "[1]", "None", "object()"],
};

/** Operands of every kind the slots tell apart. */
const OPERANDS = [
  "0",
  "3",
  "-1",
  "True",
  "1.5",
  "0.0",
  "2j",
  "'ab'",
  "b'x'",
  "[3]",
  "(1,)",
  "{1: 5}",
  "{2}",
  "frozenset({2})",
  "None",
  "range(3)",
  "[(1, 2)]",
];

/** Special methods taking one operand. */
const BINARY = (
  "__add__ __radd__ __sub__ __rsub__ __mul__ __rmul__ __truediv__ __rtruediv__ __floordiv__ " +
  "__rfloordiv__ __mod__ __rmod__ __pow__ __rpow__ __and__ __rand__ __or__ __ror__ __xor__ " +
  "__rxor__ __lshift__ __rlshift__ __rshift__ __rrshift__ __matmul__ __divmod__ __rdivmod__ " +
  "__eq__ __ne__ __lt__ __le__ __gt__ __ge__ __contains__ __getitem__ __iadd__ __imul__ " +
  "__ior__ __iand__ __isub__ __ixor__ __format__"
).split(" ");

/** Special methods taking none. */
const UNARY = (
  "__neg__ __pos__ __abs__ __invert__ __bool__ __int__ __float__ __index__ __len__ __repr__ " +
  "__str__ __trunc__ __floor__ __ceil__ __round__ __iter__ __reversed__ __getnewargs__ __hash__"
).split(" ");

/** `show(f)`: the result's type and repr (an iterator's items, no address), or the error. */
const SHOW = `def show(f):
    try:
        r = f()
    except Exception as e:
        print(type(e).__name__, e)
        return
    n = type(r).__name__
    if n.endswith("iterator"):
        print(n, list(r))
        return
    text = repr(r)
    at = text.find(" at 0x")
    print(n, text if at < 0 else text[:at])
`;

/**
 * One call of a special method, from the class (`int.__add__(7, 3)`) or bound (`(7).__add__(3)`),
 * with the arguments it takes or a wrong count of them. The str and bytes hashes are left out:
 * python3 randomises them per process.
 */
const call = fc
  .record({
    type: fc.constantFrom(...Object.keys(SELVES)),
    pick: fc.nat(),
    name: fc.constantFrom(...BINARY, ...UNARY),
    operand: fc.constantFrom(...OPERANDS),
    bound: fc.boolean(),
    arity: fc.constantFrom("right", "right", "right", "none", "extra"),
  })
  .filter(
    ({ type, name }) =>
      !(name === "__hash__" && (type === "str" || type === "bytes" || type === "object")),
  )
  .map(({ type, pick, name, operand, bound, arity }) => {
    const selves = SELVES[type]!;
    const self = selves[pick % selves.length]!;
    const wanted = UNARY.includes(name) ? [] : [name === "__format__" ? "''" : operand];
    const args = arity === "none" ? [] : arity === "extra" ? [...wanted, "1", "2"] : wanted;
    return bound
      ? `show(lambda: (${self}).${name}(${args.join(", ")}))`
      : `show(lambda: ${type}.${name}(${[self, ...args].join(", ")}))`;
  });

describe("the built-in types' special methods, against python3", () => {
  const cpython = new CPythonForks(20);
  afterAll(() => cpython.close());

  it("give python3's result, NotImplemented or exception for any type, method and operand", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 40 }), async (calls) => {
        const source = `${SHOW}${calls.join("\n")}\n`;
        const want = await cpython.run(source);
        const got = runPython(source, { filename: "prog.py" });
        expect(got.stdout).toBe(want.stdout);
        expect(got.status).toBe(want.status);
      }),
      { numRuns: fcRuns(60), ...seeded },
    );
  }, 180_000);
});

describeAgainstPython("slot wrappers and method-wrappers", [
  [
    "a built-in type's __dict__ is a read-only mappingproxy of its descriptors",
    `d = int.__dict__
print(type(d).__name__, d['__add__'], d['__radd__'], d['bit_length'])
print(sorted(k for k in d if k.startswith('__r'))[:4], '__iadd__' in d, len(d) > 50)
print(object.__dict__['__repr__'], object.__dict__['__subclasshook__'])
print(list.__dict__['append'], list.__dict__['__hash__'], str.__dict__['__len__'])
print(d['__add__'] is int.__add__, int.__dict__ is int.__dict__, int.__dict__ == int.__dict__)
try:
    d['x'] = 1
except TypeError as e:
    print(e)
try:
    int.__dict__['nope']
except KeyError as e:
    print('KeyError', e)
# Not provided here: the docstrings and object's pickling methods (see the README).
missing = {'__doc__', '__getstate__', '__reduce__', '__reduce_ex__'}
print(sorted(set(dir(int)) - set(int.__dict__) - set(object.__dict__) - missing))
print(int.__dict__['real'], int.real, object.__dict__['__class__'])`,
  ],
  [
    "slot wrappers from the class, method-wrappers from an object",
    `print(int.__radd__, type(int.__radd__).__name__, int.__radd__.__name__, int.__radd__.__qualname__)
w = (5).__radd__
print(type(w).__name__, w.__self__, w.__name__, w.__qualname__, w.__objclass__)
print(repr(w).split(' at ')[0], (5).__radd__ == (5).__radd__, (5).__radd__ is (5).__radd__)
print(w(1), int.__radd__(5, 1), (1).__add__('a'), [].__eq__([]), [1].__lt__([2]))
print(object.__eq__(1, 1), object.__eq__(1, 2), object.__ne__(1, 2), object.__lt__(1, 2))
print(object.__repr__(object()).split(' at ')[0], object.__str__([1]), object.__format__(3, ''))
print(list.__hash__, [].__hash__, dict.__hash__, object.__hash__ is int.__hash__)
print(bool.__repr__(True), int.__repr__(True), (True).__and__(False), int.__and__(True, True))
print(frozenset({1}).__contains__(1), {1: 2}.__or__({3: 4}), [1].__iadd__((2,)), [1].__imul__(2))
for bad in (lambda: int.__add__(1), lambda: (1).__neg__(2), lambda: (1).__add__(x=1),
            lambda: int.__add__('a', 1), lambda: int.__add__(), lambda: [].__mul__('a'),
            lambda: [].__add__(1), lambda: object.__format__(1, 'x'), lambda: (1).__pow__(1, 2, 3)):
    try:
        bad()
    except TypeError as e:
        print('TypeError:', e)`,
  ],
  [
    "a class's super() reaches object's and the built-ins' slots",
    `class P:
    def __eq__(self, other):
        print('P.__eq__')
        return super().__eq__(other)
    def __repr__(self):
        return 'P<' + super().__repr__().split(' at ')[0] + '>'
    def __format__(self, spec):
        return 'fmt:' + super().__format__(spec)
p = P()
print(p == p, p == 1, p != 1, repr(p), format(p, ''))
class L(list):
    def __eq__(self, other):
        return super().__eq__(other)
    def __add__(self, other):
        return L(super().__add__(other))
print(L([1]) == [1], L([1]).__eq__(5), L([1]) + [2], type(L([1]) + [2]).__name__)
class I(int):
    def __radd__(self, other):
        return ('radd', super().__radd__(other))
print(1 + I(2), I(2).__radd__(1.5), super(I, I(3)).__neg__())
print(P.__ne__, P.__lt__, P.__hash__ is object.__hash__, P().__lt__(1))`,
  ],
  [
    "type.__subclasses__ and type.mro take the class",
    `class A: pass
class B(A): pass
class C(A): pass
print(type.__subclasses__(A), A.__subclasses__(), type.mro(B), B.mro())
print(bool in int.__subclasses__(), bool in type.__subclasses__(int), type.__subclasses__(B))
try:
    type.__subclasses__()
except TypeError as e:
    print(e)
print(int.__or__(None), type.__or__(int, str), float.__ror__(None))`,
  ],
  [
    "__import__ with CPython's rules",
    `m = __import__('math')
print(m.sqrt(16), __import__('json').dumps([1]), __import__('math') is m)
print(__import__('os.path').__name__, __import__('os.path', fromlist=['join']).__name__)
print(__import__('os.path', None, None, ['x'], 0).__name__)
import builtins
print(builtins.__import__ is __import__, __import__.__name__)
import os.path
print(os.path.join('a', 'b'))
def show(f):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
show(lambda: __import__('nosuch'))
show(lambda: __import__(''))
show(lambda: __import__(5))
show(lambda: __import__('math', level=-1))
show(lambda: __import__('math', level=1))
show(lambda: __import__('math', {'__name__': '__main__'}, None, (), 1))
show(lambda: __import__('math', foo=1))
show(lambda: __import__())
show(lambda: __import__('math', {}, {}, (), 0, 1))
show(lambda: __import__('math', 'x', name='math'))
show(lambda: __import__('math', level='x'))
show(lambda: __import__('math.nosuch'))`,
  ],
]);
