# A finalizer can resurrect its object by storing a new reference to it; __del__ runs only once.
saved = []


class Phoenix:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("finalizing", self.name)
        saved.append(self)


p = Phoenix("bird")
del p
print("resurrected:", len(saved), saved[0].name)
# The object is alive again; dropping it a second time does not call __del__ again.
saved.clear()
print("cleared, no second finalizer")
