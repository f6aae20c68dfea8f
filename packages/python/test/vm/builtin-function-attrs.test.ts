// The attributes of built-in functions and bound built-in methods (`__self__`, `__module__`,
// `__name__`, `__qualname__`), their referents, reprs and equality, against python3.

import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("built-in functions' attributes", [
  [
    "module functions hold their module and its name",
    `import gc, sys, time
for f in (len, print, iter, gc.collect, gc.get_referents, sys.getsizeof, time.perf_counter):
    print(f.__self__, f.__module__, f.__name__, f.__qualname__, repr(f))
    print(gc.get_referents(f), gc.is_tracked(f), sys.getsizeof(f))
print(len.__self__ is abs.__self__)`,
  ],
  [
    "bound built-in methods",
    `import gc, sys
l = [3, 1]
m = l.append
print(m.__self__ is l, m.__module__, m.__name__, m.__qualname__, gc.get_referents(m) == [l])
print(sys.getrefcount(l), repr(m).startswith("<built-in method append of list object at 0x"))
print(l.append == l.append, l.append != l.append, l.append == [].append, l.append == l.pop)
print({}.get.__qualname__, "s".upper.__self__, (5).bit_length.__qualname__)
print(dict.fromkeys.__self__ is dict, dict.fromkeys.__qualname__, dict.fromkeys.__module__)
class L(list):
    pass
print(L().append.__qualname__, type(L().append).__name__)
def attr(o, name):
    try:
        return getattr(o, name)
    except AttributeError as e:
        return e
print(attr(list.append, "__self__"), attr(list.append, "__module__"), attr(len, "__func__"))`,
  ],
  [
    "method-wrappers",
    `x = 7
w = x.__add__
print(w.__self__, w.__name__, w.__qualname__, w.__objclass__, type(w).__name__)
print([].__len__.__qualname__, {}.__contains__.__objclass__)`,
  ],
]);
