# The steps of a class statement with a metaclass, in order: __prepare__ makes the namespace, the
# body runs in it, the metaclass's __new__ and type.__new__ make the class (calling
# __set_name__ on its attributes, then the base's __init_subclass__), then __init__ runs.
# Calling the class goes through the metaclass's __call__.
class Tracer(type):
    @classmethod
    def __prepare__(mcls, name, bases, **kwargs):
        print("1. __prepare__", name, kwargs)
        return {"created_by": mcls.__name__}

    def __new__(mcls, name, bases, namespace, **kwargs):
        print("3. __new__", name, sorted(k for k in namespace if not k.startswith("__")))
        return super().__new__(mcls, name, bases, namespace, **kwargs)

    def __init__(cls, name, bases, namespace, **kwargs):
        print("6. __init__", name)
        super().__init__(name, bases, namespace)

    def __call__(cls, *args, **kwargs):
        print("7. __call__", cls.__name__, args)
        return super().__call__(*args, **kwargs)


class Attribute:
    def __set_name__(self, owner, name):
        print("4. __set_name__", owner.__name__, name)


class Base(metaclass=Tracer):
    def __init_subclass__(cls, **kwargs):
        print("5. __init_subclass__", cls.__name__, kwargs)


class Widget(Base, size=3):
    print("2. body runs")
    label = Attribute()

    def __init__(self, value):
        self.value = value


w = Widget(10)
print(w.value, Widget.created_by, type(Widget).__name__)
