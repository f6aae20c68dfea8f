// The reference counter against a plain model of counts: random create / retain / drop /
// link / unlink / weakref sequences, with every event (finalize, weakref callback, free)
// predicted in order by the model and compared after each command.

import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeWorld, type Release, SLOTS, type World } from "./fixtures.js";

type Kind = "node" | "final" | "phoenix" | "weakref";

interface ModelObject {
  readonly id: number;
  readonly kind: Kind;
  count: number;
  readonly slots: number[];
  alive: boolean;
  finalized: boolean;
  /** Weak references to this object, in list order. */
  weakrefs: number[];
  /** For a weak reference: its referent, or -1 once dead. */
  target: number;
  readonly callback: boolean;
}

interface Model {
  readonly objects: Map<number, ModelObject>;
  /** References the test holds, one entry each. */
  readonly roots: number[];
  /** References that resurrecting finalizers took. */
  readonly graveyard: number[];
  readonly events: string[];
  nextId: number;
}

interface Real {
  readonly w: World;
  readonly address: Map<number, number>;
  readonly id: Map<number, number>;
  /** How many of w.events have been translated into model ids. */
  seen: number;
  readonly events: string[];
}

const EMPTY = -1;

function modelDecref(m: Model, id: number): void {
  const o = m.objects.get(id)!;
  if (--o.count > 0) return;
  if ((o.kind === "final" || o.kind === "phoenix") && !o.finalized) {
    o.finalized = true;
    m.events.push(`finalize ${id}`);
    if (o.kind === "phoenix") {
      o.count = 1;
      m.graveyard.push(id);
      return;
    }
  }
  const callbacks: number[] = [];
  for (const wrId of o.weakrefs) {
    const wr = m.objects.get(wrId)!;
    wr.target = EMPTY;
    if (wr.count > 0 && wr.callback) callbacks.push(wrId);
  }
  o.weakrefs = [];
  for (const wrId of callbacks) m.events.push(`callback ${wrId}`);
  if (o.kind === "weakref" && o.target !== EMPTY) {
    const target = m.objects.get(o.target)!;
    target.weakrefs = target.weakrefs.filter((x) => x !== id);
    o.target = EMPTY;
  }
  for (let i = 0; i < SLOTS; i++) {
    const child = o.slots[i]!;
    if (child !== EMPTY) {
      o.slots[i] = EMPTY;
      modelDecref(m, child);
    }
  }
  o.alive = false;
  m.events.push(`free ${id}`);
}

function newObject(m: Model, kind: Kind, target = EMPTY, callback = false): ModelObject {
  const o: ModelObject = {
    id: m.nextId++,
    kind,
    count: 1,
    slots: Array(SLOTS).fill(EMPTY),
    alive: true,
    finalized: false,
    weakrefs: [],
    target,
    callback,
  };
  m.objects.set(o.id, o);
  m.roots.push(o.id);
  return o;
}

const strongObjects = (m: Readonly<Model>) =>
  [...m.objects.values()].filter((o) => o.alive && o.kind !== "weakref");

/** Whether `to` can be reached from `from` through slots (to keep a link acyclic). */
function reaches(m: Readonly<Model>, from: number, to: number): boolean {
  const stack = [from];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const child of m.objects.get(id)!.slots) if (child !== EMPTY) stack.push(child);
  }
  return false;
}

/** Translates new real events (addresses) into model ids, forgetting freed addresses. */
function sync(r: Real): void {
  for (; r.seen < r.w.events.length; r.seen++) {
    const [what, at] = r.w.events[r.seen]!.split(" ") as [string, string];
    const address = Number(at);
    r.events.push(`${what} ${r.id.get(address)}`);
    if (what === "free") {
      r.address.delete(r.id.get(address)!);
      r.id.delete(address);
    }
  }
}

