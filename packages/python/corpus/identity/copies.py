# Copying immutables may return the same object; copying mutables always makes a new one.
t = (1, 2, 3)
s = "text"
lst = [1, 2, 3]
print("tuple(t) is t:", tuple(t) is t)
print("t[:] is t:", t[:] is t)
print("str(s) is s:", str(s) is s)
print("s[:] is s:", s[:] is s)
print("list(lst) is lst:", list(lst) is lst)
print("lst[:] is lst:", lst[:] is lst)
print("copy equal:", lst[:] == lst)
