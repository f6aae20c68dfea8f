// The `itertools` module as Python code run over the interpreter, written after CPython 3.11's
// Modules/itertoolsmodule.c. Each C type is a class whose `__slots__` give its instances
// CPython's size: `count` is 40 bytes plus the GC head as `countobject` is, `tee`'s buffer is
// made of 496-byte blocks of 57 cells linked as `teedataobject`s are, `groupby` holds no
// reference to its current `_grouper` (only its id, as CPython's borrowed pointer), and the
// combinatoric types' `__sizeof__` counts the index arrays `itertools` allocates. Every object
// is tracked by the collector, as CPython's are; what each holds alive (the source iterator,
// the saved items of `cycle`, the pools of `product`) is what CPython's holds.

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import type { Protocols } from "./host.js";
import { ITERTOOLS_COMPILED } from "./itertools.compiled.js";
import { precompileSource, pythonModule } from "./python-module.js";

/** The module's Python source. */
const SOURCE = `"""Functional tools for creating and using iterators."""

import sys as _sys

_NULL = object()
_LINKCELLS = 57
_VALUE_SLOTS = tuple("v%d" % i for i in range(_LINKCELLS))


def _unpack(name, args, kwargs, least, most):
    # PyArg_UnpackTuple's checks, for the types that take only positional arguments.
    if kwargs:
        raise TypeError(f"{name}() takes no keyword arguments")
    n = len(args)
    if n < least or n > most:
        if least == most:
            raise TypeError(f"{name} expected {least} argument{'s' if least != 1 else ''}, got {n}")
        if n < least:
            raise TypeError(f"{name} expected at least {least} argument{'s' if least != 1 else ''}, got {n}")
        raise TypeError(f"{name} expected at most {most} argument{'s' if most != 1 else ''}, got {n}")
    return args


def _parse(name, args, kwargs, names, required, defaults):
    # Argument Clinic's checks: positional-or-keyword parameters, the first "required" of them
    # required, the others defaulting to "defaults".
    n = len(args)
    if n > len(names):
        most = len(names)
        raise TypeError(f"{name}() takes at most {most} argument{'s' if most != 1 else ''} ({n} given)")
    values = list(args) + [_NULL] * (len(names) - n)
    for key in kwargs:
        if key not in names:
            raise TypeError(f"{name}() got an unexpected keyword argument '{key}'")
        i = names.index(key)
        if i < n:
            raise TypeError(f"argument for {name}() given by name ('{key}') and position ({i + 1})")
        values[i] = kwargs[key]
    for i in range(len(names)):
        if values[i] is _NULL:
            if i < required:
                raise TypeError(f"{name}() missing required argument '{names[i]}' (pos {i + 1})")
            values[i] = defaults[i - required]
    return values


def _as_int(value):
    # PyNumber_Index: an int for an int or an object with __index__, else TypeError.
    if isinstance(value, int):
        return int(value)
    method = getattr(type(value), "__index__", None)
    if method is None:
        raise TypeError(f"'{type(value).__name__}' object cannot be interpreted as an integer")
    return method(value)


def _index(value):
    # PyNumber_AsSsize_t with its errors cleared: -1 for what is no index in 0..sys.maxsize.
    try:
        i = _as_int(value)
    except TypeError:
        return -1
    if i > _sys.maxsize or i < -_sys.maxsize - 1:
        return -1
    return i


def _is_number(value):
    try:
        value + 0
    except TypeError:
        return False
    return True


class count:
    """Return a count object whose .__next__() method returns consecutive values."""

    __slots__ = ("_cnt", "_step", "_spare")

    def __init__(self, *args, **kwargs):
        start, step = _parse("count", args, kwargs, ("start", "step"), 0, (0, 1))
        if not _is_number(start) or not _is_number(step):
            raise TypeError("a number is required")
        self._cnt = start
        self._step = step

    def __iter__(self):
        return self

    def __next__(self):
        value = self._cnt
        self._cnt = value + self._step
        return value

    def __repr__(self):
        step = self._step
        if type(step) is int and step == 1:
            return f"{type(self).__name__}({self._cnt!r})"
        return f"{type(self).__name__}({self._cnt!r}, {step!r})"


class cycle:
    """Return elements from the iterable until it is exhausted. Then repeat the sequence indefinitely."""

    __slots__ = ("_it", "_saved", "_index", "_firstpass")

    def __init__(self, *args, **kwargs):
        if kwargs:
            raise TypeError("cycle() takes no keyword arguments")
        if len(args) != 1:
            raise TypeError(f"cycle expected 1 argument, got {len(args)}")
        self._it = iter(args[0])
        self._saved = []
        self._index = 0
        self._firstpass = False

    def __iter__(self):
        return self

    def __next__(self):
        it = self._it
        if it is not None:
            for item in it:
                if not self._firstpass:
                    self._saved.append(item)
                return item
            self._it = None
        saved = self._saved
        if not saved:
            raise StopIteration
        i = self._index
        item = saved[i]
        i += 1
        self._index = 0 if i >= len(saved) else i
        return item


class repeat:
    """repeat(object [,times]) -> create an iterator which returns the object
for the specified number of times.  If not specified, returns the object
endlessly."""

    __slots__ = ("_element", "_cnt")

    def __init__(self, *args, **kwargs):
        element, times = _parse("repeat", args, kwargs, ("object", "times"), 1, (None,))
        self._element = element
        if times is None:
            self._cnt = -1
        else:
            n = _as_int(times)
            self._cnt = n if n > 0 else 0

    def __iter__(self):
        return self

    def __next__(self):
        cnt = self._cnt
        if cnt == 0:
            raise StopIteration
        if cnt > 0:
            self._cnt = cnt - 1
        return self._element

    def __length_hint__(self):
        if self._cnt == -1:
            raise TypeError("len() of unsized object")
        return self._cnt

    def __repr__(self):
        if self._cnt == -1:
            return f"{type(self).__name__}({self._element!r})"
        return f"{type(self).__name__}({self._element!r}, {self._cnt})"


class chain:
    """Return a chain object whose .__next__() method returns elements from the
first iterable until it is exhausted, then elements from the next
iterable, until all of the iterables are exhausted."""

    __slots__ = ("_source", "_active")

    def __init__(self, *args, **kwargs):
        if kwargs and type(self) is chain:
            raise TypeError("chain() takes no keyword arguments")
        self._source = iter(args)
        self._active = None

    @classmethod
    def from_iterable(cls, iterable):
        """Alternative chain() constructor taking a single iterable argument that evaluates lazily."""
        self = cls()
        self._source = iter(iterable)
        return self

    def __iter__(self):
        return self

    def __next__(self):
        while self._source is not None:
            active = self._active
            if active is None:
                for iterable in self._source:
                    break
                else:
                    self._source = None
                    break
                try:
                    active = iter(iterable)
                except BaseException:
                    self._source = None
                    raise
                self._active = active
            for item in active:
                return item
            self._active = None
        raise StopIteration


class islice:
    """islice(iterable, stop) --> islice object
islice(iterable, start, stop[, step]) --> islice object"""

    __slots__ = ("_it", "_next", "_stop", "_step", "_cnt")

    def __init__(self, *args, **kwargs):
        _unpack("islice", args, kwargs, 2, 4)
        start = 0
        stop = -1
        step = 1
        bad_stop = "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize."
        if len(args) == 2:
            if args[1] is not None:
                stop = _index(args[1])
                if stop == -1:
                    raise ValueError(bad_stop)
        else:
            if args[1] is not None:
                start = _index(args[1])
            if args[2] is not None:
                stop = _index(args[2])
                if stop == -1:
                    raise ValueError(bad_stop)
        if start < 0 or stop < -1:
            raise ValueError(
                "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.")
        if len(args) == 4 and args[3] is not None:
            step = _index(args[3])
        if step < 1:
            raise ValueError("Step for islice() must be a positive integer or None.")
        self._it = iter(args[0])
        self._next = start
        self._stop = stop
        self._step = step
        self._cnt = 0

    def __iter__(self):
        return self

    def __next__(self):
        it = self._it
        if it is None:
            raise StopIteration
        stop = self._stop
        while self._cnt < self._next:
            for item in it:
                break
            else:
                self._it = None
                raise StopIteration
            del item
            self._cnt += 1
        if stop != -1 and self._cnt >= stop:
            self._it = None
            raise StopIteration
        for item in it:
            break
        else:
            self._it = None
            raise StopIteration
        self._cnt += 1
        nxt = self._next + self._step
        if stop != -1 and nxt > stop:
            nxt = stop
        self._next = nxt
        return item


class accumulate:
    """Return series of accumulated sums (or other binary function results)."""

    __slots__ = ("_total", "_it", "_binop", "_initial")

    def __init__(self, *args, **kwargs):
        initial = kwargs.pop("initial", None)
        iterable, func = _parse("accumulate", args, kwargs, ("iterable", "func"), 1, (None,))
        self._it = iter(iterable)
        self._binop = func
        self._total = _NULL
        self._initial = initial

    def __iter__(self):
        return self

    def __next__(self):
        if self._initial is not None:
            total = self._total = self._initial
            self._initial = None
            return total
        for value in self._it:
            break
        else:
            raise StopIteration
        total = self._total
        if total is _NULL:
            self._total = value
            return value
        if self._binop is None:
            total = total + value
        else:
            total = self._binop(total, value)
        self._total = total
        return total


class product:
    """Cartesian product of input iterables.  Equivalent to nested for-loops."""

    __slots__ = ("_pools", "_indices", "_result", "_stopped")

    def __init__(self, *args, **kwargs):
        repeat = 1
        for key in kwargs:
            if key != "repeat":
                raise TypeError(f"'{key}' is an invalid keyword argument for product()")
            repeat = _as_int(kwargs[key])
            if repeat < 0:
                raise ValueError("repeat argument cannot be negative")
        pools = tuple([tuple(iterable) for iterable in args]) * repeat if args else ()
        self._pools = pools
        self._indices = [0] * len(pools)
        self._result = None
        self._stopped = False

    def __iter__(self):
        return self

    def __next__(self):
        if self._stopped:
            raise StopIteration
        pools = self._pools
        result = self._result
        if result is None:
            for pool in pools:
                if not pool:
                    self._stopped = True
                    raise StopIteration
            result = tuple([pool[0] for pool in pools])
        else:
            indices = self._indices
            items = list(result)
            i = len(pools) - 1
            while i >= 0:
                pool = pools[i]
                indices[i] += 1
                if indices[i] == len(pool):
                    indices[i] = 0
                    items[i] = pool[0]
                else:
                    items[i] = pool[indices[i]]
                    break
                i -= 1
            if i < 0:
                self._stopped = True
                raise StopIteration
            result = tuple(items)
        self._result = result
        return result

    def __sizeof__(self):
        return 48 + 8 * len(self._pools)


def _r_arg(name, args, kwargs, optional):
    if optional:
        iterable, r = _parse(name, args, kwargs, ("iterable", "r"), 1, (None,))
    else:
        iterable, r = _parse(name, args, kwargs, ("iterable", "r"), 2, ())
    if r is not None or not optional:
        if type(r) is not int and not isinstance(r, int):
            if optional:
                raise TypeError("Expected int as r")
            raise TypeError(f"'{type(r).__name__}' object cannot be interpreted as an integer")
        if r < 0:
            raise ValueError("r must be non-negative")
    return iterable, r


class permutations:
    """Return successive r-length permutations of elements in the iterable."""

    __slots__ = ("_pool", "_indices", "_cycles", "_result", "_r", "_stopped")

    def __init__(self, *args, **kwargs):
        iterable, r = _r_arg("permutations", args, kwargs, True)
        pool = tuple(iterable)
        n = len(pool)
        if r is None:
            r = n
        self._pool = pool
        self._indices = list(range(n))
        self._cycles = list(range(n, n - r, -1)) if r <= n else []
        self._result = None
        self._r = r
        self._stopped = r > n

    def __iter__(self):
        return self

    def __next__(self):
        if self._stopped:
            raise StopIteration
        pool = self._pool
        indices = self._indices
        r = self._r
        if self._result is None:
            self._result = tuple([pool[indices[i]] for i in range(r)])
            return self._result
        n = len(pool)
        if n == 0:
            self._stopped = True
            raise StopIteration
        cycles = self._cycles
        items = list(self._result)
        i = r - 1
        while i >= 0:
            cycles[i] -= 1
            if cycles[i] == 0:
                index = indices[i]
                indices[i:n - 1] = indices[i + 1:n]
                indices[n - 1] = index
                cycles[i] = n - i
            else:
                j = cycles[i]
                indices[i], indices[n - j] = indices[n - j], indices[i]
                for k in range(i, r):
                    items[k] = pool[indices[k]]
                break
            i -= 1
        if i < 0:
            self._stopped = True
            raise StopIteration
        self._result = tuple(items)
        return self._result

    def __sizeof__(self):
        return 64 + 8 * (len(self._pool) + self._r)


class combinations:
    """Return successive r-length combinations of elements in the iterable."""

    __slots__ = ("_pool", "_indices", "_result", "_r", "_stopped")

    def __init__(self, *args, **kwargs):
        iterable, r = _r_arg("combinations", args, kwargs, False)
        pool = tuple(iterable)
        self._pool = pool
        self._indices = list(range(r))
        self._result = None
        self._r = r
        self._stopped = r > len(pool)

    def __iter__(self):
        return self

    def __next__(self):
        if self._stopped:
            raise StopIteration
        pool = self._pool
        indices = self._indices
        r = self._r
        if self._result is None:
            self._result = tuple([pool[indices[i]] for i in range(r)])
            return self._result
        n = len(pool)
        i = r - 1
        while i >= 0 and indices[i] == i + n - r:
            i -= 1
        if i < 0:
            self._stopped = True
            raise StopIteration
        indices[i] += 1
        for j in range(i + 1, r):
            indices[j] = indices[j - 1] + 1
        items = list(self._result)
        for k in range(i, r):
            items[k] = pool[indices[k]]
        self._result = tuple(items)
        return self._result

    def __sizeof__(self):
        return 56 + 8 * self._r


class combinations_with_replacement:
    """Return successive r-length combinations of elements in the iterable allowing individual elements to have successive repeats."""

    __slots__ = ("_pool", "_indices", "_result", "_r", "_stopped")

    def __init__(self, *args, **kwargs):
        iterable, r = _r_arg("combinations_with_replacement", args, kwargs, False)
        pool = tuple(iterable)
        self._pool = pool
        self._indices = [0] * r
        self._result = None
        self._r = r
        self._stopped = len(pool) == 0 and r > 0

    def __iter__(self):
        return self

    def __next__(self):
        if self._stopped:
            raise StopIteration
        pool = self._pool
        indices = self._indices
        r = self._r
        if self._result is None:
            self._result = (pool[0],) * r if r else ()
            return self._result
        n = len(pool)
        i = r - 1
        while i >= 0 and indices[i] == n - 1:
            i -= 1
        if i < 0:
            self._stopped = True
            raise StopIteration
        index = indices[i] + 1
        elem = pool[index]
        items = list(self._result)
        for k in range(i, r):
            indices[k] = index
            items[k] = elem
        self._result = tuple(items)
        return self._result

    def __sizeof__(self):
        return 56 + 8 * self._r


class groupby:
    """make an iterator that returns consecutive keys and groups from the iterable"""

    __slots__ = ("_it", "_keyfunc", "_tgtkey", "_currkey", "_currvalue", "_currgrouper")

    def __init__(self, *args, **kwargs):
        iterable, key = _parse("groupby", args, kwargs, ("iterable", "key"), 1, (None,))
        self._it = iter(iterable)
        self._keyfunc = key
        self._tgtkey = _NULL
        self._currkey = _NULL
        self._currvalue = _NULL
        # The current group's id: CPython's pointer to it holds no reference.
        self._currgrouper = None

    def __iter__(self):
        return self

    def _step(self):
        for value in self._it:
            break
        else:
            raise StopIteration
        key = value if self._keyfunc is None else self._keyfunc(value)
        self._currvalue = value
        self._currkey = key

    def __next__(self):
        self._currgrouper = None
        while True:
            if self._currkey is _NULL:
                pass
            elif self._tgtkey is _NULL:
                break
            elif not (self._tgtkey == self._currkey):
                break
            self._step()
        key = self._tgtkey = self._currkey
        grouper = _grouper(self, key)
        self._currgrouper = id(grouper)
        return (key, grouper)


class _grouper:
    __slots__ = ("_parent", "_tgtkey")

    def __init__(self, parent, tgtkey):
        self._parent = parent
        self._tgtkey = tgtkey

    def __iter__(self):
        return self

    def __next__(self):
        gbo = self._parent
        if gbo._currgrouper != id(self):
            raise StopIteration
        if gbo._currvalue is _NULL:
            gbo._step()
        if not (self._tgtkey == gbo._currkey):
            raise StopIteration
        value = gbo._currvalue
        gbo._currvalue = _NULL
        gbo._currkey = _NULL
        return value


class zip_longest:
    """Return a zip_longest object whose .__next__() method returns a tuple where
the i-th element comes from the i-th iterable argument."""

    __slots__ = ("_tuplesize", "_numactive", "_ittuple", "_result", "_fillvalue")

    def __init__(self, *args, **kwargs):
        fillvalue = None
        for key in kwargs:
            if key != "fillvalue":
                raise TypeError("zip_longest() got an unexpected keyword argument")
            fillvalue = kwargs[key]
        its = tuple([iter(arg) for arg in args])
        self._ittuple = its
        self._tuplesize = len(its)
        self._numactive = len(its)
        self._result = None
        self._fillvalue = fillvalue

    def __iter__(self):
        return self

    def __next__(self):
        if self._tuplesize == 0 or self._numactive == 0:
            raise StopIteration
        its = self._ittuple
        items = []
        for i in range(self._tuplesize):
            it = its[i]
            if it is None:
                items.append(self._fillvalue)
                continue
            for item in it:
                items.append(item)
                break
            else:
                self._numactive -= 1
                if self._numactive == 0:
                    raise StopIteration
                its = self._ittuple = its[:i] + (None,) + its[i + 1:]
                items.append(self._fillvalue)
        return tuple(items)


class starmap:
    """Return an iterator whose values are returned from the function evaluated with an argument tuple taken from the given sequence."""

    __slots__ = ("_func", "_it")

    def __init__(self, *args, **kwargs):
        func, iterable = _unpack("starmap", args, kwargs, 2, 2)
        self._func = func
        self._it = iter(iterable)

    def __iter__(self):
        return self

    def __next__(self):
        for args in self._it:
            break
        else:
            raise StopIteration
        if type(args) is not tuple:
            args = tuple(args)
        return self._func(*args)


class takewhile:
    """Return successive entries from an iterable as long as the predicate evaluates to true for each entry."""

    __slots__ = ("_func", "_it", "_stop")

    def __init__(self, *args, **kwargs):
        func, iterable = _unpack("takewhile", args, kwargs, 2, 2)
        self._func = func
        self._it = iter(iterable)
        self._stop = False

    def __iter__(self):
        return self

    def __next__(self):
        if self._stop:
            raise StopIteration
        for item in self._it:
            break
        else:
            raise StopIteration
        if self._func(item):
            return item
        self._stop = True
        raise StopIteration


class dropwhile:
    """Drop items from the iterable while predicate(item) is true."""

    __slots__ = ("_func", "_it", "_start")

    def __init__(self, *args, **kwargs):
        func, iterable = _unpack("dropwhile", args, kwargs, 2, 2)
        self._func = func
        self._it = iter(iterable)
        self._start = False

    def __iter__(self):
        return self

    def __next__(self):
        for item in self._it:
            if self._start:
                return item
            if not self._func(item):
                self._start = True
                return item
        raise StopIteration


class filterfalse:
    """Return those items of iterable for which function(item) is false."""

    __slots__ = ("_func", "_it")

    def __init__(self, *args, **kwargs):
        func, iterable = _unpack("filterfalse", args, kwargs, 2, 2)
        self._func = func
        self._it = iter(iterable)

    def __iter__(self):
        return self

    def __next__(self):
        func = self._func
        for item in self._it:
            if func is None or func is bool:
                ok = item
            else:
                ok = func(item)
            if not ok:
                return item
        raise StopIteration


class compress:
    """Return data elements corresponding to true selector elements."""

    __slots__ = ("_data", "_selectors")

    def __init__(self, *args, **kwargs):
        data, selectors = _parse("compress", args, kwargs, ("data", "selectors"), 2, ())
        self._data = iter(data)
        self._selectors = iter(selectors)

    def __iter__(self):
        return self

    def __next__(self):
        while True:
            for datum in self._data:
                break
            else:
                raise StopIteration
            for selector in self._selectors:
                break
            else:
                raise StopIteration
            if selector:
                return datum


class pairwise:
    """Return an iterator of overlapping pairs taken from the input iterator."""

    __slots__ = ("_it", "_old")

    def __init__(self, *args, **kwargs):
        if kwargs:
            raise TypeError("pairwise() takes no keyword arguments")
        if len(args) != 1:
            raise TypeError(f"pairwise expected 1 argument, got {len(args)}")
        self._it = iter(args[0])
        self._old = None

    def __iter__(self):
        return self

    def __next__(self):
        it = self._it
        if it is None:
            raise StopIteration
        old = self._old
        if old is None:
            for old in it:
                break
            else:
                self._it = None
                raise StopIteration
            self._old = old
        for new in it:
            break
        else:
            self._it = None
            self._old = None
            raise StopIteration
        self._old = new
        return (old, new)


class _tee_dataobject:
    # One block of a tee's buffer: the source iterator, how many of its 57 cells are read
    # (twice the count, plus one while the source is being read), the next block, the cells.
    __slots__ = ("_it", "_numread", "_nextlink") + _VALUE_SLOTS

    def __init__(self, it):
        self._it = it
        self._numread = 0
        self._nextlink = None

    def _jumplink(self):
        link = self._nextlink
        if link is None:
            link = self._nextlink = _tee_dataobject(self._it)
        return link

    def _getitem(self, i):
        state = self._numread
        if i < state >> 1:
            return getattr(self, _VALUE_SLOTS[i])
        if state & 1:
            raise RuntimeError("cannot re-enter the tee iterator")
        self._numread = state | 1
        try:
            for value in self._it:
                break
            else:
                raise StopIteration
        finally:
            self._numread = state
        setattr(self, _VALUE_SLOTS[i], value)
        self._numread = state + 2
        return value


class _tee:
    """Iterator wrapped to make it copyable."""

    __slots__ = ("_dataobj", "_index", "__weakref__")

    def __iter__(self):
        return self

    def __next__(self):
        if self._index >= _LINKCELLS:
            self._dataobj = self._dataobj._jumplink()
            self._index = 0
        value = self._dataobj._getitem(self._index)
        self._index += 1
        return value

    def __copy__(self):
        new = object.__new__(_tee)
        new._dataobj = self._dataobj
        new._index = self._index
        return new


def tee(iterable, n=2, /):
    """Returns a tuple of n independent iterators."""
    n = _as_int(n)
    if n < 0:
        raise ValueError("n must be >= 0")
    if n == 0:
        return ()
    it = iter(iterable)
    copy = getattr(it, "__copy__", None)
    if copy is None:
        first = object.__new__(_tee)
        first._dataobj = _tee_dataobject(it)
        first._index = 0
    else:
        first = it
    result = [first]
    for i in range(1, n):
        result.append(first.__copy__())
    return tuple(result)
`;

/** The file name the module's code and tracebacks carry. */
const FILENAME = "<itertools>";

/** The module's code, shared by every interpreter (read at the first import). */
let compiled: CodeUnit | undefined;

/**
 * The module's source compiled and serialized: what scripts/precompile.ts stores in
 * itertools.compiled.ts (the interpreter loads that rather than compiling the source at each
 * import).
 */
export function precompiledItertools(): string {
  return precompileSource(SOURCE, FILENAME);
}

/** The `itertools` module (a new reference): its Python source run in its namespace. */
export function itertoolsModule(b: Protocols): Ref {
  compiled ??= deserializeCode(ITERTOOLS_COMPILED);
  return pythonModule(b, { name: "itertools", filename: FILENAME, source: SOURCE }, compiled);
}
