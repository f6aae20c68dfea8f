// The cost of a Python call's frame through the embedding API: push a frame with three locals,
// bind two of them, read them back, pop it (the locals released in slot order). An interpreter
// does this once per call, so it bounds how many calls per second a front end can make.
//   pnpm tsx bench/frames.bench.ts            1,000,000 calls per round
//   pnpm tsx bench/frames.bench.ts --quick    200,000

import { quickMode } from "@mm/bench-kit";
import { Embedding, Runtime, type RuntimeOptions } from "../src/index.js";

const calls = quickMode() ? 200_000 : 1_000_000;
const rounds = 5;
const locals = ["a", "b", "c"];

/** One round of `calls` calls by name (store/load): the time in ms. */
function byName(py: Embedding, one: number, calls: number): number {
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    const f = py.pushFrame("f", "<bench>", locals);
    f.store("a", py.newRef(one));
    f.store("b", py.newRef(one));
    if (f.load("a") !== f.load("b")) throw new Error("unreachable");
    py.popFrame(f);
  }
  return performance.now() - t0;
}

/** The same calls through slots (`storeSlot`/`loadSlot`), as a compiled function makes them. */
function bySlot(py: Embedding, one: number, calls: number): number {
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    const f = py.pushFrame("f", "<bench>", locals);
    f.storeSlot(0, py.newRef(one));
    f.storeSlot(1, py.newRef(one));
    if (f.loadSlot(0) !== f.loadSlot(1)) throw new Error("unreachable");
    py.popFrame(f);
  }
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
// A process mirrors every frame on its modelled stack (@mm/layout), which costs far more than
// the frame itself: it runs a twentieth of the calls.
const configs: Array<[string, RuntimeOptions, number]> = [
  ["cpython", { collector: "cpython" }, calls],
  ["tracing", { collector: "tracing" }, calls],
  ["cpython in a process", { collector: "cpython", process: true }, calls / 20],
];
for (const [name, options, calls] of configs) {
  const rt = new Runtime({ env: {}, ...options });
  const py = new Embedding(rt);
  const one = py.int(1000);
  const names: number[] = [];
  const slots: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    const n = byName(py, one, calls);
    const s = bySlot(py, one, calls);
    if (round > 0) {
      names.push(n);
      slots.push(s);
    }
  }
  const ns = (ms: number) => ((ms * 1e6) / calls).toFixed(0);
  console.log(`${name}: ${ns(median(names))} ns per call by name, ${ns(median(slots))} ns by slot`);
  rt.verify();
}
