// The runtime: one heap, one allocator stack, one memory-management strategy, the object layer,
// frames, and the facades named after Python's modules. Users hold handles; everything else is
// addresses in the private heap.

import { directRelease } from "@mm/gen-gc";
import {
  type Allocator,
  DebugAllocator,
  describeValue,
  FreeStore,
  HeapCorruptionError,
  invalidArgument,
  Memory,
  MemoryPageSource,
  ObjectSpace,
  OutOfMemoryError,
  type PageSource,
  TypeRegistry,
} from "@mm/heap";
import type { Process } from "@mm/layout";
import { FreeLists, PoolAllocator } from "@mm/pool-allocator";
import { RefCounter } from "@mm/refcount";
import type { RuntimeOptions, StrategyCapabilities } from "./api.js";
import { type ResolvedConfig, resolveConfig } from "./config.js";
import { ConfigError, PythonError, raise, StaleHandleError, TraceError } from "./errors.js";
import { GcModule, SysModule, WeakrefModule } from "./facades/modules.js";
import { Domain, type TraceFrame, Tracemalloc } from "./facades/tracemalloc.js";
import { type Frame, FrameStack } from "./frames.js";
import { addressOf, Handle } from "./handle.js";
import { inspect, type RuntimeSnapshot } from "./inspect.js";
import { type RuntimeCore, registerCore } from "./internal/core.js";
import { DirectPath, directIntsAllowed, releasesUntrackedToSpace } from "./internal/direct-ints.js";
import { Observers, type RuntimeObserver } from "./internal/events.js";
import { ObservedObjectModel } from "./internal/observed-model.js";
import { type KernelFrees, ReleaseKernel } from "./internal/release-kernel.js";
import { FloatKind } from "./objects/float.js";
import { IntKind } from "./objects/int.js";
import type { ClassSpec, ObjectHost, ObjectModel, PythonClass } from "./objects/model.js";
import { createProcess, hasConstantsArea, ProcessFrames, traceConstants } from "./process.js";
import { createStrategy, type Strategy } from "./strategies.js";
import { parseTrace, type Trace } from "./trace/format.js";
import { type TraceEvent, TraceRun, type TraceRunOptions } from "./trace/runner.js";

/**
 * The collector's own data, outside the heap: the bytes from the NULL page up to the page
 * source's base (or, in a modelled process, to its first page frame), which no allocator hands
 * out and no mapping shows (the WebAssembly detection walks keep their copy of the type tables
 * there, as CPython's type objects are static data of the executable, in no heap). 64 KiB hold
 * the tables of about 440 types; a Python program starts with about 150. The base, 0x11000,
 * keeps the first arena off a pool boundary, as an mmap'd arena is.
 */
const KERNEL_TABLES = { address: 0x1000, bytes: 0x10000 } as const;
const KERNEL_TABLES_END = KERNEL_TABLES.address + KERNEL_TABLES.bytes;

/** Whether `error` is V8's stack overflow ("Maximum call stack size exceeded"). */
function isStackExhausted(error: unknown): boolean {
  return error instanceof RangeError && error.message === "Maximum call stack size exceeded";
}

/** A JavaScript view of a Python value, for reading results. */
export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | { readonly type: string; readonly address: number };

/** What {@link Runtime.stats} reports. */
export interface RuntimeStats {
  /** Objects the program created (free-list reuse included). */
  readonly objectsAllocated: number;
  /** Objects that died. */
  readonly objectsFreed: number;
  /** Objects alive now (caches and singletons excluded). */
  readonly liveObjects: number;
  /** Bytes mapped from the page source: arenas and free-store regions (the heap's footprint). */
  readonly heapBytes: number;
  /** Bytes in blocks handed out by the allocators (pymalloc blocks and large blocks). */
  readonly liveBytes: number;
  /** Collections so far, by generation (the tracing collector reports as generation 2). */
  readonly collections: readonly [number, number, number];
  /** Pause time of every collection so far, in milliseconds, in order. */
  readonly pausesMs: readonly number[];
}

/** A user class registered with {@link Runtime.defineClass}. */
export interface PyClass {
  readonly name: string;
  /** @internal */
  readonly cls: PythonClass;
}

/** A function frame as {@link Runtime.call} gives it to its body. */
export interface FrameScope {
  /** Binds a local variable to a new reference to `value` (the handle keeps its own). */
  set(name: string, value: Handle): void;
  /** A new handle to a local (or, failing that, a global) variable. */
  get(name: string): Handle;
}

