# functools.wraps makes a decorator's wrapper look like the function it wraps: it copies
# __name__, __qualname__, __doc__ and __module__ and keeps the original as __wrapped__.
import functools


def logged(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        print("calling", func.__name__, args)
        return func(*args, **kwargs)

    return wrapper


@logged
def area(width, height):
    """Area of a rectangle."""
    return width * height


print(area(3, 4))
print(area.__name__, "|", area.__doc__, "|", area.__wrapped__(2, 5))

square = functools.partial(area, height=1)
print(square(7), square.keywords)
print(functools.reduce(lambda total, n: total * n, range(1, 6)))


@functools.total_ordering
class Version:
    def __init__(self, major, minor):
        self.key = (major, minor)

    def __eq__(self, other):
        return self.key == other.key

    def __lt__(self, other):
        return self.key < other.key


print(Version(1, 2) <= Version(1, 3), Version(2, 0) > Version(1, 9), Version(1, 0) >= Version(1, 0))
