# String constants that look like identifiers are interned; strings built at run time are not.
import sys

k = "lo"
built = "hel" + k
const = "hello"
print("equal:", built == const)
print("run-time string is the constant:", built is const)
# sys.intern returns the canonical (interned) object for that value.
print("interned run-time string is the constant:", sys.intern(built) is const)

spaced = "hello world"
spaced_built = "hello " + "world" * len(k[:1])
print("non-identifier equal:", spaced == spaced_built, "identical:", spaced is spaced_built)
