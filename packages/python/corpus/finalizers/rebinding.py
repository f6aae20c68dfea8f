# Rebinding a name releases the old value: its finalizer runs during the assignment.
class Tag:
    def __init__(self, n):
        self.n = n

    def __del__(self):
        print("drop", self.n)


current = Tag(1)
for i in range(2, 5):
    print("assigning", i)
    # The new object is built first, then the old one is released.
    current = Tag(i)
print("last is", current.n)
current = None
print("done")
