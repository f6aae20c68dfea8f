// The `functools` module as Python code run over the interpreter: `wraps`, `update_wrapper`,
// `total_ordering` and `cached_property` as Lib/functools.py defines them, and the types
// CPython 3.11 writes in C (Modules/_functoolsmodule.c) as classes whose `__slots__` give their
// instances CPython's sizes: `partial` (80 bytes with its instance dict and GC head, holding
// the function, a tuple of the arguments and a dict of the keywords), `_lru_cache_wrapper`
// (168 bytes, its cache a dict of keys to results, or to 56-byte entries holding key and
// result when the cache is bounded) and `KeyWrapper`. A cache keeps its keys and results
// alive until `cache_clear()` or eviction releases them, in CPython's order.

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import { FUNCTOOLS_COMPILED } from "./functools.compiled.js";
import type { Protocols } from "./host.js";
import { Method } from "./layouts.js";
import { precompileSource, pythonModule } from "./python-module.js";

/** The module's Python source. */
const SOURCE = `"""functools.py - Tools for working with functions and callable objects"""

__all__ = ["update_wrapper", "wraps", "WRAPPER_ASSIGNMENTS", "WRAPPER_UPDATES",
           "total_ordering", "cache", "cmp_to_key", "lru_cache", "reduce", "partial",
           "cached_property"]

WRAPPER_ASSIGNMENTS = ("__module__", "__name__", "__qualname__", "__doc__", "__annotations__")
WRAPPER_UPDATES = ("__dict__",)

_NULL = object()


def update_wrapper(wrapper, wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=WRAPPER_UPDATES):
    """Update a wrapper function to look like the wrapped function"""
    for name in assigned:
        try:
            value = getattr(wrapped, name)
        except AttributeError:
            continue
        setattr(wrapper, name, value)
    for name in updated:
        getattr(wrapper, name).update(getattr(wrapped, name, {}))
    # Set last, so that a __wrapped__ copied from the wrapped function's dict is replaced.
    wrapper.__wrapped__ = wrapped
    return wrapper


def wraps(wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=WRAPPER_UPDATES):
    """Decorator factory to apply update_wrapper() to a wrapper function"""
    return partial(update_wrapper, wrapped=wrapped, assigned=assigned, updated=updated)


# total_ordering: for each root operation, how the other three follow from it. Each entry is
# (name, negate the root's result, combine with equality: None, "or ==" or "and !=").
_ORDERINGS = {
    "__lt__": (("__gt__", True, "and !="), ("__le__", False, "or =="), ("__ge__", True, None)),
    "__le__": (("__ge__", True, "or =="), ("__lt__", False, "and !="), ("__gt__", True, None)),
    "__gt__": (("__lt__", True, "and !="), ("__ge__", False, "or =="), ("__le__", True, None)),
    "__ge__": (("__le__", True, "or =="), ("__gt__", False, "and !="), ("__lt__", True, None)),
}


def _derived(root, name, negate, combine):
    def op(self, other):
        result = getattr(type(self), root)(self, other)
        if result is NotImplemented:
            return result
        if negate:
            result = not result
        if combine == "or ==":
            return result or self == other
        if combine == "and !=":
            return result and self != other
        return result
    op.__name__ = name
    op.__qualname__ = name
    return op


def total_ordering(cls):
    """Class decorator that fills in missing ordering methods"""
    roots = [op for op in _ORDERINGS if getattr(cls, op, None) is not getattr(object, op, None)]
    if not roots:
        raise ValueError("must define at least one ordering operation: < > <= >=")
    root = max(roots)
    for name, negate, combine in _ORDERINGS[root]:
        if name not in roots:
            setattr(cls, name, _derived(root, name, negate, combine))
    return cls


class KeyWrapper:
    __slots__ = ("cmp", "obj")

    def __call__(self, obj):
        key = object.__new__(_KeyWrapper)
        key.cmp = self.cmp
        key.obj = obj
        return key

    def _compare(self, other):
        if type(other) is not _KeyWrapper:
            raise TypeError("other argument must be K instance")
        return self.cmp(self.obj, other.obj)

    def __lt__(self, other):
        return self._compare(other) < 0

    def __le__(self, other):
        return self._compare(other) <= 0

    def __gt__(self, other):
        return self._compare(other) > 0

    def __ge__(self, other):
        return self._compare(other) >= 0

    def __eq__(self, other):
        return self._compare(other) == 0

    def __ne__(self, other):
        return self._compare(other) != 0

    __hash__ = None


_KeyWrapper = KeyWrapper
del KeyWrapper


def cmp_to_key(mycmp):
    """Convert a cmp= function into a key= function."""
    key = object.__new__(_KeyWrapper)
    key.cmp = mycmp
    return key


def reduce(*args):
    """reduce(function, iterable[, initial]) -> value

Apply a function of two arguments cumulatively to the items of a sequence
or iterable, from left to right, so as to reduce the iterable to a single
value."""
    if len(args) < 2 or len(args) > 3:
        if len(args) < 2:
            raise TypeError(f"reduce expected at least 2 arguments, got {len(args)}")
        raise TypeError(f"reduce expected at most 3 arguments, got {len(args)}")
    function = args[0]
    try:
        it = iter(args[1])
    except TypeError:
        raise TypeError("reduce() arg 2 must support iteration") from None
    value = args[2] if len(args) == 3 else _NULL
    for element in it:
        if value is _NULL:
            value = element
        else:
            value = function(value, element)
    if value is _NULL:
        raise TypeError("reduce() of empty iterable with no initial value")
    return value


_repr_running = set()


class partial:
    """partial(func, *args, **keywords) - new function with partial application
    of the given arguments and keywords.
"""

    __slots__ = ("func", "args", "keywords", "__dict__", "__weakref__")

    def __new__(cls, *args, **keywords):
        if not args:
            raise TypeError("type 'partial' takes at least one argument")
        func = args[0]
        args = args[1:]
        if type(func) is partial and not func.__dict__:
            # A partial of a partial is flattened into one.
            args = func.args + args
            keywords = {**func.keywords, **keywords}
            func = func.func
        elif not callable(func):
            raise TypeError("the first argument must be callable")
        self = object.__new__(cls)
        self.func = func
        self.args = args
        self.keywords = keywords
        return self

    def __call__(self, /, *args, **keywords):
        if self.keywords:
            keywords = {**self.keywords, **keywords}
        return self.func(*self.args, *args, **keywords)

    def __repr__(self):
        name = "functools.partial" if type(self) is partial else type(self).__name__
        if id(self) in _repr_running:
            return "..."
        _repr_running.add(id(self))
        try:
            parts = [repr(self.func)]
            parts.extend(repr(arg) for arg in self.args)
            parts.extend(f"{key}={value!r}" for key, value in self.keywords.items())
            return f"{name}({', '.join(parts)})"
        finally:
            _repr_running.discard(id(self))


class CacheInfo(tuple):
    """CacheInfo(hits, misses, maxsize, currsize)"""

    # What namedtuple("CacheInfo", ...) makes, written out: a tuple subclass without a dict.
    __slots__ = ()
    _fields = ("hits", "misses", "maxsize", "currsize")

    def __new__(cls, hits, misses, maxsize, currsize):
        return tuple.__new__(cls, (hits, misses, maxsize, currsize))

    def __repr__(self):
        return "CacheInfo(hits=%r, misses=%r, maxsize=%r, currsize=%r)" % self

    def _asdict(self):
        return dict(zip(self._fields, self))

    def _replace(self, **changes):
        values = [changes.pop(name, value) for name, value in zip(self._fields, self)]
        if changes:
            raise ValueError(f"Got unexpected field names: {list(changes)!r}")
        return type(self)(*values)

    def __getnewargs__(self):
        return tuple(self)

    hits = property(lambda self: self[0], doc="Alias for field number 0")
    misses = property(lambda self: self[1], doc="Alias for field number 1")
    maxsize = property(lambda self: self[2], doc="Alias for field number 2")
    currsize = property(lambda self: self[3], doc="Alias for field number 3")


_CacheInfo = CacheInfo
del CacheInfo


class _lru_list_elem:
    # A cache entry of a bounded cache: the key's hash, the key and the result. The recency
    # order is the cache dict's order, so the two link fields stay empty.
    __slots__ = ("prev", "next", "hash", "key", "result")


class _lru_cache_wrapper:
    # The slots give the wrapper CPython's size: its embedded root link (five words here, the
    # instance dict's two words ahead of the object making up the seven of CPython's), the
    # mode, the function, the typed flag, the cache dict, the counters, the bound, the keyword
    # marker, the CacheInfo type and the weak reference list.
    __slots__ = ("_root0", "_root1", "_root2", "_root3", "_root4", "_mode", "_func", "_typed",
                 "_cache", "_hits", "_misses", "_maxsize", "_kwd_mark", "_cache_info_type",
                 "__weakref__", "__dict__")

    def __new__(cls, user_function, maxsize, typed, cache_info_type):
        if not callable(user_function):
            raise TypeError("the first argument must be callable")
        if maxsize is None:
            mode = "infinite"
            maxsize = -1
        else:
            if not isinstance(maxsize, int):
                raise TypeError("maxsize should be integer or None")
            if maxsize < 0:
                maxsize = 0
            mode = "uncached" if maxsize == 0 else "bounded"
        self = object.__new__(cls)
        self._func = user_function
        self._mode = mode
        self._typed = bool(typed)
        self._cache = {}
        self._hits = 0
        self._misses = 0
        self._maxsize = maxsize
        self._kwd_mark = _KWD_MARK
        self._cache_info_type = cache_info_type
        return self

    def _make_key(self, args, kwds):
        typed = self._typed
        if not typed and not kwds:
            if len(args) == 1:
                key = args[0]
                if type(key) is str or type(key) is int:
                    return key
            return args
        items = list(args)
        if kwds:
            items.append(self._kwd_mark)
            for k, v in kwds.items():
                items.append(k)
                items.append(v)
        if typed:
            for arg in args:
                items.append(type(arg))
            if kwds:
                for v in kwds.values():
                    items.append(type(v))
        return tuple(items)

    def __call__(self, /, *args, **kwds):
        mode = self._mode
        if mode == "uncached":
            self._misses += 1
            return self._func(*args, **kwds)
        key = self._make_key(args, kwds)
        cache = self._cache
        if mode == "infinite":
            result = cache.get(key, _NULL)
            if result is not _NULL:
                self._hits += 1
                return result
            self._misses += 1
            result = self._func(*args, **kwds)
            if key not in cache:
                cache[key] = result
            return result
        link = cache.get(key)
        if link is not None:
            # The most recently used entry moves to the end.
            del cache[key]
            cache[key] = link
            self._hits += 1
            return link.result
        self._misses += 1
        result = self._func(*args, **kwds)
        if key in cache:
            return result
        if len(cache) < self._maxsize or not cache:
            link = object.__new__(_lru_list_elem)
            link.hash = hash(key)
            link.key = key
            link.result = result
            cache[key] = link
            return result
        # Full: the oldest entry's link is reused for the new key, and its key and result are
        # released last.
        oldkey = next(iter(cache))
        link = cache.pop(oldkey)
        oldresult = link.result
        link.hash = hash(key)
        link.key = key
        link.result = result
        cache[key] = link
        del link
        oldkey = None
        oldresult = None
        return result

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return _method(self, obj)

    def cache_info(self):
        """Report cache statistics"""
        maxsize = None if self._maxsize == -1 else self._maxsize
        return self._cache_info_type(self._hits, self._misses, maxsize, len(self._cache))

    def cache_clear(self):
        """Clear the cache and cache statistics"""
        self._hits = 0
        self._misses = 0
        cache = self._cache
        if self._mode != "bounded":
            cache.clear()
            return
        links = list(cache.values())
        cache.clear()
        # Released oldest first, each link's key then its result.
        for i in range(len(links)):
            links[i] = None

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


_KWD_MARK = object()


def lru_cache(maxsize=128, typed=False):
    """Least-recently-used cache decorator."""
    if isinstance(maxsize, int):
        if maxsize < 0:
            maxsize = 0
    elif callable(maxsize) and isinstance(typed, bool):
        user_function, maxsize = maxsize, 128
        return _lru_decorate(user_function, maxsize, typed)
    elif maxsize is not None:
        raise TypeError("Expected first argument to be an integer, a callable, or None")

    def decorating_function(user_function):
        return _lru_decorate(user_function, maxsize, typed)

    return decorating_function


def _lru_decorate(user_function, maxsize, typed):
    wrapper = _lru_cache_wrapper(user_function, maxsize, typed, _CacheInfo)
    wrapper.cache_parameters = lambda: {"maxsize": maxsize, "typed": typed}
    return update_wrapper(wrapper, user_function)


def cache(user_function, /):
    'Simple lightweight unbounded cache.  Sometimes called "memoize".'
    return lru_cache(maxsize=None)(user_function)


class cached_property:
    def __init__(self, func):
        self.func = func
        self.attrname = None
        self.__doc__ = func.__doc__

    def __set_name__(self, owner, name):
        if self.attrname is None:
            self.attrname = name
        elif name != self.attrname:
            raise TypeError(
                "Cannot assign the same cached_property to two different names "
                f"({self.attrname!r} and {name!r})."
            )

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        if self.attrname is None and owner is not None:
            # The name the class gives it (what type creation passes to __set_name__).
            for klass in owner.__mro__:
                for name, value in klass.__dict__.items():
                    if value is self:
                        self.__set_name__(owner, name)
                        break
                if self.attrname is not None:
                    break
        if self.attrname is None:
            raise TypeError(
                "Cannot use cached_property instance without calling __set_name__ on it.")
        try:
            cache = instance.__dict__
        except AttributeError:
            msg = (
                f"No '__dict__' attribute on {type(instance).__name__!r} "
                f"instance to cache {self.attrname!r} property."
            )
            raise TypeError(msg) from None
        val = cache.get(self.attrname, _NULL)
        if val is _NULL:
            val = self.func(instance)
            try:
                cache[self.attrname] = val
            except TypeError:
                msg = (
                    f"The '__dict__' attribute on {type(instance).__name__!r} instance "
                    f"does not support item assignment for caching {self.attrname!r} property."
                )
                raise TypeError(msg) from None
        return val
`;

