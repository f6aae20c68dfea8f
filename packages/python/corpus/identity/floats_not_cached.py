# Floats have no cache: every computed float is a new object, even for common values.
k = 1
a = k * 1.0
b = k * 1.0
print("1.0 computed twice identical:", a is b)
print("equal:", a == b)
c = float(k)
print("float(1) is a:", c is a)
z1 = k * 0.0
z2 = -k * 0.0
print("0.0 == -0.0:", z1 == z2, "identical:", z1 is z2)
