# A dict that stores itself as a value is a cycle through a mapping.
import gc

gc.collect()
registry = {"name": "root"}
registry["self"] = registry
print("self entry:", registry["self"] is registry)
print("keys:", sorted(registry))
del registry
print("collected:", gc.collect())