function compare(m: Model, r: Real): void {
  sync(r);
  expect(r.events).toEqual(m.events);
  const u32 = r.w.space.memory.u32;
  for (const o of m.objects.values()) {
    if (!o.alive) continue;
    const address = r.address.get(o.id)!;
    expect(r.w.space.isLive(address)).toBe(true);
    expect(r.w.rc.refcount(address)).toBe(o.count);
    if (o.kind === "weakref") {
      expect(r.w.rc.weakrefTarget(address)).toBe(o.target === EMPTY ? 0 : r.address.get(o.target));
    } else {
      expect(r.w.rc.weakrefsTo(address)).toEqual(o.weakrefs.map((id) => r.address.get(id)));
      expect(o.slots.map((c) => (c === EMPTY ? 0 : r.address.get(c)))).toEqual(
        o.slots.map((_, i) => u32[(address + 16 + 8 * i) >>> 2]),
      );
    }
  }
  expect(r.w.space.liveObjects).toBe([...m.objects.values()].filter((o) => o.alive).length);
}

type Cmd = fc.Command<Model, Real>;

class Create implements Cmd {
  constructor(readonly kind: "node" | "final" | "phoenix") {}
  check = () => true;
  run(m: Model, r: Real): void {
    const type =
      this.kind === "node" ? r.w.node : this.kind === "final" ? r.w.finalNode : r.w.phoenix;
    const address = r.w.space.allocate(type.id);
    const o = newObject(m, this.kind);
    r.address.set(o.id, address);
    r.id.set(address, o.id);
    compare(m, r);
  }
  toString = () => `create(${this.kind})`;
}

class Retain implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.roots.length > 0;
  run(m: Model, r: Real): void {
    const id = m.roots[this.pick % m.roots.length]!;
    r.w.rc.incref(r.address.get(id)!);
    m.objects.get(id)!.count++;
    m.roots.push(id);
    compare(m, r);
  }
  toString = () => `retain(#${this.pick})`;
}

class Drop implements Cmd {
  constructor(
    readonly pick: number,
    readonly fromGraveyard: boolean,
  ) {}
  check = (m: Readonly<Model>) => (this.fromGraveyard ? m.graveyard : m.roots).length > 0;
  run(m: Model, r: Real): void {
    const list = this.fromGraveyard ? m.graveyard : m.roots;
    const [id] = list.splice(this.pick % list.length, 1) as [number];
    if (this.fromGraveyard) r.w.graveyard.splice(r.w.graveyard.indexOf(r.address.get(id)!), 1);
    r.w.rc.decref(r.address.get(id)!);
    modelDecref(m, id);
    compare(m, r);
  }
  toString = () => `drop(${this.fromGraveyard ? "graveyard" : "root"} #${this.pick})`;
}

class Link implements Cmd {
  constructor(
    readonly parent: number,
    readonly slot: number,
    readonly child: number,
    readonly allowCycle: boolean,
  ) {}
  check = (m: Readonly<Model>) => strongObjects(m).length > 0;
  run(m: Model, r: Real): void {
    const live = strongObjects(m);
    const parent = live[this.parent % live.length]!;
    const child = live[this.child % live.length]!;
    if (!this.allowCycle && reaches(m, child.id, parent.id)) return;
    r.w.rc.incref(r.address.get(child.id)!);
    r.w.set(r.address.get(parent.id)!, this.slot, r.address.get(child.id)!);
    child.count++;
    const old = parent.slots[this.slot]!;
    parent.slots[this.slot] = child.id;
    if (old !== EMPTY) modelDecref(m, old);
    compare(m, r);
  }
  toString = () =>
    `link(#${this.parent}.${this.slot} = #${this.child}${this.allowCycle ? ", cycles allowed" : ""})`;
}

class Unlink implements Cmd {
  constructor(
    readonly parent: number,
    readonly slot: number,
  ) {}
  check = (m: Readonly<Model>) => strongObjects(m).length > 0;
  run(m: Model, r: Real): void {
    const live = strongObjects(m);
    const parent = live[this.parent % live.length]!;
    r.w.set(r.address.get(parent.id)!, this.slot, 0);
    const old = parent.slots[this.slot]!;
    parent.slots[this.slot] = EMPTY;
    if (old !== EMPTY) modelDecref(m, old);
    compare(m, r);
  }
  toString = () => `unlink(#${this.parent}.${this.slot})`;
}

