# Generator expressions produce values lazily; they can be consumed once by sum, any, all, min, max.
nums = [3, 8, 1, 9, 4]
print(sum(n * n for n in nums))
print(any(n > 8 for n in nums), all(n > 0 for n in nums))
print(max(n % 5 for n in nums), min((n for n in nums if n > 3), default=-1))
gen = (n * 2 for n in nums)
print(next(gen), next(gen))
print(list(gen))
print(list(gen))
it = iter([10, 20])
print(next(it), next(it), next(it, "exhausted"))
print(", ".join(str(n) for n in sorted(nums)))
print(dict((str(n), n) for n in nums[:2]))
