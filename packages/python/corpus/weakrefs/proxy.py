# A weakref.proxy forwards attribute access; once the target is gone, using it raises ReferenceError.
import weakref


class Account:
    def __init__(self, owner):
        self.owner = owner

    def greet(self):
        return "hello " + self.owner


acct = Account("ada")
p = weakref.proxy(acct)
print(p.owner, "/", p.greet())
del acct
try:
    p.owner
except ReferenceError as e:
    print("ReferenceError:", e)
