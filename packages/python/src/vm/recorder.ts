// The step recorder: what a program did line by line, as plain data a visualiser can replay.
// Each executed line becomes a step holding the frames as they stand when the line is over,
// the memory events the line caused (allocations, frees and their causes, finalizers, weakref
// callbacks, collections), what it printed, and optionally the objects the frames reach.
//
// It listens in two places: the interpreter's line hook (between instructions, where the heap
// is consistent and may be read) and the runtime's observer (mid-operation, where it may not:
// events are only copied there). A step is closed, and its frames read, at the next line event.

import {
  type FreeCause,
  type ObjectView,
  objectInspector,
  type Ref,
  type RuntimeEvent,
} from "@mm/runtime";
import { floatRepr } from "../text/float.js";
import type { Interpreter, VMFrame } from "./interpreter.js";
import { Cell, ModuleObj } from "./layouts.js";
import { type RunOptions, runPython } from "./run.js";

/** The `version` of {@link PyTrace}; it changes when a field changes meaning or goes away. */
export const PY_TRACE_VERSION = 1;

/**
 * How a recorded object died: its count reached zero, or a collection of `generation` freed it
 * (the runtime's own {@link FreeCause}).
 */
export type RecordedFreeCause = FreeCause;

/** One memory event, as the runtime reported it (addresses are `id()` values). */
export type RecordedEvent = RuntimeEvent;

/** A variable bound in a frame: its name and the address of its object. */
export interface RecordedVariable {
  readonly name: string;
  readonly address: number;
}

/** One frame of the stack. */
export interface RecordedFrame {
  /** The code's name: `<module>`, a function's name, a class body's name. */
  readonly name: string;
  /** The line the frame is at. */
  readonly line: number;
  /**
   * Its bound variables: a function's locals in slot order (cells and free variables by the
   * object they hold), the module's globals in insertion order (without `__name__`, `__file__`, `__builtins__` and the like).
   */
  readonly variables: readonly RecordedVariable[];
}

/** An object reachable from the frames' variables, as it was when the step ended. */
export interface RecordedObject {
  readonly address: number;
  /** `type(o).__name__`. */
  readonly type: string;
  /** `sys.getrefcount(o) - 1`. */
  readonly refcount: number;
  /** `sys.getsizeof(o)`. */
  readonly size: number;
  /** `gc.is_tracked(o)`. */
  readonly tracked: boolean;
  /** Its generation (0 to 2), `"permanent"` after `gc.freeze()`, null when not tracked. */
  readonly generation: 0 | 1 | 2 | "permanent" | null;
  /** Its repr, cut to {@link RecorderOptions.reprLength} characters (`…` marks the cut). */
  readonly repr: string;
  /** The objects it refers to (`gc.get_referents(o)`; a list's or tuple's items in order). */
  readonly references: readonly number[];
  /** `gc.is_finalized(o)`: its `__del__` has run (it was resurrected if it is still here). */
  readonly finalized: boolean;
  /**
   * Whether a frame's variable reaches it. False for a container the program made that is
   * still alive though no variable reaches it (a cycle waiting for the collector, a leak, or
   * one the interpreter holds, such as a loop's iterator), and for what it reaches.
   */
  readonly reachable: boolean;
}

/** The collector's state when a step ended, as the `gc` module reports it. */
export interface RecordedGcState {
  /** `gc.isenabled()`. */
  readonly enabled: boolean;
  /** `gc.get_count()`; empty under a collector without generations. */
  readonly counts: readonly number[];
  /** `gc.get_threshold()`; empty under a collector without generations. */
  readonly thresholds: readonly number[];
  /** `gc.get_stats()[g]["collections"]`: collections of each generation so far. */
  readonly collections: readonly number[];
  /** `gc.get_stats()[g]["collected"]`: unreachable objects each generation's collections found. */
  readonly collected: readonly number[];
  /** `len(gc.garbage)`: objects the collector found but could not free (or kept, with `DEBUG_SAVEALL`). */
  readonly garbage: number;
}

