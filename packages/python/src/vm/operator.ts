// The `operator` module: the operators as built-in functions over the interpreter's own protocols
// (`add(a, b)` is `a + b` as the BINARY_OP instruction computes it, the in-place forms as
// `+=`), with _operator.c's argument errors; and `itemgetter`, `attrgetter`,
// `methodcaller`, `concat`, `countOf`, `indexOf`, `length_hint` and `call` as Python code,
// the three callables with CPython's reprs (`operator.itemgetter(1)`).

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { BinaryOp, CompareOp, Op } from "../compile/opcodes.js";
import { deserializeCode } from "../compile/serialize.js";
import type { Protocols } from "./host.js";
import { numberIndex } from "./number-index.js";
import { OPERATOR_COMPILED } from "./operator.compiled.js";
import { precompileSource, pythonModule } from "./python-module.js";
import type { BuiltinFn } from "./types.js";

/** The module's Python source. */
const SOURCE = `"""Operator interface: the operators as functions (operator.add(x, y) is x + y), and the
callables itemgetter, attrgetter and methodcaller."""

__all__ = ['abs', 'add', 'and_', 'attrgetter', 'call', 'concat', 'contains', 'countOf',
           'delitem', 'eq', 'floordiv', 'ge', 'getitem', 'gt', 'iadd', 'iand',
           'iconcat', 'ifloordiv', 'ilshift', 'imatmul', 'imod', 'imul',
           'index', 'indexOf', 'inv', 'invert', 'ior', 'ipow', 'irshift',
           'is_', 'is_not', 'isub', 'itemgetter', 'itruediv', 'ixor', 'le',
           'length_hint', 'lshift', 'lt', 'matmul', 'methodcaller', 'mod',
           'mul', 'ne', 'neg', 'not_', 'or_', 'pos', 'pow', 'rshift',
           'setitem', 'sub', 'truediv', 'truth', 'xor']


def concat(a, b, /):
    "Same as a + b, for a and b sequences."
    if not hasattr(a, '__getitem__') or isinstance(a, dict):
        raise TypeError(f"'{type(a).__name__}' object can't be concatenated")
    return a + b


def iconcat(a, b, /):
    "Same as a += b, for a and b sequences."
    if not hasattr(a, '__getitem__') or isinstance(a, dict):
        raise TypeError(f"'{type(a).__name__}' object can't be concatenated")
    a += b
    return a


def countOf(a, b, /):
    "Return the number of items in a which are, or which equal, b."
    count = 0
    for i in a:
        if i is b or i == b:
            count += 1
    return count


def indexOf(a, b, /):
    "Return the first index of b in a."
    for i, j in enumerate(a):
        if j is b or j == b:
            return i
    raise ValueError('sequence.index(x): x not in sequence')


def length_hint(obj, default=0, /):
    """Return an estimate of the number of items in obj (len(obj), else obj.__length_hint__(),
    else default)."""
    return _length_hint(obj, default)


def call(obj, /, *args, **kwargs):
    "Same as obj(*args, **kwargs)."
    return obj(*args, **kwargs)


class attrgetter:
    """Return a callable object that fetches the given attribute(s) from its operand.
    After f = attrgetter('name'), the call f(r) returns r.name."""
    __slots__ = ('_attrs', '_call')

    def __init__(self, attr, /, *attrs):
        if not attrs:
            if not isinstance(attr, str):
                raise TypeError('attribute name must be a string')
            self._attrs = (attr,)
            names = attr.split('.')
            def func(obj):
                for name in names:
                    obj = getattr(obj, name)
                return obj
            self._call = func
        else:
            self._attrs = (attr,) + attrs
            for a in self._attrs:
                if not isinstance(a, str):
                    raise TypeError('attribute name must be a string')
            getters = tuple(map(attrgetter, self._attrs))
            def func(obj):
                return tuple(getter(obj) for getter in getters)
            self._call = func

    def __call__(self, obj, /):
        return self._call(obj)

    def __repr__(self):
        return '%s.%s(%s)' % (self.__class__.__module__, self.__class__.__qualname__,
                              ', '.join(map(repr, self._attrs)))

    def __reduce__(self):
        return self.__class__, self._attrs


class itemgetter:
    """Return a callable object that fetches the given item(s) from its operand.
    After f = itemgetter(2), the call f(r) returns r[2]."""
    __slots__ = ('_items', '_call')

    def __init__(self, *items):
        if not items:
            raise TypeError('itemgetter expected 1 argument, got 0')
        if len(items) == 1:
            item = items[0]
            self._items = items
            def func(obj):
                return obj[item]
            self._call = func
        else:
            self._items = items
            def func(obj):
                return tuple(obj[i] for i in items)
            self._call = func

    def __call__(self, obj, /):
        return self._call(obj)

    def __repr__(self):
        return '%s.%s(%s)' % (self.__class__.__module__, self.__class__.__name__,
                              ', '.join(map(repr, self._items)))

    def __reduce__(self):
        return self.__class__, self._items


class methodcaller:
    """Return a callable object that calls the given method on its operand.
    After f = methodcaller('name', 'date', foo=1), the call f(r) returns r.name('date', foo=1)."""
    __slots__ = ('_name', '_args', '_kwargs')

    def __init__(self, *args, **kwargs):
        if not args:
            raise TypeError('methodcaller needs at least one argument, the method name')
        name = args[0]
        if not isinstance(name, str):
            raise TypeError('method name must be a string')
        self._name = name
        self._args = args[1:]
        self._kwargs = kwargs

    def __call__(self, obj, /):
        return getattr(obj, self._name)(*self._args, **self._kwargs)

    def __repr__(self):
        args = [repr(self._name)]
        args.extend(map(repr, self._args))
        args.extend('%s=%r' % (k, v) for k, v in self._kwargs.items())
        return '%s.%s(%s)' % (self.__class__.__module__, self.__class__.__name__,
                              ', '.join(args))

    def __reduce__(self):
        return self.__class__, (self._name,) + self._args


__lt__ = lt
__le__ = le
__eq__ = eq
__ne__ = ne
__ge__ = ge
__gt__ = gt
__not__ = not_
__abs__ = abs
__add__ = add
__and__ = and_
__call__ = call
__floordiv__ = floordiv
__index__ = index
__inv__ = inv
__invert__ = invert
__lshift__ = lshift
__mod__ = mod
__mul__ = mul
__matmul__ = matmul
__neg__ = neg
__or__ = or_
__pos__ = pos
__pow__ = pow
__rshift__ = rshift
__sub__ = sub
__truediv__ = truediv
__xor__ = xor
__concat__ = concat
__contains__ = contains
__delitem__ = delitem
__getitem__ = getitem
__setitem__ = setitem
__iadd__ = iadd
__iand__ = iand
__iconcat__ = iconcat
__ifloordiv__ = ifloordiv
__ilshift__ = ilshift
__imod__ = imod
__imul__ = imul
__imatmul__ = imatmul
__ior__ = ior
__ipow__ = ipow
__irshift__ = irshift
__isub__ = isub
__itruediv__ = itruediv
__ixor__ = ixor
`;

