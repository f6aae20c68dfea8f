# A function's name, qualified name, doc, module, defaults and dict are fields a program can
# set, as a decorator does when it copies them from the function it wraps; CPython checks
# their types, and __globals__ and __closure__ cannot be set at all.
import sys


def deco(fn):
    def wrapper(*args, **kwargs):
        print("calling", wrapper.__name__)
        return fn(*args, **kwargs)

    for name in ("__module__", "__name__", "__qualname__", "__doc__"):
        setattr(wrapper, name, getattr(fn, name))
    wrapper.__dict__.update(fn.__dict__)
    wrapper.__wrapped__ = fn  # the wrapper's dict now keeps the original function alive
    return wrapper


@deco
def greet(who, greeting="hello"):
    "Say hello."
    return greeting + " " + who


print(greet("bob"), greet.__name__, greet.__qualname__, greet.__doc__, greet.__module__)
original = greet.__wrapped__
print(original("ann"), sys.getrefcount(original) - 1)  # the name, the wrapper's closure cell and its dict

original.__defaults__ = ("hi",)
print(original("cy"), original.__defaults__)
original.__defaults__ = None
try:
    original("dee")
except TypeError as e:
    print("TypeError:", e)

original.__dict__ = {"calls": 0}
original.calls += 1
print(original.calls, original.__dict__)

for name, value in [("__name__", 3), ("__qualname__", None), ("__defaults__", [1]),
                    ("__kwdefaults__", 5), ("__code__", 1), ("__globals__", {}),
                    ("__closure__", None), ("__dict__", 3)]:
    try:
        setattr(original, name, value)
    except (TypeError, AttributeError) as e:
        print(type(e).__name__ + ":", name, "-", e)
