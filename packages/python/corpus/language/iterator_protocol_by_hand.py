# A for loop is iter() once and next() until StopIteration. The same steps by hand, through the
# dunder methods every built-in iterator has: __iter__ returns the iterator itself, __next__
# gives the next item or raises StopIteration, and an exhausted iterator stays exhausted.
containers = [[1, 2], (3, 4), "ab", {5: "x", 6: "y"}, {7}, range(8, 10), b"hi"]
for c in containers:
    it = c.__iter__()
    assert it.__iter__() is it
    items = []
    while True:
        try:
            items.append(it.__next__())
        except StopIteration:
            break
    print(type(it).__name__, items, list(it))

d = {"a": 1, "b": 2}
for view in (d.keys(), d.values(), d.items()):
    it = iter(view)
    print(type(it).__name__, it.__next__(), it.__length_hint__())

for it in (enumerate("xy"), zip("ab", "cd"), map(str.upper, "pq"), filter(None, [0, 1, 2]), reversed([1, 2, 3])):
    first = it.__next__()
    print(type(it).__name__, first, list(it))

squares = iter([n * n for n in range(5)])
print(next(squares), squares.__next__(), [*squares])
try:
    squares.__next__()
except StopIteration as e:
    print("exhausted:", repr(e))
