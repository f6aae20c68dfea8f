// The pure-Python half of the `weakref` module: `finalize`, `KeyedRef`, `WeakValueDictionary`,
// `WeakKeyDictionary`, `WeakSet`, `WeakMethod` and the proxy types. In CPython 3.11 these are Python classes
// (Lib/weakref.py, Lib/_weakrefset.py), so what a program can observe of them -- a `data` dict
// or set of weak references with callbacks inside an ordinary instance, a `_remove` closure, a
// `_pending_removals` list, a class-level registry of finalizers -- comes from running Python
// code. This module does the same: the classes are Python source, compiled and run once in the
// weakref module's namespace when the module is imported, over the native `ref` type. The few
// pieces Python cannot express here (a proxy's attribute forwarding, `getweakrefs`, the
// hash and equality of weak references) are written in TypeScript.

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import type { Host, Protocols } from "./host.js";
import { ModuleObj, TypeObj } from "./layouts.js";
import { precompileSource, runModuleCode } from "./python-module.js";
import type { PyType } from "./types.js";
import { WEAKREF_COMPILED } from "./weakref.compiled.js";

/**
 * The Python source of the weakref module's classes. Iteration returns an iterator over a
 * snapshot of the live entries (the evaluator has no generators), so no entry can vanish
 * while a loop runs; `_iterating` and `_pending_removals` are kept because they are part of
 * the objects' observable contents.
 */
