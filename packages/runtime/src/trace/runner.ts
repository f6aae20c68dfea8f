// Running an mm-trace on a runtime: each op does what the CPython program the conformance
// driver writes for it does, in the same order of loads, allocations, stores and releases, so
// that finalizers, weakref callbacks and automatic collections happen at the same moments and
// the event log equals CPython's line for line.

import { WeakrefTypeError } from "@mm/refcount";
import { indexSized, PythonError, raise, raiseItemDeletion } from "../errors.js";
import type { Frame } from "../frames.js";
import { coreOf, type RuntimeCore } from "../internal/core.js";
import type { PythonClass } from "../objects/model.js";
import type { Op, Target, Trace, TraceValue } from "./format.js";

/** One event of the log (the conformance README lists them), keys in the order they are written. */
export type TraceEvent =
  | { readonly event: "finalize"; readonly name: string }
  | { readonly event: "weakref-callback"; readonly name: string }
  | { readonly event: "collect"; readonly generation: number; readonly result: number }
  | {
      readonly event: "gc";
      readonly call: string;
      readonly var?: string;
      readonly value: boolean | number | number[];
    }
  | { readonly event: "refcount"; readonly var: string; readonly value: number }
  | { readonly event: "sizeof"; readonly var: string; readonly value: number }
  | {
      readonly event: "error";
      readonly line: number;
      readonly type: string;
      readonly message: string;
    };

/** An event as one JSON line, compact, keys in order (as the CPython driver writes it). */
export function formatEvent(event: TraceEvent): string {
  return JSON.stringify(event);
}

/** Names bound by an op: what makes a name local to the call that contains the op. */
function boundNames(op: Op): string[] {
  switch (op.op) {
    case "new-object":
    case "new-list":
    case "new-tuple":
    case "new-dict":
    case "new-scalar":
    case "assign":
    case "get":
    case "weakref":
    case "del":
      return [op.var];
    case "call":
      return op.var ? [op.var] : [];
    case "repeat":
      return op.ops.flatMap(boundNames);
    default:
      return [];
  }
}

const valueName = (v: TraceValue | undefined) => (v?.kind === "var" ? [v.name] : []);

/**
 * Names an op mentions, in the order CPython's compiler meets them (loads before the store,
 * the value before the target of an assignment): this order numbers a function's locals.
 */
function mentionedNames(op: Op): string[] {
  switch (op.op) {
    case "new-object":
    case "new-scalar":
      return [op.var];
    case "new-list":
    case "new-tuple":
      return [...op.items.flatMap(valueName), op.var];
    case "new-dict":
      return [...op.items.flatMap(([, v]) => valueName(v)), op.var];
    case "assign":
      return [...valueName(op.value), op.var];
    case "del":
    case "refcount":
    case "sizeof":
      return [op.var];
    case "set":
      return [...valueName(op.value), op.obj];
    case "get":
      return [op.obj, op.var];
    case "unset":
    case "pop":
    case "clear":
      return [op.obj];
    case "append":
      return [op.obj, ...valueName(op.value)];
    case "weakref":
      return [...valueName(op.target), op.var];
    case "call":
      return op.var ? [op.var] : [];
    case "repeat":
      return op.ops.flatMap(mentionedNames);
    case "gc":
      return op.var ? [op.var] : [];
    case "collect":
      return [];
  }
}

/** A function's locals in co_varnames order. */
function varnames(call: Extract<Op, { op: "call" }>): string[] {
  const local = new Set(call.ops.flatMap(boundNames));
  const order = [...call.ops.flatMap(mentionedNames), ...valueName(call.value)];
  return [...new Set(order.filter((n) => local.has(n)))];
}

/** Options of {@link TraceRun}. */
export interface TraceRunOptions {
  /**
   * Called once the run has set up CPython's start state (collect, freeze, collect) and before
   * the first op: figures read here leave out the set-up's collections.
   */
  readonly onStart?: () => void;
  /** Called after every op that runs (each iteration of a repeat's ops counts), with its 1-based step. */
  readonly onStep?: (step: number, line: number) => void;
  /**
   * Stops after this many steps (for pictures of the heap at a given step). The program stays
   * paused as it was at that step: frames of unfinished calls stay on the stack.
   */
  readonly maxSteps?: number;
}

