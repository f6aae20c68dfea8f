# One-character strs for code points below 256 are cached singletons; wider ones are not.
for code in [65, 97, 233, 255, 256, 8364]:
    a = chr(code)
    b = chr(code)
    print(code, "cached:", a is b)
s = "abc"
print("indexing reuses the cache:", s[0] is chr(97))
print("slicing one char too:", s[1:2] is chr(98))
