# A generator keeps the exception it is handling while paused: sys.exc_info() is per generator.
import sys


def name():
    exc = sys.exc_info()[1]
    return None if exc is None else type(exc).__name__


def handler():
    try:
        raise ValueError("inside the generator")
    except ValueError:
        print("generator handling:", name())
        yield "paused inside except"
        # Resumed from a caller handling something else: its own exception is back.
        print("generator resumed, handling:", name())
        yield "still inside except"
    print("generator after except:", name())
    yield "after except"


g = handler()
print(next(g))
print("caller after first next:", name())
try:
    raise KeyError("in the caller")
except KeyError:
    print("caller handling:", name())
    print(next(g))
    print("caller still handling:", name())
print(next(g))
print("caller at the end:", name())


# A generator handling nothing of its own sees what its caller is handling, and a bare raise
# inside it re-raises that.
def onlooker():
    print("onlooker sees:", name())
    yield
    try:
        raise
    except TypeError as exc:
        print("bare raise re-raised the caller's", type(exc).__name__)
    yield


h = onlooker()
try:
    raise TypeError("the caller's")
except TypeError:
    next(h)
    next(h)


# The paused generator's exception is a reference the generator holds.
def keeper(box):
    try:
        raise box.pop()
    except LookupError:
        yield


err = IndexError("kept")
before = sys.getrefcount(err)
k = keeper([err])
next(k)
print("while paused in except: +", sys.getrefcount(err) - before, sep="")
k.close()
print("after close: +", sys.getrefcount(err) - before, sep="")
