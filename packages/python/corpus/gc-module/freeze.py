# gc.freeze moves every tracked object into a permanent generation the collector ignores.
import gc

gc.collect()
gc.freeze()
print("frozen objects:", gc.get_freeze_count() > 0)
gc.unfreeze()
print("after unfreeze:", gc.get_freeze_count())
