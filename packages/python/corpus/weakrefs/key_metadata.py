# A WeakKeyDictionary attaches data to objects without keeping those objects alive.
import weakref


class Widget:
    def __init__(self, label):
        self.label = label


notes = weakref.WeakKeyDictionary()
w1 = Widget("ok")
w2 = Widget("cancel")
notes[w1] = "primary"
notes[w2] = "secondary"
print("entries:", len(notes))
print("w1 note:", notes[w1])
del w1
print("entries after del w1:", len(notes))
print("w2 still there:", w2 in notes, notes[w2])