const SOURCE = `
class KeyedRef(ref):
    """ref() with a key: WeakValueDictionary's entries, whose callback learns the key."""

    __slots__ = ("key",)

    def __new__(type, ob, callback, key):
        self = ref.__new__(type, ob, callback)
        self.key = key
        return self

    def __init__(self, ob, callback, key):
        super().__init__(ob, callback)


class WeakValueDictionary:
    """Mapping class that references values weakly."""

    def __init__(self, other=(), **kwargs):
        def remove(wr, selfref=ref(self), _atomic_removal=_remove_dead_weakref):
            self = selfref()
            if self is not None:
                if self._iterating:
                    self._pending_removals.append(wr.key)
                else:
                    _atomic_removal(self.data, wr.key)
        self._remove = remove
        self._pending_removals = []
        self._iterating = set()
        self.data = {}
        # (Skipped when there is nothing to add: hasattr's miss on () costs an exception.)
        if other or kwargs:
            self.update(other, **kwargs)

    def _commit_removals(self):
        pending = self._pending_removals
        while pending:
            _remove_dead_weakref(self.data, pending.pop())

    def __getitem__(self, key):
        if self._pending_removals:
            self._commit_removals()
        wr = self.data.get(key)
        o = None if wr is None else wr()
        if o is None:
            raise KeyError(key)
        return o

    def __delitem__(self, key):
        if self._pending_removals:
            self._commit_removals()
        if self.data.pop(key, None) is None:
            raise KeyError(key)

    def __len__(self):
        if self._pending_removals:
            self._commit_removals()
        return len(self.data)

    def __contains__(self, key):
        if self._pending_removals:
            self._commit_removals()
        wr = self.data.get(key)
        return wr is not None and wr() is not None

    def __repr__(self):
        return "<%s at %#x>" % (self.__class__.__name__, id(self))

    def __setitem__(self, key, value):
        if self._pending_removals:
            self._commit_removals()
        self.data[key] = KeyedRef(value, self._remove, key)

    def copy(self):
        new = WeakValueDictionary()
        for key, wr in list(self.data.items()):
            o = wr()
            if o is not None:
                new[key] = o
        return new

    __copy__ = copy

    def get(self, key, default=None):
        if self._pending_removals:
            self._commit_removals()
        wr = self.data.get(key)
        if wr is None:
            return default
        o = wr()
        if o is None:
            return default
        return o

    def items(self):
        result = []
        for k, wr in list(self.data.items()):
            v = wr()
            if v is not None:
                result.append((k, v))
        return result

    def keys(self):
        result = []
        for k, wr in list(self.data.items()):
            if wr() is not None:
                result.append(k)
        return result

    def __iter__(self):
        return iter(self.keys())

    def values(self):
        result = []
        for wr in list(self.data.values()):
            o = wr()
            if o is not None:
                result.append(o)
        return result

    def itervaluerefs(self):
        return iter(self.valuerefs())

    def valuerefs(self):
        if self._pending_removals:
            self._commit_removals()
        return list(self.data.values())

    def popitem(self):
        if self._pending_removals:
            self._commit_removals()
        while True:
            key, wr = self.data.popitem()
            o = wr()
            if o is not None:
                return key, o

    def pop(self, key, *args):
        if self._pending_removals:
            self._commit_removals()
        wr = self.data.pop(key, None)
        o = None if wr is None else wr()
        if o is None:
            if args:
                return args[0]
            raise KeyError(key)
        return o

    def setdefault(self, key, default=None):
        wr = self.data.get(key)
        o = None if wr is None else wr()
        if o is None:
            if self._pending_removals:
                self._commit_removals()
            self.data[key] = KeyedRef(default, self._remove, key)
            return default
        return o

    def update(self, other=None, **kwargs):
        if self._pending_removals:
            self._commit_removals()
        d = self.data
        if other is not None:
            if hasattr(other, "items"):
                other = other.items()
            for key, o in other:
                d[key] = KeyedRef(o, self._remove, key)
        for key, o in kwargs.items():
            d[key] = KeyedRef(o, self._remove, key)

    def clear(self):
        self._pending_removals = []
        self.data.clear()

    def __eq__(self, other):
        if not hasattr(other, "items"):
            return NotImplemented
        return dict(self.items()) == dict(other.items())

    __hash__ = None

    def __ior__(self, other):
        self.update(other)
        return self

    def __or__(self, other):
        if hasattr(other, "items"):
            c = self.copy()
            c.update(other)
            return c
        return NotImplemented


class WeakKeyDictionary:
    """Mapping class that references keys weakly."""

    def __init__(self, dict=None):
        self.data = {}
        def remove(k, selfref=ref(self)):
            self = selfref()
            if self is not None:
                if self._iterating:
                    self._pending_removals.append(k)
                else:
                    self.data.pop(k, None)
        self._remove = remove
        self._pending_removals = []
        self._iterating = set()
        self._dirty_len = False
        if dict is not None:
            self.update(dict)

    def _commit_removals(self):
        pending = self._pending_removals
        d = self.data
        while pending:
            d.pop(pending.pop(), None)

    def _scrub_removals(self):
        d = self.data
        self._pending_removals = [k for k in self._pending_removals if k in d]
        self._dirty_len = False

    def __delitem__(self, key):
        self._dirty_len = True
        del self.data[ref(key)]

    def __getitem__(self, key):
        return self.data[ref(key)]

    def __len__(self):
        if self._dirty_len and self._pending_removals:
            self._scrub_removals()
        return len(self.data) - len(self._pending_removals)

    def __repr__(self):
        return "<%s at %#x>" % (self.__class__.__name__, id(self))

    def __setitem__(self, key, value):
        self.data[ref(key, self._remove)] = value

    def copy(self):
        new = WeakKeyDictionary()
        for key, value in list(self.data.items()):
            o = key()
            if o is not None:
                new[o] = value
        return new

    __copy__ = copy

    def get(self, key, default=None):
        return self.data.get(ref(key), default)

    def __contains__(self, key):
        try:
            wr = ref(key)
        except TypeError:
            return False
        return wr in self.data

    def items(self):
        result = []
        for wr, value in list(self.data.items()):
            key = wr()
            if key is not None:
                result.append((key, value))
        return result

    def keys(self):
        result = []
        for wr in list(self.data):
            o = wr()
            if o is not None:
                result.append(o)
        return result

    def __iter__(self):
        return iter(self.keys())

    def values(self):
        result = []
        for wr, value in list(self.data.items()):
            if wr() is not None:
                result.append(value)
        return result

    def keyrefs(self):
        return list(self.data)

    def popitem(self):
        self._dirty_len = True
        while True:
            key, value = self.data.popitem()
            o = key()
            if o is not None:
                return o, value

    def pop(self, key, *args):
        self._dirty_len = True
        return self.data.pop(ref(key), *args)

    def setdefault(self, key, default=None):
        return self.data.setdefault(ref(key, self._remove), default)

    def update(self, dict=None, **kwargs):
        d = self.data
        if dict is not None:
            if hasattr(dict, "items"):
                dict = dict.items()
            for key, value in dict:
                d[ref(key, self._remove)] = value
        if len(kwargs):
            self.update(kwargs)

    def clear(self):
        self._pending_removals = []
        self._dirty_len = False
        self.data.clear()

    def __eq__(self, other):
        if not hasattr(other, "items"):
            return NotImplemented
        return dict(self.items()) == dict(other.items())

    __hash__ = None

    def __ior__(self, other):
        self.update(other)
        return self

    def __or__(self, other):
        if hasattr(other, "items"):
            c = self.copy()
            c.update(other)
            return c
        return NotImplemented


class WeakSet:
    def __init__(self, data=None):
        self.data = set()
        def remove(item, selfref=ref(self)):
            self = selfref()
            if self is not None:
                if self._iterating:
                    self._pending_removals.append(item)
                else:
                    self.data.discard(item)
        self._remove = remove
        self._pending_removals = []
        self._iterating = set()
        if data is not None:
            self.update(data)

    def _commit_removals(self):
        pending = self._pending_removals
        discard = self.data.discard
        while pending:
            discard(pending.pop())

    def __iter__(self):
        result = []
        for itemref in list(self.data):
            item = itemref()
            if item is not None:
                result.append(item)
        return iter(result)

    def __len__(self):
        return len(self.data) - len(self._pending_removals)

    def __contains__(self, item):
        try:
            wr = ref(item)
        except TypeError:
            return False
        return wr in self.data

    def __repr__(self):
        return repr(self.data)

    def add(self, item):
        if self._pending_removals:
            self._commit_removals()
        self.data.add(ref(item, self._remove))

    def clear(self):
        if self._pending_removals:
            self._commit_removals()
        self.data.clear()

    def copy(self):
        return WeakSet(self)

    __copy__ = copy

    def pop(self):
        if self._pending_removals:
            self._commit_removals()
        data = self.data
        while data:
            item = data.pop()()
            if item is not None:
                return item
        raise KeyError("pop from empty WeakSet")

    def remove(self, item):
        if self._pending_removals:
            self._commit_removals()
        self.data.remove(ref(item))

    def discard(self, item):
        if self._pending_removals:
            self._commit_removals()
        self.data.discard(ref(item))

    def update(self, other):
        if self._pending_removals:
            self._commit_removals()
        for element in other:
            self.add(element)

    def __ior__(self, other):
        self.update(other)
        return self

    def difference(self, other):
        new = self.copy()
        new.difference_update(other)
        return new

    __sub__ = difference

    def difference_update(self, other):
        self.__isub__(other)

    def __isub__(self, other):
        if self._pending_removals:
            self._commit_removals()
        if self is other:
            self.data.clear()
        else:
            for item in other:
                self.data.discard(ref(item))
        return self

    def intersection(self, other):
        return self.__class__([item for item in other if item in self])

    __and__ = intersection

    def intersection_update(self, other):
        self.__iand__(other)

    def __iand__(self, other):
        if self._pending_removals:
            self._commit_removals()
        keep = set([ref(item) for item in other])
        for itemref in list(self.data):
            if itemref not in keep:
                self.data.discard(itemref)
        return self

    def issubset(self, other):
        return self.data.issubset(set([ref(item) for item in other]))

    __le__ = issubset

    def __lt__(self, other):
        return self.data < set([ref(item) for item in other])

    def issuperset(self, other):
        return self.data.issuperset(set([ref(item) for item in other]))

    __ge__ = issuperset

    def __gt__(self, other):
        return self.data > set([ref(item) for item in other])

    def __eq__(self, other):
        if not isinstance(other, self.__class__):
            return NotImplemented
        return self.data == set([ref(item) for item in other])

    def symmetric_difference(self, other):
        new = self.copy()
        new.symmetric_difference_update(other)
        return new

    __xor__ = symmetric_difference

    def symmetric_difference_update(self, other):
        self.__ixor__(other)

    def __ixor__(self, other):
        if self._pending_removals:
            self._commit_removals()
        if self is other:
            self.data.clear()
        else:
            for item in other:
                wr = ref(item, self._remove)
                if wr in self.data:
                    self.data.discard(wr)
                else:
                    self.data.add(wr)
        return self

    def union(self, other):
        return self.__class__([e for s in (self, other) for e in s])

    __or__ = union

    def isdisjoint(self, other):
        return len(self.intersection(other)) == 0

    __hash__ = None


class WeakMethod(ref):
    """A ref to a bound method's object that also watches its function: dead once either dies."""

    __slots__ = "_func_ref", "_meth_type", "_alive", "__weakref__"

    def __new__(cls, meth, callback=None):
        try:
            obj = meth.__self__
            func = meth.__func__
        except AttributeError:
            raise TypeError("argument should be a bound method, not {}"
                            .format(type(meth))) from None
        def _cb(arg):
            # A weak reference to self, so that the callback makes no cycle.
            self = self_wr()
            if self._alive:
                self._alive = False
                if callback is not None:
                    callback(self)
        self = ref.__new__(cls, obj, _cb)
        self._func_ref = ref(func, _cb)
        self._meth_type = type(meth)
        self._alive = True
        self_wr = ref(self)
        return self

    def __call__(self):
        obj = super().__call__()
        func = self._func_ref()
        if obj is None or func is None:
            return None
        return _bind_method(func, obj)

    def __eq__(self, other):
        if isinstance(other, WeakMethod):
            if not self._alive or not other._alive:
                return self is other
            return ref.__eq__(self, other) and self._func_ref == other._func_ref
        return NotImplemented

    def __ne__(self, other):
        if isinstance(other, WeakMethod):
            if not self._alive or not other._alive:
                return self is not other
            return ref.__ne__(self, other) or self._func_ref != other._func_ref
        return NotImplemented

    __hash__ = ref.__hash__


class _FinalizerInfo:
    __slots__ = ("weakref", "func", "args", "kwargs", "atexit", "index")


class finalize:
    """Class for finalization of weakrefable objects."""

    __slots__ = ()
    _registry = {}
    _shutdown = False
    _next_index = [0]
    _dirty = False

    def __init__(self, obj, func, *args, **kwargs):
        info = _FinalizerInfo()
        info.weakref = ref(obj, self)
        info.func = func
        info.args = args
        info.kwargs = kwargs or None
        info.atexit = True
        counter = finalize._next_index
        info.index = counter[0]
        counter[0] = counter[0] + 1
        finalize._registry[self] = info
        finalize._dirty = True

    def __call__(self, _=None):
        info = finalize._registry.pop(self, None)
        if info and not finalize._shutdown:
            return info.func(*info.args, **(info.kwargs or {}))

    def detach(self):
        info = finalize._registry.get(self)
        obj = info and info.weakref()
        if obj is not None and finalize._registry.pop(self, None):
            return (obj, info.func, info.args, info.kwargs or {})

    def peek(self):
        info = finalize._registry.get(self)
        obj = info and info.weakref()
        if obj is not None:
            return (obj, info.func, info.args, info.kwargs or {})

    # alive and atexit are computed attributes (properties in CPython): the finalize type's
    # attribute hook calls these.
    def _get_alive(self):
        return self in finalize._registry

    def _get_atexit(self):
        info = finalize._registry.get(self)
        return bool(info) and info.atexit

    def _set_atexit(self, value):
        info = finalize._registry.get(self)
        if info:
            info.atexit = bool(value)

    def __repr__(self):
        info = finalize._registry.get(self)
        obj = info and info.weakref()
        if obj is None:
            return "<%s object at %#x; dead>" % (type(self).__name__, id(self))
        return "<%s object at %#x; for %r at %#x>" % (
            type(self).__name__, id(self), type(obj).__name__, id(obj))


def _finalizers_at_exit():
    # The finalizers still registered with atexit=True, newest first: the order they run in
    # as the interpreter shuts down. No finalizer runs after them.
    registry = finalize._registry
    pending = [f for f in list(registry) if registry[f].atexit]
    pending.sort(key=lambda f: registry[f].index, reverse=True)
    finalize._dirty = False
    return pending


class ProxyType:
    # The one slot holds the proxy's weak reference; every attribute read or written on a
    # proxy goes to its referent (the type's attribute hooks), so the slot is reached from
    # TypeScript only.
    __slots__ = ("_referent_ref",)

    def __repr__(self):
        # A dead proxy shows None as its referent, as CPython's does.
        o = _proxy_peek(self)
        return "<weakproxy at %#x to %s at %#x>" % (id(self), type(o).__name__, id(o))

    def __str__(self):
        return str(_proxy_target(self))

    def __bool__(self):
        return bool(_proxy_target(self))

    def __len__(self):
        return len(_proxy_target(self))

    def __iter__(self):
        return iter(_proxy_target(self))

    def __contains__(self, item):
        return item in _proxy_target(self)

    def __getitem__(self, key):
        return _proxy_target(self)[key]

    def __setitem__(self, key, value):
        _proxy_target(self)[key] = value

    def __delitem__(self, key):
        del _proxy_target(self)[key]

    def __eq__(self, other):
        return _proxy_target(self) == _proxy_unwrap(other)

    def __ne__(self, other):
        return _proxy_target(self) != _proxy_unwrap(other)

    def __lt__(self, other):
        return _proxy_target(self) < _proxy_unwrap(other)

    def __le__(self, other):
        return _proxy_target(self) <= _proxy_unwrap(other)

    def __gt__(self, other):
        return _proxy_target(self) > _proxy_unwrap(other)

    def __ge__(self, other):
        return _proxy_target(self) >= _proxy_unwrap(other)

    def __add__(self, other):
        return _proxy_target(self) + _proxy_unwrap(other)

    def __sub__(self, other):
        return _proxy_target(self) - _proxy_unwrap(other)

    def __mul__(self, other):
        return _proxy_target(self) * _proxy_unwrap(other)

    def __hash__(self):
        raise TypeError("unhashable type: 'weakref.ProxyType'")


class CallableProxyType(ProxyType):
    __slots__ = ()

    def __call__(self, *args, **kwargs):
        return _proxy_target(self)(*args, **kwargs)

    def __hash__(self):
        raise TypeError("unhashable type: 'weakref.CallableProxyType'")


ProxyTypes = (ProxyType, CallableProxyType)
`;

