# str.join reads a list or a tuple in place; any other iterable it first copies into a list,
# which grows as list() grows it and is freed once the result is made.
import sys
import tracemalloc

# Forty words keep every array under 512 bytes, where pymalloc serves it the same way on every
# run; a larger one comes from the C allocator, which may grow it in place or move it.
words = [str(i) * 3 for i in range(40)]
ups = [w.upper() for w in words]


def extra_peak(make):
    source = make()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    joined = "-".join(source)
    return tracemalloc.get_traced_memory()[1] - before - sys.getsizeof(joined)


tracemalloc.start()
extra_peak(lambda: words)  # warm up
print("list:", extra_peak(lambda: words))
print("tuple:", extra_peak(lambda: tuple(words)))
print("iterator of a list:", extra_peak(lambda: iter(words)))
print("reversed list:", extra_peak(lambda: reversed(words)))
print("dict keys:", extra_peak(lambda: dict.fromkeys(words)))
tracemalloc.stop()
