// The `collections` module: `deque` native (deque.ts, CPython's block layout), and
// `defaultdict`, `OrderedDict`, `Counter` and `namedtuple` as Python code run over the
// interpreter, written after CPython 3.11's Lib/collections and the C types it imports.
// `defaultdict` is a dict subclass with one slot (`default_factory`), so its instances are
// 72 bytes as CPython's are; `namedtuple` builds its class as Lib does, compiling the
// generated `__new__` from source, so instances are plain tuples of a subclass with
// `__slots__ = ()` (56 bytes for two fields).

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { CompareOp } from "../compile/opcodes.js";
import { deserializeCode } from "../compile/serialize.js";
import { COLLECTIONS_COMPILED } from "./collections.compiled.js";
import { DequeType } from "./deque.js";
import { execGenerated } from "./generated.js";
import type { Host, Protocols } from "./host.js";
import { ModuleObj } from "./layouts.js";
import { precompileSource, runModuleCode } from "./python-module.js";

/** The module's Python source. */
const SOURCE = `"""Container datatypes: deque, defaultdict, namedtuple, OrderedDict and Counter."""

__all__ = ["ChainMap", "Counter", "OrderedDict", "UserDict", "UserList", "UserString",
           "defaultdict", "deque", "namedtuple"]

_KEYWORDS = frozenset([
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
    "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
    "try", "while", "with", "yield"])


def _is_mapping(obj):
    return isinstance(obj, dict) or hasattr(obj, "keys")


def _mapping_items(obj):
    if isinstance(obj, dict):
        return obj.items()
    return [(key, obj[key]) for key in obj.keys()]


class defaultdict(dict):
    """defaultdict(default_factory=None, /, [...]) --> dict with default factory"""

    __slots__ = ("default_factory",)

    def __init__(self, *args, **kwargs):
        factory = None
        if args:
            factory = args[0]
            args = args[1:]
            if factory is not None and not callable(factory):
                raise TypeError("first argument must be callable or None")
        self.default_factory = factory
        if len(args) > 1:
            raise TypeError(f"dict expected at most 1 argument, got {len(args)}")
        if args:
            self.update(args[0])
        if kwargs:
            self.update(kwargs)

    def __missing__(self, key):
        factory = self.default_factory
        if factory is None:
            raise KeyError(key)
        value = factory()
        self[key] = value
        return value

    def __repr__(self):
        factory = self.default_factory
        if factory is None:
            shown = "None"
        elif id(self) in _repr_running:
            shown = "..."
        else:
            _repr_running.add(id(self))
            try:
                shown = repr(factory)
            finally:
                _repr_running.discard(id(self))
        return f"{type(self).__name__}({shown}, {_dict_repr(self)})"

    def copy(self):
        """D.copy() -> a shallow copy of D."""
        return type(self)(self.default_factory, self)

    __copy__ = copy

    def __or__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        new = self.copy()
        new.update(other)
        return new

    def __ror__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        new = type(self)(self.default_factory, other)
        new.update(self)
        return new


_repr_running = set()


class OrderedDict(dict):
    """Dictionary that remembers insertion order"""

    def __init__(self, *args, **kwds):
        if len(args) > 1:
            raise TypeError(f"expected at most 1 argument, got {len(args)}")
        self.update(*args, **kwds)

    def update(self, *args, **kwds):
        if len(args) > 1:
            raise TypeError(f"update expected at most 1 argument, got {len(args)}")
        if args:
            other = args[0]
            if _is_mapping(other):
                for key, value in _mapping_items(other):
                    self[key] = value
            else:
                for key, value in other:
                    self[key] = value
        for key, value in kwds.items():
            self[key] = value

    def move_to_end(self, key, last=True):
        """Move an existing element to the end (or beginning if last is false)."""
        value = dict.pop(self, key)
        if last:
            dict.__setitem__(self, key, value)
            return
        rest = list(dict.items(self))
        dict.clear(self)
        dict.__setitem__(self, key, value)
        for k, v in rest:
            dict.__setitem__(self, k, v)

    def popitem(self, last=True):
        """Remove and return a (key, value) pair from the dictionary."""
        if not self:
            raise KeyError("dictionary is empty")
        key = next(reversed(self)) if last else next(iter(self))
        value = dict.pop(self, key)
        return key, value

    def __eq__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        if isinstance(other, OrderedDict):
            if len(self) != len(other):
                return False
            for a, b in zip(self, other):
                if not (a is b or a == b):
                    return False
        return _dict_eq(self, other)

    def __ne__(self, other):
        result = self.__eq__(other)
        if result is NotImplemented:
            return result
        return not result

    __hash__ = None

    def __repr__(self):
        name = type(self).__name__
        if not self:
            return f"{name}()"
        if id(self) in _repr_running:
            return "..."
        _repr_running.add(id(self))
        try:
            return f"{name}({list(self.items())!r})"
        finally:
            _repr_running.discard(id(self))

    def copy(self):
        """od.copy() -> a shallow copy of od"""
        return type(self)(self)

    __copy__ = copy

    @classmethod
    def fromkeys(cls, iterable, value=None):
        """Create a new ordered dictionary with keys from iterable and values set to value."""
        self = cls()
        for key in iterable:
            self[key] = value
        return self

    def __sizeof__(self):
        # odict_sizeof: the dict, the fast-node table (one pointer per slot of the dict's
        # hash table) and a 32-byte node per key.
        base, slots = _dict_table(self)
        size = base + 64 + 8 * slots
        if self:
            size += 32 * len(self)
        return size

    def __or__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        new = type(self)(self)
        new.update(other)
        return new

    def __ror__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        new = type(self)(other)
        new.update(self)
        return new

    def __ior__(self, other):
        self.update(other)
        return self


def _deque_deepcopy(d, memo):
    # What copy's _reconstruct does with deque.__reduce_ex__: a new deque of the same bound,
    # in the memo before its items are copied into it.
    from copy import deepcopy
    y = deque((), d.maxlen)
    memo[id(d)] = y
    for item in d:
        y.append(deepcopy(item, memo))
    return y


def _count_elements(mapping, iterable):
    """Tally elements from the iterable."""
    mapping_get = mapping.get
    for elem in iterable:
        mapping[elem] = mapping_get(elem, 0) + 1


def _second(pair):
    return pair[1]


class Counter(dict):
    """Dict subclass for counting hashable items."""

    def __init__(self, iterable=None, /, **kwds):
        super().__init__()
        self.update(iterable, **kwds)

    def __missing__(self, key):
        """The count of elements not in the Counter is zero."""
        return 0

    def total(self):
        """Sum of the counts"""
        return sum(self.values())

    def most_common(self, n=None):
        """List the n most common elements and their counts from the most common to the least."""
        if n is None:
            return sorted(self.items(), key=_second, reverse=True)
        return sorted(self.items(), key=_second, reverse=True)[:max(n, 0)]

    def elements(self):
        """Iterator over elements repeating each as many times as its count."""
        for elem, count in self.items():
            for _ in range(count):
                yield elem

    @classmethod
    def fromkeys(cls, iterable, v=None):
        raise NotImplementedError(
            "Counter.fromkeys() is undefined.  Use Counter(iterable) instead.")

    def update(self, iterable=None, /, **kwds):
        """Like dict.update() but add counts instead of replacing them."""
        if iterable is not None:
            if _is_mapping(iterable):
                if self:
                    self_get = self.get
                    for elem, count in _mapping_items(iterable):
                        self[elem] = count + self_get(elem, 0)
                else:
                    dict.update(self, iterable)
            else:
                _count_elements(self, iterable)
        if kwds:
            self.update(kwds)

    def subtract(self, iterable=None, /, **kwds):
        """Like dict.update() but subtracts counts instead of replacing them."""
        if iterable is not None:
            self_get = self.get
            if _is_mapping(iterable):
                for elem, count in _mapping_items(iterable):
                    self[elem] = self_get(elem, 0) - count
            else:
                for elem in iterable:
                    self[elem] = self_get(elem, 0) - 1
        if kwds:
            self.subtract(kwds)

    def copy(self):
        """Return a shallow copy."""
        return self.__class__(self)

    __copy__ = copy

    def __delitem__(self, elem):
        """Like dict.__delitem__() but does not raise KeyError for missing values."""
        if elem in self:
            dict.__delitem__(self, elem)

    def __repr__(self):
        if not self:
            return f"{self.__class__.__name__}()"
        try:
            d = dict(self.most_common())
        except TypeError:
            d = dict(self)
        return f"{self.__class__.__name__}({d!r})"

    def __eq__(self, other):
        """True if all counts agree. Missing counts are treated as zero."""
        if not isinstance(other, Counter):
            return NotImplemented
        return all(self[e] == other[e] for c in (self, other) for e in c)

    def __ne__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return not self == other

    def __le__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return all(self[e] <= other[e] for c in (self, other) for e in c)

    def __lt__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self <= other and self != other

    def __ge__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return all(self[e] >= other[e] for c in (self, other) for e in c)

    def __gt__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self >= other and self != other

    __hash__ = None

    def __add__(self, other):
        """Add counts from two counters, keeping only positive counts."""
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            newcount = count + other[elem]
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self and count > 0:
                result[elem] = count
        return result

    def __sub__(self, other):
        """Subtract count, but keep only results with positive counts."""
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            newcount = count - other[elem]
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self and count < 0:
                result[elem] = 0 - count
        return result

    def __or__(self, other):
        """Union is the maximum of value in either of the input counters."""
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            other_count = other[elem]
            newcount = other_count if count < other_count else count
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self and count > 0:
                result[elem] = count
        return result

    def __and__(self, other):
        """Intersection is the minimum of corresponding counts."""
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            other_count = other[elem]
            newcount = count if count < other_count else other_count
            if newcount > 0:
                result[elem] = newcount
        return result

    def __pos__(self):
        """Adds an empty counter, effectively stripping negative and zero counts"""
        result = Counter()
        for elem, count in self.items():
            if count > 0:
                result[elem] = count
        return result

    def __neg__(self):
        """Subtracts from an empty counter.  Strips positive and zero counts."""
        result = Counter()
        for elem, count in self.items():
            if count < 0:
                result[elem] = 0 - count
        return result

    def _keep_positive(self):
        """Internal method to strip elements with a negative or zero count"""
        nonpositive = [elem for elem, count in self.items() if not count > 0]
        for elem in nonpositive:
            del self[elem]
        return self

    def __iadd__(self, other):
        for elem, count in other.items():
            self[elem] += count
        return self._keep_positive()

    def __isub__(self, other):
        for elem, count in other.items():
            self[elem] -= count
        return self._keep_positive()

    def __ior__(self, other):
        for elem, other_count in other.items():
            count = self[elem]
            if other_count > count:
                self[elem] = other_count
        return self._keep_positive()

    def __iand__(self, other):
        for elem, count in self.items():
            other_count = other[elem]
            if other_count < count:
                self[elem] = other_count
        return self._keep_positive()


def _tuplegetter(index, doc):
    def get(self):
        return self[index]
    return property(get, doc=doc)


def namedtuple(typename, field_names, *, rename=False, defaults=None, module=None):
    """Returns a new subclass of tuple with named fields."""
    if isinstance(field_names, str):
        field_names = field_names.replace(",", " ").split()
    field_names = list(map(str, field_names))
    typename = str(typename)
    if rename:
        seen = set()
        for index, name in enumerate(field_names):
            if (not name.isidentifier() or name in _KEYWORDS or name.startswith("_")
                    or name in seen):
                field_names[index] = f"_{index}"
            seen.add(name)
    for name in [typename] + field_names:
        if type(name) is not str:
            raise TypeError("Type names and field names must be strings")
        if not name.isidentifier():
            raise ValueError("Type names and field names must be valid "
                             f"identifiers: {name!r}")
        if name in _KEYWORDS:
            raise ValueError("Type names and field names cannot be a "
                             f"keyword: {name!r}")
    seen = set()
    for name in field_names:
        if name.startswith("_") and not rename:
            raise ValueError(f"Field names cannot start with an underscore: {name!r}")
        if name in seen:
            raise ValueError(f"Encountered duplicate field name: {name!r}")
        seen.add(name)
    field_defaults = {}
    if defaults is not None:
        defaults = tuple(defaults)
        if len(defaults) > len(field_names):
            raise TypeError("Got more default values than field names")
        field_defaults = dict(reversed(list(zip(reversed(field_names), reversed(defaults)))))
    field_names = tuple(field_names)
    num_fields = len(field_names)
    arg_list = ", ".join(field_names)
    if num_fields == 1:
        arg_list += ","
    repr_fmt = "(" + ", ".join(f"{name}=%r" for name in field_names) + ")"
    tuple_new = tuple.__new__

    # __new__ compiled from source as Lib makes it, inside a class of the type's name so that
    # its argument errors name it "{typename}.__new__()".
    params = list(field_names)
    if defaults:
        first = num_fields - len(defaults)
        for index in range(len(defaults)):
            params[first + index] += f"=_defaults[{index}]"
    made = []
    namespace = {"_tuple_new": tuple_new, "_defaults": defaults, "_out": made,
                 "__builtins__": {}, "__name__": f"namedtuple_{typename}"}
    _exec(f"class {typename}:\\n"
          f"    def __new__(_cls, {', '.join(params)}): return _tuple_new(_cls, ({arg_list}))\\n"
          "    _out.append(__new__)\\n", namespace)
    __new__ = made[0]
    __new__.__doc__ = f"Create new instance of {typename}({arg_list})"

    def _make(cls, iterable):
        result = tuple_new(cls, iterable)
        if len(result) != num_fields:
            raise TypeError(f"Expected {num_fields} arguments, got {len(result)}")
        return result

    _make.__doc__ = f"Make a new {typename} object from a sequence or iterable"

    def _replace(self, /, **kwds):
        result = self._make([kwds.pop(name, value) for name, value in zip(field_names, self)])
        if kwds:
            raise ValueError(f"Got unexpected field names: {list(kwds)!r}")
        return result

    _replace.__doc__ = f"Return a new {typename} object replacing specified fields with new values"

    def __repr__(self):
        """Return a nicely formatted representation string"""
        return self.__class__.__name__ + repr_fmt % self

    def _asdict(self):
        """Return a new dict which maps field names to their values."""
        return dict(zip(self._fields, self))

    def __getnewargs__(self):
        """Return self as a plain tuple.  Used by copy and pickle."""
        return tuple(self)

    for method in (__new__, _make, _replace, __repr__, _asdict, __getnewargs__):
        method.__qualname__ = f"{typename}.{method.__name__}"
    _make = classmethod(_make)

    class_namespace = {
        "__doc__": f"{typename}({arg_list})",
        "__slots__": (),
        "_fields": field_names,
        "_field_defaults": field_defaults,
        "__new__": __new__,
        "_make": _make,
        "_replace": _replace,
        "__repr__": __repr__,
        "_asdict": _asdict,
        "__getnewargs__": __getnewargs__,
        "__match_args__": field_names,
    }
    for index, name in enumerate(field_names):
        class_namespace[name] = _tuplegetter(index, f"Alias for field number {index}")
    # A class statement over the namespace (type() with three arguments, as Lib calls it).
    body = "".join(f"    {key} = _ns[{key!r}]\\n" for key in class_namespace)
    namespace = {"_ns": class_namespace, "__builtins__": {},
                 "__name__": "__main__" if module is None else module}
    _exec(f"class {typename}(tuple):\\n{body}", namespace)
    return namespace[typename]
`;