/**
 * A Python-like runtime whose memory behaviour is CPython 3.11's, over the `@mm` packages.
 *
 * @example
 * ```ts
 * using rt = new Runtime({ collector: "cpython" });
 * using a = rt.list(rt.int(1), rt.int(2));
 * rt.sizeof(a);             // 72, as sys.getsizeof([1, 2]) in CPython 3.11
 * rt.gc.collect();          // 0: nothing unreachable
 * ```
 */
export class Runtime implements Disposable {
  readonly config: ResolvedConfig;
  readonly capabilities: StrategyCapabilities;
  readonly memory: Memory;
  /**
   * The modelled process the runtime lives in (`process` option), or undefined. Its rodata is
   * sealed by `start()`, which the runtime calls when it first runs code (a call or a trace).
   */
  readonly process: Process | undefined;
  /** Where pymalloc's arenas come from: the heap's pages, or the process's mmap region. */
  readonly pages: PageSource;
  /** CPython's raw domain: the free store (malloc), over the process's brk heap if any. */
  readonly raw: Allocator;
  /** pymalloc, when that is the allocator. */
  readonly pymalloc: PoolAllocator | undefined;
  /** The object domain, as objects are allocated (with debug hooks and tracemalloc's hooks). */
  readonly obj: Allocator;
  /** The mem domain: list item arrays, instance values. */
  readonly mem: Allocator;
  readonly freeLists: FreeLists;
  readonly space: ObjectSpace;
  /** @internal */
  readonly strategy: Strategy;
  /** @internal */
  readonly objects: ObjectModel;
  /** @internal */
  readonly frames: FrameStack;
  readonly gc: GcModule;
  readonly sys: SysModule;
  readonly weakref: WeakrefModule;
  readonly tracemalloc: Tracemalloc;
  /** Where debug output and unraisable exceptions go. */
  readonly log: (line: string) => void;

  /** References held by handles, by address (they are roots under tracing). */
  readonly #handles = new Map<number, number>();
  /** Objects in flight between evaluation and storage (roots under tracing). */
  readonly #temps: number[] = [];
  /** Interned key constants (dict keys written in code), by value. */
  readonly #constants = new Map<string, number>();
  readonly #extraRoots = new Set<() => Iterable<number>>();
  readonly #observers: Observers;
  /** The direct path of ints and floats (see `DirectPath`), when the collector allows it. */
  readonly #direct: DirectPath | undefined;
  #disposed = false;

