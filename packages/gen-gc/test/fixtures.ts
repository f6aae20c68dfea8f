// An object model for the collector tests: four-slot nodes (plain, with a finalizer, with a
// resurrecting finalizer, with a legacy finalizer), a tuple and a dict with CPython's untrack
// rules, and harnesses that drive either collector the same way.

import {
  FreeStore,
  Memory,
  MemoryPageSource,
  ObjectSpace,
  type TypeDescriptor,
  TypeFlags,
  TypeRegistry,
  type Visit,
} from "@mm/heap";
import type { RefCounter } from "@mm/refcount";
import {
  GenerationalCollector,
  type GenerationalOptions,
  TracingCollector,
  type TracingOptions,
} from "../src/index.js";

export const SLOTS = 4;
export type NodeKind = "plain" | "final" | "phoenix" | "legacy";

export interface Types {
  readonly node: Record<NodeKind, TypeDescriptor>;
  readonly tuple: TypeDescriptor;
  readonly dict: TypeDescriptor;
  readonly int: TypeDescriptor;
}

/** Everything a test observes: frees, finalizations, resurrections, in order. */
export interface Log {
  readonly freed: number[];
  readonly finalized: number[];
  /** Frees and finalizations interleaved in the order they happened: [what, address]. */
  readonly events: Array<["free" | "finalize", number]>;
  /** References taken by resurrecting finalizers. */
  readonly graveyard: number[];
}

const slot = (i: number) => 16 + 8 * i;

/** Registers the test types. `counting` says whether dropping a slot decrefs it. */
function registerTypes(
  space: ObjectSpace,
  log: Log,
  rc: () => RefCounter,
  counting: boolean,
): Types {
  const u32 = () => space.memory.u32;
  const traverseSlots =
    (count: (o: number) => number, first: number) => (o: number, visit: Visit, arg: number) => {
      const n = count(o);
      for (let i = 0; i < n; i++) {
        const child = u32()[(o + first + 8 * i) >>> 2]!;
        if (child !== 0) {
          const stop = visit(child, arg);
          if (stop !== 0) return stop;
        }
      }
      return 0;
    };
  const dropSlots = (count: (o: number) => number, first: number) => (o: number) => {
    const n = count(o);
    for (let i = 0; i < n; i++) {
      const at = (o + first + 8 * i) >>> 2;
      const child = u32()[at]!;
      if (child !== 0) {
        u32()[at] = 0;
        if (counting) rc().decref(child);
      }
    }
  };
  const four = () => SLOTS;
  const items = (o: number) => u32()[(o + 16) >>> 2]!;
  const nodeSpec = (name: string, flags: number, finalize?: (o: number) => void) =>
    space.types.register({
      name,
      basicSize: 16 + 8 * SLOTS,
      flags: TypeFlags.Gc | TypeFlags.Weakrefable | flags,
      traverse: traverseSlots(four, 16),
      clear: dropSlots(four, 16),
      dealloc: dropSlots(four, 16),
      ...(finalize ? { finalize } : {}),
    });
  const node: Record<NodeKind, TypeDescriptor> = {
    plain: nodeSpec("node", 0),
    final: nodeSpec("final-node", TypeFlags.HasFinalizer, (o) => {
      log.finalized.push(o);
      log.events.push(["finalize", o]);
    }),
    phoenix: nodeSpec("phoenix", TypeFlags.HasFinalizer, (o) => {
      log.finalized.push(o);
      log.events.push(["finalize", o]);
      rc().incref(o);
      log.graveyard.push(o);
    }),
    legacy: nodeSpec("legacy-node", TypeFlags.LegacyFinalizer),
  };
  const tuple = space.types.register({
    name: "tuple",
    basicSize: 24,
    itemSize: 8,
    flags: TypeFlags.Gc,
    traverse: traverseSlots(items, 24),
    clear: dropSlots(items, 24),
    dealloc: dropSlots(items, 24),
  });
  const dict = space.types.register({
    name: "dict",
    basicSize: 16 + 8 * SLOTS,
    flags: TypeFlags.Gc,
    traverse: traverseSlots(four, 16),
    clear: dropSlots(four, 16),
    dealloc: dropSlots(four, 16),
  });
  const int = space.types.register({ name: "int", basicSize: 32 });
  return { node, tuple, dict, int };
}

