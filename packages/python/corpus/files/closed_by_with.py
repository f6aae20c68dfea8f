# A `with` block closes the file when it ends, even when an exception leaves the block.
import os

with open("with_block.txt", "w") as f:
    print("inside, closed:", f.closed)
    f.write("first line\n")
print("after the block, closed:", f.closed)

try:
    with open("with_block.txt") as f:
        print("read:", f.readline().rstrip())
        raise KeyError("stop")
except KeyError:
    print("the exception left the block, closed:", f.closed)

# A closed file refuses to work: the with statement was its whole life.
try:
    f.read()
except ValueError as e:
    print("ValueError:", e)

os.remove("with_block.txt")
print("removed:", not os.path.exists("with_block.txt"))
