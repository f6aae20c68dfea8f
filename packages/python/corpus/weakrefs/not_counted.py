# Weak references leave the target's reference count untouched.
import sys
import weakref


class Thing:
    pass


thing = Thing()
before = sys.getrefcount(thing)
refs = [weakref.ref(thing, lambda r: None) for _ in range(5)]
print("refcount delta with 5 weak refs:", sys.getrefcount(thing) - before)
strong = [thing for _ in range(5)]
print("refcount delta with 5 strong refs:", sys.getrefcount(thing) - before)
