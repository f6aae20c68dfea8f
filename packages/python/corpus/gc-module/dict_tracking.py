# A dict stays untracked while it holds only atomic values, and becomes tracked when given a container.
import gc

d = {}
print("empty:", gc.is_tracked(d))
d["n"] = 1
d["s"] = "str"
print("atomic values:", gc.is_tracked(d))
d["lst"] = []
print("after storing a list:", gc.is_tracked(d))
# Removing the list does not untrack it again.
del d["lst"]
print("after removing it:", gc.is_tracked(d))
# A dict display of containers is tracked from the start.
print("display with a list:", gc.is_tracked({"a": [1]}))
