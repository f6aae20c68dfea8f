// Instructions per death by reference count: builds and drops a small heap shape (so the free
// path is compiled), builds `rounds` shapes of `n` objects through the embedding API, and then
// either drops them ("drop") or leaves them ("keep").
//
//   valgrind --tool=callgrind --dump-instr=yes --smc-check=all-non-file \
//     node --single-threaded --perf-basic-prof --import tsx bench/death.mts lists 100000 drop 2
//
// Summing callgrind's per-instruction counts over the code map node writes (/tmp/perf-<pid>.map)
// gives each compiled function's instructions; those of the death path's functions, divided by
// the objects the dropped shapes held, are what a death costs (the README's table). The
// difference between a "drop" and a "keep" run under cachegrind says the same in one number,
// but V8's own collections make it vary by tens of millions of instructions between runs.

import { type ClassRef, Embedding, type Ref, Runtime } from "../src/index.js";

const [shape = "lists", size = "100000", mode = "drop", times = "3"] = process.argv.slice(2);
const rounds = Number(times);
const rt = new Runtime({ heapBytes: 2 ** 30 });
const py = new Embedding(rt);
rt.gc.disable();
const node: ClassRef = py.defineClass("Node");
const cls: ClassRef = py.defineClass("C");

function tree(depth: number): Ref {
  const o = py.instance(node);
  if (depth === 0) {
    py.setAttr(o, "left", py.none);
    py.setAttr(o, "right", py.none);
    return o;
  }
  const left = tree(depth - 1);
  py.setAttr(o, "left", left);
  py.decref(left);
  const right = tree(depth - 1);
  py.setAttr(o, "right", right);
  py.decref(right);
  return o;
}

function build(n: number): Ref {
  switch (shape) {
    case "lists": {
      const outer = py.list([]);
      for (let i = 0; i < n; i++) {
        const l = py.list([]);
        py.append(outer, l);
        py.decref(l);
      }
      return outer;
    }
    case "dict": {
      const d = py.dict();
      for (let i = 0; i < n; i++) {
        const k = py.int(i);
        const o = py.instance(cls);
        py.dictSet(d, k, o);
        py.decref(k);
        py.decref(o);
      }
      return d;
    }
    case "attrs": {
      const outer = py.list([]);
      for (let i = 0; i < n >>> 1; i++) {
        const o = py.instance(cls);
        const l = py.list([]);
        py.setAttr(o, "items", l);
        py.decref(l);
        py.append(outer, o);
        py.decref(o);
      }
      return outer;
    }
    case "trees":
      return tree(Math.round(Math.log2(n)) - 1);
    case "tuples": {
      let t = py.tuple([py.none]);
      for (let i = 1; i < n; i++) {
        const u = py.tuple([t]);
        py.decref(t);
        t = u;
      }
      return t;
    }
    default:
      throw new Error(`unknown shape ${shape}`);
  }
}

const live = rt.stats().liveObjects;
py.decref(build(Math.max(1000, Number(size) >>> 6)));
const roots: Ref[] = [];
for (let r = 0; r < rounds; r++) roots.push(build(Number(size)));
if (mode === "drop") {
  for (const root of roots) py.decref(root);
  if (rt.stats().liveObjects !== live) throw new Error("the drop left objects");
}
