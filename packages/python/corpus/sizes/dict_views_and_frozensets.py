# A dict's keys and items views behave as sets: |, &, -, ^, `in` and comparisons work on them
# without copying the dict first; frozenset is the set that can be a key (or a set's member).
import sys

stock = {"apple": 3, "pear": 0, "plum": 7}
order = {"pear": 2, "plum": 7, "kiwi": 1}

# Operators on views make a new set; the dicts are untouched.
print(sorted(stock.keys() | order.keys()))
print(sorted(stock.keys() & order.keys()))
print(sorted(stock.keys() - order.keys()))
print(sorted(stock.keys() ^ order.keys()))
print(sorted(stock.items() & order.items()))
print(sorted({"kiwi", "fig"} & order.keys()), sorted(order.keys() - ["kiwi"]))
print(type(stock.keys() | order.keys()).__name__, len(stock), len(order))

# Membership asks the dict, so it does not walk the view.
print("plum" in stock.keys(), "fig" in stock.keys(), ("plum", 7) in stock.items(), ("pear", 2) in stock.items())

# Views compare as sets do: sizes first, then membership.
print(stock.keys() == {"apple", "pear", "plum"}, stock.keys() <= order.keys() | {"apple"}, stock.keys() > {"pear"})

# A view is a small object pointing at its dict: it holds a reference, the dict does not copy.
keys = stock.keys()
print(sys.getsizeof(keys), sys.getrefcount(stock))
del keys
print(sys.getrefcount(stock))

# frozenset: made once, hashable, so it can key a dict; operators keep the left operand's type.
pair = frozenset(["apple", "plum"])
prices = {pair: 10, frozenset(): 0}
print(prices[frozenset(["plum", "apple"])], prices[frozenset()], frozenset(pair) is pair)
print(type(pair | {"fig"}).__name__, type({"fig"} | pair).__name__, sorted(pair & stock.keys()))
print(sys.getsizeof(frozenset()), sys.getsizeof(frozenset(range(4))), sys.getsizeof(frozenset(range(5))))
try:
    frozenset([["not", "hashable"]])
except TypeError as error:
    print("TypeError:", error)
try:
    pair.add("fig")
except AttributeError as error:
    print("AttributeError:", error)
