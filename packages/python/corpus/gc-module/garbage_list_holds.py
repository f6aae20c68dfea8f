# gc.garbage is an ordinary list: it alone holds what DEBUG_SAVEALL saved, and clearing it
# leaves the saved cycles to the next collection.
import gc
import sys

gc.collect()
gc.set_debug(gc.DEBUG_SAVEALL)
a = []
a.append(a)  # a cycle: only the collector can find it
del a
print("found:", gc.collect(), "saved:", len(gc.garbage))
saved = gc.garbage[0]
# References: the name, the list's own item (the cycle), gc.garbage's item, the argument.
print("refcount:", sys.getrefcount(saved))
print("gc.garbage refers to it:", any(r is gc.garbage for r in gc.get_referrers(saved)))
del saved
gc.garbage.clear()
# Still a cycle, now unreachable: the next collection finds it again (and saves it again).
print("found again:", gc.collect(), [type(o).__name__ for o in gc.garbage])
gc.set_debug(0)
gc.garbage.clear()
print("freed for good:", gc.collect(), gc.garbage)