/** What using a proxy whose referent has died raises (CPython's ReferenceError message). */
const REFERENCE_ERROR = "weakly-referenced object no longer exists";

/**
 * Fills the weakref module `m` (its `ref`, `ReferenceType` and `getweakrefcount` already
 * defined) with the rest of CPython 3.11's module: the Python classes, `proxy`, `ProxyType`,
 * `CallableProxyType`, `ProxyTypes` and `getweakrefs`. The source's helpers (`_proxy_target`
 * and the like) are defined in the namespace first, since the classes look them up there.
 */
export function installWeakrefClasses(b: Protocols, m: Ref): void {
  const vm: Host = b.vm;
  const py = vm.py;
  const ns = py.getRef(m, ModuleObj.dict);
  const define = (name: string, fn: (args: readonly Ref[]) => Ref) => {
    const f = b.newBuiltin(
      name,
      b.moduleFunction("weakref", name, (a) => fn(a)),
    );
    b.setStr(ns, name, f);
    py.decref(f);
  };
  /** The proxy's weak reference, read from its one slot (the proxy's class forwards getattr). */
  const innerRef = (p: Ref) => py.getRef(p, 16);
  const proxyTarget = (p: Ref): Ref => {
    const o = py.deref(innerRef(p));
    if (o === py.none) vm.raise("ReferenceError", REFERENCE_ERROR);
    return o;
  };
  define("_proxy_target", (a) => proxyTarget(a[0]!));
  // WeakMethod rebuilds its bound method from the function and the object.
  define("_bind_method", (a) => b.bind(a[0]!, a[1]!));
  define("_proxy_peek", (a) => newRefOrNone(py, py.deref(innerRef(a[0]!))));
  const proxyTypes: PyType[] = [];
  const isProxy = (o: Ref) => proxyTypes.includes(vm.typeOf(o));
  define("_proxy_unwrap", (a) => (isProxy(a[0]!) ? proxyTarget(a[0]!) : py.newRef(a[0]!)));
  runSource(b, ns);
  const classOf = (name: string) => b.typeFromObject(py.dictGet(ns, py.constant(name)));
  // The modules CPython defines them in: the type's and its `__module__`, which reprs read.
  const setModule = (name: string, module: string) => {
    const t = classOf(name);
    t.module = module;
    const value = py.str(module);
    b.setStr(py.getRef(t.object, TypeObj.dict), "__module__", value);
    py.decref(value);
  };
  for (const name of [
    "KeyedRef",
    "WeakValueDictionary",
    "WeakKeyDictionary",
    "finalize",
    "WeakMethod",
    "ProxyType",
    "CallableProxyType",
  ])
    setModule(name, "weakref");
  setModule("WeakSet", "_weakrefset");
  installComputedAttributes(b, classOf("finalize"));
  const plain = classOf("ProxyType");
  const callable = classOf("CallableProxyType");
  proxyTypes.push(plain, callable);
  for (const pt of proxyTypes) {
    // A proxy forwards every attribute to its referent, as CPython's proxy_getattr does.
    pt.getattro = (o, name) => {
      const target = proxyTarget(o);
      try {
        return b.getAttr(target, name);
      } finally {
        py.decref(target);
      }
    };
    pt.setattro = (o, name, value) => {
      const target = proxyTarget(o);
      try {
        b.setAttr(target, name, value);
      } finally {
        py.decref(target);
      }
    };
  }
  /** The proxies made so far by their inner weak reference, for `getweakrefs`. */
  const proxies = new Map<Ref, Ref>();
  /** The proxies made without a callback: `proxy(o)` hands out o's one such proxy again. */
  const basicProxies = new Set<Ref>();
  const proxyOf = (wr: Ref): Ref => {
    const p = proxies.get(wr);
    // A freed proxy's address may hold something else by now.
    return p !== undefined && isProxy(p) && innerRef(p) === wr ? p : 0;
  };
  const basicProxyOf = (target: Ref): Ref => {
    for (const wr of vm.runtime.strategy.rc.weakrefsTo(target)) {
      const p = proxyOf(wr);
      if (p && basicProxies.has(p)) return p;
    }
    return 0;
  };
  // `_weakref._remove_dead_weakref(d, key)`: the entry goes only while it is still a dead
  // reference (one step, as `_PyDict_DelItemIf` takes it); a missing key is no error.
  define("_remove_dead_weakref", (a) => {
    const [d, key] = a as [Ref, Ref];
    if (vm.kindOf(d) !== "dict")
      vm.raise(
        "TypeError",
        `_remove_dead_weakref() argument 1 must be dict, not ${vm.typeOf(d).name}`,
      );
    const wr = py.dictGet(d, key);
    if (wr === 0) return py.newRef(py.none);
    if (vm.kindOf(wr) !== "weakref") vm.raise("TypeError", "not a weakref");
    if (vm.runtime.strategy.rc.weakrefTarget(wr) === 0) py.dictDel(d, key);
    return py.newRef(py.none);
  });
  const proxyFn = b.newBuiltin(
    "proxy",
    b.moduleFunction("weakref", "proxy", (a) => {
      if (a.length < 1 || a.length > 2)
        vm.raise("TypeError", `proxy expected at most 2 arguments, got ${a.length}`);
      const target = a[0]!;
      const callback = a[1] && a[1] !== py.none ? a[1] : 0;
      if (!callback) {
        const existing = basicProxyOf(target);
        if (existing) return py.newRef(existing);
      }
      const t = isCallable(vm, target) ? callable : plain;
      const p = vm.call(t.object, []);
      // The inner reference always has a callback, so that weakref.ref(o) never shares it.
      let wr: Ref;
      try {
        wr = py.weakref(target, () => {
          if (callback) runWeakrefCallback(b, callback, p);
        });
      } catch (error) {
        py.decref(p);
        throw error;
      }
      if (callback) {
        py.incref(callback);
        basicProxies.delete(p);
      } else basicProxies.add(p);
      py.takeRef(p, 16, wr);
      proxies.set(wr, p);
      return p;
    }),
  );
  b.setStr(ns, "proxy", proxyFn);
  py.decref(proxyFn);
  define("getweakrefs", (a) => {
    if (a.length !== 1)
      vm.raise("TypeError", `getweakrefs() takes exactly one argument (${a.length} given)`);
    const rc = vm.runtime.strategy.rc;
    const refs = rc.weakrefsTo(a[0]!);
    // CPython keeps the plain reference first, then the plain proxy, then the rest; the
    // runtime's list has the plain proxy's inner reference among the callback ones.
    const basic = basicProxyOf(a[0]!);
    const rest = refs
      .filter((wr) => !basic || wr !== innerRef(basic))
      .map((wr) => proxyOf(wr) || wr);
    if (basic) {
      const head = rest[0];
      const plainFirst =
        head !== undefined && !isProxy(head) && rc.weakrefCallback(head) === undefined;
      rest.splice(plainFirst ? 1 : 0, 0, basic);
    }
    return py.list(rest);
  });
}

