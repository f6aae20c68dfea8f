# Default values are evaluated once, when the def runs: a mutable default is shared between calls.
def append_bad(item, items=[]):
    items.append(item)
    return items


def append_good(item, items=None):
    if items is None:
        items = []
    items.append(item)
    return items


print(append_bad(1), append_bad(2), append_bad(3))
print(append_good(1), append_good(2))
print("the shared default:", append_bad.__defaults__)


def greet(name, greeting="hello", punct="!"):
    return f"{greeting}, {name}{punct}"


print(greet("ada"))
print(greet("bob", "hi"))
print(greet("cy", punct="?"))
