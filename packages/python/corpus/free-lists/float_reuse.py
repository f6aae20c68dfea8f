# A freed float goes onto the float free list; the next float created takes the same memory.
k = 3
x = 1.5 * k
old_id = id(x)
del x
# The new float is served from the free list: same address, so the same id.
y = 2.5 * k
print("same id after del:", id(y) == old_id)
print("value is new:", y)

# While both are alive they can never share an id.
z = 0.5 * k
print("two live floats share an id:", id(y) == id(z))
