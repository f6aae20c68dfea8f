// The collector's detection walks, WebAssembly kernel against JavaScript loops, on the heap
// shapes of shapes.bench.ts, all reachable, beside CPython 3.11 doing the same: CPU time per
// object of a steady collect(2) (best of the 11th to 30th after a build, `process.cpuUsage`,
// which counts the engine's compiler threads too) and of the first collect(2) after a build.
// The two walks alternate on the same heap in one process; python3 runs right after.
//   npx tsx bench/walks.mts                 N = 300,000
//   MM_BENCH_WALKS_N=1000000 npx tsx bench/walks.mts
// For instruction counts, bench/walks-count.mts runs one configuration under cachegrind.

import { spawnSync } from "node:child_process";
import type { GenerationalCollector } from "@mm/gen-gc";
import { objectCount, ShapeBuilder, shapes, treeDepth } from "./shapes.js";

const n = Number(process.env.MM_BENCH_WALKS_N ?? 300_000);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};
const w = new ShapeBuilder();
const gc = w.rt.strategy as unknown as GenerationalCollector;
gc.walks = "wasm";
if (gc.walks !== "wasm") {
  // A runtime without the WebAssembly walks (an engine that cannot compile them, or a runtime
  // in a modelled process): there is no kernel to alternate with.
  console.error("walks.mts: this runtime's collector has no WebAssembly walks to compare");
  process.exit(1);
}
const ours: Record<string, { first: number[]; steady: number[] }> = {};
for (const shape of shapes) {
  for (const walks of ["js", "wasm", "js", "wasm"] as const) {
    gc.walks = walks;
    const root = w.build(shape, n);
    const objects = objectCount(shape, n);
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = cpu();
      w.rt.gc.collect();
      times.push(cpu() - t0);
    }
    const key = `${shape} ${walks}`;
    const entry = ours[key] ?? { first: [], steady: [] };
    entry.first.push(times[0]! / objects);
    entry.steady.push(Math.min(...times.slice(10)) / objects);
    ours[key] = entry;
    w.py.decref(root);
    w.rt.gc.collect();
  }
}

const python = `
import gc, json, math, sys, time
class Node: pass
class C: pass
class Link: pass
def tree(d):
    o = Node()
    if d == 0: o.left = None; o.right = None
    else: o.left = tree(d - 1); o.right = tree(d - 1)
    return o
def build(shape, n):
    if shape == "lists": return [[] for _ in range(n)]
    if shape == "dict":
        d = {}
        for i in range(n): d[i] = C()
        return d
    if shape == "attrs":
        outer = []
        for _ in range(n // 2):
            o = C(); o.items = []; outer.append(o)
        return outer
    if shape == "trees": return tree(${treeDepth(n)})
    if shape == "tuples":
        t = (None,)
        for _ in range(n - 1): t = (t,)
        return t
    root = prev = None
    for _ in range(n // 2):
        a = Link(); b = Link()
        a.partner = b; b.partner = a; a.next = None; b.next = None
        if prev is None: root = a
        else: prev.next = a
        prev = a
    return root
gc.disable()
out = {}
for shape in ${JSON.stringify(shapes)}:
    root = build(shape, ${n})
    objects = ${JSON.stringify(Object.fromEntries(shapes.map((s) => [s, objectCount(s, n)])))}[shape]
    times = []
    for _ in range(30):
        t0 = time.process_time_ns(); gc.collect(); times.append(time.process_time_ns() - t0)
    out[shape] = [times[0] / objects, min(times[10:]) / objects]
    del root; gc.collect()
print(json.dumps(out))
`;
const run = spawnSync("python3", ["-c", python], { encoding: "utf8" });
const cpython = run.status === 0 ? (JSON.parse(run.stdout) as Record<string, number[]>) : {};

const f = (x: number) => x.toFixed(1);
console.log(
  `collect(2), ${n.toLocaleString("en-US")} objects per shape, all reachable, ns per object of the shape (CPU time; both heaps also hold their runtime's own objects)`,
);
console.log(
  "shape       steady js  steady wasm  CPython  wasm/js  wasm/CPython   first js  first wasm  CPython",
);
for (const shape of shapes) {
  const js = ours[`${shape} js`]!;
  const wasm = ours[`${shape} wasm`]!;
  const c = cpython[shape] ?? [Number.NaN, Number.NaN];
  const sj = Math.min(...js.steady);
  const sw = Math.min(...wasm.steady);
  console.log(
    `${shape.padEnd(11)} ${f(sj).padStart(9)}  ${f(sw).padStart(11)}  ${f(c[1]!).padStart(7)}  ${(sw / sj).toFixed(2).padStart(7)}  ${(sw / c[1]!).toFixed(2).padStart(12)}   ${js.first.map(f).join("/").padStart(8)}  ${wasm.first.map(f).join("/").padStart(10)}  ${f(c[0]!).padStart(7)}`,
  );
}
