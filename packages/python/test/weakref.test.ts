// The weakref module against python3: each program runs under CPython 3.11 (one python3
// process for the file, running each program in a fresh interpreter of its own) and under
// runPython: the stdouts must be equal, and so must the stderrs but for where the library's
// source lives. A property test checks the containers against a model of which objects live.

import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runPython } from "../src/vm/run.js";

/** Programs by what they show. None prints an address, so the outputs compare exactly. */
const programs: ReadonlyArray<readonly [string, string]> = [
  [
    "_remove_dead_weakref: a built-in function dropping an entry only while it is a dead reference",
    `
import weakref, sys, gc
class A: pass
a = A(); d = {"k": weakref.ref(a), "n": 5}
print(type(weakref._remove_dead_weakref).__name__, weakref._remove_dead_weakref(d, "k"), len(d))
del a
print(weakref._remove_dead_weakref(d, "k"), sorted(d), weakref._remove_dead_weakref(d, "gone"))
class D(dict): pass
dd = D(x=weakref.ref(A()))
weakref._remove_dead_weakref(dd, "x"); print(dd)
for args in (([], "k"), (d, "n"), (d, [1]), (d,), (d, "k", 1)):
    try:
        weakref._remove_dead_weakref(*args)
    except TypeError as e:
        print("TypeError", e)
try:
    weakref._remove_dead_weakref(d, key="k")
except TypeError as e:
    print("TypeError", e)
`,
  ],
  [
    "a WeakValueDictionary's mapping methods; entries vanish with their values",
    `
import weakref, sys, gc
class Obj:
    def __init__(self, n): self.n = n
    def __repr__(self): return "Obj(%d)" % self.n
w = weakref.WeakValueDictionary()
objs = [Obj(i) for i in range(5)]
for o in objs: w[o.n] = o
print(len(w), sorted(w.keys()), 3 in w, 9 in w, w[2], w.get(7, "none"))
print(sorted(w.__dict__), type(w.data).__name__, type(w._remove).__name__, w._pending_removals, w._iterating)
print(sys.getsizeof(w), gc.is_tracked(w), sys.getsizeof(w.data))
print(weakref.getweakrefcount(objs[0]), type(w.data[0]).__name__ == "KeyedRef" or type(w.data[0]).__name__ == "ReferenceType")
objs.pop(1); objs.pop(1)
print(len(w), sorted(w), sorted(v.n for v in w.values()), sorted((k, v.n) for k, v in w.items()))
try:
    w[1]
except KeyError as e:
    print("KeyError", e)
del w[0]
print(len(w), 0 in w, w.pop(3).n, w.pop(3, "gone"), len(w))
print(repr(w).startswith("<WeakValueDictionary at 0x"))
w2 = weakref.WeakValueDictionary({"a": objs[0]}, b=objs[-1])
print(sorted(w2.keys()), w2.setdefault("a", None).n)
c = w2.copy(); print(type(c).__name__, len(c))
objs.clear()
print(len(w), len(w2), len(c), list(w.items()))
`,
  ],
  [
    "a WeakKeyDictionary's mapping methods; weak references hash and compare by referent",
    `
import weakref, sys, gc
class K:
    def __init__(self, name): self.name = name
d = weakref.WeakKeyDictionary()
ks = [K("k%d" % i) for i in range(4)]
for i, k in enumerate(ks): d[k] = i * 10
print(len(d), d[ks[2]], ks[1] in d, K("x") in d, 5 in d, d.get(K("y"), "dflt"))
print(sorted(d.__dict__), d._dirty_len, sys.getsizeof(d), gc.is_tracked(d))
print(sorted(k.name for k in d), sorted(d.values()), sorted((k.name, v) for k, v in d.items()))
print(weakref.getweakrefcount(ks[0]), len(d.keyrefs()))
del ks[0]
print(len(d))
del d[ks[0]]
print(len(d), d.pop(ks[1]), len(d), d.setdefault(ks[2], 99), d.setdefault(K("t"), 5), len(d))
d.update({ks[0]: "again"})
print(len(d), d[ks[0]])
try:
    d[[1]] = 2
except TypeError as e:
    print("TypeError", e)
ks.clear()
print(len(d), [v for k, v in d.items()])
r1 = weakref.ref(K); r2 = weakref.ref(K, lambda w: None)
print(r1 == r2, r1 != r2, hash(r1) == hash(K), {r1: "x"}[r2])
class U: pass
u1 = U(); u2 = U(); a = weakref.ref(u1); b = weakref.ref(u2)
print(a == b, a != b)
h = hash(a); del u1
print(hash(a) == h, a == a, a == b)
try:
    hash(weakref.ref(U()))
except TypeError as e:
    print("TypeError", e)
`,
  ],
  [
    "a WeakSet's add, discard, remove, pop and membership; members vanish",
    `
import weakref, sys, gc
class L:
    def __init__(self, n): self.n = n
s = weakref.WeakSet()
xs = [L(i) for i in range(4)]
for x in xs: s.add(x)
s.add(xs[0])
print(len(s), xs[1] in s, L(9) in s, 3 in s, sorted(s.__dict__), sys.getsizeof(s), gc.is_tracked(s))
print(type(s.data).__name__, sorted(o.n for o in s))
s.discard(xs[0]); s.remove(xs[1])
print(len(s))
try:
    s.remove(L(5))
except KeyError:
    print("KeyError")
del xs[2]
print(len(s), sorted(o.n for o in s))
t = weakref.WeakSet(xs)
print(len(t), t.pop() in xs, len(t)); t.clear()
xs.clear()
print(len(s), [o.n for o in s])
try:
    t.pop()
except KeyError as e:
    print("KeyError", e)
print(repr(weakref.WeakSet()))
`,
  ],
  [
    "finalize: alive, atexit, peek, detach, calling, cycles, and the finalizers left at exit",
    `
import weakref, sys, gc
class R: pass
def done(tag, *more, **kw):
    print("done", tag, more, sorted(kw.items()))
    return tag
r = R()
f = weakref.finalize(r, done, "a", 1, 2, k=3)
print(f.alive, f.atexit, f.peek()[1] is done, f.peek()[2], f.peek()[3], weakref.getweakrefcount(r))
print(repr(f).startswith("<finalize object at 0x"), "; for 'R' at 0x" in repr(f))
f.atexit = False
print(f.atexit)
f.atexit = True
del r
print(f.alive, f.peek(), f.detach(), f(), repr(f).endswith("; dead>"))
r2 = R()
g = weakref.finalize(r2, done, "b")
print(g(), g(), g.alive)
r3 = R()
h = weakref.finalize(r3, done, "c")
obj, fn, args, kw = h.detach()
print(obj is r3, fn is done, args, kw, h.alive, h.detach())
class Node:
    pass
n1 = Node(); n2 = Node(); n1.other = n2; n2.other = n1
weakref.finalize(n1, print, "cycle collected")
del n1, n2
print("before collect")
gc.collect()
print("after collect")
keep = R()
weakref.finalize(keep, print, "at exit 1")
keep2 = R()
weakref.finalize(keep2, print, "at exit 2")
keep3 = R()
z = weakref.finalize(keep3, print, "not at exit")
z.atexit = False
print("end of program")
`,
  ],
  [
    "proxy: forwarding, reuse, callbacks, getweakrefs order, ReferenceError once dead",
    `
import weakref, sys, gc
class A:
    cls_attr = "c"
    def __init__(self): self.x = 1; self.items = [1, 2, 3]
    def m(self, y): return self.x + y
    def __len__(self): return 7
    def __str__(self): return "A-str"
a = A()
p = weakref.proxy(a)
print(p.x, p.m(2), p.cls_attr, len(p), str(p), p.items[1], p.__class__ is A)
p.x = 5
print(a.x, p.x, weakref.getweakrefcount(a), weakref.getweakrefs(a)[0] is p)
print(weakref.proxy(a) is p, weakref.getweakrefcount(a))
r = weakref.ref(a)
print(len(weakref.getweakrefs(a)), weakref.getweakrefs(a)[1] is r)
print(repr(p).startswith("<weakproxy at 0x"), " to A at 0x" in repr(p))
def cb(px):
    print("callback got the proxy:", px is q)
q = weakref.proxy(a, cb)
print(q is p, weakref.getweakrefcount(a))
try:
    hash(p)
except TypeError as e:
    print("TypeError", e)
f = weakref.proxy(len)  if False else None
class C:
    def __call__(self, v): return v * 2
c = C(); pc = weakref.proxy(c)
print(pc(21))
del a
for what in ("attr", "call", "len", "str"):
    try:
        if what == "attr": p.x
        elif what == "call": p.m(1)
        elif what == "len": len(p)
        else: str(p)
    except ReferenceError as e:
        print(what, "ReferenceError:", e)
print(repr(p).endswith("; dead>"), weakref.getweakrefs(A()))
try:
    weakref.proxy(1)
except TypeError as e:
    print("TypeError", e)
`,
  ],
  [
    "the classes' modules and names",
    `
import weakref
class A: pass
a = A()
print(type(weakref.proxy(a)), weakref.WeakSet, type(weakref.WeakValueDictionary()), weakref.finalize)
print(weakref.WeakSet.__module__, weakref.WeakSet.__name__, weakref.WeakSet.__qualname__)
`,
  ],
  [
    "what the containers hold: refcounts, weakref counts, the data dict's size",
    `
import weakref, sys, gc
class V: pass
w = weakref.WeakValueDictionary()
v = V()
key = "some-key-" + str(7)
print(sys.getrefcount(v), sys.getrefcount(key))
w[key] = v
print(sys.getrefcount(v), weakref.getweakrefcount(v))
print(sys.getsizeof(w.data), gc.is_tracked(w.data), gc.is_tracked(w._remove))
for i in range(20):
    w[i] = v
print(len(w), sys.getsizeof(w.data), weakref.getweakrefcount(v))
del v
print(len(w), sys.getsizeof(w.data))
k = weakref.WeakKeyDictionary()
o = V()
k[o] = [1, 2]
print(sys.getrefcount(o), weakref.getweakrefcount(o), sys.getsizeof(k.data))
s = weakref.WeakSet()
s.add(o)
print(sys.getrefcount(o), weakref.getweakrefcount(o), sys.getsizeof(s.data))
f = weakref.finalize(o, print, "bye")
print(sys.getrefcount(o), weakref.getweakrefcount(o))
p = weakref.proxy(o)
print(sys.getrefcount(o), weakref.getweakrefcount(o), gc.is_tracked(p))
del o
print(len(k), len(s), f.alive)
`,
  ],
  [
    "a cache of loaded values; cycles; values that keep their keys alive",
    `
import weakref, gc
class Image:
    def __init__(self, name):
        self.name = name
cache = weakref.WeakValueDictionary()
loads = []
def load(name):
    img = cache.get(name)
    if img is None:
        loads.append(name)
        img = cache[name] = Image(name)
    return img
a = load("logo"); b = load("logo"); c = load("icon")
print(a is b, loads, sorted(cache))
del a, b
print(sorted(cache), load("logo").name, loads)
# Values in a reference cycle stay until the collector finds them.
x = Image("x"); y = Image("y"); x.peer = y; y.peer = x
cache["x"] = x; cache["y"] = y
del x, y
print(sorted(cache))
gc.collect()
print(sorted(cache))
# A WeakKeyDictionary whose values point back at their keys keeps them alive.
meta = weakref.WeakKeyDictionary()
k = Image("k")
meta[k] = ("about", k)
del k
print(len(meta))
`,
  ],
  [
    "errors in finalizers, at death and at exit; iteration, proxies that set attributes",
    `
import weakref
class T: pass
def boom(x):
    raise ValueError("boom " + x)
t = T()
weakref.finalize(t, boom, "at death")
del t
print("after death")
w = weakref.WeakValueDictionary()
t2 = T()
w["a"] = t2
for k in w:
    print("key", k)
print(list(w), [type(v).__name__ for v in w.values()])
print(dict(w.items()) == {"a": t2}, w == w)
s = weakref.WeakSet([t2])
print(t2 in s, len(s), bool(s), bool(weakref.WeakSet()))
p = weakref.proxy(t2)
p.name = "n"
print(t2.name, p.name, hasattr(p, "missing"), getattr(p, "name"))
t3 = T()
weakref.finalize(t3, boom, "at exit")
print("end")
`,
  ],
  [
    "weak references hold their callbacks until they run, and then let go",
    `
import weakref, sys, gc
class A: pass
def cb(w): print("cb ran")
a = A()
r = weakref.ref(a, cb)
print(sys.getrefcount(cb))
del a
print(sys.getrefcount(cb))
w = weakref.WeakValueDictionary()
vals = [A() for _ in range(5)]
for i, v in enumerate(vals): w[i] = v
print(sys.getrefcount(w._remove))
vals.clear()
print(len(w), sys.getrefcount(w._remove))
o = A()
f = weakref.finalize(o, print, "gone")
print(sys.getrefcount(f))
del o
print(sys.getrefcount(f), f.alive)
x = A()
p = weakref.proxy(x, cb)
print(sys.getrefcount(cb))
del x
print(sys.getrefcount(cb))
`,
  ],
  [
    "proxies forward operators, containers and method calls; mappings built from others",
    `
import weakref
print(weakref.getweakrefs(1), weakref.getweakrefcount(1))
s = weakref.WeakSet()
try:
    s.add(3)
except TypeError as e:
    print("TypeError", e)
class N:
    def __init__(self, v): self.v = v
    def __add__(self, o): return N(self.v + (o.v if isinstance(o, N) else o))
    def __eq__(self, o): return isinstance(o, N) and self.v == o.v
    def __hash__(self): return id(self) >> 4
a = N(1); b = N(1)
pa = weakref.proxy(a); pb = weakref.proxy(b)
print(pa == pb, pa == b, (pa + 2).v, (pa + pb).v)
l = [3, 1, 2]
class L:
    def __init__(self, items): self.items = list(items)
    def __len__(self): return len(self.items)
    def __getitem__(self, i): return self.items[i]
    def __contains__(self, x): return x in self.items
    def __iter__(self): return iter(self.items)
    def append(self, x): self.items.append(x)
    def count(self, x): return self.items.count(x)
    def __repr__(self): return repr(self.items)
lst = L([3, 1, 2])
pl = weakref.proxy(lst)
print(len(pl), pl[0], 2 in pl, sorted(pl), list(pl))
pl.append(9)
print(lst, pl.count(9))
del lst
try:
    hasattr(pl, "x")
except ReferenceError as e:
    print("ReferenceError", e)
print(weakref.ref(a)() is a, weakref.ref(a) is weakref.ref(a))
k = weakref.WeakKeyDictionary({a: 1, b: 2})
print(len(k), k[a], k[b])
try:
    k[N(5)]
except KeyError:
    print("KeyError")
v = weakref.WeakValueDictionary([("x", a)])
print(v["x"] is a)
`,
  ],
  [
    "a WeakSet's set algebra: operators, methods, in-place updates, comparisons",
    `
import weakref
class E:
    def __init__(self, n): self.n = n
es = [E(i) for i in range(6)]
a = weakref.WeakSet(es[:4]); b = weakref.WeakSet(es[2:])
names = lambda s: sorted(e.n for e in s)
print(names(a | b), names(a & b), names(a - b), names(a ^ b))
print(names(a.union(es[5:])), names(a.intersection(es[1:3])), names(a.difference([es[0]])))
print(a <= b, a >= weakref.WeakSet(es[:2]), weakref.WeakSet(es[:2]) < a, a > weakref.WeakSet(es[:2]), a == weakref.WeakSet(es[:4]), a == b)
print(a.issubset(es), a.issuperset(es[:1]), a.isdisjoint(weakref.WeakSet(es[4:])), a.isdisjoint(b))
c = a.copy(); c |= b; print(names(c))
c -= weakref.WeakSet(es[:1]); print(names(c))
c &= weakref.WeakSet(es[:3]); print(names(c))
c ^= weakref.WeakSet(es[2:4]); print(names(c))
c.symmetric_difference_update(es[1:2]); print(names(c))
c.intersection_update(es); c.difference_update(es[3:4]); print(names(c))
try:
    hash(a)
except TypeError as e:
    print("TypeError", e)
del es[2]
print(names(a), names(b), len(a & b))
`,
  ],
  [
    "the mappings' union operators, equality with dicts, clear",
    `
import weakref
class V:
    def __init__(self, n): self.n = n
vs = [V(i) for i in range(4)]
w = weakref.WeakValueDictionary({"a": vs[0], "b": vs[1]})
x = weakref.WeakValueDictionary({"c": vs[2]})
u = w | x
print(type(u).__name__, sorted(u.keys()), w == {"a": vs[0], "b": vs[1]}, w == x)
w |= {"d": vs[3]}
print(sorted(w.keys()), len(w))
w.clear(); print(len(w), list(w.items()))
k = weakref.WeakKeyDictionary({vs[0]: 1})
k2 = k | {vs[1]: 2}
print(type(k2).__name__, sorted(k2.values()), k == {vs[0]: 1}, k2 == k)
k |= {vs[2]: 3}
print(sorted(k.values()))
k.clear(); print(len(k))
try:
    hash(k)
except TypeError as e:
    print("TypeError", e)
`,
  ],
  [
    "WeakMethod: bound methods held weakly, an observer list that forgets dead subscribers",
    `
import weakref, gc
class Button:
    def __init__(self, name): self.name = name
    def click(self): return "clicked " + self.name
b = Button("ok")
events = []
wm = weakref.WeakMethod(b.click, lambda w: events.append(("dead", type(w).__name__)))
print(wm()(), wm().__self__ is b, weakref.getweakrefcount(b), hash(wm) == hash(b))
print(repr(wm).startswith("<weakref at 0x"), "; to 'Button' at 0x" in repr(wm))
wm2 = weakref.WeakMethod(b.click)
print(wm == wm2, wm != wm2, len({wm, wm2}))
try:
    weakref.WeakMethod(len)
except TypeError as e:
    print("TypeError", e)
try:
    weakref.WeakMethod(lambda: 1)
except TypeError as e:
    print("TypeError", e)
del b
print(wm(), events, wm == wm2, repr(wm).endswith("; dead>"))
# An observer list that forgets dead subscribers.
class Bus:
    def __init__(self): self.subs = []
    def subscribe(self, m): self.subs.append(weakref.WeakMethod(m))
    def emit(self):
        out = []
        for s in self.subs:
            m = s()
            if m is not None:
                out.append(m())
        return out
bus = Bus()
b1 = Button("one"); b2 = Button("two")
bus.subscribe(b1.click); bus.subscribe(b2.click)
print(bus.emit())
del b1
print(bus.emit())
`,
  ],
  [
    "calling dead references and showing dead proxies leave None's count as it was",
    `
import weakref, sys
class A: pass
a = A(); r = weakref.ref(a); p = weakref.proxy(a); del a
n0 = sys.getrefcount(None)
for _ in range(100):
    r(); repr(p)
print(sys.getrefcount(None) - n0)
`,
  ],
];

