# A function is its code object plus what it captured: the code lists the names, the closure's
# cells hold the captured values (each cell one reference), and the flags record what kind of
# function the compiler made.
import sys


def make_counter(start):
    count = start

    def step(by=1):
        nonlocal count
        count += by
        return count

    return step


tick = make_counter(10)
tick()
tick(5)
code = tick.__code__
print(code.co_name, code.co_qualname, code.co_argcount, code.co_nlocals)
print(code.co_varnames, code.co_freevars, make_counter.__code__.co_cellvars)
cell = tick.__closure__[0]
print(type(cell).__name__, cell.cell_contents, tick())

# The cell, not the frame, keeps a captured object alive after make_counter returned.
payload = [1, 2, 3]
before = sys.getrefcount(payload)


def capture(obj):
    return lambda: obj


held = capture(payload)
print(sys.getrefcount(payload) - before, held.__closure__[0].cell_contents is payload)
del held
print(sys.getrefcount(payload) - before)

# A name read before it is bound: the cell exists but is empty.
def too_early():
    def read():
        return late
    cell = read.__closure__[0]
    try:
        cell.cell_contents
    except ValueError as error:
        print("ValueError:", error)
    late = "bound"
    return cell.cell_contents


print(too_early())

# co_flags: 1 optimized, 2 new locals, 4 *args, 8 **kwargs, 16 nested, 32 generator.
def outer(*args, **kwargs):
    def inner():
        yield args
    return inner


class Shape:
    def area(self):
        return 0


print(outer.__code__.co_flags, outer().__code__.co_flags, Shape.area.__code__.co_flags)
print((lambda: 0).__code__.co_flags, (x for x in ()).gi_code.co_flags)
print(code.co_varnames is code.co_varnames, code.co_names is code.co_names)