/** The file name the module's code and tracebacks carry. */
const FILENAME = "<operator>";

/** The module's code, shared by every interpreter (read at the first import). */
let compiled: CodeUnit | undefined;

/**
 * The module's source compiled and serialized: what scripts/precompile.ts stores in
 * operator.compiled.ts.
 */
export function precompiledOperator(): string {
  return precompileSource(SOURCE, FILENAME);
}

/** The `operator` module (a new reference): its Python source run in its namespace. */
export function operatorModule(b: Protocols): Ref {
  compiled ??= deserializeCode(OPERATOR_COMPILED);
  return pythonModule(
    b,
    { name: "operator", filename: FILENAME, source: SOURCE, natives: operatorNatives(b) },
    compiled,
  );
}

/** The binary operators by name, as `BinaryOp`s (their in-place forms are `i` + the name). */
const BINARY: ReadonlyArray<readonly [string, BinaryOp]> = [
  ["add", BinaryOp.Add],
  ["and_", BinaryOp.And],
  ["floordiv", BinaryOp.FloorDivide],
  ["lshift", BinaryOp.LShift],
  ["matmul", BinaryOp.MatMul],
  ["mul", BinaryOp.Multiply],
  ["mod", BinaryOp.Remainder],
  ["or_", BinaryOp.Or],
  ["pow", BinaryOp.Power],
  ["rshift", BinaryOp.RShift],
  ["sub", BinaryOp.Subtract],
  ["truediv", BinaryOp.TrueDivide],
  ["xor", BinaryOp.Xor],
];

