# Outside the small-int range every arithmetic result is a fresh int object.
base = 250
results = [base + i for i in range(10)]
for i in range(10):
    n = base + i
    print(n, n is results[i])
