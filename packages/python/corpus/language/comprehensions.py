# List, dict and set comprehensions, with conditions and nested loops.
nums = list(range(1, 11))
squares = [n * n for n in nums]
evens = [n for n in nums if n % 2 == 0]
pairs = [(a, b) for a in range(3) for b in range(a)]
print("squares:", squares)
print("evens:", evens)
print("pairs:", pairs)

words = ["apple", "banana", "cherry", "avocado", "blueberry"]
by_letter = {}
for w in words:
    by_letter.setdefault(w[0], []).append(w)
lengths = {w: len(w) for w in words}
print("lengths:", lengths)
print("grouped:", by_letter)
initials = {w[0] for w in words}
print("initials:", sorted(initials))
matrix = [[r * 3 + c for c in range(3)] for r in range(3)]
print("matrix:", matrix)
print("flattened:", [x for row in matrix for x in row if x % 2])
