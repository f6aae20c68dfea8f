# A frame object that outlives its frame keeps the frame's function, and drops it before the locals.
class Noisy:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("freed", self.name)


def make_generator():
    def gen(arg):
        local = Noisy("local")
        try:
            yield 1
        except GeneratorExit:
            print("generator closed")
            return

    gen.tag = Noisy("function")  # dies with the function
    return gen


fn = make_generator()
g = fn(Noisy("argument"))
next(g)
frame = g.gi_frame
del fn
print("dropping the generator, keeping its frame")
del g
print("frame's locals:", sorted(frame.f_locals))
print("dropping the frame")
del frame

fn = make_generator()
g = fn(Noisy("argument 2"))
next(g)
frame = g.gi_frame
del fn
for _ in g:
    pass
print("exhausted; generator's frame now:", g.gi_frame)
del g
print("dropping the frame of the exhausted generator")
del frame


# A traceback keeps the frames it passed through, and so their functions.
def make_failing():
    def fail(x):
        raise ValueError(x)

    fail.tag = Noisy("failing function")
    return fail


f = make_failing()
try:
    f(Noisy("failing argument"))
except ValueError as exc:
    saved = exc
del f
print("function name dropped; the traceback still holds its frame")
del saved
print("end")
