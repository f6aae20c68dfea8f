# Freeing a tracked object with no free list (a plain instance) gives its count back.
import gc


class Plain:
    pass


gc.collect()
p = Plain()
q = Plain()
made = gc.get_count()
# The tuple that get_count() returned is tracked too and stays alive in `made`.
del p, q
freed = gc.get_count()
print("two instances:", made)
print("after del p, q:", freed)
