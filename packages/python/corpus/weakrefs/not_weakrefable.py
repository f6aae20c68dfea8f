# Some built-in objects cannot be weakly referenced; the error names the type.
import weakref

for value in [42, "text", (1, 2), [1, 2], {"a": 1}, None]:
    try:
        weakref.ref(value)
        print(type(value).__name__, "ok")
    except TypeError as e:
        print(e)


def func():
    return 1


# Functions, classes and instances of ordinary classes can.
print("function:", weakref.ref(func)() is func)
print("class:", weakref.ref(type(func))() is type(func))
