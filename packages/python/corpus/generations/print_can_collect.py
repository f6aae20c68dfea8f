# print() allocates too: for each piece it writes, it looks up sys.stdout.write, which makes a
# bound method (a small tracked object) that lives only for that write. So when the youngest
# generation's count is at its threshold, it is a print that starts the automatic collection,
# before its own text goes out: the finalizer's line comes first.
import gc


class Node:
    def __init__(self, i):
        self.i = i
        self.me = self  # a cycle: only the collector frees it

    def __del__(self):
        if self.i == 0:
            print("  (node 0 freed by a collection)")


gc.collect()
threshold = gc.get_threshold()[0]
for i in range(threshold + 3):
    Node(i)
    count = gc.get_count()[0]
    if count >= threshold - 2 or count <= 2:
        print("after node", i, "the count is", count)
