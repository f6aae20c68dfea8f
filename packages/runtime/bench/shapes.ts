// The heap shapes the runtime's benches build through the embedding API, beside python3
// building the same: a list of empty lists, a dict of instances, instances holding lists,
// the benchmarks game's binary trees of instances, a chain of 1-tuples, EXP-a's two-cycles.

import { MAX_MEMORY_BYTES } from "@mm/heap";
import { type ClassRef, Embedding, type Ref, Runtime } from "../src/index.js";

export const shapes = ["lists", "dict", "attrs", "trees", "tuples", "two-cycles"] as const;
export type Shape = (typeof shapes)[number];

/** The benchmarks game's tree depth whose node count (2^(d+1) - 1) is nearest to `n`. */
export const treeDepth = (n: number) => Math.round(Math.log2(n)) - 1;

/** Objects a shape of size `n` holds (its root included; int keys and None not counted). */
export function objectCount(shape: Shape, n: number): number {
  switch (shape) {
    case "lists":
    case "dict":
      return n + 1;
    case "attrs":
      return 2 * Math.floor(n / 2) + 1;
    case "trees":
      return 2 ** (treeDepth(n) + 1) - 1;
    case "tuples":
      return n;
    case "two-cycles":
      return 2 * Math.floor(n / 2);
  }
}

/** A runtime (its collector disabled) with the classes the shapes' instances are of. */
export class ShapeBuilder {
  readonly rt: Runtime;
  readonly py: Embedding;
  readonly #node: ClassRef;
  readonly #cls: ClassRef;
  readonly #holder: ClassRef;
  readonly #link: ClassRef;

  /**
   * @param heapBytes the heap's largest size; by default the largest (4 GiB less 64 KiB),
   *   mapped as it grows, so a small shape pays nothing for the room a 10,000,000-object one needs
   */
  constructor(heapBytes = MAX_MEMORY_BYTES) {
    this.rt = new Runtime({ heapBytes, reserveHeap: process.env.MM_BENCH_RESERVE_HEAP === "1" });
    this.py = new Embedding(this.rt);
    this.rt.gc.disable();
    // A class per shape's attribute names, as CPython's shared keys want: a class whose
    // instances get other names than its first ones materialises their dicts (and so would
    // CPython's, whose two-cycles would then cost three times the memory and the time). And a
    // class per shape besides: every instance made shrinks its class's room for new names by
    // one (`init_inline_values`), down to one, and a new instance's values array is as long as
    // the names plus that room, so a class an earlier shape used gives the next shape's
    // instances shorter arrays than a fresh one (the attrs' values blocks take 16 bytes after
    // the dict shape's instances, 32 on a class of their own).
    this.#node = this.py.defineClass("Node");
    this.#cls = this.py.defineClass("C");
    this.#holder = this.py.defineClass("Holder");
    this.#link = this.py.defineClass("Link");
  }

  /** Builds `shape` of size `n`; returns its root (a new reference). */
  build(shape: Shape, n: number): Ref {
    const py = this.py;
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
          const o = py.instance(this.#cls);
          py.dictSet(d, k, o);
          py.decref(k);
          py.decref(o);
        }
        return d;
      }
      case "attrs": {
        const outer = py.list([]);
        for (let i = 0; i < n >>> 1; i++) {
          const o = py.instance(this.#holder);
          const l = py.list([]);
          py.setAttr(o, "items", l);
          py.decref(l);
          py.append(outer, o);
          py.decref(o);
        }
        return outer;
      }
      case "trees":
        return this.#tree(treeDepth(n));
      case "tuples": {
        let t = py.tuple([py.none]);
        for (let i = 1; i < n; i++) {
          const u = py.tuple([t]);
          py.decref(t);
          t = u;
        }
        return t;
      }
      case "two-cycles": {
        let root = 0;
        let prev = 0;
        for (let i = 0; i < n >>> 1; i++) {
          const a = py.instance(this.#link);
          const b = py.instance(this.#link);
          py.setAttr(a, "partner", b);
          py.setAttr(b, "partner", a);
          py.setAttr(a, "next", py.none);
          py.setAttr(b, "next", py.none);
          py.decref(b);
          if (prev === 0) root = a;
          else {
            py.setAttr(prev, "next", a);
            py.decref(a);
          }
          prev = a;
        }
        return root;
      }
    }
  }

  /** bottomUpTree(depth): a Node(left, right), leaves holding None. */
  #tree(depth: number): Ref {
    const py = this.py;
    const o = py.instance(this.#node);
    if (depth === 0) {
      py.setAttr(o, "left", py.none);
      py.setAttr(o, "right", py.none);
      return o;
    }
    const left = this.#tree(depth - 1);
    py.setAttr(o, "left", left);
    py.decref(left);
    const right = this.#tree(depth - 1);
    py.setAttr(o, "right", right);
    py.decref(right);
    return o;
  }
}