/**
 * Calls a weak reference's `callback` with `arg` once its referent has died: an error is
 * reported as unraisable (CPython's "Exception ignored in"), and the reference lets go of the
 * callback it held, as a callback runs once.
 */
export function runWeakrefCallback(b: Protocols, callback: Ref, arg: Ref): void {
  const vm = b.vm;
  try {
    vm.py.decref(vm.call(callback, [arg]));
  } catch (error) {
    const exc = vm.toPython(error);
    b.writeUnraisable(b.reprOf(callback), exc);
    vm.py.decref(exc);
  } finally {
    vm.py.decref(callback);
  }
}

/**
 * What `Embedding.deref` gives, as a new reference either way: it lends `None` for a dead
 * reference, and a function's result must be owned.
 */
export function newRefOrNone(py: Host["py"], o: Ref): Ref {
  return o === py.none ? py.newRef(o) : o;
}

/**
 * Whether `o` can be called (CPython's PyCallable_Check): what `callable()` answers, what picks
 * a proxy's type and what `iter(v, w)` asks of `v`.
 */
export function isCallable(vm: Host, o: Ref): boolean {
  const kind = vm.kindOf(o);
  if (
    kind === "function" ||
    kind === "builtin" ||
    kind === "method" ||
    kind === "type" ||
    kind === "staticmethod"
  )
    return true;
  return vm.lookupSpecial(o, "__call__") !== 0;
}

