# The `as` target receives whatever __enter__ returns, which need not be the manager itself.
class Opener:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        return "handle:" + self.name

    def __exit__(self, exc_type, exc, tb):
        print("closing", self.name)
        return False


mgr = Opener("data.txt")
with mgr as h:
    print("got", h)
    print("is the manager:", h is mgr)
# The name stays bound after the block.
print("still bound:", h)
