# A module deleted from sys.modules is imported anew: the next import makes a new module object.
# sys.modules is the import system's cache, and the modules start-up made are in it already.
import sys

print("start-up modules listed:", all(name in sys.modules for name in ("builtins", "sys", "__main__", "io")))
import json

first = json
del sys.modules["json"]
import json

print("re-import makes a new module:", json is not first)
print("sys.modules holds the new one:", sys.modules["json"] is json)
print("the old one still works:", first.dumps([1, 2]) == json.dumps([1, 2]))
import json as again

print("importing again reuses the new one:", again is json)
