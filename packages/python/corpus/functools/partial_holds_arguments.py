# functools.partial keeps the function and the arguments it was given: a tuple of the positional
# arguments and a dict of the keywords, alive for as long as the partial object is.
import functools
import gc
import sys


class Config:
    def __del__(self):
        print("  config freed")


def connect(config, host, port=80):
    return f"{host}:{port}"


config = Config()
before = sys.getrefcount(config)
connect_here = functools.partial(connect, config, port=8080)
print("references gained by config:", sys.getrefcount(config) - before)
print(connect_here("example.org"), len(connect_here.args), connect_here.keywords)
print("size:", sys.getsizeof(connect_here), "tracked:", gc.is_tracked(connect_here))

del config
print("name deleted, the partial still holds the config")
del connect_here
print("partial deleted")
