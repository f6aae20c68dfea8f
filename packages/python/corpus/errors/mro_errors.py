# The errors a class statement with several bases can raise. The body runs first; then
# type() checks the bases: the same base twice, an order no C3 linearization can satisfy
# (a class must come before its own bases, and the bases keep the order they are listed in),
# and bases whose instances are laid out differently in memory.
class A:
    pass


class B(A):
    pass


class X:
    pass


class Y:
    pass


class XY(X, Y):
    pass


class YX(Y, X):
    pass


def attempt(*bases):
    try:
        class C(*bases):
            print("  body of C runs")
        print("ok:", [k.__name__ for k in C.__mro__])
    except TypeError as e:
        print("TypeError:", e)


attempt(A, A)
attempt(A, B)
attempt(B, A)
attempt(XY, YX)
attempt(XY, X)
attempt(int, bool)
