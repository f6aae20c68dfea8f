# An instance stored on its own class makes a cycle: class -> instance -> class.
import gc
import weakref


class Registry:
    def __del__(self):
        print("registry instance finalized")


Registry.default = Registry()
cls_ref = weakref.ref(Registry)
obj_ref = weakref.ref(Registry.default)
del Registry
print("after del, class alive:", cls_ref() is not None, "instance alive:", obj_ref() is not None)
gc.collect()
print("after collect, class alive:", cls_ref() is not None, "instance alive:", obj_ref() is not None)


# The same through a local class made in a function: every call leaves a cycle behind.
def make():
    class Local:
        pass

    Local.me = Local()
    return weakref.ref(Local)


refs = [make() for _ in range(3)]
print("local classes alive:", sum(r() is not None for r in refs))
gc.collect()
print("after collect:", sum(r() is not None for r in refs))
