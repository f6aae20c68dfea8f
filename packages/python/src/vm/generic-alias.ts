// `types.GenericAlias` (what `list[int]` makes) and `types.UnionType` (what `int | None`
// makes), as Python code appended to the `types` module's source: reprs, `__origin__`/
// `__args__`/`__parameters__`, equality and hashing, calling the alias, attribute reads passed
// to the origin, `|` between them, and `isinstance` with a union (a parameterized generic is
// refused with CPython's message). The interpreter reaches them through {@link genericAlias}
// and {@link typeOr} (types imports the first time a program subscripts a built-in class or
// joins two classes with `|`; python3's start-up has imported `types` already).

import type { Ref } from "@mm/runtime";
import type { Protocols } from "./host.js";
import { ModuleObj } from "./layouts.js";
import { TYPE_NAMES } from "./type-names.js";
import type { PyType } from "./types.js";

/** The Python source of the two classes, run at the end of the `types` module's. */
export const GENERIC_ALIAS_SOURCE = `

def _ga_repr_item(p):
    if p is Ellipsis:
        return "..."
    if isinstance(p, (GenericAlias, UnionType)):
        return repr(p)
    if isinstance(p, list):
        return "[" + ", ".join([_ga_repr_item(a) for a in p]) + "]"
    try:
        qualname = p.__qualname__
        module = p.__module__
    except AttributeError:
        return repr(p)
    if not isinstance(p, type) and not hasattr(p, "__origin__"):
        if not hasattr(p, "__args__"):
            return repr(p)
    if module == "builtins":
        return qualname
    return "%s.%s" % (module, qualname)


def _ga_parameters(args):
    params = []
    for a in args:
        if hasattr(a, "__typing_subst__") or type(a).__name__ in ("TypeVar", "ParamSpec"):
            if a not in params:
                params.append(a)
        else:
            for p in getattr(a, "__parameters__", ()):
                if p not in params:
                    params.append(p)
    return tuple(params)


_GA_OWN = frozenset({"__origin__", "__args__", "__parameters__", "__unpacked__",
                     "__class__", "__mro_entries__", "__reduce__", "__copy__", "__deepcopy__",
                     "__typing_unpacked_tuple_args__"})


class GenericAlias:
    """Represent a PEP 585 generic type

E.g. for t = list[int], t.__origin__ is list and t.__args__ is (int,)."""

    __slots__ = ("_origin", "_args", "_parameters", "__weakref__")

    def __new__(cls, origin, args, /):
        self = object.__new__(cls)
        if not isinstance(args, tuple):
            args = (args,)
        object.__setattr__(self, "_origin", origin)
        object.__setattr__(self, "_args", args)
        object.__setattr__(self, "_parameters", None)
        return self

    @property
    def __origin__(self):
        return self._origin

    @property
    def __args__(self):
        return self._args

    @property
    def __parameters__(self):
        if self._parameters is None:
            object.__setattr__(self, "_parameters", _ga_parameters(self._args))
        return self._parameters

    @property
    def __unpacked__(self):
        return False

    def __getattr__(self, name):
        if name[:2] == "__" and name[-2:] == "__" and name in _GA_OWN:
            raise AttributeError(name)
        return getattr(self._origin, name)

    def __repr__(self):
        if len(self._args) == 0:
            return _ga_repr_item(self._origin) + "[()]"
        return "%s[%s]" % (_ga_repr_item(self._origin),
                           ", ".join([_ga_repr_item(a) for a in self._args]))

    def __call__(self, *args, **kwargs):
        result = self._origin(*args, **kwargs)
        try:
            result.__orig_class__ = self
        except (AttributeError, TypeError):
            pass
        return result

    def __mro_entries__(self, bases):
        return (self._origin,)

    def __eq__(self, other):
        if not isinstance(other, GenericAlias):
            return NotImplemented
        return self._origin == other._origin and self._args == other._args

    def __hash__(self):
        return hash(self._origin) ^ hash(self._args)

    def __or__(self, other):
        return _union_or(self, other)

    def __ror__(self, other):
        return _union_or(other, self)

    def __getitem__(self, item):
        params = self.__parameters__
        if not params:
            raise TypeError("%r is not a generic class" % (self,))
        if not isinstance(item, tuple):
            item = (item,)
        if len(item) != len(params):
            raise TypeError("Too %s arguments for %r; actual %d, expected %d"
                            % ("many" if len(item) > len(params) else "few", self,
                               len(item), len(params)))
        subst = dict(zip(params, item))
        new_args = []
        for a in self._args:
            if a in subst:
                new_args.append(subst[a])
            elif getattr(a, "__parameters__", ()):
                new_args.append(a[tuple([subst.get(p, p) for p in a.__parameters__])])
            else:
                new_args.append(a)
        return GenericAlias(self._origin, tuple(new_args))

    def __instancecheck__(self, obj):
        raise TypeError("isinstance() argument 2 cannot be a parameterized generic")

    def __subclasscheck__(self, cls):
        raise TypeError("issubclass() argument 2 cannot be a parameterized generic")

    def __dir__(self):
        return sorted(set(dir(self._origin)) | {"__origin__", "__args__", "__parameters__"})

    def __setattr__(self, name, value):
        raise AttributeError("readonly attribute")


GenericAlias.__module__ = "types"


def _unionable(obj):
    return obj is None or isinstance(obj, (type, GenericAlias, UnionType))


def _union_or(a, b):
    if not _unionable(a) or not _unionable(b):
        return NotImplemented
    args = []
    for x in (a, b):
        if x is None:
            x = type(None)
        items = x.__args__ if isinstance(x, UnionType) else (x,)
        for item in items:
            if item not in args:
                args.append(item)
    if len(args) == 1:
        return args[0]
    u = object.__new__(UnionType)
    object.__setattr__(u, "_args", tuple(args))
    return u


class UnionType:
    """Represent a PEP 604 union type

E.g. for int | str"""

    __slots__ = ("_args", "_parameters")

    def __new__(cls, *args, **kwargs):
        raise TypeError("cannot create 'types.UnionType' instances")

    @property
    def __args__(self):
        return self._args

    @property
    def __parameters__(self):
        return _ga_parameters(self._args)

    def __repr__(self):
        return " | ".join(["None" if a is type(None) else _ga_repr_item(a) for a in self._args])

    def __or__(self, other):
        return _union_or(self, other)

    def __ror__(self, other):
        return _union_or(other, self)

    def __eq__(self, other):
        if not isinstance(other, UnionType):
            return NotImplemented
        return set(self._args) == set(other._args)

    def __hash__(self):
        return hash(frozenset(self._args))

    def __instancecheck__(self, obj):
        for a in self._args:
            if isinstance(a, GenericAlias):
                raise TypeError("isinstance() argument 2 cannot be a parameterized generic")
        return isinstance(obj, self._args)

    def __subclasscheck__(self, cls):
        for a in self._args:
            if isinstance(a, GenericAlias):
                raise TypeError("issubclass() argument 2 cannot be a parameterized generic")
        return issubclass(cls, self._args)

    def __setattr__(self, name, value):
        raise AttributeError("readonly attribute")


UnionType.__module__ = "types"
`;

