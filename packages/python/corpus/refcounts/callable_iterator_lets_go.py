# iter(callable, sentinel) keeps a reference to the callable and to the sentinel while it runs,
# calling the callable once per item. When the callable returns something equal to the
# sentinel (or raises StopIteration) the iterator drops both at once, even though the iterator
# itself is still alive.
import sys

lines = ["first", "second", "", "never read"]


def read_line():
    return lines.pop(0)


class End:
    def __eq__(self, other):
        return other == ""


end = End()
print("before:", sys.getrefcount(read_line), sys.getrefcount(end))
it = iter(read_line, end)
print("iterator made:", sys.getrefcount(read_line), sys.getrefcount(end))
for line in it:
    print("line:", line, sys.getrefcount(read_line))
print("after the sentinel:", sys.getrefcount(read_line), sys.getrefcount(end), lines)
print("exhausted stays exhausted:", list(it), lines)
