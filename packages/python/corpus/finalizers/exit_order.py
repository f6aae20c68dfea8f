# Objects still alive when the program ends are finalized at shutdown. Python first runs a
# full collection while every module is alive (which only reorders the survivors the way a
# collection does: a list's items are visited from the last to the first), then drops the
# __main__ module and collects again: its objects are garbage now, and their __del__ methods
# run in the order the collector meets them: the host first, then the list's items from the
# last to the first.
class Guest:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("goodbye from", self.name)


guests = [Guest("ann"), Guest("bob"), Guest("cy")]
host = Guest("host")
print("the program ends here")
