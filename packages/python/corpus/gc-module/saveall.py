# With DEBUG_SAVEALL, unreachable objects are saved in gc.garbage instead of being freed.
import gc

gc.collect()
gc.set_debug(gc.DEBUG_SAVEALL)
print("debug flags:", gc.get_debug() == gc.DEBUG_SAVEALL)
x = [1]
y = {"x": x}
x.append(y)
del x, y
print("collected:", gc.collect())
print("saved:", len(gc.garbage))
print("types:", sorted(type(o).__name__ for o in gc.garbage))
gc.set_debug(0)
gc.garbage.clear()
print("garbage cleared:", len(gc.garbage))
