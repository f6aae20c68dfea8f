# After a RecursionError is handled, the full depth is available again.
def dive(depth):
    try:
        return dive(depth + 1)
    except RecursionError:
        return depth


results = [dive(2) for _ in range(3)]
print("same depth every time:", results[0] == results[1] == results[2])


def sum_to(n):
    return 0 if n == 0 else n + sum_to(n - 1)


print("sum_to(900):", sum_to(900))
