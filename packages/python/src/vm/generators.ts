// Generator objects, as CPython 3.11's Objects/genobject.c makes and runs them. A generator owns
// its suspended frame: between two resumptions the frame's locals and value stack (and its
// function and frame object) live in the generator object's memory, so the collector sees them
// as the generator's references and `sys.getsizeof` counts them, as 3.11 embeds the frame in the
// object. While the generator runs they are back in the evaluator's frame.

import type { Ref } from "@mm/runtime";
import { Op } from "../compile/opcodes.js";
import { Raised } from "./errors.js";
import { familyOf, memberOffset } from "./exceptions.js";
import { fastToLocals } from "./exec.js";
import type { VMFrame } from "./frame.js";
import type { Host } from "./host.js";
import { Code, Exc, Fn, FrameObj, Gen } from "./layouts.js";

/**
 * Where a generator's frame is (CPython's `gi_frame_state`): not started, paused at a yield,
 * running, finished (its frame released).
 */
export const GenState = {
  Created: 0,
  Suspended: 1,
  Executing: 2,
  Cleared: 3,
} as const;

/** One of {@link GenState}'s values. */
export type GenStateValue = (typeof GenState)[keyof typeof GenState];

/**
 * The generator protocol over the evaluator: making a generator of a generator function's new
 * frame, `send`/`throw`/`close`, the finalizer, `yield from`'s SEND, and the `gi_*` and frame
 * attributes a program can read.
 */
export class Generators {
  readonly #vm: Host;
  /**
   * Whether the last {@link Generators.send} or {@link Generators.sendTo} finished its
   * generator or iterator (the value it gave is the return value), rather than yielding.
   */
  returned = false;

  constructor(vm: Host) {
    this.#vm = vm;
  }

  /** Where `gen`'s frame is. */
  state(gen: Ref): GenStateValue {
    return this.#vm.py.memory.u8[gen + Gen.state]! as GenStateValue;
  }

