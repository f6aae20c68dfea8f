# json.dumps calls default= for each object it cannot write itself and writes what it returns;
# object_hook= does the reverse on every dict json.loads builds. The encoder holds the objects
# only while it writes them.
import json
import sys


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __repr__(self):
        return f"Point({self.x}, {self.y})"


def encode(o):
    print("  default() called for", o)
    return {"x": o.x, "y": o.y}


def decode(d):
    return Point(d["x"], d["y"]) if d.keys() == {"x", "y"} else d


path = [Point(0, 0), Point(3, 4)]
before = sys.getrefcount(path[1])
text = json.dumps({"path": path}, default=encode)
print(text)
print("references before and after:", before, sys.getrefcount(path[1]))

print(json.loads(text, object_hook=decode))

try:
    json.dumps({"when": {1, 2}})
except TypeError as e:
    print("without default:", e)
