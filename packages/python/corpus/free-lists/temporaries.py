# Temporaries die at once, so two temporaries in a row often reuse the same address.
k = 7
# The first float is freed as soon as id() returns; the second takes its slot.
print("float temporaries:", id(k * 1.0) == id(k * 2.0))
# The same happens with lists.
print("list temporaries:", id([k]) == id([k, k]))
# Keeping the first one alive prevents the reuse.
kept = k * 1.0
print("kept vs temporary:", id(kept) == id(k * 2.0))
