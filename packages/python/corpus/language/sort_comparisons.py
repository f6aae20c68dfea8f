# list.sort asks only `<`, and asks it in a fixed order: a class that counts its comparisons
# sees the same pairs in every Python. Sorting an already sorted list asks n - 1 questions;
# a reversed one too (the run is reversed in place); shuffled data asks about n log n.
class Card:
    asked = []

    def __init__(self, rank):
        self.rank = rank

    def __lt__(self, other):
        Card.asked.append((self.rank, other.rank))
        return self.rank < other.rank

    def __repr__(self):
        return f"Card({self.rank})"


for ranks in ([1, 2, 3, 4, 5], [5, 4, 3, 2, 1], [3, 1, 4, 1, 5, 9, 2, 6]):
    Card.asked.clear()
    hand = [Card(r) for r in ranks]
    hand.sort()
    print(hand)
    print(len(Card.asked), "comparisons:", Card.asked)

# The sort is stable: equal keys keep their order, also with reverse=True.
pairs = [("b", 2), ("a", 1), ("c", 2), ("d", 1)]
print(sorted(pairs, key=lambda p: p[1]))
print(sorted(pairs, key=lambda p: p[1], reverse=True))

# While it sorts, the list looks empty to the comparisons.
class Peek:
    def __init__(self, v):
        self.v = v

    def __lt__(self, other):
        print("inside the sort the list has", len(items), "items")
        return self.v < other.v


items = [Peek(2), Peek(1)]
items.sort()
print([p.v for p in items])

# A comparison that raises stops the sort; the list keeps every item.
class Fragile:
    def __init__(self, v):
        self.v = v

    def __lt__(self, other):
        if self.v == 0 or other.v == 0:
            raise ValueError("cannot compare zero")
        return self.v < other.v


row = [Fragile(v) for v in [5, 3, 0, 4, 1]]
try:
    row.sort()
except ValueError as e:
    print("stopped:", e)
print([f.v for f in row])
