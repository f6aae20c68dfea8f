// The workloads `mm gen` writes. Each is a function of a size and a seeded random source, so
// the same arguments always give the same trace; each trace records events (counts, collection
// results, finalizers) so that it can be compared with CPython's run of it.

import { mulberry32 } from "@mm/bench-kit";
import { float, int, newObject, str, TraceBuilder, type TraceOp } from "./builder.js";

/** A workload: what it is, its default size, and how to write it. */
export interface Workload {
  readonly kind: string;
  /** One line for the help. */
  readonly summary: string;
  /** What `--size` counts. */
  readonly sizeMeans: string;
  readonly defaultSize: number;
  write(size: number, seed: number): TraceBuilder;
}

const del = (v: string): TraceOp => ({ op: "del", var: v });
const getCount: TraceOp = { op: "gc", call: "get_count" };
const collect: TraceOp = { op: "collect" };

const churn: Workload = {
  kind: "churn",
  summary: "a loop of short-lived objects: each iteration drops the last one's",
  sizeMeans: "loop iterations (about eleven objects each)",
  defaultSize: 10_000,
  write(size) {
    const t = new TraceBuilder(
      `churn: ${size} iterations, each making a dict, a list, a tuple, an instance, a float and a str that live until the next iteration rebinds their names; counting frees almost everything, and free lists serve the dicts, lists, tuples and floats again`,
    );
    t.op({
      op: "repeat",
      times: size,
      ops: [
        { op: "new", var: "req", type: "dict", items: { id: int(1000), path: str("/index.html") } },
        { op: "new", var: "parts", type: "list", items: [str("alpha"), str("beta"), float(0.5)] },
        { op: "new", var: "pair", type: "tuple", items: ["req", "parts"] },
        newObject("tmp", "tmp"),
        { op: "set", obj: "tmp", attr: "payload", value: "pair" },
        { op: "new", var: "x", type: "float", value: 2.5 },
        { op: "new", var: "s", type: "str", value: "churned" },
      ],
    });
    t.op(getCount);
    for (const v of ["tmp", "pair", "parts", "req", "x", "s"]) t.op(del(v));
    t.op(collect).op(getCount);
    return t;
  },
};

const growth: Workload = {
  kind: "growth",
  summary: "long-lived growth: every object is kept in a module-level list",
  sizeMeans: "objects kept (each with a list and a dict)",
  defaultSize: 10_000,
  write(size) {
    const t = new TraceBuilder(
      `growth: ${size} instances, each with a payload list and a meta dict, appended to a list that lives to the end; nothing becomes garbage, so the heap only grows and collections find nothing`,
    );
    t.op({ op: "new", var: "keep", type: "list" });
    t.op({
      op: "repeat",
      times: size,
      ops: [
        newObject("item", "item"),
        {
          op: "new",
          var: "payload",
          type: "list",
          items: [int(1000), int(1001), float(1.5), str("payload")],
        },
        { op: "set", obj: "item", attr: "payload", value: "payload" },
        { op: "new", var: "meta", type: "dict", items: { size: int(4096), owner: str("growth") } },
        { op: "set", obj: "item", attr: "meta", value: "meta" },
        { op: "append", obj: "keep", value: "item" },
      ],
    });
    for (const v of ["item", "payload", "meta"]) t.op(del(v));
    t.op({ op: "sizeof", var: "keep" }).op(getCount).op(collect).op(getCount);
    return t;
  },
};

