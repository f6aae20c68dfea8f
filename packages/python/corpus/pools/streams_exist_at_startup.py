# sys.stdout, sys.stderr and the io module exist before a program's first line.
# Python's start-up made the streams (a TextIOWrapper over a BufferedWriter over a FileIO each),
# so reading them, importing io or printing for the first time allocates no stream objects.
import gc
import sys

gc.disable()
blocks_before = sys.getallocatedblocks()
tracked_before = gc.get_count()[0]
out = sys.stdout
err = sys.stderr
import io

print("new blocks:", sys.getallocatedblocks() - blocks_before - 1)
print("new tracked objects:", gc.get_count()[0] - tracked_before)
print("they are the start-up streams:", out is sys.__stdout__, err is sys.__stderr__)
print(type(out).__name__, type(out.buffer).__name__, type(out.buffer.raw).__name__)
print(out.name, err.name, isinstance(out, io.TextIOWrapper))
