# Releasing an instance of a tuple subclass: the finalizer runs first, then the instance
# dict goes, then the items, last to first, as a tuple releases them. An int subclass's
# instance lets go of its dict the same way.
class Noisy:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("  released", self.name)


class Pair(tuple):
    def __del__(self):
        print("  pair finalizer, still holding", len(self), "items")


p = Pair((Noisy("first"), Noisy("second")))
p.note = Noisy("note")
print("dropping the pair")
del p
print("done")


class Tagged(int):
    def __del__(self):
        print("  tagged finalizer for", int(self))


n = Tagged(1000)
n.tag = Noisy("tag")
print("dropping the int")
n = None
print("done")


class Text(str):
    pass


s = Text("some text")
s.owner = Noisy("owner")
print("dropping the str")
del s
print("done")
