# s += t copies instead of resizing when the left str is not the local's alone or not plain.
# PyUnicode_Append resizes in place only a str with one reference, no cached hash, not
# interned, and only when the right operand's characters fit its form.
import sys


def run(steps, event):
    s = "a" + str(steps)
    keep = []
    marks = []
    for i in range(steps):
        before = id(s)
        event(i, s, keep)
        s += "\u20ac" if (event is wider and i == 20) else ("\xe9" if event is latin and i == 20 else "x")
        marks.append("=" if id(s) == before else "m")
    return "".join(marks)


def nothing(i, s, keep):
    pass


def aliased(i, s, keep):
    if i == 20:
        keep.append(s)


def hashed(i, s, keep):
    if i == 20:
        hash(s)


def interned(i, s, keep):
    if i == 20:
        sys.intern(s)


def latin(i, s, keep):
    pass


def wider(i, s, keep):
    pass


for event in [nothing, aliased, hashed, interned, latin, wider]:
    print(event.__name__.ljust(9), run(30, event))


def param(s):
    before = id(s)
    s += "x"
    return id(s) == before


# A call moves a temporary argument into the callee's frame: the parameter is its only
# holder, and once the code is warm it is resized in place. A caller's variable holds it too.
print("temporary argument:", [param("p" + str(i)) for i in range(12)].count(True))
held = [("q" + str(i)) for i in range(12)]
print("variable argument:", [param(v) for v in held].count(True))


def grown_from_empty():
    s = ""
    first = None
    for i in range(10):
        s += "ab"[i % 2] + "c"
        if i == 0:
            first = s
    return len(s), first


print("from empty:", grown_from_empty())
