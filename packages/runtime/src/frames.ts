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
  /** Releases the room of `frame`, the innermost frame. */
  pop(frame: Frame): void;
  /** Records that local `slot` of `frame` now holds `object` (0 when unbound). */
  store(frame: Frame, slot: number, object: number): void;
}

/** One frame: its variables, in slot order, and where the program is in it. */
export class Frame {
  /** The function's name (`<module>` for the module frame). */
  readonly name: string;
  /** The file (or label) the frame's code comes from, for tracemalloc's tracebacks. */
  filename: string;
  /** The current line, for tracebacks. */
  lineno = 0;
  /** Variable slots in co_varnames order; a slot holds an object address or 0 (unbound). */
  readonly #slots = new Map<string, number>();
  /**
   * Names local to this frame (a function's): reading one that is unbound raises
   * UnboundLocalError instead of falling back to the module. Undefined for the module frame.
   */
  readonly locals: ReadonlySet<string> | undefined;
  readonly parent: Frame | undefined;
  /** The native stack that mirrors the declared locals, while the frame is on it. */
  #native: NativeFrames | undefined;
  /** Declared locals by slot number, when a native stack mirrors them. */
  #slotNumbers: Map<string, number> | undefined;

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
      this.locals = new Set(locals);
      for (const local of locals) this.#slots.set(local, 0);
    } else {
      this.locals = undefined;
    }
  }

  /** @internal Mirrors the declared locals into `native` until {@link Frame.detach}. */
  attach(native: NativeFrames): void {
    this.#native = native;
    this.#slotNumbers = new Map([...(this.locals ?? [])].map((name, slot) => [name, slot]));
  }

  /** @internal Stops mirroring (the native frame is gone). */
  detach(): void {
    this.#native = undefined;
  }

  #mirror(name: string, object: number): void {
    const slot = this.#slotNumbers?.get(name);
    if (slot !== undefined) this.#native?.store(this, slot, object);
  }

  /** The object bound to `name` here (not in the module), or 0. */
  get(name: string): number {
    return this.#slots.get(name) ?? 0;
  }

  /** Binds `name`; returns the object it held before (0 if none), for the caller to release. */
  set(name: string, object: number): number {
    const old = this.#slots.get(name) ?? 0;
    this.#slots.set(name, object);
    if (this.#native) this.#mirror(name, object);
    return old;
  }

  /** Unbinds `name`; returns what it held (0 if it was unbound). */
  delete(name: string): number {
    const old = this.#slots.get(name) ?? 0;
    if (this.locals) this.#slots.set(name, 0);
    else this.#slots.delete(name);
    if (this.#native) this.#mirror(name, 0);
    return old;
  }

  /** The bound variables in slot order. */
  *bindings(): IterableIterator<[string, number]> {
    for (const [name, object] of this.#slots) if (object !== 0) yield [name, object];
  }

  /** Unbinds every slot and returns what they held, in slot order. */
  clear(): number[] {
    const held = [...this.bindings()].map(([, object]) => object);
    for (const name of this.#slots.keys()) {
      this.#slots.set(name, 0);
      if (this.#native) this.#mirror(name, 0);
    }
    return held;
  }
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
    if (this.#native) {
      this.#native.push(frame, locals.length);
      frame.attach(this.#native);
    }
    this.#top = frame;
    this.#depth++;
    return frame;
  }

  /** Pops the top function frame (the caller releases what `frame.clear()` returns). */
  pop(frame: Frame): void {
    if (frame !== this.#top || frame === this.module) {
      throw new RangeError("frames must be popped in the order they were pushed");
    }
    if (this.#native) {
      this.#native.pop(frame);
      frame.detach();
    }
    this.#top = frame.parent!;
    this.#depth--;
  }

  /** Every frame from the top down to the module. */
  *frames(): IterableIterator<Frame> {
    for (let frame: Frame | undefined = this.#top; frame; frame = frame.parent) yield frame;
  }
}