  #setState(gen: Ref, state: GenStateValue): void {
    this.#vm.py.memory.u8[gen + Gen.state] = state;
  }

  /**
   * The generator of a generator function's new frame (a new reference): RETURN_GENERATOR's
   * `_Py_MakeCoro`, the frame moved into the object. Its name and qualified name are the
   * function's, as 3.11 takes them.
   */
  make(frame: VMFrame): Ref {
    const vm = this.#vm;
    const py = vm.py;
    const unit = frame.code.unit;
    // The code's stack size is two over CPython's co_stacksize (the compiler's margin): the
    // embedded frame has co_stacksize slots.
    const slots = frame.fast.length + unit.stackSize - 2;
    // Until the generator holds them, only this frame holds the function and the arguments:
    // a collection the allocation runs (a tracing collector has no counts to go by) sees them.
    vm.pendingFrames.push(frame);
    let gen: Ref;
    try {
      gen = py.allocate(vm.builtins.generatorType, slots);
    } finally {
      vm.pendingFrames.pop();
    }
    py.memory.u32[(gen + Gen.count) >>> 2] = 0;
    py.setRef(gen, Gen.code, frame.code.object);
    const func = frame.func;
    py.setRef(
      gen,
      Gen.name,
      func ? py.getRef(func, Fn.name) : py.getRef(frame.code.object, Code.name),
    );
    py.setRef(
      gen,
      Gen.qualname,
      func ? py.getRef(func, Fn.qualname) : py.getRef(frame.code.object, Code.qualname),
    );
    // The embedded frame's own reference to the code (`f_code`), until the frame is cleared.
    py.setRef(gen, Gen.fcode, frame.code.object);
    frame.generator = gen;
    // RETURN_GENERATOR has run: the frame starts after it, at the POP_TOP that drops the value
    // the first resumption pushes.
    frame.pc = 1;
    frame.lasti = 0;
    this.#setState(gen, GenState.Created);
    this.#park(gen, frame);
    vm.generators.set(gen, frame);
    return gen;
  }

  /** Moves a paused frame's locals, stack, function and frame object into its generator. */
  #park(gen: Ref, frame: VMFrame): void {
    const u32 = this.#vm.py.memory.u32;
    let n = 0;
    for (const o of frame.fast) u32[(gen + Gen.items + 8 * n++) >>> 2] = o;
    for (const o of frame.stack) u32[(gen + Gen.items + 8 * n++) >>> 2] = o;
    u32[(gen + Gen.count) >>> 2] = n;
    u32[(gen + Gen.func) >>> 2] = frame.func;
    u32[(gen + Gen.frame) >>> 2] = frame.frameObject;
    frame.fast.fill(0);
    frame.stack.length = 0;
    frame.func = 0;
    frame.frameObject = 0;
  }

  /** Moves them back into the frame, to run it. */
  #unpark(gen: Ref, frame: VMFrame): void {
    const u32 = this.#vm.py.memory.u32;
    const count = u32[(gen + Gen.count) >>> 2]!;
    const nfast = frame.fast.length;
    for (let i = 0; i < nfast; i++) frame.fast[i] = u32[(gen + Gen.items + 8 * i) >>> 2]!;
    for (let i = nfast; i < count; i++) frame.stack.push(u32[(gen + Gen.items + 8 * i) >>> 2]!);
    for (let i = 0; i < count; i++) u32[(gen + Gen.items + 8 * i) >>> 2] = 0;
    u32[(gen + Gen.count) >>> 2] = 0;
    frame.func = u32[(gen + Gen.func) >>> 2]!;
    frame.frameObject = u32[(gen + Gen.frame) >>> 2]!;
    u32[(gen + Gen.func) >>> 2] = 0;
    u32[(gen + Gen.frame) >>> 2] = 0;
  }

  /**
   * `gen_send_ex2`: resumes `gen` with `arg` (borrowed; 0 for `__next__`) as the value of the
   * yield it is paused at, or with `exc` (owned) raised there. Returns what it yields (a new
   * reference, {@link Generators.returned} false) or returns ({@link Generators.returned}
   * true; 0 when it was exhausted and `arg` is 0, or returned None to `__next__`). An exception
   * leaving the generator is thrown; a StopIteration becomes RuntimeError (PEP 479).
   */
  resume(gen: Ref, arg: Ref, exc: Ref = 0): Ref {
    const vm = this.#vm;
    const py = vm.py;
    const state = this.state(gen);
    this.returned = false;
    if (state === GenState.Created && arg && arg !== py.none) {
      if (exc) py.decref(exc);
      vm.raise("TypeError", "can't send non-None value to a just-started generator");
    }
    if (state === GenState.Executing) {
      if (exc) py.decref(exc);
      vm.raise("ValueError", "generator already executing");
    }
    if (state === GenState.Cleared) {
      // An exhausted generator: send() returns None (so raises StopIteration), throw() raises.
      if (exc) throw new Raised(exc);
      this.returned = true;
      return arg ? py.newRef(py.none) : 0;
    }
    const frame = vm.generators.get(gen)!;
    this.#unpark(gen, frame);
    // The value sent: the value of the yield the frame is paused at (RETURN_GENERATOR's, which
    // its POP_TOP drops, at the start).
    frame.stack.push(py.newRef(arg || py.none));
    frame.back = vm.top;
    this.#setState(gen, GenState.Executing);
    // gi_exc_state: the generator runs with the exception it was handling when it paused (none
    // at the start), the caller's kept beneath it for sys.exc_info() and bare raise to fall
    // back on; the caller's is back when the generator yields, returns or raises.
    const u32 = py.memory.u32;
    vm.excOuter.push(vm.excInfo);
    vm.excInfo = u32[(gen + Gen.exc) >>> 2]!;
    u32[(gen + Gen.exc) >>> 2] = 0;
    let result: Ref;
    try {
      result = vm.execute(frame, exc);
    } catch (error) {
      this.#leave(gen, true);
      this.#finished(gen);
      if (error instanceof Raised && vm.typeOf(error.exc).isSubtype(vm.types.StopIteration!))
        throw new Raised(this.#fromStopIteration(error.exc));
      throw error;
    }
    this.#leave(gen, frame.finished);
    if (!frame.finished) {
      this.#setState(gen, GenState.Suspended);
      this.#park(gen, frame);
      // (The frame may have resumed other generators, which set the flag.)
      this.returned = false;
      return result;
    }
    this.#finished(gen);
    this.returned = true;
    if (result === py.none && !arg) {
      py.decref(result);
      return 0;
    }
    return result;
  }

  /**
   * The resumption of `gen` inside the evaluator's loop by SEND or FOR_ITER, as CPython 3.11
   * links a resumed generator's frame to its caller's: the frame made ready to run with `v`
   * (borrowed; 0 for `__next__`) as the value of the yield it is paused at, its caller `back`.
   * Null, having done nothing, when `gen` is running or finished, or new and `v` is neither 0
   * nor None: {@link Generators.resume} raises or answers for those.
   */
  enter(gen: Ref, v: Ref, back: VMFrame): VMFrame | null {
    const vm = this.#vm;
    const py = vm.py;
    const state = this.state(gen);
    if (state === GenState.Executing || state === GenState.Cleared) return null;
    if (state === GenState.Created && v !== 0 && v !== py.none) return null;
    const frame = vm.generators.get(gen)!;
    this.returned = false;
    this.#unpark(gen, frame);
    frame.stack.push(py.newRef(v || py.none));
    frame.back = back;
    frame.entry = false;
    this.#setState(gen, GenState.Executing);
    const u32 = py.memory.u32;
    vm.excOuter.push(vm.excInfo);
    vm.excInfo = u32[(gen + Gen.exc) >>> 2]!;
    u32[(gen + Gen.exc) >>> 2] = 0;
    return frame;
  }

  /** A frame {@link Generators.enter} resumed has yielded (its runtime frame already popped). */
  paused(gen: Ref, frame: VMFrame): void {
    this.#leave(gen, false);
    this.#setState(gen, GenState.Suspended);
    this.#park(gen, frame);
  }

  /**
   * A frame {@link Generators.enter} resumed has returned, or raised `exc` (owned; 0 for a
   * return), its frame released: the generator is finished. Returns the exception its caller
   * sees: `exc`, or the RuntimeError a StopIteration becomes (PEP 479).
   */
  ended(gen: Ref, exc: Ref): Ref {
    this.#leave(gen, true);
    this.#finished(gen);
    if (exc !== 0 && this.#vm.typeOf(exc).isSubtype(this.#vm.types.StopIteration!))
      return this.#fromStopIteration(exc);
    return exc;
  }

  /**
   * Gives the caller its exception being handled back; the generator keeps its own while it is
   * paused, and lets it go once its frame is done (`_PyErr_ClearExcState`).
   */
  #leave(gen: Ref, done: boolean): void {
    const vm = this.#vm;
    const own = vm.excInfo;
    vm.excInfo = vm.excOuter.pop()!;
    if (!own) return;
    if (done) vm.py.decref(own);
    else vm.py.memory.u32[(gen + Gen.exc) >>> 2] = own;
  }

  /** The generator's frame has returned or raised: the evaluator has released it. */
  #finished(gen: Ref): void {
    this.#setState(gen, GenState.Cleared);
    this.#vm.py.setRef(gen, Gen.fcode, 0);
    this.#vm.generators.delete(gen);
  }

  /**
   * `RuntimeError: generator raised StopIteration`, caused by `stop` (taken), as
   * `_PyErr_FormatFromCause` makes it.
   */
  #fromStopIteration(stop: Ref): Ref {
    const vm = this.#vm;
    const py = vm.py;
    const exc = vm.newException(vm.types.RuntimeError!, ["generator raised StopIteration"]);
    py.setRef(exc, Exc.context, stop);
    py.takeRef(exc, Exc.cause, stop);
    py.memory.u8[exc + Exc.suppressContext] = 1;
    return exc;
  }

  /** `StopIteration(value)`, or `StopIteration()` for None (`_PyGen_SetStopIterationValue`). */
  stopIteration(value: Ref): Raised {
    const vm = this.#vm;
    const t = vm.types.StopIteration!;
    return new Raised(
      value === vm.py.none ? vm.newExceptionWithArgs(t, []) : vm.newExceptionWithArgs(t, [value]),
    );
  }

  /** `next(gen)`: the next value (a new reference); StopIteration(value) when it returns. */
  next(gen: Ref): Ref {
    const v = this.resume(gen, 0);
    if (!this.returned) return v;
    if (v === 0) return 0;
    const stop = this.stopIteration(v);
    this.#vm.py.decref(v);
    throw stop;
  }

  /** `gen.send(value)` (value borrowed): what it yields; StopIteration when it returns. */
  send(gen: Ref, value: Ref): Ref {
    return this.#sendEx(gen, value, 0);
  }

  /**
   * `gen_send_ex`: {@link Generators.resume} with `arg` (borrowed, not 0) or `exc` (owned),
   * a return raised as StopIteration(value).
   */
  #sendEx(gen: Ref, arg: Ref, exc: Ref): Ref {
    const v = this.resume(gen, arg, exc);
    if (!this.returned) return v;
    const stop = this.stopIteration(v);
    this.#vm.py.decref(v);
    throw stop;
  }

  /**
   * The iterator a paused generator delegates to with `yield from` (borrowed), or 0
   * (`_PyGen_yf`): the frame is paused at the YIELD_VALUE of a SEND loop (marked by its
   * argument), with the iterator on top of its stack.
   */
  #yieldFrom(gen: Ref): Ref {
    const vm = this.#vm;
    const state = this.state(gen);
    if (state !== GenState.Suspended) return 0;
    const frame = vm.generators.get(gen)!;
    const unit = frame.code.unit;
    if (unit.code[2 * frame.lasti] !== Op.YIELD_VALUE || unit.code[2 * frame.lasti + 1] !== 1)
      return 0;
    const u32 = vm.py.memory.u32;
    const count = u32[(gen + Gen.count) >>> 2]!;
    return u32[(gen + Gen.items + 8 * (count - 1)) >>> 2]!;
  }

  /**
   * `gen.throw(type[, value[, traceback]])` (`_gen_throw`): raises the exception at the yield
   * the generator is paused at (passing it to the iterator it delegates to first) and returns
   * what it yields next.
   */
  throw(gen: Ref, type: Ref, value: Ref, tb: Ref, closeOnExit = true): Ref {
    const vm = this.#vm;
    const py = vm.py;
    const yf = this.#yieldFrom(gen);
    if (yf) {
      py.incref(yf);
      let ret = 0;
      let raised: Ref = 0;
      const state = this.state(gen);
      try {
        if (closeOnExit && vm.builtins.exceptionMatches(type, vm.types.GeneratorExit!.object)) {
          // Close the iterator delegated to, then raise GeneratorExit here.
          this.#setState(gen, GenState.Executing);
          try {
            this.#closeIter(yf);
          } catch (error) {
            this.#setState(gen, state);
            return this.#sendEx(gen, py.none, vm.toPython(error));
          }
          this.#setState(gen, state);
          return this.#throwHere(gen, type, value, tb);
        }
        this.#setState(gen, GenState.Executing);
        try {
          if (vm.kindOf(yf) === "generator") {
            ret = this.throw(yf, type, value, tb, closeOnExit);
          } else {
            const meth = this.#lookupMethod(yf, "throw");
            if (!meth) {
              this.#setState(gen, state);
              return this.#throwHere(gen, type, value, tb);
            }
            try {
              const args = [type];
              if (value || tb) args.push(value || py.none);
              if (tb) args.push(tb);
              ret = vm.call(meth, args);
            } finally {
              py.decref(meth);
            }
          }
        } catch (error) {
          raised = vm.toPython(error);
        }
        this.#setState(gen, state);
      } finally {
        py.decref(yf);
      }
      if (!raised) return ret;
      // The delegated-to iterator has ended: the SEND loop ends with its value (or the
      // exception goes on into this generator).
      // Pop the iterator and go on after the SEND loop, with what it returned as the value of
      // `yield from` (the resumption pushes it) or the exception it raised.
      const frame = vm.generators.get(gen)!;
      const u32 = py.memory.u32;
      const count = u32[(gen + Gen.count) >>> 2]!;
      const it = u32[(gen + Gen.items + 8 * (count - 1)) >>> 2]!;
      u32[(gen + Gen.items + 8 * (count - 1)) >>> 2] = 0;
      u32[(gen + Gen.count) >>> 2] = count - 1;
      py.decref(it);
      frame.pc = frame.code.unit.code[2 * (frame.lasti - 1) + 1]!;
      if (vm.typeOf(raised).isSubtype(vm.types.StopIteration!)) {
        const v = this.#stopValue(raised);
        py.decref(raised);
        try {
          return this.send(gen, v);
        } finally {
          py.decref(v);
        }
      }
      return this.#sendEx(gen, py.none, raised);
    }
    return this.#throwHere(gen, type, value, tb);
  }

  /** `throw_here`: the exception made of `type`, `value` and `tb`, raised in the generator. */
  #throwHere(gen: Ref, type: Ref, value: Ref, tb: Ref): Ref {
    const vm = this.#vm;
    const py = vm.py;
    const b = vm.builtins;
    const none = py.none;
    if (tb === none) tb = 0;
    if (tb && vm.kindOf(tb) !== "traceback")
      vm.raise("TypeError", "throw() third argument must be a traceback object");
    if (value === none) value = 0;
    let exc: Ref;
    if (b.isType(type) && b.typeFromObject(type).isSubtype(vm.types.BaseException!)) {
      const t = b.typeFromObject(type);
      if (value && vm.typeOf(value).isSubtype(t)) exc = py.newRef(value);
      else if (value && vm.kindOf(value) === "tuple") exc = b.callType(t, py.items(value), null);
      else exc = b.callType(t, value ? [value] : [], null);
    } else if (vm.kindOf(type) === "exception") {
      if (value) vm.raise("TypeError", "instance exception may not have a separate value");
      exc = py.newRef(type);
    } else {
      return vm.raise(
        "TypeError",
        `exceptions must be classes or instances deriving from BaseException, not ${vm.typeOf(type).name}`,
      );
    }
    if (tb) py.setRef(exc, Exc.traceback, tb);
    return this.#sendEx(gen, none, exc);
  }

  /**
   * `gen.close()` (`gen_close`): GeneratorExit raised at the yield the generator is paused at
   * (after closing what it delegates to); RuntimeError if it yields again.
   */
  close(gen: Ref): void {
    const vm = this.#vm;
    const py = vm.py;
    const state = this.state(gen);
    // One never started gets GeneratorExit at its first instruction, outside any `try`: none of
    // its code runs, and its frame (its arguments) is released.
    if (state === GenState.Cleared) return;
    const yf = this.#yieldFrom(gen);
    let exc: Ref = 0;
    if (yf) {
      py.incref(yf);
      this.#setState(gen, GenState.Executing);
      try {
        this.#closeIter(yf);
      } catch (error) {
        exc = vm.toPython(error);
      } finally {
        this.#setState(gen, state);
        py.decref(yf);
      }
    }
    if (!exc) exc = vm.newExceptionWithArgs(vm.types.GeneratorExit!, []);
    let v: Ref;
    try {
      v = this.resume(gen, py.none, exc);
    } catch (error) {
      if (error instanceof Raised) {
        const t = vm.typeOf(error.exc);
        if (t.isSubtype(vm.types.StopIteration!) || t.isSubtype(vm.types.GeneratorExit!)) {
          py.decref(error.exc);
          return;
        }
      }
      throw error;
    }
    if (v) py.decref(v);
    if (this.returned) return;
    vm.raise("RuntimeError", "generator ignored GeneratorExit");
  }

  /** `gen_close_iter`: closes what a generator delegates to (its `close`, if it has one). */
  #closeIter(yf: Ref): void {
    const vm = this.#vm;
    if (vm.kindOf(yf) === "generator") {
      this.close(yf);
      return;
    }
    const meth = this.#lookupMethod(yf, "close");
    if (!meth) return;
    try {
      vm.py.decref(vm.call(meth, []));
    } finally {
      vm.py.decref(meth);
    }
  }

  /** `getattr(o, name)` (a new reference), or 0 when `o` has no such attribute. */
  #lookupMethod(o: Ref, name: string): Ref {
    const vm = this.#vm;
    try {
      return vm.builtins.getAttr(o, name);
    } catch (error) {
      if (error instanceof Raised && vm.typeOf(error.exc).isSubtype(vm.types.AttributeError!)) {
        vm.py.decref(error.exc);
        return 0;
      }
      throw error;
    }
  }

  /**
   * `_PyGen_Finalize` (tp_finalize), when the generator is about to go or is found in garbage:
   * an unfinished generator is closed. One paused at a yield runs its `finally` blocks; one
   * never started runs nothing, but its frame is released here, before the generator is (which
   * may break the cycle the collector found it in). An exception is reported as unraisable.
   */
  finalize(gen: Ref): void {
    const state = this.state(gen);
    if (state === GenState.Cleared) return;
    const vm = this.#vm;
    const py = vm.py;
    // The exception being handled is kept across the close.
    const saved = vm.excInfo;
    try {
      this.close(gen);
    } catch (error) {
      if (!(error instanceof Raised)) throw error;
      vm.builtins.writeUnraisable(vm.builtins.reprOf(gen), error.exc);
      py.decref(error.exc);
    } finally {
      vm.excInfo = saved;
    }
  }

  /**
   * `frame.clear()` (3.11's `frame_clear`): a suspended generator's frame closes the generator
   * (`_PyGen_Finalize`: its `finally` blocks run); a frame still running (a function's, the
   * module's, or an executing generator's) raises RuntimeError; a finished frame, which its
   * frame object owns, releases its local variables first to last (`frame_tp_clear`).
   */
  clearFrame(f: Ref): void {
    const vm = this.#vm;
    const py = vm.py;
    const frame = vm.frameInfo.get(f)?.frame ?? null;
    if (frame) {
      const gen = frame.generator;
      if (!gen || vm.generators.get(gen) !== frame || this.state(gen) === GenState.Executing)
        vm.raise("RuntimeError", "cannot clear an executing frame");
      this.finalize(gen);
      return;
    }
    const u32 = py.memory.u32;
    const n = u32[(f + FrameObj.count) >>> 2]!;
    for (let i = 0; i < n; i++) {
      const at = (f + FrameObj.locals + 8 * i) >>> 2;
      const v = u32[at]!;
      if (!v) continue;
      u32[at] = 0;
      py.decref(v);
    }
  }

  /** StopIteration's `value` (a new reference): its field, None when empty. */
  #stopValue(stop: Ref): Ref {
    const py = this.#vm.py;
    return py.newRef(
      py.getRef(stop, memberOffset(familyOf(this.#vm.typeOf(stop)), "value")) || py.none,
    );
  }

  /**
   * SEND's `PyIter_Send`: `receiver.send(v)` (v borrowed), or `next(receiver)` when v is None;
   * a new reference to what it yields, or to its return value with
   * {@link Generators.returned} set.
   */
  sendTo(receiver: Ref, v: Ref): Ref {
    const vm = this.#vm;
    const py = vm.py;
    const b = vm.builtins;
    if (vm.kindOf(receiver) === "generator") {
      const r = this.resume(receiver, v);
      return r || py.newRef(py.none);
    }
    const t = vm.typeOf(receiver);
    let r: Ref;
    try {
      if (v === py.none && t.kind === "iterator") {
        r = b.next(receiver);
        this.returned = r === 0;
        return r || py.newRef(py.none);
      }
      const meth = v === py.none ? b.lookupType(t, "__next__") : b.lookupType(t, "send");
      if (v === py.none && !meth)
        return vm.raise("TypeError", `'${t.name}' object is not an iterator`);
      if (meth) r = vm.call(meth, v === py.none ? [receiver] : [receiver, v]);
      else {
        const send = b.getAttr(receiver, "send");
        try {
          r = vm.call(send, [v]);
        } finally {
          py.decref(send);
        }
      }
    } catch (error) {
      if (error instanceof Raised && vm.typeOf(error.exc).isSubtype(vm.types.StopIteration!)) {
        const value = this.#stopValue(error.exc);
        py.decref(error.exc);
        this.returned = true;
        return value;
      }
      throw error;
    }
    this.returned = false;
    return r;
  }

  /** GET_YIELD_FROM_ITER: a generator is its own iterator; anything else is `iter(o)`. */
  yieldFromIter(o: Ref): Ref {
    const vm = this.#vm;
    if (vm.kindOf(o) === "generator") return vm.py.newRef(o);
    return vm.builtins.iter(o);
  }

  /** A generator's attribute (a new reference), or 0 for a name it has none of. */
  attribute(gen: Ref, name: string): Ref {
    const vm = this.#vm;
    const py = vm.py;
    switch (name) {
      case "gi_code":
        return py.newRef(py.getRef(gen, Gen.code));
      case "__name__":
        return py.newRef(py.getRef(gen, Gen.name));
      case "__qualname__":
        return py.newRef(py.getRef(gen, Gen.qualname));
      case "gi_running":
        return py.bool(this.state(gen) === GenState.Executing);
      case "gi_suspended":
        return py.bool(this.state(gen) === GenState.Suspended);
      case "gi_yieldfrom": {
        const yf = this.#yieldFrom(gen);
        return py.newRef(yf || py.none);
      }
      case "gi_frame":
        return this.#frameObject(gen);
      default:
        return 0;
    }
  }

  /** `gi_frame`: the frame object of the generator's frame, None once it has been released. */
  #frameObject(gen: Ref): Ref {
    const vm = this.#vm;
    const py = vm.py;
    const state = this.state(gen);
    if (state === GenState.Cleared) return py.newRef(py.none);
    const frame = vm.generators.get(gen)!;
    if (state === GenState.Executing) return py.newRef(vm.frameObjectOf(frame));
    const u32 = py.memory.u32;
    let f = u32[(gen + Gen.frame) >>> 2]!;
    if (!f) {
      // Made for the paused frame, then kept by the generator with the rest of the frame.
      f = vm.frameObjectOf(frame, u32[(gen + Gen.func) >>> 2]!);
      frame.frameObject = 0;
      u32[(gen + Gen.frame) >>> 2] = f;
    }
    return py.newRef(f);
  }

  /**
   * A frame object's attribute (a new reference), or 0 for a name it has none of: `f_locals`
   * (a new dict of the bound locals, cells read through), `f_lineno`, `f_code`, `f_globals`,
   * `f_back`.
   */
  frameAttribute(f: Ref, name: string): Ref {
    const vm = this.#vm;
    const py = vm.py;
    const info = vm.frameInfo.get(f);
    const frame = info?.frame ?? null;
    switch (name) {
      case "f_code":
        return py.newRef(py.getRef(f, FrameObj.code));
      case "f_globals": {
        const held = py.getRef(f, FrameObj.globals);
        return py.newRef(vm.kindOf(held) === "function" ? py.getRef(held, Fn.globals) : held);
      }
      case "f_lineno": {
        if (!frame) return py.int(info?.lineno ?? 0);
        return py.int(frame.code.unit.lines[frame.lasti] ?? 0);
      }
      case "f_back": {
        if (!frame) return py.newRef(py.getRef(f, FrameObj.back) || py.none);
        const gen = frame.generator;
        // A paused generator's frame has no caller.
        if (gen && this.state(gen) !== GenState.Executing) return py.newRef(py.none);
        return py.newRef(frame.back ? vm.frameObjectOf(frame.back) : py.none);
      }
      case "f_locals":
        return this.#locals(f, frame);
      default:
        return 0;
    }
  }

  /** `frame.f_locals` of a function frame: a dict of its bound locals, cells and free variables. */
  #locals(f: Ref, frame: VMFrame | null): Ref {
    const vm = this.#vm;
    const py = vm.py;
    const u32 = py.memory.u32;
    const code = vm.codes.get(py.getRef(f, FrameObj.code));
    if (frame?.locals) return py.newRef(frame.locals);
    let slots: number[];
    if (!frame) {
      const n = u32[(f + FrameObj.count) >>> 2]!;
      slots = [];
      for (let i = 0; i < n; i++) slots.push(u32[(f + FrameObj.locals + 8 * i) >>> 2]!);
    } else if (
      frame.generator &&
      vm.generators.get(frame.generator) === frame &&
      this.#paused(frame.generator)
    ) {
      const gen = frame.generator;
      slots = [];
      for (let i = 0; i < frame.fast.length; i++) slots.push(u32[(gen + Gen.items + 8 * i) >>> 2]!);
    } else {
      slots = frame.fast;
    }
    // A live frame's f_locals is its own dict, refreshed (a finished frame's is made anew).
    if (frame && code) return py.newRef(fastToLocals(vm, frame, slots));
    const d = py.dict();
    if (!code) return d;
    const unit = code.unit;
    const names = [...unit.varnames, ...unit.cellvars, ...unit.freevars];
    const cellStart = unit.varnames.length;
    for (let i = 0; i < names.length && i < slots.length; i++) {
      let v = slots[i]!;
      if (v && i >= cellStart && vm.kindOf(v) === "cell") v = py.getRef(v, 16);
      if (!v) continue;
      const key = py.str(names[i]!);
      try {
        py.setItem(d, key, v);
      } finally {
        py.decref(key);
      }
    }
    return d;
  }

  /** Whether the generator's frame is in the object (not running, not released). */
  #paused(gen: Ref): boolean {
    const s = this.state(gen);
    return s === GenState.Created || s === GenState.Suspended;
  }
}

