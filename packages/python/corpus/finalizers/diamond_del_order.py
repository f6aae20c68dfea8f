# __del__ in a diamond: each class's finalizer passes on to the next class in the MRO with
# super().__del__(), so every class in the hierarchy cleans up once, in MRO order, when the
# last reference goes.
class Resource:
    def __del__(self):
        print("  Resource.__del__")


class Logged(Resource):
    def __del__(self):
        print("  Logged.__del__")
        super().__del__()


class Locked(Resource):
    def __del__(self):
        print("  Locked.__del__")
        super().__del__()


class Service(Logged, Locked):
    def __del__(self):
        print("  Service.__del__")
        super().__del__()


print([k.__name__ for k in Service.__mro__])
s = Service()
print("dropping s")
del s
print("a list of three, dropped")
items = [Service(), Logged(), Locked()]
del items
print("end")
