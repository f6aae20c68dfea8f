# send() resumes a generator with a value: the value of the `yield` expression it was paused at.
def running_average():
    total = 0
    count = 0
    average = None
    while True:
        value = yield average
        total += value
        count += 1
        average = total / count


avg = running_average()
print("primed:", next(avg))  # runs to the first yield
for v in [10, 20, 60]:
    print("after", v, "->", avg.send(v))

fresh = running_average()
try:
    fresh.send(5)  # nothing is waiting for a value yet
except TypeError as e:
    print("TypeError:", e)
print("send(None) starts it like next():", fresh.send(None))
