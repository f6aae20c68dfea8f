# An exception's traceback keeps the frames it passed through, and each frame keeps its local
# variables: a big object made inside a failed function lives on as long as the traceback does.
# frame.clear() drops a finished frame's locals at once (the count falls back); on a generator's
# suspended frame it closes the generator, whose finally block runs; a running frame refuses.
import sys


class Resource:
    def __del__(self):
        print("Resource freed")


kept = []


def failing():
    data = [0] * 1000
    kept.append(data)
    res = Resource()
    print("refs to data inside:", sys.getrefcount(data))
    raise ValueError("boom")


try:
    failing()
except ValueError as e:
    error = e

frame = error.__traceback__.tb_next.tb_frame
print("refs to data after the call:", sys.getrefcount(kept[0]))
print("clearing the frame")
frame.clear()
print("refs to data after clear():", sys.getrefcount(kept[0]))
print("locals now:", frame.f_locals)


def worker():
    try:
        yield "working"
        yield "more work"
    finally:
        print("worker's finally block runs")


gen = worker()
print(next(gen))
gen.gi_frame.clear()
print("generator frame after clear:", gen.gi_frame)
print("what is left:", list(gen))


def clears_itself():
    try:
        sys._getframe().clear()
    except RuntimeError as exc:
        print("RuntimeError:", exc)


clears_itself()