class Weakref implements Cmd {
  constructor(
    readonly pick: number,
    readonly callback: boolean,
  ) {}
  check = (m: Readonly<Model>) => strongObjects(m).length > 0;
  run(m: Model, r: Real): void {
    const live = strongObjects(m);
    const target = live[this.pick % live.length]!;
    const targetAddress = r.address.get(target.id)!;
    const address = r.w.rc.newWeakref(
      targetAddress,
      this.callback ? (wr) => r.w.events.push(`callback ${wr}`) : undefined,
    );
    const head = target.weakrefs[0];
    const basic = head !== undefined && !m.objects.get(head)!.callback ? head : undefined;
    if (!this.callback && basic !== undefined) {
      m.objects.get(basic)!.count++;
      m.roots.push(basic);
      expect(address).toBe(r.address.get(basic));
    } else {
      const wr = newObject(m, "weakref", target.id, this.callback);
      if (!this.callback || basic === undefined) target.weakrefs.unshift(wr.id);
      else target.weakrefs.splice(1, 0, wr.id);
      r.address.set(wr.id, address);
      r.id.set(address, wr.id);
    }
    compare(m, r);
  }
  toString = () => `weakref(#${this.pick}${this.callback ? ", callback" : ""})`;
}

const commands = fc.commands(
  [
    fc
      .constantFrom("node", "final", "phoenix")
      .map((k) => new Create(k as "node" | "final" | "phoenix")),
    fc.nat().map((p) => new Retain(p)),
    fc.tuple(fc.nat(), fc.boolean()).map(([p, g]) => new Drop(p, g)),
    fc.nat().map((p) => new Drop(p, false)),
    fc
      .tuple(fc.nat(), fc.integer({ min: 0, max: SLOTS - 1 }), fc.nat(), fc.boolean())
      .map(([p, s, c, cyc]) => new Link(p, s, c, cyc)),
    fc.tuple(fc.nat(), fc.integer({ min: 0, max: SLOTS - 1 })).map(([p, s]) => new Unlink(p, s)),
    fc.tuple(fc.nat(), fc.boolean()).map(([p, cb]) => new Weakref(p, cb)),
  ],
  { maxCommands: 60, size: "max" },
);

describe.each<Release>(["model", "fields"])(
  "RefCounter against a model of counts, nodes released by %s",
  (release) => {
    it("frees each object exactly when its last reference goes, finalizes once, runs weakref callbacks after the finalizer and before the free, keeps resurrected objects, and leaks exactly the cyclic garbage", () => {
      fc.assert(
        fc.property(commands, (cmds) => {
          const w = makeWorld(16 << 20, {}, release);
          const model: Model = {
            objects: new Map(),
            roots: [],
            graveyard: [],
            events: [],
            nextId: 0,
          };
          const real: Real = { w, address: new Map(), id: new Map(), seen: 0, events: [] };
          fc.modelRun(() => ({ model, real }), cmds);
          // Drop everything the test and the finalizers hold: what stays alive is exactly what
          // counting cannot free, the objects on cycles and everything they reach.
          // A resurrected object lands in the graveyard again, so drain until both are empty.
          while (model.roots.length + model.graveyard.length > 0) {
            const id = (model.roots.pop() ?? model.graveyard.pop())!;
            w.graveyard.length = 0;
            w.rc.decref(real.address.get(id)!);
            modelDecref(model, id);
          }
          compare(model, real);
          const survivors = [...model.objects.values()].filter((o) => o.alive);
          const onCycle = survivors.filter((o) =>
            o.slots.some((c) => c !== EMPTY && reaches(model, c, o.id)),
          );
          for (const o of survivors) {
            expect(onCycle.some((c) => reaches(model, c.id, o.id))).toBe(true);
          }
          const counted = new Map<string, number>();
          for (const e of real.events) {
            if (e.startsWith("finalize")) counted.set(e, (counted.get(e) ?? 0) + 1);
          }
          for (const n of counted.values()) expect(n).toBe(1);
          w.space.verify();
          w.space.allocator.verify();
        }),
        { numRuns: fcRuns(1000) },
      );
    });
  },
);
