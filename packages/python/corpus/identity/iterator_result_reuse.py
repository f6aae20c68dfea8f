# enumerate, zip and dict.items() hand out their last result tuple again when nobody holds it.
# Each of these iterators keeps one result tuple; if the loop body dropped the tuple it was given,
# the next step refills that same tuple in place instead of allocating a new one.
pairs = enumerate("abcd")
first = next(pairs)
first_id = id(first)
del first
second = next(pairs)
print("enumerate reuses a dropped result:", id(second) == first_id)
third = next(pairs)
print("but not one still held:", third is not second)

z = zip("xyz", [1, 2, 3])
a = next(z)
b = next(z)
print("zip: two held results are two tuples:", a is not b)
a_id = id(a)
del a, b
c = next(z)
print("zip: after both are dropped, its own tuple again:", id(c) == a_id)

ids = []
d = {"k1": 1, "k2": 2, "k3": 3}
for pair in d.items():
    ids.append(id(pair))
    del pair
print("one tuple for every step when each is dropped:", len(set(ids)))
