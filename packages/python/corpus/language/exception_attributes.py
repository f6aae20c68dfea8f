# An exception's own attributes can be replaced but not deleted; its __dict__ holds the rest.
e = ValueError("bad", 42)
e.note = "extra"
print(e.args, e.note, sorted(vars(e)))
del e.note
print(sorted(vars(e)))
for name in ("args", "__traceback__", "__cause__", "__context__", "__suppress_context__", "__dict__"):
    try:
        delattr(e, name)
    except TypeError as err:
        print(name, "->", err)
for name, value in (("args", [1, 2]), ("__cause__", 5), ("__context__", "x"), ("__traceback__", 1)):
    try:
        setattr(e, name, value)
        print(name, "=", getattr(e, name))
    except TypeError as err:
        print(name, "->", err)
