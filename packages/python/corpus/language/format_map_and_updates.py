# Methods that update in place or look names up in a mapping: str.format_map, the set
# *_update methods, range.count/index, and type's own hook-free isinstance/issubclass checks.
import collections.abc as c

print("{a}-{b[0]}-{c.real}".format_map({"a": 1, "b": [2], "c": 3}))
class D(dict):
    def __missing__(self, k):
        return k.upper()
print("{x} {y}".format_map(D(x=1)))
for tmpl, m in (("{}", {}), ("{z}", {})):
    try:
        tmpl.format_map(m)
    except (ValueError, KeyError) as e:
        print(type(e).__name__, e)
s = {1, 2, 3, 4}
s.difference_update({1}, [2]); print(s)
s.intersection_update({3, 4, 5}, range(4)); print(s)
s.symmetric_difference_update([3, 7]); print(s)
s.difference_update(s); print(s)
try:
    s.symmetric_difference_update()
except TypeError as e:
    print(e)
r = range(0, 20, 3)
print(r.count(6), r.count(7), r.count(6.0), r.index(9), r.index(9.0), r.count(True))
for x in (7, "a", 7.0):
    try:
        r.index(x)
    except ValueError as e:
        print(e)
print(type.__instancecheck__(int, True), type.__subclasscheck__(int, bool), type.__subclasscheck__(bool, int))
print(type.__instancecheck__(c.Sized, []), c.Sized.__instancecheck__([]))
try:
    type.__subclasscheck__(int, 3)
except TypeError as e:
    print(e)
