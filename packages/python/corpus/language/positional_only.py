# Parameters before / are positional-only: passing them by keyword is an error, unless **kwargs takes the name.
def area(width, height, /, scale=1):
    return width * height * scale


print(area(2, 3), area(2, 3, scale=2))
for call in (lambda: area(width=2, height=3), lambda: area(2, height=3), lambda: area(2, 3, depth=4)):
    try:
        call()
    except TypeError as e:
        print("TypeError:", e)


def record(name, /, **fields):
    return name, fields


print(record("row", name="a field called name"))
