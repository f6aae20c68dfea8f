"""Fills every free list of CPython 3.11 past its capacity and prints what they hold.

Usage: python3 freelist_capacities.py

Each kind of object is created well past its free list's capacity and then dropped, so each
list ends full. The script prints one JSON object: the sys._debugmallocstats() text (its free-
list lines give the float, tuple, list and dict capacities) and the growth of
sys.getallocatedblocks() from a state with every free list empty (gc.collect() clears them):
the parked blocks, dict keys objects included, whose list 3.11's stats do not print.
"""
import array
import gc
import json
import os
import sys
import tempfile

MANY = 2500


def dump(fd):
    sys.stderr.flush()
    saved = os.dup(2)
    os.dup2(fd, 2)
    sys._debugmallocstats()
    os.dup2(saved, 2)
    os.close(saved)


def churn():
    floats = [i + 0.5 for i in range(MANY)]
    tuples = [[(i,) + (None,) * (n - 1) for i in range(MANY)] for n in range(1, 21)]
    lists = [[i] for i in range(MANY)]
    dicts = [{"k": i} for i in range(MANY)]
    del floats, tuples, lists, dicts


path = tempfile.mkstemp(prefix="freelists-")[1]
fd = os.open(path, os.O_RDWR | os.O_TRUNC)
blocks = array.array("q", [0, 0])
gc.disable()
churn()  # warm everything the churn touches, so only parked blocks remain the second time
gc.collect()
blocks[0] = sys.getallocatedblocks()
churn()
blocks[1] = sys.getallocatedblocks()
dump(fd)
os.lseek(fd, 0, 0)
text = os.read(fd, 1 << 20).decode()
os.close(fd)
os.unlink(path)
print(json.dumps({"stats": text, "parkedBlocks": blocks[1] - blocks[0]}))
