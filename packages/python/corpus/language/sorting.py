# sorted() with key= and reverse=; sorting is stable, so ties keep their original order.
people = [("ann", 31), ("bob", 25), ("cy", 31), ("dee", 22), ("eve", 25)]
print(sorted(people))
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: p[1], reverse=True))
print(sorted(people, key=lambda p: (-p[1], p[0])))
words = ["banana", "Apple", "cherry", "apple", "Banana"]
print(sorted(words))
print(sorted(words, key=str.lower))
print(sorted(words, key=len))
nums = [5, -3, 2, -8, 0]
nums.sort(key=abs)
print(nums)
print(max(words, key=len), min(people, key=lambda p: p[1]))
print(list(reversed(sorted(nums))))
