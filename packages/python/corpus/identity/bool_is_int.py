# True and False are the ints 1 and 0 in disguise, but they are distinct objects from the cached ints.
one = 1
print("True == 1:", True == one)
print("True is 1:", True is one)
print("isinstance(True, int):", isinstance(True, int))
print("True + True:", True + True)
print("sum of booleans:", sum([True, False, True, True]))
print("type(True + 0) is int:", type(True + 0) is int)
