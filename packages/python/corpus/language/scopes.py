# global and nonlocal let an inner scope rebind a name that belongs to an outer scope.
total = 0


def add(n):
    global total
    total += n


def outer():
    level = "outer"

    def inner():
        nonlocal level
        level = "changed by inner"

    inner()
    return level


for n in [5, 10, 20]:
    add(n)
print("total:", total)
print("level:", outer())

x = "module"


def shadow():
    x = "local"
    return x


print(shadow(), x)
try:
    def broken():
        print(y_value)
        y_value = 1

    broken()
except UnboundLocalError as e:
    print("UnboundLocalError:", e)
