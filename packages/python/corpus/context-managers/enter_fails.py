# If a later __enter__ fails, only the managers already entered are exited.
class Named:
    def __init__(self, name, fail=False):
        self.name = name
        self.fail = fail

    def __enter__(self):
        if self.fail:
            raise RuntimeError("cannot enter " + self.name)
        print("enter", self.name)
        return self

    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, "with", exc_type.__name__ if exc_type else None)
        return False


try:
    with Named("first"), Named("second", fail=True), Named("third"):
        print("body never runs")
except RuntimeError as e:
    print("error:", e)
