// The strategy registry: a plain model of registrations against the real registry, the
// built-ins registered like any other, and a user's collector and allocator running a program.

import { CountingCollector, TRACING_CAPABILITIES, TracingCollector } from "@mm/gen-gc";
import type { Allocator } from "@mm/heap";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AllocatorDefinition,
  type CollectorDefinition,
  ConfigError,
  capabilities,
  defaultRegistry,
  formatEvent,
  RegistryError,
  Runtime,
  StrategyRegistry,
} from "../src/index.js";
import { traceText } from "./support/arbitrary.js";

const quiet = { env: {}, log: () => {} } as const;
const BUILTIN_COLLECTORS = ["cpython", "refcount", "tracing", "none"];
const BUILTIN_ALLOCATORS = ["pymalloc", "malloc"];

/** A user's collector: the counting strategy under another name. */
function counting(name: string): CollectorDefinition {
  return {
    name,
    capabilities: capabilities.refcount!,
    create: (host) =>
      new CountingCollector(host.space, {
        name,
        free: host.free,
        unraisable: host.unraisable,
        clearingWeakrefs: host.clearingWeakrefs,
      }),
  };
}

/** A user's allocator: the free store, counting the blocks it hands out. */
function countingMalloc(name: string, counts: { mallocs: number }): AllocatorDefinition {
  return {
    name,
    create: ({ raw }) =>
      new Proxy(raw, {
        get(target, key) {
          const value = Reflect.get(target, key, target) as unknown;
          if (key === "malloc") {
            return (size: number) => {
              counts.mallocs++;
              return target.malloc(size);
            };
          }
          return typeof value === "function" ? value.bind(target) : value;
        },
      }) as Allocator,
  };
}

const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,12}$/);

describe("StrategyRegistry", () => {
  it("holds the built-in strategies, in comparison order", () => {
    const registry = StrategyRegistry.withBuiltins();
    expect(registry.collectorNames()).toEqual(BUILTIN_COLLECTORS);
    expect(registry.allocatorNames()).toEqual(BUILTIN_ALLOCATORS);
    expect(defaultRegistry.collectorNames()).toEqual(BUILTIN_COLLECTORS);
    expect(registry.collector("tracing")!.capabilities).toEqual(TRACING_CAPABILITIES);
  });

  it("behaves as a map of names that refuses duplicates (model test)", () => {
    type Model = { collectors: string[]; allocators: string[] };
    type Real = StrategyRegistry;
    const commands = [
      name.map(
        (n): fc.Command<Model, Real> => ({
          check: () => true,
          run(model, real) {
            const taken = model.collectors.includes(n);
            if (taken) {
              expect(() => real.registerCollector(counting(n))).toThrow(RegistryError);
            } else {
              real.registerCollector(counting(n));
              model.collectors.push(n);
            }
            expect(real.collectorNames()).toEqual(model.collectors);
          },
          toString: () => `registerCollector(${n})`,
        }),
      ),
      name.map(
        (n): fc.Command<Model, Real> => ({
          check: () => true,
          run(model, real) {
            const taken = model.allocators.includes(n);
            if (taken) {
              expect(() => real.registerAllocator(countingMalloc(n, { mallocs: 0 }))).toThrow(
                RegistryError,
              );
            } else {
              real.registerAllocator(countingMalloc(n, { mallocs: 0 }));
              model.allocators.push(n);
            }
            expect(real.allocatorNames()).toEqual(model.allocators);
          },
          toString: () => `registerAllocator(${n})`,
        }),
      ),
      name.map(
        (n): fc.Command<Model, Real> => ({
          check: () => true,
          run(model, real) {
            const had = model.collectors.includes(n);
            expect(real.unregisterCollector(n)).toBe(had);
            model.collectors = model.collectors.filter((c) => c !== n);
            expect(real.collector(n)).toBeUndefined();
          },
          toString: () => `unregisterCollector(${n})`,
        }),
      ),
      fc.constantFrom(...BUILTIN_COLLECTORS, "mine").map(
        (n): fc.Command<Model, Real> => ({
          check: () => true,
          run(model, real) {
            expect(real.collector(n)?.name).toBe(model.collectors.includes(n) ? n : undefined);
          },
          toString: () => `collector(${n})`,
        }),
      ),
    ];
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 30 }), (cmds) => {
        fc.modelRun(
          () => ({
            model: { collectors: [...BUILTIN_COLLECTORS], allocators: [...BUILTIN_ALLOCATORS] },
            real: StrategyRegistry.withBuiltins(),
          }),
          cmds,
        );
      }),
    );
  });

  it("refuses a malformed definition with a typed error and registers nothing", () => {
    const registry = new StrategyRegistry();
    const bad: unknown[] = [
      null,
      "cpython",
      { name: "x" },
      { name: "", create: () => 0, capabilities: capabilities.none },
      { name: "9lives", create: () => 0, capabilities: capabilities.none },
      { name: "has space", create: () => 0, capabilities: capabilities.none },
      { name: "nocaps", create: () => 0 },
      { name: "halfcaps", create: () => 0, capabilities: { refcounts: true } },
      { name: "strcaps", create: () => 0, capabilities: { ...capabilities.none, frees: "yes" } },
    ];
    for (const definition of bad) {
      expect(() => registry.registerCollector(definition as CollectorDefinition)).toThrow(
        RegistryError,
      );
    }
    expect(() => registry.registerAllocator({ name: "a" } as AllocatorDefinition)).toThrow(
      /needs a create\(host\) function/,
    );
    expect(registry.collectorNames()).toEqual([]);
    expect(registry.allocatorNames()).toEqual([]);
  });

  it("keeps a copy of the capabilities: changing the object given later changes nothing", () => {
    const registry = new StrategyRegistry();
    const caps = { ...capabilities.refcount! };
    registry.registerCollector({ ...counting("mine"), capabilities: caps });
    caps.frees = false;
    expect(registry.collector("mine")!.capabilities.frees).toBe(true);
  });
});

