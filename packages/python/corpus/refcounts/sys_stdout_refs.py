# sys.stdout is an object like any other: the sys module holds it twice (as `stdout` and as
# `__stdout__`, the original kept for restoring), and nothing else does, so a program that
# drops both entries and every other reference frees it. print() then has no stream to write
# to and says so. sys.stderr is held once more, by the interpreter itself.
import sys
import weakref

print("sys.stdout:", sys.getrefcount(sys.stdout))
print("sys.stderr:", sys.getrefcount(sys.stderr))
print("sys.stdin:", sys.getrefcount(sys.stdin))

console = weakref.ref(sys.stdout)
mine = sys.stdout
del sys.stdout
mine.write(f"still there while a name holds it: {console() is mine}\n")
sys.stdout = mine
del mine
print("held by sys again:", sys.getrefcount(sys.stdout))

# Take it out of sys: only a bound write method still holds the stream.
saved = sys.stdout.write
del sys.stdout
del sys.__stdout__
try:
    print("nowhere to go")
    outcome = "printed"
except RuntimeError as error:
    outcome = f"RuntimeError: {error}"
held = sys.getrefcount(saved.__self__)
sys.stdout = saved.__self__
del saved
print(outcome)
print("references while only the method held it:", held)
print("the same stream:", console() is sys.stdout)
print("now held only by sys.stdout:", sys.getrefcount(sys.stdout))
