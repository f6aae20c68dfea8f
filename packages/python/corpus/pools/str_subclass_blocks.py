# A str is one allocation: a header and its characters together (a "compact" string). An
# instance of a str subclass is two: the object, then its characters in a block of their
# own. A dict for its attributes (the dict and its key table) is made only when the first
# attribute is set. Calling the class also packs its arguments in a tuple, which then waits
# on the tuple free list: one more block each time.
import gc
import sys


class Text(str):
    pass


def cost(make):
    # A full collection also empties the free lists, so every allocation below is fresh.
    gc.collect()
    # CPython's method cache keeps alive the attribute names it caches; clearing it frees
    # stale names now rather than at a later cache eviction in the middle of a measurement.
    sys._clear_type_cache()
    before = sys.getallocatedblocks()
    obj = make()
    after = sys.getallocatedblocks()
    # Subtract the block of the int stored in `before`.
    return after - before - 1


source = "some words here"
cost(lambda: source.upper())
print("a str:", cost(lambda: source.upper()), "block(s)")
print("a Text, and the argument tuple:", cost(lambda: Text(source)), "block(s)")
print("a long Text, and the tuple:", cost(lambda: Text(source * 100)), "block(s)")


def labelled():
    t = Text(source)
    t.label = "x"
    return t


print("a Text with an attribute, and the tuple:", cost(labelled), "block(s)")
