# contextlib.redirect_stdout swaps sys.stdout for the block: print() writes to whatever object
# sys.stdout is, here a StringIO that keeps the text, and the real stdout comes back after.
import io
import sys
from contextlib import redirect_stderr, redirect_stdout

real = sys.stdout
buf = io.StringIO()
with redirect_stdout(buf) as target:
    print("captured", 1, 2)
    print("is the target:", target is buf, sys.stdout is buf)
    sys.stdout.write("written directly\n")
print("back:", sys.stdout is real)
print("captured text:", buf.getvalue().splitlines())


class Collector:
    # Any object with a write() method will do.
    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)


c = Collector()
with redirect_stdout(c):
    print("a", "b", sep="-")
print("pieces print wrote:", c.parts)

# Nested redirections restore each previous target in turn.
outer, inner = io.StringIO(), io.StringIO()
with redirect_stdout(outer):
    print("outer 1")
    with redirect_stdout(inner):
        print("inner")
    print("outer 2")
print(outer.getvalue().split(), inner.getvalue().split())

err = io.StringIO()
with redirect_stderr(err):
    print("to stderr", file=sys.stderr)
print("stderr captured:", repr(err.getvalue()))
print(type(sys.stdout).__name__, sys.stdout.name, sys.stdout.mode, sys.stdout.encoding)
sys.stdout = None
print("dropped: sys.stdout is None")
sys.stdout = sys.__stdout__
print("restored from __stdout__")
