# Branching on isinstance to describe values, including tuples of types and bool being an int.
def describe(value):
    if isinstance(value, bool):
        return "bool " + str(value)
    if isinstance(value, (int, float)):
        return f"number {value!r} of type {type(value).__name__}"
    if isinstance(value, str):
        return f"str of length {len(value)}"
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__} of {len(value)}: " + ", ".join(describe(v) for v in value)
    if isinstance(value, dict):
        return "dict with keys " + ", ".join(sorted(value))
    return "something else: " + type(value).__name__


for v in [True, 3, 2.5, "text", [1, "a"], (None,), {"b": 1, "a": 2}, None]:
    print(describe(v))
print(type(3) is int, type(True) is int, isinstance(True, int))