/** One of pymalloc's pools when a step ended. */
export interface RecordedPool {
  /** The pool's address (its header; pools are aligned on their size). */
  readonly address: number;
  /** The index of the arena it was carved from. */
  readonly arena: number;
  /** `used`, `full` or `empty`, CPython's three states. */
  readonly state: "used" | "full" | "empty";
  /** Its size class (for an empty pool, the class it last held). */
  readonly sizeClass: number;
  /** Blocks handed out. */
  readonly blocksInUse: number;
}

/** pymalloc's arenas and pools when a step ended. */
export interface RecordedHeap {
  /** `ALIGNMENT`: class `c` holds blocks of `(c + 1) * alignment` bytes. */
  readonly alignment: number;
  /** `POOL_SIZE`. */
  readonly poolSize: number;
  /** `POOL_OVERHEAD`: the offset of a pool's first block. */
  readonly poolOverhead: number;
  /** `ARENA_SIZE`. */
  readonly arenaSize: number;
  /** The arenas allocated, by index. */
  readonly arenas: ReadonlyArray<{
    readonly index: number;
    readonly address: number;
    readonly totalPools: number;
  }>;
  /** Every carved pool, in address order. */
  readonly pools: readonly RecordedPool[];
}

/** One executed line. */
export interface RecordedStep {
  /** The line that ran. */
  readonly line: number;
  /** The name of the code it is in: `<module>`, a function's, a class body's. */
  readonly function: string;
  /** The file it is in. */
  readonly filename: string;
  /**
   * The stack when the line was over, outermost frame first: the line's frame last, or a frame
   * it called last (a call's line is recorded again, as a new step, when the call returns).
   */
  readonly frames: readonly RecordedFrame[];
  /** The memory events the line caused, in order. */
  readonly events: readonly RecordedEvent[];
  /** What the line printed to stdout. */
  readonly stdout: string;
  /** The objects the frames reach, when {@link RecorderOptions.objects} asked for them. */
  readonly objects?: readonly RecordedObject[];
  /** The collector's state, when {@link RecorderOptions.objects} asked for snapshots. */
  readonly gc?: RecordedGcState;
  /** pymalloc's arenas and pools, when {@link RecorderOptions.pools} asked for them. */
  readonly heap?: RecordedHeap;
}

/** Counts of what a recording saw from the program's first line, including the lines past its budget. */
export interface RecordingSummary {
  /** Lines executed (line events), recorded or not. */
  readonly lines: number;
  /** Steps recorded in full. */
  readonly recorded: number;
  /** Events by kind, over the whole run. */
  readonly events: Readonly<Record<RecordedEvent["kind"], number>>;
  /** Objects freed by their count reaching zero, and by each generation's collections. */
  readonly freedBy: { readonly refcount: number; readonly collection: readonly number[] };
}

/** A recording: the JSON `mm py --trace-out` writes. */
export interface PyTrace {
  readonly format: "mm-py-trace";
  readonly version: typeof PY_TRACE_VERSION;
  readonly filename: string;
  /** The program's source. */
  readonly source: string;
  /** The exit status python3 would give. */
  readonly status: number;
  /** The steps recorded in full, in order. */
  readonly steps: readonly RecordedStep[];
  /** Whether the run went past the step budget (later lines are only counted in `summary`). */
  readonly truncated: boolean;
  /** The step budget. */
  readonly budget: number;
  readonly summary: RecordingSummary;
  /** What the program wrote to stderr (tracebacks). */
  readonly stderr: string;
}

/** Options of {@link StepRecorder}. */
export interface RecorderOptions {
  /** Steps recorded in full; later ones are counted only. @defaultValue 10000 */
  readonly budget?: number;
  /** Whether each step lists the objects its frames reach. @defaultValue false */
  readonly objects?: boolean;
  /**
   * Whether each step recorded in full also holds pymalloc's arenas and pools (when pymalloc is
   * the allocator). @defaultValue false
   */
  readonly pools?: boolean;
  /**
   * The most objects a snapshot lists (the nearest to the variables first): a visualiser shows
   * tens, and a program may reach thousands. @defaultValue `Infinity`
   */
  readonly objectLimit?: number;
  /** The longest repr kept in an object snapshot. @defaultValue 80 */
  readonly reprLength?: number;
  /** Called with each step as it is closed (even past the budget, without `objects`). */
  readonly onStep?: (step: RecordedStep) => void;
}