/**
 * Gives `finalize` its two computed attributes, `alive` and `atexit` (properties in CPython:
 * read through `_get_NAME`, `atexit` written through `_set_atexit`); every other name takes
 * the ordinary path, with the hook lifted while it does.
 */
function installComputedAttributes(b: Protocols, t: PyType): void {
  const vm = b.vm;
  const py = vm.py;
  const method = (name: string) => b.lookupType(t, name);
  const get = (o: Ref, name: string): Ref => {
    if (name === "alive" || name === "atexit") return vm.call(method(`_get_${name}`), [o]);
    t.getattro = undefined;
    try {
      return b.getAttr(o, name);
    } finally {
      t.getattro = get;
    }
  };
  const set = (o: Ref, name: string, value: Ref): void => {
    if (name === "atexit") {
      py.decref(vm.call(method("_set_atexit"), [o, value]));
      return;
    }
    t.setattro = undefined;
    try {
      b.setAttr(o, name, value);
    } finally {
      t.setattro = set;
    }
  };
  t.getattro = get;
  t.setattro = set;
}

/** The module's Python source compiled, shared by every interpreter. */
let compiled: CodeUnit | undefined;

/** The file name the module's code and tracebacks carry. */
const WEAKREF_FILENAME = "<weakref>";

/**
 * The module's source compiled now and serialized: what `weakref.compiled.ts` must hold (the
 * interpreter loads that rather than compiling the source at every start).
 */
