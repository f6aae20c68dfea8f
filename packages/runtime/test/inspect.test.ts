import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { type CollectorName, Embedding, inspect, objectInspector, Runtime } from "../src/index.js";

const quiet = { env: {}, log: () => {} } as const;

describe("the inspection view", () => {
  it("shows objects with their type, size, count, generation and referents", () => {
    using rt = new Runtime(quiet);
    const Node = rt.defineClass("Node");
    using a = rt.instance(Node);
    using b = rt.instance(Node, { other: a });
    rt.setGlobal("b", b);
    const snap = rt.inspect();
    const view = (h: typeof a) => snap.objects.find((o) => o.address === rt.addressOf(h))!;
    expect(view(b)).toMatchObject({
      type: "Node",
      size: 56, // its block, pre-header included: what sys.getsizeof reports for it in 3.11
      refcount: rt.sys.getrefcount(b) - 1,
      generation: 0,
      tracked: true,
      finalized: false,
      referents: [rt.addressOf(a)],
    });
    expect(view(a).refcount).toBe(2); // the handle and b.other
    expect(snap.frames).toEqual([
      {
        name: "<module>",
        filename: "<runtime>",
        line: 0,
        variables: [{ name: "b", address: rt.addressOf(b) }],
      },
    ]);
    expect(snap.generations.map((g) => g.threshold)).toEqual([700, 10, 10]);
    expect(snap.generations[0]!.members).toContain(rt.addressOf(a));
    expect(snap.pymalloc!.arenas.length).toBeGreaterThan(0);
    expect(snap.pymalloc!.pools.some((p) => p.state === "used")).toBe(true);
    rt.delGlobal("b");
  });

  it("is a snapshot: it changes nothing and later changes do not show in it", () => {
    using rt = new Runtime(quiet);
    using l = rt.list(rt.int(1000));
    const count = rt.gc.getCount();
    const stats = rt.stats();
    const snap = inspect(rt);
    expect(rt.gc.getCount()).toEqual(count);
    expect(rt.stats()).toEqual(stats);
    const objects = snap.objects.length;
    rt.append(l, rt.str("more"));
    expect(snap.objects).toHaveLength(objects);
    expect(structuredClone(snap)).toEqual(snap); // plain data, for a worker or a page
  });

  it("marks frozen objects permanent and counts references by a scan without counts", () => {
    using rt = new Runtime(quiet);
    using l = rt.list();
    rt.gc.freeze();
    expect(rt.inspect().objects.find((o) => o.address === rt.addressOf(l))!.generation).toBe(
      "permanent",
    );
    using tracing = new Runtime({ ...quiet, collector: "tracing" });
    using t = tracing.list();
    using u = tracing.list(t);
    const snap = tracing.inspect();
    expect(snap.generations).toEqual([]);
    expect(snap.objects.find((o) => o.address === tracing.addressOf(t))).toMatchObject({
      refcount: 2,
      generation: undefined,
      referents: [],
    });
    expect(snap.objects.find((o) => o.address === tracing.addressOf(u))!.referents).toEqual([
      tracing.addressOf(t),
    ]);
  });

  test.prop([
    fc.constantFrom<CollectorName>("cpython", "refcount", "tracing", "none"),
    fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 20 }),
    fc.boolean(),
    fc.nat({ max: 3 }),
  ])("reads one object as the whole snapshot lists it", (collector, links, freeze, collections) => {
    using rt = new Runtime({ ...quiet, collector });
    const py = new Embedding(rt);
    const lists = Array.from({ length: 5 }, () => py.list([]));
    for (const [i, j] of links) py.append(lists[i % 5]!, lists[j % 5]!);
    for (let c = 0; c < collections; c++) rt.gc.collect(0);
    if (freeze) rt.gc.freeze();
    const snap = rt.inspect();
    const read = objectInspector(rt);
    for (const view of snap.objects) expect(read(view.address)).toEqual(view);
    expect(read(0)).toBeUndefined();
    expect(read(lists[0]! + 16)).toBeUndefined();
  });

  it("refuses what is not a runtime", () => {
    expect(() => objectInspector({})).toThrow(TypeError);
    expect(() => inspect({})).toThrow(TypeError);
    expect(() => new Embedding({} as Runtime)).toThrow(TypeError);
  });

  test.prop([
    fc.constantFrom<CollectorName>("cpython", "refcount", "tracing", "none"),
    fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 20 }),
  ])(
    "gives every live object once, the counts sys.getrefcount gives, and referents that are live",
    (collector, links) => {
      using rt = new Runtime({ ...quiet, collector });
      const py = new Embedding(rt);
      const lists = Array.from({ length: 5 }, () => py.list([]));
      for (const [i, j] of links) py.append(lists[i % 5]!, lists[j % 5]!);
      const snap = rt.inspect();
      const addresses = snap.objects.map((o) => o.address);
      expect(new Set(addresses).size).toBe(addresses.length);
      expect(new Set(addresses)).toEqual(new Set(rt.space.objects()));
      for (const o of snap.objects) for (const r of o.referents) expect(addresses).toContain(r);
      for (const l of lists) {
        using h = py.toHandle(l);
        const view = snap.objects.find((o) => o.address === l)!;
        // The handle made after the snapshot adds one: getrefcount - 1 - 1.
        if (collector === "cpython" || collector === "refcount")
          expect(view.refcount).toBe(rt.sys.getrefcount(h) - 2);
        else expect(view.refcount).toBe(links.filter(([, j]) => lists[j % 5] === l).length);
      }
    },
  );
});
