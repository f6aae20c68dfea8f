# A str slice with step 1 goes through the substring path, which hands back the cached
# one-character str for a Latin-1 character and the str itself when the slice is all of it.
# A slice with any other step builds a new str character by character: never a cached one,
# not even the whole str, except that an empty result is the empty str singleton.
s = "python"
print("s[1:2] is chr(121):", s[1:2] is chr(121))
print("s[::1] is s:", s[::1] is s)
print("s[1::10] is chr(121):", s[1::10] is chr(121))
print("s[1::10] == 'y':", s[1::10] == "y")
one = chr(120)
print("one[::-1] is one:", one[::-1] is one)
print("one[::2] is one:", one[::2] is one)
print("one[:] is one:", one[:] is one)
empty = str()
print("empty slices are the empty str:", s[3:1:1] is empty and s[4:1:2] is empty)
wide = "€uro"
print("wide[::4] == '€':", wide[::4] == "€", "a new object:", wide[::4] is not wide[::4])
