# f-strings with format specs: width, alignment, precision, signs, thousands separators, bases.
pi = 3.141592653589793
n = 1234567
name = "mem"
print(f"[{name:>8}] [{name:<8}] [{name:^8}] [{name:*^9}]")
print(f"{pi:.2f} {pi:10.4f} {pi:e} {pi:.3g} {pi:+.1f}")
print(f"{n:,} {n:_} {n:>12,} {n:012d}")
print(f"{255:x} {255:X} {255:#x} {255:o} {255:b} {255:#010b}")
print(f"{0.25:.0%} {0.125:.1%}")
print(f"{name!r} {name.upper()!s} {len(name) * 2}")
width = 7
print(f"{pi:{width}.{width - 4}f}|")
print(f"{-42:5d}|{42:<5d}|{42:^5d}|")
print(f"{'nested'} {{braces}} {n // 1000}k")
