# The manager object lives until the with statement is finished, then dies if nothing else holds it.
class Temp:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        print("enter", self.name)
        return self.name

    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name)
        return False

    def __del__(self):
        print("freed", self.name)


with Temp("scratch") as label:
    print("inside, label is", label)
print("after the block")
