# Dropping an unfinished generator closes it: GeneratorExit is raised at its yield and `finally` runs.
def reader(name):
    print(name, "opened")
    try:
        while True:
            yield name + " line"
    finally:
        # The cleanup a generator owes its caller runs even if the caller stops early.
        print(name, "closed")


r = reader("first")
print(next(r))
print(next(r))
print("dropping the reader")
del r  # the last reference: the finalizer closes it right here
print("after del")

r = reader("second")
print(next(r))
r.close()  # the same, explicitly
print("close() again does nothing:", r.close())
print("a closed generator has no frame:", r.gi_frame is None)
