# A weakref callback runs when the target dies and receives the (now dead) weak reference.
import weakref


class Session:
    pass


events = []


def on_death(ref):
    events.append(("callback", ref is r, ref() is None))


s = Session()
r = weakref.ref(s, on_death)
print("before del:", events)
del s
print("after del:", events)