  constructor(options: RuntimeOptions = {}) {
    this.config = resolveConfig(options);
    this.capabilities = this.config.collectorDefinition.capabilities;
    this.log = options.log ?? ((line) => console.error(line));
    this.memory = new Memory({
      maximumBytes: this.config.heapBytes,
      reserve: this.config.reserveHeap,
    });
    let raw: FreeStore;
    if (this.config.process) {
      const proc = createProcess(this.config.process, this.memory, KERNEL_TABLES.bytes);
      this.process = proc;
      this.pages = proc.mmapPageSource;
      raw = proc.freeStore;
    } else {
      this.process = undefined;
      this.pages = new MemoryPageSource(this.memory, { base: KERNEL_TABLES_END });
      raw = new FreeStore(this.pages);
    }
    this.raw = this.config.debugHooks ? new DebugAllocator(raw, { api: "r" }) : raw;
    const small: Allocator = this.config.allocatorDefinition.create({
      memory: this.memory,
      pages: this.pages,
      raw,
    });
    if (small?.memory !== this.memory || typeof small.malloc !== "function") {
      throw new ConfigError(
        `allocator '${this.config.allocator}': create() must return an Allocator over the runtime's memory`,
      );
    }
    this.pymalloc = small instanceof PoolAllocator ? small : undefined;
    const objDomain = this.config.debugHooks ? new DebugAllocator(small, { api: "o" }) : small;
    const memDomain = this.config.debugHooks ? new DebugAllocator(small, { api: "m" }) : small;
    this.tracemalloc = new Tracemalloc(() => this.#traceback());
    this.obj = this.tracemalloc.hook(objDomain, Domain.obj);
    this.mem = this.tracemalloc.hook(memDomain, Domain.mem);
    this.freeLists = new FreeLists(this.obj);
    this.pymalloc?.attachFreeLists(this.freeLists);
    this.space = new ObjectSpace(this.obj, new TypeRegistry());
    this.frames = new FrameStack(
      "<runtime>",
      this.config.recursionLimit,
      this.process && new ProcessFrames(this.process),
    );

    let model!: ObjectModel;
    // tp_free, as the model hands it out once it is made (the strategy frees nothing before).
    let free = (o: number) => model.free(o);
    // The free hook the strategy gets: its reference counter's is replaced by the object
    // layer's own function once that exists (see #installFreeHooks).
    const strategyFree = (o: number) => free(o);
    this.strategy = createStrategy(this.config.collectorDefinition, {
      space: this.space,
      preset: this.config.preset,
      tracingBytes: this.config.tracingBytes,
      stress: this.config.stress,
      unraisable: (error, where) => this.#unraisable(error, where),
      log: this.log,
      free: strategyFree,
      roots: (visit) => this.#roots(visit),
      clearFreeLists: () => this.freeLists.clear(),
      callbackInfo: () => {
        // CPython builds the callbacks' info dict here: a GC allocation the count sees.
        const info = model.newDict();
        this.strategy.decref(info);
      },
      clearingWeakrefs: (count) => {
        // PyObject_ClearWeakRefs packs 2 x count items into a new tuple (fact 29 counts it).
        const tuple = model.newTuple(Array.from({ length: 2 * count }, () => model.none));
        return () => this.strategy.decref(tuple);
      },
      raw: this.raw,
      kernelTables: KERNEL_TABLES,
    });
    const strategy = this.strategy;
    const tracemalloc = this.tracemalloc;
    const observers = new Observers(
      () => strategy.history,
      (error, where) => this.#unraisable(error, where),
    );
    this.#observers = observers;
    // The object layer's decref, with the direct path of ints once the model is made.
    let direct: DirectPath | undefined;
    const host: ObjectHost = {
      space: this.space,
      mem: this.mem,
      obj: this.obj,
      freeLists: this.freeLists,
      retrace: (block) => tracemalloc.retrace(block),
      traced: !this.capabilities.refcounts,
      // Allocating and tracking may run an automatic collection: observers learn which.
      allocate: (typeId, items) =>
        observers.active
          ? observers.during(() => strategy.allocate(typeId, items))
          : strategy.allocate(typeId, items),
      track: (o) =>
        observers.active ? observers.during(() => strategy.track(o)) : strategy.track(o),
      isTracked: (o) => strategy.isTracked(o),
      incref: (o) => (direct !== undefined ? direct.incref(o) : strategy.incref(o)),
      decref: (o) => (direct !== undefined ? direct.decref(o) : strategy.decref(o)),
      release: (o) => strategy.release(o),
      // The strategy's own release, without its type look-up, unless a subclass replaced it.
      releaseAs: directRelease(strategy),
      releaseUntrackedIsFreeAs: releasesUntrackedToSpace(strategy),
      // Set below once the direct path is made: its decref is the count's subtract.
      countsInPlace: false,
      unraisable: (error, where) => this.#unraisable(error, where),
    };
    const observed = new ObservedObjectModel(host, observers);
    model = observed;
    free = model.freeFunction();
    this.#installFreeHooks(strategyFree, observed, observers);
    const kernel = this.#installReleaseKernel(observed);
    if (directIntsAllowed(this.config, strategy)) {
      direct = new DirectPath(
        this.space,
        strategy,
        observers,
        model.kind(IntKind),
        model.kind(FloatKind),
      );
      host.countsInPlace = true;
      // Where the strategy's decref is the counter's (the direct path exists only there), a
      // list's clear drops its items in one call, and a dict's key table its keys and values,
      // which the kernel runs.
      if (kernel !== undefined) {
        // An int or a float whose last reference the kernel drops dies by the direct path.
        const path = direct;
        kernel.leafDeath = (object) => path.releaseDead(object);
        kernel.leafType = model.kind(IntKind).type.id;
        const rc = (strategy as unknown as { rc: RefCounter }).rc;
        host.decrefRun = (first, count, stride) => rc.decrefRun(first, count, stride);
        host.decrefEntries = (first, count, stride, gap) =>
          rc.decrefEntries(first, count, stride, gap);
      }
    }
    this.#direct = direct;
    this.objects = model;
    if (this.process && hasConstantsArea(this.process)) {
      // The built-in types' names are C string literals of the interpreter's image.
      for (const type of this.space.types.all()) this.process.intern(type.name);
    }
    this.#installUntrackRules();
    const core = this.#core();
    registerCore(this, core);
    this.gc = new GcModule(core);
    this.sys = new SysModule(core);
    this.weakref = new WeakrefModule(core);
  }

  /**
   * Hands the reference counter the object layer's free function itself, in place of the hook
   * it was made with (`strategyFree`, which forwards to it): a call less per death. While
   * nobody observes it is the function that asks no observer; the first observer added swaps in
   * the observed one, the last one removed swaps it back. A strategy whose counter has another
   * hook (its own, or none) keeps it.
   */
  #installFreeHooks(
    strategyFree: (o: number) => void,
    model: ObservedObjectModel,
    observers: Observers,
  ): void {
    const rc = (this.strategy as { rc?: unknown }).rc;
    if (!(rc instanceof RefCounter) || rc.freeHook !== strategyFree) return;
    const observed = model.freeFunction();
    const plain = model.unobservedFreeFunction();
    // Both read the object's type themselves: the counter's in-place deaths call them with the
    // object alone.
    const install = (free: (o: number) => void) => rc.setFreeHook(free, free);
    install(observers.active ? observed : plain);
    observers.onActiveChange((active) => install(active ? observed : plain));
  }

