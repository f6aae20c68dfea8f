# Generic classes take a TypeVar so a checker can follow what goes in and out; Protocol
# describes an interface by shape, and @runtime_checkable lets isinstance test that shape.
from typing import Generic, Iterator, Protocol, TypeVar, runtime_checkable

T = TypeVar("T")


class Stack(Generic[T]):
    def __init__(self) -> None:
        self.items: list[T] = []

    def push(self, item: T) -> None:
        self.items.append(item)

    def pop(self) -> T:
        return self.items.pop()

    def __iter__(self) -> Iterator[T]:
        return reversed(self.items)


s = Stack[int]()
s.push(1)
s.push(2)
print(list(s), s.pop(), T, Stack[str], Stack.__parameters__)
print(Stack.__orig_bases__, Stack.__mro__)


@runtime_checkable
class Closable(Protocol):
    def close(self) -> None: ...


class File:
    def close(self) -> None:
        print("closed")


class Rock:
    pass


for thing in (File(), Rock()):
    if isinstance(thing, Closable):
        thing.close()
    else:
        print(type(thing).__name__, "is not closable")

try:
    Closable()
except TypeError as e:
    print("TypeError:", e)
try:
    Stack[int, str]
except TypeError as e:
    print("TypeError:", e)
