# gc.get_referents(x) lists what x's tp_traverse visits, in its order: for a function the code
# first, then globals, builtins, module name, defaults, keyword defaults, doc, name, attribute
# dict, closure, annotations and qualname; for a module only its dict; for a class its dict,
# its MRO, its bases and its base, but not its name (a str cannot be in a cycle).
import gc
import sys


def describe(objects):
    out = []
    for o in objects:
        if isinstance(o, dict):
            names = sorted(k for k in o if not k.startswith("__"))
            out.append("dict of " + (", ".join(names[:3]) if names else "nothing"))
        elif isinstance(o, str):
            out.append("str " + repr(o))
        elif isinstance(o, tuple):
            out.append("tuple of " + ", ".join(type(x).__name__ for x in o))
        else:
            out.append(type(o).__name__ + (" " + o.__name__ if isinstance(o, type) else ""))
    return out


def make_counter(step):
    total = 0

    def counter(amount=1, *, scale=1) -> int:
        "Adds to a running total."
        nonlocal total
        total += amount * scale * step
        return total

    return counter


counter = make_counter(2)
counter.calls = 0
for line in describe(gc.get_referents(counter)):
    print("function:", line)

print("module:", describe(gc.get_referents(sys.modules[__name__])))


class Base:
    kind = "base"


class Child(Base):
    pass


print("class:", describe(gc.get_referents(Child)))
print("plain function:", describe(gc.get_referents(describe)))
