# PEP 479: a StopIteration escaping a generator's body becomes RuntimeError, chained to it.
def leaky(it):
    yield next(it)  # next() of an exhausted iterator raises StopIteration
    yield next(it)


try:
    print(list(leaky(iter([1]))))
except RuntimeError as e:
    print("RuntimeError:", e)
    print("caused by:", repr(e.__cause__))


def fixed(it):
    for v in it:  # the for loop consumes the StopIteration
        yield v
    return "the return value goes in StopIteration"


f = fixed(iter([1]))
print(next(f))
try:
    next(f)
except StopIteration as stop:
    print("value:", stop.value)
