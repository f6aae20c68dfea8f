// Frames: the module frame and function frames, whose variables are the program's roots. A
// function frame's locals are released on return in the order its code numbers them (CPython's
// co_varnames), and the recursion limit guards the depth as sys.getrecursionlimit() does.

import { raise } from "./errors.js";

/**
 * A second home for function frames, beside this module's bookkeeping: a modelled machine
 * stack. The frame stack tells it of every push, pop and store to a declared local.
 */
export interface NativeFrames {
  /**
   * Makes room for `frame` and its `slots` declared locals. Throws (a stack overflow, say)
   * without changing anything when there is no room; the frame is then not pushed either.
   */
  push(frame: Frame, slots: number): void;
  /**
   * Releases the room of `frame`, the innermost frame, by returning from it. May throw (a
   * fault on the return) without changing anything; the frame stack then calls
   * {@link NativeFrames.unwind}.
   */
  pop(frame: Frame): void;
  /**
   * Abandons the room of `frame`, the innermost frame, without returning from it (as a
   * `longjmp` past it would): what the frame stack does when {@link NativeFrames.pop} threw.
   * Must not throw.
   */
  unwind(frame: Frame): void;
  /** Records that local `slot` of `frame` now holds `object` (0 when unbound). */
  store(frame: Frame, slot: number, object: number): void;
}

/**
 * The slots of a function's locals, in co_varnames order, and each name's slot: one per
 * `locals` array, shared by every frame pushed with it (see {@link slotLayout}).
 */
export class SlotLayout {
  /** The local names by slot. */
  readonly names: readonly string[];
  /** Each name's slot (the first, should a name be given twice). */
  readonly #index = new Map<string, number>();
  /** One 0 per slot: a new frame's slots are a copy of it (a packed array of small ints). */
  readonly #unbound: number[];

  constructor(names: readonly string[]) {
    this.names = [...names];
    this.#unbound = [];
    for (let slot = 0; slot < names.length; slot++) {
      const name = names[slot]!;
      if (!this.#index.has(name)) this.#index.set(name, slot);
      this.#unbound.push(0);
    }
  }

  /** The number of slots. */
  get size(): number {
    return this.names.length;
  }

  /** Whether `name` is one of the locals. */
  has(name: string): boolean {
    return this.#index.has(name);
  }

  /** The slot of `name`, or undefined when it is not a local. */
  slotOf(name: string): number | undefined {
    return this.#index.get(name);
  }

  /** A new array of unbound slots. */
  unbound(): number[] {
    return this.#unbound.slice();
  }

  /** The names in slot order. */
  [Symbol.iterator](): IterableIterator<string> {
    return this.names[Symbol.iterator]();
  }
}

/** The layout of each `locals` array a frame was pushed with. */
const layouts = new WeakMap<readonly string[], SlotLayout>();

/**
 * The slot layout of `locals`, made at its first push and shared by every later push with the
 * same array, as a code object's co_varnames is shared by its calls. A front end passes one
 * array per code object and does not change it afterwards (a changed length is noticed and a
 * new layout made; a name changed in place is not).
 */
export function slotLayout(locals: readonly string[]): SlotLayout {
  let layout = layouts.get(locals);
  if (layout === undefined || layout.size !== locals.length) {
    layout = new SlotLayout(locals);
    layouts.set(locals, layout);
  }
  return layout;
}

/**
 * One frame: its variables and where the program is in it. A function frame keeps its declared
 * locals in an array by slot (the name-to-slot map is its {@link SlotLayout}, shared by every
 * frame of the same code); names bound beyond them, and every variable of the module frame,
 * live in a map by name in the order they were first bound.
 */
export class Frame {
  /** The function's name (`<module>` for the module frame). */
  readonly name: string;
  /** The file (or label) the frame's code comes from, for tracemalloc's tracebacks. */
  filename: string;
  /** The current line, for tracebacks. */
  lineno = 0;
  /**
   * The declared locals (a function's): reading one that is unbound raises UnboundLocalError
   * instead of falling back to the module. Undefined for the module frame.
   */
  readonly locals: SlotLayout | undefined;
  /**
   * The declared locals' values by slot: an object address, or 0 when unbound. Written only
   * through the frame's methods, which keep a native mirror in step.
   */
  readonly slots: number[];
  /** The calling frame; a frame pushed again ({@link FrameStack.repush}) has a new one. */
  parent: Frame | undefined;
  /** @internal Whether the frame is on its stack (between a push and its pop). */
  onStack = false;
  /**
   * Variables by name beyond the declared slots, in first-binding order: every global of the
   * module frame, and names a function frame binds without declaring them. Made at first use.
   */
  #named: Map<string, number> | undefined;
  /** The native stack that mirrors the declared locals, while the frame is on it. */
  #native: NativeFrames | undefined;

