# PEP 614 (3.9): a decorator can be any expression -- a subscription, a lambda, a call
# followed by an attribute, a conditional -- evaluated once, before the def or class runs.
registry = []
decorators = [lambda f: f, lambda f: (registry.append(f.__name__), f)[1]]

class Namespace:
    def make(self):
        return self
    tag = staticmethod(lambda f: (registry.append("tag:" + f.__name__), f)[1])

ns = Namespace()

@decorators[1]
def first():
    return 1

@(lambda f: f)
def second():
    return 2

@ns.make().tag
def third():
    return 3

@decorators[0] if registry else decorators[1]
class Fourth:
    pass

@(
    decorators[1]
)
def fifth(): return 5

@Namespace.tag
@decorators[
    1
]
def sixth():
    x = 2 @ 3 if False else 6
    return x

print(first(), second(), third(), Fourth.__name__, fifth(), sixth())
print(registry)
m = [[1]]
print(sum(m[0]))
