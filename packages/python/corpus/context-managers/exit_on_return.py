# __exit__ runs on every way out of the block: return, break and continue included.
class Trace:
    def __init__(self, label):
        self.label = label

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        print("exit", self.label)
        return False


def find(items, wanted):
    with Trace("find"):
        for i, x in enumerate(items):
            if x == wanted:
                return i
    return -1


print("found at", find([4, 5, 6], 5))
for n in range(4):
    with Trace(n):
        if n == 1:
            continue
        if n == 3:
            break
        print("body", n)
