# sys.stdout is a file object too: a TextIOWrapper over the file of descriptor 1 (its layers
# below depend on how python3 was started, buffered or not). print() writes through whatever object sys.stdout names, so assigning one with
# a write() method captures the output, and None silences it.
import gc
import io
import sys

print("a", end="")
print(sys.stdout.write("b"), end="")
sys.stdout.write("c\n")
out = sys.stdout
print(type(out).__name__, out.name, out.mode, out.encoding, "tracked:", gc.is_tracked(out))
print("fds:", sys.stdout.fileno(), sys.stderr.fileno(), "same as __stdout__:", out is sys.__stdout__)
print("writable:", out.writable(), "readable:", out.readable())
try:
    out.read()
except io.UnsupportedOperation as e:
    print("UnsupportedOperation:", e)


class Upper:
    def write(self, s):
        sys.__stdout__.write(s.upper())


sys.stdout = Upper()
print("shouted", 1)
sys.stdout = None
print("print does nothing while sys.stdout is None")
sys.stdout = sys.__stdout__
print("file=None means sys.stdout", file=None)


class NoWrite:
    pass


sys.stdout = NoWrite()
try:
    print("x")
except AttributeError as e:
    sys.stdout = sys.__stdout__
    print("AttributeError:", e)
