# The free lists of float and tuple keep exact objects only. An instance of a subclass is
# larger (a GC head, a __weakref__ slot, a dict pointer), so when it dies its memory goes
# back to the allocator, and the next plain float or tuple does not take its place. The
# next instance of the same subclass does, as the allocator hands out the block it got last.
class Temperature(float):
    pass


class Pair(tuple):
    pass


k = 1
plain = k * 1.5
plain_id = id(plain)
del plain
print("a new float reuses a freed float:", id(k * 2.5) == plain_id)

warm = Temperature(20.0)
warm_id = id(warm)
del warm
again = k * 3.5
print("a new float reuses a freed Temperature:", id(again) == warm_id)
print("a new Temperature reuses it:", id(Temperature(30.0)) == warm_id)

p = Pair((k, k))
pair_id = id(p)
del p
t = (k, k + 1)
print("a new pair tuple reuses a freed Pair:", id(t) == pair_id)
print("a new Pair reuses it:", id(Pair((k, k))) == pair_id)

u = (k, k + 2)
u_id = id(u)
del u
print("a new pair tuple reuses a freed pair tuple:", id((k, k + 3)) == u_id)
