# An object created in a function survives the return because the caller takes the reference.
import sys


def make():
    fresh = {"made": True}
    # Local name plus the argument.
    print("inside make:", sys.getrefcount(fresh))
    return fresh


result = make()
# The local is gone; only the caller's name remains (plus the argument).
print("after return:", sys.getrefcount(result))


def make_and_keep(store):
    obj = [0]
    store.append(obj)
    return obj


kept = []
again = make_and_keep(kept)
print("kept and named:", sys.getrefcount(again))
