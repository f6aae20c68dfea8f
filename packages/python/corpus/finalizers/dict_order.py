# A dying dict releases its keys and values in insertion order.
class Value:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("value", self.name)


table = {}
for name in ["first", "second", "third"]:
    table[name] = Value(name)
print("deleting the dict")
del table

print("popping one entry")
other = {"a": Value("a"), "b": Value("b")}
other.pop("b")
print("clearing")
other.clear()
print("done")
