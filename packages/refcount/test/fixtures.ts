// A small object model for the tests: nodes with four reference slots, optionally with a
// finalizer that records itself or resurrects the node, all recording what happens in order.
// The nodes release their slots through a model `dealloc` function, or with `release: "fields"`
// through the counter itself: the two must behave the same.

import {
  FreeStore,
  Memory,
  MemoryPageSource,
  ObjectSpace,
  type TypeDescriptor,
  TypeFlags,
  TypeRegistry,
} from "@mm/heap";
import { RefCounter, type RefCounterOptions } from "../src/index.js";

export const SLOTS = 4;
/** Byte offset of reference slot `i` in a node. */
export const slot = (i: number) => 16 + 8 * i;

export interface World {
  readonly space: ObjectSpace;
  readonly rc: RefCounter;
  readonly node: TypeDescriptor;
  readonly finalNode: TypeDescriptor;
  readonly phoenix: TypeDescriptor;
  /** What happened, in order: `finalize <addr>`, `free <addr>`, `callback <wr>`. */
  readonly events: string[];
  /** References held by resurrecting finalizers. */
  readonly graveyard: number[];
  get(object: number, i: number): number;
  /** Stores `child` (a new reference) in slot `i`, dropping what was there. */
  set(object: number, i: number, child: number): void;
}

/** How the nodes drop their references when they die. */
export type Release = "model" | "fields";

export function makeWorld(
  maximumBytes = 64 << 20,
  options: RefCounterOptions = {},
  release: Release = "model",
  /** Whether the counter frees through a hook that records `free` events. */
  freeHook = true,
): World {
  const memory = new Memory({ maximumBytes });
  const types = new TypeRegistry();
  const space = new ObjectSpace(new FreeStore(new MemoryPageSource(memory)), types);
  const events: string[] = [];
  const graveyard: number[] = [];
  const get = (o: number, i: number) => space.memory.u32[(o + slot(i)) >>> 2]!;
  const traverse = (o: number, visit: (r: number, a: number) => number, arg: number) => {
    for (let i = 0; i < SLOTS; i++) {
      const child = get(o, i);
      if (child !== 0) {
        const stop = visit(child, arg);
        if (stop !== 0) return stop;
      }
    }
    return 0;
  };
  let rc!: RefCounter;
  const dealloc = (o: number) => {
    for (let i = 0; i < SLOTS; i++) {
      const child = get(o, i);
      if (child !== 0) {
        space.memory.u32[(o + slot(i)) >>> 2] = 0;
        rc.decref(child);
      }
    }
  };
  const base = {
    basicSize: 16 + 8 * SLOTS,
    flags: TypeFlags.Gc | TypeFlags.Weakrefable,
    traverse,
    ...(release === "fields"
      ? { pointers: { fields: [0, 1, 2, 3].map(slot) }, release: "fields" as const }
      : { dealloc }),
  };
  const node = types.register({ name: "node", ...base });
  const finalNode = types.register({
    name: "final-node",
    ...base,
    flags: base.flags | TypeFlags.HasFinalizer,
    finalize: (o) => events.push(`finalize ${o}`),
  });
  const phoenix = types.register({
    name: "phoenix",
    ...base,
    flags: base.flags | TypeFlags.HasFinalizer,
    finalize: (o) => {
      events.push(`finalize ${o}`);
      rc.incref(o);
      graveyard.push(o);
    },
  });
  rc = new RefCounter(space, {
    ...options,
    hooks: {
      ...(freeHook
        ? {
            free: (o: number) => {
              events.push(`free ${o}`);
              space.free(o);
            },
          }
        : {}),
      ...options.hooks,
    },
  });
  return {
    space,
    rc,
    node,
    finalNode,
    phoenix,
    events,
    graveyard,
    get,
    set(o, i, child) {
      const old = get(o, i);
      space.memory.u32[(o + slot(i)) >>> 2] = child;
      if (old !== 0) rc.decref(old);
    },
  };
}