/**
 * An op list being run: the next op's index, the frame it runs in, how many more times it runs
 * (a repeat's body), and the call whose body it is, if it is one.
 */
interface Activation {
  readonly ops: readonly Op[];
  next: number;
  readonly frame: Frame;
  again: number;
  readonly call: Extract<Op, { op: "call" }> | undefined;
}

/** Thrown to stop a run after `maxSteps`. */
class StopRun extends Error {}

/** Runs one trace on one runtime and collects its events. */
export class TraceRun {
  readonly events: TraceEvent[] = [];
  /** Ops run so far. */
  steps = 0;
  readonly #rt: RuntimeCore;
  readonly #trace: Trace;
  readonly #options: TraceRunOptions;
  readonly #classes = new Map<string, PythonClass>();
  readonly #varnames = new Map<Op, string[]>();
  #recording = false;
  #freezeBase = 0;

  /**
   * @param runtime - the `Runtime` to run on
   * @throws TypeError when `runtime` is not a `Runtime`
   */
  constructor(runtime: object, trace: Trace, options: TraceRunOptions = {}) {
    this.#rt = coreOf(runtime);
    this.#trace = trace;
    this.#options = options;
  }

  /** Runs the whole trace; returns the events, in the order they happened. */
  run(): TraceEvent[] {
    const rt = this.#rt;
    if (rt.capabilities.generational) {
      rt.collect(2);
      rt.strategy.freeze();
      rt.collect(2);
    }
    this.#freezeBase = rt.strategy.getFreezeCount();
    this.#options.onStart?.();
    const module = rt.frames.module;
    const { filename, lineno } = module;
    module.filename = this.#trace.file ?? "<trace>";
    this.#recording = true;
    const depth = rt.frames.depth;
    const temps = rt.temps.length;
    try {
      this.#exec(this.#trace.ops, module);
    } catch (error) {
      // maxSteps pauses the program where it is, frames and all. Any other error that is not a
      // Python exception (a stack overflow, a heap error) ends the run: its frames are popped
      // and what they held released, so the runtime stays usable.
      if (!(error instanceof StopRun)) {
        this.#unwind(depth, temps);
        throw error;
      }
    } finally {
      this.#recording = false;
      module.filename = filename;
      module.lineno = lineno;
    }
    return this.events;
  }

