# *args collects extra positional arguments into a tuple, **kwargs extra keywords into a dict.
def report(title, *args, sep=", ", **kwargs):
    parts = [str(a) for a in args]
    extras = [f"{k}={v}" for k, v in sorted(kwargs.items())]
    return title + ": " + sep.join(parts + extras)


print(report("none"))
print(report("nums", 1, 2, 3))
print(report("mixed", "a", sep=" | ", color="red", size=3))
values = [4, 5]
options = {"unit": "kb"}
print(report("unpacked", *values, **options))


def point(x, y, z=0):
    return (x, y, z)


print(point(*[1, 2]), point(**{"y": 5, "x": 6}), point(1, z=9, y=2))
try:
    point(1, 2, 3, 4)
except TypeError as e:
    print("TypeError:", e)
try:
    point(1, x=2)
except TypeError as e:
    print("TypeError:", e)
