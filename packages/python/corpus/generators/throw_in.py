# throw() raises an exception at the paused yield; the generator may handle it and go on, or not.
def worker():
    done = 0
    while True:
        try:
            yield done
            done += 1
        except ValueError as e:
            print("worker handled", repr(e))


w = worker()
next(w)
next(w)
print("throw returns the next yield:", w.throw(ValueError("bad input")))
print(next(w))
try:
    w.throw(KeyError("stop"))  # not handled: it propagates and ends the generator
except KeyError as e:
    print("caller got", repr(e))
print("finished:", w.gi_frame is None)
print("next on it:", next(w, "exhausted"))

fresh = worker()
try:
    fresh.throw(RuntimeError, "never started")  # raised before its first line runs
except RuntimeError as e:
    print("unstarted generator raised", e)
