// The `typing` module, as Python code run over the interpreter: what programs with type hints
// write (`List`, `Dict`, `Tuple`, `Set`, `Optional`, `Union`, `Any`, `Callable`, `Iterator`,
// `Iterable`, `Generator`, `TypeVar`, `Generic`, `Protocol`, `NamedTuple`, `TypedDict`,
// `ClassVar`, `Final`, `Literal`, `cast`, `TYPE_CHECKING`, `overload`, `get_type_hints`, …),
// subscriptable, with CPython 3.11's reprs (`typing.List[int]`, `typing.Optional[int]`) and
// errors. `NamedTuple` classes are `collections.namedtuple` classes (real tuples), `TypedDict`
// classes make plain dicts. The abstract collections (`Iterable`, `Sequence`, …) stand on
// `collections.abc`'s ABCs.

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import type { Protocols } from "./host.js";
import { precompileSource, pythonModule } from "./python-module.js";
import { TYPING_COMPILED } from "./typing.compiled.js";

/** The module's Python source. */
const SOURCE = `"""The typing module: support for type hints (PEP 484 and its successors)."""

import sys
import types as _types
import collections
from abc import ABCMeta, abstractmethod

TYPE_CHECKING = False


def _type_repr(obj):
    if isinstance(obj, type) and not isinstance(obj, _types.GenericAlias):
        if obj.__module__ == "builtins":
            return obj.__qualname__
        return "%s.%s" % (obj.__module__, obj.__qualname__)
    if obj is ...:
        return "..."
    if isinstance(obj, _types.FunctionType):
        return obj.__name__
    return repr(obj)


class ForwardRef:
    """Internal wrapper to hold a forward reference."""

    def __init__(self, arg, is_argument=True, module=None, *, is_class=False):
        if not isinstance(arg, str):
            raise TypeError("Forward reference must be a string -- got %r" % (arg,))
        self.__forward_arg__ = arg
        self.__forward_module__ = module

    def _evaluate(self, globalns, localns):
        return _type_convert(eval(self.__forward_arg__, globalns, localns))

    def __eq__(self, other):
        if not isinstance(other, ForwardRef):
            return NotImplemented
        return self.__forward_arg__ == other.__forward_arg__

    def __hash__(self):
        return hash(self.__forward_arg__)

    def __repr__(self):
        return "ForwardRef(%r)" % (self.__forward_arg__,)

    def __or__(self, other):
        return Union[self, other]

    def __ror__(self, other):
        return Union[other, self]


def _type_convert(arg):
    if arg is None:
        return type(None)
    if isinstance(arg, str):
        return ForwardRef(arg)
    return arg


def _type_check(arg, msg):
    arg = _type_convert(arg)
    if isinstance(arg, _SpecialForm) and arg in (ClassVar, Final, Generic, Protocol):
        raise TypeError("Plain %s is not valid as type argument" % (arg,))
    if isinstance(arg, tuple) or (not callable(arg) and arg is not ... and not isinstance(
            arg, (TypeVar, ParamSpec, ForwardRef, _SpecialForm, _BaseGenericAlias,
                  _types.UnionType, _types.GenericAlias))):
        raise TypeError("%s Got %.100r." % (msg, arg))
    return arg


def _collect_parameters(args):
    params = []
    for t in args:
        if isinstance(t, (TypeVar, ParamSpec)):
            if t not in params:
                params.append(t)
        elif isinstance(t, (list, tuple)):
            for p in _collect_parameters(t):
                if p not in params:
                    params.append(p)
        else:
            for p in getattr(t, "__parameters__", ()):
                if isinstance(p, (TypeVar, ParamSpec)) and p not in params:
                    params.append(p)
    return tuple(params)


class _SpecialForm:
    def __init__(self, getitem):
        self._getitem = getitem
        self._name = getitem.__name__
        self.__doc__ = getitem.__doc__

    def __repr__(self):
        return "typing." + self._name

    def __reduce__(self):
        return self._name

    def __call__(self, *args, **kwds):
        raise TypeError("Cannot instantiate %r" % (self,))

    def __mro_entries__(self, bases):
        raise TypeError("Cannot subclass %r" % (self,))

    def __or__(self, other):
        return Union[self, other]

    def __ror__(self, other):
        return Union[other, self]

    def __instancecheck__(self, obj):
        raise TypeError("%s cannot be used with isinstance()" % (self,))

    def __subclasscheck__(self, cls):
        raise TypeError("%s cannot be used with issubclass()" % (self,))

    def __getitem__(self, parameters):
        return self._getitem(self, parameters)


class _AnyForm(_SpecialForm):
    def __call__(self, *args, **kwds):
        raise TypeError("Any cannot be instantiated")


@_AnyForm
def Any(self, parameters):
    """Special type indicating an unconstrained type."""
    raise TypeError("%s is not subscriptable" % (self,))


@_SpecialForm
def NoReturn(self, parameters):
    """Special type indicating functions that never return."""
    raise TypeError("%s is not subscriptable" % (self,))


@_SpecialForm
def Never(self, parameters):
    """The bottom type, a type that has no members."""
    raise TypeError("%s is not subscriptable" % (self,))


@_SpecialForm
def Self(self, parameters):
    """Used to spell the type of "self" in classes."""
    raise TypeError("%s is not subscriptable" % (self,))


@_SpecialForm
def LiteralString(self, parameters):
    """Represents an arbitrary literal string."""
    raise TypeError("%s is not subscriptable" % (self,))


@_SpecialForm
def TypeAlias(self, parameters):
    """Special marker indicating that an assignment should be recognized as a type alias."""
    raise TypeError("%s is not subscriptable" % (self,))


@_SpecialForm
def ClassVar(self, parameters):
    """Special type construct to mark class variables."""
    item = _type_check(parameters, "%s accepts only single type." % (self,))
    return _GenericAlias(self, (item,))


@_SpecialForm
def Final(self, parameters):
    """Special typing construct to indicate final names to type checkers."""
    item = _type_check(parameters, "%s accepts only single type." % (self,))
    return _GenericAlias(self, (item,))


@_SpecialForm
def Union(self, parameters):
    """Union type; Union[X, Y] means either X or Y."""
    if parameters == ():
        raise TypeError("Cannot take a Union of no types.")
    if not isinstance(parameters, tuple):
        parameters = (parameters,)
    msg = "Union[arg, ...]: each arg must be a type."
    params = []
    for p in parameters:
        p = _type_check(p, msg)
        if isinstance(p, (_UnionGenericAlias, _types.UnionType)):
            items = p.__args__
        else:
            items = (p,)
        for item in items:
            if item not in params:
                params.append(item)
    if len(params) == 1:
        return params[0]
    return _UnionGenericAlias(self, tuple(params))


@_SpecialForm
def Optional(self, parameters):
    """Optional type; Optional[X] is equivalent to Union[X, None]."""
    arg = _type_check(parameters, "%s requires a single type." % (self,))
    return Union[arg, type(None)]


@_SpecialForm
def Literal(self, parameters):
    """Special typing form to define literal types (a.k.a. value types)."""
    if not isinstance(parameters, tuple):
        parameters = (parameters,)
    values = []
    for p in parameters:
        if p not in values or not any(type(v) is type(p) and v == p for v in values):
            values.append(p)
    return _LiteralGenericAlias(self, tuple(values))


@_SpecialForm
def Concatenate(self, parameters):
    """Used in conjunction with ParamSpec and Callable."""
    if not isinstance(parameters, tuple):
        parameters = (parameters,)
    return _GenericAlias(self, parameters)


@_SpecialForm
def TypeGuard(self, parameters):
    """Special typing form used to annotate the return type of a user-defined type guard."""
    item = _type_check(parameters, "%s accepts only single type." % (self,))
    return _GenericAlias(self, (item,))


@_SpecialForm
def Required(self, parameters):
    """A special typing construct to mark a key of a total=False TypedDict as required."""
    item = _type_check(parameters, "%s accepts only single type." % (self._name,))
    return _GenericAlias(self, (item,))


@_SpecialForm
def NotRequired(self, parameters):
    """A special typing construct to mark a key of a TypedDict as potentially missing."""
    item = _type_check(parameters, "%s accepts only single type." % (self._name,))
    return _GenericAlias(self, (item,))


class _BaseGenericAlias:
    def __init__(self, origin, *, inst=True, name=None):
        self._inst = inst
        self._name = name
        self.__origin__ = origin

    def __call__(self, *args, **kwargs):
        if not self._inst:
            raise TypeError("Type %s cannot be instantiated; use %s() instead"
                            % (self._name, self.__origin__.__name__))
        result = self.__origin__(*args, **kwargs)
        try:
            result.__orig_class__ = self
        except AttributeError:
            pass
        return result

    def __mro_entries__(self, bases):
        res = []
        if self.__origin__ not in bases:
            res.append(self.__origin__)
        i = bases.index(self)
        for b in bases[i + 1:]:
            if isinstance(b, _BaseGenericAlias) or (isinstance(b, type) and issubclass(b, Generic)):
                break
        else:
            res.append(Generic)
        return tuple(res)

    def __getattr__(self, attr):
        if attr in ("__origin__", "__args__"):
            raise AttributeError(attr)
        if "__origin__" in self.__dict__ and not (attr[:2] == "__" and attr[-2:] == "__"):
            return getattr(self.__origin__, attr)
        raise AttributeError(attr)

    def __instancecheck__(self, obj):
        return self.__subclasscheck__(type(obj))

    def __subclasscheck__(self, cls):
        raise TypeError("Subscripted generics cannot be used with class and instance checks")

    def __or__(self, right):
        return Union[self, right]

    def __ror__(self, left):
        return Union[left, self]


class _GenericAlias(_BaseGenericAlias):
    def __init__(self, origin, args, *, inst=True, name=None):
        super().__init__(origin, inst=inst, name=name)
        if not isinstance(args, tuple):
            args = (args,)
        self.__args__ = args
        self.__parameters__ = _collect_parameters(args)
        if not name:
            self.__module__ = getattr(origin, "__module__", "typing")

    def __eq__(self, other):
        if not isinstance(other, _GenericAlias):
            return NotImplemented
        return self.__origin__ == other.__origin__ and self.__args__ == other.__args__

    def __hash__(self):
        return hash((self.__origin__, self.__args__))

    def __getitem__(self, args):
        if not self.__parameters__:
            raise TypeError("%s is not a generic class" % (self,))
        if not isinstance(args, tuple):
            args = (args,)
        params = self.__parameters__
        if len(args) != len(params):
            raise TypeError("Too %s arguments for %s; actual %d, expected %d"
                            % ("many" if len(args) > len(params) else "few", self,
                               len(args), len(params)))
        subst = dict(zip(params, args))
        return self.copy_with(tuple([_subst(a, subst) for a in self.__args__]))

    def copy_with(self, args):
        return self.__class__(self.__origin__, args, name=self._name, inst=self._inst)

    def __mro_entries__(self, bases):
        if isinstance(self.__origin__, _SpecialForm):
            raise TypeError("Cannot subclass %r" % (self,))
        if self._name:
            return super().__mro_entries__(bases)
        if self.__origin__ is Generic:
            if Protocol in bases:
                return ()
            i = bases.index(self)
            for b in bases[i + 1:]:
                if isinstance(b, _BaseGenericAlias) and b is not self:
                    return ()
        return (self.__origin__,)

    def __repr__(self):
        if self._name:
            name = "typing." + self._name
        else:
            name = _type_repr(self.__origin__)
        if self.__args__:
            args = ", ".join([_type_repr(a) for a in self.__args__])
        else:
            args = "()"
        return "%s[%s]" % (name, args)


def _subst(arg, subst):
    if isinstance(arg, TypeVar):
        return subst.get(arg, arg)
    params = getattr(arg, "__parameters__", ())
    if params and hasattr(arg, "__getitem__") and not isinstance(arg, type):
        return arg[tuple([subst.get(p, p) for p in params])]
    return arg


class _CallableGenericAlias(_GenericAlias):
    def __repr__(self):
        args = self.__args__
        if len(args) == 2 and (args[0] is ... or isinstance(args[0], ParamSpec) or (
                isinstance(args[0], _GenericAlias) and args[0].__origin__ is Concatenate)):
            return "typing.Callable[%s, %s]" % (_type_repr(args[0]), _type_repr(args[1]))
        return "typing.Callable[[%s], %s]" % (", ".join([_type_repr(a) for a in args[:-1]]),
                                              _type_repr(args[-1]))

    def copy_with(self, args):
        return _CallableGenericAlias(self.__origin__, args, name=self._name, inst=self._inst)


class _UnionGenericAlias(_GenericAlias):
    def copy_with(self, params):
        return Union[params]

    def __eq__(self, other):
        if not isinstance(other, (_UnionGenericAlias, _types.UnionType)):
            return NotImplemented
        return set(self.__args__) == set(other.__args__)

    def __hash__(self):
        return hash(frozenset(self.__args__))

    def __repr__(self):
        args = self.__args__
        if len(args) == 2:
            if args[0] is type(None):
                return "typing.Optional[%s]" % _type_repr(args[1])
            elif args[1] is type(None):
                return "typing.Optional[%s]" % _type_repr(args[0])
        return super().__repr__()

    def __instancecheck__(self, obj):
        return self.__subclasscheck__(type(obj))

    def __subclasscheck__(self, cls):
        for arg in self.__args__:
            if issubclass(cls, arg):
                return True
        return False


class _LiteralGenericAlias(_GenericAlias):
    def __eq__(self, other):
        if not isinstance(other, _LiteralGenericAlias):
            return NotImplemented
        return set(self.__args__) == set(other.__args__)

    def __hash__(self):
        return hash(frozenset(self.__args__))


class _SpecialGenericAlias(_BaseGenericAlias):
    def __init__(self, origin, nparams, *, inst=True, name=None):
        if name is None:
            name = origin.__name__
        super().__init__(origin, inst=inst, name=name)
        self._nparams = nparams
        self.__module__ = "typing"

    def __getitem__(self, params):
        if not isinstance(params, tuple):
            params = (params,)
        msg = "Parameters to generic types must be types."
        params = tuple([_type_check(p, msg) for p in params])
        if self._nparams >= 0 and len(params) != self._nparams:
            raise TypeError("Too %s arguments for %s; actual %d, expected %d"
                            % ("many" if len(params) > self._nparams else "few", self,
                               len(params), self._nparams))
        return _GenericAlias(self.__origin__, params, name=self._name, inst=self._inst)

    def __repr__(self):
        return "typing." + self._name

    def __subclasscheck__(self, cls):
        if isinstance(cls, _SpecialGenericAlias):
            return issubclass(cls.__origin__, self.__origin__)
        if not isinstance(cls, _GenericAlias):
            return issubclass(cls, self.__origin__)
        return super().__subclasscheck__(cls)

    def __or__(self, right):
        return Union[self, right]

    def __ror__(self, left):
        return Union[left, self]


class _CallableType(_SpecialGenericAlias):
    def __getitem__(self, params):
        if not isinstance(params, tuple) or len(params) != 2:
            raise TypeError("Callable must be used as Callable[[arg, ...], result].")
        args, result = params
        result = _type_check(result, "Callable[args, result]: result must be a type.")
        if isinstance(args, list):
            params = (*[_type_check(a, "Callable[[arg, ...], result]: each arg must be a type.")
                        for a in args], result)
        elif args is ... or isinstance(args, ParamSpec) or (
                isinstance(args, _GenericAlias) and args.__origin__ is Concatenate):
            params = (args, result)
        else:
            raise TypeError("Callable[args, result]: args must be a list. Got %.100r." % (args,))
        return _CallableGenericAlias(self.__origin__, params, name=self._name, inst=self._inst)


class _TupleType(_SpecialGenericAlias):
    def __getitem__(self, params):
        if not isinstance(params, tuple):
            params = (params,)
        if len(params) >= 2 and params[-1] is ...:
            msg = "Tuple[t, ...]: t must be a type."
            params = tuple([_type_check(p, msg) for p in params[:-1]])
            return _GenericAlias(self.__origin__, (*params, ...), name=self._name, inst=self._inst)
        msg = "Tuple[t0, t1, ...]: each t must be a type."
        params = tuple([_type_check(p, msg) for p in params])
        return _GenericAlias(self.__origin__, params, name=self._name, inst=self._inst)


# The abstract collections the aliases stand on.
import collections.abc
_cabc = collections.abc
_Hashable = _cabc.Hashable
_Sized = _cabc.Sized
_Container = _cabc.Container
_CallableABC = _cabc.Callable
_Iterable = _cabc.Iterable
_Iterator = _cabc.Iterator
_Reversible = _cabc.Reversible
_Generator = _cabc.Generator
_Collection = _cabc.Collection
_Sequence = _cabc.Sequence
_MutableSequence = _cabc.MutableSequence
_Set = _cabc.Set
_MutableSet = _cabc.MutableSet
_Mapping = _cabc.Mapping
_MutableMapping = _cabc.MutableMapping
_Awaitable = _cabc.Awaitable
_AsyncIterable = _cabc.AsyncIterable
_AsyncIterator = _cabc.AsyncIterator

Hashable = _SpecialGenericAlias(_Hashable, 0)
Sized = _SpecialGenericAlias(_Sized, 0)
Container = _SpecialGenericAlias(_Container, 1)
Iterable = _SpecialGenericAlias(_Iterable, 1)
Iterator = _SpecialGenericAlias(_Iterator, 1)
Reversible = _SpecialGenericAlias(_Reversible, 1)
Generator = _SpecialGenericAlias(_Generator, 3)
Collection = _SpecialGenericAlias(_Collection, 1)
Sequence = _SpecialGenericAlias(_Sequence, 1)
MutableSequence = _SpecialGenericAlias(_MutableSequence, 1)
AbstractSet = _SpecialGenericAlias(_Set, 1, name="AbstractSet")
MutableSet = _SpecialGenericAlias(_MutableSet, 1)
Mapping = _SpecialGenericAlias(_Mapping, 2)
MutableMapping = _SpecialGenericAlias(_MutableMapping, 2)
Awaitable = _SpecialGenericAlias(_Awaitable, 1)
AsyncIterable = _SpecialGenericAlias(_AsyncIterable, 1)
AsyncIterator = _SpecialGenericAlias(_AsyncIterator, 1)
Callable = _CallableType(_CallableABC, 2)
Tuple = _TupleType(tuple, -1, inst=False, name="Tuple")
List = _SpecialGenericAlias(list, 1, inst=False, name="List")
Dict = _SpecialGenericAlias(dict, 2, inst=False, name="Dict")
Set = _SpecialGenericAlias(set, 1, inst=False, name="Set")
FrozenSet = _SpecialGenericAlias(frozenset, 1, inst=False, name="FrozenSet")
Type = _SpecialGenericAlias(type, 1, inst=False, name="Type")
Deque = _SpecialGenericAlias(collections.deque, 1, name="Deque")
DefaultDict = _SpecialGenericAlias(collections.defaultdict, 2, name="DefaultDict")
OrderedDict = _SpecialGenericAlias(collections.OrderedDict, 2, name="OrderedDict")
Counter = _SpecialGenericAlias(collections.Counter, 1, name="Counter")
Text = str


class _Final:
    """Mixin to prohibit subclassing."""

    __slots__ = ("__weakref__",)

    def __init_subclass__(cls, /, *args, **kwds):
        if "_root" not in kwds:
            raise TypeError("Cannot subclass special typing classes")


class _Immutable:
    """Mixin to indicate that object should not be copied."""

    __slots__ = ()

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


class _PickleUsingNameMixin:
    """Mixin enabling pickling based on self.__name__."""

    def __reduce__(self):
        return self.__name__


class _BoundVarianceMixin:
    """What TypeVar and ParamSpec share: a bound, a variance, the repr and the | operator."""

    def __init__(self, bound, covariant, contravariant):
        if covariant and contravariant:
            raise ValueError("Bivariant types are not supported.")
        self.__covariant__ = bool(covariant)
        self.__contravariant__ = bool(contravariant)
        if bound:
            self.__bound__ = _type_check(bound, "Bound must be a type.")
        else:
            self.__bound__ = None

    def __or__(self, right):
        return Union[self, right]

    def __ror__(self, left):
        return Union[left, self]

    def __repr__(self):
        if self.__covariant__:
            prefix = "+"
        elif self.__contravariant__:
            prefix = "-"
        else:
            prefix = "~"
        return prefix + self.__name__


def _caller():
    try:
        return sys._getframe(2).f_globals.get("__name__", "__main__")
    except (AttributeError, ValueError):
        return None


class TypeVar(_Final, _Immutable, _BoundVarianceMixin, _PickleUsingNameMixin, _root=True):
    """Type variable."""

    def __init__(self, name, *constraints, bound=None, covariant=False, contravariant=False):
        self.__name__ = name
        super().__init__(bound, covariant, contravariant)
        if constraints and bound is not None:
            raise TypeError("Constraints cannot be combined with bound=...")
        if len(constraints) == 1:
            raise TypeError("A single constraint is not allowed")
        msg = "TypeVar(name, constraint, ...): constraints must be types."
        self.__constraints__ = tuple([_type_check(t, msg) for t in constraints])
        module = _caller()
        if module != "typing":
            self.__module__ = module

    def __typing_subst__(self, arg):
        return arg


AnyStr = TypeVar("AnyStr", bytes, str)


class ParamSpecArgs(_Final, _Immutable, _root=True):
    """The argument specification of a ParamSpec: P.args, for *args."""

    def __init__(self, origin):
        self.__origin__ = origin

    def __repr__(self):
        return "%s.args" % (self.__origin__.__name__,)

    def __eq__(self, other):
        if not isinstance(other, ParamSpecArgs):
            return NotImplemented
        return self.__origin__ == other.__origin__


class ParamSpecKwargs(_Final, _Immutable, _root=True):
    """The keyword specification of a ParamSpec: P.kwargs, for **kwargs."""

    def __init__(self, origin):
        self.__origin__ = origin

    def __repr__(self):
        return "%s.kwargs" % (self.__origin__.__name__,)

    def __eq__(self, other):
        if not isinstance(other, ParamSpecKwargs):
            return NotImplemented
        return self.__origin__ == other.__origin__


class ParamSpec(_Final, _Immutable, _BoundVarianceMixin, _PickleUsingNameMixin, _root=True):
    """Parameter specification variable: the parameters of a callable (PEP 612)."""

    @property
    def args(self):
        return ParamSpecArgs(self)

    @property
    def kwargs(self):
        return ParamSpecKwargs(self)

    def __init__(self, name, *, bound=None, covariant=False, contravariant=False):
        self.__name__ = name
        super().__init__(bound, covariant, contravariant)
        module = _caller()
        if module != "typing":
            self.__module__ = module

    def __typing_subst__(self, arg):
        if isinstance(arg, (list, tuple)):
            return tuple(arg)
        return arg


class _AnnotatedAlias(_GenericAlias):
    """Annotated[T, x, ...]: the type T with metadata that type checkers leave alone."""

    def __init__(self, origin, metadata):
        if isinstance(origin, _AnnotatedAlias):
            metadata = origin.__metadata__ + metadata
            origin = origin.__origin__
        super().__init__(origin, origin, name="Annotated")
        self.__metadata__ = metadata

    def copy_with(self, params):
        return _AnnotatedAlias(params[0], self.__metadata__)

    def __repr__(self):
        return "typing.Annotated[%s, %s]" % (
            _type_repr(self.__origin__), ", ".join(repr(a) for a in self.__metadata__))

    def __eq__(self, other):
        if not isinstance(other, _AnnotatedAlias):
            return NotImplemented
        return self.__origin__ == other.__origin__ and self.__metadata__ == other.__metadata__

    def __hash__(self):
        return hash((self.__origin__, self.__metadata__))

    def __mro_entries__(self, bases):
        return (self.__origin__,)


class Annotated:
    """Add context-specific metadata to a type: Annotated[int, "meters"]."""

    __slots__ = ()

    def __new__(cls, *args, **kwargs):
        raise TypeError("Type Annotated cannot be instantiated.")

    def __class_getitem__(cls, params):
        if not isinstance(params, tuple) or len(params) < 2:
            raise TypeError("Annotated[...] should be used "
                            "with at least two arguments (a type and an annotation).")
        origin = _type_check(params[0], "Annotated[t, ...]: t must be a type.")
        return _AnnotatedAlias(origin, tuple(params[1:]))

    def __init_subclass__(cls, *args, **kwargs):
        raise TypeError("Cannot subclass typing.Annotated")


class Generic:
    """Abstract base class for generic types."""

    __slots__ = ()
    _is_protocol = False

    def __class_getitem__(cls, params):
        if not isinstance(params, tuple):
            params = (params,)
        if not params and cls is not Tuple:
            raise TypeError("Parameter list to %s[...] cannot be empty" % (cls.__qualname__,))
        params = tuple([_type_convert(p) for p in params])
        if cls in (Generic, Protocol):
            if not all(isinstance(p, (TypeVar, ParamSpec)) for p in params):
                raise TypeError("Parameters to %s[...] must all be type variables "
                                "or parameter specification variables." % (cls.__name__,))
            if len(set(params)) != len(params):
                raise TypeError("Parameters to %s[...] must all be unique" % (cls.__name__,))
        else:
            expected = len(cls.__parameters__)
            if expected == 0:
                raise TypeError("%s is not a generic class" % (cls,))
            if len(params) != expected:
                raise TypeError("Too %s arguments for %s; actual %d, expected %d"
                                % ("many" if len(params) > expected else "few", cls,
                                   len(params), expected))
        return _GenericAlias(cls, params)

    def __init_subclass__(cls, *args, **kwargs):
        super().__init_subclass__(*args, **kwargs)
        tvars = []
        if "__orig_bases__" in cls.__dict__:
            error = Generic in cls.__orig_bases__
        else:
            error = Generic in cls.__bases__ and cls.__name__ != "Protocol"
        if error:
            raise TypeError("Cannot inherit from plain Generic")
        if "__orig_bases__" in cls.__dict__:
            tvars = list(_collect_parameters(cls.__orig_bases__))
            gvars = None
            for base in cls.__orig_bases__:
                if isinstance(base, _GenericAlias) and base.__origin__ in (Generic, Protocol):
                    if gvars is not None:
                        raise TypeError("Cannot inherit from Generic[...] multiple types.")
                    gvars = base.__parameters__
            if gvars is not None:
                tvarset = set(tvars)
                gvarset = set(gvars)
                if not tvarset <= gvarset:
                    s_vars = ", ".join([str(t) for t in tvars if t not in gvarset])
                    s_args = ", ".join([str(g) for g in gvars])
                    raise TypeError("Some type variables (%s) are not listed in Generic[%s]"
                                    % (s_vars, s_args))
                tvars = gvars
        cls.__parameters__ = tuple(tvars)


_SPECIAL_NAMES = frozenset({"__abstractmethods__", "__annotations__", "__dict__", "__doc__",
                            "__init__", "__module__", "__new__", "__slots__",
                            "__subclasshook__", "__weakref__", "__class_getitem__",
                            "__parameters__", "__orig_bases__", "__qualname__",
                            "__init_subclass__", "_is_protocol", "_is_runtime_protocol",
                            "_abc_impl", "__protocol_attrs__", "__match_args__"})


def _get_protocol_attrs(cls):
    attrs = set()
    for base in cls.__mro__[:-1]:
        if base.__name__ in ("Protocol", "Generic"):
            continue
        annotations = _own_dict(base).get("__annotations__", {})
        for attr in list(_own_dict(base).keys()) + list(annotations.keys()):
            if not attr.startswith("_abc_") and attr not in _SPECIAL_NAMES:
                attrs.add(attr)
    return attrs


def _no_init(self, *args, **kwargs):
    if type(self)._is_protocol:
        raise TypeError("Protocols cannot be instantiated")


class _ProtocolMeta(ABCMeta):
    def __instancecheck__(cls, instance):
        if getattr(cls, "_is_protocol", False):
            if not getattr(cls, "_is_runtime_protocol", False):
                raise TypeError("Instance and class checks can only be used with"
                                " @runtime_checkable protocols")
            if super().__instancecheck__(instance):
                return True
            for attr in _get_protocol_attrs(cls):
                if not hasattr(instance, attr):
                    return False
                if callable(getattr(cls, attr, None)) and getattr(instance, attr) is None:
                    return False
            return True
        return super().__instancecheck__(instance)


class Protocol(Generic, metaclass=_ProtocolMeta):
    """Base class for protocol classes."""

    __slots__ = ()
    _is_protocol = True
    _is_runtime_protocol = False

    def __init_subclass__(cls, *args, **kwargs):
        super().__init_subclass__(*args, **kwargs)
        if not cls.__dict__.get("_is_protocol", False):
            cls._is_protocol = any(b is Protocol for b in cls.__bases__)

        def _proto_hook(other):
            if not cls.__dict__.get("_is_protocol", False):
                return NotImplemented
            if not getattr(cls, "_is_runtime_protocol", False):
                raise TypeError("Instance and class checks can only be used with"
                                " @runtime_checkable protocols")
            if not isinstance(other, type):
                raise TypeError("issubclass() arg 1 must be a class")
            for attr in _get_protocol_attrs(cls):
                if getattr(other, attr, None) is None:
                    return NotImplemented
            return True

        if "__subclasshook__" not in cls.__dict__:
            cls.__subclasshook__ = _proto_hook
        if cls._is_protocol and cls.__init__ is Protocol.__init__:
            cls.__init__ = _no_init


def runtime_checkable(cls):
    """Mark a protocol class as a runtime protocol."""
    if not (isinstance(cls, type) and issubclass(cls, Generic)) or not cls._is_protocol:
        raise TypeError("@runtime_checkable can be only applied to protocol classes,"
                        " got %r" % cls)
    cls._is_runtime_protocol = True
    return cls


def cast(typ, val):
    """Cast a value to a type (returns the value unchanged)."""
    return val


def _overload_dummy(*args, **kwds):
    raise NotImplementedError(
        "You should not call an overloaded function. "
        "A series of @overload-decorated functions "
        "outside a stub module should always be followed "
        "by an implementation that is not @overload-ed.")


def overload(func):
    """Decorator for overloaded functions/methods."""
    return _overload_dummy


def final(f):
    """A decorator to indicate final methods and final classes."""
    try:
        f.__final__ = True
    except (AttributeError, TypeError):
        pass
    return f


def no_type_check(arg):
    """Decorator to indicate that annotations are not type hints."""
    return arg


def assert_never(arg, /):
    """Statically assert that a line of code is unreachable."""
    value = repr(arg)
    if len(value) > 100:
        value = value[:100] + "..."
    raise AssertionError("Expected code to be unreachable, but got: %s" % value)


def reveal_type(obj, /):
    """Reveal the inferred type of a variable."""
    print("Runtime type is %r" % (type(obj).__name__,), file=sys.stderr)
    return obj


def _eval_type(t, globalns, localns):
    if isinstance(t, ForwardRef):
        return _eval_type(t._evaluate(globalns, localns), globalns, localns)
    if isinstance(t, (_GenericAlias, _types.GenericAlias, _types.UnionType)):
        args = tuple([_eval_type(a, globalns, localns) for a in t.__args__])
        if args == t.__args__:
            return t
        if isinstance(t, _types.GenericAlias):
            return _types.GenericAlias(t.__origin__, args)
        if isinstance(t, _types.UnionType):
            return Union[args]
        return t.copy_with(args)
    return t


def _eval_hint(value, globalns, localns):
    if value is None:
        return type(None)
    if isinstance(value, str):
        value = ForwardRef(value)
    return _eval_type(value, globalns, localns)


def _own_dict(cls):
    try:
        return cls.__dict__
    except AttributeError:
        return {}


def get_type_hints(obj, globalns=None, localns=None, include_extras=False):
    """Return type hints for an object, forward references evaluated."""
    if isinstance(obj, type):
        hints = {}
        for base in reversed(obj.__mro__):
            if globalns is None:
                module = sys.modules.get(base.__module__, None)
                base_globals = getattr(module, "__dict__", {})
            else:
                base_globals = globalns
            own = _own_dict(base)
            ann = own.get("__annotations__", {})
            base_locals = dict(own) if localns is None else localns
            if localns is None and globalns is None:
                base_globals, base_locals = base_locals, base_globals
            for name, value in ann.items():
                hints[name] = _eval_hint(value, base_globals, base_locals)
        return hints if include_extras else {k: _strip_annotations(t) for k, t in hints.items()}
    if globalns is None:
        globalns = getattr(obj, "__globals__", {})
        if localns is None:
            localns = globalns
    elif localns is None:
        localns = globalns
    hints = getattr(obj, "__annotations__", None)
    if hints is None:
        raise TypeError("%r is not a module, class, method, or function." % (obj,))
    hints = {name: _eval_hint(value, globalns, localns) for name, value in hints.items()}
    return hints if include_extras else {k: _strip_annotations(t) for k, t in hints.items()}


def _strip_annotations(t):
    # Annotated[T, ...] becomes T, inside other hints too.
    if isinstance(t, _AnnotatedAlias):
        return _strip_annotations(t.__origin__)
    if isinstance(t, (_GenericAlias, _types.GenericAlias)):
        args = tuple([_strip_annotations(a) for a in t.__args__])
        if args == t.__args__:
            return t
        if isinstance(t, _types.GenericAlias):
            return _types.GenericAlias(t.__origin__, args)
        return t.copy_with(args)
    return t


def get_origin(tp):
    """Get the unsubscripted version of a type."""
    if isinstance(tp, _AnnotatedAlias):
        return Annotated
    if isinstance(tp, (_BaseGenericAlias, _types.GenericAlias)):
        return tp.__origin__
    if tp is Generic:
        return Generic
    if isinstance(tp, _types.UnionType):
        return _types.UnionType
    return None


def get_args(tp):
    """Get type arguments with all substitutions performed."""
    if isinstance(tp, _AnnotatedAlias):
        return (tp.__origin__,) + tp.__metadata__
    if isinstance(tp, (_GenericAlias, _types.GenericAlias)):
        res = tp.__args__
        if isinstance(tp, _CallableGenericAlias) and not (len(res) == 2 and (
                res[0] is ... or isinstance(res[0], ParamSpec) or (
                    isinstance(res[0], _GenericAlias) and res[0].__origin__ is Concatenate))):
            res = (list(res[:-1]), res[-1])
        return res
    if isinstance(tp, _types.UnionType):
        return tp.__args__
    return ()


class NewType:
    """NewType creates simple unique types with almost zero runtime overhead."""

    def __init__(self, name, tp):
        self.__qualname__ = name
        if "." in name:
            name = name.rpartition(".")[-1]
        self.__name__ = name
        self.__supertype__ = tp
        try:
            self.__module__ = sys._getframe(1).f_globals.get("__name__", "__main__")
        except (AttributeError, ValueError):
            pass

    def __repr__(self):
        return "%s.%s" % (self.__module__, self.__qualname__)

    def __call__(self, x):
        return x

    def __or__(self, other):
        return Union[self, other]

    def __ror__(self, other):
        return Union[other, self]


_prohibited = frozenset({"__new__", "__init__", "__slots__", "__getnewargs__",
                         "_fields", "_field_defaults", "_make", "_replace", "_asdict",
                         "_source"})
_special = frozenset({"__module__", "__name__", "__annotations__"})


def _make_nmtuple(name, types, module, defaults=()):
    fields = [n for n, t in types]
    annotations = {n: _type_check(t, "field %s annotation must be a type" % n) for n, t in types}
    nm_tpl = collections.namedtuple(name, fields, defaults=defaults, module=module)
    nm_tpl.__annotations__ = annotations
    return nm_tpl


class NamedTupleMeta(type):
    def __new__(cls, typename, bases, ns):
        for base in bases:
            if base is not _NamedTuple and base is not Generic:
                raise TypeError("can only inherit from a NamedTuple type and Generic")
        types = ns.get("__annotations__", {})
        default_names = []
        for field_name in types:
            if field_name in ns:
                default_names.append(field_name)
            elif default_names:
                raise TypeError("Non-default namedtuple field %s cannot follow default field%s %s"
                                % (field_name, "s" if len(default_names) > 1 else "",
                                   ", ".join(default_names)))
        nm_tpl = _make_nmtuple(typename, types.items(),
                               defaults=[ns[n] for n in default_names],
                               module=ns["__module__"])
        for key in ns:
            if key in _prohibited:
                raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
            elif key not in _special and key not in nm_tpl._fields:
                setattr(nm_tpl, key, ns[key])
        return nm_tpl


def NamedTuple(typename, fields=None, /, **kwargs):
    """Typed version of namedtuple."""
    if fields is None:
        fields = kwargs.items()
    elif kwargs:
        raise TypeError("Either list of fields or keywords can be provided to NamedTuple, not both")
    try:
        module = sys._getframe(1).f_globals.get("__name__", "__main__")
    except (AttributeError, ValueError):
        module = None
    return _make_nmtuple(typename, fields, module=module)


_NamedTuple = type.__new__(NamedTupleMeta, "NamedTuple", (), {})


def _namedtuple_mro_entries(bases):
    return (_NamedTuple,)


NamedTuple.__mro_entries__ = _namedtuple_mro_entries


class _TypedDictMeta(type):
    def __new__(cls, name, bases, ns, total=True):
        for base in bases:
            if type(base) is not _TypedDictMeta and base is not Generic:
                raise TypeError("cannot inherit from both a TypedDict type and a non-TypedDict base class")
        tp_dict = type.__new__(_TypedDictMeta, name, (dict,), ns)
        annotations = {}
        own = ns.get("__annotations__", {})
        msg = "TypedDict('Name', {f0: t0, f1: t1, ...}); each t must be a type"
        own = {n: _type_check(tp, msg) for n, tp in own.items()}
        required = set()
        optional = set()
        for base in bases:
            annotations.update(_own_dict(base).get("__annotations__", {}))
            required.update(_own_dict(base).get("__required_keys__", ()))
            optional.update(_own_dict(base).get("__optional_keys__", ()))
        annotations.update(own)
        for key, tp in own.items():
            origin = getattr(tp, "__origin__", None)
            if origin is Required:
                is_required = True
            elif origin is NotRequired:
                is_required = False
            else:
                is_required = total
            if is_required:
                required.add(key)
                optional.discard(key)
            else:
                optional.add(key)
                required.discard(key)
        tp_dict.__annotations__ = annotations
        tp_dict.__required_keys__ = frozenset(required)
        tp_dict.__optional_keys__ = frozenset(optional)
        if not hasattr(tp_dict, "__total__"):
            tp_dict.__total__ = total
        return tp_dict

    def __call__(cls, *args, **kwargs):
        return dict(*args, **kwargs)

    def __subclasscheck__(cls, other):
        raise TypeError("TypedDict does not support instance and class checks")

    __instancecheck__ = __subclasscheck__


def TypedDict(typename, fields=None, /, *, total=True, **kwargs):
    """A simple typed namespace. At runtime it is equivalent to a plain dict."""
    if fields is None:
        fields = kwargs
    elif kwargs:
        raise TypeError("TypedDict takes either a dict or keyword arguments, but not both")
    ns = {"__annotations__": dict(fields)}
    try:
        ns["__module__"] = sys._getframe(1).f_globals.get("__name__", "__main__")
    except (AttributeError, ValueError):
        pass
    return _TypedDictMeta(typename, (), ns, total=total)


_TypedDict = type.__new__(_TypedDictMeta, "TypedDict", (), {})


def _typeddict_mro_entries(bases):
    return (_TypedDict,)


TypedDict.__mro_entries__ = _typeddict_mro_entries
`;

/** The file name the module's code and tracebacks carry. */
const FILENAME = "<typing>";

/** The module's code, shared by every interpreter (read at the first import). */
let compiled: CodeUnit | undefined;

/**
 * The module's source compiled and serialized: what scripts/precompile.ts stores in
 * typing.compiled.ts.
 */
export function precompiledTyping(): string {
  return precompileSource(SOURCE, FILENAME);
}

/** The `typing` module (a new reference): its Python source run in its namespace. */
export function typingModule(b: Protocols): Ref {
  compiled ??= deserializeCode(TYPING_COMPILED);
  return pythonModule(b, { name: "typing", filename: FILENAME, source: SOURCE }, compiled);
}
