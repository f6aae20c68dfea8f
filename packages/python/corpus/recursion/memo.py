# A dict used as a memo turns exponential recursion into linear recursion.
calls = 0


def fib(n, memo):
    global calls
    calls += 1
    if n < 2:
        return n
    if n in memo:
        return memo[n]
    value = fib(n - 1, memo) + fib(n - 2, memo)
    memo[n] = value
    return value


print("fib(90):", fib(90, {}))
print("calls:", calls)
calls = 0
print("fib(20) without reuse:", fib(20, {}), "calls:", calls)
