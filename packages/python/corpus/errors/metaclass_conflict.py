# A class's metaclass must derive from the metaclass of every base: two unrelated metaclasses
# cannot be combined, and the class statement fails before the class exists.
class Ordered(type):
    pass


class Audited(type):
    pass


class Model(metaclass=Ordered):
    pass


class Record(metaclass=Audited):
    pass


class Both(Ordered, Audited):
    pass


class Fine(Model, Record, metaclass=Both):
    pass


print("a metaclass deriving from both works:", type(Fine).__name__)


class Broken(Model, Record):
    pass


print("never printed")
