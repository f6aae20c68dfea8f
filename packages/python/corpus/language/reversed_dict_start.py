# reversed(d) decides where it starts when it is made: keys added later are not seen,
# even after the dict has grown and packed its entries.
d = dict.fromkeys("abcde")
it = reversed(d)
del d["e"]; d["e"] = 1
print(list(it))
d = dict.fromkeys("abc")
it = reversed(d)
print(next(it))
del d["a"]
for k in "xyzuvw":
    d[k] = 0
    del d[k]
d["q"] = 1
print(list(it))
class C:
    pass
o = C()
o.a = 1; o.b = 2
it = reversed(o.__dict__)
print(next(it))
try:
    o.c = 3
    print(list(it))
except RuntimeError as e:
    print("RuntimeError:", e)
