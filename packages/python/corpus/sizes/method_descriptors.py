# A built-in type's method, taken from the class, is a method descriptor: list.append is one
# object made when list was readied, shared by every list and every subclass. Taken from an
# instance it makes a new bound builtin method each time; called with the instance first it
# needs no bound method at all, and it checks that first argument itself.
import gc
import sys

print(repr(list.append), type(list.append).__name__)
print(repr(str.upper), type(str.upper).__name__)
print(repr(list.__len__), type(list.__len__).__name__)
# A PyMethodDescrObject is 56 bytes and a container (it refers to its type).
print(sys.getsizeof(list.append), gc.is_tracked(list.append), gc.get_referents(list.append))
print(list.append is list.append, [].append is [].append)
print(list.append.__name__, list.append.__qualname__, list.append.__objclass__)

# Calling the descriptor with the object first.
names = []
add = list.append
for word in ["ham", "eggs", "spam"]:
    add(names, word)
print(names, list.__len__(names), str.upper(names[0]))
print(list(map(str.title, names)), sorted(names, key=len))


class Stack(list):
    pass


s = Stack()
list.append(s, 1)
print(s, Stack.append is list.append)

# A bound method holds its instance: one more reference while it exists.
before = sys.getrefcount(names)
bound = names.append
print(sys.getrefcount(names) - before, type(bound).__name__, bound.__self__ is names)
del bound
print(sys.getrefcount(names) - before)


def attempt(f, *args):
    try:
        f(*args)
    except TypeError as e:
        print("TypeError:", e)


attempt(list.append, "not a list", 1)
attempt(list.append)
attempt(str.upper, 42)
attempt(list.__len__)
attempt(list.__init__, 3)
attempt(list.append, [])
