# A with block inside try/finally: __exit__ runs first, then finally, then the handler outside.
class Cm:
    def __enter__(self):
        print("1 enter")
        return self

    def __exit__(self, exc_type, exc, tb):
        print("3 exit")
        return False


def run():
    try:
        with Cm():
            print("2 body")
            raise TypeError("bad type")
    finally:
        print("4 finally")


try:
    run()
except TypeError as e:
    print("5 handler:", e)
