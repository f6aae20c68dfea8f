# Growing a dict or a set while iterating over it breaks the iterator for good: every later
# next() raises the same RuntimeError, and the iterator still holds its container.
import sys

scores = {"ann": 3, "bob": 5}
it = iter(scores)
print(next(it))
scores["cid"] = 7
for attempt in range(3):
    try:
        print(next(it))
    except RuntimeError as e:
        print("attempt", attempt, "->", e)
print("refs to scores:", sys.getrefcount(scores))
del it
print("after del it:", sys.getrefcount(scores))

tags = {"red", "green"}
it = iter(tags)
next(it)
tags.add("blue")
for attempt in range(2):
    try:
        next(it)
    except RuntimeError as e:
        print("attempt", attempt, "->", e)

# The usual fix: iterate over a snapshot.
for name in list(scores):
    scores[name + "!"] = 0
print(sorted(scores))
