# A frozen dataclass refuses assignment and deletion of attributes with FrozenInstanceError
# (an AttributeError); replace() makes a changed copy instead. Frozen and eq make it hashable.
from dataclasses import FrozenInstanceError, dataclass, replace


@dataclass(frozen=True)
class Money:
    amount: int
    currency: str = "EUR"


price = Money(10)
print(price, hash(price) == hash(Money(10)), {price: "ten"}[Money(10)])
cheaper = replace(price, amount=8)
print(cheaper, price)
try:
    price.amount = 12
except FrozenInstanceError as error:
    print(type(error).__name__, error, isinstance(error, AttributeError))
try:
    del price.currency
except AttributeError as error:
    print(error)
price.amount = 0
