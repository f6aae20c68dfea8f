# Ints from -5 to 256 are preallocated singletons: computing one gives back the cached object.
def same_when_computed(n):
    # Build the value twice at run time so no constant can be shared.
    a = n + 0
    b = int(str(n))
    return a is b


for n in [-6, -5, -1, 0, 1, 100, 255, 256, 257, 1000]:
    print(n, same_when_computed(n))
