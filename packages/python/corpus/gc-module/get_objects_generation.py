# gc.get_objects(generation) lists one generation's tracked objects; -1 or None means all.
import gc


def where(obj):
    """The generations whose object lists hold obj."""
    return [g for g in range(3) if any(o is obj for o in gc.get_objects(g))]


gc.collect()
a = [1, 2]
b = {"x": []}
print("new list and dict:", where(a), where(b))
gc.collect(0)
print("after collect(0):", where(a))
gc.collect(1)
print("after collect(1):", where(a))
print("in get_objects():", any(o is a for o in gc.get_objects()))
print("in get_objects(-1):", any(o is a for o in gc.get_objects(-1)))
print("in get_objects(None):", any(o is a for o in gc.get_objects(generation=None)))

# Untracked objects are in no generation: a tuple of ints once a collection has looked at it.
t = tuple([1, 2])
print("tuple of ints before a collection:", where(t))
gc.collect()
print("after:", where(t))

for bad in (3, -2, 2.0, "1", 2**70):
    try:
        gc.get_objects(bad)
    except (ValueError, TypeError, OverflowError) as e:
        print(repr(bad), type(e).__name__, e)
