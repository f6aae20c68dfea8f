// Handles: what users of a runtime hold instead of addresses. A handle owns one reference; it
// is released once (explicitly or by `using`), and a released or forged handle is refused.

import { hex } from "@mm/heap";
import { StaleHandleError } from "./errors.js";

interface HandleState {
  readonly owner: object;
  readonly address: number;
  live: boolean;
}

/** Handle state, keyed by handle: only handles this module made are in it. */
const states = new WeakMap<Handle, HandleState>();

/**
 * An opaque reference to a Python object in a runtime's private heap. It owns one reference,
 * given up by `release()` or at the end of a `using` block.
 */
export class Handle implements Disposable {
  readonly #release: (address: number) => void;

  /** @internal Runtimes make handles; user code receives them. */
  constructor(owner: object, address: number, release: (address: number) => void) {
    states.set(this, { owner, address, live: true });
    this.#release = release;
  }

  /** Whether the handle still owns its reference. */
  get live(): boolean {
    return states.get(this)!.live;
  }

  /** Gives up the reference. @throws StaleHandleError when it was already given up. */
  release(): void {
    const state = states.get(this)!;
    if (!state.live)
      throw new StaleHandleError(`this handle (to ${hex(state.address)}) was already released`);
    state.live = false;
    this.#release(state.address);
  }

  [Symbol.dispose](): void {
    if (states.get(this)?.live) this.release();
  }

  toString(): string {
    const state = states.get(this)!;
    return `Handle(${hex(state.address)}${state.live ? "" : ", released"})`;
  }
}

/**
 * The address behind `handle`, checked: it must be a handle (not a look-alike), made by
 * `owner`, and still live.
 * @throws StaleHandleError
 */
export function addressOf(owner: object, handle: unknown): number {
  const state = handle instanceof Handle ? states.get(handle) : undefined;
  if (!state)
    throw new StaleHandleError("not a handle issued by a runtime (a forged or copied value)");
  if (state.owner !== owner) throw new StaleHandleError("this handle belongs to another runtime");
  if (!state.live)
    throw new StaleHandleError(`this handle (to ${hex(state.address)}) was released`);
  return state.address;
}