/** The file name the module's code and tracebacks carry. */
const FILENAME = "<collections>";

/** The module's code unit, shared by every interpreter (loaded at the first import). */
let compiled: CodeUnit | undefined;

/**
 * The module's source compiled and serialized: what scripts/precompile.ts stores in
 * collections.compiled.ts (the interpreter loads that rather than compiling the source at
 * every start).
 */
export function precompiledCollections(): string {
  return precompileSource(SOURCE, FILENAME);
}

/**
 * The `collections` module (a new reference): the deque type and the native helpers in its
 * namespace, then its Python source run there.
 */
export function collectionsModule(b: Protocols): Ref {
  const vm: Host = b.vm;
  const py = vm.py;
  const m = b.newModule("collections");
  const ns = py.getRef(m, ModuleObj.dict);
  // `collections.abc` without its import: python3's start-up has imported it (here the first
  // read imports it).
  b.moduleAttrHooks.set(m, (name) => (name === "abc" ? b.importModule("collections.abc") : 0));
  b.setStr(ns, "__name__", 0, "collections");
  const deque = new DequeType(b);
  b.setStr(ns, "deque", deque.type.object);
  const helper = (name: string, fn: Parameters<Protocols["newBuiltin"]>[1]) => {
    const f = b.newBuiltin(name, fn);
    b.setStr(ns, name, f);
    py.decref(f);
  };
  helper("_dict_eq", (a) => py.bool(b.compare(a[0]!, a[1]!, CompareOp.Eq) === true));
  helper("_dict_repr", (a) => py.str(b.reprOf(a[0]!, true)));
  helper("_dict_table", (a) => {
    const [base, slots] = dictTable(b, a[0]!);
    const items = [py.int(base), py.int(slots)];
    const t = py.tuple(items);
    for (const i of items) py.decref(i);
    return t;
  });
  helper("_exec", (a) => {
    execGenerated(b, py.strValue(a[0]!), a[1]!);
    return py.newRef(py.none);
  });
  compiled ??= deserializeCode(COLLECTIONS_COMPILED);
  try {
    runModuleCode(b, ns, FILENAME, SOURCE, compiled);
  } catch (error) {
    py.decref(m);
    throw error;
  }
  // copy.deepcopy of a deque goes through Python code, as CPython's goes through __reduce_ex__.
  const deepcopy = vm.keep(py.newRef(py.dictGet(ns, py.constant("_deque_deepcopy"))));
  deque.type.methods.set("__deepcopy__", (a) => vm.call(deepcopy, a));
  b.lookupType(deque.type, "__deepcopy__");
  return m;
}

