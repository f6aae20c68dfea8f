# A value passing through `yield` is referenced by the generator's frame only while it is there.
import sys


def hand_over(items):
    for item in items:
        yield item  # the frame's `item` still refers to it until the next resumption


payload = ["a list to watch"]
print("alone:", sys.getrefcount(payload))
g = hand_over([payload])
print("in the argument list:", sys.getrefcount(payload))
received = next(g)
print("yielded: the frame's `item` and `received`:", sys.getrefcount(payload))
del received
print("after del received:", sys.getrefcount(payload))
print("next ends it:", next(g, "end"))
print("frame released:", sys.getrefcount(payload))
del g
print("generator gone:", sys.getrefcount(payload))