/** What a run printed: its stdout, and the gist of its stderr. */
interface Output {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The lines of a traceback that do not depend on where the library's source lives: the
 * `File ...` lines and the source lines under them go, and addresses are masked.
 */
function gist(stderr: string): string {
  return stderr
    .split("\n")
    .filter((line) => !line.startsWith("  "))
    .join("\n")
    .replace(/0x[0-9a-f]+/g, "0x?");
}

/** Runs each source in its own python3 subprocess (spawned by one driver); what each printed. */
function cpython(sources: readonly string[]): Output[] {
  const driver = [
    "import json, subprocess, sys",
    "runs = [subprocess.run([sys.executable, '-c', s], capture_output=True, text=True)",
    "        for s in json.load(sys.stdin)]",
    "print(json.dumps([{'stdout': r.stdout, 'stderr': r.stderr} for r in runs]))",
  ].join("\n");
  const r = spawnSync("python3", ["-c", driver], {
    input: JSON.stringify(sources),
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Output[];
}

const expected = cpython(programs.map(([, source]) => source));

describe("weakref against python3", () => {
  programs.forEach(([title, source], i) => {
    it(title, () => {
      const r = runPython(source);
      expect(r.stdout).toBe(expected[i]!.stdout);
      expect(gist(r.stderr)).toBe(gist(expected[i]!.stderr));
    });
  });
});

describe("weakref containers follow their referents", () => {
  it("a WeakValueDictionary, a WeakKeyDictionary and a WeakSet hold exactly the live objects", () => {
    // Steps over 6 objects: make object i (and hold it), drop the hold on i, or enter i in
    // the three containers. The containers must then hold just the entered objects still held.
    const step = fc.oneof(
      fc.record({ op: fc.constant("new" as const), i: fc.nat(5) }),
      fc.record({ op: fc.constant("drop" as const), i: fc.nat(5) }),
      fc.record({ op: fc.constant("enter" as const), i: fc.nat(5) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        const held = new Set<number>();
        const entered = new Set<number>();
        const lines = [
          "import weakref",
          "class O:",
          "    pass",
          "held = {}",
          "wv = weakref.WeakValueDictionary()",
          "wk = weakref.WeakKeyDictionary()",
          "ws = weakref.WeakSet()",
        ];
        for (const { op, i } of steps) {
          if (op === "new") {
            lines.push(`held[${i}] = O()`);
            held.add(i);
            entered.delete(i);
          } else if (op === "drop") {
            lines.push(`held.pop(${i}, None)`);
            held.delete(i);
            entered.delete(i);
          } else if (held.has(i)) {
            lines.push(`wv[${i}] = held[${i}]`, `wk[held[${i}]] = ${i}`, `ws.add(held[${i}])`);
            entered.add(i);
          }
        }
        lines.push(
          "print(sorted(wv.keys()), sorted(wk.values()), len(ws), len(wv), len(wk))",
          "print(all(k in wv and wv[k] is held[k] and held[k] in wk and held[k] in ws for k in wv))",
        );
        const r = runPython(lines.join("\n"));
        const live = [...entered].sort((a, b) => a - b);
        const n = live.length;
        expect(r.stderr).toBe("");
        expect(r.stdout).toBe(
          `${JSON.stringify(live).replaceAll(",", ", ")} ${JSON.stringify(live).replaceAll(",", ", ")} ${n} ${n} ${n}\nTrue\n`,
        );
      }),
      { numRuns: 15 },
    );
  });
});
