# A tuple is tracked when made, and a collection untracks it once it holds only untracked items.
import gc

k = 5
t = (k, "five", 5.0)
print("new tuple:", gc.is_tracked(t))
gc.collect()
print("after collect:", gc.is_tracked(t))

holder = (k, [k])
gc.collect()
# It contains a list, which might one day point back at it: it must stay tracked.
print("tuple holding a list:", gc.is_tracked(holder))
print("empty tuple:", gc.is_tracked(()))
