# repr of a container that contains itself prints [...] instead of recursing forever.
a = [1, 2]
a.append(a)
print(a)
d = {"name": "loop"}
d["self"] = d
print(d)
b = [a, [a]]
print(b)