function makeSpace(maximumBytes: number, base?: number): ObjectSpace {
  const memory = new Memory({ maximumBytes });
  const pages = new MemoryPageSource(memory, base === undefined ? {} : { base });
  return new ObjectSpace(new FreeStore(pages), new TypeRegistry());
}

/** CPython's "may be tracked": a tuple only if tracked, any other container always. */
export function mayBeTracked(gc: GenerationalCollector, types: Types, object: number): boolean {
  const type = gc.space.typeOf(object);
  if (!type.isGc) return false;
  return type === types.tuple ? gc.isTracked(object) : true;
}

export interface GenerationalWorld {
  readonly gc: GenerationalCollector;
  readonly space: ObjectSpace;
  readonly types: Types;
  readonly log: Log;
  /** Allocates a tracked node (count 1, owned by the caller). */
  node(kind?: NodeKind): number;
  /** Allocates a tracked tuple holding new references to `items`. */
  tuple(...items: number[]): number;
  /** Stores a new reference to `child` in slot `i` of `parent`, dropping the old one. */
  set(parent: number, i: number, child: number): void;
}

/** `pageBase`: the page source's lowest address (below it, bytes no allocator hands out). */
export function generationalWorld(
  options: GenerationalOptions = {},
  maximumBytes = 64 << 20,
  pageBase?: number,
): GenerationalWorld {
  const space = makeSpace(maximumBytes, pageBase);
  const log: Log = { freed: [], finalized: [], events: [], graveyard: [] };
  let gc!: GenerationalCollector;
  const types = registerTypes(space, log, () => gc.rc, true);
  gc = new GenerationalCollector(space, {
    free: (o) => {
      log.freed.push(o);
      log.events.push(["free", o]);
      gc.release(o);
    },
    untrack: [
      {
        typeId: types.tuple.id,
        fullCollectionsOnly: false,
        canUntrack: (t) => {
          for (let i = 0; i < space.memory.u32[(t + 16) >>> 2]!; i++) {
            const item = space.memory.u32[(t + 24 + 8 * i) >>> 2]!;
            if (item === 0 || mayBeTracked(gc, types, item)) return false;
          }
          return true;
        },
      },
    ],
    ...options,
  });
  const u32 = () => space.memory.u32;
  return {
    gc,
    space,
    types,
    log,
    node(kind = "plain") {
      const o = gc.allocate(types.node[kind].id);
      gc.track(o);
      return o;
    },
    tuple(...items) {
      const t = gc.allocate(types.tuple.id, items.length);
      items.forEach((item, i) => {
        gc.rc.incref(item);
        u32()[(t + 24 + 8 * i) >>> 2] = item;
      });
      gc.track(t);
      return t;
    },
    set(parent, i, child) {
      const at = (parent + slot(i)) >>> 2;
      const old = u32()[at]!;
      if (child !== 0) gc.rc.incref(child);
      u32()[at] = child;
      if (old !== 0) gc.rc.decref(old);
    },
  };
}

export interface TracingWorld {
  readonly gc: TracingCollector;
  readonly space: ObjectSpace;
  readonly types: Types;
  readonly log: Log;
  /** The roots the collector marks from (the test's own references). */
  readonly roots: number[];
  node(kind?: NodeKind): number;
  set(parent: number, i: number, child: number): void;
}

export function tracingWorld(
  options: Partial<TracingOptions> = {},
  maximumBytes = 64 << 20,
): TracingWorld {
  const space = makeSpace(maximumBytes);
  const log: Log = { freed: [], finalized: [], events: [], graveyard: [] };
  const roots: number[] = [];
  let gc!: TracingCollector;
  const types = registerTypes(space, log, () => gc.rc, false);
  gc = new TracingCollector(space, {
    roots: (visit) => {
      for (const r of roots) visit(r);
      for (const r of log.graveyard) visit(r);
    },
    free: (o) => {
      log.freed.push(o);
      log.events.push(["free", o]);
      gc.release(o);
    },
    ...options,
  });
  return {
    gc,
    space,
    types,
    log,
    roots,
    node(kind = "plain") {
      return gc.allocate(types.node[kind].id);
    },
    set(parent, i, child) {
      space.memory.u32[(parent + slot(i)) >>> 2] = child;
    },
  };
}
