# finally blocks and __exit__ run while an uncaught exception unwinds, before the program dies.
class Section:
    def __enter__(self):
        print("enter section")
        return self

    def __exit__(self, exc_type, exc, tb):
        print("exit section, saw", exc_type.__name__)
        return False


def work():
    try:
        with Section():
            raise IndexError("index 5 is out of range")
    finally:
        print("finally in work")


work()
