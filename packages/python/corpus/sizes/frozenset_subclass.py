# A frozenset subclass: its items are fixed when __new__ makes it, it stays hashable like any
# frozenset, and each instance carries a dict for attributes, which costs 16 bytes.
import sys


class Tags(frozenset):
    def __new__(cls, *names):
        return super().__new__(cls, (n.lower() for n in names))

    def __init__(self, *names):
        self.source = "user"


t = Tags("Red", "green", "RED")
print(sorted(t), t.source, type(t).__name__)
print("size:", sys.getsizeof(t), "plain frozenset:", sys.getsizeof(frozenset(t)))
print("usable as a key:", {t: 1}[frozenset({"red", "green"})])
print("operations give plain frozensets:", type(t | {"blue"}).__name__)
