# A function that refers to itself through its closure cell makes a cycle of function and cell.
import gc

gc.collect()


def make():
    def again(n):
        return 0 if n == 0 else 1 + again(n - 1)

    return again


f = make()
print("works:", f(5))
del f
# The function, its closure tuple, and the cell form the cycle.
print("collected:", gc.collect())
