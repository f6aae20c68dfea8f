# pow(base, exp, mod): modular powers, inverses with a negative exponent, and the sign of mod.
print(pow(3, 4, 5), pow(2, 100, 97), pow(10**30, 10**20, 97))
print("inverse of 3 mod 11:", pow(3, -1, 11), (3 * pow(3, -1, 11)) % 11)
print(pow(2, -3, 7), pow(-2, -1, 7), pow(2, -1, -7), pow(2, 3, -7), pow(-3, 5, 7))
print(pow(5, 0, 1), pow(5, 0, -1), pow(7, 3, 1))
for args in ((2, -1, 4), (0, -1, 5), (2, 3, 0), (2.0, 3, 5), (2, 3, 5.0)):
    try:
        pow(*args)
    except (ValueError, TypeError) as e:
        print(args, type(e).__name__, e)
