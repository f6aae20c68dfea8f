// The `copy` module: `copy(x)` and `deepcopy(x[, memo])` with CPython 3.11's rules. As in
// CPython the module is Python code run over the interpreter, so what a program can observe of
// a copy -- which objects are shared and which are new, the memo dict that maps `id(x)` to the
// copy and keeps every original alive until the outermost `deepcopy` returns, the order copies
// are made in (so cycles come out as cycles), `__copy__`, `__deepcopy__`, `__getstate__` and
// `__setstate__` -- follows from the same steps. Instances are rebuilt as `object.__reduce_ex__(4)`
// rebuilds them (the class's `__new__` without `__init__`, then the instance dict and slots);
// one native helper makes that bare instance.

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import { COPY_COMPILED } from "./copy.compiled.js";
import type { Host, Protocols } from "./host.js";
import { precompileSource, pythonModule } from "./python-module.js";

/** The module's Python source. */
const SOURCE = `"""Shallow and deep copy operations: copy(x) and deepcopy(x[, memo])."""


class Error(Exception):
    pass


error = Error


def _same(x, memo=None):
    return x


def _table(shared, **copiers):
    table = {}
    for kind in shared:
        table[kind] = _same
    table.update(copiers)
    return table


# Objects that cannot change are their own copies, shallow or deep.
_IMMUTABLE = (type(None), type(Ellipsis), type(NotImplemented), int, float, bool, str, bytes,
              type, range, slice, property, type(len), type(_same), _ref_type)

_shallow = _table(_IMMUTABLE + (tuple, frozenset))
_shallow[list] = list.copy
_shallow[dict] = dict.copy
_shallow[set] = set.copy


def copy(x):
    """Shallow copy: a new container holding the same items, or x itself when it cannot change."""
    kind = type(x)
    copier = _shallow.get(kind)
    if copier is not None:
        return copier(x)
    if issubclass(kind, type):
        return x
    hook = getattr(kind, "__copy__", None)
    if hook is not None:
        return hook(x)
    return _rebuild(x, None)


def deepcopy(x, memo=None, _missing=[]):
    """Deep copy: x and everything it reaches, each object copied once (memo: id -> copy)."""
    if memo is None:
        memo = {}
    key = id(x)
    done = memo.get(key, _missing)
    if done is not _missing:
        return done
    kind = type(x)
    copier = _deep.get(kind)
    if copier is not None:
        y = copier(x, memo)
    elif issubclass(kind, type):
        y = x
    else:
        hook = getattr(x, "__deepcopy__", None)
        if hook is not None:
            y = hook(memo)
        else:
            y = _rebuild(x, memo)
    if y is not x:
        memo[key] = y
        _keep_alive(x, memo)
    return y


def _deep_list(x, memo):
    y = []
    memo[id(x)] = y
    for item in x:
        y.append(deepcopy(item, memo))
    return y


def _deep_tuple(x, memo):
    items = [deepcopy(item, memo) for item in x]
    # A cycle through this tuple may have copied it already, while its items were copied.
    if id(x) in memo:
        return memo[id(x)]
    for old, new in zip(x, items):
        if old is not new:
            return tuple(items)
    return x


def _deep_dict(x, memo):
    y = {}
    memo[id(x)] = y
    for key, value in x.items():
        y[deepcopy(key, memo)] = deepcopy(value, memo)
    return y


def _deep_method(x, memo):
    return type(x)(x.__func__, deepcopy(x.__self__, memo))


_deep = _table(_IMMUTABLE)
_deep[list] = _deep_list
_deep[tuple] = _deep_tuple
_deep[dict] = _deep_dict


class _Probe:
    def method(self):
        pass


_deep[type(_Probe().method)] = _deep_method


_NOTHING = {}


def _keep_alive(x, memo):
    # The memo holds every original until the copying is over, so no id in it is reused.
    kept = memo.get(id(memo))
    if kept is None:
        memo[id(memo)] = [x]
    else:
        kept.append(x)


def _slot_names(kind):
    names = []
    for klass in kind.__mro__:
        declared = getattr(klass, "__dict__", _NOTHING).get("__slots__", ())
        if isinstance(declared, str):
            declared = (declared,)
        for name in declared:
            if name in ("__dict__", "__weakref__"):
                continue
            if name.startswith("__") and not name.endswith("__"):
                name = "_" + klass.__name__.lstrip("_") + name
            names.append(name)
    return names


def _state(x):
    for klass in type(x).__mro__:
        if klass is not object and "__getstate__" in getattr(klass, "__dict__", _NOTHING):
            return x.__getstate__()
    attrs = getattr(x, "__dict__", None)
    state = attrs if attrs else None
    slots = {}
    for name in _slot_names(type(x)):
        try:
            slots[name] = getattr(x, name)
        except AttributeError:
            pass
    if slots:
        return (state, slots)
    return state


def _class_method(kind, name):
    # A method a class statement of kind's MRO defines (not the built-in base's), or None.
    for klass in kind.__mro__:
        if klass in (int, float, str, tuple, object):
            return None
        found = getattr(klass, "__dict__", _NOTHING).get(name)
        if found is not None:
            return found
    return None


def _own_reduce(kind):
    # Whether a class statement of kind's MRO defines __reduce_ex__ or __reduce__.
    for klass in kind.__mro__:
        if klass.__module__ == "builtins":
            return False
        names = getattr(klass, "__dict__", _NOTHING)
        if "__reduce_ex__" in names or "__reduce__" in names:
            return True
    return False


def _reconstruct(x, memo, func, args, state=None, listiter=None, dictiter=None):
    # What x.__reduce_ex__(4) describes: func(*args), then its state, items and pairs.
    deep = memo is not None
    if deep and args:
        args = deepcopy(args, memo)
    y = func(*args)
    if deep:
        memo[id(x)] = y
    if state is not None:
        if deep:
            state = deepcopy(state, memo)
        if hasattr(y, "__setstate__"):
            y.__setstate__(state)
        else:
            slots = None
            if isinstance(state, tuple) and len(state) == 2:
                state, slots = state
            if state is not None:
                y.__dict__.update(state)
            if slots is not None:
                for name, value in slots.items():
                    setattr(y, name, value)
    if listiter is not None:
        for item in listiter:
            y.append(deepcopy(item, memo) if deep else item)
    if dictiter is not None:
        for key, value in dictiter:
            if deep:
                key = deepcopy(key, memo)
                value = deepcopy(value, memo)
            y[key] = value
    return y


def _rebuild(x, memo):
    deep = memo is not None
    kind = type(x)
    if _own_reduce(kind):
        rv = x.__reduce_ex__(4)
        if isinstance(rv, str):
            return x
        return _reconstruct(x, memo, *rv)
    if isinstance(x, BaseException):
        args = deepcopy(x.args, memo) if deep else x.args
        y = kind(*args)
    elif isinstance(x, (int, float, str, tuple, bytes)):
        getnewargs = _class_method(kind, "__getnewargs__")
        if getnewargs is not None:
            # copyreg.__newobj__(cls, *x.__getnewargs__()): a namedtuple's __new__ gets its fields.
            args = getnewargs(x)
            if deep:
                args = deepcopy(args, memo)
            y = kind.__new__(kind, *args)
        else:
            value = x
            if deep and isinstance(x, tuple):
                value = deepcopy(tuple(x), memo)
            y = _bare_instance(kind, value)
    elif isinstance(x, bytearray):
        # bytearray.__reduce_ex__: the class called with the bytes as latin-1 text, so that
        # its __init__ runs (with no arguments for an empty one).
        y = kind(bytes(x).decode("latin-1"), "latin-1") if len(bytes(x)) else kind()
    elif isinstance(x, (set, frozenset)):
        items = list(x)
        if deep:
            items = deepcopy(items, memo)
        y = kind(items)
    else:
        y = _bare_instance(kind)
    if deep:
        memo[id(x)] = y
    state = _state(x)
    if state is not None:
        if deep:
            state = deepcopy(state, memo)
        setstate = getattr(y, "__setstate__", None)
        if setstate is not None:
            setstate(state)
        else:
            slots = None
            if isinstance(state, tuple) and len(state) == 2:
                state, slots = state
            if state:
                y.__dict__.update(state)
            if slots:
                for name, value in slots.items():
                    setattr(y, name, value)
    if isinstance(x, list):
        for item in x:
            y.append(deepcopy(item, memo) if deep else item)
    elif isinstance(x, dict):
        for key, value in x.items():
            if deep:
                key = deepcopy(key, memo)
                value = deepcopy(value, memo)
            y[key] = value
    return y


del _table, _Probe
`;

