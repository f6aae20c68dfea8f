# weakref.ref is a class a program can derive from. KeyedRef (what WeakValueDictionary stores)
# adds one slot, the key, so its callback can tell which entry died; a subclass without
# __slots__ gets a dict and a __weakref__ slot like any class. A subclass instance is always a
# new object: only the plain weakref.ref(obj) without a callback is shared.
import gc
import sys
import weakref


class Resource:
    def __init__(self, name):
        self.name = name


class Tagged(weakref.ref):
    """A weak reference that carries a note."""

    def __init__(self, ob, callback=None, note=""):
        super().__init__(ob, callback)
        self.note = note


class Tagged2(weakref.ref):
    __slots__ = ("note",)

    def __new__(cls, ob, note):
        self = super().__new__(cls, ob)
        self.note = note
        return self

    def __init__(self, ob, note):
        super().__init__(ob)


r = Resource("disk")
plain = weakref.ref(r)
keyed = weakref.KeyedRef(r, None, "disk")
tagged = Tagged(r)
tagged.note = "hello"
slim = Tagged2(r, "slim")
for w in (plain, keyed, tagged, slim):
    print(type(w).__name__, sys.getsizeof(w), gc.is_tracked(w), w() is r)
print(keyed.key, tagged.note, tagged.__dict__, slim.note)
print(weakref.ref(r) is plain, weakref.KeyedRef(r, None, "disk") is keyed)
# The plain reference stays first; the others follow it.
print(weakref.getweakrefcount(r), weakref.getweakrefs(r)[0] is plain)


# A callback learns the key of the entry whose value died.
def gone(wr):
    print("gone:", wr.key, wr() is None)


watch = weakref.KeyedRef(r, gone, "watched")
del r
print(plain(), keyed(), tagged(), slim())

# WeakValueDictionary keeps one KeyedRef per entry, and drops the entry when the value dies.
cache = weakref.WeakValueDictionary()
items = [Resource(n) for n in ("a", "b", "c")]
for item in items:
    cache[item.name] = item
entry = cache.data["b"]
print(type(entry).__name__, entry.key, sys.getsizeof(entry), len(cache))
del entry, items[1]
print(len(cache), sorted(cache))

# A reference in a cycle through its own slot is freed by the collector like anything else.
target = Resource("t")
k = weakref.KeyedRef(target, None, None)
k.key = [k]
del k
print("collected", gc.collect(), weakref.getweakrefcount(target))
