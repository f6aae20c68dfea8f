// The `types` module: the interpreter's built-in types named as Lib/types.py names them (the type
// of an example object: FunctionType, CodeType, GeneratorType, MethodType, ModuleType, …),
// `MappingProxyType` (callable, as mappingproxy_new), `SimpleNamespace` with CPython's repr
// and equality, and `new_class`, `prepare_class`, `resolve_bases` as Lib/types.py has them.

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import { GENERIC_ALIAS_SOURCE } from "./generic-alias.js";
import type { Protocols } from "./host.js";
import { precompileSource, pythonModule } from "./python-module.js";
import { TYPES_COMPILED } from "./types-module.compiled.js";

/** The module's Python source. */
const SOURCE = `"""Names for the interpreter's built-in types (as type(...) of an example object), and
SimpleNamespace, new_class, prepare_class and resolve_bases."""

import sys


def _f(): pass
FunctionType = type(_f)
LambdaType = type(lambda: None)
CodeType = type(_f.__code__)
MappingProxyType = type(_proxy)


def _cell_factory():
    a = 1
    def f():
        nonlocal a
    return f.__closure__[0]
CellType = type(_cell_factory())


def _g():
    yield 1
GeneratorType = type(_g())


class _C:
    def _m(self): pass
MethodType = type(_C()._m)

BuiltinFunctionType = type(len)
BuiltinMethodType = type([].append)
WrapperDescriptorType = type(object.__init__)
MethodDescriptorType = type(str.join)
ModuleType = type(sys)

try:
    raise TypeError
except TypeError as exc:
    TracebackType = type(exc.__traceback__)
    FrameType = type(exc.__traceback__.tb_frame)

NoneType = type(None)
NotImplementedType = type(NotImplemented)
EllipsisType = type(Ellipsis)

del sys, _f, _g, _C, _cell_factory, _proxy


class SimpleNamespace:
    """A simple attribute-based namespace.

    SimpleNamespace(**kwargs)"""

    def __init__(self, *args, **kwargs):
        if args:
            raise TypeError("no positional arguments expected")
        self.__dict__.update(kwargs)

    def __repr__(self):
        name = "namespace" if type(self) is SimpleNamespace else type(self).__name__
        key = id(self)
        if key in _repr_running:
            return name + "(...)"
        _repr_running.add(key)
        try:
            parts = []
            for k, v in self.__dict__.items():
                if isinstance(k, str):
                    parts.append("%s=%r" % (k, v))
            return "%s(%s)" % (name, ", ".join(parts))
        finally:
            _repr_running.discard(key)

    def __eq__(self, other):
        if isinstance(self, SimpleNamespace) and isinstance(other, SimpleNamespace):
            return self.__dict__ == other.__dict__
        return NotImplemented

    # The errors name the type as CPython's tp_name does: types.SimpleNamespace.
    def __hash__(self):
        raise TypeError("unhashable type: '%s'" % _tp_name(self))

    def __getattr__(self, name):
        raise AttributeError("'%s' object has no attribute '%s'" % (_tp_name(self), name))

    def __reduce__(self):
        return (type(self), (), self.__dict__)


_repr_running = set()


def _tp_name(o):
    kind = type(o)
    return "types.SimpleNamespace" if kind is SimpleNamespace else kind.__name__


def new_class(name, bases=(), kwds=None, exec_body=None):
    """Create a class object dynamically using the appropriate metaclass."""
    resolved_bases = resolve_bases(bases)
    meta, ns, kwds = prepare_class(name, resolved_bases, kwds)
    if exec_body is not None:
        exec_body(ns)
    if resolved_bases is not bases:
        ns['__orig_bases__'] = bases
    return meta(name, resolved_bases, ns, **kwds)


def resolve_bases(bases):
    """Resolve MRO entries dynamically as specified by PEP 560."""
    new_bases = list(bases)
    updated = False
    shift = 0
    for i, base in enumerate(bases):
        if isinstance(base, type):
            continue
        if not hasattr(base, "__mro_entries__"):
            continue
        new_base = base.__mro_entries__(bases)
        updated = True
        if not isinstance(new_base, tuple):
            raise TypeError("__mro_entries__ must return a tuple")
        else:
            new_bases[i+shift:i+shift+1] = new_base
            shift += len(new_base) - 1
    if not updated:
        return bases
    return tuple(new_bases)


def prepare_class(name, bases=(), kwds=None):
    """Call the __prepare__ method of the appropriate metaclass: (metaclass, namespace, kwds)."""
    if kwds is None:
        kwds = {}
    else:
        kwds = dict(kwds)
    if 'metaclass' in kwds:
        meta = kwds.pop('metaclass')
    else:
        if bases:
            meta = type(bases[0])
        else:
            meta = type
    if isinstance(meta, type):
        meta = _calculate_meta(meta, bases)
    if hasattr(meta, '__prepare__'):
        ns = meta.__prepare__(name, bases, **kwds)
    else:
        ns = {}
    return meta, ns, kwds


def _calculate_meta(meta, bases):
    """Calculate the most derived metaclass."""
    winner = meta
    for base in bases:
        base_meta = type(base)
        if issubclass(winner, base_meta):
            continue
        if issubclass(base_meta, winner):
            winner = base_meta
            continue
        raise TypeError("metaclass conflict: "
                        "the metaclass of a derived class "
                        "must be a (non-strict) subclass "
                        "of the metaclasses of all its bases")
    return winner


__all__ = ['FunctionType', 'LambdaType', 'CodeType', 'MappingProxyType', 'SimpleNamespace',
           'CellType', 'GeneratorType', 'MethodType', 'BuiltinFunctionType', 'BuiltinMethodType',
           'WrapperDescriptorType', 'MethodDescriptorType', 'ModuleType', 'TracebackType',
           'FrameType', 'new_class', 'resolve_bases', 'prepare_class', 'EllipsisType',
           'NoneType', 'NotImplementedType', 'GenericAlias', 'UnionType']
${GENERIC_ALIAS_SOURCE}`;

