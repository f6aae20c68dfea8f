// The menu of examples: one program per idea of Python's memory management, each short enough
// to step through and each printing what it shows, so its output can be checked against python3.

/** One example of the menu. */
export interface Example {
  /** A stable name, for tests and links. */
  readonly id: string;
  /** What the menu shows. */
  readonly title: string;
  readonly source: string;
}

/** The examples, in the menu's order. */
export const EXAMPLES: readonly Example[] = [
  {
    id: "refcounts",
    title: "Reference counts",
    source: `import sys

x = [1, 2, 3]
print(sys.getrefcount(x) - 1)
y = x
print(sys.getrefcount(x) - 1)
pair = (x, x)
print(sys.getrefcount(x) - 1)
del y
del pair
print(sys.getrefcount(x) - 1)
del x
`,
  },
  {
    id: "cycle",
    title: "A cycle only the collector frees",
    source: `import gc

class Node:
    def __init__(self, name):
        self.name = name
        self.other = None

a = Node("a")
b = Node("b")
a.other = b
b.other = a
del a, b
print("unreachable:", gc.collect())
`,
  },
  {
    id: "generations",
    title: "Generations and thresholds",
    source: `import gc

gc.set_threshold(10, 2, 2)
print(gc.get_threshold())
keep = []
for i in range(30):
    keep.append([i])
print(len(keep))
gc.collect()
print(gc.get_count())
`,
  },
  {
    id: "pools",
    title: "Pools and arenas filling and emptying",
    source: `blocks = []
for i in range(400):
    blocks.append((i, i))
print(len(blocks))
del blocks[:300]
print(len(blocks))
blocks.clear()
print(len(blocks))
`,
  },
  {
    id: "free-lists",
    title: "Free lists and id() reuse",
    source: `a = (1.5, 2.5)
first = id(a)
del a
b = (3.5, 4.5)
print(id(b) == first)
x = 1.25 * 2
where = id(x)
del x
y = 3.25 * 2
print(id(y) == where)
`,
  },
  {
    id: "resurrection",
    title: "__del__ and resurrection",
    source: `import gc

saved = []

class Phoenix:
    def __del__(self):
        print("finalizing")
        saved.append(self)

p = Phoenix()
del p
print(len(saved))
back = saved.pop()
del back
print(len(saved))
`,
  },
  {
    id: "weakrefs",
    title: "Weak references, callbacks and caches",
    source: `import weakref

class Item:
    pass

def gone(ref):
    print("callback: the item is gone")

item = Item()
ref = weakref.ref(item, gone)
print(ref() is item)
cache = weakref.WeakValueDictionary()
cache["item"] = item
print(len(cache))
del item
print(ref())
print(len(cache))
`,
  },
  {
    id: "context",
    title: "Context managers",
    source: `class Resource:
    def __init__(self, name):
        self.name = name
        self.buffer = [0] * 100
    def __enter__(self):
        print("open", self.name)
        return self
    def __exit__(self, kind, value, tb):
        print("close", self.name)
        self.buffer = None
        return False

with Resource("file") as r:
    print(len(r.buffer))
print(r.buffer)
`,
  },
  {
    id: "recursion",
    title: "Deep recursion",
    source: `def depth(n):
    if n == 0:
        return 0
    return 1 + depth(n - 1)

print(depth(20))
try:
    depth(100000)
except RecursionError as e:
    print("RecursionError:", e)
`,
  },
  {
    id: "sizes",
    title: "Sizes of growing containers",
    source: `import sys

items = []
sizes = []
for i in range(20):
    items.append(i)
    sizes.append(sys.getsizeof(items))
print(sizes)
d = {}
print(sys.getsizeof(d))
for i in range(6):
    d[i] = i
print(sys.getsizeof(d))
`,
  },
];

/** The example the page opens with when its address carries no program. */
export const FIRST_EXAMPLE: Example = EXAMPLES[0]!;
