# Instances of a diamond-shaped class hierarchy referring to each other form a cycle like any
# other: reference counting cannot free them, the cycle collector does, and the __del__ that
# the MRO finds (the first class that defines one) runs once for each.
import gc


class Node:
    def __del__(self):
        print("Node.__del__", self.name)


class Left(Node):
    pass


class Right(Node):
    def __del__(self):
        print("Right.__del__", self.name)
        super().__del__()


class Both(Left, Right):
    pass


gc.collect()
a = Both()
a.name = "a"
b = Both()
b.name = "b"
a.peer = b
b.peer = a
print([k.__name__ for k in Both.__mro__])
del a, b
print("after del, nothing freed yet")
print("collected:", gc.collect())
print("done")
