# In CPython 3.11 locals() in a function is one dict per call, kept by the frame: each call
# of locals() refreshes it, so a dict read earlier sees later variables. A variable that holds
# the dict puts the dict in itself, a cycle that only the collector frees.
import gc
import sys


def snapshot():
    first = locals()
    count = 1
    second = locals()
    print("same dict:", first is second)
    print("names:", sorted(first))
    # Held by the frame, by `first` and `second`, by its own "first" entry (the dict was
    # refreshed before `second` was bound) and by getrefcount's argument.
    print("refcount:", sys.getrefcount(first))
    first["extra"] = "written"
    try:
        extra
    except NameError:
        print("a name written to the dict is no variable")
    print("still in the dict after locals():", "extra" in locals())
    return count


gc.collect()
snapshot()
print("collected after the call:", gc.collect())
