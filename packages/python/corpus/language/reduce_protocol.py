# object.__reduce_ex__ describes how to rebuild an instance: protocol 2+ names copyreg.__newobj__
# with the class and the state __getstate__ gives (the instance dict, slots beside it);
# protocols 0 and 1 go through copyreg._reconstructor. A class's own __reduce__ comes first.
import copy
import copyreg


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


class Slotted:
    __slots__ = ("a", "__b")

    def __init__(self):
        self.a = 1
        self.__b = 2


class Custom:
    def __reduce__(self):
        return (Custom, ())


class Args(int):
    def __getnewargs_ex__(self):
        return ((int(self),), {})


p = Point(1, 2)
print(p.__getstate__() is p.__dict__, Point.__new__(Point).__getstate__())
f, args, state, items, pairs = p.__reduce_ex__(2)
print(f is copyreg.__newobj__, args == (Point,), state, items, pairs)
print(p.__reduce_ex__(4)[1:3])
f, args, state = p.__reduce_ex__(1)
print(f is copyreg._reconstructor, args == (Point, object, None), state)
print(p.__reduce__()[0] is copyreg._reconstructor)
s = Slotted()
print(s.__getstate__(), s.__reduce_ex__(2)[2])
try:
    s.__reduce_ex__(1)
except TypeError as e:
    print(e)
print(Custom().__reduce_ex__(2), Custom().__reduce_ex__(0))
print((5).__reduce_ex__(2)[1], [1, 2].__reduce_ex__(2)[1:3], list([1, 2].__reduce_ex__(2)[3]))
print(list({1: 2}.__reduce_ex__(2)[4]))
print(object().__reduce__()[1], object().__reduce_ex__(2)[1:])
print(Args(3).__reduce_ex__(2)[0] is copyreg.__newobj__)
print(copyreg.__newobj__(Point, ).__class__.__name__, copyreg._slotnames(Slotted))
q = copyreg.__newobj__(*p.__reduce_ex__(2)[1])
q.__dict__.update(p.__reduce_ex__(2)[2])
print(vars(q))
try:
    p.__reduce_ex__("2")
except TypeError as e:
    print(e)
try:
    p.__reduce_ex__()
except TypeError as e:
    print(e)
print(vars(copy.copy(p)), vars(copy.deepcopy(p)))
