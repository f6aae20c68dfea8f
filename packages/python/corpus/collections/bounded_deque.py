# A bounded deque drops from the other end: with maxlen set, appending to a full deque
# releases the item at the opposite end, so a deque makes a fixed-size window.
import sys
from collections import deque


class Item:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("  released", self.name)


window = deque(maxlen=3)
for name in "abcde":
    print("append", name)
    window.append(Item(name))
print([i.name for i in window], window.maxlen)

print("appendleft z")
window.appendleft(Item("z"))
print([i.name for i in window])

# The bound also caps the memory: a window of 3 never needs more than one block.
nums = deque(range(1000), maxlen=3)
print(nums, sys.getsizeof(nums))
