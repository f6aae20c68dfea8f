# s += t on a local str that nothing else holds resizes it in place once the code is warm.
# CPython 3.11 quickens a code object after eight warm-up events (the call's start and each
# jump back of a `for` loop); its `+` then specialises, and when the result is stored back to
# the local that holds the left operand, PyUnicode_Append reallocates that str in place: its id
# stays while the new size fits the block's size class, and changes when it outgrows it.


def pattern(steps, fresh):
    s = fresh + "!"
    marks = []
    for i in range(steps):
        before = id(s)
        s += "x"
        marks.append("=" if id(s) == before else "m")
    return "".join(marks), len(s)


print("first call: ", pattern(50, "ab"))
print("warm code:  ", pattern(50, "ab"))


def plain_add(steps):
    s = "a" + str(steps)
    marks = []
    for i in range(steps):
        before = id(s)
        s = s + "y"
        marks.append("=" if id(s) == before else "m")
    return "".join(marks)


print("s = s + t:  ", plain_add(30))


def forever():
    s = "w" + str(1)
    marks = []
    while True:
        before = id(s)
        s += "z"
        marks.append("=" if id(s) == before else "m")
        if len(marks) == 25:
            return "".join(marks)


def conditional(limit):
    s = "w" + str(1)
    marks = []
    while len(marks) < limit:
        before = id(s)
        s += "z"
        marks.append("=" if id(s) == before else "m")
    return "".join(marks)


# A `while True` loop jumps back unconditionally (a warm-up event each round); a `while`
# with a test tests again at the bottom and jumps back conditionally, which is not one.
print("while True: ", forever())
print("while test: ", conditional(25))


def generator():
    s = "g" + str(0)
    for i in range(20):
        before = id(s)
        s += "x"
        yield "=" if id(s) == before else "m"


# Each resumption of a generator is a warm-up event too.
print("generator:  ", "".join(generator()))

# Module-level names are not locals: no in-place append there.
t = "m" + str(0)
same = 0
for i in range(30):
    before = id(t)
    t += "x"
    same += id(t) == before
print("module level kept its id", same, "times")
