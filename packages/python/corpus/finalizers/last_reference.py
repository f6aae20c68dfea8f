# __del__ runs the moment the last reference disappears, not at some later collection.
class Noisy:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("finalizing", self.name)


a = Noisy("a")
b = a
print("del a")
del a
print("del b")
del b
print("end of program")
