"""pymalloc's geometry seen through id() (EXP-g): object() instances are 16-byte blocks of size
class 0, and CPython's id() is the block's address.

Usage: python3 pool_geometry.py

Prints one JSON object: the smallest and largest offset of a block in its 16 KiB pool, the most
blocks seen in one pool, and whether a freed block is handed out by the next allocation.
"""
import collections
import json

POOL = 16 * 1024
objs = [object() for _ in range(200_000)]
offsets = {id(o) % POOL for o in objs}
per_pool = collections.Counter(id(o) // POOL for o in objs)
a = object()
address = id(a)
del a
b = object()
print(json.dumps({
    "smallestOffset": min(offsets),
    "largestOffset": max(offsets),
    "mostBlocksInAPool": max(per_pool.values()),
    "freedBlockReusedNext": id(b) == address,
}))
