// Subclasses of property, classmethod and staticmethod against python3: type_new's layout
// after each (property gains a `__weakref__` slot and a managed dict; classmethod and
// staticmethod keep their own dict), `__init__` filling an instance, `__get__`/`__set__`/
// `__delete__` overrides reaching the base's through super(), property's copies (`setter`)
// calling the subclass, and descriptors written in Python that define `__set__` or `__delete__`
// coming before the instance's dict. A property: for random accessors, overrides and
// operations, what each operation prints or raises is python3's.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("subclasses of property, classmethod and staticmethod", [
  [
    "property, classmethod and staticmethod subclasses: sizes, tracking, overrides",
    `import sys, gc
class P(property): pass
class C(classmethod): pass
class S(staticmethod): pass
f = lambda: 0
for o in (property(), P(), classmethod(f), C(f), staticmethod(f), S(f)):
    print(type(o).__name__, sys.getsizeof(o), gc.is_tracked(o), len(gc.get_referents(o)))
class Q(property):
    __slots__ = ('a',)
print(sys.getsizeof(Q()), C(f).__func__ is f, S(f).__wrapped__ is f)
class Logged(property):
    def __set__(self, obj, value):
        print('setting', self.fget.__name__, value)
        super().__set__(obj, value)
class Doc:
    def __init__(self): self._v = 0
    @Logged
    def v(self): return self._v
    @v.setter
    def v(self, val): self._v = val
d = Doc(); d.v = 5; print(d.v, type(Doc.__dict__['v']).__name__)
class Counted(classmethod):
    calls = 0
    def __get__(self, obj, cls=None):
        Counted.calls += 1
        return super().__get__(obj, cls)
class K:
    @Counted
    def make(cls): return cls()
K.make(); K().make(); print(Counted.calls)
class Tagged(staticmethod):
    def __init__(self, f, tag='x'):
        super().__init__(f)
        self.tag = tag
class M:
    @Tagged
    def helper(): return 'h'
print(M.helper(), M.__dict__['helper'].tag, M.__dict__['helper'].__name__)
p = P(lambda s: 1, doc='d'); print(p.__doc__, p.fget(None))
class Ro(property):
    def __delete__(self, obj): print('no deleting')
class H:
    x = Ro(lambda s: 7)
h = H(); print(h.x); del h.x
try:
    h.x = 3
except AttributeError as e:
    print(e)
print(isinstance(P(), property), P.__mro__)
class cached_property_like:
    def __init__(self, f): self.f = f
    def __get__(self, obj, cls):
        if obj is None: return self
        v = obj.__dict__[self.f.__name__] = self.f(obj)
        return v
class Data:
    def __get__(self, o, t=None): return 'data'
    def __set__(self, o, v): print('set', v)
class U:
    x = Data()
    @cached_property_like
    def y(self):
        print('computing y')
        return 2
u = U(); u.__dict__['x'] = 5; print(u.x); u.x = 3; print(u.y, u.y)`,
  ],
  [
    "a caching property subclass, docs and copies through setter",
    `class cached(property):
    def __get__(self, obj, cls=None):
        if obj is None: return self
        v = self.fget(obj)
        obj.__dict__[self.fget.__name__] = v
        return v
class P:
    @cached
    def x(self):
        print('computing')
        return 42
p = P()
print(p.x, p.x)
class cm(classmethod):
    pass
class sm(staticmethod):
    pass
class Q:
    @cm
    def f(cls): return cls.__name__
    @sm
    def g(): return 'g'
print(Q.f(), Q().f(), Q.g(), type(Q.__dict__['f']).__name__)
class myprop(property):
    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.extra = 1
class R:
    @myprop
    def v(self): return 1
    @v.setter
    def v(self, val): print('set', val)
r = R(); print(r.v); r.v = 3; print(type(R.__dict__['v']).__name__, R.__dict__['v'].extra if hasattr(R.__dict__['v'],'extra') else None)
class P(property): pass
p = P(lambda s: 1, doc='d'); print(p.__dict__, p.__doc__)
def g(s):
    'gdoc'
p2 = P(g); print(p2.__dict__, p2.__doc__)
class P2(property):
    'P2 doc'
print(P2(g).__doc__, P2(g).__dict__, P2().__doc__)
class Holder:
    @P2
    def a(self):
        'adoc'
        return 1
    @a.setter
    def a(self, v): pass
print(Holder.a.__doc__, Holder().a, type(Holder.a).__name__, Holder.__dict__['a'].__dict__)
print(property.__get__(Holder.a, None, Holder) is Holder.a)`,
  ],
  [
    "data descriptors written in Python come before the instance dict",
    `class D:
    def __get__(self, o, t=None): return 'got'
    def __set__(self, o, v): print('set', v)
class C:
    x = D()
c = C(); c.__dict__['x'] = 5; print(c.x); c.x = 3`,
  ],
]);

describe("property subclasses against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("get, set and delete through accessors and overrides as python3 does", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        fc.record({ fget: fc.boolean(), fset: fc.boolean(), fdel: fc.boolean() }),
        fc.record({ get: fc.boolean(), set: fc.boolean(), del: fc.boolean() }),
        fc.array(fc.constantFrom("get", "set", "del", "dict", "class"), {
          minLength: 1,
          maxLength: 6,
        }),
        async (accessors, overrides, ops) => {
          const lines = ops.map((op) => {
            switch (op) {
              case "get":
                return "    print(o.x)";
              case "set":
                return "    o.x = 5";
              case "del":
                return "    del o.x";
              case "dict":
                return "    o.__dict__['x'] = 9; print(o.x, o.__dict__)";
              default:
                return "    print(type(C.x).__name__, C.x is C.__dict__['x'])";
            }
          });
          const source = `class P(property):
${overrides.get ? "    def __get__(self, obj, cls=None):\n        print('get override')\n        return super().__get__(obj, cls)" : "    pass"}
${overrides.set ? "    def __set__(self, obj, value):\n        print('set override', value)\n        super().__set__(obj, value)" : ""}
${overrides.del ? "    def __delete__(self, obj):\n        print('delete override')\n        super().__delete__(obj)" : ""}
class C:
    def _get(self): return 'got'
    def _set(self, v): print('fset', v)
    def _del(self): print('fdel')
    x = P(${accessors.fget ? "_get" : "None"}, ${accessors.fset ? "_set" : "None"}, ${accessors.fdel ? "_del" : "None"})
o = C()
${ops
  .map(
    (_, i) => `try:
${lines[i]}
except AttributeError as e:
    print('AttributeError', e)`,
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
