# Since Python 3.9 the built-in classes take type parameters themselves (list[int] is a
# types.GenericAlias), and since 3.10 X | Y between classes makes a types.UnionType that
# isinstance accepts.
import types


def first(items: list[int]) -> int | None:
    return items[0] if items else None


print(first([3, 4]), first([]))
print(first.__annotations__)

alias = dict[str, list[int]]
print(alias, type(alias) is types.GenericAlias, alias.__origin__, alias.__args__)
print(list[int]([1, 2]), tuple[int, ...], type[int], list[int] == list[int], list[int] == list[str])

number = int | float
print(number, type(number).__name__, number.__args__)
print(isinstance(2.5, number), isinstance("2", number), isinstance(None, int | None))
print(int | str == str | int, int | int, str | None)

for bad in (lambda: isinstance([], list[int]), lambda: int | 3):
    try:
        bad()
    except TypeError as e:
        print("TypeError:", e)