  #unwind(depth: number, temps: number): void {
    const rt = this.#rt;
    while (rt.temps.length > temps) rt.strategy.decref(rt.temps.pop()!);
    while (rt.frames.depth > depth) {
      const frame = rt.frames.top;
      try {
        rt.frames.pop(frame);
      } catch {
        // A return that faults still pops the frame (FrameStack.pop); the run is already ending
        // with the error that brought it here, which is the one to report.
      }
      for (const o of frame.clear()) rt.strategy.decref(o);
    }
  }

  #record(event: TraceEvent): void {
    if (this.#recording) this.events.push(event);
  }

  /**
   * Runs `ops` in `frame`. A loop over an explicit stack of op lists, not a recursion per call:
   * a trace nests calls as deep as the recursion limit lets it, and the limit is the program's
   * to set (`sys.setrecursionlimit`), so the JavaScript stack must not be what runs out first.
   */
  #exec(ops: readonly Op[], frame: Frame): void {
    const stack: Activation[] = [{ ops, next: 0, frame, again: 0, call: undefined }];
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) return;
      const op = top.ops[top.next];
      if (op !== undefined) {
        top.next++;
        const here = top.frame;
        here.lineno = op.line;
        if (op.op === "repeat") {
          if (op.times > 0)
            stack.push({ ops: op.ops, next: 0, frame: here, again: op.times - 1, call: undefined });
        } else if (op.op === "call") {
          const callee = this.#enter(op);
          if (callee) stack.push({ ops: op.ops, next: 0, frame: callee, again: 0, call: op });
          else this.#step(op.returnLine);
        } else {
          this.#guard(op.line, () => this.#op(op, here));
          this.#step(op.line);
        }
      } else if (top.again > 0) {
        top.again--;
        top.next = 0;
      } else {
        stack.pop();
        if (top.call) {
          this.#return(top.call, top.frame, stack[stack.length - 1]!.frame);
          this.#step(top.call.returnLine);
        }
      }
    }
  }

  #step(line: number): void {
    this.steps++;
    // Stress mode: a broken structure is caught at the op that broke it.
    const config = this.#rt.config;
    if (config.stress && this.steps % config.stressVerifyEvery === 0) this.#rt.verify();
    this.#options.onStep?.(this.steps, line);
    if (this.#options.maxSteps !== undefined && this.steps >= this.#options.maxSteps)
      throw new StopRun();
  }

  /** Runs `body`; a Python exception releases the temporaries and becomes an error event. */
  #guard(line: number, body: () => void): void {
    const temps = this.#rt.temps;
    const mark = temps.length;
    try {
      body();
    } catch (error) {
      const python = toPython(error);
      if (!python) throw error;
      while (temps.length > mark) this.#rt.strategy.decref(temps.pop()!);
      this.#record({ event: "error", line, type: python.pythonType, message: python.message });
    }
  }

  /** A call's start: pushes its frame, or records the error (RecursionError) that stops it. */
  #enter(op: Extract<Op, { op: "call" }>): Frame | undefined {
    const rt = this.#rt;
    let names = this.#varnames.get(op);
    if (!names) {
      names = varnames(op);
      this.#varnames.set(op, names);
    }
    let callee: Frame;
    try {
      callee = rt.frames.push(`_call@${op.line}`, this.#trace.file ?? "<trace>", names);
    } catch (error) {
      const python = toPython(error);
      if (!python) throw error;
      this.#record({
        event: "error",
        line: op.returnLine,
        type: python.pythonType,
        message: python.message,
      });
      return undefined;
    }
    return callee;
  }

  /** A call's end, its body run: the return value, the frame popped, the result bound. */
  #return(op: Extract<Op, { op: "call" }>, callee: Frame, caller: Frame): void {
    const rt = this.#rt;
    callee.lineno = op.returnLine;
    let result = 0;
    let failure: PythonError | undefined;
    try {
      result = op.value ? this.#load(op.value, callee) : this.#newRef(rt.objects.none);
      rt.temps.pop();
    } catch (error) {
      failure = toPython(error);
      if (!failure) throw error;
    }
    try {
      rt.frames.pop(callee);
    } catch (error) {
      // The frame is popped even so (see FrameStack.pop); what it and the return value held
      // is released before the fault ends the run.
      for (const o of callee.clear()) rt.strategy.decref(o);
      if (!failure) rt.strategy.decref(result);
      throw error;
    }
    if (failure) {
      this.#record({
        event: "error",
        line: op.returnLine,
        type: failure.pythonType,
        message: failure.message,
      });
      for (const o of callee.clear()) rt.strategy.decref(o);
      return;
    }
    rt.temps.push(result);
    for (const o of callee.clear()) rt.strategy.decref(o);
    rt.temps.pop();
    if (op.var) this.#bind(op.var, result, caller);
    else rt.strategy.decref(result);
  }

  #op(op: Exclude<Op, { op: "repeat" | "call" }>, frame: Frame): void {
    const rt = this.#rt;
    const m = rt.objects;
    const temps = rt.temps;
    switch (op.op) {
      case "new-object": {
        const name = this.#push(m.newStr(op.name));
        const o = this.#push(m.newInstance(this.#classFor(op)));
        m.setAttr(o, "name", name);
        temps.pop();
        temps.pop();
        rt.strategy.decref(name);
        this.#bind(op.var, o, frame);
        return;
      }
      case "new-list":
      case "new-tuple": {
        const mark = temps.length;
        const items = op.items.map((v) => this.#load(v, frame));
        const o = op.op === "new-list" ? m.newList(items) : m.newTuple(items);
        this.#dropTemps(mark);
        this.#bind(
          op.var,
          op.op === "new-tuple" && items.length === 0 ? this.#newRef(o) : o,
          frame,
        );
        return;
      }
      case "new-dict": {
        const mark = temps.length;
        const values = op.items.map(([, v]) => this.#load(v, frame));
        const d = this.#push(m.newDict());
        op.items.forEach(([key], i) => {
          m.dictSet(d, rt.keyConstant(key), values[i]!);
        });
        temps.pop();
        this.#dropTemps(mark);
        this.#bind(op.var, d, frame);
        return;
      }
      case "new-scalar":
      case "assign": {
        const o = this.#load(op.value, frame);
        temps.pop();
        this.#bind(op.var, o, frame);
        return;
      }
      case "del":
        this.#unbind(op.var, frame);
        return;
      case "set": {
        const mark = temps.length;
        const value = this.#load(op.value, frame);
        const obj = this.#push(this.#newRef(this.#read(op.obj, frame)));
        this.#store(obj, op.target, value);
        this.#dropTemps(mark);
        return;
      }
      case "get": {
        const mark = temps.length;
        const obj = this.#push(this.#newRef(this.#read(op.obj, frame)));
        const value = this.#push(this.#fetch(obj, op.target));
        temps.pop();
        this.#dropTemps(mark);
        this.#bind(op.var, value, frame);
        return;
      }
      case "unset": {
        const mark = temps.length;
        const obj = this.#push(this.#newRef(this.#read(op.obj, frame)));
        this.#remove(obj, op.target);
        this.#dropTemps(mark);
        return;
      }
      case "append": {
        const mark = temps.length;
        const list = this.#push(this.#newRef(this.#read(op.obj, frame)));
        this.#method(list, "append");
        const value = this.#load(op.value, frame);
        m.listAppend(list, value);
        this.#dropTemps(mark);
        return;
      }
      case "pop": {
        const mark = temps.length;
        const obj = this.#push(this.#newRef(this.#read(op.obj, frame)));
        const type = this.#method(obj, "pop");
        if (type === "dict") raise("TypeError", "pop expected at least 1 argument, got 0");
        const item = m.listPop(obj);
        this.#dropTemps(mark);
        rt.strategy.decref(item);
        return;
      }
      case "clear": {
        const mark = temps.length;
        const obj = this.#push(this.#newRef(this.#read(op.obj, frame)));
        const type = this.#method(obj, "clear");
        if (type === "dict") m.dictClear(obj);
        else m.listClear(obj);
        this.#dropTemps(mark);
        return;
      }
      case "weakref": {
        const mark = temps.length;
        const target = this.#load(op.target, frame);
        const name = op.callback;
        const wr = rt.strategy.rc.newWeakref(
          target,
          name === undefined
            ? undefined
            : (w) => {
                rt.notifyWeakrefCallback(w);
                this.#record({ event: "weakref-callback", name });
              },
        );
        if (wr === 0) raise("MemoryError", "");
        rt.notifyAllocate(wr);
        this.#dropTemps(mark);
        this.#bind(op.var, wr, frame);
        return;
      }
      case "collect": {
        // gc.collect's argument is a C int: outside it, the conversion fails first.
        if (op.generation < -(2 ** 31) || op.generation > 2 ** 31 - 1)
          raise("OverflowError", "Python int too large to convert to C int");
        if (op.generation < 0 || op.generation > 2) raise("ValueError", "invalid generation");
        const result = rt.collect(op.generation);
        this.#record({ event: "collect", generation: op.generation, result });
        return;
      }
      case "gc":
        this.#gc(op, frame);
        return;
      case "refcount": {
        const o = this.#read(op.var, frame);
        this.#record({ event: "refcount", var: op.var, value: rt.referenceCount(o) });
        return;
      }
      case "sizeof": {
        const o = this.#read(op.var, frame);
        this.#record({ event: "sizeof", var: op.var, value: m.sizeOf(o) });
        return;
      }
    }
  }

  #gc(op: Extract<Op, { op: "gc" }>, frame: Frame): void {
    const s = this.#rt.strategy;
    switch (op.call) {
      case "disable":
        s.disable();
        return;
      case "enable":
        s.enable();
        return;
      case "freeze":
        s.freeze();
        return;
      case "unfreeze":
        s.unfreeze();
        return;
      case "set_threshold":
        s.setThreshold(op.args[0]!, op.args[1], op.args[2]);
        return;
      case "set_debug":
        s.setDebug(op.args[0]!);
        return;
      case "get_count":
        this.#record({ event: "gc", call: op.call, value: s.getCount() });
        return;
      case "get_threshold":
        this.#record({ event: "gc", call: op.call, value: s.getThreshold() });
        return;
      case "get_freeze_count": {
        const frozen = s.getFreezeCount();
        this.#record({
          event: "gc",
          call: op.call,
          value: frozen === 0 ? 0 : frozen - this.#freezeBase,
        });
        return;
      }
      case "garbage":
        this.#record({ event: "gc", call: op.call, value: s.garbage.length });
        return;
      case "is_tracked":
      case "is_finalized": {
        const o = this.#read(op.var!, frame);
        const value = op.call === "is_tracked" ? s.isTracked(o) : s.isFinalized(o);
        this.#record({ event: "gc", call: op.call, var: op.var!, value });
        return;
      }
    }
  }

  // --------------------------------------------------------------- objects

  /** The class an object op instantiates: Obj, Obj with __del__, or Obj resurrecting into a variable. */
  #classFor(op: Extract<Op, { op: "new-object" }>): PythonClass {
    const key = op.resurrect !== undefined ? `res:${op.resurrect}` : op.del ? "del" : "plain";
    let cls = this.#classes.get(key);
    if (!cls) {
      const rt = this.#rt;
      const target = op.resurrect;
      const del = op.del
        ? (self: number) => {
            const name = rt.objects.getAttr(self, "name");
            this.#record({ event: "finalize", name: name === 0 ? "" : rt.objects.strValue(name) });
            if (target !== undefined) this.#bind(target, this.#newRef(self), rt.frames.module);
          }
        : undefined;
      cls = rt.objects.defineClass({ name: "Obj", ...(del ? { del } : {}) });
      this.#classes.set(key, cls);
    }
    return cls;
  }

  /** `obj.attr = value` or `obj[key] = value`. */
  #store(obj: number, target: Target, value: number): void {
    const m = this.#rt.objects;
    const type = m.typeName(obj);
    if ("attr" in target) {
      if (!m.classOf(obj))
        raise("AttributeError", `'${type}' object has no attribute '${target.attr}'`);
      m.setAttr(obj, target.attr, value);
      return;
    }
    if (type === "dict") {
      const key = this.#push(this.#key(target.key));
      m.dictSet(obj, key, value);
      return;
    }
    if (type === "list") {
      m.listSet(obj, this.#index(type, target.key), value);
      return;
    }
    raise("TypeError", `'${type}' object does not support item assignment`);
  }

  /** `obj.attr` or `obj[key]`: a new reference. */
  #fetch(obj: number, target: Target): number {
    const rt = this.#rt;
    const m = rt.objects;
    const type = m.typeName(obj);
    if ("attr" in target) {
      const value = m.classOf(obj) ? m.getAttr(obj, target.attr) : 0;
      if (value === 0)
        raise("AttributeError", `'${type}' object has no attribute '${target.attr}'`);
      return this.#newRef(value);
    }
    if (type === "dict") {
      const key = this.#push(this.#key(target.key));
      const value = m.dictGet(obj, key);
      if (value === 0) raise("KeyError", m.repr(key));
      return this.#newRef(value);
    }
    if (type === "list") return this.#newRef(m.listGet(obj, this.#index(type, target.key)));
    if (type === "tuple") {
      const items = m.tupleItems(obj);
      const i = this.#index(type, target.key);
      const at = i < 0 ? i + items.length : i;
      if (at < 0 || at >= items.length) raise("IndexError", "tuple index out of range");
      return this.#newRef(items[at]!);
    }
    if (type === "str") {
      if (typeof target.key !== "bigint")
        raise("TypeError", "string indices must be integers, not 'str'");
      const chars = Array.from(m.strValue(obj));
      const i = this.#index(type, target.key);
      const at = i < 0 ? i + chars.length : i;
      if (at < 0 || at >= chars.length) raise("IndexError", "string index out of range");
      return this.#newRef(m.newStr(chars[at]!));
    }
    return raise("TypeError", `'${type}' object is not subscriptable`);
  }

  /** `del obj.attr` or `del obj[key]`. */
  #remove(obj: number, target: Target): void {
    const m = this.#rt.objects;
    const type = m.typeName(obj);
    if ("attr" in target) {
      if (!m.classOf(obj))
        raise("AttributeError", `'${type}' object has no attribute '${target.attr}'`);
      m.delAttr(obj, target.attr);
      return;
    }
    if (type === "dict") {
      const key = this.#push(this.#key(target.key));
      m.dictDelete(obj, key);
      return;
    }
    if (type === "list") {
      m.listDelete(obj, this.#index(type, target.key));
      return;
    }
    raiseItemDeletion(
      type,
      m.classOf(obj) !== undefined,
      typeof target.key === "bigint",
      typeof target.key === "bigint" ? target.key : undefined,
    );
  }

  /** A key written in code: a str constant, or a fresh int (for ints, as `_z + n` is not). */
  #key(key: string | bigint): number {
    const rt = this.#rt;
    if (typeof key === "string") return this.#newRef(rt.keyConstant(key));
    return rt.objects.newInt(key);
  }

  /** A list or tuple index from a key, or CPython's TypeError for a str key. */
  #index(type: string, key: string | bigint): number {
    if (typeof key === "string")
      raise("TypeError", `${type} indices must be integers or slices, not str`);
    return indexSized(key);
  }

  /** LOAD_METHOD: the type must have the method, else AttributeError. Returns the type's name. */
  #method(obj: number, name: "append" | "pop" | "clear"): string {
    const type = this.#rt.objects.typeName(obj);
    const has = type === "list" || (type === "dict" && name !== "append");
    if (!has) raise("AttributeError", `'${type}' object has no attribute '${name}'`);
    return type;
  }

  // --------------------------------------------------------------- variables and temporaries

  /** Evaluates a value to a new reference, pushed on the temporaries (a root until stored). */
  #load(value: TraceValue, frame: Frame): number {
    const m = this.#rt.objects;
    switch (value.kind) {
      case "var":
        return this.#push(this.#newRef(this.#read(value.name, frame)));
      case "none":
        return this.#push(this.#newRef(m.none));
      case "bool":
        return this.#push(this.#newRef(m.newBool(value.value)));
      case "int":
        return this.#push(m.newInt(value.value));
      case "float":
        return this.#push(m.newFloat(value.value));
      case "str":
        return this.#push(m.newStr(value.value));
    }
  }

  #push(o: number): number {
    this.#rt.temps.push(o);
    return o;
  }

  /** Pops temporaries down to `mark` and releases them in the order they were pushed. */
  #dropTemps(mark: number): void {
    const temps = this.#rt.temps;
    const held = temps.splice(mark);
    for (const o of held) this.#rt.strategy.decref(o);
  }

  #newRef(o: number): number {
    this.#rt.strategy.incref(o);
    return o;
  }

  /** The object a name refers to (borrowed), with Python's scoping and errors. */
  #read(name: string, frame: Frame): number {
    if (frame.locals?.has(name)) {
      const o = frame.get(name);
      if (o === 0)
        raise(
          "UnboundLocalError",
          `cannot access local variable '${name}' where it is not associated with a value`,
        );
      return o;
    }
    const o = this.#rt.frames.module.get(name);
    if (o === 0) raise("NameError", `name '${name}' is not defined`);
    return o;
  }

  /** Stores a new reference (which the variable takes over), then releases the old value. */
  #bind(name: string, o: number, frame: Frame): void {
    const target = frame.locals ? frame : this.#rt.frames.module;
    const old = target.set(name, o);
    if (old !== 0) this.#rt.strategy.decref(old);
  }

  #unbind(name: string, frame: Frame): void {
    if (frame.locals) {
      const old = frame.delete(name);
      if (old === 0)
        raise(
          "UnboundLocalError",
          `cannot access local variable '${name}' where it is not associated with a value`,
        );
      this.#rt.strategy.decref(old);
      return;
    }
    const old = this.#rt.frames.module.delete(name);
    if (old === 0) raise("NameError", `name '${name}' is not defined`);
    this.#rt.strategy.decref(old);
  }
}

/** A Python exception from the runtime or the packages below it, or undefined. */
function toPython(error: unknown): PythonError | undefined {
  if (error instanceof PythonError) return error;
  if (error instanceof WeakrefTypeError) return new PythonError("TypeError", error.message);
  return undefined;
}
