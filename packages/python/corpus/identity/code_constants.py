# Equal constants in one compiled module are stored once, so they are the same object.
a = 1000
b = 1000
print("a is b:", a is b)
t1 = (1, 2, 3)
t2 = (1, 2, 3)
print("t1 is t2:", t1 is t2)
f1 = 2.5
f2 = 2.5
print("f1 is f2:", f1 is f2)


def get():
    return 1000


# Constants are shared across the functions of one module too.
print("function constant is a:", get() is a)
# A value computed at run time is a new object.
n = 999
print("computed 1000 is a:", (n + 1) is a)
