# A caught exception's traceback keeps the raising frame's locals alive until the except block ends.
class Guard:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("guard", self.name, "released")


def fail():
    g = Guard("inner")
    raise RuntimeError("boom")


try:
    fail()
except RuntimeError as e:
    print("caught:", e)
    print("inner guard still alive here")
print("after the except block")
