# Several managers in one with statement are entered left to right and exited right to left.
class Named:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        print("enter", self.name)
        return self.name

    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name)
        return False


with Named("a") as a, Named("b") as b, Named("c") as c:
    print("body with", a, b, c)
print("done")
