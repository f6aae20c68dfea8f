# Free lists are stacks: the last float freed is the first one handed out again.
k = 2
a = k * 1.0
b = k * 2.0
c = k * 3.0
ids = [id(a), id(b), id(c)]
# Freed in the order a, b, c: c is on top of the stack.
del a
del b
del c
first = k * 4.0
second = k * 5.0
third = k * 6.0
print("first reuses c:", id(first) == ids[2])
print("second reuses b:", id(second) == ids[1])
print("third reuses a:", id(third) == ids[0])
