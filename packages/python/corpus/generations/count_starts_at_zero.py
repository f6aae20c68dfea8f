# A full collection resets every generation's counter: gc.get_count() is (0, 0, 0) right after it.
import gc

gc.collect()
print("after collect:", gc.get_count())

# Plain ints, strs and floats are not tracked by the collector, so they are not counted.
gc.collect()
n = 12345 * 6789
word = "mem" * 4
ratio = n / 7
print("after untracked values:", gc.get_count())
