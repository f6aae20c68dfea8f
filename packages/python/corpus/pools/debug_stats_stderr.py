# sys._debugmallocstats writes its allocator report to stderr, so stdout stays deterministic.
import sys

sys._debugmallocstats()
print("the allocator report went to stderr")
