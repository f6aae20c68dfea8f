# Objects that cannot refer to other objects are never tracked by the cycle collector.
import gc

k = 10
for value in [k, k ** 40, k / 3, "text" * k, b"raw", None, True]:
    print(type(value).__name__, gc.is_tracked(value))
