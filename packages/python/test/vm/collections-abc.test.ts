// collections.abc against python3: the ABCs, the built-in types registered as python3's start-up
// registers them, the subclass hooks (a class with the methods is a virtual subclass), the
// abstract methods a subclass must define, and the mixin methods of Sequence, MutableSequence,
// Mapping, MutableMapping and Set; `import collections.abc`, `from collections.abc import …`
// and `collections.abc` read from `collections`. A property: a Sequence subclass's index,
// count, `in` and reversed over random items answer as python3's.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("collections.abc", [
  [
    "registrations, hooks, abstract methods and mixins",
    `import collections.abc
from collections.abc import (Sequence, Mapping, Iterable, Iterator, Hashable, Sized, Callable,
    MutableMapping, Set, MutableSequence, Container, Generator, MutableSet, Collection, Reversible)
import collections
print(collections.abc.Sequence is Sequence, collections.abc.__name__, Sequence.__module__, Sequence)
print(isinstance([], Sequence), isinstance({}, Mapping), isinstance(iter([]), Iterator), isinstance(1, Hashable), isinstance(len, Callable))
print(isinstance([], Hashable), isinstance((), MutableSequence), isinstance({}, MutableMapping), isinstance(set(), Set), isinstance(frozenset(), MutableSet))
print(isinstance('abc', Sequence), isinstance(range(3), Sequence), isinstance(b'', Sequence), isinstance(bytearray(), MutableSequence), isinstance(memoryview(b''), Sequence))
print(isinstance((x for x in []), Generator), isinstance(iter({}), Iterator), isinstance({}.keys(), Set), isinstance(zip(), Iterator), isinstance(map(len, []), Iterator))
print(issubclass(list, Iterable), issubclass(int, Iterable), issubclass(dict, Reversible), issubclass(str, Collection), isinstance(5, Container))
class S(Sequence):
    def __init__(self, d): self.d = d
    def __getitem__(self, i): return self.d[i]
    def __len__(self): return len(self.d)
s = S([1, 2, 3, 2])
print(s.index(2), s.count(2), 3 in s, list(reversed(s)), list(s), s.index(2, 2))
try: s.index(9)
except ValueError as e: print('ValueError', repr(e))
class M(MutableMapping):
    def __init__(self): self.d = {}
    def __getitem__(self, k): return self.d[k]
    def __setitem__(self, k, v): self.d[k] = v
    def __delitem__(self, k): del self.d[k]
    def __iter__(self): return iter(self.d)
    def __len__(self): return len(self.d)
m = M(); m.update({'a': 1}, b=2); m.setdefault('c', 3)
print(dict(m), m.get('z', 0), 'a' in m, m.pop('a'), m.popitem(), list(m.keys()), list(m.items()), list(m.values()), m == {'c': 3})
print(type(m.keys()).__name__, isinstance(m.keys(), Set))
class L(MutableSequence):
    def __init__(self): self.d = []
    def __getitem__(self, i): return self.d[i]
    def __setitem__(self, i, v): self.d[i] = v
    def __delitem__(self, i): del self.d[i]
    def __len__(self): return len(self.d)
    def insert(self, i, v): self.d.insert(i, v)
l = L(); l.append(1); l.extend([2, 3]); l += [4]; l.reverse(); print(l.d, l.pop(), l.d); l.remove(3); print(l.d)
class FS(Set):
    def __init__(self, it): self.items = list(dict.fromkeys(it))
    def __contains__(self, x): return x in self.items
    def __iter__(self): return iter(self.items)
    def __len__(self): return len(self.items)
a, b = FS([1, 2, 3]), FS([2, 3, 4])
print(sorted(a & b), sorted(a | b), sorted(a - b), sorted(a ^ b), a <= FS([1,2,3,4]), a == FS([3,2,1]), a.isdisjoint([9]))
try: Sequence()
except TypeError as e: print(e)
class Half(Sequence):
    def __len__(self): return 0
try: Half()
except TypeError as e: print(e)
class It:
    def __iter__(self): return self
    def __next__(self): raise StopIteration
print(isinstance(It(), Iterator), isinstance(It(), Iterable), Sequence[int], Mapping[str, int])
class NoHash:
    __hash__ = None
print(isinstance(NoHash(), Hashable), sorted(collections.abc.__all__)[:5])`,
  ],
  [
    "collections.abc read from collections, and typing's aliases over it",
    `import collections, typing
print(collections.abc.Mapping, typing.Sequence.__origin__ is collections.abc.Sequence)
print(isinstance([], typing.Sequence), issubclass(dict, typing.MutableMapping), typing.Iterable[int])
import collections.abc as cabc
print(cabc is collections.abc, cabc.Sized)`,
  ],
]);

describe("Sequence mixins against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("index, count, in and reversed answer as python3's", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 8 }),
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 5 }),
            fc.option(fc.integer({ min: -9, max: 9 }), { nil: undefined }),
            fc.option(fc.integer({ min: -9, max: 9 }), { nil: undefined }),
          ),
          { minLength: 1, maxLength: 5 },
        ),
        async (items, queries) => {
          const source = `from collections.abc import Sequence
class S(Sequence):
    def __init__(self, d): self.d = d
    def __getitem__(self, i): return self.d[i]
    def __len__(self): return len(self.d)
s = S(${JSON.stringify(items)})
print(list(reversed(s)), list(s))
${queries
  .map(
    ([v, start, stop]) => `try:
    print(s.index(${[v, start ?? (stop !== undefined ? 0 : undefined), stop].filter((x) => x !== undefined).join(", ")}), s.count(${v}), ${v} in s)
except ValueError:
    print("ValueError", s.count(${v}), ${v} in s)`,
  )
  .join("\n")}
`;
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(30), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});
