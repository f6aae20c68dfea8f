# Since Python 3.4 cycles with __del__ are collected normally, so gc.garbage stays empty.
import gc


class Holder:
    def __init__(self):
        self.me = self

    def __del__(self):
        pass


gc.collect()
for _ in range(10):
    Holder()
print("collected:", gc.collect())
print("gc.garbage:", gc.garbage)
