# CPython's default thresholds: 700 new objects trigger generation 0, every 10th of those generation 1.
import gc

print("thresholds:", gc.get_threshold())
threshold0, threshold1, threshold2 = gc.get_threshold()
print("young collections before a middle one:", threshold1)
print("middle collections before an old one:", threshold2)
