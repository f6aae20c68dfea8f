# Instances have no free list, but the small-object allocator reuses a freed block of the same size.
class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


p = Point(1, 2)
p_id = id(p)
del p
q = Point(3, 4)
print("same block reused:", id(q) == p_id)
print("q's fields:", q.x, q.y)
