# Some exceptions carry more than their args: the fields their C struct adds count in their size.
import gc
import sys
import weakref

# BaseException holds a dict, args, notes, a traceback, a cause and a context: 88 bytes.
print("Exception", sys.getsizeof(Exception("x")))

# StopIteration keeps the generator's return value; SystemExit its exit code.
print("StopIteration", sys.getsizeof(StopIteration(42)), StopIteration(42).value)
print("SystemExit", sys.getsizeof(SystemExit(3)), SystemExit(3).code, SystemExit(1, 2).code)

# ImportError keeps msg, name and path; NameError the missing name; AttributeError name and obj.
print("ImportError", sys.getsizeof(ImportError("m")))
print("NameError", sys.getsizeof(NameError("n")))
print("AttributeError", sys.getsizeof(AttributeError("a")))
print("OSError", sys.getsizeof(OSError()))
print("SyntaxError", sys.getsizeof(SyntaxError()))

# The fields are references the collector follows: get_referents lists them before the args.
err = ImportError("no luck", name="somewhere", path="/nowhere")
print(gc.get_referents(err))
print(err.msg, err.name, err.path)


def generator():
    yield 1
    return "finished"


g = generator()
next(g)
try:
    next(g)
except StopIteration as stop:
    print("returned", stop.value, stop.args)

try:
    undefined_name
except NameError as missing:
    print("missing", missing.name)

# An OSError made with a known errno becomes the matching subclass, and keeps errno and strerror
# in args while the file name moves to its own field.
oops = OSError(2, "No such file or directory", "data.txt")
print(type(oops).__name__, oops.args, oops.filename, str(oops))

# Built-in exceptions take no weak references; a subclass adds the __weakref__ slot (8 bytes).
class AppError(Exception):
    pass


print("AppError", sys.getsizeof(AppError()), sys.getsizeof(Exception()))
print(weakref.ref(AppError()) is not None)
try:
    weakref.ref(ValueError())
except TypeError as refused:
    print(refused)
