# A running generator cannot be resumed from inside itself.
def reentrant():
    me = yield "give me myself"
    print("running:", me.gi_running)
    try:
        next(me)
    except ValueError as e:
        print("ValueError:", e)
    yield "done"


r = reentrant()
print(next(r))
print("suspended, not running:", r.gi_running)
print(r.send(r))
