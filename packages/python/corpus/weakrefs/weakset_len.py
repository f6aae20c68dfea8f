# A WeakSet forgets members that die; its length follows the live members.
import weakref


class Listener:
    pass


listeners = weakref.WeakSet()
kept = [Listener() for _ in range(3)]
for item in kept:
    listeners.add(item)
listeners.add(Listener())
# The temporary Listener died immediately after being added.
print("live members:", len(listeners))
kept.pop()
# The loop variable `item` still refers to the popped listener.
print("after pop:", len(listeners))
del item
print("after del item:", len(listeners))
print("membership:", kept[0] in listeners)
