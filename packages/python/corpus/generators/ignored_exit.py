# A generator that yields again after GeneratorExit breaks close(): RuntimeError, the frame kept.
def stubborn():
    while True:
        try:
            yield "still here"
        except GeneratorExit:
            print("caught GeneratorExit, yielding anyway")


s = stubborn()
print(next(s))
try:
    s.close()
except RuntimeError as e:
    print("RuntimeError:", e)
print("suspended again:", s.gi_frame is not None)


def polite():
    try:
        yield 1
    except GeneratorExit:
        print("cleaning up")
        raise  # re-raising (or returning) is what close() expects


p = polite()
next(p)
print("close returns:", p.close())
