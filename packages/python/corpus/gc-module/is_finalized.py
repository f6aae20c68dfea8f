# gc.is_finalized tells whether an object's __del__ has already run (it runs at most once).
import gc

keep = []


class Lazarus:
    def __del__(self):
        keep.append(self)


obj = Lazarus()
print("before:", gc.is_finalized(obj))
del obj
print("resurrected:", len(keep))
print("after:", gc.is_finalized(keep[0]))
print("plain list:", gc.is_finalized([]))
