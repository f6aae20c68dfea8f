# Replacing a slice of a list releases the replaced items after the new ones are in, last first.
class Tag:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("del", self.name)

    def __repr__(self):
        return self.name


items = [Tag(c) for c in "abcdef"]
items[1:4] = [Tag("X")]  # b, c, d go: d first
print(items)
items[0:2] = [Tag("Y"), Tag("Z")]  # same length: a and X go, X first
print(items)
items[:] = []  # emptying clears the list: f, e, Z, Y
print(items)
