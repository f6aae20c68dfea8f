# print() to a piped stdout keeps what it wrote in sys.stdout's buffer until 8 KiB are
# pending: the str each print made of an int stays alive there, held by a list, until
# flush() hands the text on and frees them.
import gc
import sys

gc.disable()
print("printing 100 ints")
sys.stdout.flush()
before = sys.getallocatedblocks()
for n in range(1000, 1100):
    print(n)
held = sys.getallocatedblocks() - before
sys.stdout.flush()
after_flush = sys.getallocatedblocks() - before
print("blocks held after 100 prints:", held)
print("blocks held after flush():", after_flush)
gc.enable()