/** A name of the `types` module (a new reference). */
function typesName(b: Protocols, name: string): Ref {
  const py = b.vm.py;
  const types = b.importModule("types");
  try {
    return py.newRef(py.dictGet(py.getRef(types, ModuleObj.dict), py.constant(name)));
  } finally {
    py.decref(types);
  }
}

/** `origin[args]` for a built-in class with `__class_getitem__` (a new GenericAlias). */
export function genericAlias(b: Protocols, origin: Ref, args: Ref): Ref {
  const cls = typesName(b, "GenericAlias");
  try {
    return b.vm.call(cls, [origin, args]);
  } finally {
    b.vm.py.decref(cls);
  }
}

/**
 * `type.__or__(l, r)` (`_Py_union_type_or`): a new `types.UnionType` (or the one class when
 * both are the same), or 0 when an operand cannot join a union (the caller's TypeError).
 */
export function typeOr(b: Protocols, l: Ref, r: Ref): Ref {
  const py = b.vm.py;
  const f = typesName(b, "_union_or");
  try {
    const res = b.vm.call(f, [l, r]);
    if (res === b.notImplemented) {
      py.decref(res);
      return 0;
    }
    return res;
  } finally {
    py.decref(f);
  }
}

/** The built-in classes CPython 3.11 gives `__class_getitem__` (their names). */
const CLASS_GETITEM = new Set(
  Object.entries(TYPE_NAMES)
    .filter(([, names]) => names.split(" ").includes("__class_getitem__"))
    .map(([name]) => name),
);

/**
 * Whether `t[...]` makes a GenericAlias: `t` or a class of its MRO is a built-in class with
 * `__class_getitem__` (`list`, `dict`, `type`, a subclass of `list`, …).
 */
export function subscriptsToAlias(t: PyType): boolean {
  return t.mro.some((c) => !c.heap && CLASS_GETITEM.has(c.name));
}
