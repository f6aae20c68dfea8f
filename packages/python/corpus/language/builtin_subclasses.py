# Subclassing the built-in containers: a Stack that is a list, a dict that counts missing
# keys as zero, a set that remembers what it refused. The subclass adds methods and attributes;
# the built-in part does the storing, and what the subclass overrides is what the language uses.


class Stack(list):
    def push(self, item):
        self.append(item)

    def peek(self):
        return self[-1]

    def __repr__(self):
        return "Stack(" + super().__repr__() + ")"


s = Stack()
for word in ["to", "be", "or", "not"]:
    s.push(word)
print(s, len(s), s.peek())
print("popped", s.pop(), "->", s)
print(isinstance(s, list), isinstance(s, Stack), type(s).__name__)
print([c.__name__ for c in type(s).__mro__])
print("str() and print use the override too:", str(s))
print("slicing gives a plain list:", type(s[1:]).__name__, s[1:])
print("+ gives a plain list:", type(s + [1]).__name__)


class Counter(dict):
    def __missing__(self, key):
        return 0

    def add(self, key):
        self[key] += 1


c = Counter()
for ch in "mississippi":
    c.add(ch)
print(sorted(c.items()), c["z"], "z" in c)


class LoggedDict(dict):
    def __setitem__(self, key, value):
        print("  set", key, "=", value)
        super().__setitem__(key, value)

    def __getitem__(self, key):
        value = super().__getitem__(key)
        print("  get", key, "->", value)
        return value


d = LoggedDict(a=1)
d["b"] = 2
print(d["a"] + d["b"], len(d), d)


class Tags(set):
    def __init__(self, items=()):
        super().__init__(items)
        self.refused = []

    def add_tag(self, tag):
        if not tag.isidentifier():
            self.refused.append(tag)
        else:
            self.add(tag)


t = Tags(["python"])
for tag in ["memory", "3.11", "gc", "not a tag"]:
    t.add_tag(tag)
print(sorted(t), t.refused, len(t))
print(repr(Tags()), Tags() == set())


class Countdown(list):
    def __iter__(self):
        return iter(self[::-1])

    def __len__(self):
        return 100

    def __contains__(self, item):
        return item == "everything"


cd = Countdown([1, 2, 3])
print(list(cd), [x for x in cd], len(cd), "everything" in cd, 2 in cd, bool(cd))
print("the list itself still has", list.__len__(cd), "items:", list(list.__iter__(cd)))


class Matrix(list):
    def __init__(self, rows, cols):
        super().__init__([0] * cols for _ in range(rows))
        self.shape = (rows, cols)


m = Matrix(2, 3)
m[1][2] = 7
print(m, m.shape, m.__dict__)
m.shape = "changed"
del m.shape
print(hasattr(m, "shape"), vars(m))


class Pair(list):
    __slots__ = ("label",)


p = Pair([1, 2])
p.label = "xy"
print(p, p.label, hasattr(p, "__dict__"))
try:
    p.other = 1
except AttributeError as e:
    print("AttributeError:", e)
