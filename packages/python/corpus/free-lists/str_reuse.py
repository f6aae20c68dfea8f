# Strings have no free list; a freed str's block is reused by the next object of the same size class.
k = 3
s = "ab" * k
s_id = id(s)
del s
t = "cd" * k
print("same length str reuses the block:", id(t) == s_id)
print("value:", t)
