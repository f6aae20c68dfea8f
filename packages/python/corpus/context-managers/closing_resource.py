# A resource class that closes itself in __exit__ is released even when the body fails.
class Resource:
    opened = 0

    def __init__(self, name):
        self.name = name
        self.closed = False
        Resource.opened += 1

    def close(self):
        self.closed = True
        Resource.opened -= 1
        print("closed", self.name)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close()
        return False


with Resource("log") as r:
    print("open resources:", Resource.opened)
try:
    with Resource("db") as r2:
        raise OSError("disk full")
except OSError as e:
    print("failed:", e)
print("open resources:", Resource.opened, "closed flags:", r.closed, r2.closed)
