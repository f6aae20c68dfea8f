# weakref.ref(obj.method) dies at once: the bound method is a temporary. WeakMethod is a ref
# subclass that refers to the object and watches the function, and rebuilds the method on call.
import gc
import sys
import weakref


class Sensor:
    def __init__(self, name):
        self.name = name

    def read(self):
        return self.name + " ok"


s = Sensor("t1")
plain = weakref.ref(s.read)
print("plain ref to a bound method:", plain())

wm = weakref.WeakMethod(s.read, lambda r: print("callback: method gone"))
print("isinstance of ref:", isinstance(wm, weakref.ref), type(wm).__mro__[1].__name__)
print("size:", sys.getsizeof(wm), "plain ref:", sys.getsizeof(weakref.ref(s)))
print("tracked:", gc.is_tracked(wm), "refs to s:", weakref.getweakrefcount(s))
print("call:", wm()(), wm() == s.read, hash(wm) == hash(s))

del s
print("after del:", wm())
