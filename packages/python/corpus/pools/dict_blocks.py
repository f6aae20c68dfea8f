# An empty dict shares one immutable empty key table; the first insertion allocates a real one.
import gc
import sys


def cost(make):
    gc.collect()
    # CPython's method cache keeps alive the attribute names it caches; clearing it frees
    # stale names now rather than at a later cache eviction in the middle of a measurement.
    sys._clear_type_cache()
    before = sys.getallocatedblocks()
    obj = make()
    after = sys.getallocatedblocks()
    return after - before - 1


def one_entry():
    d = {}
    d["key"] = "value"
    return d


def cleared():
    d = one_entry()
    d.clear()
    return d


cost(dict)  # warm up
print("empty dict:", cost(dict))
print("dict with one entry:", cost(one_entry))
# clear() returns to the shared empty table; the small real table is parked on the
# key-table free list, so its block stays allocated.
print("cleared dict:", cost(cleared))
