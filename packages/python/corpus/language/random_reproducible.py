# Seeding makes "random" programs reproducible: random.seed(n) fixes every later draw, a
# Random instance has a generator of its own, and getstate()/setstate() rewind one.
import random

random.seed(7)
print([random.randint(1, 6) for _ in range(10)])
print(round(random.random(), 6), round(random.uniform(10, 20), 6))

deck = [f"{rank}{suit}" for suit in "SH" for rank in "A23456"]
random.shuffle(deck)
print("shuffled:", deck)
print("hand:", random.sample(deck, 4), "pick:", random.choice(deck))
print("weighted:", random.choices(["red", "green", "blue"], weights=[5, 1, 1], k=8))

# Two generators with the same seed draw the same numbers, independent of the module's one.
a = random.Random("experiment-1")
b = random.Random("experiment-1")
print([a.randrange(100) for _ in range(5)] == [b.randrange(100) for _ in range(5)])

# Saving the state and restoring it replays the draws that followed.
saved = a.getstate()
first = [a.getrandbits(16) for _ in range(3)]
a.setstate(saved)
print(first == [a.getrandbits(16) for _ in range(3)], first)
print(round(a.gauss(100, 15), 4), round(a.gauss(100, 15), 4))
