# Nested with statements behave like a stack; an inner exception unwinds through every level.
class Level:
    def __init__(self, n):
        self.n = n

    def __enter__(self):
        print("  " * self.n + "enter", self.n)
        return self

    def __exit__(self, exc_type, exc, tb):
        print("  " * self.n + "exit", self.n, "(error)" if exc_type else "")
        return False


try:
    with Level(0):
        with Level(1):
            with Level(2):
                raise LookupError("deep")
except LookupError as e:
    print("caught", e)
