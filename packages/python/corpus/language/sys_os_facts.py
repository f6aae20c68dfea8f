# sys and os describe the interpreter and its process: which Python this is, the platform's
# limits, how the interpreter was started (sys.flags), and the environment variables a program
# reads with os.environ and os.getenv.
import os
import sys

print(sys.implementation.name, sys.implementation.cache_tag)
print(sys.version_info >= (3, 11), sys.version_info[:2], sys.implementation.version.major)
print(sys.platform, sys.byteorder, sys.maxsize == 2**63 - 1)
print(sys.flags.optimize, sys.flags.dev_mode, sys.flags.int_max_str_digits)
print(os.name, os.sep, os.pathsep, repr(os.linesep), os.curdir, os.pardir)
print(isinstance(os.getpid(), int))

os.environ["LESSON_COLOR"] = "teal"
print(os.environ["LESSON_COLOR"], os.getenv("LESSON_COLOR"), "LESSON_COLOR" in os.environ)
print(os.getenv("LESSON_MISSING"), os.getenv("LESSON_MISSING", "default"))
print(os.environ.pop("LESSON_COLOR"), os.environ.get("LESSON_COLOR", "gone"))
try:
    os.environ["LESSON_MISSING"]
except KeyError as e:
    print("KeyError:", e)
try:
    os.environ["LESSON_NUMBER"] = 3
except TypeError as e:
    print("TypeError:", e)
print(os.path.join("data", "raw", "a.csv"), os.path.basename("/tmp/x.txt"), os.path.dirname("/tmp/x.txt"))
