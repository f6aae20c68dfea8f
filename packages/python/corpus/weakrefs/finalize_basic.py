# weakref.finalize registers a cleanup that runs once when the object dies, with saved arguments.
import weakref


class TempFile:
    def __init__(self, name):
        self.name = name


def cleanup(name, log):
    log.append("removed " + name)


log = []
tf = TempFile("scratch.tmp")
fin = weakref.finalize(tf, cleanup, tf.name, log)
print("alive:", fin.alive)
del tf
print("alive after del:", fin.alive)
print("log:", log)
# Calling a dead finalizer does nothing and returns None.
print("call again:", fin())
