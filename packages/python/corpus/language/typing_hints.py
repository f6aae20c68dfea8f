# Type hints are ordinary objects: typing's aliases are subscripted into new objects with
# readable reprs, annotations are stored on the function or class, and get_type_hints
# evaluates the string ones. Nothing checks them at run time.
from dataclasses import dataclass, field, fields
from typing import (Any, Callable, ClassVar, Dict, List, Optional, Tuple, Union, cast,
                    get_type_hints, overload, TYPE_CHECKING)


def tally(words: List[str], weights: Optional[Dict[str, int]] = None) -> Dict[str, int]:
    counts: Dict[str, int] = {}
    for w in words:
        counts[w] = counts.get(w, 0) + (weights or {}).get(w, 1)
    return counts


print(tally(["a", "b", "a"], {"b": 5}))
print(tally.__annotations__)
print(List[int], Optional[int], Union[int, str], Union[int, str, None], Union[int, int])
print(Tuple[int, ...], Callable[[int, str], bool], Callable[..., Any], Dict[str, List[int]])
print(Optional[int] == Union[int, None], Union[int, str] == Union[str, int])

# Hints are not enforced: this runs, and cast only tells a checker what to assume.
print(tally(cast(List[str], ("x", "x"))), TYPE_CHECKING)


class Node:
    value: int
    next: "Optional[Node]"
    created: ClassVar[int] = 0


print(get_type_hints(Node))


@dataclass
class Inventory:
    items: List[str] = field(default_factory=list)
    instances: ClassVar[int] = 0


inv = Inventory()
print(inv, [f.name for f in fields(Inventory)])


@overload
def double(x: int) -> int: ...
@overload
def double(x: str) -> str: ...
def double(x):
    return x * 2


print(double(4), double("ab"))

for bad in (lambda: List[int](), lambda: isinstance([], List[int]), lambda: Dict[int]):
    try:
        bad()
    except TypeError as e:
        print("TypeError:", e)
print(isinstance([], List), isinstance({}, Dict))
