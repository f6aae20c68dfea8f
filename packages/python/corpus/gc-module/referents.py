# gc.get_referents lists the objects a container refers to directly.
import gc

a = [1]
b = [2]
print("list of three:", len(gc.get_referents([a, b, a])))
# A dict whose keys are all strs reports only its values: str keys cannot form cycles.
print("dict of two, str keys:", len(gc.get_referents({"x": a, "y": b})))
print("dict of two, int keys:", len(gc.get_referents({1: a, 2: b})))
print("tuple:", len(gc.get_referents((a, b))))
print("nested lists are not followed:", len(gc.get_referents([[a, b]])))
print("several at once:", len(gc.get_referents([a], [b], [a, b])))
