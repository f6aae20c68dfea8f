# Formatting a report table with str methods and format specs, including totals and averages.
rows = [("widget", 4, 3.5), ("gadget", 10, 12.25), ("doohickey", 1, 99.999), ("gizmo", 0, 1.0)]
header = f"{'item':<10}|{'qty':>5}|{'price':>9}|{'total':>10}"
print(header)
print("-" * len(header))
grand = 0
for name, qty, price in rows:
    total = qty * price
    grand += total
    print(f"{name:<10}|{qty:>5}|{price:>9.2f}|{total:>10.2f}")
print("-" * len(header))
print(f"{'sum':<10}|{sum(q for _, q, _ in rows):>5}|{'':>9}|{grand:>10.2f}")
print(f"average price: {sum(p for _, _, p in rows) / len(rows):.3f}")
