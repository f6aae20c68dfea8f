// The evaluator's own subscripts of exact dicts with exact str and int keys (3.11's
// BINARY_SUBSCR_DICT and STORE_SUBSCR_DICT) and `s + t` of two exact strs, against python3:
// hits, misses and their KeyErrors, keys whose hash collides with an instance whose `__eq__`
// counts its calls, subclasses with their own methods and `__missing__`, unhashable keys, and
// the reference counts of what the dict holds.

import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("dict subscripts and str concatenation run by the evaluator", [
  [
    "hits, misses, deletions and their errors",
    `
import sys

d = {}
for i in range(50):
    d[i * 7] = i
    d["k" + str(i)] = -i
for i in range(0, 50, 2):
    del d[i * 7]
    del d["k" + str(i)]
print(len(d), d[7], d["k1"], d.get(0), list(d)[:6])
for key in (0, "k0", 10**30, "missing", 2.0, (1, 2)):
    try:
        print(d[key])
    except KeyError as e:
        print("KeyError", repr(e), e.args)
    try:
        del d[key]
    except KeyError as e:
        print("del KeyError", repr(e))
for key in ([1], {2: 3}, {4}):
    for action in ("get", "set", "del"):
        try:
            if action == "get":
                d[key]
            elif action == "set":
                d[key] = 1
            else:
                del d[key]
        except TypeError as e:
            print(action, e)
value = object()
d["held"] = value
print(sys.getrefcount(value))
d["held"] = None
print(sys.getrefcount(value))
s = "x" * 3
t = "y" + s
u = s + "y"
print(t, u, s + s, "" + s is s, s + "" is s)
`,
  ],
  [
    "keys whose hash collides with an instance key, and subclasses",
    `
class Key:
    calls = 0
    def __init__(self, h):
        self.h = h
    def __hash__(self):
        return self.h
    def __eq__(self, other):
        Key.calls += 1
        return isinstance(other, Key) and other.h == self.h

d = {Key(5): "five", Key(hash("abc")): "abc-key"}
for key in (5, "abc", 6):
    try:
        print(d[key])
    except KeyError as e:
        print("KeyError", e)
    try:
        del d[key]
    except KeyError as e:
        print("del KeyError", e)
    d[key] = key
print(Key.calls, len(d))

class Default(dict):
    def __missing__(self, key):
        return "missing " + str(key)

class Logged(dict):
    def __getitem__(self, key):
        print("get", key)
        return dict.__getitem__(self, key)
    def __setitem__(self, key, value):
        print("set", key, value)
        dict.__setitem__(self, key, value)
    def __delitem__(self, key):
        print("del", key)
        dict.__delitem__(self, key)

m = Default(a=1)
print(m["a"], m["b"], m[3])
g = Logged()
g["x"] = 1
g[2] = g["x"]
del g["x"]
print(g)

class S(str):
    def __add__(self, other):
        return "S+"
    def __radd__(self, other):
        return "+S"

print(S("a") + "b", "b" + S("a"), S("a") + S("b"))
`,
  ],
]);
