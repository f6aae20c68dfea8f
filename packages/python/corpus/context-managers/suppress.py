# If __exit__ returns a true value, the exception is swallowed and execution continues after the block.
class Ignore:
    def __init__(self, kind):
        self.kind = kind

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if isinstance(exc, self.kind):
            print("suppressed", exc_type.__name__)
            return True
        return False


for text in ["12", "x", "7"]:
    with Ignore(ValueError):
        print("parsed", int(text))
try:
    with Ignore(ValueError):
        print(1 / 0)
except ZeroDivisionError:
    print("ZeroDivisionError was not suppressed")
