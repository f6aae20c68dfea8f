# A seeded growth experiment: random ints added to a set resize its table at the same points
# every run, because random.seed(2024) makes the sequence of numbers (and so of duplicates) fixed.
import random
import sys

random.seed(2024)
s = set()
last = sys.getsizeof(s)
print("empty set:", last, "bytes")
for step in range(200):
    s.add(random.randint(1, 300))  # duplicates are likely: only new values can grow the table
    size = sys.getsizeof(s)
    if size != last:
        print(f"after {step + 1} draws ({len(s)} distinct): {last} -> {size} bytes")
        last = size
print("distinct values:", len(s), "of 200 draws")

# The same seed replays the same draws, so a second run ends in the same state.
random.seed(2024)
again = {random.randint(1, 300) for _ in range(200)}
print("replayed the same set:", again == s, sys.getsizeof(again) <= sys.getsizeof(s))
