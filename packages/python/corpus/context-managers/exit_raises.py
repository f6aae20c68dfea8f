# An exception raised inside __exit__ replaces the original one, which becomes its __context__.
class Strict:
    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        raise RuntimeError("cleanup failed")


try:
    with Strict():
        raise ValueError("original problem")
except RuntimeError as e:
    print("caught:", e)
    print("context:", repr(e.__context__))
