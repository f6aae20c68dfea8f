# gc.get_objects returns only tracked objects: containers are there, atoms are not.
import gc

k = 3
mine = [k]
atom = k ** 50
everything = gc.get_objects()
print("list found:", any(o is mine for o in everything))
print("big int found:", any(o is atom for o in everything))
young = gc.get_objects(generation=0)
print("new list is young:", any(o is mine for o in young))
