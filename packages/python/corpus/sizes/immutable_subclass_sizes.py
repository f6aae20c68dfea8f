# What a subclass of an immutable built-in costs. int and tuple objects vary in size, so
# their subclasses get no __weakref__ slot and keep the instance dict's pointer after the
# items. A str subclass is not a compact string: its 80-byte object points to the characters
# in a block of their own. float gets a __weakref__ slot and the managed-dict header.
# __slots__ = () leaves the dict out.
import sys


class I(int):
    pass


class S(str):
    pass


class T(tuple):
    pass


class F(float):
    pass


class BareI(int):
    __slots__ = ()


class BareS(str):
    __slots__ = ()


class BareT(tuple):
    __slots__ = ()


class BareF(float):
    __slots__ = ()


for value in [0, 5, 2**40, 2**70, -12]:
    print("int", value, sys.getsizeof(value), sys.getsizeof(I(value)), sys.getsizeof(BareI(value)))
for value in ["", "a", "abc", "é", "€uro", "x" * 50]:
    print("str", repr(value), sys.getsizeof(value), sys.getsizeof(S(value)), sys.getsizeof(BareS(value)))
for value in [(), (1,), (1, 2, 3)]:
    print("tuple", value, sys.getsizeof(value), sys.getsizeof(T(value)), sys.getsizeof(BareT(value)))
print("float", sys.getsizeof(1.5), sys.getsizeof(F(1.5)), sys.getsizeof(BareF(1.5)))

i = I(7)
before = sys.getsizeof(i)
i.label = "seven"
print("an attribute lives in the dict, not the int:", sys.getsizeof(i) == before)
