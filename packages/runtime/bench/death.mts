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

import type { Ref } from "../src/index.js";
import { type Shape, ShapeBuilder, shapes } from "./shapes.js";

const [shape = "lists", size = "100000", mode = "drop", times = "3"] = process.argv.slice(2);
// Two-cycles are not freed by counting: a drop leaves them to the collector.
if (!(shapes as readonly string[]).includes(shape) || shape === "two-cycles")
  throw new Error(`unknown shape ${shape}`);
const rounds = Number(times);
const world = new ShapeBuilder(2 ** 30);
const { rt, py } = world;
const build = (n: number): Ref => world.build(shape as Shape, n);

const live = rt.stats().liveObjects;
py.decref(build(Math.max(1000, Number(size) >>> 6)));
const roots: Ref[] = [];
for (let r = 0; r < rounds; r++) roots.push(build(Number(size)));
if (mode === "drop") {
  const built = rt.stats().liveObjects;
  for (const root of roots) py.decref(root);
  // The objects the drop freed, for dividing the instructions by.
  console.log(`deaths ${built - live}`);
  if (rt.stats().liveObjects !== live) throw new Error("the drop left objects");
}
