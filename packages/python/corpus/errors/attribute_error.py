# Accessing an attribute an object does not have raises AttributeError.
class Sensor:
    __slots__ = ("name", "value")

    def __init__(self, name):
        self.name = name
        self.value = 0


s = Sensor("temp")
s.value = 21
print(s.name, s.value)
s.unit = "C"
