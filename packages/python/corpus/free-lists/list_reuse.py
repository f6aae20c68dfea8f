# List objects are recycled through their own free list, independently of their contents.
k = 1
first = [k, k, k]
first_id = id(first)
del first
# A list of a different length still reuses the list object (the item array is separate).
second = [k, k, k, k, k, k, k]
print("list object reused:", id(second) == first_id)

# A list comprehension's result is also a list object from the free list.
second_id = id(second)
del second
third = [i * k for i in range(5)]
print("comprehension reuses it:", id(third) == second_id)
