// `iter(callable, sentinel)`: CPython's `callable_iterator` (Objects/iterobject.c), a tracked
// object of 32 bytes (48 with its GC head) holding the callable and the sentinel. Each `next()`
// calls the callable with no arguments and compares the sentinel with the result
// (PyObject_RichCompareBool: identity first); an equal result, or a StopIteration raised by the
// call, ends the iterator, which then lets the callable and the sentinel go, in that order.

import type { Ref } from "@mm/runtime";
import { Raised } from "./errors.js";
import type { Host, Protocols } from "./host.js";
import type { PyType } from "./types.js";

/** The fields of a `callable_iterator` (`calliterobject`), by byte offset. */
export const CallIterObj = {
  callable: 16,
  sentinel: 24,
  basicSize: 32,
} as const;

/** The `callable_iterator` type of one interpreter, made with the builtins. */
export class CallableIteratorType {
  readonly type: PyType;
  readonly #vm: Host;

  constructor(b: Protocols) {
    const vm = b.vm;
    this.#vm = vm;
    const py = vm.py;
    const native = py.defineType({
      name: "callable_iterator",
      basicSize: CallIterObj.basicSize,
      container: true,
      refs: [CallIterObj.callable, CallIterObj.sentinel],
    });
    // A built-in type of no module (the interpreter's types default to `__main__`, read as builtins).
    this.type = b.newNativeType("callable_iterator", native, "__main__", {
      next: (it) => this.#next(it),
    });
    this.type.methods.set("__iter__", (a) => py.newRef(a[0]!));
    this.type.methods.set("__next__", (a) => this.#next(a[0]!) || vm.raise("StopIteration"));
    // The method descriptors exist before the program runs, as a static type's do.
    for (const name of this.type.methods.keys()) b.lookupType(this.type, name);
  }

  /** `PyCallIter_New`: a new iterator calling `callable` until it gives `sentinel` (borrowed). */
  make(callable: Ref, sentinel: Ref): Ref {
    const py = this.#vm.py;
    const it = py.allocate(this.type.native!);
    py.setRef(it, CallIterObj.callable, callable);
    py.setRef(it, CallIterObj.sentinel, sentinel);
    return it;
  }

  /** `calliter_iternext`: the next result (a new reference), or 0 once it has ended. */
  #next(it: Ref): Ref {
    const vm = this.#vm;
    const py = vm.py;
    const callable = py.getRef(it, CallIterObj.callable);
    if (callable === 0) return 0;
    let result: Ref;
    try {
      result = vm.call(callable, []);
    } catch (error) {
      const b = vm.builtins;
      if (
        !(error instanceof Raised) ||
        !b.exceptionMatches(error.exc, vm.types.StopIteration!.object)
      )
        throw error;
      py.decref(error.exc);
      this.#clear(it);
      return 0;
    }
    const sentinel = py.getRef(it, CallIterObj.sentinel);
    if (sentinel === 0) {
      // The call itself ended the iterator (next() of it inside the callable).
      py.decref(result);
      return 0;
    }
    let equal: boolean;
    try {
      equal = vm.builtins.equal(sentinel, result);
    } catch (error) {
      py.decref(result);
      throw error;
    }
    if (!equal) return result;
    this.#clear(it);
    py.decref(result);
    return 0;
  }

  /** Py_CLEAR of the callable, then of the sentinel. */
  #clear(it: Ref): void {
    const py = this.#vm.py;
    py.setRef(it, CallIterObj.callable, 0);
    py.setRef(it, CallIterObj.sentinel, 0);
  }
}
