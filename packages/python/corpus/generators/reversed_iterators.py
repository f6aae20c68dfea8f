# reversed() makes a small iterator object that holds the sequence, not a reversed copy: each
# built-in sequence has its own kind, and the iterator lets go of the sequence when it is done.
import gc
import sys

letters = ["a", "b", "c", "d"]
before = sys.getrefcount(letters)
backwards = reversed(letters)
print(type(backwards).__name__, sys.getsizeof(backwards), gc.is_tracked(backwards))
print(sys.getrefcount(letters) - before)  # the iterator holds the list
print(next(backwards), next(backwards))
print(list(backwards), sys.getrefcount(letters) - before)  # exhausted: the list is let go

# A range reverses into a range iterator counting down: no container, so not tracked.
down = reversed(range(2, 20, 3))
print(type(down).__name__, gc.is_tracked(down), list(down))

# A tuple or a str reverses through the generic `reversed` object (indexing from the end).
for seq in [(1, 2, 3), "abc"]:
    r = reversed(seq)
    print(type(r).__name__, sys.getsizeof(r), list(r))

# A dict reverses in the opposite order of insertion, and so do its views.
ages = {"ann": 31, "bob": 25, "cy": 40}
print(list(reversed(ages)), list(reversed(ages.values())), list(reversed(ages.items())))
it = reversed(ages.keys())
print(type(it).__name__, sys.getsizeof(it), gc.is_tracked(it))
print(ages.keys(), ages.values(), ages.items())

# Changing a dict's size while a reverse iterator walks it is refused.
it = reversed(ages)
next(it)
ages["dee"] = 22
try:
    next(it)
except RuntimeError as e:
    print("RuntimeError:", e)

# A list shrinking under its reverse iterator ends the iteration instead of failing.
nums = [1, 2, 3, 4, 5]
r = reversed(nums)
print(next(r), next(r))
del nums[1:]
print(list(r), nums)

# A class can say how it reverses.
class Countdown(list):
    def __reversed__(self):
        return iter(["custom"])
print(list(reversed(Countdown([1, 2]))))
