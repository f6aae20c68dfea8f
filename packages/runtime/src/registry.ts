// The one list of strategies a runtime can be made with: collectors (factories of a gen-gc
// `Collector`) and allocators (factories of a heap `Allocator` over the runtime's page source
// and free store). The built-in ones are registered here the same way a user registers theirs.

import {
  CAPABILITY_NAMES,
  COUNTING_CAPABILITIES,
  type CollectorCapabilities,
  type CollectorDefinition,
  CountingCollector,
  GENERATIONAL_CAPABILITIES,
  GenerationalCollector,
  NO_CAPABILITIES,
  NoCollector,
  TRACING_CAPABILITIES,
  TracingCollector,
} from "@mm/gen-gc";
import { type Allocator, type Memory, MemoryManagerError, type PageSource } from "@mm/heap";
import { PoolAllocator } from "@mm/pool-allocator";

/** The stable code of {@link RegistryError}. */
export const REGISTRY_ERROR_CODE = "ERR_MM_REGISTRY";

/** A strategy that cannot be registered: a duplicate name, or a definition of the wrong shape. */
export class RegistryError extends MemoryManagerError {
  constructor(message: string) {
    super(REGISTRY_ERROR_CODE, message);
  }
}

/** What an allocator factory is given: where memory comes from in the runtime being made. */
export interface AllocatorHost {
  /** The runtime's memory. */
  readonly memory: Memory;
  /** Where arenas come from: the heap's pages, or the modelled process's mmap region. */
  readonly pages: PageSource;
  /** The raw domain (malloc): the free store, for blocks an allocator does not take itself. */
  readonly raw: Allocator;
}

/** Makes the small-object allocator of one runtime. */
export type AllocatorFactory = (host: AllocatorHost) => Allocator;

/**
 * An allocator as it is registered: its name and how to make one. This is also the shape a
 * module exports for `mm --allocator-module`.
 */
export interface AllocatorDefinition {
  /** A name of letters, digits, `-` and `_`, starting with a letter. */
  readonly name: string;
  /** Makes the allocator of the object and mem domains over a runtime's memory. */
  readonly create: AllocatorFactory;
  /** One line for listings. */
  readonly description?: string;
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/**
 * Named collectors and allocators. A runtime looks its `collector` and `allocator` options up
 * here (in {@link defaultRegistry} unless `RuntimeOptions.registry` gives another), so a name
 * is valid exactly when it is registered.
 *
 * @example
 * ```ts
 * const registry = StrategyRegistry.withBuiltins();
 * registry.registerCollector({ name: "mine", capabilities, create: (host) => new Mine(host) });
 * using rt = new Runtime({ registry, collector: "mine" });
 * ```
 */
export class StrategyRegistry {
  readonly #collectors = new Map<string, CollectorDefinition>();
  readonly #allocators = new Map<string, AllocatorDefinition>();

  /** A registry holding the built-in strategies: `cpython`, `refcount`, `tracing`, `none`; `pymalloc`, `malloc`. */
  static withBuiltins(): StrategyRegistry {
    const registry = new StrategyRegistry();
    for (const definition of BUILTIN_COLLECTORS) registry.registerCollector(definition);
    for (const definition of BUILTIN_ALLOCATORS) registry.registerAllocator(definition);
    return registry;
  }

  /**
   * Adds a collector.
   * @throws RegistryError when the name is taken or not a valid name, or the definition lacks
   *   a `create` function or a boolean for every capability (nothing is registered then).
   */
  registerCollector(definition: CollectorDefinition): void {
    const what = describe(definition);
    checkDefinition(definition, "collector");
    if (this.#collectors.has(definition.name)) {
      throw new RegistryError(`a collector named '${definition.name}' is already registered`);
    }
    const capabilities = (definition as { capabilities?: unknown }).capabilities;
    if (typeof capabilities !== "object" || capabilities === null) {
      throw new RegistryError(`${what} needs capabilities: { ${CAPABILITY_NAMES.join(", ")} }`);
    }
    for (const key of CAPABILITY_NAMES) {
      if (typeof (capabilities as Record<string, unknown>)[key] !== "boolean") {
        throw new RegistryError(`${what}: capabilities.${key} must be true or false`);
      }
    }
    const frozen: CollectorCapabilities = Object.freeze(
      Object.fromEntries(CAPABILITY_NAMES.map((k) => [k, definition.capabilities[k]])),
    ) as unknown as CollectorCapabilities;
    this.#collectors.set(definition.name, Object.freeze({ ...definition, capabilities: frozen }));
  }

  /**
   * Adds an allocator.
   * @throws RegistryError when the name is taken or not a valid name, or `create` is missing.
   */
  registerAllocator(definition: AllocatorDefinition): void {
    checkDefinition(definition, "allocator");
    if (this.#allocators.has(definition.name)) {
      throw new RegistryError(`an allocator named '${definition.name}' is already registered`);
    }
    this.#allocators.set(definition.name, Object.freeze({ ...definition }));
  }

  /** Removes a collector; returns whether it was registered. */
  unregisterCollector(name: string): boolean {
    return this.#collectors.delete(name);
  }

  /** Removes an allocator; returns whether it was registered. */
  unregisterAllocator(name: string): boolean {
    return this.#allocators.delete(name);
  }

