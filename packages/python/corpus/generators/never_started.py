# A generator that never started runs none of its body when dropped or closed, `finally` included.
import gc


class Token:
    def __del__(self):
        print("token freed")


def guarded(token):
    try:
        print("body runs")
        yield token
    finally:
        print("finally runs")


g = guarded(Token())
print("created, not started; frame:", g.gi_frame is not None)
del g  # GeneratorExit is raised before its first line, outside the `try`: only the frame goes
print("after del")

g = guarded(Token())
g.close()  # the same: the frame and the token it holds are released at once
print("closed before starting")
print("next after close:", next(g, "exhausted"))
del g
print("collected:", gc.collect())
