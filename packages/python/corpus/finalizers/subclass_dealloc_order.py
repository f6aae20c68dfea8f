# When the last reference to a list-subclass instance goes, its finalizer runs first, then
# its attribute dict is released, then the items (last to first, as a list releases them).
class Noisy:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("  released", self.name)


class Shelf(list):
    def __del__(self):
        print("  shelf finalizer, still holding", len(self), "items")


s = Shelf([Noisy("item 0"), Noisy("item 1"), Noisy("item 2")])
s.label = Noisy("label")
print("dropping the shelf")
del s
print("done")


class Table(dict):
    pass


t = Table(x=Noisy("value x"), y=Noisy("value y"))
t.note = Noisy("note")
print("dropping the table")
t = None
print("done")
