# An exception raised in __del__ cannot propagate: it is reported on stderr and ignored.
class Faulty:
    def __del__(self):
        print("in __del__")
        raise ValueError("cannot clean up")


f = Faulty()
del f
print("program continues after the ignored exception")
try:
    g = Faulty()
    g = None
    print("still no exception seen here")
except ValueError:
    print("never printed")
