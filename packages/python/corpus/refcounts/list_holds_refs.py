# A list holds one strong reference per slot, even when the same object fills many slots.
import sys

payload = ["x"]
print("alone:", sys.getrefcount(payload))

holder = [payload, payload, payload]
print("in three slots:", sys.getrefcount(payload))

# Removing slots releases their references one by one.
holder.pop()
print("after pop:", sys.getrefcount(payload))
holder.clear()
print("after clear:", sys.getrefcount(payload))

# Multiplying a list copies references, not objects.
grid = [payload] * 5
print("after [payload] * 5:", sys.getrefcount(payload))
print("all the same object:", all(row is payload for row in grid))
