// A CPU profile of one freeing row of the heap-shapes benchmark, and only of it: the shape is
// built four times, and each drop of the root (`drop`) or collection of it all garbage
// (`garbage`) after the first is sampled by the inspector's profiler into `<prefix>.<round>.cpuprofile`.
//
//   MM_RELEASES=wasm node --import tsx bench/drop-prof.mts lists garbage 1000000 prof/lists

import fs from "node:fs";
import { Session } from "node:inspector/promises";
import { type Shape, ShapeBuilder } from "./shapes.js";

const shape = (process.argv[2] ?? "dict") as Shape;
const what = process.argv[3] ?? "drop";
const n = Number(process.argv[4] ?? 1000000);
const out = process.argv[5] ?? "drop";
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 100 });
const w = new ShapeBuilder();
for (let r = 0; r < 4; r++) {
  const root = w.build(shape, n);
  if (what === "garbage") {
    const holder = w.py.list([root]);
    w.py.append(holder, holder);
    w.py.decref(holder);
    w.py.decref(root);
  }
  if (r >= 1) await session.post("Profiler.start");
  const t0 = performance.now();
  if (what === "garbage") w.rt.gc.collect(2);
  else w.py.decref(root);
  console.log(shape, what, (performance.now() - t0).toFixed(1));
  if (r >= 1) {
    const { profile } = await session.post("Profiler.stop");
    fs.writeFileSync(`${out}.${r}.cpuprofile`, JSON.stringify(profile));
  }
  w.rt.gc.collect();
}
