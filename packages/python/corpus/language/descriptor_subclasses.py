# property, classmethod and staticmethod are classes like any other: a subclass can add state
# and override __get__/__set__, reaching the built-in behaviour through super(). A property
# subclass stays a data descriptor, so it runs even when the instance dict has the name.


class logged_property(property):
    def __get__(self, obj, objtype=None):
        if obj is not None:
            print("  reading", self.fget.__name__)
        return super().__get__(obj, objtype)

    def __set__(self, obj, value):
        print("  writing", self.fget.__name__, "=", value)
        super().__set__(obj, value)


class registered(classmethod):
    names = []

    def __init__(self, func):
        super().__init__(func)
        registered.names.append(func.__name__)


class Temperature:
    def __init__(self, celsius):
        self._celsius = celsius

    @logged_property
    def celsius(self):
        return self._celsius

    @celsius.setter
    def celsius(self, value):
        self._celsius = value

    @registered
    def freezing(cls):
        return cls(0)

    @staticmethod
    def describe():
        return "degrees"


t = Temperature.freezing()
t.celsius = 21
print(t.celsius, Temperature.describe())
t.__dict__["celsius"] = "shadow?"
print(t.celsius)
print(type(Temperature.__dict__["celsius"]).__name__, registered.names)
