# The RecursionError message says what happened; it is a subclass of RuntimeError.
def forever(n):
    return forever(n + 1)


try:
    forever(0)
except RecursionError as e:
    print(type(e).__name__ + ":", e)
    print("is a RuntimeError:", isinstance(e, RuntimeError))
