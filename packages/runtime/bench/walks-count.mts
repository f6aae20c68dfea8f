// Instruction counts per object of collect(2) on one reachable shape: run under cachegrind
// with COLLECTS=0 and COLLECTS=k, the difference over k × objects.
import type { GenerationalCollector } from "@mm/gen-gc";
import { type Shape, ShapeBuilder } from "./shapes.js";

const n = Number(process.env.N ?? 100_000);
const shape = (process.env.SHAPE ?? "lists") as Shape;
const collects = Number(process.env.COLLECTS ?? 0);
const w = new ShapeBuilder();
const gc = w.rt.strategy as unknown as GenerationalCollector;
gc.walks = (process.env.WALKS ?? "wasm") as "js" | "wasm";
const root = w.build(shape, n);
w.rt.gc.collect();
for (let i = 0; i < collects; i++) w.rt.gc.collect();
w.py.decref(root);
