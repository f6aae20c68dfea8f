# The sieve of Eratosthenes marks multiples in a list of booleans.
def sieve(limit):
    is_prime = [True] * (limit + 1)
    is_prime[0] = is_prime[1] = False
    p = 2
    while p * p <= limit:
        if is_prime[p]:
            for m in range(p * p, limit + 1, p):
                is_prime[m] = False
        p += 1
    return [n for n, flag in enumerate(is_prime) if flag]


primes = sieve(100)
print(primes)
print("count below 10000:", len(sieve(10000)))
twins = [(a, b) for a, b in zip(primes, primes[1:]) if b - a == 2]
print("twin primes:", twins)
