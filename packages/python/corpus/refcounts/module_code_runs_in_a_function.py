# Module-level code runs as if in a function: CPython 3.11 makes a function
# object for a module's code (the main module, exec, eval) and the running
# frame holds it and its locals dict, so a namespace dict has more references
# while code runs in it than afterwards.
import sys

# At module level: the module, the function, the frame's locals and the argument.
print("main module globals:", sys.getrefcount(globals()))

ns = {"sys": sys}
print("before exec:", sys.getrefcount(ns))
exec("print('exec, globals as locals:', sys.getrefcount(globals()))", ns)
exec("print('exec, separate locals:', sys.getrefcount(globals()))", ns, {})

loc = {}
exec("print('exec, the locals dict:', sys.getrefcount(locals()))", ns, loc)
print("eval:", eval("sys.getrefcount(globals())", ns))
print("eval, separate locals:", eval("sys.getrefcount(globals())", ns, loc))

code = compile("sys.getrefcount(globals())", "<refs>", "eval")
print("compiled code:", eval(code, ns))
# The code object running is held by the function and by the frame too.
runs = compile("sys.getrefcount(me)", "<me>", "eval")
print("the code object while it runs:", eval(runs, ns, {"me": runs}))
print("the code object afterwards:", sys.getrefcount(runs))

# The function is gone once the code returns: the dict is back where it was.
print("after:", sys.getrefcount(ns))

# An exception leaving exec'd code releases the function and the locals too.
try:
    exec("1 / 0", ns, loc)
except ZeroDivisionError:
    pass
print("after a failed exec:", sys.getrefcount(ns), sys.getrefcount(loc))
