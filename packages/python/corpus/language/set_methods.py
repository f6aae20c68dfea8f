# Set algebra: union, intersection, difference, symmetric difference, subsets.
a = {1, 2, 3, 4, 5}
b = {4, 5, 6, 7}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b))
print(sorted(a.union([10])), sorted(a.intersection(range(3))))
print({1, 2} <= a, {1, 2} < {1, 2}, a.isdisjoint({8, 9}), a.issuperset({1}))
s = set()
for n in [3, 1, 3, 2, 1]:
    s.add(n)
print(sorted(s), len(s))
s.discard(10)
s.remove(1)
print(sorted(s))
try:
    s.remove(10)
except KeyError as e:
    print("KeyError:", e)
print(sorted(set("mississippi")), len(set([1, 1, 2])))
print(sorted({x % 4 for x in range(20)}))
