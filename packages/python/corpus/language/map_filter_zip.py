# map, filter, zip and enumerate build lazy iterators; list() materializes them.
nums = [1, 2, 3, 4, 5, 6]
print(list(map(lambda n: n * 10, nums)))
print(list(filter(lambda n: n % 2 == 0, nums)))
print(list(map(str, nums)), list(map(lambda a, b: a**b, [2, 3], [3, 2])))
names = ["ann", "bob", "cy"]
ages = [31, 25, 40, 99]
print(list(zip(names, ages)))
print(dict(zip(names, ages)))
for i, name in enumerate(names, start=1):
    print(i, name)
print(list(enumerate("ab")))
pairs = [(1, "one"), (2, "two")]
numbers, words = zip(*pairs)
print(numbers, words)
print(sum(map(len, names)), list(filter(None, [0, 1, "", "x", None, []])))
