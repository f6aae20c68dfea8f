# The program itself is a module, `__main__`: its global variables are that module's
# attributes, held by the module's dict, and `import __main__` hands back the same object
# start-up registered, before or after the program reads sys.modules.
import __main__

counter = 41
print("a global is a module attribute:", __main__.counter == counter)
__main__.counter += 1
print("setting the attribute sets the global:", counter)
print("globals() is the module's dict:", globals() is __main__.__dict__)

import sys

print("sys.modules names the same module:", sys.modules["__main__"] is __main__)
# References: the global name `__main__`, sys.modules' entry, the one the interpreter's
# start-up holds while it runs the program's file, and getrefcount's argument.
print("references to the main module:", sys.getrefcount(__main__))
del __main__
import __main__ as again

print("imported again, the same object:", again is sys.modules["__main__"])
