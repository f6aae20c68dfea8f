# contextlib: a generator that yields once becomes a context manager. While the with block
# runs, the suspended generator's frame holds the resource; when the block ends, the rest of
# the generator runs (its finally) and the frame, with everything it held, is freed. An
# ExitStack unwinds what it entered last in, first out, even when one of them raises.
import gc
import sys
import weakref
from contextlib import ExitStack, closing, contextmanager, nullcontext, suppress


class Resource:
    def __init__(self, name):
        self.name = name

    def close(self):
        print("close", self.name)

    def __del__(self):
        print("del", self.name)


@contextmanager
def opened(name):
    "Open a resource, close it after."
    resource = Resource(name)
    try:
        yield resource
    except KeyError as e:
        print("handled", repr(e))
    finally:
        resource.close()


with opened("a") as r:
    watch = weakref.ref(r)
    # the name r, the generator frame's local, getrefcount's argument
    print("inside", r.name, sys.getrefcount(r))
    del r
print("after the block:", watch())

with opened("b"):
    raise KeyError("k")
try:
    with opened("c"):
        raise ValueError("v")
except ValueError as e:
    print("propagated", e)
print(opened.__name__, opened.__doc__, opened.__wrapped__.__name__)


@opened("decorator")
def work(x):
    print("working", x)
    return x * 2


print(work(21))

with closing(Resource("d")) as d:
    print("using", d.name)
del d
with suppress(ZeroDivisionError):
    1 / 0
print("after suppress")
with nullcontext(5) as five:
    print(five)

with ExitStack() as stack:
    for i in range(3):
        stack.enter_context(opened(f"s{i}"))
    stack.callback(print, "callback ran first")
    print("stack body")
with ExitStack() as stack:
    stack.push(lambda *exc: print("push saw", exc[0].__name__) or True)
    raise IndexError("x")
print("done", gc.collect())
