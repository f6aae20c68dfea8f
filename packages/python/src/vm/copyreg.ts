// The `copyreg` module and object's pickling methods: `object.__reduce_ex__(protocol)`,
// `object.__reduce__()` and `object.__getstate__()` as Objects/typeobject.c makes them in
// CPython 3.11 (`reduce_newobj` for protocol 2 and up, `copyreg._reduce_ex` below it), with
// `copyreg.__newobj__`, `__newobj_ex__` and `_reconstructor` rebuilding what they describe.
// As in CPython the module is Python code; object's three methods call into it.

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import { COPYREG_COMPILED } from "./copyreg.compiled.js";
import type { Protocols } from "./host.js";
import { precompileSource, pythonModule } from "./python-module.js";

/** The module's Python source. */
const SOURCE = `"""Helpers to rebuild objects from what their __reduce_ex__ gives (pickle and copy)."""

__all__ = ["pickle", "constructor", "add_extension", "remove_extension", "clear_extension_cache"]

dispatch_table = {}


def pickle(ob_type, pickle_function, constructor_ob=None):
    if not callable(pickle_function):
        raise TypeError("reduction functions must be callable")
    dispatch_table[ob_type] = pickle_function
    if constructor_ob is not None:
        constructor(constructor_ob)


def constructor(object):
    if not callable(object):
        raise TypeError("constructors must be callable")


def _reconstructor(cls, base, state):
    if base is object:
        obj = object.__new__(cls)
    else:
        obj = base.__new__(cls, state)
        if base.__init__ != object.__init__:
            base.__init__(obj, state)
    return obj


def __newobj__(cls, *args):
    return cls.__new__(cls, *args)


def __newobj_ex__(cls, args, kwargs):
    return cls.__new__(cls, *args, **kwargs)


def _slotnames(cls):
    names = cls.__dict__.get("__slotnames__")
    if names is not None:
        return names
    names = []
    if hasattr(cls, "__slots__"):
        for c in cls.__mro__:
            if "__slots__" in c.__dict__:
                slots = c.__dict__["__slots__"]
                if isinstance(slots, str):
                    slots = (slots,)
                for name in slots:
                    if name in ("__dict__", "__weakref__"):
                        continue
                    elif name.startswith("__") and not name.endswith("__"):
                        stripped = c.__name__.lstrip("_")
                        if stripped:
                            names.append("_%s%s" % (stripped, name))
                        else:
                            names.append(name)
                    else:
                        names.append(name)
    try:
        cls.__slotnames__ = names
    except:
        pass
    return names


def _reduce_ex(self, proto):
    assert proto < 2
    cls = self.__class__
    for base in cls.__mro__:
        if not _heap_type(base):
            break
        new = base.__new__
        if _builtin_new(new) and new.__self__ is base:
            break
    else:
        base = object
    if base is object:
        state = None
    else:
        if base is cls:
            raise TypeError(f"cannot pickle {cls.__name__!r} object")
        state = base(self)
    args = (cls, base, state)
    try:
        getstate = self.__getstate__
    except AttributeError:
        if getattr(self, "__slots__", None):
            raise TypeError(f"cannot pickle {cls.__name__!r} object: "
                            f"a class that defines __slots__ without "
                            f"defining __getstate__ cannot be pickled "
                            f"with protocol {proto}") from None
        try:
            dict = self.__dict__
        except AttributeError:
            dict = None
    else:
        if (type(self).__getstate__ is object.__getstate__ and
            getattr(self, "__slots__", None)):
            raise TypeError("a class that defines __slots__ without "
                            "defining __getstate__ cannot be pickled")
        dict = getstate()
    if dict:
        return _reconstructor, args, dict
    else:
        return _reconstructor, args


def _object_getstate(obj):
    # object_getstate_default: the instance dict (None when empty), and the slots' values.
    try:
        d = object.__getattribute__(obj, "__dict__")
    except AttributeError:
        d = None
    state = d if d else None
    slots = {}
    for name in _slotnames(type(obj)):
        try:
            slots[name] = getattr(obj, name)
        except AttributeError:
            pass
    if slots:
        state = (state, slots)
    return state


def _reduce_newobj(obj):
    cls = type(obj)
    args = ()
    kwargs = None
    getnewargs_ex = getattr(obj, "__getnewargs_ex__", None)
    if getnewargs_ex is not None:
        pair = getnewargs_ex()
        if not isinstance(pair, tuple):
            raise TypeError("__getnewargs_ex__ should return a tuple, not '%s'"
                            % type(pair).__name__)
        if len(pair) != 2:
            raise ValueError("__getnewargs_ex__ should return a tuple of length 2, not %d"
                             % len(pair))
        args, kwargs = pair
        if not isinstance(args, tuple):
            raise TypeError("first item of the tuple returned by __getnewargs_ex__ must be "
                            "a tuple, not '%s'" % type(args).__name__)
        if not isinstance(kwargs, dict):
            raise TypeError("second item of the tuple returned by __getnewargs_ex__ must be "
                            "a dict, not '%s'" % type(kwargs).__name__)
    else:
        getnewargs = getattr(obj, "__getnewargs__", None)
        if getnewargs is not None:
            args = getnewargs()
            if not isinstance(args, tuple):
                raise TypeError("__getnewargs__ should return a tuple, not '%s'"
                                % type(args).__name__)
    if not kwargs:
        newobj = __newobj__
        newargs = (cls,) + args
    else:
        newobj = __newobj_ex__
        newargs = (cls, args, kwargs)
    state = obj.__getstate__()
    listitems = iter(obj) if isinstance(obj, list) else None
    dictitems = iter(obj.items()) if isinstance(obj, dict) else None
    return newobj, newargs, state, listitems, dictitems


def _object_reduce_ex(obj, protocol):
    # object___reduce_ex___impl: a class's own __reduce__ first, else the common reduction.
    for klass in type(obj).__mro__:
        if "__reduce__" in klass.__dict__:
            if klass is not object:
                return obj.__reduce__()
            break
    if protocol >= 2:
        return _reduce_newobj(obj)
    return _reduce_ex(obj, protocol)
`;

/** The file name the module's code and tracebacks carry. */
const FILENAME = "<copyreg>";

/** The module's code, shared by every interpreter (read at the first import). */
let compiled: CodeUnit | undefined;

/**
 * The module's source compiled and serialized: what scripts/precompile.ts stores in
 * copyreg.compiled.ts.
 */
export function precompiledCopyreg(): string {
  return precompileSource(SOURCE, FILENAME);
}

/** The `copyreg` module (a new reference): its native helpers, then its Python source. */
export function copyregModule(b: Protocols): Ref {
  compiled ??= deserializeCode(COPYREG_COMPILED);
  const vm = b.vm;
  const py = vm.py;
  return pythonModule(
    b,
    {
      name: "copyreg",
      filename: FILENAME,
      source: SOURCE,
      natives: {
        // Whether a class is a class statement's (Py_TPFLAGS_HEAPTYPE).
        _heap_type: (a) => py.bool(b.isType(a[0]!) && b.typeFromObject(a[0]!).heap),
        // Whether a `__new__` is a built-in type's own (tp_new's wrapper).
        _builtin_new: (a) => py.bool(vm.kindOf(a[0]!) === "builtin"),
      },
      values: {},
    },
    compiled,
  );
}
