// Both collectors against @mm/testkit's collector property, through adapters that see them only
// through their public API, and a broken mark-sweep written here that the property must catch.
// Each adapter is the pattern for any collector over @mm/heap: a four-slot node type, handles
// from AddressHandles over the object space, and the program's roots as the collector sees
// them (reference counts for the generational collector, a roots callback for tracing).

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
import { AddressHandles, type CollectorSystem, collectorModelProperty } from "@mm/testkit";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GenerationalCollector, TracingCollector } from "../src/index.js";

const SLOTS = 4;
const slotAt = (object: number, slot: number) => (object + 16 + 8 * slot) >>> 2;

/** An object space over 16 MiB, and a node type with four reference slots at +16. */
function world(onDrop: (child: number) => void) {
  const memory = new Memory({ maximumBytes: 16 << 20 });
  const space = new ObjectSpace(new FreeStore(new MemoryPageSource(memory)), new TypeRegistry());
  const drop = (o: number) => {
    for (let i = 0; i < SLOTS; i++) {
      const child = space.memory.u32[slotAt(o, i)]!;
      space.memory.u32[slotAt(o, i)] = 0;
      if (child !== 0) onDrop(child);
    }
  };
  const node: TypeDescriptor = space.types.register({
    name: "node",
    basicSize: 16 + 8 * SLOTS,
    flags: TypeFlags.Gc,
    traverse: (o: number, visit: Visit, arg: number) => {
      for (let i = 0; i < SLOTS; i++) {
        const child = space.memory.u32[slotAt(o, i)]!;
        if (child !== 0) {
          const stop = visit(child, arg);
          if (stop !== 0) return stop;
        }
      }
      return 0;
    },
    clear: drop,
    dealloc: drop,
  });
  const handles = new AddressHandles((address) => space.isLive(address));
  return { space, node, handles };
}

/**
 * The generational collector with reference counting: a root is a reference count, a link
 * takes a reference, and `create` may run an automatic collection inside `allocate`.
 */
function generationalSystem(thresholds: readonly [number, number, number]): CollectorSystem {
  let gc!: GenerationalCollector;
  const { space, node, handles } = world((child) => gc.rc.decref(child));
  gc = new GenerationalCollector(space, { thresholds });
  const u32 = () => space.memory.u32;
  const set = (from: number, slot: number, to: number) => {
    const at = slotAt(handles.address(from), slot);
    const old = u32()[at]!;
    if (to !== 0) gc.rc.incref(to);
    u32()[at] = to;
    if (old !== 0) gc.rc.decref(old);
  };
  return {
    create: () => {
      const o = gc.allocate(node.id);
      gc.track(o);
      return handles.add(o);
    },
    link: (from, slot, to) => set(from, slot, handles.address(to)),
    unlink: (from, slot) => set(from, slot, 0),
    addRoot: (o) => gc.rc.incref(handles.address(o)),
    dropRoot: (o) => gc.rc.decref(handles.address(o)),
    collect: (generation) => void gc.collect(generation ?? 2),
    isLive: (o) => handles.isLive(o),
    fullCollections: () => gc.getStats()[2]!.collections,
    freeze: () => gc.freeze(),
    unfreeze: () => gc.unfreeze(),
    verify: () => {
      gc.verify();
      space.verify();
    },
  };
}

/** The tracing collector: the roots are a list it marks from; links are plain stores. */
function tracingSystem(bytesBetweenCollections: number): CollectorSystem {
  const { space, node, handles } = world(() => {});
  const roots: number[] = [];
  const gc = new TracingCollector(space, {
    roots: (visit) => {
      for (const r of roots) visit(r);
    },
    bytesBetweenCollections,
  });
  const u32 = () => space.memory.u32;
  return {
    create: () => {
      const o = gc.allocate(node.id);
      roots.push(o);
      return handles.add(o);
    },
    link: (from, slot, to) => {
      u32()[slotAt(handles.address(from), slot)] = handles.address(to);
    },
    unlink: (from, slot) => {
      u32()[slotAt(handles.address(from), slot)] = 0;
    },
    addRoot: (o) => roots.push(handles.address(o)),
    dropRoot: (o) => roots.splice(roots.indexOf(handles.address(o)), 1),
    collect: () => void gc.collect(),
    isLive: (o) => handles.isLive(o),
    fullCollections: () => gc.getStats()[2]!.collections,
    verify: () => space.verify(),
  };
}

