# A deque keeps up to 16 emptied blocks for reuse: a queue that fills and drains again takes
# its blocks from that private free list instead of asking the allocator each time.
import tracemalloc
from collections import deque

tracemalloc.start()


def blocks(f, *args):
    """How many 528-byte blocks f(*args) left allocated (negative: returned)."""
    before = tracemalloc.get_traced_memory()[0]
    f(*args)
    return (tracemalloc.get_traced_memory()[0] - before) // 528


def drain(q):
    while q:
        q.popleft()


for n in (1000, 2000):
    items = [None] * n
    q = deque()
    print(n, "items")
    print("  fill:", blocks(q.extend, items), "new blocks")
    # Emptied blocks go to the deque's free list (at most 16); the rest back to the allocator.
    print("  drain:", -blocks(drain, q), "blocks returned to the allocator")
    print("  refill:", blocks(q.extend, items), "new blocks")
    del q