/** The file name the module's code and tracebacks carry. */
const FILENAME = "<types>";

/** The module's code, shared by every interpreter (read at the first import). */
let compiled: CodeUnit | undefined;

/**
 * The module's source compiled and serialized: what scripts/precompile.ts stores in
 * types-module.compiled.ts.
 */
export function precompiledTypes(): string {
  return precompileSource(SOURCE, FILENAME);
}

/**
 * The `types` module (a new reference): mappingproxy made callable (`mappingproxy_new`), then
 * its Python source run in its namespace with an example proxy.
 */
export function typesModule(b: Protocols): Ref {
  compiled ??= deserializeCode(TYPES_COMPILED);
  const vm = b.vm;
  const py = vm.py;
  const empty = py.dict();
  const proxy = b.mappingProxy(empty);
  py.decref(empty);
  const t = vm.typeOf(proxy);
  if (!t.methods.has("__new__"))
    t.methods.set("__new__", (a, kw) => {
      const given = a.length + (kw?.size ?? 0);
      const mapping =
        a[0] ??
        kw?.get("mapping") ??
        vm.raise("TypeError", "mappingproxy() missing required argument 'mapping' (pos 1)");
      if (given > 1)
        vm.raise("TypeError", `mappingproxy() takes at most 1 argument (${given} given)`);
      const k = vm.kindOf(mapping);
      if (k === "list" || k === "tuple" || !b.lookupType(vm.typeOf(mapping), "__getitem__"))
        vm.raise(
          "TypeError",
          `mappingproxy() argument must be a mapping, not ${vm.typeOf(mapping).name}`,
        );
      return b.mappingProxy(mapping);
    });
  try {
    return pythonModule(
      b,
      { name: "types", filename: FILENAME, source: SOURCE, values: { _proxy: proxy } },
      compiled,
    );
  } finally {
    py.decref(proxy);
  }
}
