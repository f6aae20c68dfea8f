# Reading a missing dict key with [] raises KeyError; the handler for another type does not catch it.
prices = {"apple": 3, "pear": 2}
order = ["apple", "pear", "mango"]
total = 0
for item in order:
    try:
        total += prices[item]
        print("added", item, "total", total)
    except TypeError:
        print("not reached")
print("never reached")
