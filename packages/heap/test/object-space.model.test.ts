import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  FreeStore,
  InvalidAddressError,
  InvalidArgumentError,
  Memory,
  MemoryPageSource,
  OB_REFCNT,
  OB_SIZE,
  ObjectSpace,
  type TypeDescriptor,
  TypeFlags,
  TypeRegistry,
} from "../src/index.js";

// The model: the live objects by address, each with its type and item count. The object space
// must agree on which addresses are live, on every live object's type and size, and refuse
// every operation on an address that is not a live object (of the right type, for freeAs)
// without changing anything: verify() holds after every command.

interface Model {
  readonly live: Map<number, { readonly type: TypeDescriptor; readonly items: number }>;
  /** Blocks retired and not yet initialised again, with the type they held. */
  readonly retired: Array<{
    readonly block: number;
    readonly type: TypeDescriptor;
    readonly items: number;
  }>;
}

interface Real {
  readonly space: ObjectSpace;
  readonly types: readonly TypeDescriptor[];
}

function world(): Real {
  const space = new ObjectSpace(
    new FreeStore(new MemoryPageSource(new Memory({ maximumBytes: 8 << 20 }))),
    new TypeRegistry(),
  );
  const types = [
    space.types.register({ name: "float", basicSize: 24 }),
    space.types.register({
      name: "pair",
      basicSize: 32,
      flags: TypeFlags.Gc,
      pointers: { fields: [16, 24] },
    }),
    space.types.register({
      name: "tuple",
      basicSize: 24,
      itemSize: 8,
      flags: TypeFlags.Gc,
      pointers: { items: { count: OB_SIZE, first: 24, reverse: true } },
    }),
    space.types.register({
      name: "object",
      basicSize: 16,
      extraPreHeaderSize: 16,
      flags: TypeFlags.Gc,
      traverse: () => 0,
    }),
  ];
  return { space, types };
}

function expectAgrees(model: Model, { space }: Real): void {
  expect(space.liveObjects).toBe(model.live.size);
  expect([...space.objects()]).toEqual([...model.live.keys()].sort((a, b) => a - b));
  for (const [object, { type, items }] of model.live) {
    expect(space.isLive(object)).toBe(true);
    expect(space.typeOf(object)).toBe(type);
    expect(space.itemCount(object)).toBe(type.itemSize > 0 ? items : 0);
    expect(space.sizeOf(object)).toBe(type.basicSize + type.itemSize * items);
    expect(space.allocator.owns(object - type.preHeaderSize)).toBe(true);
  }
  // The live bits as a WebAssembly module over the memory reads them: in the memory's storage,
  // past its heap part.
  const at = space.liveBitsAddress;
  expect(at).toBeGreaterThanOrEqual(space.memory.byteLength);
  const words = new Uint32Array(space.memory.buffer, at, (space.memory.byteLength >>> 9) + 1);
  const set: number[] = [];
  words.forEach((word, w) => {
    for (let bit = 0; bit < 32; bit++) if ((word >>> bit) & 1) set.push((w * 32 + bit) * 16);
  });
  expect(set).toEqual([...model.live.keys()].sort((a, b) => a - b));
  space.verify();
  space.allocator.verify();
}

/** Picks a live object by index, or 0 when there is none. */
function pick(model: Model, index: number): number {
  const objects = [...model.live.keys()];
  return objects.length === 0 ? 0 : objects[index % objects.length]!;
}

class Allocate implements fc.Command<Model, Real> {
  constructor(
    readonly typeIndex: number,
    readonly items: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    const type = real.types[this.typeIndex % real.types.length]!;
    const items = type.itemSize > 0 ? this.items : 0;
    const object = real.space.allocate(type.id, items);
    expect(object).not.toBe(0);
    expect(model.live.has(object)).toBe(false);
    expect(real.space.memory.u32[(object + OB_REFCNT) >>> 2]).toBe(1);
    model.live.set(object, { type, items });
    expectAgrees(model, real);
  }
  toString(): string {
    return `allocate(type ${this.typeIndex}, ${this.items} items)`;
  }
}

/**
 * free, freeAs (with the right or a wrong type), freeOwnType (with the type the header holds)
 * or retire, of a live or a bad address.
 */