  /**
   * Hands the reference counter's in-place deaths to the WebAssembly release kernel, when the
   * configuration asks for it (`releases: "wasm"`) and the strategy has a reference counter and
   * the memory room for the kernel's table; returns whether it did.
   */
  #installReleaseKernel(model: ObservedObjectModel): ReleaseKernel | undefined {
    if (this.config.releases !== "wasm") return undefined;
    const rc = (this.strategy as { rc?: unknown }).rc;
    if (!(rc instanceof RefCounter)) return undefined;
    // The frees too, where the object layer's domains are pymalloc's behind tracemalloc's
    // hooks alone (no debug hooks) and the model runs free plans (see KernelFrees).
    const frees: KernelFrees | undefined =
      this.pymalloc !== undefined && !this.config.debugHooks
        ? {
            kinds: model.kindTable,
            pymalloc: this.pymalloc,
            lists: this.freeLists,
            plain: model.unobservedFreeFunction(),
            tracer: this.tracemalloc,
          }
        : undefined;
    const kernel = ReleaseKernel.create(rc.inPlaceRelease, this.memory, frees);
    if (kernel !== undefined) kernel.enabled = true;
    return kernel;
  }

  /** The core handed to the runner, the facades, the embedding API and the inspection view. */
  #core(): RuntimeCore {
    const rt = this;
    return {
      config: this.config,
      capabilities: this.capabilities,
      space: this.space,
      objects: this.objects,
      strategy: this.strategy,
      frames: this.frames,
      process: this.process,
      pymalloc: this.pymalloc,
      raw: this.raw,
      freeLists: this.freeLists,
      temps: this.#temps,
      log: this.log,
      get disposed() {
        return rt.#disposed;
      },
      addressOf: (h) => this.addressOf(h),
      own: (address) => this.#own(address),
      keyConstant: (value) => this.#keyConstant(value),
      isConstant: (o) => this.#isConstant(o),
      addRoots: (source) => {
        this.#extraRoots.add(source);
        return () => this.#extraRoots.delete(source);
      },
      forEachRoot: (visit, withConstants = true) => this.#roots(visit, withConstants),
      referenceCount: (o) => this.referenceCount(o),
      collect: (generation) =>
        this.#observers.active
          ? this.#observers.during(() => this.strategy.collect(generation))
          : this.strategy.collect(generation),
      unraisable: (error, where) => this.#unraisable(error, where),
      startProcess: () => this.#startProcess(),
      observe: (observer) => this.#observers.add(observer),
      observers: this.#observers,
      direct: this.#direct,
      notifyAllocate: (o) => {
        // A basic weak reference is handed out again while it lives (as CPython's
        // `weakref.ref(o)` returns the same object): then nothing was allocated. A new one holds
        // the one reference just made. Its free is counted by the object layer like any
        // object's; its allocation is counted here.
        if (this.strategy.rc.refcount(o) !== 1) return;
        this.objects.countAllocated();
        if (this.#observers.active)
          this.#observers.emit({
            kind: "allocate",
            address: o,
            type: this.objects.typeName(o),
            size: this.space.blockSize(this.space.typeOf(o), this.space.itemCount(o)),
          });
      },
      notifyWeakrefCallback: (weakref) => {
        if (this.#observers.active) this.#observers.emit({ kind: "weakref-callback", weakref });
      },
      verify: () => this.verify(),
    };
  }

  // ------------------------------------------------------------------ values

  /**
   * A new handle to an int (small ints are cached, as in CPython).
   * @throws InvalidArgumentError when `value` is not an integer (a bigint or an integral number)
   */
  int(value: number | bigint): Handle {
    if (typeof value !== "bigint" && !(typeof value === "number" && Number.isInteger(value)))
      invalidArgument(`int() takes a bigint or an integral number, got ${describeValue(value)}`);
    return this.#own(this.objects.newInt(value));
  }

  /** A new handle to a float. @throws InvalidArgumentError when `value` is not a number */
  float(value: number): Handle {
    if (typeof value !== "number")
      invalidArgument(`float() takes a number, got ${describeValue(value)}`);
    return this.#own(this.objects.newFloat(value));
  }

  /** A new handle to a str. @throws InvalidArgumentError when `value` is not a string */
  str(value: string): Handle {
    if (typeof value !== "string")
      invalidArgument(`str() takes a string, got ${describeValue(value)}`);
    return this.#own(this.objects.newStr(value));
  }

  /** `None`, `True` or `False`. */
  constant(value: null | boolean): Handle {
    const o = value === null ? this.objects.none : this.objects.newBool(value);
    this.strategy.incref(o);
    return this.#own(o);
  }

  /** `(a, b, …)`. */
  tuple(...items: Handle[]): Handle {
    return this.#own(this.objects.newTuple(items.map((h) => this.addressOf(h))));
  }

  /** `[a, b, …]`. */
  list(...items: Handle[]): Handle {
    return this.#own(this.objects.newList(items.map((h) => this.addressOf(h))));
  }

  /** `{"k": v, …}` (str keys). */
  dict(entries: Readonly<Record<string, Handle>> = {}): Handle {
    const d = this.objects.newDict();
    this.#temps.push(d);
    try {
      for (const [key, value] of Object.entries(entries))
        this.objects.dictSet(d, this.#keyConstant(key), this.addressOf(value));
    } finally {
      this.#temps.pop();
    }
    return this.#own(d);
  }

  /** Registers a class; `del` is its `__del__`, run once per instance (PEP 442). */
  defineClass(
    name: string,
    options: { del?: (self: Handle) => void; legacyDel?: (self: Handle) => void } = {},
  ): PyClass {
    const wrap = (fn: ((self: Handle) => void) | undefined) =>
      fn
        ? (self: number) => {
            this.strategy.incref(self);
            using handle = this.#own(self);
            fn(handle);
          }
        : undefined;
    const del = wrap(options.del);
    const legacyDel = wrap(options.legacyDel);
    const spec: ClassSpec = { name, ...(del ? { del } : {}), ...(legacyDel ? { legacyDel } : {}) };
    return { name, cls: this.objects.defineClass(spec) };
  }

  /**
   * Runs an mm-trace (its text, or one parsed with `parseTrace`) and returns its event log, as
   * the CPython driver would print it for the same trace.
   */
  runTrace(trace: string | Trace, file?: string, options: TraceRunOptions = {}): TraceEvent[] {
    if (typeof trace !== "string" && !Array.isArray((trace as Partial<Trace> | null)?.ops)) {
      invalidArgument(
        `runTrace() takes an mm-trace's text or a Trace from parseTrace, got ${describeValue(trace)}`,
      );
    }
    const parsed = typeof trace === "string" ? parseTrace(trace, file) : trace;
    if (this.process && !this.process.started && hasConstantsArea(this.process)) {
      // Loading: the trace's names and string literals join the image's rodata.
      for (const [constant, line] of traceConstants(parsed))
        this.#internConstant(this.process, constant, line, parsed.file);
    }
    this.#startProcess();
    return new TraceRun(this, parsed, options).run();
  }

  /** `Cls()`, with the given attributes set in order. */
  instance(cls: PyClass, attributes: Readonly<Record<string, Handle>> = {}): Handle {
    const o = this.objects.newInstance(cls.cls);
    this.#temps.push(o);
    try {
      for (const [name, value] of Object.entries(attributes))
        this.objects.setAttr(o, name, this.addressOf(value));
    } finally {
      this.#temps.pop();
    }
    return this.#own(o);
  }

  /** A resource that needs closing; `onClose` runs once, at `close` or when it dies open. */
  resource(onClose: () => void = () => {}): Handle {
    return this.#own(this.objects.newResource(onClose));
  }

  /** `r.close()`. */
  close(resource: Handle): void {
    this.objects.close(this.addressOf(resource));
  }

  /**
   * `with resource as r: body(r)`: runs `body`, then closes the resource, even when `body`
   * throws, as a context manager's `__exit__` does.
   */
  with<T>(resource: Handle, body: (resource: Handle) => T): T {
    try {
      return body(resource);
    } finally {
      this.close(resource);
    }
  }

  // ------------------------------------------------------------------ operations

  /** `o.name` as a new handle. @throws PythonError AttributeError */
  getattr(o: Handle, name: string): Handle {
    const address = this.addressOf(o);
    const value = this.objects.getAttr(address, name);
    if (value === 0)
      raise(
        "AttributeError",
        `'${this.objects.typeName(address)}' object has no attribute '${name}'`,
      );
    this.strategy.incref(value);
    return this.#own(value);
  }

  setattr(o: Handle, name: string, value: Handle): void {
    this.objects.setAttr(this.addressOf(o), name, this.addressOf(value));
  }

  delattr(o: Handle, name: string): void {
    this.objects.delAttr(this.addressOf(o), name);
  }

  /** `l.append(v)`. */
  append(list: Handle, value: Handle): void {
    this.objects.listAppend(this.#expectList(list), this.addressOf(value));
  }

  /** `l.pop()`. */
  pop(list: Handle): Handle {
    return this.#own(this.objects.listPop(this.#expectList(list)));
  }

  /** Counts, heap size and collection pauses so far. */
  stats(): RuntimeStats {
    const history = this.strategy.history;
    const collections: [number, number, number] = [0, 0, 0];
    for (const h of history) collections[h.generation as 0 | 1 | 2]++;
    const objects = this.objects;
    const small = this.pymalloc?.stats();
    const raw = this.raw.stats();
    return {
      objectsAllocated: objects.allocated,
      objectsFreed: objects.freed,
      liveObjects: objects.allocated - objects.freed,
      heapBytes: this.heapBytes,
      liveBytes: (small?.liveBytes ?? 0) + raw.liveBytes,
      collections,
      pausesMs: history.map((h) => h.pauseMs),
    };
  }

  /**
   * Bytes mapped for the heap now: pymalloc's arenas and the free store's regions (the same
   * figure as `stats().heapBytes`, without walking the pools; cheap enough for every step).
   */
  get heapBytes(): number {
    return this.pages.mappedBytes + (this.process?.brkPageSource.mappedBytes ?? 0);
  }

  /**
   * Calls `visit` with the address of every root: variables of every frame, objects held by
   * handles, temporaries in flight, the code's key constants, and any trace run's own state.
   * What is reachable from these is alive to a tracing collector; the rest is garbage.
   */
  forEachRoot(visit: (address: number) => void): void {
    this.#roots(visit);
  }

  /** A JavaScript view of a value: scalars as themselves, others by type and address. */
  value(h: Handle): PyValue {
    const o = this.addressOf(h);
    const m = this.objects;
    if (o === m.none) return null;
    if (o === m.true) return true;
    if (o === m.false) return false;
    const type = m.typeName(o);
    if (type === "int") {
      const v = m.intValue(o);
      return typeof v === "bigint" ? v : v;
    }
    if (type === "float") return m.floatValue(o);
    if (type === "str") return m.strValue(o);
    return { type, address: o };
  }

  /** `type(o).__name__`. */
  typeName(h: Handle): string {
    return this.objects.typeName(this.addressOf(h));
  }

  /** `sys.getsizeof(o)`. */
  sizeof(h: Handle): number {
    return this.objects.sizeOf(this.addressOf(h));
  }

  /** A second handle to the same object (a new reference). */
  share(h: Handle): Handle {
    const o = this.addressOf(h);
    this.strategy.incref(o);
    return this.#own(o);
  }

  /** Whether two handles refer to the same object (`a is b`). */
  is(a: Handle, b: Handle): boolean {
    return this.addressOf(a) === this.addressOf(b);
  }

  // ------------------------------------------------------------------ frames

  /** Binds a module-level variable to a new reference to `value`. */
  setGlobal(name: string, value: Handle): void {
    const o = this.addressOf(value);
    this.strategy.incref(o);
    const old = this.frames.module.set(name, o);
    if (old !== 0) this.strategy.decref(old);
  }

  /** A new handle to a module-level variable. @throws PythonError NameError */
  getGlobal(name: string): Handle {
    const o = this.frames.module.get(name);
    if (o === 0) raise("NameError", `name '${name}' is not defined`);
    this.strategy.incref(o);
    return this.#own(o);
  }

  /** `del name` at module level. @throws PythonError NameError */
  delGlobal(name: string): void {
    const old = this.frames.module.delete(name);
    if (old === 0) raise("NameError", `name '${name}' is not defined`);
    this.strategy.decref(old);
  }

  /**
   * Runs `body` in a new function frame: its locals are roots while it runs and are released
   * in slot order on return. Raises RecursionError, with the stack unchanged, past the limit,
   * and also when the JavaScript stack runs out first (calls nested in JavaScript recursion
   * under a high `recursionLimit`), as CPython raises it when its C stack would.
   */
  call<T>(name: string, body: (frame: FrameScope) => T): T {
    this.#startProcess();
    const depth = this.frames.depth;
    const frame = this.frames.push(name, "<runtime>", []);
    try {
      return body({
        set: (local, value) => {
          const o = this.addressOf(value);
          this.strategy.incref(o);
          const old = frame.set(local, o);
          if (old !== 0) this.strategy.decref(old);
        },
        get: (local) => {
          const o = frame.get(local) || this.frames.module.get(local);
          if (o === 0) raise("NameError", `name '${local}' is not defined`);
          this.strategy.incref(o);
          return this.#own(o);
        },
      });
    } catch (error) {
      throw isStackExhausted(error)
        ? new PythonError("RecursionError", "maximum recursion depth exceeded")
        : error;
    } finally {
      this.#popThrough(frame, depth);
    }
  }

  /**
   * Pops and releases function frames through `frame`, pushed at `depth`. Normally that is the
   * one frame of the call ending, but a deeper call whose own clean-up failed (the JavaScript
   * stack ran out in it) may have left its frame above: it goes too, or it would outlive its
   * call unnoticed.
   */
  #popThrough(frame: Frame, depth: number): void {
    let failure: unknown;
    let failed = false;
    while (this.frames.depth > depth && this.frames.top !== this.frames.module) {
      const top = this.frames.top;
      try {
        this.frames.pop(top);
      } catch (error) {
        // A pop that faults has still popped the frame (see FrameStack.pop).
        if (!failed) failure = error;
        failed = true;
      }
      for (const o of top.clear()) this.strategy.decref(o);
      if (top === frame) break;
    }
    if (failed) throw failure;
  }

  // ------------------------------------------------------------------ internals

  /** The address behind a handle of this runtime. @throws StaleHandleError */
  addressOf(h: Handle): number {
    if (this.#disposed)
      throw new StaleHandleError("this runtime was disposed; its handles are stale");
    return addressOf(this, h);
  }

  /** @internal Temporaries: objects held between evaluation and storage. */
  get temps(): number[] {
    return this.#temps;
  }

  /** A dict key written in code: one interned str per value, alive for good. */
  #keyConstant(value: string): number {
    let key = this.#constants.get(value);
    if (key === undefined) {
      key = this.objects.staticStr(value) ?? this.objects.newStr(value);
      this.#constants.set(value, key);
    }
    return key;
  }

  /** @internal Whether `o` is one of the key constants (alive for the runtime's whole life). */
  isConstant(o: number): boolean {
    return this.#isConstant(o);
  }

  #isConstant(o: number): boolean {
    for (const key of this.#constants.values()) if (key === o) return true;
    return false;
  }

  /**
   * `sys.getrefcount(o) - 1`: the references variables and objects hold. Under strategies
   * without counts it is counted by scanning the roots and every live container.
   */
  referenceCount(o: number): number {
    if (this.capabilities.refcounts) return this.strategy.rc.refcount(o);
    let count = 0;
    this.#roots((root) => {
      if (root === o) count++;
    }, false);
    for (const object of this.space.objects()) {
      if (!this.space.typeOf(object).isGc) continue;
      for (const ref of this.objects.referents(object)) if (ref === o) count++;
    }
    return count;
  }

  /**
   * Adds an observer of the runtime's allocations, frees (by count, or by which generation's
   * collection), finalizers, weakref callbacks and collections; returns its removal. See
   * {@link RuntimeObserver} for when events arrive.
   */
  observe(observer: RuntimeObserver): () => void {
    return this.#observers.add(observer);
  }

  /**
   * A snapshot of the runtime for tools: objects, frames, generations and pymalloc's arenas and
   * pools, as they are now (a copy: it does not change as the program runs).
   */
  inspect(): RuntimeSnapshot {
    return inspect(this);
  }

  /**
   * Checks every structure of the runtime: the allocators' pools and free lists, the object
   * space, the collector's lists, the handles (each names a live object), and, with a process,
   * the process itself and its stack (one native frame per function frame, each declared local
   * holding the virtual address of its object).
   * @throws HeapCorruptionError (or a subclass) naming the first broken structure.
   */
  verify(): void {
    this.pymalloc?.verify();
    this.raw.verify();
    for (const domain of [this.obj, this.mem]) if (domain !== this.raw) domain.verify();
    this.space.verify();
    this.strategy.verify();
    for (const o of this.#handles.keys()) {
      if (!this.space.isLive(o)) {
        throw new HeapCorruptionError(
          "handles",
          o,
          "a handle refers to an object that is not live",
        );
      }
    }
    for (const frame of this.frames.frames()) {
      for (const [name, o] of frame.bindings()) {
        if (!this.space.isLive(o)) {
          throw new HeapCorruptionError(
            `frame ${frame.name}`,
            o,
            `variable '${name}' refers to an object that is not live`,
          );
        }
      }
    }
    if (this.process) this.#verifyProcess(this.process);
  }

  #verifyProcess(proc: Process): void {
    proc.verify();
    const native = proc.frames();
    const frames = [...this.frames.frames()].reverse().slice(1); // outermost first, no module
    if (native.length !== frames.length) {
      throw new HeapCorruptionError(
        "process stack",
        proc.rsp,
        `${native.length} native frames for ${frames.length} function frames`,
      );
    }
    frames.forEach((frame, i) => {
      const slots = [...(frame.locals ?? [])];
      const { localsAddress } = native[i]!;
      slots.forEach((name, slot) => {
        const o = frame.get(name);
        const stored = proc.readU64Number(localsAddress + slot * 8);
        if (stored !== (o === 0 ? 0 : proc.virtualAddressOf(o))) {
          throw new HeapCorruptionError(
            "process stack",
            localsAddress + slot * 8,
            `the slot of local '${name}' of ${frame.name} does not hold its object's address`,
          );
        }
      });
    });
  }

  /**
   * Ends the runtime: nothing more is released or finalized (like CPython, which skips teardown
   * of what is still alive), and every handle becomes stale.
   */
  [Symbol.dispose](): void {
    this.#disposed = true;
    this.#handles.clear();
  }

  /** Whether the runtime was disposed. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /**
   * Interns one of a trace's strings into rodata. A trace whose strings overflow the constants
   * area is the trace's doing, as a program too big for its image would be: a TraceError at the
   * line of the string that does not fit.
   */
  #internConstant(proc: Process, constant: string, line: number, file: string | undefined): void {
    try {
      proc.intern(constant);
    } catch (error) {
      if (!(error instanceof OutOfMemoryError)) throw error;
      const area = proc.constantsArea!;
      const bytes = new TextEncoder().encode(constant).length + 1;
      throw new TraceError(
        line,
        `the program's names and strings do not fit the process's ${area.capacity / 1024} KiB constants area in rodata (${area.used} bytes used; a string of ${bytes} bytes with its NUL does not fit)`,
        file,
      );
    }
  }

  #startProcess(): void {
    if (this.process && !this.process.started) this.process.start();
  }

  #own(address: number): Handle {
    this.#handles.set(address, (this.#handles.get(address) ?? 0) + 1);
    return new Handle(this, address, (o) => {
      if (this.#disposed) return;
      const n = this.#handles.get(o)! - 1;
      if (n === 0) this.#handles.delete(o);
      else this.#handles.set(o, n);
      this.strategy.decref(o);
    });
  }

  #expectList(h: Handle): number {
    const o = this.addressOf(h);
    if (this.objects.typeName(o) !== "list") {
      raise("AttributeError", `'${this.objects.typeName(o)}' object has no attribute 'append'`);
    }
    return o;
  }

  /** Every root: frame variables, handles, temporaries, key constants, extra sources. */
  #roots(visit: (object: number) => void, withConstants = true): void {
    for (const frame of this.frames.frames()) for (const [, o] of frame.bindings()) visit(o);
    for (const o of this.#handles.keys()) visit(o);
    for (const o of this.#temps) visit(o);
    if (withConstants) for (const o of this.#constants.values()) visit(o);
    for (const source of this.#extraRoots) for (const o of source()) visit(o);
  }

  #traceback(): TraceFrame[] {
    return [...this.frames.frames()].map((f) => ({ filename: f.filename, lineno: f.lineno }));
  }

  #unraisable(error: unknown, where: string): void {
    const detail =
      error instanceof PythonError
        ? `${error.pythonType}: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error);
    this.log(`Exception ignored in: ${where}\n${detail}`);
  }

  /**
   * The kinds' untrack rules: CPython untracks tuples in every collection and dicts in full ones
   * (fact 39).
   */
  #installUntrackRules(): void {
    for (const rule of this.objects.untrackRules()) this.strategy.addUntrackRule(rule);
  }
}