  constructor(
    name: string,
    filename: string,
    parent: Frame | undefined,
    locals?: readonly string[],
  ) {
    this.name = name;
    this.filename = filename;
    this.parent = parent;
    if (locals) {
      const layout = slotLayout(locals);
      this.locals = layout;
      this.slots = layout.unbound();
    } else {
      this.locals = undefined;
      this.slots = [];
    }
    this.#named = undefined;
    this.#native = undefined;
  }

  /** @internal Mirrors the declared locals into `native` until {@link Frame.detach}. */
  attach(native: NativeFrames): void {
    this.#native = native;
  }

  /** @internal Stops mirroring (the native frame is gone). */
  detach(): void {
    this.#native = undefined;
  }

  /** The object bound to `name` here (not in the module), or 0. */
  get(name: string): number {
    const slot = this.locals?.slotOf(name);
    if (slot !== undefined) return this.slots[slot]!;
    return this.#named?.get(name) ?? 0;
  }

  /** Binds `name`; returns the object it held before (0 if none), for the caller to release. */
  set(name: string, object: number): number {
    const slot = this.locals?.slotOf(name);
    if (slot !== undefined) return this.setSlot(slot, object);
    this.#named ??= new Map();
    const old = this.#named.get(name) ?? 0;
    this.#named.set(name, object);
    return old;
  }

  /** Unbinds `name`; returns what it held (0 if it was unbound). */
  delete(name: string): number {
    const slot = this.locals?.slotOf(name);
    if (slot !== undefined) return this.setSlot(slot, 0);
    this.#named ??= new Map();
    const old = this.#named.get(name) ?? 0;
    // A function frame keeps the name's place (its release order); the module forgets it.
    if (this.locals) this.#named.set(name, 0);
    else this.#named.delete(name);
    return old;
  }