/** A mark-sweep over the same objects whose mark phase skips the last reference of each. */
function skipsLastReference(): CollectorSystem {
  const { space, node, handles } = world(() => {});
  const roots: number[] = [];
  const objects = new Set<number>();
  const u32 = () => space.memory.u32;
  return {
    create: () => {
      const o = space.allocate(node.id);
      objects.add(o);
      roots.push(o);
      return handles.add(o);
    },
    link: (from, slot, to) => {
      u32()[slotAt(handles.address(from), slot)] = handles.address(to);
    },
    unlink: (from, slot) => {
      u32()[slotAt(handles.address(from), slot)] = 0;
    },
    addRoot: (o) => roots.push(handles.address(o)),
    dropRoot: (o) => roots.splice(roots.indexOf(handles.address(o)), 1),
    collect: () => {
      const marked = new Set<number>();
      const stack = [...roots];
      while (stack.length > 0) {
        const o = stack.pop()!;
        if (marked.has(o)) continue;
        marked.add(o);
        const children: number[] = [];
        space.typeOf(o).traverse!(
          o,
          (child) => {
            children.push(child);
            return 0;
          },
          0,
        );
        stack.push(...children.slice(0, -1)); // the bug: the last reference is not followed
      }
      for (const o of objects) {
        if (marked.has(o)) continue;
        objects.delete(o);
        space.free(o);
      }
    },
    isLive: (o) => handles.isLive(o),
    verify: () => space.verify(),
  };
}

describe("@mm/testkit's collector property", () => {
  it("holds for the generational collector with reference counting and automatic collections", () => {
    // Thresholds (1, 0, 0): a young collection at every second allocation and a full one as
    // often as long_lived_pending allows, all inside create().
    fc.assert(
      collectorModelProperty(() => generationalSystem([1, 0, 0]), {
        generations: 3,
        maxCommands: 100,
      }),
      { numRuns: fcRuns(500) },
    );
  });

  it("holds for the generational collector at CPython's thresholds (explicit collections)", () => {
    fc.assert(
      collectorModelProperty(() => generationalSystem([700, 10, 10]), { generations: 3 }),
      { numRuns: fcRuns(200) },
    );
  });

  it("holds for the tracing collector, collecting every 512 bytes and on demand", () => {
    fc.assert(
      collectorModelProperty(() => tracingSystem(512)),
      { numRuns: fcRuns(500) },
    );
  });

  it("sees automatic collections: a low threshold runs full ones inside create", () => {
    const sys = generationalSystem([1, 0, 0]);
    for (let i = 0; i < 30; i++) sys.create();
    expect(sys.fullCollections!()).toBeGreaterThan(0);
    const tracing = tracingSystem(512);
    for (let i = 0; i < 30; i++) tracing.create();
    expect(tracing.fullCollections!()).toBeGreaterThan(0);
  });

  it("catches a mark phase that skips the last reference of each object, and shrinks the counterexample", () => {
    const details = fc.check(collectorModelProperty(skipsLastReference), {
      numRuns: 200,
      seed: 42,
    });
    expect(details.failed).toBe(true);
    expect(details.numShrinks).toBeGreaterThan(0);
    const commands = String(details.counterexample![0])
      .replace(/ \/\*replayPath=.*\*\//, "")
      .split(",");
    // The shortest failing program has five commands (two creates, a link, a dropped root, a
    // collection); shrinking gets within a few of it, from up to sixty.
    expect(commands.length).toBeLessThanOrEqual(8);
    expect(commands.at(-1)).toBe("collect()");
    expect(String(details.errorInstance)).toMatch(
      /object \d+ was freed while the program can reach it: root \d+, \d+\[\d\] = \d+/,
    );
  });
});
