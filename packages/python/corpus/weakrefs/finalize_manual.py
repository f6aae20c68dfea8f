# A finalizer can be run early by calling it, or cancelled with detach(); either way it runs at most once.
import weakref


class Buffer:
    pass


def release(label):
    print("release", label)
    return label.upper()


b1 = Buffer()
f1 = weakref.finalize(b1, release, "early")
print("called early:", f1())
print("alive:", f1.alive)
del b1
print("b1 deleted, nothing printed")

b2 = Buffer()
f2 = weakref.finalize(b2, release, "cancelled")
detached = f2.detach()
print("detached args:", detached[2])
del b2
print("b2 deleted, nothing printed either")
