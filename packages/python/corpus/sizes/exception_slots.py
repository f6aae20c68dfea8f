# __slots__ in an exception class: BaseException's struct (72 bytes, and the GC head) already
# has a __dict__, so a subclass without __slots__ adds only the __weakref__ slot, and one with
# __slots__ adds a member per name, after the base's fields, and no __weakref__ unless listed.
import gc
import sys
import weakref


class Plain(Exception):
    pass


class Coded(Exception):
    __slots__ = ("code", "detail")


class MoreCoded(Coded):
    __slots__ = ("hint",)


class Weak(Exception):
    __slots__ = ("code", "__weakref__")


class Empty(Exception):
    __slots__ = ()


for cls in (Exception, Plain, Coded, MoreCoded, Weak, Empty):
    e = cls("message")
    try:
        weakref.ref(e)
        weak = "weakref ok"
    except TypeError:
        weak = "no weakref"
    print(cls.__name__, sys.getsizeof(e), weak)

# The members live in the instance, the other attributes in its dict.
e = MoreCoded("disk full")
e.code, e.hint = 28, "free some space"
e.when = "now"
print(e.code, e.hint, e.__dict__, e.args)
try:
    e.detail
except AttributeError as err:
    print("AttributeError:", err)
print(type(Coded.__dict__["code"]).__name__, sorted(Coded.__dict__))

# A member holds its value like any reference: released with the exception, and traversed.


class Resource:
    def __del__(self):
        print("resource released")


e.detail = Resource()
del e
print("after del")
e = Coded("cycle")
e.code = e
del e
print("collected", gc.collect())