const COMPARE: ReadonlyArray<readonly [string, CompareOp]> = [
  ["lt", CompareOp.Lt],
  ["le", CompareOp.Le],
  ["eq", CompareOp.Eq],
  ["ne", CompareOp.Ne],
  ["gt", CompareOp.Gt],
  ["ge", CompareOp.Ge],
];

/** The module's built-in functions, with _operator.c's argument checks. */
function operatorNatives(b: Protocols): Record<string, BuiltinFn> {
  const vm = b.vm;
  const py = vm.py;
  const natives: Record<string, BuiltinFn> = {};
  /** A function of exactly `n` positional arguments (METH_O for one, FASTCALL for more). */
  const fixed = (name: string, n: number, f: (a: readonly Ref[]) => Ref) => {
    natives[name] = (a, kw) => {
      if (kw && kw.size > 0)
        vm.raise("TypeError", `_operator.${name}() takes no keyword arguments`);
      if (a.length !== n)
        vm.raise(
          "TypeError",
          n === 1
            ? `_operator.${name}() takes exactly one argument (${a.length} given)`
            : `${name} expected ${n} arguments, got ${a.length}`,
        );
      return f(a);
    };
  };
  const bool = (v: boolean) => py.bool(v);
  for (const [name, op] of BINARY) {
    fixed(name, 2, (a) => b.binaryOp(op, a[0]!, a[1]!));
    fixed(`i${name.replace(/_$/, "")}`, 2, (a) => b.inplaceOp(op, a[0]!, a[1]!));
  }
  for (const [name, op] of COMPARE) fixed(name, 2, (a) => b.richCompare(a[0]!, a[1]!, op));
  fixed("neg", 1, (a) => b.unaryOp(Op.UNARY_NEGATIVE, a[0]!));
  fixed("pos", 1, (a) => b.unaryOp(Op.UNARY_POSITIVE, a[0]!));
  fixed("invert", 1, (a) => b.unaryOp(Op.UNARY_INVERT, a[0]!));
  fixed("inv", 1, (a) => b.unaryOp(Op.UNARY_INVERT, a[0]!));
  fixed("abs", 1, (a) => vm.call(py.dictGet(b.dict, py.constant("abs")), [a[0]!]));
  fixed("not_", 1, (a) => bool(!b.truth(a[0]!)));
  fixed("truth", 1, (a) => bool(b.truth(a[0]!)));
  fixed("index", 1, (a) => py.int(numberIndex(b, a[0]!)));
  fixed("is_", 2, (a) => bool(a[0] === a[1]));
  fixed("is_not", 2, (a) => bool(a[0] !== a[1]));
  fixed("contains", 2, (a) => bool(b.contains(a[0]!, a[1]!)));
  fixed("getitem", 2, (a) => b.getItem(a[0]!, a[1]!));
  fixed("setitem", 3, (a) => {
    b.setItem(a[0]!, a[1]!, a[2]!);
    return py.newRef(py.none);
  });
  fixed("delitem", 2, (a) => {
    b.delItem(a[0]!, a[1]!);
    return py.newRef(py.none);
  });
  natives._length_hint = (a) => {
    const d = a[1]!;
    const k = vm.kindOf(d);
    if (k !== "int" && k !== "bool")
      vm.raise("TypeError", `'${vm.typeOf(d).name}' object cannot be interpreted as an integer`);
    return py.intFromSsize(b.lengthHint(a[0]!, Number(vm.intOf(d))));
  };
  return natives;
}
