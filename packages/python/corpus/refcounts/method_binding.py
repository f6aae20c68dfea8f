# A bound method holds its function and its object: f.__get__(obj) makes one by hand.
import gc
import sys
import weakref


class Account:
    pass


def deposit(self, amount):
    return amount


acct = Account()
before = sys.getrefcount(acct)
m = deposit.__get__(acct)  # what acct.deposit would make if deposit were in the class
print(type(m).__name__, m.__self__ is acct, m.__func__ is deposit, m(5))
print("the method holds one reference:", sys.getrefcount(acct) - before)
print([type(r).__name__ for r in gc.get_referents(m)])
print(deposit.__get__(None, Account) is deposit)
print(deposit.__call__(acct, 7))

# When the method goes, it lets go of the function first, then the object.
def make():
    a = Account()

    def f(self):
        return self

    refs = (
        weakref.ref(f, lambda r: print("function released")),
        weakref.ref(a, lambda r: print("object released")),
    )
    return f.__get__(a), refs


bound, refs = make()
del bound
print("done")
