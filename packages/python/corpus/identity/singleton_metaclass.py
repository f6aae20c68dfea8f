# A metaclass whose __call__ returns the one instance it made: every "new" object is the same
# object, so each name bound to it is one more reference to a single id.
import sys


class Singleton(type):
    instances = {}

    def __call__(cls, *args, **kwargs):
        if cls not in cls.instances:
            cls.instances[cls] = super().__call__(*args, **kwargs)
        return cls.instances[cls]


class Settings(metaclass=Singleton):
    def __init__(self):
        self.values = {}


first = Settings()
before = sys.getrefcount(first)
second = Settings()
third = Settings()
print("same object:", first is second is third, id(first) == id(third))
print("two more names, two more references:", sys.getrefcount(first) - before)
del second, third
print("back to where it was:", sys.getrefcount(first) - before)
# The metaclass's dict holds it even when no name does.
del first
print("still alive in the registry:", type(Singleton.instances[Settings]).__name__)
