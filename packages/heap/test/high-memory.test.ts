// The largest memory, 4 GiB less 64 KiB, and blocks whose addresses or sizes pass 2^31: the
// free store's sizes come out of header words with flag bits masked off, and a mask is a
// signed 32-bit operation in JavaScript, so a block of 2 GiB or more would read back negative
// without the unsigned fix-up.

import { describe, expect, it } from "vitest";
import {
  FreeStore,
  MAX_MEMORY_BYTES,
  Memory,
  MemoryPageSource,
  ObjectSpace,
  TypeRegistry,
} from "../src/index.js";

const GIB = 2 ** 30;

describe("a memory of 4 GiB less 64 KiB", () => {
  it("grows to MAX_MEMORY_BYTES, with every view over all of it, and no further", () => {
    expect(MAX_MEMORY_BYTES).toBe(2 ** 32 - 65536);
    const memory = new Memory({ maximumBytes: MAX_MEMORY_BYTES });
    expect(memory.grow(MAX_MEMORY_BYTES)).toBe(true);
    expect(memory.byteLength).toBe(MAX_MEMORY_BYTES);
    expect(memory.u8.length).toBe(MAX_MEMORY_BYTES);
    expect(memory.u32.length).toBe(MAX_MEMORY_BYTES / 4);
    expect(memory.view.byteLength).toBe(MAX_MEMORY_BYTES);
    const last = MAX_MEMORY_BYTES - 4;
    memory.u32[last >>> 2] = 0xdead_beef;
    expect(memory.view.getUint32(last, true)).toBe(0xdead_beef);
    expect(memory.grow(MAX_MEMORY_BYTES + 1)).toBe(false);
    expect(() => new Memory({ maximumBytes: MAX_MEMORY_BYTES + 65536 })).toThrow(/maximumBytes/);
  });

  it("hands out, grows, shrinks and frees blocks of more than 2 GiB above 2^31", () => {
    const memory = new Memory({ maximumBytes: MAX_MEMORY_BYTES });
    const store = new FreeStore(new MemoryPageSource(memory));
    const low = store.malloc(GIB);
    const big = store.malloc(2.5 * GIB);
    expect(low).toBeGreaterThan(0);
    expect(big).toBeGreaterThan(GIB);
    expect(big + 2.5 * GIB).toBeGreaterThan(2 ** 31);
    expect(store.usableSize(big)).toBeGreaterThanOrEqual(2.5 * GIB);
    store.verify();
    // A word near the top of the big block comes along when it shrinks in place.
    const near = big + 2 * GIB + 64;
    memory.u32[near >>> 2] = 0x1234_5678;
    const shrunk = store.realloc(big, 2 * GIB + 128);
    expect(shrunk).toBe(big);
    expect(memory.u32[near >>> 2]).toBe(0x1234_5678);
    store.verify();
    // The tail just freed serves small blocks at addresses past 2^31.
    const high = store.malloc(1000);
    expect(high).toBeGreaterThanOrEqual(2 ** 31);
    const objects = new ObjectSpace(store, new TypeRegistry());
    const type = objects.types.register({ name: "thing", basicSize: 32 });
    const o = objects.allocate(type.id);
    expect(o).toBeGreaterThanOrEqual(2 ** 31);
    expect([...objects.objects()]).toEqual([o]);
    expect(objects.isLive(o)).toBe(true);
    objects.free(o);
    store.free(high);
    store.free(shrunk);
    store.free(low);
    store.verify();
    expect(store.stats().liveBlocks).toBe(0);
  });
});
