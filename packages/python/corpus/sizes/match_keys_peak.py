# A mapping pattern allocates while it looks keys up (MATCH_KEYS): a set of the keys seen, an
# object() as get()'s default and a tuple of the values, all freed once the case is chosen, so
# tracemalloc sees a peak and nothing left over.
import tracemalloc

config = {"host": "localhost", "port": 8080, "debug": True}


def port_of(c):
    match c:
        case {"host": _, "port": port}:
            return port


port_of(config)
tracemalloc.start()
port_of(config)
current, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
print("left over:", current)
print("peak while matching:", peak)
