# Deleting a key searches the dict once: `del d[k]` and `d.pop(k)` hash the key one time and
# compare it with the stored key one time, then remove that entry. A key class that counts
# its __hash__ and __eq__ calls shows it. An empty dict's pop does not even hash the key.


class Key:
    calls = []

    def __init__(self, name):
        self.name = name

    def __hash__(self):
        Key.calls.append("hash " + self.name)
        return hash(self.name)

    def __eq__(self, other):
        Key.calls.append("eq " + self.name)
        return isinstance(other, Key) and self.name == other.name


d = {Key("a"): 1, Key("b"): 2, Key("c"): 3}

Key.calls = []
del d[Key("a")]
print("del d[k]:", Key.calls)

Key.calls = []
print("pop:", d.pop(Key("b")), Key.calls)

Key.calls = []
try:
    del d[Key("zzz")]
except KeyError as e:
    print("missing key:", e.args[0].name, Key.calls)

empty = {}
Key.calls = []
print("pop from empty:", empty.pop(Key("a"), "default"), Key.calls)
Key.calls = []
try:
    del empty[Key("a")]
except KeyError:
    print("del from empty:", Key.calls)
print(len(d))
