# Asking for an instance's __dict__ makes CPython 3.11 build a real dict object, one more to collect.
import gc


class Node:
    pass


gc.collect()
lazy = Node()
lazy.me = lazy
del lazy
# Attribute values are stored inline in the instance: one object.
print("without __dict__ access:", gc.collect())

eager = Node()
eager.me = eager
print("attribute names:", list(eager.__dict__))
del eager
# The instance and the dict that __dict__ created.
print("after __dict__ access:", gc.collect())
