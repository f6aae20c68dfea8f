# Unwinding a RecursionError releases every frame, so objects held by each level are freed.
class Marker:
    live = 0

    def __init__(self):
        Marker.live += 1

    def __del__(self):
        Marker.live -= 1


def grow(n):
    m = Marker()
    return grow(n + 1)


try:
    grow(0)
except RecursionError:
    print("live markers inside the handler:", Marker.live > 0)
print("live markers after the handler:", Marker.live)
