# finally always runs, even after return; a return in finally would override the first one.
def f():
    try:
        return "from try"
    finally:
        print("finally runs before the caller sees the value")


def g():
    log = []
    for i in range(3):
        try:
            if i == 1:
                continue
            log.append(i)
        finally:
            log.append("f" + str(i))
    return log


def h(n):
    try:
        assert n > 0, "n must be positive"
        return 10 // n
    except AssertionError as e:
        return "assert: " + str(e)
    finally:
        print("checked", n)


print(f())
print(g())
print(h(3), h(-1))
