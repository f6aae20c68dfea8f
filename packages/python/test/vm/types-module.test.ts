// The types module against python3: the built-in types it names, SimpleNamespace's repr
// (recursive too), equality, attributes and errors, MappingProxyType as a read-only live view
// made by calling the type, and new_class/prepare_class/resolve_bases.

import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("types", [
  [
    "the named types",
    `import types, sys
print(types.FunctionType, types.LambdaType, types.CodeType, types.MappingProxyType, types.CellType, types.GeneratorType, types.MethodType)
print(types.BuiltinFunctionType, types.BuiltinMethodType, types.WrapperDescriptorType, types.MethodDescriptorType, types.ModuleType)
print(types.TracebackType, types.FrameType, types.NoneType, types.EllipsisType, types.NotImplementedType)
def f(): pass
print(isinstance(f, types.FunctionType), isinstance(len, types.BuiltinFunctionType), isinstance(sys, types.ModuleType),
      isinstance((x for x in []), types.GeneratorType), isinstance(f.__code__, types.CodeType), isinstance(None, types.NoneType))`,
  ],
  [
    "SimpleNamespace",
    `import types
ns = types.SimpleNamespace(b=1, a='x')
print(ns, repr(types.SimpleNamespace()), ns == types.SimpleNamespace(b=1, a='x'), ns.__dict__, ns != 1, ns == types.SimpleNamespace(a='x'))
class S(types.SimpleNamespace): pass
print(S(x=1), S(x=1) == types.SimpleNamespace(x=1))
ns.self = ns; print(ns); ns.c = 3; del ns.b; print(ns, vars(ns) is ns.__dict__)
for bad in [lambda: types.SimpleNamespace(1), lambda: hash(types.SimpleNamespace()), lambda: hash(S()), lambda: ns.missing]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
print(types.SimpleNamespace.__module__, types.SimpleNamespace.__name__, types.SimpleNamespace.__qualname__, types.SimpleNamespace)`,
  ],
  [
    "MappingProxyType",
    `import types
d = {"a": 1}
p = types.MappingProxyType(d)
print(p, p["a"], len(p), list(p), "a" in p, p.get("z", 0), type(p) is types.MappingProxyType)
d["b"] = 2
print(p, list(p.items()), p.copy(), p == {"a": 1, "b": 2})
for bad in [lambda: types.MappingProxyType([1]), lambda: types.MappingProxyType(), lambda: types.MappingProxyType(5),
            lambda: types.MappingProxyType({}, {})]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
try:
    p["x"] = 1
except TypeError as e:
    print(e)
print(types.MappingProxyType(mapping={1: 2}))`,
  ],
  [
    "new_class, prepare_class and resolve_bases",
    `import types
C = types.new_class("C", (object,), {}, lambda ns: ns.update(x=5))
print(C.x, C.__name__, C.__bases__)
print(types.prepare_class("D", (int,)), types.resolve_bases((int,)))
M = type("M", (type,), {})
E = types.new_class("E", (), {"metaclass": M})
print(type(E) is M, types.prepare_class("F", (), {"metaclass": M})[0] is M)
class Entry:
    def __mro_entries__(self, bases):
        return (dict,)
print(types.resolve_bases((Entry(), int)))
try:
    types.new_class("G", (int, str))
except TypeError as e:
    print(e)`,
  ],
]);
