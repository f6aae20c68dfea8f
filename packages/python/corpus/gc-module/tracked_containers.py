# Containers and user-defined objects are tracked, because they can take part in cycles.
import gc


class Plain:
    pass


def func():
    return None


for label, value in [
    ("list", []),
    ("set", set()),
    ("instance", Plain()),
    ("class", Plain),
    ("function", func),
    ("lambda", lambda: 0),
    ("dict holding a list", {"k": []}),
]:
    print(label, gc.is_tracked(value))
