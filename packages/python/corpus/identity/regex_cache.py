# re keeps a cache of compiled patterns: compiling the same pattern with the same flags gives
# back the same Pattern object until re.purge() empties the cache; a Match refers back to it.
import re

p = re.compile(r"\d+")
print(re.compile(r"\d+") is p)
print(re.compile(r"\d+", re.A) is p)
m = p.search("abc 123")
print(m.re is p, m.string)
re.purge()
q = re.compile(r"\d+")
print(q is p, q == p)
