# ParamSpec lets a decorator's type say "same parameters as the function it wraps", and
# Annotated attaches metadata to a type that get_type_hints strips unless asked to keep it.
from typing import Annotated, Callable, ParamSpec, TypeVar, get_type_hints

P = ParamSpec("P")
R = TypeVar("R")


def logged(func: Callable[P, R]) -> Callable[P, R]:
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        print("calling", func.__name__, args, kwargs)
        return func(*args, **kwargs)

    return wrapper


Meters = Annotated[float, "meters"]


@logged
def area(width: Meters, height: Meters) -> float:
    return width * height


print(area(3.0, height=2.0))
print(P, P.args, P.kwargs, Callable[P, R])
print(Meters, Meters.__metadata__)


def scale(x: Meters, factor: float) -> Meters:
    return x * factor


print(get_type_hints(scale))
print(get_type_hints(scale, include_extras=True)["x"])