export function precompiledWeakref(): string {
  return precompileSource(SOURCE, WEAKREF_FILENAME);
}

/** Runs the module's Python code with `ns` as its globals. */
function runSource(b: Protocols, ns: Ref): void {
  // The code unit is plain data, compiled ahead of time: loaded once, then made into code
  // objects per interpreter.
  compiled ??= deserializeCode(WEAKREF_COMPILED);
  runModuleCode(b, ns, WEAKREF_FILENAME, SOURCE, compiled);
}

/**
 * Runs the finalizers still registered with `atexit` true, newest first, as CPython does while
 * the interpreter shuts down -- when the program imported `weakref`. A finalizer's error is
 * printed as `sys.excepthook` prints it and the others still run; the exit status is kept.
 */
export function runFinalizersAtExit(vm: Host): void {
  const m = vm.builtins.modules.get("weakref");
  if (m === undefined) return;
  const b = vm.builtins;
  const py = vm.py;
  const ns = py.getRef(m, ModuleObj.dict);
  const pendingFn = py.dictGet(ns, py.constant("_finalizers_at_exit"));
  const finalizeType = py.dictGet(ns, py.constant("finalize"));
  if (!pendingFn || !finalizeType) return;
  // CPython registers its exit function with the first finalize made: with no finalizer ever
  // registered, nothing runs at exit.
  const registry = vm.builtins.typeFromObject(finalizeType).dict
    ? py.dictGet(vm.builtins.typeFromObject(finalizeType).dict, py.constant("_registry"))
    : 0;
  if (!registry || py.len(registry) === 0) return;
  const report = (error: unknown) => {
    const exc = vm.toPython(error);
    b.flush();
    vm.io.stderr(b.formatException(exc));
    py.decref(exc);
  };
  try {
    const pending = vm.call(pendingFn, []);
    try {
      for (const f of py.items(pending)) {
        try {
          // A finalizer run by an earlier one is no longer registered; calling it does nothing.
          py.decref(vm.call(f, []));
        } catch (error) {
          report(error);
        }
      }
    } finally {
      py.decref(pending);
    }
    const yes = py.bool(true);
    b.setAttr(finalizeType, "_shutdown", yes);
    py.decref(yes);
  } catch (error) {
    report(error);
  } finally {
    b.flush();
  }
}

