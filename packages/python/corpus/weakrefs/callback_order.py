# When several weakrefs with callbacks die together, the newest callback runs first.
import weakref


class Obj:
    pass


def make_callback(label):
    return lambda ref: print("callback", label)


o = Obj()
refs = [weakref.ref(o, make_callback(n)) for n in ["first", "second", "third"]]
print("deleting")
del o
print("done")
