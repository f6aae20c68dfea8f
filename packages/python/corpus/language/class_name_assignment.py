# A class's __name__ and __qualname__ are writable (strings only): reprs, instances' reprs and
# error messages follow the new names, while the methods keep the qualnames they were made with.
class Node:
    def walk(self):
        pass


Node.__qualname__ = "Tree.Node"
print(Node, Node.__qualname__, Node.__name__)
print(Node.__dict__.get("__qualname__"))

Node.__name__ = "Leaf"
print(Node, Node.__name__, Node.__qualname__)
print(repr(Node()).split(" ")[0])
print(Node.walk.__qualname__)

for attr, value in (("__qualname__", 1), ("__name__", 2.5)):
    try:
        setattr(Node, attr, value)
    except TypeError as e:
        print(type(e).__name__, e)

try:
    Node.__name__ = "a\0b"
except ValueError as e:
    print(type(e).__name__, e)

try:
    int.__name__ = "integer"
except TypeError as e:
    print(type(e).__name__, e)

try:
    Node().missing
except AttributeError as e:
    print(type(e).__name__, e)
