# None, True, False, the empty tuple and the empty str each exist exactly once.
k = 0
print("None:", (lambda: None)() is None)
print("True:", (k == 0) is True, "False:", (k == 1) is False)
print("bool(1) is True:", bool(1) is True)
empty_tuple = ()
empty_str = ""
empty_bytes = b""
print("empty tuple:", tuple([]) is empty_tuple, tuple(range(k)) is empty_tuple)
print("empty str:", str() is empty_str, "abc"[:k] is empty_str)
print("empty bytes:", bytes() is empty_bytes)
empty_list = []
print("empty lists are shared:", list() is empty_list)
