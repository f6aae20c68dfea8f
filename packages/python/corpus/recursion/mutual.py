# Mutually recursive functions share one depth budget.
import sys


def is_even(n):
    return True if n == 0 else is_odd(n - 1)


def is_odd(n):
    return False if n == 0 else is_even(n - 1)


print("is_even(10):", is_even(10))
print("is_odd(7):", is_odd(7))
print("is_even(900):", is_even(900))
try:
    is_even(sys.getrecursionlimit())
except RecursionError:
    print("is_even(limit) overflowed the stack")
