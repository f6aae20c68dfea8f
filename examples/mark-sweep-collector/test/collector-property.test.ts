// The example collector against @mm/testkit's collector property, through an adapter that sees
// it only through its public API: a node type whose four reference slots are a pointer map,
// handles from AddressHandles over the object space, and the program's roots as a list that
// the collector's roots callback walks. The forgetful variant must fail the property, with a
// shrunk counterexample that ends in the collection that freed a reachable object.

import {
  FreeStore,
  Memory,
  MemoryPageSource,
  ObjectSpace,
  TypeFlags,
  TypeRegistry,
} from "@mm/heap";
import {
  AddressHandles,
  assertCollectorModel,
  type CollectorSystem,
  collectorModelProperty,
} from "@mm/testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MarkSweepCollector } from "../src/index.js";
import { ForgetfulMarkSweepCollector } from "./fixtures/forgetful.js";

const SLOTS = 4;
/** The word of slot `slot` of `object`: the pointer map's fields are at +16, +24, +32, +40. */
const slotAt = (object: number, slot: number) => (object + 16 + 8 * slot) >>> 2;

/**
 * One collector of class `make` over a fresh 16 MiB space, as the property drives it. With
 * `bytesBetweenCollections` small, `create` collects every few allocations too.
 */
function markSweepSystem(
  make: typeof MarkSweepCollector,
  bytesBetweenCollections: number,
): CollectorSystem {
  const memory = new Memory({ maximumBytes: 16 << 20 });
  const space = new ObjectSpace(new FreeStore(new MemoryPageSource(memory)), new TypeRegistry());
  const node = space.types.register({
    name: "node",
    basicSize: 16 + 8 * SLOTS,
    flags: TypeFlags.Gc,
    pointers: { fields: Array.from({ length: SLOTS }, (_, i) => 16 + 8 * i) },
  });
  const handles = new AddressHandles((address) => space.isLive(address));
  const roots: number[] = [];
  const gc = new make(space, {
    roots: (visit) => {
      for (const r of roots) visit(r);
    },
    bytesBetweenCollections,
  });
  const u32 = () => space.memory.u32;
  return {
    create: () => {
      const o = gc.allocate(node.id);
      // Rooted before the next allocation, which may collect.
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

describe("@mm/testkit's collector property", () => {
  it("holds for the mark-sweep collector, collecting on demand", () => {
    assertCollectorModel(() => markSweepSystem(MarkSweepCollector, 1 << 20), { runs: 300 });
  });

  it("holds for the mark-sweep collector collecting every 256 bytes inside create", () => {
    const sys = markSweepSystem(MarkSweepCollector, 256);
    for (let i = 0; i < 20; i++) sys.create();
    expect(sys.fullCollections!()).toBeGreaterThan(0);
    assertCollectorModel(() => markSweepSystem(MarkSweepCollector, 256), { runs: 300 });
  });

  it("catches the forgetful variant and shrinks the counterexample", () => {
    const details = fc.check(
      collectorModelProperty(() => markSweepSystem(ForgetfulMarkSweepCollector, 1 << 20)),
      { numRuns: 300, seed: 17 },
    );
    expect(details.failed).toBe(true);
    expect(details.numShrinks).toBeGreaterThan(0);
    const commands = String(details.counterexample![0])
      .replace(/ \/\*replayPath=.*\*\//, "")
      .split(",");
    // The shortest failing program: two creates, a link through the last slot (3), a dropped
    // root and a collection. Shrinking gets within a command of it, from up to sixty.
    expect(commands.length).toBeLessThanOrEqual(6);
    expect(commands.filter((c) => /^link\(#\d+\.3 = #\d+\)$/.test(c))).toHaveLength(1);
    expect(commands.at(-1)).toBe("collect()");
    expect(String(details.errorInstance)).toMatch(
      /object \d+ was freed while the program can reach it: root \d+, \d+\[3\] = \d+/,
    );
  });

  it("assertCollectorModel reports the forgetful variant's failure with its seed and program", () => {
    expect(() =>
      assertCollectorModel(() => markSweepSystem(ForgetfulMarkSweepCollector, 1 << 20), {
        runs: 300,
        seed: 17,
      }),
    ).toThrow(/seed: 17[\s\S]*Counterexample[\s\S]*was freed while the program can reach it/);
  });
});
