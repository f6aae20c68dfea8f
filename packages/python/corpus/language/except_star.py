# except* (PEP 654): each clause handles the part of an exception group that matches its type.
# A group is split, not caught whole: every clause whose type matches some members runs once, on
# a group of just those members (keeping the original's message and nesting), and whatever no
# clause handled is raised again at the end, still a group.


def fetch_all(urls):
    errors = []
    for url in urls:
        if url.startswith("ftp:"):
            errors.append(ValueError(f"unsupported scheme in {url}"))
        elif url.endswith(".gone"):
            errors.append(LookupError(f"no such host: {url}"))
    if errors:
        raise ExceptionGroup("some fetches failed", errors)


urls = ["http://a.example", "ftp://b.example", "http://c.gone", "ftp://d.example"]
try:
    fetch_all(urls)
except* ValueError as group:
    print("bad schemes:", [str(e) for e in group.exceptions])
    print("its message is kept:", group.message)
except* LookupError as group:
    print("lookups failed:", len(group.exceptions))

# A clause that does not match leaves the rest to propagate; a bare exception is wrapped.
try:
    try:
        raise ExceptionGroup("mixed", [TypeError("t"), KeyError("k")])
    except* TypeError:
        print("handled the TypeError")
except ExceptionGroup as rest:
    print("left over:", repr(rest))

try:
    raise ZeroDivisionError("naked")
except* ArithmeticError as wrapped:
    print("wrapped:", repr(wrapped), type(wrapped).__name__)

# split and subgroup are what except* uses; the parts keep the group's structure.
nested = ExceptionGroup("outer", [ValueError(1), ExceptionGroup("inner", [TypeError(2), ValueError(3)])])
match, rest = nested.split(ValueError)
print(repr(match))
print(repr(rest))
print(nested.subgroup(lambda e: isinstance(e, TypeError)))
print(BaseExceptionGroup("all Exceptions", [ValueError()]).__class__.__name__)
