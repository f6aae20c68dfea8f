# `==` compares values, `is` compares identity: equal objects are often distinct.
k = 2
a = [1, 2]
b = [1, 2]
print("lists equal:", a == b, "identical:", a is b)
c = a
print("alias identical:", c is a)
x = k * 1.5
y = k * 1.5
print("floats equal:", x == y, "identical:", x is y)
# NaN is the one value not equal to itself, yet identical to itself.
nan = float("nan")
print("nan == nan:", nan == nan, "nan is nan:", nan is nan)
print("id equality matches is:", (id(a) == id(c)) == (a is c), (id(a) == id(b)) == (a is b))
