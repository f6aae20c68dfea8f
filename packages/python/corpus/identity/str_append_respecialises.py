# A + that specialised for ints goes back to adaptive after 53 misses, then specialises again.
# CPython 3.11's specialised instructions count their misses (53, then the adaptive form comes
# back with a counter of 31); the adaptive form backs off exponentially when the operands fit
# no specialisation. Only once `+` is specialised for str stored back to its local does s += t
# resize in place, so the ids below show when each of those happens.


def run(values, rounds):
    acc = values[0]
    marks = []
    for i in range(rounds):
        v = values[i % len(values)] if i < 20 else "s"
        if i == 20:
            acc = "x" + str(i)
        before = id(acc)
        acc += v
        marks.append("=" if id(acc) == before else "m")
    return "".join(marks[20:])


# First call: `+` specialises for ints (from the eighth round on); the strs then miss 53 times,
# the adaptive form waits 31 more rounds and specialises for str in place.
print("after ints:  ", run([1000, 2000], 140))
# The caches belong to the code object: the next calls start specialised for str in place, and
# 20 rounds of floats or lists are fewer misses than it takes to go back to adaptive.
print("after floats:", run([1.5, 2.5], 140))
print("after lists: ", run([[1], [2]], 140))
