"""Reproducible small allocations between two sys._debugmallocstats() dumps.

Usage: python3 mallocstats_delta.py [seed]

The sequence allocates and frees objects whose pymalloc request size is known exactly:
`object()` (16 bytes), `-BIG` (a copy of a two-digit int: 32 bytes) and `b"\\0" * n` (33 + n
bytes, n >= 2; more than 512 bytes goes to the raw allocator). Everything the script needs (the
sequence, the slots, the dump files) is created before the "before" dump and lives past the
"after" dump, so the difference between the two is the sequence's alone.

Before the "before" dump, the script fills every partly used pool of the classes the sequence
touches (it allocates exactly the "avail blocks" of an earlier dump), so the sequence starts
with no usable pool of its classes, as a fresh allocator does: then not only its blocks in use
but also its pools and available blocks can be compared class by class.

Prints one JSON object: the requests (["alloc", slot, bytes] / ["free", slot]), the classes
they use, both dumps, and sys.getallocatedblocks() at both.
"""
import array
import collections
import gc
import itertools
import json
import os
import random
import re
import sys
import tempfile

SEED = int(sys.argv[1]) if len(sys.argv) > 1 else 3011
ZERO = b"\0"
BIG = 10**12  # -BIG copies a two-digit int: a 32-byte request


def make(c):
    """A new object whose pymalloc request falls in class c."""
    return object() if c == 0 else (-BIG if c == 1 else ZERO * (((c + 1) << 4) - 33))


def request_of(kind, n):
    return {"object": 16, "int": 32, "bytes": 33 + n}[kind]


def build(rng):
    """Bursts of one kind (with some of others mixed in), then frees of random victims."""
    ops, live, free_slots, nslots = [], [], [], 0
    kinds = [("object", 0), ("int", 0)]
    kinds += [("bytes", n) for n in (2, 20, 40, 100, 150, 230, 300, 380, 470, 479, 600, 2000)]
    for _ in range(10):
        kind, n = rng.choice(kinds)
        for _ in range(rng.randrange(1, 800)):
            if free_slots:
                slot = free_slots.pop()
            else:
                slot, nslots = nslots, nslots + 1
            k, m = (kind, n) if rng.random() < 0.8 else rng.choice(kinds)
            ops.append((1, slot, k, m))
            live.append(slot)
        for _ in range(rng.randrange(0, len(live) * 7 // 10 + 1)):
            victim = live.pop(rng.randrange(len(live)))
            ops.append((0, victim, "", 0))
            free_slots.append(victim)
    return ops, nslots


def dump(fd):
    sys.stderr.flush()
    saved = os.dup(2)
    os.dup2(fd, 2)
    sys._debugmallocstats()
    os.dup2(saved, 2)
    os.close(saved)


def parse_avail(text, into):
    # Not finditer: it looks its method up by a new string each call, and the type method
    # cache keeps that string alive (in class 3) after the call.
    m = ROW.search(text)
    while m is not None:
        into[int(m.group(1))] = int(m.group(5))
        m = ROW.search(text, m.end())


def read(fd):
    os.lseek(fd, 0, 0)
    chunks = []
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            return b"".join(chunks).decode()
        chunks.append(chunk)


ROW = re.compile(r"^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$", re.M)

def fill_pools(classes, avail, fill):
    """Allocates exactly the available blocks of each class in `classes`."""
    # A function, so the loop's names are fast locals: a new global could grow the module
    # dict and free its old keys table. The loop's list iterator and repeat object are 48-byte
    # (GC) blocks of class 2 that live until it ends: two fewer of that class, made up after.
    for c in classes:
        for _ in itertools.repeat(None, max(avail[c] - 2 * (c == 2), 0)):
            fill.append(make(c))
    if avail[2] > 0:
        fill.append(make(2))
    if avail[2] > 1:
        fill.append(make(2))


def run(ops, slots):
    for op, slot, kind, n in ops:
        if op:
            slots[slot] = object() if kind == "object" else (-BIG if kind == "int" else ZERO * n)
        else:
            slots[slot] = None


gc.disable()
ops, nslots = build(random.Random(SEED))
classes = sorted({(request_of(k, m) - 1) >> 4 for op, _, k, m in ops if op and request_of(k, m) <= 512})
slots = [None] * nslots
counts = array.array("q", [0, 0])
paths = [tempfile.mkstemp(prefix="mallocstats-")[1] for _ in range(3)]
fds = [os.open(p, os.O_RDWR | os.O_TRUNC) for p in paths]
avail = array.array("q", bytes(8 * 32))
fill = collections.deque()

# Fill the partly used pools of the sequence's classes. The counts go into an array, so the
# parse keeps no object alive; the deque grows in 528-byte blocks, which pymalloc sends to the
# raw allocator. A first round warms the type method cache: a lookup that misses evicts the
# entry in its slot, whose name may be a string nothing else holds, freed then (in class 3).
warm = collections.deque()
dump(fds[0])
parse_avail(read(fds[0]), avail)
fill_pools([3], array.array("q", [0, 0, 0, 1]), warm)
dump(fds[0])
parse_avail(read(fds[0]), avail)
fill_pools(classes, avail, fill)

counts[0] = sys.getallocatedblocks()
dump(fds[1])
run(ops, slots)
dump(fds[2])
counts[1] = sys.getallocatedblocks()

requests = [["alloc", s, request_of(k, n)] if op else ["free", s] for op, s, k, n in ops]
print(json.dumps({
    "python": sys.version.split()[0],
    "classes": classes,
    "requests": requests,
    "before": read(fds[1]),
    "after": read(fds[2]),
    "allocatedBlocks": [counts[0], counts[1]],
}))
for fd, path in zip(fds, paths):
    os.close(fd)
    os.unlink(path)
