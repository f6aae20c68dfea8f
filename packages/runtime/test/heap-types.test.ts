// Heap types: a class a front end keeps in the heap (a `typeObject`) is referred to by each of its
// instances, as CPython's heap types are (`PyType_GenericAlloc` increfs the type, `subtype_traverse`
// visits it, `subtype_dealloc` decrefs it once the instance's memory is freed). The counts, the
// referents, the collectors' view of class <-> instance cycles and the order of the type's death
// after its last instance are checked here for the runtime's two kinds of such instances: plain
// instances (managed dict and values) and native types (slots, exception subclasses).

import { describe, expect, it } from "vitest";
import {
  type ClassRef,
  type CollectorName,
  Embedding,
  type NativeType,
  type Ref,
  Runtime,
} from "../src/index.js";

const quiet = { env: {}, log: () => {} } as const;

function embedded(collector: CollectorName = "cpython") {
  const rt = new Runtime({ ...quiet, collector });
  return { rt, py: new Embedding(rt) };
}

/** A stand-in for a type object: a weakrefable container with one reference field. */
function metaType(py: Embedding): NativeType {
  return py.defineType({
    name: "meta",
    basicSize: 24,
    container: true,
    weakrefable: true,
    refs: [16],
  });
}

function referents(rt: Runtime, py: Embedding, o: Ref): Ref[] {
  using h = py.toHandle(o);
  const out = rt.gc.getReferents(h);
  const refs = out.map((r) => py.fromHandle(r));
  for (const r of out) r.release();
  return refs;
}

/** The three shapes of a heap type's instances: plain, with fields, with the type visited first. */
function classes(py: Embedding, typeObject: Ref) {
  const plain: ClassRef = py.defineClass("Plain", { typeObject });
  const slots = py.defineType({
    name: "Slots",
    basicSize: 32,
    container: true,
    refs: [16, 24],
    typeObject,
  });
  const failure = py.defineType({
    name: "Failure",
    basicSize: 32,
    container: true,
    refs: [16, 24],
    typeObject,
    typeObjectFirst: true,
  });
  return {
    plain: () => py.instance(plain),
    slots: () => py.allocate(slots),
    failure: () => py.allocate(failure),
  };
}

describe("instances of heap types", () => {
  it("hold one reference each to their type object, dropped when they die", () => {
    const { rt, py } = embedded();
    const meta = py.allocate(metaType(py));
    const make = classes(py, meta);
    for (const kind of ["plain", "slots", "failure"] as const) {
      const before = py.refcount(meta);
      const objs = [make[kind](), make[kind](), make[kind]()];
      expect(py.refcount(meta)).toBe(before + 3);
      py.decref(objs.pop()!);
      expect(py.refcount(meta)).toBe(before + 2);
      for (const o of objs) py.decref(o);
      expect(py.refcount(meta)).toBe(before);
    }
    py.decref(meta);
    rt.verify();
  });

  it("list the type object among their referents, where subtype_traverse visits it", () => {
    const { rt, py } = embedded();
    const meta = py.allocate(metaType(py));
    const make = classes(py, meta);
    const [a, b] = [py.list([]), py.dict()];
    const plain = make.plain();
    py.setAttr(plain, "x", a);
    py.setAttr(plain, "y", b);
    expect(referents(rt, py, plain)).toEqual([a, b, meta]);
    const slots = make.slots();
    py.setRef(slots, 16, a);
    py.setRef(slots, 24, b);
    expect(referents(rt, py, slots)).toEqual([a, b, meta]);
    const failure = make.failure();
    py.setRef(failure, 16, a);
    expect(referents(rt, py, failure)).toEqual([meta, a]);
    for (const o of [plain, slots, failure, a, b, meta]) py.decref(o);
    rt.verify();
  });

  it("let the collector free a cycle through the type object (type -> instance -> type)", () => {
    for (const kind of ["plain", "slots", "failure"] as const) {
      const { rt, py } = embedded();
      const meta = py.allocate(metaType(py));
      const make = classes(py, meta);
      const o = make[kind]();
      py.takeRef(meta, 16, o);
      const dead: string[] = [];
      const wr = py.weakref(meta, () => dead.push("type"));
      py.decref(meta);
      // Only the instance's reference keeps the type alive; only the type keeps the instance.
      expect(py.refcount(meta)).toBe(1);
      expect(py.collect()).toBe(2);
      expect(dead).toEqual(["type"]);
      py.decref(wr);
      rt.verify();
    }
  });

  it("keep the type alive until the last instance's memory is freed", () => {
    for (const kind of ["plain", "slots", "failure"] as const) {
      const { rt, py } = embedded();
      const meta = py.allocate(metaType(py));
      const make = classes(py, meta);
      const o = make[kind]();
      const seen: boolean[] = [];
      const wr = py.weakref(meta, () => seen.push(rt.space.isLive(o)));
      py.decref(meta);
      expect(seen).toEqual([]);
      py.decref(o);
      // The type died from the instance's dealloc, after the instance's memory went.
      expect(seen).toEqual([false]);
      py.decref(wr);
      rt.verify();
    }
  });

  it("are walked alike by every collector that traces from roots", () => {
    const { rt, py } = embedded("tracing");
    const meta = py.allocate(metaType(py));
    const make = classes(py, meta);
    const frame = py.pushFrame("f", "<test>", ["o"]);
    frame.store("o", make.plain());
    py.decref(meta);
    py.collect();
    // Reached only through its instance, the type object survives the sweep.
    expect(rt.space.isLive(meta)).toBe(true);
    py.popFrame(frame);
    py.collect();
    expect(rt.space.isLive(meta)).toBe(false);
    rt.verify();
  });
});
