# A for-loop variable is an ordinary reference that moves from item to item.
import sys

first = [1]
second = [2]
print("first before loop:", sys.getrefcount(first))

seen = []
for node in [first, second]:
    # Inside the loop: its own name, the loop variable, the temporary list, and the argument.
    seen.append(sys.getrefcount(node))
print("counts seen in loop:", seen)

# After the loop the name still refers to the last item.
print("node is second:", node is second)
print("first after loop:", sys.getrefcount(first))
print("second after loop:", sys.getrefcount(second))
