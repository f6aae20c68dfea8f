# A subclass of property gets a __weakref__ slot and a managed __dict__ (property has
# neither); classmethod and staticmethod already carry a __dict__ of their own, so their
# subclasses add only the __weakref__ slot. All of them are tracked by the collector.
import gc
import sys


class Prop(property):
    pass


class ClassMeth(classmethod):
    pass


class StaticMeth(staticmethod):
    pass


def f():
    pass


for made in (property(f), Prop(f), classmethod(f), ClassMeth(f), staticmethod(f), StaticMeth(f)):
    print(f"{type(made).__name__:12}", sys.getsizeof(made), gc.is_tracked(made))
