# A value class with __repr__, __eq__ and __hash__ works in sets and as dict keys.
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __repr__(self):
        return f"Point({self.x}, {self.y})"

    def __eq__(self, other):
        if not isinstance(other, Point):
            return False
        return self.x == other.x and self.y == other.y

    def __hash__(self):
        # Equal points must hash equally; combining the coordinates is enough.
        return self.x * 1000003 + self.y


a = Point(1, 2)
b = Point(1, 2)
print(a, "==", b, ":", a == b, "| is:", a is b)
print("as dict key:", {a: "found"}[b])
unique = {Point(0, 0), Point(0, 0), Point(1, 0)}
print("unique points:", len(unique))
print("sorted by x then y:", sorted(unique, key=lambda p: (p.x, p.y)))
print("compare with a tuple:", a == (1, 2))
print("list of points:", [Point(i, i * i) for i in range(3)])
