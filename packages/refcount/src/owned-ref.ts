// A handle that owns one reference, for TypeScript callers: `using x = rc.own(address)` drops
// the reference at the end of the scope, the explicit-release idiom that Python's `with`
// statement gives resources.

import { ReleasedHandleError } from "./errors.js";

/**
 * What an {@link OwnedRef} releases its reference to: a `RefCounter`, seen through the one method
 * it needs (declared here so that this module does not import the counter back).
 */
export interface ReferenceReleaser {
  /** Drops one reference to `object`. */
  decref(object: number): void;
}

/**
 * Owns exactly one reference to an object and gives it up once: through `release()`, through
 * `Symbol.dispose` (a `using` declaration), or by handing it on with `detach()`. Releasing twice
 * is an error, never a second decref; disposing an already released handle does nothing, so
 * `using` and an early `release()` combine safely.
 */
export class OwnedRef implements Disposable {
  readonly #rc: ReferenceReleaser;
  readonly #address: number;
  #released = false;

  /** @internal Use `RefCounter.own` or `RefCounter.retain`. */
  constructor(rc: ReferenceReleaser, address: number) {
    this.#rc = rc;
    this.#address = address;
  }

  /** The object's address. @throws ReleasedHandleError once released. */
  get address(): number {
    if (this.#released) throw new ReleasedHandleError(this.#address);
    return this.#address;
  }

  /** Whether the reference has been given up. */
  get released(): boolean {
    return this.#released;
  }

  /** Drops the reference. @throws ReleasedHandleError when it was already given up. */
  release(): void {
    if (this.#released) throw new ReleasedHandleError(this.#address);
    this.#released = true;
    this.#rc.decref(this.#address);
  }

  /** Gives up the handle without a decref: the caller now owns the reference. */
  detach(): number {
    if (this.#released) throw new ReleasedHandleError(this.#address);
    this.#released = true;
    return this.#address;
  }

  [Symbol.dispose](): void {
    if (!this.#released) this.release();
  }
}
