# A suspended generator keeps its frame, and so every local of it, alive until it finishes.
import sys


class Big:
    def __del__(self):
        print("the big list's owner is freed")


def chunks(n):
    owner = Big()
    data = list(range(n))  # a local of the generator's frame
    for start in range(0, n, 4):
        yield data[start : start + 4]
    print("generator finished")


g = chunks(12)
print(next(g))
# The generator's frame holds `data` and `owner` while it waits at its yield.
print("frame locals:", sorted(g.gi_frame.f_locals))
print("size of data:", sys.getsizeof(g.gi_frame.f_locals["data"]))
print(next(g))
print(next(g))
print("one more next ends it:", next(g, "done"))
# Finished: the frame was released, its locals with it, in the order they were made.
print("gi_frame:", g.gi_frame)
