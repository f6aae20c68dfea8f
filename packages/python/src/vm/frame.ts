// One activation of the evaluator (a function call, a class body or the module) and the
// JavaScript side of a code object: plain data the interpreter and the built-in types share.

import type { ActivationFrame, Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { OP_COUNT, Op } from "../compile/opcodes.js";
import type { PyType, TypeLookup } from "./types.js";

/** The JavaScript side of a code object: the unit and its constants as heap objects. */
export interface CodeInfo {
  readonly unit: CodeUnit;
  /**
   * The instructions the evaluator runs: the unit's, with the first instruction of each run it
   * can do in one step replaced by a {@link Fused} opcode (see {@link fuseInstructions}).
   */
  readonly ops: Int32Array;
  /** The heap code object. */
  readonly object: Ref;
  /** The constants, as objects the code object owns (through its consts tuple). */
  readonly consts: Ref[];
  /** The names (`co_names`) as interned strs the code object owns. */
  readonly names: Ref[];
  /** Local slots: varnames, then cells, then free variables. */
  readonly nlocalsplus: number;
  /**
   * Whether a call with exactly `argCount` positional arguments only has to move them into the
   * new frame: no `*args`/`**kwargs`, keyword-only arguments, cells, free variables, and not a
   * generator (CPython's "simple" function for CALL_PY_EXACT_ARGS).
   */
  readonly simpleArgs: boolean;
  /** LOAD_GLOBAL's inline caches, made at the code's first global load. */
  globalCache: GlobalCache | undefined;
  /**
   * CALL's inline caches, made at the code's first call of a Python function: by instruction,
   * the code last called from there (checked against the callee's code object before use).
   */
  callCache: Array<CodeInfo | undefined> | undefined;
  /** LOAD_ATTR's, STORE_ATTR's and LOAD_METHOD's inline caches, made at the code's first one. */
  attrCache: Array<AttrCache | undefined> | undefined;
  /** CALL's inline caches for class calls (see {@link ClassCallCache}), made at the first one. */
  classCallCache: Array<ClassCallCache | undefined> | undefined;
  /** False once the code object is freed (its address may then be another code's). */
  live: boolean;
  /**
   * CPython 3.11's `co_warmup`: starts at -8 and counts the code's RESUMEs (a frame starting or
   * a generator resuming) and JUMP_BACKWARDs; at 0 the code is quickened, and its adaptive
   * instructions begin to specialise (see `AddCaches`).
   */
  warmup: number;
  /**
   * The adaptive caches of its `+` and `+=` instructions and of its calls (PRECALL's), by
   * instruction, made once it is quickened.
   */
  addCaches: Int32Array | undefined;
  /**
   * Per call instruction of a quickened code, the last callable its specialised form was hit
   * by (its address doubled, plus 1 for a method call) and that callable's type: the same
   * callable hits again without being classified.
   */
  callHits: Float64Array | undefined;
  /** Finished frames of this code, kept to be the next calls' frames (see VMFrame.reset). */
  readonly spareFrames: VMFrame[];
}

/**
 * LOAD_GLOBAL's inline caches of one code object, one entry per instruction (CPython 3.11's
 * LOAD_GLOBAL_MODULE and LOAD_GLOBAL_BUILTIN): the object a load found and the version tags of
 * the dicts it looked in. The entry holds while both dicts keep those tags, which every change
 * of their entries replaces (a version tag is never reused), so a hit is the lookup's result.
 */
export class GlobalCache {
  /** The globals dict the entry was made for (a code object can run with other globals); 0: none. */
  readonly globals: Uint32Array;
  /** Its version tag then. */
  readonly globalsVersion: Float64Array;
  /** The builtins dict's version tag, when the name was not in the globals; 0 when it was. */
  readonly builtinsVersion: Float64Array;
  /** What the load found (borrowed: the dict it is in holds it while its tag stays). */
  readonly value: Uint32Array;

  constructor(instructions: number) {
    this.globals = new Uint32Array(instructions);
    this.globalsVersion = new Float64Array(instructions);
    this.builtinsVersion = new Float64Array(instructions);
    this.value = new Uint32Array(instructions);
  }
}

/**
 * An attribute access's inline cache on instances of one class (CPython 3.11's
 * LOAD_ATTR_INSTANCE_VALUE, STORE_ATTR_INSTANCE_VALUE and LOAD_METHOD_NO_DICT): where the
 * instances keep the attribute, and the lookup of the name along the class's MRO that decided
 * it (the role of CPython's type version tag: it holds while no namespace it looked in has
 * changed). A hit does what the general path would: the access is on an instance of `type`,
 * whose class lookup still holds, and the instance's values block has the slot.
 */
/**
 * {@link AttrCache.index} of a LOAD_METHOD entry for objects of a built-in type (not an instance
 * of a class, a subclass's or an exception's): what LOAD_METHOD finds depends on the type's
 * lookup of the name alone.
 */
export const NO_INSTANCE_ATTRIBUTES = -2;

export class AttrCache {
  /** The class of the instances the entry is for (compared by identity). */
  readonly type: PyType;
  /** The lookup of the name along the MRO: a plain class attribute or method, or nothing. */
  readonly lookup: TypeLookup;
  /**
   * The name's index in the class's key table, or -1 when it had none (LOAD_METHOD), or
   * {@link NO_INSTANCE_ATTRIBUTES} for a LOAD_METHOD on an object of a built-in type, which no
   * attribute of its own can hide.
   */
  readonly index: number;
  /** The key table's size when the entry was made, for index -1: while it holds, still none. */
  readonly count: number;

  constructor(type: PyType, lookup: TypeLookup, index: number, count: number) {
    this.type = type;
    this.lookup = lookup;
    this.index = index;
    this.count = count;
  }
}

/**
 * What a class call `C(...)` keeps while the `__init__` it calls runs in the evaluator's loop
 * (CPython's `type_call` calling `__init__` from C): what `C(...)` returns, the arguments packed
 * as the call packs them, and where the call's operands start on the caller's stack (they are
 * released when the call is over, after `__init__` has returned).
 */
/**
 * What a CALL of a class whose `__init__` is a Python function found, kept for its next calls:
 * the class, the lookup of `__init__` along its MRO (its value is the function) and the lookup
 * that found no `__new__` in its class statements (value 0). It holds while both lookups do
 * (no namespace they read has changed) and the function still has the code it had.
 */
export interface ClassCallCache {
  /** The class object called. */
  readonly object: Ref;
  readonly type: PyType;
  readonly init: TypeLookup;
  readonly noNew: TypeLookup;
  readonly code: CodeInfo;
}

/**
 * One activation: a function call, a class body or the module. A function's frame that has
 * finished, and that nothing but the evaluator saw, is kept by its code and made the frame of a
 * later call ({@link VMFrame.reset}) rather than allocated afresh.
 */
export class VMFrame {
  readonly code: CodeInfo;
  /** The function being run (a reference the frame owns), or 0 for module and class bodies. */
  func: Ref;
  globals: Ref;
  /** The namespace of a module or class body (LOAD_NAME), or 0. */
  locals: Ref;
  /**
   * A function frame's `f_locals`: the dict `locals()` and `frame.f_locals` fill from the
   * variables (owned, made at the first call), or 0. Released when the frame is cleared.
   */
  localsDict: Ref = 0;
  /** Locals, cells and free variables, each an owned reference or 0. */
  readonly fast: number[];
  /** The value stack: owned references; 0 is CPython's NULL. */
  readonly stack: number[] = [];
  pc = 0;
  /** The line last reported to {@link Interpreter.onLine}, and the instruction it was reported at. */
  line = 0;
  lineAt = -1;
  /** The instruction a re-raised exception first came from (RERAISE's lasti), or -1. */
  raisedAt = -1;
  /** Whether the frame has returned (a generator's frame is suspended until then). */
  finished = false;
  /** The instruction being run, for tracebacks. */
  lasti = 0;
  /** The calling frame (a generator's changes with each resumption). */
  back: VMFrame | null;
  /** The runtime's frame (for the recursion limit, tracemalloc and the process layout). */
  activation: ActivationFrame | null = null;
  /**
   * The runtime's frame of this frame's last call, kept while the frame waits to be reused
   * (see {@link VMFrame.reset}): the next call pushes it again rather than a new one.
   */
  spareActivation: ActivationFrame | null = null;
  /** The frame object, once a traceback or `sys._getframe` needed one (owned). */
  frameObject: Ref = 0;
  /** KW_NAMES' tuple for the next CALL (borrowed from the constants). */
  kwnames: Ref = 0;
  /** Whether a return here ends the current `execute` (a call made from JavaScript). */
  entry = false;
  /** The generator running this frame, if any. */
  generator: Ref = 0;
  /**
   * When this frame is the `__init__` of a class call, the new instance (the call's own
   * reference: its result); otherwise 0. The call's two other facts are beside it, kept on the
   * frame rather than in an object made per call.
   */
  initInstance: Ref = 0;
  /** The class call's positional arguments as a tuple (owned), as `_PyObject_MakeTpCall` packs them. */
  initPacked: Ref = 0;
  /** The index in the caller's stack of the class call's first operand. */
  initBase = 0;

  constructor(code: CodeInfo, func: Ref, globals: Ref, locals: Ref, back: VMFrame | null) {
    this.code = code;
    this.func = func;
    this.globals = globals;
    this.locals = locals;
    this.fast = new Array<number>(code.nlocalsplus).fill(0);
    this.back = back;
  }

  /**
   * Makes a finished frame of the same code a new one: as the constructor leaves it. Its locals
   * and stack are already empty (releasing the frame emptied them).
   */
  reset(func: Ref, globals: Ref, back: VMFrame | null): this {
    this.func = func;
    this.globals = globals;
    this.locals = 0;
    this.back = back;
    this.pc = 0;
    this.line = 0;
    this.lineAt = -1;
    this.raisedAt = -1;
    this.finished = false;
    this.lasti = 0;
    this.kwnames = 0;
    this.entry = false;
    this.initInstance = 0;
    this.initPacked = 0;
    return this;
  }
}

/**
 * The evaluator's superinstructions: opcodes past the instruction set's, each standing for the
 * first instruction of a run that the evaluator can do in one step when its operands allow (two
 * exact ints or floats, a cached instance attribute, a range iterator) and nothing traces the
 * lines. The step borrows the locals and constants the run would have pushed, so their counts
 * never go up and down around it; the result, every allocation and every release are those of
 * the run, in its order. When the operands do not allow it (or a tracer is on) the first
 * instruction runs as itself, and so do the others after it: only the first opcode is replaced,
 * the arguments and the instructions after it are the unit's, so a jump into the run finds them.
 */
// biome-ignore lint/suspicious/noConstEnum: inlined by the bundler into the evaluation loop's switch.
export const enum Fused {
  /**
   * `LOAD_FAST a; LOAD_FAST|LOAD_CONST b; BINARY_OP op`: `a op b` pushed. The superinstructions
   * come right after the last opcode ({@link OP_COUNT}), so that the evaluator's switch over
   * every opcode is dense enough for V8 to compile it to a jump table rather than a chain of
   * comparisons.
   */
  LoadBinary = 98,
  /** `LOAD_FAST a; LOAD_FAST|LOAD_CONST b; COMPARE_OP op; POP_JUMP_IF_FALSE|TRUE t`. */
  LoadCompareJump,
  /** `LOAD_FAST a; LOAD_FAST|LOAD_CONST b; IS_OP k; POP_JUMP_IF_FALSE|TRUE t`. */
  LoadIsJump,
  /** `LOAD_FAST a; LOAD_ATTR n`: an instance attribute by LOAD_ATTR's inline cache. */
  LoadAttr,
  /** `FOR_ITER end; STORE_FAST x`: the next item stored in the local without the stack. */
  ForStore,
  /**
   * `LOAD_FAST v; LOAD_FAST o; STORE_ATTR n`: `o.n = v` by STORE_ATTR's inline cache, when the
   * slot it replaces is empty or its release cannot run code (an immortal value, or one with
   * other references), so nothing can see the instance's count without the stack's reference.
   */
  StoreAttr,
}

// The superinstructions must not collide with an opcode (Fused.LoadBinary is OP_COUNT).
if ((Fused.LoadBinary as number) !== OP_COUNT)
  throw new Error("the superinstructions' numbers must follow the last opcode's");

/** Whether instruction `pc` of `code` is LOAD_FAST or LOAD_CONST (a borrowable operand). */
function loadsOperand(code: Int32Array, pc: number): boolean {
  const op = code[2 * pc];
  return op === Op.LOAD_FAST || op === Op.LOAD_CONST;
}

/**
 * The evaluator's instructions for `unit`: its own, with the first opcode of every run that a
 * {@link Fused} superinstruction covers replaced by it. Runs do not overlap: a run starts after
 * the previous one ends.
 */
export function fuseInstructions(unit: CodeUnit): Int32Array {
  const code = unit.code;
  const ops = code.slice();
  const n = unit.length;
  const at = (pc: number) => (pc < n ? code[2 * pc]! : -1);
  for (let pc = 0; pc < n; pc++) {
    const op = code[2 * pc]!;
    if (op === Op.LOAD_FAST) {
      const next = at(pc + 1);
      if (next === Op.LOAD_ATTR) {
        ops[2 * pc] = Fused.LoadAttr;
        pc += 1;
      } else if (next === Op.LOAD_FAST && at(pc + 2) === Op.STORE_ATTR) {
        ops[2 * pc] = Fused.StoreAttr;
        pc += 2;
      } else if (pc + 2 < n && loadsOperand(code, pc + 1)) {
        const third = at(pc + 2);
        const fourth = at(pc + 3);
        const jumps = fourth === Op.POP_JUMP_IF_FALSE || fourth === Op.POP_JUMP_IF_TRUE;
        if (third === Op.BINARY_OP) {
          ops[2 * pc] = Fused.LoadBinary;
          pc += 2;
        } else if (third === Op.COMPARE_OP && jumps) {
          ops[2 * pc] = Fused.LoadCompareJump;
          pc += 3;
        } else if (third === Op.IS_OP && jumps) {
          ops[2 * pc] = Fused.LoadIsJump;
          pc += 3;
        }
      }
    } else if (op === Op.FOR_ITER && at(pc + 1) === Op.STORE_FAST) {
      ops[2 * pc] = Fused.ForStore;
      pc += 1;
    }
  }
  return ops;
}
