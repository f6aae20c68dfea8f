# Calling and binding are slots too: every callable's type holds a `__call__` slot wrapper,
# and functions, classmethods, staticmethods and properties hold `__get__` (and `__set__`).
import collections.abc
import types


class Account:
    def __init__(self):
        self._balance = 0

    @property
    def balance(self):
        return self._balance

    @balance.setter
    def balance(self, value):
        self._balance = value

    @classmethod
    def kind(cls):
        return cls.__name__

    @staticmethod
    def double(x):
        return x * 2

    def deposit(self, amount):
        self._balance += amount
        return self._balance


acct = Account()
ns = Account.__dict__

# A function's __get__ makes the bound method the dot would make.
bound = ns["deposit"].__get__(acct)
print(type(bound).__name__, bound(5), bound.__self__ is acct)
print(ns["deposit"].__get__(None, Account) is ns["deposit"])
print(types.FunctionType.__get__(ns["deposit"], acct)(1))

# The bound method forwards what its type lacks to the function.
print(acct.deposit.__name__, acct.deposit.__qualname__)

# property, classmethod and staticmethod are descriptors through the same slots.
ns["balance"].__set__(acct, 40)
print(ns["balance"].__get__(acct), ns["balance"].__get__(None, Account) is ns["balance"])
print(ns["kind"].__get__(acct)(), ns["kind"].__get__(None, Account)())
print(ns["double"].__get__(acct)(21), ns["double"](4), ns["double"].__call__(5))

# __call__ is the slot behind the call syntax, for built-in callables too.
print(len.__call__([1, 2, 3]), type(len).__call__(len, "ab"))
print((lambda x: x + 1).__call__(1), acct.deposit.__call__(2))
print(str.join.__call__("-", "abc"), [].__len__.__call__())
print(type(acct.deposit).__call__, type(len).__call__)
print(type(str.join).__call__, type(object.__init__).__call__)

for f in (len, acct.deposit, Account.deposit, str.join, [].append, Account, acct, ns["double"]):
    print(
        type(f).__name__,
        hasattr(f, "__call__"),
        callable(f),
        isinstance(f, collections.abc.Callable),
    )
