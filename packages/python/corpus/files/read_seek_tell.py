# Reading a text file: read(n), readline(), iteration and readlines() share one position,
# which tell() reports in bytes and seek() moves back to.
import os

with open("lines.txt", "w") as f:
    f.writelines(["alpha\n", "beta\n", "gamma\n", "délta\n"])
    print("written bytes:", f.tell())

with open("lines.txt") as f:
    print(repr(f.read(3)), f.tell())
    print(repr(f.readline()), f.tell())
    mark = f.tell()
    for line in f:
        print("line:", repr(line))
    print("at the end:", f.tell(), repr(f.read()), repr(f.readline()))
    f.seek(mark)
    print("again:", f.readlines())

with open("lines.txt", "rb") as f:
    print(f.read(6), f.tell())
    f.seek(-7, 2)
    print(f.read())

with open("lines.txt", "r+") as f:
    f.seek(0, 2)
    f.write("epsilon\n")
    f.seek(0)
    print("lines now:", len(f.readlines()))
os.remove("lines.txt")
