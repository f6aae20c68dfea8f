# __getattribute__ runs for every attribute read of an instance, found or not; __getattr__
# only for what the ordinary lookup (or __getattribute__) could not find. The fallback to the
# ordinary lookup is object.__getattribute__, reached directly or through super().


class Audited:
    def __init__(self, balance):
        self.balance = balance
        self.reads = 0

    def __getattribute__(self, name):
        if name != "reads":
            object.__setattr__(self, "reads", object.__getattribute__(self, "reads") + 1)
        return object.__getattribute__(self, name)

    def deposit(self, amount):
        self.balance += amount
        return self.balance


a = Audited(10)
print(a.balance, a.deposit(5), a.balance, a.reads)
print(hasattr(a, "missing"), a.reads)


class Defaults:
    def __getattribute__(self, name):
        if name.startswith("secret"):
            raise AttributeError(name)
        return super().__getattribute__(name)

    def __getattr__(self, name):
        return f"<default {name}>"


d = Defaults()
d.colour = "red"
print(d.colour, d.secret_code, d.size)


class Frozen:
    __slots__ = ("x",)

    def __init__(self):
        self.x = 1

    def __getattribute__(self, name):
        value = object.__getattribute__(self, name)
        return value * 10 if name == "x" else value


f = Frozen()
print(f.x, getattr(f, "x"), [f.x for _ in range(3)])

# Assigned to a class later, the hook applies to existing instances and to subclasses.


class Plain:
    def __init__(self):
        self.v = 1


class Child(Plain):
    pass


c = Child()
print(c.v)
Plain.__getattribute__ = lambda self, name: "hooked " + name
print(c.v, Plain().anything)
del Plain.__getattribute__
print(c.v)
try:
    c.missing
except AttributeError as e:
    print("AttributeError:", e)
