# What an instance of a class with several bases costs: its layout is its best base's (the
# base whose solid base extends the others'), plus what type_new adds: a __weakref__ slot and
# the managed-dict header unless the base has them. Mixins without __slots__ add nothing to
# the instance, and the class object is the same 1,688 bytes whatever its bases.
import gc
import sys


class Mixin:
    def hello(self):
        return "hello from " + type(self).__name__


class Slotted:
    __slots__ = ("a", "b")


class ListMixin(list, Mixin):
    pass


class DictMixin(Mixin, dict):
    pass


class ErrorMixin(ValueError, Mixin):
    pass


class SlottedMixin(Slotted, Mixin):
    pass


class SlotsOnly(Slotted, Mixin):
    __slots__ = ("c",)


class TwoMixins(Mixin, Slotted):
    __slots__ = ()


for cls in (Mixin, Slotted, ListMixin, DictMixin, ErrorMixin, SlottedMixin, SlotsOnly, TwoMixins):
    o = cls()
    print(cls.__name__, cls.__base__.__name__, sys.getsizeof(o), gc.is_tracked(o), sys.getsizeof(cls))
    print("  ", hasattr(o, "__dict__"), hasattr(o, "__weakref__"), sys.getrefcount(o), sys.getrefcount(cls))
print(ListMixin([1]).hello(), DictMixin(a=1).hello(), ErrorMixin("e").hello())
