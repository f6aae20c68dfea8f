# copy and deepcopy rebuild an instance from what its class's __reduce__ or __reduce_ex__
# returns: a callable with its arguments, then state, list items and dict pairs (a string
# means the object is a named global, copied as itself).
import copy


class Temperature:
    def __init__(self, celsius):
        self.celsius = celsius
        self.log = []

    def __reduce__(self):
        print("reduce called")
        return (Temperature, (self.celsius,), {"log": ["restored"]})


class Singleton:
    def __reduce__(self):
        return "SINGLETON"


SINGLETON = Singleton()


class Bag(list):
    def __reduce_ex__(self, protocol):
        print("reduce_ex", protocol)
        return (Bag, (), {"tag": 1}, iter(self))


t = Temperature(21)
c = copy.copy(t)
print(c.celsius, c.log, c is t)
d = copy.deepcopy([t, t])
print(d[0] is d[1], d[0].log)
print(copy.copy(SINGLETON) is SINGLETON, copy.deepcopy(SINGLETON) is SINGLETON)
b = Bag([1, [2]])
b2 = copy.deepcopy(b)
print(b2, b2.tag, b2[1] is b[1])
