# set_threshold changes when automatic collections happen; get_threshold reads the values back.
import gc

old = gc.get_threshold()
gc.set_threshold(100, 5, 3)
print("new thresholds:", gc.get_threshold())

# Omitted arguments keep their current values.
gc.set_threshold(50)
print("only the first changed:", gc.get_threshold())

gc.set_threshold(*old)
print("restored:", gc.get_threshold() == old)
