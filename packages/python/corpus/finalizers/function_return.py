# Locals are released when their function returns, so their finalizers run before the caller continues.
class Resource:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("release", self.name)


def work():
    temp = Resource("temp")
    kept = Resource("kept")
    print("working")
    return kept


print("calling")
result = work()
print("returned", result.name)
del result
print("done")
