# hash() of a deeply nested tuple is computed, while == of two deep nests hits the recursion limit.
# tuplehash walks nested tuples without counting toward the recursion limit, so a tuple nested
# 100,000 deep has a hash; each level of == is a rich comparison that counts like a call.
def nest(depth):
    t = ()
    for _ in range(depth):
        t = (t,)
    return t


deep = nest(100_000)
print("hash of a tuple nested 100,000 deep:", hash(deep) == hash(nest(100_000)))
print("a deep nest equals itself (the identity shortcut):", deep == deep)
print("two nests 50 deep are equal:", nest(50) == nest(50))
try:
    nest(5_000) == nest(5_000)
except RecursionError as error:
    print("RecursionError:", error)
