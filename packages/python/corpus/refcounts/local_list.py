# A fresh list bound to one name has refcount 2 when measured: the name plus getrefcount's argument.
import sys

# sys.getrefcount itself holds a temporary reference to its argument,
# so the number it reports is always one more than the "real" owners.
items = [1, 2, 3]
print("one name:", sys.getrefcount(items))

# A second name is a second owner.
alias = items
print("two names:", sys.getrefcount(items))

# Rebinding the alias drops that owner again.
alias = None
print("alias rebound:", sys.getrefcount(items))