const cycles: Workload = {
  kind: "cycles",
  summary: "reference cycles made and dropped: only a cycle collector frees them",
  sizeMeans: "cycles (self, pair, ring, list or dict cycles; one in ten with __del__)",
  defaultSize: 2_000,
  write(size, seed) {
    const random = mulberry32(seed);
    const t = new TraceBuilder(
      `cycles: ${size} reference cycles of five shapes (an instance referring to itself, two instances referring to each other, a ring of three to five instances, a list containing itself, a dict containing itself), each dropped as soon as it is made; about one in ten instances has a __del__ that records a finalize event. Counting frees none of them; the generational collector frees them in its automatic collections, the final collect(2) frees the rest (seed ${seed})`,
    );
    for (let i = 0; i < size; i++) {
      const withDel = random() < 0.1;
      const shape = Math.floor(random() * 5);
      if (shape === 0) {
        t.op(newObject("c", `self${i}`, withDel))
          .op({ op: "set", obj: "c", attr: "me", value: "c" })
          .op(del("c"));
      } else if (shape === 1) {
        t.op(newObject("a", `pa${i}`, withDel)).op(newObject("b", `pb${i}`));
        t.op({ op: "set", obj: "a", attr: "other", value: "b" }).op({
          op: "set",
          obj: "b",
          attr: "other",
          value: "a",
        });
        t.op(del("a")).op(del("b"));
      } else if (shape === 2) {
        const n = 3 + Math.floor(random() * 3);
        for (let k = 0; k < n; k++) t.op(newObject(`r${k}`, `ring${i}_${k}`, withDel && k === 0));
        for (let k = 0; k < n; k++)
          t.op({ op: "set", obj: `r${k}`, attr: "next", value: `r${(k + 1) % n}` });
        for (let k = 0; k < n; k++) t.op(del(`r${k}`));
      } else if (shape === 3) {
        t.op({ op: "new", var: "l", type: "list" })
          .op({ op: "append", obj: "l", value: "l" })
          .op(del("l"));
      } else {
        t.op({ op: "new", var: "d", type: "dict" })
          .op({ op: "set", obj: "d", key: "self", value: "d" })
          .op(del("d"));
      }
      if ((i + 1) % 100 === 0) t.op(getCount);
    }
    t.op(collect).op(getCount).op({ op: "gc", call: "garbage" });
    return t;
  },
};

const chains: Workload = {
  kind: "chains",
  summary: "deep chains of instances, lists, tuples and dicts, freed all at once",
  sizeMeans: "the length of each chain",
  defaultSize: 10_000,
  write(size, seed) {
    const random = mulberry32(seed);
    const length = () => Math.max(1, Math.round(size * (0.5 + random() / 2)));
    const t = new TraceBuilder(
      `chains: chains of about ${size} links (between half and all of it; seed ${seed}), each held by one variable and freed when that variable goes: instance.next links, l = [l], t = (t,), d = {"next": d}; then a chain closed into a ring, which only the collector frees; then 200 instances with __del__ in a chain, whose finalize events show the order a deep chain dies in (CPython's trashcan defers the links past depth 50)`,
    );
    const kinds = ["object", "list", "tuple", "dict"];
    for (let k = kinds.length - 1; k > 0; k--) {
      const j = Math.floor(random() * (k + 1));
      [kinds[k], kinds[j]] = [kinds[j]!, kinds[k]!];
    }
    for (const kind of kinds) {
      const n = length();
      if (kind === "object") {
        t.op(newObject("head", "head"));
        t.op({
          op: "repeat",
          times: n - 1,
          ops: [
            newObject("node", "node"),
            { op: "set", obj: "node", attr: "next", value: "head" },
            { op: "assign", var: "head", value: "node" },
          ],
        });
        if (n > 1) t.op(del("node"));
      } else if (kind === "dict") {
        t.op({ op: "new", var: "head", type: "dict" });
        t.op({
          op: "repeat",
          times: n - 1,
          ops: [{ op: "new", var: "head", type: "dict", items: { next: "head" } }],
        });
      } else {
        t.op({ op: "new", var: "head", type: kind, items: [int(0)] });
        t.op({
          op: "repeat",
          times: n - 1,
          ops: [{ op: "new", var: "head", type: kind, items: ["head"] }],
        });
      }
      t.op({ op: "refcount", var: "head" }).op(del("head")).op(getCount);
    }
    const ring = length();
    t.op(newObject("first", "first")).op({ op: "assign", var: "head", value: "first" });
    t.op({
      op: "repeat",
      times: ring - 1,
      ops: [
        newObject("node", "node"),
        { op: "set", obj: "node", attr: "next", value: "head" },
        { op: "assign", var: "head", value: "node" },
      ],
    });
    t.op({ op: "set", obj: "first", attr: "next", value: "head" });
    t.op(del("first")).op(del("head"));
    if (ring > 1) t.op(del("node"));
    t.op(collect);
    const dels = Math.min(size, 200);
    t.op(newObject("link", "d0", true));
    for (let i = 1; i < dels; i++) {
      t.op(newObject("next", `d${i}`, true)).op({
        op: "set",
        obj: "next",
        attr: "prev",
        value: "link",
      });
      t.op({ op: "assign", var: "link", value: "next" });
    }
    if (dels > 1) t.op(del("next"));
    t.op(del("link")).op(getCount);
    return t;
  },
};

