# A with statement calls __enter__ before the body and __exit__ after it, always in that order.
class Step:
    def __enter__(self):
        print("enter")
        return self

    def __exit__(self, exc_type, exc, tb):
        print("exit, exception:", exc_type)
        return False


print("before")
with Step():
    print("body")
print("after")
