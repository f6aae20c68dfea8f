# for/else and while/else: the else block runs only when the loop was not left by break.
def first_divisor(n):
    for d in range(2, n):
        if n % d == 0:
            print(n, "has divisor", d)
            break
    else:
        print(n, "is prime")


for n in [7, 9, 13, 15]:
    first_divisor(n)

count = 0
while count < 3:
    count += 1
else:
    print("while finished normally at", count)
total = 0
for i in range(100):
    if i % 3:
        continue
    total += i
    if total > 50:
        break
print("stopped at", i, "with total", total)
