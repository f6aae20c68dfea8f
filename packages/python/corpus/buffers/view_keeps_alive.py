# A memoryview keeps what it looks at alive: the view holds a managedbuffer, and the
# managedbuffer holds the bytearray. Deleting the name does not free the bytes.
import gc
import sys

b = bytearray(b"abcdef")
print("refcount before:", sys.getrefcount(b))
m = memoryview(b)
print("refcount with a view:", sys.getrefcount(b))
s = m[2:4]
print("refcount with a second view:", sys.getrefcount(b))

# Both views share one managedbuffer; only it refers to the bytearray.
mbuf = gc.get_referents(m)[0]
print(type(mbuf).__name__, gc.get_referents(s)[0] is mbuf, gc.get_referents(mbuf)[0] is b)
print("tracked:", gc.is_tracked(m), gc.is_tracked(mbuf), gc.is_tracked(b))
del mbuf

del b
print(m.obj, s.tobytes())
m.obj[0] = ord("A")
print(m.tobytes())

# Once every view is released, the managedbuffer lets go of the bytearray.
mbuf = gc.get_referents(m)[0]
obj = m.obj
before = sys.getrefcount(obj)
m.release()
s.release()
print("refcount drop on release:", before - sys.getrefcount(obj))
print("managedbuffer refers to:", gc.get_referents(mbuf), gc.is_tracked(mbuf))
print(repr(m).startswith("<released memory at"))