  /** The collector registered as `name`, or undefined. */
  collector(name: string): CollectorDefinition | undefined {
    return this.#collectors.get(name);
  }

  /** The allocator registered as `name`, or undefined. */
  allocator(name: string): AllocatorDefinition | undefined {
    return this.#allocators.get(name);
  }

  /** The collectors' names, in the order they were registered (built-ins first). */
  collectorNames(): string[] {
    return [...this.#collectors.keys()];
  }

  /** The allocators' names, in the order they were registered (built-ins first). */
  allocatorNames(): string[] {
    return [...this.#allocators.keys()];
  }
}

function describe(definition: unknown): string {
  const name = (definition as { name?: unknown } | null)?.name;
  return typeof name === "string" ? `'${name}'` : "the definition";
}

function checkDefinition(definition: unknown, kind: "collector" | "allocator"): void {
  if (typeof definition !== "object" || definition === null) {
    throw new RegistryError(
      `a ${kind} definition must be an object { name, create${kind === "collector" ? ", capabilities" : ""} }, got ${definition === null ? "null" : typeof definition}`,
    );
  }
  const { name, create } = definition as { name?: unknown; create?: unknown };
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new RegistryError(
      `a ${kind} name must be 1 to 64 letters, digits, '-' or '_', starting with a letter, got ${JSON.stringify(name) ?? "nothing"}`,
    );
  }
  if (typeof create !== "function") {
    throw new RegistryError(`${kind} '${name}' needs a create(host) function`);
  }
}

/** The collectors every runtime knows, in the order comparisons list them. */
const BUILTIN_COLLECTORS: readonly CollectorDefinition[] = [
  {
    name: "cpython",
    description: "reference counting plus CPython 3.11's generational cycle collector",
    capabilities: GENERATIONAL_CAPABILITIES,
    create: (host) =>
      new GenerationalCollector(host.space, {
        name: "cpython",
        free: host.free,
        unraisable: host.unraisable,
        clearFreeLists: host.clearFreeLists,
        clearingWeakrefs: host.clearingWeakrefs,
        log: host.log,
        preset: host.preset,
        callbackInfo: host.callbackInfo,
        stress: host.stress,
        // The WebAssembly walks, with their copy of the type tables in the runtime's region
        // below the heap's pages, which no allocator (and so no figure of the program) sees,
        // as CPython's static type objects are no part of its heap. A host without such a
        // region keeps the JavaScript walks rather than put the tables in a heap block that
        // the program's figures would count.
        ...(host.kernelTables
          ? { walks: "wasm" as const, kernelTables: host.kernelTables }
          : { walks: "js" as const }),
      }),
  },
  {
    name: "refcount",
    description: "reference counting alone; cycles leak",
    capabilities: COUNTING_CAPABILITIES,
    create: (host) =>
      new CountingCollector(host.space, {
        free: host.free,
        unraisable: host.unraisable,
        clearingWeakrefs: host.clearingWeakrefs,
      }),
  },
  {
    name: "tracing",
    description: "no reference counts; mark-sweep from the roots, paced by allocation volume",
    capabilities: TRACING_CAPABILITIES,
    create: (host) =>
      new TracingCollector(host.space, {
        roots: host.roots,
        // Under stress every allocation is past the pacing, so each one collects first.
        bytesBetweenCollections: host.stress ? 1 : host.tracingBytes,
        free: host.free,
        unraisable: host.unraisable,
        clearFreeLists: host.clearFreeLists,
        clearingWeakrefs: host.clearingWeakrefs,
        log: host.log,
      }),
  },
  {
    name: "none",
    description: "nothing is ever freed (the baseline every comparison needs)",
    capabilities: NO_CAPABILITIES,
    create: (host) => new NoCollector(host.space, { unraisable: host.unraisable }),
  },
];

/**
 * Whether `definition` makes its collectors as the built-in `cpython` or `refcount` does (its
 * `create` is theirs: a registry keeps a frozen copy of each definition, with the same
 * function): a reference-counting collector whose free hook is the object layer's and whose
 * release of a non-container is the object space's.
 */
export function isBuiltinCountingCollector(definition: CollectorDefinition): boolean {
  const create = definition.create;
  return create === BUILTIN_COLLECTORS[0]!.create || create === BUILTIN_COLLECTORS[1]!.create;
}

/** The allocators every runtime knows. */
const BUILTIN_ALLOCATORS: readonly AllocatorDefinition[] = [
  {
    name: "pymalloc",
    description: "CPython's pymalloc: pools of blocks up to 512 bytes in 1 MiB arenas",
    create: (host) => new PoolAllocator(host.pages, { inner: host.raw }),
  },
  {
    name: "malloc",
    description: "the raw free store for every block",
    create: (host) => host.raw,
  },
];

/**
 * The registry runtimes use unless given another: the built-in strategies, and whatever is
 * registered here. Prefer a registry of your own (`StrategyRegistry.withBuiltins()`) where
 * several parts of a program register strategies.
 */
export const defaultRegistry: StrategyRegistry = StrategyRegistry.withBuiltins();

/** What each built-in collector does, by name. */
export const capabilities: Readonly<Record<string, CollectorCapabilities>> = Object.freeze(
  Object.fromEntries(BUILTIN_COLLECTORS.map((d) => [d.name, d.capabilities])),
);