class Release implements fc.Command<Model, Real> {
  constructor(
    readonly how: "free" | "freeAs" | "freeAsWrongType" | "freeOwnType" | "retire",
    readonly index: number,
    readonly bad: "none" | "null" | "interior" | "freed" | "alias",
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    const { space } = real;
    const live = pick(model, this.index);
    let target = live;
    if (this.bad === "null" || live === 0) target = 0;
    else if (this.bad === "interior") target = live + 16;
    else if (this.bad === "alias") target = live + (this.index % 2 === 0 ? 2 ** 32 : 0.5);
    else if (this.bad === "freed") {
      target = this.#deadAddress(model, real);
      if (target === 0) return;
    }
    const entry = model.live.get(target);
    const wrongType = entry && real.types.find((t) => t !== entry.type);
    const attempt = () => {
      switch (this.how) {
        case "free":
          return space.free(target);
        case "freeAs":
          return space.freeAs(target, entry?.type ?? real.types[0]!);
        case "freeAsWrongType":
          return space.freeAs(target, wrongType ?? real.types[0]!);
        case "freeOwnType":
          return space.freeOwnType(target, entry?.type ?? real.types[0]!);
        case "retire":
          return space.retire(target);
      }
    };
    if (entry === undefined) {
      expect(attempt).toThrow(InvalidAddressError);
    } else if (this.how === "freeAsWrongType") {
      expect(attempt).toThrow(InvalidArgumentError);
      expect(attempt).toThrow(new RegExp(`is a ${entry.type.name} object, not a`));
    } else {
      const block = attempt();
      model.live.delete(target);
      if (this.how === "retire") {
        expect(block).toBe(target - entry.type.preHeaderSize);
        model.retired.push({ block: block as number, type: entry.type, items: entry.items });
      }
    }
    expectAgrees(model, real);
  }
  /** An address that held an object once and holds none now (a retired block's object). */
  #deadAddress(model: Model, real: Real): number {
    const retired = model.retired[this.index % Math.max(1, model.retired.length)];
    if (retired === undefined) return 0;
    const object = retired.block + retired.type.preHeaderSize;
    expect(real.space.isLive(object)).toBe(model.live.has(object));
    return model.live.has(object) ? 0 : object;
  }
  toString(): string {
    return `${this.how}(live #${this.index}, bad: ${this.bad})`;
  }
}

/** A retired block becomes an object again, as a free list hands it out. */
class Reinitialize implements fc.Command<Model, Real> {
  constructor(readonly index: number) {}
  check(model: Readonly<Model>): boolean {
    return model.retired.length > 0;
  }
  run(model: Model, real: Real): void {
    const [{ block, type, items }] = model.retired.splice(this.index % model.retired.length, 1) as [
      Model["retired"][number],
    ];
    real.space.memory.u8.fill(0xa5, block, block + real.space.blockSize(type, items));
    const object = real.space.initialize(block, type.id, items);
    expect(object).toBe(block + type.preHeaderSize);
    // Reused bytes are zeroed past the header, as a fresh object's are.
    const body = real.space.memory.u8.subarray(
      object + 16 + (type.itemSize > 0 ? 8 : 0),
      object + type.basicSize + type.itemSize * items,
    );
    expect(body.every((x) => x === 0)).toBe(true);
    model.live.set(object, { type, items });
    expectAgrees(model, real);
  }
  toString(): string {
    return `initialize(retired #${this.index})`;
  }
}

describe("ObjectSpace", () => {
  it("property: agrees with a map of live objects; free, freeAs, freeOwnType and retire refuse bad addresses and wrong types and change nothing", () => {
    const badness = fc.constantFrom(
      "none",
      "none",
      "none",
      "null",
      "interior",
      "freed",
    ) as fc.Arbitrary<"none" | "null" | "interior" | "freed">;
    fc.assert(
      fc.property(
        fc.commands(
          [
            fc
              .tuple(fc.nat(7), fc.nat(6))
              .map(([typeIndex, items]) => new Allocate(typeIndex, items)),
            fc
              .tuple(
                fc.constantFrom(
                  "free",
                  "freeAs",
                  "freeAsWrongType",
                  "freeOwnType",
                  "retire",
                ) as fc.Arbitrary<"free" | "freeAs" | "freeAsWrongType" | "freeOwnType" | "retire">,
                fc.nat(),
                badness,
              )
              .map(([how, index, bad]) => new Release(how, index, bad)),
            fc.nat().map((index) => new Reinitialize(index)),
          ],
          { maxCommands: 60 },
        ),
        (commands) => {
          const real = world();
          // Blocks retired by the test are held by it, as a free list holds them; they stay
          // allocated, so verify() must still find every live object in an allocated block.
          fc.modelRun(() => ({ model: { live: new Map(), retired: [] }, real }), commands);
        },
      ),
      { numRuns: fcRuns(1000) },
    );
  });
});