/**
 * The generator type's methods: `__iter__`, `__next__`, `send`, `throw` and `close`, with
 * CPython's argument errors.
 */
export function installGeneratorMethods(vm: Host, gens: Generators): void {
  const py = vm.py;
  const methods = vm.types.generator!.methods;
  const noKeywords = (name: string, kwargs: ReadonlyMap<string, Ref> | null) => {
    if (kwargs && kwargs.size > 0) vm.raise("TypeError", `${name}() takes no keyword arguments`);
  };
  methods.set("__iter__", (a, kw) => {
    noKeywords("generator.__iter__", kw);
    if (a.length !== 1) vm.raise("TypeError", `expected 0 arguments, got ${a.length - 1}`);
    return py.newRef(a[0]!);
  });
  methods.set("__next__", (a, kw) => {
    noKeywords("generator.__next__", kw);
    if (a.length !== 1) vm.raise("TypeError", `expected 0 arguments, got ${a.length - 1}`);
    const v = gens.next(a[0]!);
    return v || vm.raise("StopIteration");
  });
  methods.set("send", (a, kw) => {
    noKeywords("generator.send", kw);
    if (a.length !== 2)
      vm.raise("TypeError", `generator.send() takes exactly one argument (${a.length - 1} given)`);
    return gens.send(a[0]!, a[1]!);
  });
  methods.set("throw", (a, kw) => {
    noKeywords("generator.throw", kw);
    const n = a.length - 1;
    if (n < 1) vm.raise("TypeError", `throw expected at least 1 argument, got ${n}`);
    if (n > 3) vm.raise("TypeError", `throw expected at most 3 arguments, got ${n}`);
    return gens.throw(a[0]!, a[1]!, a[2] ?? 0, a[3] ?? 0);
  });
  methods.set("close", (a, kw) => {
    noKeywords("generator.close", kw);
    if (a.length !== 1)
      vm.raise("TypeError", `generator.close() takes no arguments (${a.length - 1} given)`);
    gens.close(a[0]!);
    return py.newRef(py.none);
  });
  vm.types.frame!.methods.set("clear", (a, kw) => {
    noKeywords("frame.clear", kw);
    if (a.length !== 1)
      vm.raise("TypeError", `frame.clear() takes no arguments (${a.length - 1} given)`);
    gens.clearFrame(a[0]!);
    return py.newRef(py.none);
  });
}
