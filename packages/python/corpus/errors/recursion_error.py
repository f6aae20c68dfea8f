# Unbounded recursion that is never caught ends with RecursionError after about 1000 frames.
def countdown(n):
    if n == 0:
        return "done"
    return countdown(n + 1)


print("a small recursion works:", countdown(0))
countdown(1)
