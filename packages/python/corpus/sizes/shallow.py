# sys.getsizeof is shallow: a container's size ignores how big the things it points to are.
import sys

n = 10000
s1, s2, s3 = "a", "b", "c"
l1, l2, l3 = "a" * n, "b" * n, "c" * n
small = [s1, s2, s3]
big = [l1, l2, l3]
print("list of short strs:", sys.getsizeof(small))
print("list of long strs:", sys.getsizeof(big))
print("same:", sys.getsizeof(small) == sys.getsizeof(big))
deep = sys.getsizeof(big) + sum(sys.getsizeof(s) for s in big)
print("counting the items too:", deep)
