// A quick look at the two freeing rows of the heap-shapes benchmark, without CPython's side:
// each shape built and dropped at its root, then built, made garbage and collected, three
// times; the best of each is printed, in milliseconds. `MM_RELEASES=js|wasm` chooses the path.
//
//   npx tsx bench/drop-quick.mts lists,dict,attrs,trees,tuples 1000000

import { type Shape, ShapeBuilder } from "./shapes.js";

const shapes = (process.argv[2] ?? "lists,dict,attrs,trees,tuples").split(",") as Shape[];
const n = Number(process.argv[3] ?? 1000000);
for (const shape of shapes) {
  const w = new ShapeBuilder();
  const times: number[] = [];
  const gtimes: number[] = [];
  for (let r = 0; r < 3; r++) {
    const root = w.build(shape, n);
    const t0 = performance.now();
    w.py.decref(root);
    times.push(performance.now() - t0);
    w.rt.gc.collect();
    const g = w.build(shape, n);
    const holder = w.py.list([g]);
    w.py.append(holder, holder);
    w.py.decref(holder);
    w.py.decref(g);
    const t1 = performance.now();
    w.rt.gc.collect(2);
    gtimes.push(performance.now() - t1);
  }
  console.log(
    shape,
    "drop",
    Math.min(...times).toFixed(1),
    "garbage",
    Math.min(...gtimes).toFixed(1),
  );
}
