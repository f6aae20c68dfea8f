// `releaseAs`, the release of an object whose type the caller has read, and `directRelease`,
// which hands it out only where it is the same as the collector's own `release`.

import {
  FreeStore,
  InvalidAddressError,
  InvalidArgumentError,
  Memory,
  MemoryPageSource,
  ObjectSpace,
  TypeRegistry,
} from "@mm/heap";
import { describe, expect, it } from "vitest";
import { CountingCollector, directRelease, GenerationalCollector } from "../src/index.js";
import { generationalWorld } from "./fixtures.js";

describe("releaseAs", () => {
  it("untracks a tracked container, frees it, and counts it as release does", () => {
    const { gc, space, types } = generationalWorld();
    const a = gc.allocate(types.node.plain.id);
    const b = gc.allocate(types.node.plain.id);
    gc.track(a);
    gc.track(b);
    const before = gc.getCount()[0]!;
    gc.releaseAs(a, types.node.plain);
    gc.release(b);
    expect(space.isLive(a)).toBe(false);
    expect(space.isLive(b)).toBe(false);
    // Both deaths lowered the gen-0 count, and the generation's list is whole without them.
    expect(gc.getCount()[0]).toBe(before - 2);
    gc.verify();
  });

  it("refuses a freed object and an object of another type, as release does", () => {
    const { gc, types } = generationalWorld();
    const a = gc.allocate(types.node.plain.id);
    gc.track(a);
    gc.releaseAs(a, types.node.plain);
    expect(() => gc.releaseAs(a, types.node.plain)).toThrow(InvalidAddressError);
    expect(() => gc.release(a)).toThrow(InvalidAddressError);
    const i = gc.allocate(types.int.id);
    expect(() => gc.releaseAs(i, types.node.plain)).toThrow(InvalidArgumentError);
    gc.releaseAs(i, types.int);
    gc.verify();
  });
});

describe("directRelease", () => {
  /** A fresh object space: each takes one collector (its reference counter's weakref type). */
  const fresh = () =>
    new ObjectSpace(
      new FreeStore(new MemoryPageSource(new Memory({ maximumBytes: 1 << 20 }))),
      new TypeRegistry(),
    );

  it("gives releaseAs for a collector whose class defines both", () => {
    const { gc } = generationalWorld();
    expect(directRelease(gc)).toBeTypeOf("function");
  });

  it("gives nothing where release is replaced alone, or where there is no releaseAs", () => {
    class OwnRelease extends GenerationalCollector {
      override release(object: number): void {
        super.release(object);
      }
    }
    expect(directRelease(new OwnRelease(fresh()))).toBeUndefined();
    class OnlyReleaseAs extends OwnRelease {
      override releaseAs(...args: Parameters<GenerationalCollector["releaseAs"]>): void {
        super.releaseAs(...args);
      }
    }
    // The first class that defines either must define both.
    expect(directRelease(new OnlyReleaseAs(fresh()))).toBeUndefined();
    class Both extends OwnRelease {
      override release(object: number): void {
        super.release(object);
      }
      override releaseAs(...args: Parameters<GenerationalCollector["releaseAs"]>): void {
        super.releaseAs(...args);
      }
    }
    // A class below that defines both is its own release again.
    expect(directRelease(new Both(fresh()))).toBeTypeOf("function");
    const patched = new GenerationalCollector(fresh());
    patched.release = (object: number) =>
      GenerationalCollector.prototype.release.call(patched, object);
    expect(directRelease(patched)).toBeUndefined();
  });

  it("gives nothing for a collector without releaseAs", () => {
    expect(directRelease(new CountingCollector(fresh(), {}))).toBeUndefined();
  });
});
