# Objects that are alive at the same time always have different ids.
k = 1
objs = [k * 1.0 for _ in range(50)]
objs += [[k] for _ in range(50)]
objs += [(k, i) for i in range(50)]
ids = [id(o) for o in objs]
print("objects:", len(objs))
print("distinct ids:", len(set(ids)))
# Freed objects may give their ids away, so only live objects keep ids unique.
