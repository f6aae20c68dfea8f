# A class that guards its invariants by raising exceptions, with a class attribute counting instances.
class InsufficientFunds(Exception):
    pass


class Account:
    count = 0

    def __init__(self, owner, balance=0):
        self.owner = owner
        self.balance = balance
        Account.count += 1

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("deposit must be positive")
        self.balance += amount

    def withdraw(self, amount):
        if amount > self.balance:
            raise InsufficientFunds(f"{self.owner} has only {self.balance}")
        self.balance -= amount

    def __str__(self):
        return f"{self.owner}: {self.balance}"

    def __len__(self):
        return self.balance


acc = Account("ada", 100)
acc.deposit(50)
for action, amount in [("withdraw", 70), ("withdraw", 500), ("deposit", -5)]:
    try:
        getattr(acc, action)(amount)
        print(action, amount, "ok ->", acc)
    except (InsufficientFunds, ValueError) as e:
        print(action, amount, "failed:", type(e).__name__, e)
other = Account("bob")
print(str(acc), "|", other, "| accounts:", Account.count, "| len:", len(acc))
print(hasattr(acc, "balance"), hasattr(acc, "pin"), getattr(acc, "pin", None))
setattr(other, "balance", 7)
print(other)
