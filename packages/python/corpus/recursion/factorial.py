# Recursion with big ints: each level holds an int that grows; the result has hundreds of digits.
def factorial(n):
    return 1 if n <= 1 else n * factorial(n - 1)


f = factorial(300)
print("digits:", len(str(f)))
print("first digits:", str(f)[:20])
print("trailing zeros:", len(str(f)) - len(str(f).rstrip("0")))
print("factorial(20):", factorial(20))
