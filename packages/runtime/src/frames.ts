// Frames: the module frame and function frames, whose variables are the program's roots. A
// function frame's locals are released on return in the order its code numbers them (CPython's
// co_varnames), and the recursion limit guards the depth as sys.getrecursionlimit() does.

import { raise } from "./errors.js";

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

  /** The object bound to `name` here (not in the module), or 0. */
  get(name: string): number {
    return this.#slots.get(name) ?? 0;
  }

  /** Binds `name`; returns the object it held before (0 if none), for the caller to release. */
  set(name: string, object: number): number {
    const old = this.#slots.get(name) ?? 0;
    this.#slots.set(name, object);
    return old;
  }

  /** Unbinds `name`; returns what it held (0 if it was unbound). */
  delete(name: string): number {
    const old = this.#slots.get(name) ?? 0;
    if (this.locals) this.#slots.set(name, 0);
    else this.#slots.delete(name);
    return old;
  }

  /** The bound variables in slot order. */
  *bindings(): IterableIterator<[string, number]> {
    for (const [name, object] of this.#slots) if (object !== 0) yield [name, object];
  }

  /** Unbinds every slot and returns what they held, in slot order. */
  clear(): number[] {
    const held = [...this.bindings()].map(([, object]) => object);
    for (const name of this.#slots.keys()) this.#slots.set(name, 0);
    return held;
  }
}

/** The frame stack with its recursion limit. */
export class FrameStack {
  readonly module: Frame;
  #top: Frame;
  #depth = 1;
  #limit: number;

  constructor(filename: string, limit: number) {
    this.module = new Frame("<module>", filename, undefined);
    this.#top = this.module;
    this.#limit = limit;
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
   * depth would exceed the limit.
   */
  push(name: string, filename: string, locals: readonly string[]): Frame {
    if (this.#depth >= this.#limit) raise("RecursionError", "maximum recursion depth exceeded");
    const frame = new Frame(name, filename, this.#top, locals);
    this.#top = frame;
    this.#depth++;
    return frame;
  }

  /** Pops the top function frame (the caller releases what `frame.clear()` returns). */
  pop(frame: Frame): void {
    if (frame !== this.#top || frame === this.module) {
      throw new RangeError("frames must be popped in the order they were pushed");
    }
    this.#top = frame.parent!;
    this.#depth--;
  }

  /** Every frame from the top down to the module. */
  *frames(): IterableIterator<Frame> {
    for (let frame: Frame | undefined = this.#top; frame; frame = frame.parent) yield frame;
  }
}