const METHODS = ["GET", "GET", "GET", "POST", "PUT", "DELETE"];

const requests: Workload = {
  kind: "requests",
  summary:
    "request handling: short-lived objects per request, long-lived caches, occasional cycles",
  sizeMeans: "requests (each a function call)",
  defaultSize: 1_000,
  write(size, seed) {
    const random = mulberry32(seed);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const t = new TraceBuilder(
      `requests: ${size} requests, each a function call that builds a request dict, headers, a handler instance and 1-8 row tuples, and returns a body str; about 30% store their body in a module-level cache dict of 32 keys (replacing the entry there), 5% evict a cache entry, every 25th request is appended to a log that lives to the end, and about 10% leave a cycle between the request and its handler (half of those handlers have a __del__), which only a cycle collector frees (seed ${seed})`,
    );
    t.op({ op: "new", var: "cache", type: "dict" });
    t.op({ op: "new", var: "log", type: "list" });
    const cached = new Set<string>();
    for (let i = 0; i < size; i++) {
      const cycle = random() < 0.1;
      t.op({ op: "call" });
      t.op({
        op: "new",
        var: "req",
        type: "dict",
        items: { method: str(pick(METHODS)), path: str(`/item/${i % 97}`), id: int(100_000 + i) },
      });
      t.op({
        op: "new",
        var: "headers",
        type: "list",
        items: [
          str("accept: */*"),
          str(`x-request-id: ${i}`),
          ...(random() < 0.5 ? [str("cookie: session")] : []),
        ],
      });
      t.op(newObject("handler", `handler${i}`, cycle && random() < 0.5));
      t.op({ op: "set", obj: "handler", attr: "req", value: "req" });
      t.op({ op: "new", var: "rows", type: "list" });
      t.op({
        op: "repeat",
        times: 1 + Math.floor(random() * 8),
        ops: [
          {
            op: "new",
            var: "row",
            type: "tuple",
            items: [int(1000 + i), float(random()), str("cell")],
          },
          { op: "append", obj: "rows", value: "row" },
        ],
      });
      t.op({
        op: "new",
        var: "body",
        type: "str",
        value: `response ${i}: ${"x".repeat(Math.floor(random() * 200))}`,
      });
      if (random() < 0.3) {
        const key = `k${Math.floor(random() * 32)}`;
        t.op({ op: "set", obj: "cache", key, value: "body" });
        cached.add(key);
      }
      if (random() < 0.05 && cached.size > 0) {
        const key = pick([...cached].sort());
        t.op({ op: "unset", obj: "cache", key });
        cached.delete(key);
      }
      if (cycle) t.op({ op: "set", obj: "req", key: "handler", value: "handler" });
      if (i % 25 === 0) t.op({ op: "append", obj: "log", value: "req" });
      t.op({ op: "return", value: "body", var: "last" });
      if ((i + 1) % 100 === 0) t.op(getCount);
    }
    t.op({ op: "sizeof", var: "cache" }).op({ op: "sizeof", var: "log" }).op(collect).op(getCount);
    return t;
  },
};

/** Every workload, by kind. */
export const workloads: readonly Workload[] = [churn, growth, cycles, chains, requests];
