# An owner is finalized before the objects it owns: they are released while it is being freed.
class Part:
    def __init__(self, name, child=None):
        self.name = name
        self.child = child

    def __del__(self):
        print("finalize", self.name, "- child alive:", self.child is not None)


chain = Part("top", Part("middle", Part("bottom")))
print("dropping the chain")
chain = None
print("done")
