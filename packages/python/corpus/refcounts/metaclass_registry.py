# A metaclass that keeps every class it makes in a list holds those classes alive: deleting the
# class statement's name leaves the registry's reference. A registry of weak references does
# not: once the name goes, the class (in a cycle with its own __mro__) dies at the next collection.
import gc
import sys
import weakref


class Registered(type):
    classes = []

    def __new__(mcls, name, bases, namespace):
        cls = super().__new__(mcls, name, bases, namespace)
        mcls.classes.append(cls)
        return cls


class WeaklyRegistered(type):
    classes = []

    def __new__(mcls, name, bases, namespace):
        cls = super().__new__(mcls, name, bases, namespace)
        mcls.classes.append(weakref.ref(cls))
        return cls


class Strong(metaclass=Registered):
    pass


class Weak(metaclass=WeaklyRegistered):
    pass


gc.collect()
strong_before = sys.getrefcount(Strong)
Registered.classes.append(Strong)
print("a second list entry adds", sys.getrefcount(Strong) - strong_before)
Registered.classes.pop()

weak_before = sys.getrefcount(Weak)
probe = weakref.ref(Weak)
print("a weak reference adds", sys.getrefcount(Weak) - weak_before)

del Strong
del Weak
gc.collect()
print("strong registry still holds:", [c.__name__ for c in Registered.classes])
print("weak registry's class alive:", [r() is not None for r in WeaklyRegistered.classes])
print("probe dead:", probe() is None)
