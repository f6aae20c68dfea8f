# A WeakValueDictionary is a cache whose entries vanish as soon as nobody else uses the value.
import weakref


class Image:
    def __init__(self, name):
        self.name = name


cache = weakref.WeakValueDictionary()
loaded = 0


def load(name):
    global loaded
    img = cache.get(name)
    if img is None:
        loaded += 1
        img = Image(name)
        cache[name] = img
    return img


a = load("logo")
b = load("logo")
c = load("banner")
print("same object:", a is b, "loads:", loaded, "entries:", sorted(cache.keys()))
del a, b
print("entries after logo dropped:", sorted(cache.keys()))
# Nobody held "logo", so the next request has to load it again.
d = load("logo")
print("loads:", loaded, "entries:", sorted(cache.keys()))