/** The step being recorded: its frame and line. */
interface OpenStep {
  readonly frame: VMFrame;
  readonly line: number;
}

/** Types whose referents lead to the whole interpreter (globals, builtins, classes). */
const LEAVES = new Set([
  "type",
  "module",
  "function",
  "code",
  "builtin_function_or_method",
  "method",
  "frame",
]);

/** Containers the interpreter and its library keep for themselves, never stranded data. */
const MACHINERY = new Set(["weakref", "KeyedRef", "tuple", "cell"]);

/** Names every module or class namespace has, which say nothing about the program. */
const HOUSEKEEPING = new Set([
  "__name__",
  "__doc__",
  "__package__",
  "__loader__",
  "__spec__",
  "__annotations__",
  "__builtins__",
  "__file__",
  "__cached__",
  "__module__",
  "__qualname__",
]);

/**
 * Records an {@link Interpreter}'s run step by step. Attach it before the program runs, feed it
 * the program's stdout with {@link StepRecorder.write}, and call {@link StepRecorder.finish}
 * when the run is over.
 */
export class StepRecorder {
  readonly #vm: Interpreter;
  readonly #budget: number;
  readonly #objects: boolean;
  readonly #pools: boolean;
  readonly #objectLimit: number;
  readonly #reprLength: number;
  readonly #onStep: ((step: RecordedStep) => void) | undefined;
  readonly #steps: RecordedStep[] = [];
  readonly #detach: () => void;
  #open: OpenStep | null = null;
  /** Steps over, whose frames are read at the next safe point (see #event). */
  #waiting: Array<{ open: OpenStep; events: RecordedEvent[]; stdout: string }> = [];
  #events: RecordedEvent[] = [];
  #stdout = "";
  #lines = 0;
  /** The module frame's globals, read at the end when no frame is left. */
  #moduleGlobals = 0;
  readonly #counts: Record<RecordedEvent["kind"], number> = {
    allocate: 0,
    free: 0,
    finalize: 0,
    "weakref-callback": 0,
    collect: 0,
  };
  #freedByCount = 0;
  readonly #freedByCollection = [0, 0, 0];
  #finished = false;
  /** The objects the program allocated that are still alive, in allocation order. */
  readonly #live = new Set<number>();

  constructor(vm: Interpreter, options: RecorderOptions = {}) {
    this.#vm = vm;
    this.#budget = options.budget ?? 10_000;
    this.#objects = options.objects ?? false;
    this.#pools = options.pools ?? false;
    this.#objectLimit = options.objectLimit ?? Number.POSITIVE_INFINITY;
    this.#reprLength = options.reprLength ?? 80;
    this.#onStep = options.onStep;
    if (vm.onLine !== undefined) throw new Error("the interpreter already has a line hook");
    vm.onLine = (frame, line) => this.#line(frame, line);
    const stop = vm.py.observe((event) => this.#event(event));
    this.#detach = () => {
      stop();
      vm.onLine = undefined;
    };
  }

  /** Program output to attribute to the current step (pass the interpreter's stdout through here). */
  write(text: string): void {
    this.#stdout += text;
  }

  /** Whether steps are past the budget (counted, not recorded). */
  get truncated(): boolean {
    return this.#lines > this.#budget;
  }

  /** The steps recorded so far. */
  get steps(): readonly RecordedStep[] {
    return this.#steps;
  }

  /** The counts so far. */
  summary(): RecordingSummary {
    return {
      lines: this.#lines,
      recorded: this.#steps.length,
      events: { ...this.#counts },
      freedBy: { refcount: this.#freedByCount, collection: [...this.#freedByCollection] },
    };
  }

  /**
   * Closes the last step (the frames are gone by now: it shows the module's globals) and stops
   * listening. Call it after the run, before the runtime is disposed.
   */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#vm.builtins.flush();
    this.#close();
    this.#detach();
  }

  #line(frame: VMFrame, line: number): void {
    // Output the interpreter holds back belongs to the line that printed it.
    this.#vm.builtins.flush();
    this.#close();
    // The caller is at its line again when this frame returns: make that a step of its own,
    // so what the rest of the caller's line does is not put on the callee's last line.
    if (frame.back !== null) frame.back.line = 0;
    if (frame.func === 0 && frame.locals === frame.globals && frame.back === null)
      this.#moduleGlobals = frame.globals;
    this.#open = { frame, line };
    this.#lines++;
  }

  #event(event: RuntimeEvent): void {
    // Mid-operation: copy, never read the heap. What comes before the first line (the code
    // object and its constants) is the interpreter's doing, not the program's.
    if (this.#lines === 0) return;
    this.#counts[event.kind]++;
    // The program's own objects: those its file's lines make (not a library module's insides).
    if (event.kind === "allocate") {
      if (this.#open?.frame.code.unit.filename === this.#vm.filename) this.#live.add(event.address);
    } else if (event.kind === "free") this.#live.delete(event.address);
    if (event.kind === "free") {
      if (event.cause.by === "refcount") this.#freedByCount++;
      else
        this.#freedByCollection[event.cause.generation] =
          (this.#freedByCollection[event.cause.generation] ?? 0) + 1;
    }
    if (this.#lines > this.#budget && this.#onStep === undefined) return;
    const top = this.#vm.top;
    if (this.#open !== null && top !== null && top !== this.#open.frame) {
      // The line's frame has returned within an instruction of its caller (a class body
      // inside __build_class__, a finalizer inside a collection): what follows is the
      // caller's line again. Its frames are read at the next safe point, with the steps
      // still waiting for theirs.
      // Flushing the held-back output calls out to JavaScript only: safe mid-operation.
      this.#vm.builtins.flush();
      this.#waiting.push({ open: this.#open, events: this.#events, stdout: this.#stdout });
      this.#events = [];
      this.#stdout = "";
      this.#open = { frame: top, line: top.code.unit.lines[top.lasti] ?? 0 };
    }
    if (this.#open !== null) this.#events.push(copyEvent(event));
  }

  #close(): void {
    const closing = this.#waiting;
    if (this.#open !== null)
      closing.push({ open: this.#open, events: this.#events, stdout: this.#stdout });
    this.#waiting = [];
    this.#events = [];
    this.#stdout = "";
    this.#open = null;
    if (closing.length === 0) return;
    const within = this.#lines <= this.#budget;
    if (!within && this.#onStep === undefined) return;
    const frames = this.#frames();
    const objects = this.#objects && within ? this.#reachable(frames) : undefined;
    const gc = this.#objects && within ? this.#gcState() : undefined;
    const heap = this.#pools && within ? this.#heap() : undefined;
    for (const { open, events, stdout } of closing) {
      const step: RecordedStep = {
        line: open.line,
        function: open.frame.code.unit.name,
        filename: open.frame.code.unit.filename,
        frames,
        events,
        stdout,
        ...(objects !== undefined ? { objects } : {}),
        ...(gc !== undefined ? { gc } : {}),
        ...(heap !== undefined ? { heap } : {}),
      };
      if (within) this.#steps.push(step);
      this.#onStep?.(step);
    }
  }

  /** The stack as it stands, outermost first; the module's globals once it has gone. */
  #frames(): RecordedFrame[] {
    const frames: RecordedFrame[] = [];
    for (let f = this.#vm.top; f !== null; f = f.back) frames.push(this.#frame(f));
    frames.reverse();
    if (frames.length === 0 && this.#moduleGlobals !== 0)
      frames.push({ name: "<module>", line: 0, variables: this.#globals(this.#moduleGlobals) });
    return frames;
  }

  #frame(f: VMFrame): RecordedFrame {
    const unit = f.code.unit;
    const line = unit.lines[f.lasti] ?? 0;
    if (f.locals !== 0) return { name: unit.name, line, variables: this.#globals(f.locals) };
    const py = this.#vm.py;
    const names = [...unit.varnames, ...unit.cellvars, ...unit.freevars];
    const variables: RecordedVariable[] = [];
    for (let i = 0; i < names.length; i++) {
      let o = f.fast[i] ?? 0;
      // Cells and free variables hold a cell: the variable is what the cell holds.
      if (o !== 0 && i >= unit.varnames.length && py.typeName(o) === "cell")
        o = py.getRef(o, Cell.contents);
      if (o !== 0) variables.push({ name: names[i]!, address: o });
    }
    return { name: unit.name, line, variables };
  }

  #globals(d: Ref): RecordedVariable[] {
    const py = this.#vm.py;
    const variables: RecordedVariable[] = [];
    for (const [key, value] of py.dictItems(d)) {
      if (py.typeName(key) !== "str") continue;
      const name = py.strValue(key);
      if (!HOUSEKEEPING.has(name)) variables.push({ name, address: value });
    }
    return variables;
  }

  /**
   * The objects the variables reach, breadth first from the innermost frame's; then the
   * containers the program made that are still alive though no variable reaches them (a cycle
   * waiting for the collector, or leaked), with what they reach.
   */
  #reachable(frames: readonly RecordedFrame[]): RecordedObject[] {
    const py = this.#vm.py;
    // One object at a time: a step shows tens of objects of the thousands alive.
    const read = objectInspector(this.#vm.runtime);
    const cache = new Map<number, ObjectView | undefined>();
    const views = {
      get: (address: number): ObjectView | undefined => {
        if (address === 0) return undefined;
        if (!cache.has(address)) cache.set(address, read(address));
        return cache.get(address);
      },
    };
    const seen = new Set<number>();
    const objects: RecordedObject[] = [];
    const walk = (queue: number[], reachable: boolean) => {
      for (let i = 0; i < queue.length && objects.length < this.#objectLimit; i++) {
        const address = queue[i]!;
        if (seen.has(address)) continue;
        seen.add(address);
        const view = views.get(address);
        if (view === undefined) continue;
        // A sequence's items in index order (the traversal's order is its own).
        const references =
          view.type === "list" || view.type === "tuple" ? py.items(address) : view.referents;
        objects.push({
          address,
          type: view.type,
          refcount: view.refcount,
          size: py.sizeof(address),
          tracked: view.tracked,
          generation: view.generation ?? null,
          repr: this.#repr(address, view.type),
          references,
          finalized: view.finalized,
          reachable,
        });
        // Functions reach their globals, and through them everything: shown, not walked.
        if (!LEAVES.has(view.type)) queue.push(...references);
      }
    };
    const roots: number[] = [];
    for (let i = frames.length - 1; i >= 0; i--)
      for (const v of frames[i]!.variables) roots.push(v.address);
    walk(roots, true);
    // What the program made that is held by something not shown: the insides of functions
    // and classes (shown, not walked), a frame's value stack (a loop's iterator), a generator.
    // Only the program's own objects are followed: the interpreter's reach everything.
    const held = new Set<number>();
    const hidden: number[] = [];
    for (const address of seen)
      if (LEAVES.has(views.get(address)?.type ?? "")) hidden.push(address);
    for (let f = this.#vm.top; f !== null; f = f.back)
      hidden.push(...f.stack, f.func, f.generator, f.frameObject, f.locals, f.globals);
    // And what the interpreter holds for the program outside any frame: the text print keeps
    // pending in sys.stdout, the bases' tp_subclasses entries of its classes.
    this.#vm.runtime.forEachRoot((address) => {
      if (this.#live.has(address) && !seen.has(address)) hidden.push(address);
    });
    for (let i = 0; i < hidden.length; i++) {
      const view = views.get(hidden[i]!);
      if (view === undefined) continue;
      for (const r of view.referents)
        if (this.#live.has(r) && !seen.has(r) && !held.has(r)) {
          held.add(r);
          hidden.push(r);
        }
    }
    for (const address of hidden) held.add(address);
    // Only containers start the last walk: a scalar nothing shown holds is a temporary. (A
    // collector without generations tracks nothing: a container is then one that refers.)
    const stranded: number[] = [];
    for (const address of this.#live) {
      const view = views.get(address);
      if (view === undefined || seen.has(address) || held.has(address)) continue;
      // Functions, methods and weak references are the machinery's (a weak dictionary's
      // bound callbacks, its keyed references): what they hold is not the program's data.
      // Tuples no variable holds are the interpreter's too (call arguments, cached defaults).
      if (LEAVES.has(view.type) || MACHINERY.has(view.type)) continue;
      if (view.tracked || view.referents.length > 0) stranded.push(address);
    }
    walk(stranded, false);
    return objects;
  }

  /** What the `gc` module would report now (reading it changes nothing). */
  #gcState(): RecordedGcState {
    const runtime = this.#vm.runtime;
    const gc = runtime.gc;
    const generational = runtime.capabilities.generational;
    const stats = gc.getStats();
    // gc.garbage hands out new references: count them and give them straight back. The gc
    // module's list holds the entries the program has read (they move there from the collector).
    const garbage = gc.garbage;
    for (const h of garbage) h.release();
    const py = this.#vm.py;
    const gcModule = this.#vm.builtins.modules.get("gc");
    const listed = gcModule
      ? py.dictGet(py.getRef(gcModule, ModuleObj.dict), py.constant("garbage"))
      : 0;
    const read = listed && this.#vm.kindOf(listed) === "list" ? py.len(listed) : 0;
    return {
      enabled: gc.isEnabled(),
      counts: generational ? gc.getCount() : [],
      thresholds: generational ? gc.getThreshold() : [],
      collections: stats.map((s) => s.collections),
      collected: stats.map((s) => s.collected),
      garbage: garbage.length + read,
    };
  }

  /** pymalloc's arenas and pools now; undefined under another allocator. */
  #heap(): RecordedHeap | undefined {
    const pymalloc = this.#vm.runtime.pymalloc;
    if (pymalloc === undefined) return undefined;
    const { alignment, poolSize, poolOverhead, arenaSize } = pymalloc.geometry;
    return {
      alignment,
      poolSize,
      poolOverhead,
      arenaSize,
      arenas: pymalloc
        .arenaStats()
        .map((a) => ({ index: a.index, address: a.address, totalPools: a.totalPools })),
      pools: pymalloc
        .poolStats()
        .map((p) => ({
          address: p.address,
          arena: p.arenaIndex,
          state: p.state,
          sizeClass: p.sizeClass,
          blocksInUse: p.blocksInUse,
        }))
        .sort((a, b) => a.address - b.address),
    };
  }

  /**
   * A repr that runs no Python code (a `__repr__` could change the heap being recorded):
   * CPython's text for scalars and for lists, tuples and dicts of them, `<type object at
   * 0x…>` for the rest. Cut to the repr length, `…` marking the cut.
   */
  #repr(address: number, type: string): string {
    const limit = this.#reprLength;
    const text = this.#reprOf(address, type, 0);
    return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
  }

  #reprOf(o: Ref, type: string, depth: number): string {
    const py = this.#vm.py;
    const opaque = () => `<${type} object at ${hexAddress(o)}>`;
    try {
      switch (type) {
        case "int":
        case "str":
        case "bool":
        case "NoneType":
          return py.repr(o);
        case "float":
          return floatRepr(py.floatValue(o));
        case "list":
        case "tuple": {
          if (depth >= 3) return type === "list" ? "[...]" : "(...)";
          const items = this.#cut(py.items(o), (item) =>
            this.#reprOf(item, py.typeName(item), depth + 1),
          );
          if (type === "list") return `[${items}]`;
          return py.items(o).length === 1 ? `(${items},)` : `(${items})`;
        }
        case "dict": {
          if (depth >= 3) return "{...}";
          const entries = this.#cut(
            py.dictItems(o),
            ([k, v]) =>
              `${this.#reprOf(k, py.typeName(k), depth + 1)}: ${this.#reprOf(v, py.typeName(v), depth + 1)}`,
          );
          return `{${entries}}`;
        }
        default:
          return opaque();
      }
    } catch {
      return opaque();
    }
  }

  /** Items joined with ", ", stopping once the text is past the repr length. */
  #cut<T>(items: readonly T[], show: (item: T) => string): string {
    let text = "";
    for (const item of items) {
      if (text.length > this.#reprLength) break;
      text += text === "" ? show(item) : `, ${show(item)}`;
    }
    return text;
  }
}

function copyEvent(event: RuntimeEvent): RecordedEvent {
  switch (event.kind) {
    case "free":
      return {
        kind: "free",
        address: event.address,
        type: event.type,
        size: event.size,
        cause:
          event.cause.by === "refcount"
            ? { by: "refcount" }
            : { by: "collection", generation: event.cause.generation },
      };
    default:
      return { ...event };
  }
}

/** The hex form of an address, as `hex(id(o))` shows it. */
export function hexAddress(address: number): string {
  return `0x${address.toString(16)}`;
}

/** One event in plain words, for `mm py --explain`. */
export function describeEvent(event: RecordedEvent): string {
  switch (event.kind) {
    case "allocate":
      return `allocated ${event.type} (${event.size} bytes) at ${hexAddress(event.address)}`;
    case "free":
      return `freed ${event.type} (${event.size} bytes) at ${hexAddress(event.address)}: ${
        event.cause.by === "refcount"
          ? "its reference count reached zero"
          : `found unreachable by a generation ${event.cause.generation} collection`
      }`;
    case "finalize":
      return `ran the finalizer (__del__) of ${event.type} at ${hexAddress(event.address)}`;
    case "weakref-callback":
      return `ran the callback of the weak reference at ${hexAddress(event.weakref)}`;
    case "collect":
      return `collected generation ${event.generation}: ${event.collected} unreachable object${
        event.collected === 1 ? "" : "s"
      } found`;
  }
}

/**
 * A step in plain words: a heading naming the line (with its source when known) and one
 * indented line per event, the objects a variable now holds named by it. Empty when the step
 * had no events.
 */
export function describeStep(step: RecordedStep, sourceLine?: string): string {
  if (step.events.length === 0) return "";
  const names = new Map<number, string[]>();
  const innermost = step.frames.at(-1);
  for (const v of innermost?.variables ?? []) {
    const list = names.get(v.address) ?? [];
    list.push(v.name);
    names.set(v.address, list);
  }
  const place =
    step.function === "<module>" ? `line ${step.line}` : `line ${step.line} (${step.function})`;
  const where = sourceLine ? `${place}: ${sourceLine}` : place;
  const lines = [where];
  for (const event of step.events) {
    let text = describeEvent(event);
    if (event.kind === "allocate") {
      const held = names.get(event.address);
      if (held !== undefined) text += `, now ${held.join(", ")}`;
    }
    lines.push(`  ${text}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * What {@link recordPython} takes: {@link runPython}'s options and a recorder's. Its `stdout`
 * and `stderr` receive the program's output as well as the steps, and its `setup` runs after
 * the recorder is attached, its `teardown` after the recording is closed.
 */
export interface RecordOptions extends RecorderOptions, RunOptions {}

/**
 * Runs `source` as {@link runPython} does and records it. A program that does not compile is a
 * trace with no steps, its status {@link runPython}'s (1 for invalid Python, 2 for a construct
 * outside the subset) and the error on stderr.
 */
export function recordPython(source: string, options: RecordOptions = {}): PyTrace {
  const filename = options.filename ?? "<string>";
  let stderr = "";
  const err = (text: string) => {
    stderr += text;
    options.stderr?.(text);
  };
  let recorder: StepRecorder | undefined;
  let summary: RecordingSummary | undefined;
  const result = runPython(source, {
    // Everything runPython takes (argv, the process, files, stdin, buffering) as given.
    ...options,
    filename,
    stdout: (text) => {
      recorder?.write(text);
      options.stdout?.(text);
    },
    stderr: err,
    setup: (vm) => {
      recorder = new StepRecorder(vm, options);
      options.setup?.(vm);
    },
    teardown: (vm) => {
      recorder?.finish();
      summary = recorder?.summary();
      options.teardown?.(vm);
    },
  });
  const empty: RecordingSummary = {
    lines: 0,
    recorded: 0,
    events: { allocate: 0, free: 0, finalize: 0, "weakref-callback": 0, collect: 0 },
    freedBy: { refcount: 0, collection: [0, 0, 0] },
  };
  const budget = options.budget ?? 10_000;
  return {
    format: "mm-py-trace",
    version: PY_TRACE_VERSION,
    filename,
    source,
    status: result.status,
    steps: recorder?.steps ?? [],
    truncated: recorder?.truncated ?? false,
    budget,
    summary: summary ?? empty,
    stderr,
  };
}
