# `del` removes a name; __del__ waits until no container or name refers to the object.
class Shared:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("finalize", self.name)


s = Shared("s")
holders = [s, {"key": s}]
del s
print("name deleted, still held twice")
holders.pop()
print("dict dropped, still held by the list")
holders.pop()
print("done")
