# Dicts keep insertion order; get, setdefault, pop, update, items and friends.
stock = {"apple": 3, "pear": 0}
stock["plum"] = 7
stock.update({"pear": 2, "kiwi": 5})
print(stock)
print(stock.get("apple"), stock.get("fig"), stock.get("fig", 0))
print(stock.setdefault("fig", 1), stock.setdefault("apple", 99))
print(stock.pop("plum"), stock.pop("nope", "default"))
print(list(stock.keys()), list(stock.values()))
for name, qty in stock.items():
    print(f"  {name:6} {qty}")
print(stock.popitem(), len(stock), "kiwi" in stock)
copy = dict(stock)
copy["apple"] = 0
print(stock["apple"], copy["apple"], stock == copy)
merged = stock | {"melon": 4}
print(merged)
print(dict.fromkeys(["a", "b"], 0), dict(zip("xyz", range(3))))
try:
    stock["grape"]
except KeyError as e:
    print("KeyError:", e)