  /**
   * Binds slot `slot` of the declared locals; returns what it held (0 if unbound), for the
   * caller to release.
   * @throws RangeError when the frame has no such slot
   */
  setSlot(slot: number, object: number): number {
    const slots = this.slots;
    const old = slots[slot];
    if (old === undefined) badSlot(this, slot);
    slots[slot] = object;
    if (this.#native !== undefined) this.#native.store(this, slot, object);
    return old;
  }

  /** The bound variables: the declared locals in slot order, then the others. */
  *bindings(): IterableIterator<[string, number]> {
    const slots = this.slots;
    const names = this.locals?.names;
    for (let slot = 0; slot < slots.length; slot++) {
      const object = slots[slot]!;
      if (object !== 0) yield [names![slot]!, object];
    }
    if (this.#named)
      for (const [name, object] of this.#named) if (object !== 0) yield [name, object];
  }

  /**
   * Whether any variable is bound. A popped frame whose locals were released binds none; its
   * names bound beyond the declared slots are then forgotten, as a new frame has none.
   */
  hasBindings(): boolean {
    for (const object of this.slots) if (object !== 0) return true;
    const named = this.#named;
    if (named) {
      for (const object of named.values()) if (object !== 0) return true;
      this.#named = undefined;
    }
    return false;
  }

  /** Unbinds every variable and returns what they held, in slot order. */
  clear(): number[] {
    const held: number[] = [];
    const slots = this.slots;
    for (let slot = 0; slot < slots.length; slot++) {
      const object = slots[slot]!;
      if (object === 0) continue;
      held.push(object);
      slots[slot] = 0;
      if (this.#native !== undefined) this.#native.store(this, slot, 0);
    }
    const named = this.#named;
    if (named) {
      for (const [name, object] of named) {
        if (object === 0) continue;
        held.push(object);
        named.set(name, 0);
      }
    }
    return held;
  }

  /**
   * Unbinds every variable in slot order, handing each object to `release` as its slot is
   * emptied (CPython's frame clearing: `Py_CLEAR` of each local in turn). For a frame already
   * popped: {@link clear} without the array.
   */
  release(release: (object: number) => void): void {
    const slots = this.slots;
    for (let slot = 0; slot < slots.length; slot++) {
      const object = slots[slot]!;
      if (object === 0) continue;
      slots[slot] = 0;
      if (this.#native !== undefined) this.#native.store(this, slot, 0);
      release(object);
    }
    if (this.#named) for (const object of this.clear()) release(object);
  }
}

/** The RangeError of a bad slot number (out of line: the slot accessors stay small). */
export function badSlot(frame: Frame, slot: number): never {
  const count = frame.slots.length;
  throw new RangeError(
    `frame ${frame.name} has no local slot ${String(slot)} (it has ${count} slot${count === 1 ? "" : "s"})`,
  );
}

/** The frame stack with its recursion limit. */
export class FrameStack {
  readonly module: Frame;
  #top: Frame;
  #depth = 1;
  #limit: number;
  readonly #native: NativeFrames | undefined;

  /** @param native - where function frames also live (a process's stack), if anywhere */
  constructor(filename: string, limit: number, native?: NativeFrames) {
    this.module = new Frame("<module>", filename, undefined);
    this.#top = this.module;
    this.#limit = limit;
    this.#native = native;
  }

  get top(): Frame {
    return this.#top;
  }

  /** Frames on the stack, the module frame included. */
  get depth(): number {
    return this.#depth;
  }

  /** `sys.getrecursionlimit()`. */
  get limit(): number {
    return this.#limit;
  }

  /**
   * `sys.setrecursionlimit(n)`: raises ValueError below 1 and RecursionError when the current
   * depth is already at or above the new limit, as CPython 3.11 does.
   */
  setLimit(limit: number): void {
    if (!Number.isInteger(limit) || limit < 1)
      raise("ValueError", "recursion limit must be greater or equal than 1");
    if (limit <= this.#depth) {
      raise(
        "RecursionError",
        `cannot set the recursion limit to ${limit} at the recursion depth ${this.#depth}: the limit is too low`,
      );
    }
    this.#limit = limit;
  }

  /**
   * Pushes a function frame. Raises RecursionError, leaving the stack as it was, when the
   * depth would exceed the limit; a native stack's own error (a stack overflow) leaves it as
   * it was too.
   */
  push(name: string, filename: string, locals: readonly string[]): Frame {
    if (this.#depth >= this.#limit) raise("RecursionError", "maximum recursion depth exceeded");
    const frame = new Frame(name, filename, this.#top, locals);
    this.#enter(frame);
    return frame;
  }

  /**
   * Pushes `frame` again, as a new call of the same function, after it was popped: the frame
   * object of a finished call made the next call's, as a front end keeps a finished frame for
   * the next call of its code. It is as {@link FrameStack.push} leaves a new frame: its caller
   * is the top, its line 0, its locals unbound (they were released when it was popped).
   * Raises RecursionError, the stack unchanged, as {@link FrameStack.push} does.
   * @throws RangeError when `frame` is on the stack, is the module frame, or still binds a local
   */
  repush(frame: Frame): void {
    if (frame.onStack || frame === this.module || frame.hasBindings()) {
      throw new RangeError(
        `frame ${frame.name} cannot be pushed again: it is on the stack or still holds locals`,
      );
    }
    if (this.#depth >= this.#limit) raise("RecursionError", "maximum recursion depth exceeded");
    frame.parent = this.#top;
    frame.lineno = 0;
    this.#enter(frame);
  }

  /** Puts a made frame on top (the native stack first, which may refuse it). */
  #enter(frame: Frame): void {
    if (this.#native) {
      this.#native.push(frame, frame.slots.length);
      frame.attach(this.#native);
    }
    frame.onStack = true;
    this.#top = frame;
    this.#depth++;
  }

  /**
   * Counts a call into native code (a builtin function, a type) toward the recursion depth, as
   * CPython's `_Py_EnterRecursiveCall` does: no frame, but one more level.
   * @param where what the RecursionError's message adds, as CPython's callers of
   *   `_Py_EnterRecursiveCall` word it (" while getting the repr of an object" …)
   * @throws PythonError RecursionError past the limit, the depth unchanged
   */
  enterCall(where = " while calling a Python object"): void {
    if (this.#depth >= this.#limit)
      raise("RecursionError", `maximum recursion depth exceeded${where}`);
    this.#depth++;
  }

  /** Ends a call counted by {@link FrameStack.enterCall}. */
  leaveCall(): void {
    if (this.#depth <= 1) throw new RangeError("leaveCall without enterCall");
    this.#depth--;
  }

  /**
   * Pops the top function frame (the caller releases what `frame.clear()` returns). The call is
   * over whatever happens: when the native stack's return faults (a smashed return address, a
   * return into memory that is not executable), its frame is abandoned instead, the function
   * frame is popped all the same, and the fault is rethrown. A frame left behind would outlive
   * its call with both stacks agreeing, so nothing could tell it from a call still running.
   */
  pop(frame: Frame): void {
    if (frame !== this.#top || frame === this.module) {
      throw new RangeError("frames must be popped in the order they were pushed");
    }
    const native = this.#native;
    let fault: unknown;
    let faulted = false;
    if (native) {
      try {
        native.pop(frame);
      } catch (error) {
        native.unwind(frame);
        fault = error;
        faulted = true;
      }
      frame.detach();
    }
    frame.onStack = false;
    this.#top = frame.parent!;
    this.#depth--;
    if (faulted) throw fault;
  }

  /** Every frame from the top down to the module. */
  *frames(): IterableIterator<Frame> {
    for (let frame: Frame | undefined = this.#top; frame; frame = frame.parent) yield frame;
  }
}