describe("a runtime made from a registry", () => {
  it("names the registered strategies when asked for another", () => {
    const registry = StrategyRegistry.withBuiltins();
    registry.registerCollector(counting("mine"));
    expect(() => new Runtime({ ...quiet, registry, collector: "arc" })).toThrow(
      new ConfigError('collector must be one of cpython, refcount, tracing, none, mine, got "arc"'),
    );
    expect(() => new Runtime({ ...quiet, registry, allocator: "jemalloc" })).toThrow(
      /allocator must be one of pymalloc, malloc, got "jemalloc"/,
    );
    expect(() => new Runtime({ registry, env: { MM_COLLECTOR: "arc" } })).toThrow(
      /MM_COLLECTOR=arc is not one of cpython, refcount, tracing, none, mine$/,
    );
  });

  it("runs a program on a user's collector and allocator, found by name (env too)", () => {
    const registry = StrategyRegistry.withBuiltins();
    const counts = { mallocs: 0 };
    registry.registerCollector(counting("mine"));
    registry.registerAllocator(countingMalloc("counted", counts));
    for (const rt of [
      new Runtime({ ...quiet, registry, collector: "mine", allocator: "counted" }),
      new Runtime({
        registry,
        log: () => {},
        env: { MM_COLLECTOR: "mine", MM_ALLOCATOR: "counted_debug" },
      }),
    ]) {
      counts.mallocs = 0;
      expect(rt.strategy.name).toBe("mine");
      expect(rt.pymalloc).toBeUndefined();
      const events = rt.runTrace(
        [
          '{"mm-trace": 1}',
          '{"op":"new","var":"a","type":"object","name":"a"}',
          '{"op":"new","var":"l","type":"list","items":["a","a"]}',
          '{"op":"refcount","var":"a"}',
          '{"op":"del","var":"l"}',
          '{"op":"refcount","var":"a"}',
        ].join("\n"),
      );
      expect(events.filter((e) => e.event === "refcount").map((e) => e.value)).toEqual([3, 1]);
      expect(counts.mallocs).toBeGreaterThan(0);
      rt.verify();
      rt[Symbol.dispose]();
    }
  });

  it("refuses what a factory makes when it is not a collector, naming what is missing", () => {
    const registry = new StrategyRegistry();
    for (const d of StrategyRegistry.withBuiltins().allocatorNames()) {
      registry.registerAllocator(StrategyRegistry.withBuiltins().allocator(d)!);
    }
    registry.registerCollector({
      name: "cpython",
      capabilities: capabilities.cpython!,
      create: () => ({ allocate: () => 0 }) as never,
    });
    expect(() => new Runtime({ ...quiet, registry })).toThrow(/without a track\(\) method/);
    const tracing = StrategyRegistry.withBuiltins();
    tracing.unregisterCollector("tracing");
    tracing.registerCollector({
      name: "tracing",
      capabilities: TRACING_CAPABILITIES,
      create: (host) => new TracingCollector(host.space, { roots: host.roots, name: "tracing" }),
    });
    const rt = new Runtime({ ...quiet, registry: tracing, collector: "tracing" });
    expect(rt.capabilities.roots).toBe(true);
    rt[Symbol.dispose]();
  });
});

describe("a strategy registered from outside", () => {
  it("behaves exactly as the built-in it wraps: the same events on random traces", () => {
    // Each built-in's own definition, registered again under another name: what the runtime
    // does with a strategy must depend on its definition, never on its name.
    const registry = StrategyRegistry.withBuiltins();
    for (const name of BUILTIN_COLLECTORS) {
      const builtin = registry.collector(name)!;
      registry.registerCollector({ ...builtin, name: `my-${name}` });
    }
    fc.assert(
      fc.property(traceText, fc.constantFrom(...BUILTIN_COLLECTORS), (text, name) => {
        const run = (collector: string) => {
          const rt = new Runtime({ ...quiet, registry, collector, heapBytes: 64 << 20 });
          const events = rt.runTrace(text).map(formatEvent);
          rt.verify();
          return { events, live: rt.space.liveObjects, stats: rt.gc.getStats() };
        };
        expect(run(`my-${name}`)).toEqual(run(name));
      }),
    );
  });
});
