// The \`enum\` module, as Python code run over the interpreter: \`EnumType\` (a metaclass) turns
// the names an \`Enum\` class body binds into members, each made once (with \`object.__new__\`,
// or \`int.__new__\` for \`IntEnum\`) and kept by the class, so that \`Color(1)\`, \`Color["RED"]\` and
// \`Color.RED\` are the same object; \`auto\`, aliases, \`unique\`, \`IntEnum\`, \`StrEnum\`, \`Flag\`
// and \`IntFlag\` (composite members made on demand) and the functional API go with it. It
// follows CPython 3.11's Lib/enum.py in what a program sees (reprs, errors, iteration order).

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import { ENUM_COMPILED } from "./enum.compiled.js";
import type { Protocols } from "./host.js";
import { precompileSource, pythonModule } from "./python-module.js";

/** The module's Python source. */
const SOURCE = `"""Support for enumerations."""

__all__ = ["EnumType", "EnumMeta", "Enum", "ReprEnum", "IntEnum", "StrEnum", "Flag",
           "IntFlag", "auto", "unique"]


class _AutoNull:
    def __repr__(self):
        return "_auto_null"


_auto_null = _AutoNull()


class auto:
    """Instances are replaced with an appropriate value in Enum class suites."""

    def __init__(self, value=_auto_null):
        self.value = value

    def __repr__(self):
        return "auto(%r)" % self.value


def _is_dunder(name):
    return (len(name) > 4 and name[:2] == name[-2:] == "__" and
            name[2] != "_" and name[-3] != "_")


def _is_sunder(name):
    return (len(name) > 2 and name[0] == name[-1] == "_" and
            name[1:2] != "_" and name[-2:-1] != "_")


def _is_private(cls_name, name):
    pattern = "_%s__" % (cls_name,)
    n = len(pattern)
    return (len(name) > n and name.startswith(pattern) and name[n:n + 1] != "_" and
            (name[-1] != "_" or name[-2] != "_"))


_function = type(_is_dunder)


def _is_descriptor(obj):
    # Functions, properties and the method wrappers bind or compute: they are no members.
    return (isinstance(obj, (_function, classmethod, staticmethod, property)) or
            hasattr(obj, "__get__") or hasattr(obj, "__set__") or hasattr(obj, "__delete__"))


def _bin(num, max_bits=None):
    # enum.bin: two's complement with the sign bit apart ("0b0 0101").
    ceiling = 2 ** num.bit_length()
    if num >= 0:
        s = bin(num + ceiling).replace("1", "0", 1)
    else:
        s = bin(~num ^ (ceiling - 1) + ceiling)
    sign = s[:3]
    digits = s[3:]
    if max_bits is not None and len(digits) < max_bits:
        digits = (sign[-1] * max_bits + digits)[-max_bits:]
    return "%s %s" % (sign, digits)


def _high_bit(value):
    return value.bit_length() - 1


def _iter_bits_lsb(num):
    while num:
        b = num & (~num + 1)
        yield b
        num ^= b


_DATA_TYPES = (int, str, float, bytes, tuple, list, dict, set, frozenset)

Enum = None
Flag = None
ReprEnum = None


def _find_data_type(class_name, bases):
    data_types = []
    for chain in bases:
        candidate = None
        for base in chain.__mro__:
            if base is object:
                continue
            if isinstance(base, EnumType):
                if base._member_type_ is not object:
                    if base._member_type_ not in data_types:
                        data_types.append(base._member_type_)
                    break
            elif base in _DATA_TYPES or "__new__" in base.__dict__:
                found = candidate or base
                if found not in data_types:
                    data_types.append(found)
                break
            else:
                candidate = candidate or base
    if len(data_types) > 1:
        raise TypeError("too many data types for %r: %r" % (class_name, set(data_types)))
    return data_types[0] if data_types else object


def _set_class_attr(cls, name, value):
    super(EnumType, cls).__setattr__(name, value)


class EnumType(type):
    """Metaclass for Enum"""

    @classmethod
    def __prepare__(metacls, cls, bases, **kwds):
        # An enumeration with members is final, refused before the body runs.
        for base in bases:
            if isinstance(base, EnumType) and base._member_names_:
                raise TypeError("<enum %r> cannot extend %r" % (cls, base))
        return {}

    def __new__(metacls, cls, bases, classdict, *, boundary=None, _simple=False, **kwds):
        if Enum is None:
            member_type, first_enum = object, None
        else:
            if not bases or not isinstance(bases[-1], EnumType):
                raise TypeError("new enumerations should be created as "
                                "\`EnumName([mixin_type, ...] [data_type,] enum_type)\`")
            first_enum = bases[-1]
            member_type = _find_data_type(cls, bases)
        # The members: the names the body bound that are neither special nor descriptors.
        members = []
        for key, value in list(classdict.items()):
            if (_is_dunder(key) or _is_sunder(key) or _is_private(cls, key) or
                    _is_descriptor(value) or isinstance(value, type)):
                continue
            members.append((key, value))
        for key, value in members:
            del classdict[key]
        new_member = classdict.pop("__new__", None)
        if new_member is None and first_enum is not None:
            new_member = getattr(first_enum, "_new_member_", None)
        enum_class = super().__new__(metacls, cls, bases, classdict, **kwds)
        _set_class_attr(enum_class, "_member_names_", [])
        _set_class_attr(enum_class, "_member_map_", {})
        _set_class_attr(enum_class, "_value2member_map_", {})
        _set_class_attr(enum_class, "_member_type_", member_type)
        _set_class_attr(enum_class, "_new_member_", new_member)
        last_values = []
        for name, value in members:
            if isinstance(value, auto):
                if value.value is _auto_null:
                    value.value = enum_class._generate_next_value_(
                        name, 1, len(enum_class._member_names_), last_values[:])
                value = value.value
            last_values.append(value)
            _add_member(enum_class, member_type, new_member, name, value)
        # The enum's repr (and for a mixed-in data type, str and format) over the data type's.
        if first_enum is not None and member_type is not object:
            for name in ("__repr__", "__str__", "__format__"):
                if name not in classdict:
                    # ReprEnum's kind (IntEnum, IntFlag) keeps the data type's str and format.
                    source = first_enum
                    if name != "__repr__" and ReprEnum is not None and issubclass(enum_class, ReprEnum):
                        source = ReprEnum
                    _set_class_attr(enum_class, name, getattr(source, name))
        if Flag is not None and issubclass(enum_class, Flag):
            mask = 0
            for m in enum_class._member_map_.values():
                mask |= m._value_
            _set_class_attr(enum_class, "_flag_mask_", mask)
        return enum_class

    def __call__(cls, value, names=None, *, module=None, qualname=None, type=None,
                 start=1, boundary=None):
        if names is None:
            if not cls._member_map_:
                raise TypeError("%r has no members defined" % cls)
            return _lookup(cls, value)
        return cls._create_(value, names, module=module, qualname=qualname, type=type,
                            start=start)

    def _create_(cls, class_name, names, *, module=None, qualname=None, type=None, start=1):
        metacls = cls.__class__
        bases = (cls,) if type is None else (type, cls)
        if isinstance(names, str):
            names = names.replace(",", " ").split()
        if isinstance(names, (tuple, list)) and names and isinstance(names[0], str):
            original_names, names = names, []
            last_values = []
            for count, name in enumerate(original_names):
                value = cls._generate_next_value_(name, start, count, last_values[:])
                last_values.append(value)
                names.append((name, value))
        if isinstance(names, dict):
            names = names.items()
        classdict = metacls.__prepare__(class_name, bases)
        for item in names:
            if isinstance(item, str):
                member_name, member_value = item, names[item]
            else:
                member_name, member_value = item
            classdict[member_name] = member_value
        classdict["__module__"] = "__main__" if module is None else module
        if qualname is not None:
            classdict["__qualname__"] = qualname
        return metacls.__new__(metacls, class_name, bases, classdict)

    def __contains__(cls, member):
        if not isinstance(member, Enum):
            raise TypeError("unsupported operand type(s) for 'in': '%s' and '%s'" % (
                type(member).__qualname__, cls.__class__.__qualname__))
        return isinstance(member, cls) and member._name_ in cls._member_map_

    def __delattr__(cls, attr):
        if attr in cls._member_map_:
            raise AttributeError("%r cannot delete member %r." % (cls.__name__, attr))
        super().__delattr__(attr)

    def __getitem__(cls, name):
        return cls._member_map_[name]

    def __iter__(cls):
        return (cls._member_map_[name] for name in cls._member_names_)

    def __reversed__(cls):
        return (cls._member_map_[name] for name in reversed(cls._member_names_))

    def __len__(cls):
        return len(cls._member_names_)

    @property
    def __members__(cls):
        return _mappingproxy(cls._member_map_)

    def __repr__(cls):
        if Flag is not None and issubclass(cls, Flag):
            return "<flag %r>" % cls.__name__
        return "<enum %r>" % cls.__name__

    def __bool__(cls):
        return True

    def __setattr__(cls, name, value):
        member_map = cls.__dict__.get("_member_map_", {})
        if name in member_map:
            raise AttributeError("cannot reassign member %r" % (name,))
        super().__setattr__(name, value)


EnumMeta = EnumType


def _add_member(enum_class, member_type, new_member, name, value):
    if not isinstance(value, tuple):
        args = (value,)
    else:
        args = value
    if member_type is tuple:
        args = (args,)
    if new_member is not None:
        member = new_member(enum_class, *args)
    elif member_type is object:
        member = object.__new__(enum_class)
    else:
        member = member_type.__new__(enum_class, *args)
    if not hasattr(member, "_value_"):
        if member_type is object or new_member is not None:
            member._value_ = value
        else:
            member._value_ = member_type(*args)
    value = member._value_
    member._name_ = name
    member.__objclass__ = enum_class
    member.__init__(*args)
    member._sort_order_ = len(enum_class._member_names_)
    # An alias: a second name for the value of an earlier member.
    for canonical in enum_class._member_map_.values():
        if canonical._value_ == value:
            member = canonical
            break
    else:
        enum_class._member_names_.append(name)
    enum_class._member_map_[name] = member
    try:
        enum_class._value2member_map_.setdefault(value, member)
    except TypeError:
        pass
    _set_class_attr(enum_class, name, member)


def _lookup(cls, value):
    if type(value) is cls:
        return value
    try:
        return cls._value2member_map_[value]
    except KeyError:
        pass
    except TypeError:
        for member in cls._member_map_.values():
            if member._value_ == value:
                return member
    exc = None
    try:
        result = cls._missing_(value)
    except Exception as e:
        exc = e
        result = None
    if isinstance(result, cls):
        return result
    ve_exc = ValueError("%r is not a valid %s" % (value, cls.__qualname__))
    if result is None and exc is None:
        raise ve_exc
    if exc is None:
        exc = TypeError("error in %s._missing_: returned %r instead of None or a valid member"
                        % (cls.__name__, result))
    if not isinstance(exc, ValueError):
        exc.__context__ = ve_exc
    raise exc


class Enum(metaclass=EnumType):
    """Create a collection of name/value pairs."""

    def _generate_next_value_(name, start, count, last_values):
        if not last_values:
            return start
        try:
            last_value = sorted(last_values).pop()
        except TypeError:
            raise TypeError("unable to sort non-numeric values") from None
        try:
            return last_value + 1
        except TypeError:
            raise TypeError("unable to increment %r" % (last_value,)) from None

    @classmethod
    def _missing_(cls, value):
        return None

    def __init__(self, *args, **kwds):
        pass

    def __repr__(self):
        return "<%s.%s: %r>" % (self.__class__.__name__, self._name_, self._value_)

    def __str__(self):
        return "%s.%s" % (self.__class__.__name__, self._name_)

    def __format__(self, format_spec):
        return format(str(self), format_spec)

    def __hash__(self):
        return hash(self._name_)

    def __reduce_ex__(self, proto):
        return self.__class__, (self._value_,)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    @property
    def name(self):
        """The name of the Enum member."""
        return self._name_

    @property
    def value(self):
        """The value of the Enum member."""
        return self._value_


class ReprEnum(Enum):
    """Only changes the repr(), leaving str() and format() to the mixed-in type."""

    def __str__(self):
        return str(self._value_)

    def __format__(self, format_spec):
        return format(self._value_, format_spec)


class IntEnum(int, ReprEnum):
    """Enum where members are also (and must be) ints"""


class StrEnum(str, ReprEnum):
    """Enum where members are also (and must be) strings"""

    def _generate_next_value_(name, start, count, last_values):
        return name.lower()


class Flag(Enum):
    """Support for flags"""

    def _generate_next_value_(name, start, count, last_values):
        if not count:
            return start if start is not None else 1
        last_value = max(last_values)
        try:
            high_bit = _high_bit(last_value)
        except Exception:
            raise TypeError("invalid flag value %r" % last_value) from None
        return 2 ** (high_bit + 1)

    @classmethod
    def _missing_(cls, value):
        if not isinstance(value, int):
            raise ValueError("%r is not a valid %s" % (value, cls.__qualname__))
        mask = cls._flag_mask_
        if value < 0:
            value = max(mask + 1 + value, 0)
        if value & ~mask:
            if cls._member_type_ is object:
                # STRICT, Flag's boundary: the value and the allowed bits, in binary.
                max_bits = max(value.bit_length(), mask.bit_length())
                raise ValueError("%r invalid value %r\\n    given %s\\n  allowed %s" % (
                    cls, value, _bin(value, max_bits), _bin(mask, max_bits)))
            raise ValueError("%r is not a valid %s" % (value, cls.__qualname__))
        if cls._member_type_ is object:
            pseudo = object.__new__(cls)
        else:
            pseudo = cls._member_type_.__new__(cls, value)
        pseudo._value_ = value
        names = [m._name_ for m in cls._iter_member_(value)]
        pseudo._name_ = "|".join(names) if names else None
        return cls._value2member_map_.setdefault(value, pseudo)

    @classmethod
    def _iter_member_(cls, value):
        # The single-bit members in value, in the order the class defined them.
        found = []
        for bit in _iter_bits_lsb(value & cls._flag_mask_):
            member = cls._value2member_map_.get(bit)
            if member is not None:
                found.append(member)
        found.sort(key=lambda m: m._sort_order_)
        yield from found

    def __contains__(self, other):
        if not isinstance(other, self.__class__):
            raise TypeError("unsupported operand type(s) for 'in': %r and %r" % (
                type(other).__qualname__, self.__class__.__qualname__))
        return other._value_ & self._value_ == other._value_

    def __iter__(self):
        yield from self._iter_member_(self._value_)

    def __len__(self):
        return bin(self._value_).count("1")

    def __repr__(self):
        cls_name = self.__class__.__name__
        if self._name_ is None:
            return "<%s: %r>" % (cls_name, self._value_)
        return "<%s.%s: %r>" % (cls_name, self._name_, self._value_)

    def __str__(self):
        cls_name = self.__class__.__name__
        if self._name_ is None:
            return "%s(%r)" % (cls_name, self._value_)
        return "%s.%s" % (cls_name, self._name_)

    def __bool__(self):
        return bool(self._value_)

    def _operand(self, other):
        if isinstance(other, self.__class__):
            return other._value_
        if self._member_type_ is not object and isinstance(other, self._member_type_):
            return other
        return None

    def __or__(self, other):
        value = self._operand(other)
        if value is None:
            return NotImplemented
        return self.__class__(self._value_ | value)

    def __and__(self, other):
        value = self._operand(other)
        if value is None:
            return NotImplemented
        return self.__class__(self._value_ & value)

    def __xor__(self, other):
        value = self._operand(other)
        if value is None:
            return NotImplemented
        return self.__class__(self._value_ ^ value)

    __ror__ = __or__
    __rand__ = __and__
    __rxor__ = __xor__

    def __invert__(self):
        return self.__class__(self._flag_mask_ ^ self._value_)


class IntFlag(int, ReprEnum, Flag):
    """Support for integer-based Flags"""

    __or__ = Flag.__or__
    __and__ = Flag.__and__
    __xor__ = Flag.__xor__
    __ror__ = Flag.__ror__
    __rand__ = Flag.__rand__
    __rxor__ = Flag.__rxor__
    __invert__ = Flag.__invert__
    __repr__ = Flag.__repr__


def unique(enumeration):
    """Class decorator for enumerations ensuring unique member values."""
    duplicates = []
    for name, member in enumeration.__members__.items():
        if name != member.name:
            duplicates.append((name, member.name))
    if duplicates:
        alias_details = ", ".join(["%s -> %s" % (alias, name) for (alias, name) in duplicates])
        raise ValueError("duplicate values found in %r: %s" % (enumeration, alias_details))
    return enumeration
`;

const FILENAME = "<enum>";

/** The module's code, shared by every interpreter (read at the first import). */
let compiled: CodeUnit | undefined;

/**
 * The module's source compiled and serialized: what scripts/precompile.ts stores in
 * enum.compiled.ts (the interpreter loads that rather than compiling the source at each
 * import).
 */
export function precompiledEnum(): string {
  return precompileSource(SOURCE, FILENAME);
}

/**
 * The \`enum\` module (a new reference): \`_mappingproxy\` (\`types.MappingProxyType\`, for
 * \`__members__\`) defined, then its Python source run in its namespace.
 */
export function enumModule(b: Protocols): Ref {
  compiled ??= deserializeCode(ENUM_COMPILED);
  return pythonModule(
    b,
    {
      name: "enum",
      filename: FILENAME,
      source: SOURCE,
      natives: { _mappingproxy: (a) => b.mappingProxy(a[0]!) },
    },
    compiled,
  );
}
