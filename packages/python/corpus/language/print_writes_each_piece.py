# print() hands each piece to the file's write() on its own: every argument, every separator
# and the end, looking write up again each time; str() makes the text of each piece, and
# flush=True calls the file's flush() once at the end.
class Recorder:
    def __init__(self):
        self.lookups = 0
        self.pieces = []

    def __getattr__(self, name):
        # Only called for names the instance and its class don't have: here, write and flush.
        self.lookups += 1
        if name == "write":
            return self.pieces.append
        if name == "flush":
            return lambda: self.pieces.append("<flush>")
        raise AttributeError(name)


class Shout(str):
    def __str__(self):
        return self.upper()


r = Recorder()
print("a", 1, 2.5, sep=", ", end=".\n", file=r)
print(r.lookups, r.pieces)

r = Recorder()
print(Shout("quiet"), "words", sep=Shout("-"), file=r, flush=True)
print(r.lookups, r.pieces)

r = Recorder()
print(file=r)
print(r.lookups, r.pieces)

for bad in ({"sep": 1}, {"end": b"\n"}):
    try:
        print("x", file=r, **bad)
    except TypeError as e:
        print("TypeError:", e)
