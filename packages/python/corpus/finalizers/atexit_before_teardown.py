# atexit handlers run first at shutdown, newest first, while every global is still alive; only
# then does the interpreter collect cycles and tear down __main__, running the remaining __del__s.
import atexit
import weakref


class Resource:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("__del__", self.name)


db = Resource("db")
cache = Resource("cache")
cache.self_ref = cache  # a cycle: only the exit-time collection frees it
del cache

weakref.finalize(db, print, "weakref.finalize for db")  # registered with atexit here, first


@atexit.register
def close_db():
    print("close_db handler: db is", db.name)


atexit.register(print, "never runs")
atexit.unregister(print)  # removes every registration of print made so far
atexit.register(print, "last registered, so first to run:", 1, 2, sep=" ")
print("end of program")
