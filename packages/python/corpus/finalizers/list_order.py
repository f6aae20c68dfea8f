# A dying list releases its items from the last to the first, so their finalizers run in reverse.
class Item:
    def __init__(self, n):
        self.n = n

    def __del__(self):
        print("item", self.n)


items = [Item(i) for i in range(4)]
print("deleting the list")
del items
print("deleting a tuple")
t = (Item("x"), Item("y"), Item("z"))
del t
print("done")
