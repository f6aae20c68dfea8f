// Public types of the runtime: configuration, strategy names and capabilities.

import type { CollectorCapabilities } from "@mm/gen-gc";
import type { ElfImage, FileIdentity } from "@mm/layout";
import type { StrategyRegistry } from "./registry.js";

/**
 * The allocator of small objects, a name registered in the runtime's {@link StrategyRegistry}.
 * Built in: `pymalloc` (CPython's pools of blocks up to 512 bytes) and `malloc` (the free store
 * for every block).
 */
export type AllocatorName = "pymalloc" | "malloc" | (string & {});

/**
 * The memory-management strategy, a name registered in the runtime's {@link StrategyRegistry}.
 * Built in:
 * - `cpython`: reference counting plus the generational cycle collector (CPython 3.11);
 * - `refcount`: reference counting alone; cycles leak;
 * - `tracing`: no reference counts; mark-sweep from the roots, paced by allocation volume;
 * - `none`: nothing is ever freed (the baseline every comparison needs).
 */
export type CollectorName = "cpython" | "refcount" | "tracing" | "none" | (string & {});

/** A CPython version whose collector numbers the runtime pins. */
export type PresetName = "3.11" | "3.13";

/** What a strategy needs and offers (gen-gc's `CollectorCapabilities` under its runtime name). */
export type StrategyCapabilities = CollectorCapabilities;

/**
 * The process a runtime lives in, when {@link RuntimeOptions.process} asks for one. The file
 * identity (`path`, device and inode) is what its maps show for the image.
 */
export interface ProcessSpec extends FileIdentity {
  /** The process id shown by its views. @defaultValue `1` */
  readonly pid?: number;
  /**
   * The stack limit (`ulimit -s`); it also places `mmap_base`. It comes out of `heapBytes`,
   * which backs every mapped page of the process.
   * @defaultValue `8388608` (8 MiB)
   */
  readonly stackBytes?: number;
  /**
   * The program's string constants, interned into rodata when the process is loaded. A trace
   * run on a process that has not started adds its own (names and string literals) first.
   * A process loaded from `elf` has no constants area: its rodata is the file's own.
   * @defaultValue none
   */
  readonly constants?: readonly string[];
  /**
   * A real executable to load as the process's image (from `@mm/layout`'s `parseElf`), for
   * instance the python3.11 binary itself, instead of a modelled interpreter image.
   * @defaultValue a modelled image: the interpreter's text and a rodata of constants
   */
  readonly elf?: ElfImage;
}

/** Options of {@link Runtime}. Each may also come from the environment (see `env`). */
export interface RuntimeOptions {
  /**
   * The most memory the heap may use, in bytes.
   * @defaultValue `536870912` (512 MiB)
   */
  readonly heapBytes?: number;
  /**
   * Map the whole heap (`heapBytes`) when the runtime is made, so that its growth never
   * replaces the engine's buffer. Once any buffer in a process has been detached (a
   * `WebAssembly.Memory` detaches its old buffer each time it grows), V8 compiles every later
   * typed-array access with a detach check: with a reserved heap the Python benchmark programs
   * run 1–6% fewer instructions. It is off by default because a process that makes and drops
   * several such runtimes (the heap-shapes benchmark makes seven) ran its frees about twice as
   * slowly with it: the engine collects the large dead memories at other moments, and the
   * optimised code that embedded their objects is thrown away and compiled again with less
   * inlining (the README has the measurements). Only address space is taken; pages become resident when they
   * are first touched, as they do without it; where the engine cannot map the range at once,
   * the heap grows as it would without.
   * @defaultValue `false`
   */
  readonly reserveHeap?: boolean;
  /**
   * Where the reference counter's in-place deaths run (the cascade of a list's, a tuple's, an
   * instance's, a dict's release and what only they kept alive): `"wasm"`, a WebAssembly module
   * over the heap's memory that unlinks, drops and calls the object layer's free at the same
   * moments and in the same order, or `"js"`, the counter's JavaScript loops. Both free the
   * same blocks in the same order with the same statistics; where the heap's memory cannot hold
   * the module's table (it is no `WebAssembly.Memory` with room for side tables) or the
   * collector has no in-place release, `"wasm"` runs the JavaScript loops. Also
   * `MM_RELEASES=wasm|js`. The default is `"js"`: with every free still a call out of the
   * module, `"wasm"` took more wall time than the loops in the heap-shape benchmark.
   * @defaultValue `"js"`
   */
  readonly releases?: "wasm" | "js";
  /**
   * The small-object allocator, by its name in `registry`. `MM_ALLOCATOR` sets it as
   * `PYTHONMALLOC` does: `default`, `debug`, or a registered name, optionally followed by
   * `_debug` (`pymalloc`, `malloc`, `pymalloc_debug`, `malloc_debug`, ...).
   * @defaultValue `"pymalloc"`
   */
  readonly allocator?: AllocatorName;
  /**
   * Wraps the allocators with CPython's debug hooks (guard bytes, API ids, dead-byte fills).
   * @defaultValue `false`, or true when `MM_ALLOCATOR` ends in `debug`
   */
  readonly debugHooks?: boolean;
  /**
   * The memory-management strategy, by its name in `registry`. `MM_COLLECTOR` sets it.
   * @defaultValue `"cpython"`
   */
  readonly collector?: CollectorName;
  /**
   * Where `collector` and `allocator` are looked up: a user's own strategies are registered
   * there (see {@link StrategyRegistry}).
   * @defaultValue `defaultRegistry`
   */
  readonly registry?: StrategyRegistry;
  /**
   * Which CPython's collector numbers to use (thresholds). Only a generational collector has them.
   * @defaultValue `"3.11"`
   */
  readonly preset?: PresetName;
  /**
   * Lives inside a modelled x86-64 Linux process (`@mm/layout`): pymalloc's arenas come from
   * its mmap region, the free store from its brk heap, function frames from its stack (a call
   * too deep for the stack limit throws `StackOverflowError`) and the program's strings from its
   * rodata. `true` takes the defaults of {@link ProcessSpec}.
   * @defaultValue `false`
   */
  readonly process?: boolean | ProcessSpec;
  /**
   * The recursion limit (`sys.getrecursionlimit`).
   * @defaultValue `1000`
   */
  readonly recursionLimit?: number;
  /**
   * For a collector that traces from the roots (`tracing`, or one of yours whose capabilities
   * say `roots`): collect after this many bytes allocated since the last one.
   * @defaultValue `4194304` (4 MiB)
   */
  readonly tracingBytes?: number;
  /**
   * Stress mode, for finding bugs: a collection at every allocation a collection can follow
   * (the `cpython` collector: every container allocation, the generation rotating as CPython's
   * counts pick it; `tracing`: every allocation) and every structure verified ({@link
   * Runtime.verify}) after every trace op and every line a front end reports. Slow: for tests.
   * `MM_GC_STRESS=1` turns it on.
   * @defaultValue `false`, or true when `MM_GC_STRESS` is `1`
   */
  readonly stress?: boolean;
  /**
   * Under {@link RuntimeOptions.stress}, verify after every n-th op instead of every op: a
   * verification walks the whole heap, so a long-running program under stress spends its time
   * there. The collection at every allocation is kept.
   * @defaultValue `1`
   */
  readonly stressVerifyEvery?: number;
  /**
   * Where `MM_ALLOCATOR`, `MM_COLLECTOR` and `MM_GC_STRESS` are read from; options given here
   * win over them.
   * @defaultValue `process.env`
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where debug output and unraisable exceptions go. @defaultValue `console.error` */
  readonly log?: (line: string) => void;
}
