# bytearray and array.array can be subclassed: the instance is still a mutable buffer, it
# gains a __dict__ and the class's methods, and its repr names the class. The base type's
# methods and operators build plain bytearrays and arrays, not instances of the subclass.
import array


class Frame(bytearray):
    def checksum(self):
        return sum(self) % 256


f = Frame(b"\x01\x02\x03")
f.kind = "data"
f.append(250)
print(f, f.checksum(), f.kind, len(f))
print(type(f + b"!").__name__, type(f[1:]).__name__, type(f.upper()).__name__)


class Samples(array.array):
    def __new__(cls, values):
        return super().__new__(cls, "d", values)

    def mean(self):
        return sum(self) / len(self)


s = Samples([1.5, 2.5, 3.5])
print(s, s.typecode, s.mean(), isinstance(s, array.array))
print(type(s * 2).__name__, type(s[:2]).__name__, s.tolist())
