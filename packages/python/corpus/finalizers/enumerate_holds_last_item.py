# After a loop over enumerate(), its result tuple still holds the last item it handed out.
# The tuple is reused from step to step, so it lives as long as the enumerate object does, and
# so does the last item in it: the item is freed only when the enumerate goes.
class Item:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("freed", self.name)


def items():
    yield Item("first")
    yield Item("second")
    yield Item("last")


numbered = enumerate(items())
for index, item in numbered:
    print(index, item.name)
del item
print("loop over, last item not freed yet")
del numbered
print("enumerate dropped")
