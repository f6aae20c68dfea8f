# The math module: each call returns a new object, except where a cache answers first.
# math.floor and friends return ints (small ones from the small-int cache); float results
# are new float objects every time; math.pi is one float object held by the module.
import math
import sys

print(math.sqrt(2), math.hypot(3, 4), math.log(1024, 2), math.log10(1e-5), math.exp(1))
print(math.sin(math.pi / 6), math.cos(0.1), math.tan(math.pi / 4), math.atan2(1, -1))
print(math.floor(-2.5), math.ceil(2.1), math.trunc(-7.9), math.isqrt(99), math.gcd(12, 18, 30))
print(math.factorial(25), math.comb(52, 5), math.perm(5, 2), math.prod(range(1, 8)))
print(sum([0.1] * 10), math.fsum([0.1] * 10), math.isclose(sum([0.1] * 10), 1.0))
print(math.frexp(48.0), math.ldexp(0.75, 6), math.modf(-3.25), math.copysign(2, -0.0))
print(math.inf > 10**308, math.isnan(math.nan), math.nan == math.nan, math.isinf(-math.inf))

# Small ints come from the cache; a float result is a new object each call.
print(math.floor(5.5) is math.floor(5.9), math.floor(1e6 + 0.5) is math.floor(1e6 + 0.7))
a = math.sqrt(2.0)
b = math.sqrt(2.0)
print(a == b, a is b, sys.getsizeof(a))
before = sys.getrefcount(math.pi)
pi = math.pi  # one more reference to the module's float, not a copy
print(math.pi is math.pi, pi is math.pi, sys.getrefcount(math.pi) - before)
print(sys.getsizeof(math.factorial(30)), sys.getsizeof(math.factorial(100)))

for bad in (lambda: math.sqrt(-1), lambda: math.log(0), lambda: math.exp(1000),
            lambda: math.factorial(-3), lambda: math.factorial(2.5), lambda: math.sqrt("4")):
    try:
        bad()
    except (ValueError, OverflowError, TypeError) as e:
        print(type(e).__name__, e)