/** The file name the module's code and tracebacks carry. */
const FILENAME = "<copy>";

/** The module's code, shared by every interpreter (read at the first import). */
let compiled: CodeUnit | undefined;

/**
 * The module's source compiled and serialized: what scripts/precompile.ts stores in
 * copy.compiled.ts (the interpreter loads that rather than compiling the source at each import).
 */
export function precompiledCopy(): string {
  return precompileSource(SOURCE, FILENAME);
}

/**
 * The `copy` module (a new reference): its native helpers defined, then its Python source run
 * in its namespace.
 */
export function copyModule(b: Protocols): Ref {
  compiled ??= deserializeCode(COPY_COMPILED);
  return pythonModule(
    b,
    {
      name: "copy",
      filename: FILENAME,
      source: SOURCE,
      natives: { _bare_instance: (a) => bareInstance(b, a[0]!, a[1]) },
      values: { _ref_type: b.vm.types.weakref!.object },
    },
    compiled,
  );
}

/**
 * `copyreg.__newobj__(cls, *args)`: `cls.__new__(cls)` (with `value` for a subclass of int,
 * float, str, tuple or bytes, what its `__getnewargs__` gives), the class's own `__new__` when a class
 * statement defines one, otherwise a bare instance made as calling the class makes it, without
 * `__init__`.
 */
function bareInstance(b: Protocols, cls: Ref, value: Ref | undefined): Ref {
  const vm: Host = b.vm;
  if (!b.isType(cls)) vm.raise("TypeError", "copy: expected a class");
  const t = b.typeFromObject(cls);
  const own = b.userNew(t);
  if (own) return vm.call(own, value === undefined ? [cls] : [cls, value]);
  return b.newInstance(t, value);
}