/**
 * For a dict (or an instance of a dict subclass): what `sys.getsizeof` of a plain dict with the
 * same hash table would count without the GC head (48 bytes plus the keys object), and the
 * number of slots of that table (0 for the shared empty one). The table's size is found from its
 * bytes: a 32-byte header, one index of 1, 2, 4 or 8 bytes per slot, and 2/3 of the slots as
 * entries of 16 bytes (str keys) or 24.
 */
function dictTable(b: Protocols, d: Ref): [number, number] {
  const own = sizeWithoutSubclass(b, d);
  const keys = own - 48;
  if (keys <= 0) return [48, 0];
  for (let slots = 8; slots <= 2 ** 40; slots *= 2) {
    const index = slots <= 0x80 ? 1 : slots <= 0x8000 ? 2 : slots <= 0x80000000 ? 4 : 8;
    const usable = Math.floor((2 * slots) / 3);
    for (const entry of [16, 24]) {
      if (32 + slots * index + usable * entry === keys) return [own, slots];
    }
  }
  return [own, 0];
}

/** What an instance of each dict subclass adds to a dict's size (measured once per class). */
const subclassExtra = new WeakMap<object, number>();

/** `dict.__sizeof__(d)` of a dict subclass's instance: its dict part alone. */
function sizeWithoutSubclass(b: Protocols, d: Ref): number {
  const vm = b.vm;
  const py = vm.py;
  const t = vm.typeOf(d);
  if (!t.subtype) return py.sizeof(d) - 16;
  let extra = subclassExtra.get(t);
  if (extra === undefined) {
    // An empty instance of the class carries the same extra parts and the empty table.
    const empty = b.newInstance(t);
    extra = py.sizeof(empty) - 48;
    py.decref(empty);
    subclassExtra.set(t, extra);
  }
  return py.sizeof(d) - extra;
}