/** The file name the module's code and tracebacks carry. */
const FILENAME = "<functools>";

/** The module's code, shared by every interpreter (read at the first import). */
let compiled: CodeUnit | undefined;

/**
 * The module's source compiled and serialized: what scripts/precompile.ts stores in
 * functools.compiled.ts (the interpreter loads that rather than compiling the source at each
 * import).
 */
export function precompiledFunctools(): string {
  return precompileSource(SOURCE, FILENAME);
}

/**
 * The `functools` module (a new reference): `_method` (a bound method of any callable and an
 * object, what an `lru_cache` wrapper's `__get__` returns) defined, then its Python source run
 * in its namespace.
 */
export function functoolsModule(b: Protocols): Ref {
  compiled ??= deserializeCode(FUNCTOOLS_COMPILED);
  return pythonModule(
    b,
    {
      name: "functools",
      filename: FILENAME,
      source: SOURCE,
      natives: { _method: (a) => boundMethod(b, a[0]!, a[1]!) },
    },
    compiled,
  );
}

/** `PyMethod_New(func, self)`: a bound method of any callable (a new reference). */
function boundMethod(b: Protocols, func: Ref, self: Ref): Ref {
  const py = b.vm.py;
  const m = py.allocate(b.vm.native.method);
  py.setRef(m, Method.func, func);
  py.setRef(m, Method.self, self);
  return m;
}