/**
 * `hash(wr)` of a weak reference: its referent's hash, remembered so that a dead reference
 * still hashes as it did (a dict can then drop it), or CPython's TypeError when it died first.
 */
export function weakrefHash(b: Protocols, wr: Ref): bigint {
  const py = b.vm.py;
  const target = b.vm.runtime.strategy.rc.weakrefTarget(wr);
  let hashes = hashCaches.get(b);
  if (hashes === undefined) {
    hashes = new Map();
    hashCaches.set(b, hashes);
  }
  const cached = hashes.get(wr);
  // An address reused by a new weak reference to another object does not keep the old hash.
  if (cached !== undefined && (target === 0 || target === cached.target)) return cached.hash;
  if (target === 0) b.vm.raise("TypeError", "weak object has gone away");
  const hash = py.hash(target);
  hashes.set(wr, { target, hash });
  return hash;
}

/** Each interpreter's remembered weak reference hashes, by the weak reference's address. */
const hashCaches = new WeakMap<Protocols, Map<Ref, { target: Ref; hash: bigint }>>();

/**
 * `a == b` of two weak references: their referents compared while both are alive, their
 * identity once either is dead (CPython's weakref_richcompare).
 */
export function weakrefEqual(b: Protocols, x: Ref, y: Ref): boolean {
  const rc = b.vm.runtime.strategy.rc;
  const tx = rc.weakrefTarget(x);
  const ty = rc.weakrefTarget(y);
  if (tx === 0 || ty === 0) return x === y;
  return tx === ty || b.equal(tx, ty);
}
