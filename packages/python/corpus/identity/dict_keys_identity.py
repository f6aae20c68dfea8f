# Dict lookups use equality, but check identity first, so interned keys are found fastest.
k = "na"
key_built = k + "me"
const = "name"
d = {const: 1}
stored = list(d)[0]
print("stored key is the constant:", stored is const)
print("built key equal:", key_built == stored, "identical:", key_built is stored)
print("lookup works with either:", d[key_built], d["name"])
# An object that is not equal to itself is still found by identity.
nan = float("nan")
table = {nan: "found"}
print("nan key found by identity:", table[nan])
print("a different nan is not found:", float("nan") in table)
