# json.loads remembers every object key it has read during one call: the second "name" key is
# not a new str but the first one again (the C scanner keeps a memo dict of the keys it saw).
# Values are not shared, and a second call starts with an empty memo.
import json
import sys

text = '[{"name": "ada", "lang": "en"}, {"name": "bob", "lang": "en"}, {"name": "cy", "lang": "fr"}]'
people = json.loads(text)

first, second, third = (list(person) for person in people)
print("the 'name' keys are one object:", first[0] is second[0] is third[0])
print("the 'lang' keys too:", first[1] is second[1] is third[1])
print("equal values are not shared:", people[0]["lang"] is people[1]["lang"])

# The three dicts and the three key lists hold the shared key, then the name and getrefcount's
# argument.
key = first[0]
print("references to the shared key:", sys.getrefcount(key))

again = json.loads(text)
print("a second loads makes its own keys:", list(again[0])[0] is key)
