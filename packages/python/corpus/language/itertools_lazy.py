# itertools builds iterators that do no work until asked: each next() pulls just enough items
# from the source, so infinite sources like count() and cycle() are fine.
import itertools


def numbers():
    for n in range(1, 100):
        print("  produce", n)
        yield n


evens = filter(lambda n: n % 2 == 0, numbers())
squares = map(lambda n: n * n, evens)
first_three = itertools.islice(squares, 3)
print("nothing produced yet")
print(list(first_three))

print(list(itertools.islice(itertools.count(10, 5), 4)))
print(list(itertools.takewhile(lambda n: n < 20, itertools.count(15))))
print(list(itertools.islice(itertools.cycle("ab"), 5)))
print(list(itertools.accumulate([1, 2, 3, 4])), list(itertools.pairwise("abc")))
print(list(itertools.chain.from_iterable(["ab", "cd"])))
print(list(itertools.combinations("abc", 2)), len(list(itertools.permutations(range(4)))))
print(list(itertools.zip_longest("ab", "xyz", fillvalue="-")))
