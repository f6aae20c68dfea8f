# Code run by exec() in a namespace dict defines its functions there, and every such function
# holds that dict as its __globals__: the namespace lives as long as any of its functions does,
# even after the program drops its own name for it. The compiled code object is not tracked by
# the collector and goes when its last reference does.
import gc
import sys

ns = {}
exec("def greet(name):\n    return 'hello ' + name\nCOUNT = 3", ns)
greet = ns["greet"]
print(greet.__globals__ is ns, sys.getrefcount(ns))
del ns
print(greet("ann"), sorted(k for k in greet.__globals__ if k != "__builtins__"))
print(sys.getrefcount(greet.__globals__))

code = compile("value = 6 * 7", "<calc>", "exec")
print(gc.is_tracked(code), sys.getrefcount(code))
scope = {}
exec(code, scope)
print(scope["value"], sys.getrefcount(code))
del code

# Each run compiles the text again, and nothing of it piles up: a hundred runs leave what one does.
exec("t = (1, 2)", {})
blocks = sys.getallocatedblocks()
for _ in range(100):
    exec("t = (1, 2)", {})
print(sys.getallocatedblocks() - blocks)
