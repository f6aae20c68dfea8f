// Instructions of one all-garbage collection: builds a shape whose root refers to itself (so
// dropping it leaves it all to the collector), drops it, and collects. Run under cachegrind with
// MM_RELEASES=js and =wasm (the release kernel) to compare the two free paths of the garbage:
//
//   MM_RELEASES=wasm valgrind --tool=cachegrind --cache-sim=no --smc-check=all-non-file \
//     --cachegrind-out-file=/dev/null node --import tsx bench/collect-garbage.mts lists 100000 keep
//
// `keep` leaves the dropped shape uncollected, for the difference.

import { type Shape, ShapeBuilder, shapes } from "./shapes.js";

const [shape = "lists", size = "100000", mode = "collect"] = process.argv.slice(2);
if (!(shapes as readonly string[]).includes(shape)) throw new Error(`unknown shape ${shape}`);
const world = new ShapeBuilder(2 ** 30);
const { rt, py } = world;
const small = world.build(shape as Shape, 1000);
const cycle = py.list([small]);
py.append(cycle, cycle);
py.decref(small);
py.decref(cycle);
rt.gc.collect(2);
const root = world.build(shape as Shape, Number(size));
const loop = py.list([root]);
py.append(loop, loop);
py.decref(root);
py.decref(loop);
const live = rt.stats().liveObjects;
if (mode === "collect") {
  rt.gc.collect(2);
  console.log(`freed ${live - rt.stats().liveObjects}`);
}
