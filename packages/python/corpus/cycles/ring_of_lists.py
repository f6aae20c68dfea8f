# A ring of n lists, each holding the next, is collected all at once: n objects.
import gc

gc.collect()


def make_ring(n):
    nodes = [[] for _ in range(n)]
    for i in range(n):
        nodes[i].append(nodes[(i + 1) % n])
    return nodes[0]


for size in [1, 2, 5, 50]:
    head = make_ring(size)
    del head
    print("ring of", size, "collected:", gc.collect())
