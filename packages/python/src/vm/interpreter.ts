// The evaluator: code units run on the runtime's heap through its embedding API, with CPython
// 3.11's reference holding. Python-to-Python calls do not recurse in JavaScript: a call pushes
// a frame and the loop goes on in it (as 3.11's `_PyEval_EvalFrameDefault` inlines them), so
// the recursion limit, not JavaScript's stack, bounds a program's depth. Each value-stack slot
// and each local owns one reference; arguments move from the caller's stack into the callee's
// locals without a new reference; a frame's locals are released in slot order when it returns,
// or move into its frame object when a traceback holds it.

import { OB_FLAGS, OB_REFCNT, OB_TYPE, ObjectFlags } from "@mm/heap";
import {
  dictVersion,
  Embedding,
  FloatLayout,
  IntLayout,
  ListLayout,
  PythonError,
  type Ref,
  type Runtime,
  TupleLayout,
} from "@mm/runtime";
import { type CodeConstant, CodeFlags, type CodeUnit } from "../compile/code.js";
import {
  BinaryOp,
  binaryOpSymbols,
  CompareOp,
  INPLACE,
  MakeFunction,
  Op,
} from "../compile/opcodes.js";
import type { ConstantValue } from "../syntax/ast.js";
import { floatFloorDiv, floatMod, floatPow, floatTrueDiv } from "../text/float.js";
import {
  type BytesPercentHooks,
  formatBool,
  formatFloat,
  formatInt,
  formatStr,
  type PercentHooks,
  percentFormat,
  strFormat,
} from "../text/format.js";
import { intFloorDiv, intLShift, intMod, intPow, intRShift, intTrueDiv } from "../text/int.js";
import { asciiFromRepr } from "../text/str.js";
import { Builtins, STARTUP_GC } from "./builtins.js";
import { complexKey, formatComplex } from "./complex-math.js";
import { ExitRequest, Raised, StepLimitError } from "./errors.js";
import { checkExceptStarType, exceptionGroupMatch, prepReraiseStar } from "./exception-groups.js";
import { familyOf, initExceptionFields, memberOffset } from "./exceptions.js";
import { evalCode, printExpr } from "./exec.js";
import {
  AttrCache,
  type ClassCallCache,
  type CodeInfo,
  Fused,
  fuseInstructions,
  GlobalCache,
  NO_INSTANCE_ATTRIBUTES,
  VMFrame,
} from "./frame.js";
import type { BuiltinEntry, Host, InterpreterIO, NativeTypes } from "./host.js";
import {
  Builtin,
  builtinSpec,
  Cell,
  Code,
  cellSpec,
  DictIter,
  descriptorSpec,
  Exc,
  Fn,
  FrameObj,
  functionSpec,
  Method,
  ModuleObj,
  methodSpec,
  moduleSpec,
  RangeIter,
  rangeSpec,
  SeqIter,
  SliceObj,
  sliceSpec,
  Traceback,
  TypeObj,
  tracebackSpec,
} from "./layouts.js";
import { matchClass, matchKeys, matchMapping, matchSequence } from "./match.js";
import { replacedExcepthook, startupModules } from "./modules.js";
import { longRangeIterSpec, rangeIter64Spec } from "./range-iter.js";
import { strText } from "./str-text.js";
import type { BuiltinFn, PyType, TypeKind } from "./types.js";

/**
 * The one-character identifiers CPython 3.11.7's deep-frozen start-up modules hold as static
 * strs: interned before any program runs, so `sys.intern("x")`, a code's `"x"` and a class
 * attribute named `x` are that static str and not `chr(120)`, the cached latin-1 singleton
 * (`"ab"[0] is "a"` is False in python3, `"gh"[0] is "g"` True).
 */
const STATIC_ONE_CHARACTER_STRS = "BCLST_abcdefhijklmnopqrstvwxy";

const STR_IDENTIFIER = /^[A-Za-z0-9_]*$/;

/**
 * The value of int `o` when it is exact as a number (at most two 30-bit digits, below 2**53),
 * else NaN: read straight from its digits.
 */
function smallInt(u32: Uint32Array, i32: Int32Array, o: Ref): number {
  const size = i32[(o + IntLayout.size) >>> 2]!;
  if (size === 0) return 0;
  const low = u32[(o + IntLayout.digits) >>> 2]!;
  if (size === 1) return low;
  if (size === -1) return -low;
  if (size !== 2 && size !== -2) return Number.NaN;
  const m = u32[(o + IntLayout.digits + 4) >>> 2]! * 0x4000_0000 + low;
  if (m > Number.MAX_SAFE_INTEGER) return Number.NaN;
  return size < 0 ? -m : m;
}

/**
 * The runtime frame of a call declares no locals (the evaluator keeps them in its own frame): one
 * shared array, so the runtime's layout for it is made once rather than per call.
 */
const NO_LOCALS: readonly string[] = [];

/** How many finished frames a code keeps for its next calls: a recursion's depth, roughly. */
const SPARE_FRAMES = 64;

/** BUILD_TUPLE reuses an array for the items of tuples shorter than this. */
const TUPLE_SCRATCH = 8;

/**
 * From how many runs of the loop inside one another (a builtin calling back into Python: a
 * comparison's `__eq__`, a sort's key, `map`'s function) {@link Interpreter.execute} makes sure
 * that the JavaScript stack has room for more before it starts another.
 */
const NEST_CHECKED_FROM = 48;

/**
 * The frames of {@link stackRoom}'s probe, some 130 KB of stack: what is kept free for the
 * next run of the loop and for unwinding the RecursionError raised when it is not there.
 */
const STACK_ROOM_FRAMES = 2000;

/** Recurses `n` frames deep: throws V8's RangeError when the stack has not that much room. */
function stackRoom(n: number): number {
  return n === 0 ? 0 : stackRoom(n - 1) + 1;
}

/** Whether `error` is V8's stack overflow. */
function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && error.message === "Maximum call stack size exceeded";
}

/** `co_warmup`'s start (-QUICKENING_WARMUP_DELAY): a code is quickened after 8 warm-up events. */
const WARMUP_DELAY = -8;

/**
 * The forms of an adaptive `+`/`+=` (BINARY_OP_ADAPTIVE and the 3.11 specialisations of
 * NB_ADD), kept in the high half of the instruction's cache word; the low half is the cache's
 * counter, as CPython's (the adaptive form's: a value above 4 backoff bits; a specialised
 * form's: the misses left before it goes back to adaptive).
 */
enum AddForm {
  Adaptive = 0,
  /** BINARY_OP_INPLACE_ADD_UNICODE: `s += t` / `s = s + t` stored back to local `s`. */
  InplaceUnicode = 1,
  Unicode = 2,
  Int = 3,
  Float = 4,
}

/**
 * The forms of an adaptive call (PRECALL_ADAPTIVE and its 3.11 specialisations), kept as
 * {@link AddForm}s are. Only PRECALL_NO_KW_STR_1 changes what a call does (`str(x)` calls
 * PyObject_Str with no C call of the type and no packed tuple); the others are kept so that a
 * site calling several callables specialises, misses and goes back to adaptive as CPython's
 * does. Builtin functions and method descriptors other than `len`, `isinstance` and
 * `list.append` are one form each ({@link CallForm.Builtin}, {@link CallForm.Descriptor}):
 * the METH_O / METH_FASTCALL flags that split CPython's forms are not modelled.
 */
// biome-ignore lint/suspicious/noConstEnum: read in the evaluation loop.
const enum CallForm {
  Adaptive = 0,
  Str1 = 1,
  Type1 = 2,
  Tuple1 = 3,
  PyFunc = 4,
  BoundMethod = 5,
  BuiltinClass = 6,
  Len = 7,
  IsInstance = 8,
  ListAppend = 9,
  /** PRECALL_NO_KW_BUILTIN_O (a METH_O builtin; also a builtin whose convention is not known). */
  Builtin = 10,
  Descriptor = 11,
  /** What a callable no form fits specialises to: the adaptive form backs off. */
  None = 12,
  /** PRECALL_BUILTIN_FAST: a METH_FASTCALL builtin called without keywords. */
  BuiltinFast = 13,
  /** PRECALL_BUILTIN_FAST_WITH_KEYWORDS: a METH_FASTCALL|METH_KEYWORDS builtin. */
  BuiltinFastKw = 14,
}

/** The calling conventions of CPython 3.11's builtin functions that `_Py_Specialize_Precall` tells apart. */
// biome-ignore lint/suspicious/noConstEnum: read in the evaluation loop.
const enum CallConv {
  O = 1,
  Fast = 2,
  FastKw = 3,
  /** METH_VARARGS or METH_NOARGS: no specialisation fits. */
  Other = 4,
}

/**
 * The `builtins` functions by their calling convention in CPython 3.11's `bltinmodule.c`. A
 * specialised call of a METH_FASTCALL one (PRECALL_BUILTIN_FAST, …_WITH_KEYWORDS) does not
 * count a C call toward the recursion limit; a METH_O one (PRECALL_NO_KW_BUILTIN_O) and the
 * generic call do.
 */
const BUILTIN_CONVENTIONS: Readonly<Record<string, CallConv>> = {
  abs: CallConv.O,
  all: CallConv.O,
  any: CallConv.O,
  ascii: CallConv.O,
  bin: CallConv.O,
  callable: CallConv.O,
  chr: CallConv.O,
  hash: CallConv.O,
  hex: CallConv.O,
  id: CallConv.O,
  len: CallConv.O,
  oct: CallConv.O,
  ord: CallConv.O,
  repr: CallConv.O,
  delattr: CallConv.Fast,
  divmod: CallConv.Fast,
  eval: CallConv.Fast,
  format: CallConv.Fast,
  getattr: CallConv.Fast,
  hasattr: CallConv.Fast,
  input: CallConv.Fast,
  isinstance: CallConv.Fast,
  issubclass: CallConv.Fast,
  iter: CallConv.Fast,
  next: CallConv.Fast,
  setattr: CallConv.Fast,
  __build_class__: CallConv.FastKw,
  compile: CallConv.FastKw,
  exec: CallConv.FastKw,
  pow: CallConv.FastKw,
  print: CallConv.FastKw,
  round: CallConv.FastKw,
  sorted: CallConv.FastKw,
  sum: CallConv.FastKw,
  __import__: CallConv.Other,
  dir: CallConv.Other,
  globals: CallConv.Other,
  locals: CallConv.Other,
  max: CallConv.Other,
  min: CallConv.Other,
  vars: CallConv.Other,
};

/** The built-in types CPython 3.11 gives a vectorcall (PRECALL_BUILTIN_CLASS calls them). */
const VECTORCALL_TYPES: ReadonlySet<string> = new Set([
  "list",
  "dict",
  "tuple",
  "set",
  "frozenset",
  "range",
  "float",
  "bool",
  "type",
  "enumerate",
  "map",
  "filter",
  "reversed",
]);

/** The bits of an adaptive counter that hold its backoff exponent (ADAPTIVE_BACKOFF_BITS). */
const BACKOFF_BITS = 4;
/** adaptive_counter_start(): value 31, backoff 5, what a form that missed too often restarts at. */
const ADAPTIVE_START = (31 << BACKOFF_BITS) | 5;
/** miss_counter_start(): the misses a specialised form takes before it goes back to adaptive. */
const MISS_START = 53;

/**
 * Whether the instruction after `pc` is a STORE_FAST to the local that holds `left` (what
 * BINARY_OP_INPLACE_ADD_UNICODE needs: the append's result goes back where `left` was).
 */
function storesLocal(code: CodeInfo, pc: number, left: Ref, fast: readonly number[]): boolean {
  const ops = code.unit.code;
  return ops[2 * (pc + 1)] === Op.STORE_FAST && fast[ops[2 * (pc + 1) + 1]!] === left;
}

/** adaptive_counter_backoff(): a failed specialisation waits twice as long (2**12 - 1 at most). */
function backoff(counter: number): number {
  const exponent = Math.min((counter & ((1 << BACKOFF_BITS) - 1)) + 1, 16 - BACKOFF_BITS);
  return (((1 << exponent) - 1) << BACKOFF_BITS) | exponent;
}

/** Which attribute access an inline cache is filled for (see `Interpreter.#cacheAttr`). */
const AttrAccess = { Load: 0, Store: 1, Method: 2 } as const;
type AttrAccess = (typeof AttrAccess)[keyof typeof AttrAccess];

/**
 * The object header's words the evaluator's own count changes read, as u32 indices from an
 * object's address >>> 2, and the immortal flag: constants the bundler inlines into the loop
 * (checked against @mm/heap's below).
 */
// biome-ignore lint/suspicious/noConstEnum: inlined into the evaluation loop.
const enum Header {
  Refcnt = 0,
  Flags = 1,
}
// biome-ignore lint/suspicious/noConstEnum: inlined into the evaluation loop.
const enum HeaderFlag {
  Immortal = 1,
}
if (
  Header.Refcnt !== OB_REFCNT >>> 2 ||
  Header.Flags !== OB_FLAGS >>> 2 ||
  HeaderFlag.Immortal !== ObjectFlags.Immortal
)
  throw new Error("the evaluator was built with header constants that are not @mm/heap's");

/**
 * Py_INCREF of an object the evaluator holds (on its stack, in a frame's locals or among a
 * code's constants: a live object, which the reference keeps alive) where the embedding counts
 * in place (`inPlace`, `Embedding.countsInPlace`): one add on the count word, nothing for an
 * immortal object. It does what {@link Embedding.incref} does for a live object without checking
 * that the object is live; a count of 0 or at its maximum goes to the embedding, as does every
 * incref under a strategy that counts by its own calls.
 */
function increfHeld(py: Embedding, inPlace: boolean, o: Ref): void {
  const u32 = py.memory.u32;
  const i = o >>> 2;
  if (inPlace && (u32[i + Header.Flags]! & HeaderFlag.Immortal) !== 0) return;
  const count = u32[i + Header.Refcnt]!;
  if (inPlace && count !== 0 && count !== 0xffff_ffff) u32[i + Header.Refcnt] = count + 1;
  else py.incref(o);
}

/**
 * Py_DECREF of a reference the evaluator owns, as {@link increfHeld}: a count above 1 is one
 * subtract on the count word, an immortal object is left alone; the last reference goes to the
 * embedding, which frees the object.
 */
function decrefHeld(py: Embedding, inPlace: boolean, o: Ref): void {
  const u32 = py.memory.u32;
  const i = o >>> 2;
  if (inPlace && (u32[i + Header.Flags]! & HeaderFlag.Immortal) !== 0) return;
  const count = u32[i + Header.Refcnt]!;
  if (inPlace && count > 1) u32[i + Header.Refcnt] = count - 1;
  else py.decref(o);
}

/**
 * A Python interpreter over one runtime: runs modules, keeps the built-in types, the builtins
 * and the `gc`, `sys`, `weakref`, `tracemalloc` and `time` modules.
 */
export class Interpreter implements Host {
  readonly py: Embedding;
  readonly io: InterpreterIO;
  readonly runtime: Runtime;
  /** PyTypes by heap type id. */
  readonly #byTypeId: Array<PyType | undefined> = [];
  readonly types: Record<string, PyType> = {};
  readonly builtins: Builtins;
  /** The code objects' JavaScript side, by the code object's address. */
  readonly codes = new Map<Ref, CodeInfo>();
  /** Builtin functions by number (Builtin.id). */
  readonly builtinFns: BuiltinEntry[] = [];
  /** Generator frames by generator object. */
  readonly generators = new Map<Ref, VMFrame>();
  readonly pendingFrames: VMFrame[] = [];
  /** The innermost running frame. */
  top: VMFrame | null = null;
  /** The exception being handled by the running frame chain, owned, or 0. */
  excInfo: Ref = 0;
  /** The exceptions being handled by the frame chains below the running generators. */
  readonly excOuter: Ref[] = [];

  /** The innermost exception being handled, `sys.exc_info()`'s (borrowed), or 0. */
  handledException(): Ref {
    if (this.excInfo) return this.excInfo;
    const outer = this.excOuter;
    for (let i = outer.length - 1; i >= 0; i--) if (outer[i]) return outer[i]!;
    return 0;
  }
  /** Objects the interpreter keeps alive for its whole life (modules, type objects). */
  readonly #roots: number[] = [];
  readonly #constCache = new Map<string, Ref>();
  #nextTypeId = 0;
  /** Instructions run so far. */
  steps = 0;
  /**
   * Called before the first instruction of each new line a frame runs (a tracer's "line"
   * event): a recorder takes its snapshot of the line before here. Undefined: no cost.
   */
  onLine: ((frame: VMFrame, line: number) => void) | undefined;
  /**
   * Polled every 65,536 instructions: true raises `KeyboardInterrupt` in the running frame
   * (Ctrl-C, which a host can only signal through memory shared with this thread).
   */
  interrupted: (() => boolean) | undefined;
  #maxSteps = Number.POSITIVE_INFINITY;
  readonly #true: Ref;
  readonly #false: Ref;
  readonly #boolTypeId: number;
  /** `Embedding.countsInPlace`: whether the evaluator may change counts itself (see increfHeld). */
  readonly #inPlace: boolean;
  /** The builtins CALL runs itself ({@link Interpreter.#callBuiltin}), and the exact list type. */
  /** The str type's object, whose one-argument calls CALL runs itself ({@link Interpreter.#callStr}). */
  readonly #strType: Ref;
  /** The native type id of `type`: what a class statement's class object has in its header. */
  readonly #typeTypeId: number;
  readonly #specialBuiltins: {
    readonly len: BuiltinFn;
    readonly listAppend: BuiltinFn;
    readonly listPop: BuiltinFn;
    readonly isinstance: BuiltinFn;
    readonly listTypeId: number;
  };
  /** The calling convention of each `builtins` function ({@link BUILTIN_CONVENTIONS}). */
  readonly #conventions = new Map<BuiltinFn, CallConv>();

  constructor(runtime: Runtime, io: InterpreterIO) {
    this.runtime = runtime;
    this.io = io;
    this.py = new Embedding(runtime);
    const py = this.py;
    for (const c of STATIC_ONE_CHARACTER_STRS) py.staticStr(c);
    this.#inPlace = py.countsInPlace;
    this.native = {
      function: py.defineType({ ...functionSpec, onFree: (o) => void o }),
      code: py.defineType({
        name: "code",
        basicSize: Code.basicSize,
        refs: [Code.consts, Code.names, Code.name, Code.qualname, Code.filename],
        onFree: (o) => {
          const info = this.codes.get(o);
          if (info) info.live = false;
          this.codes.delete(o);
        },
        sizeOf: (o) => Code.basicSize + 2 * py.memory.u32[(o + Code.length) >>> 2]!,
      }),
      cell: py.defineType(cellSpec),
      method: py.defineType(methodSpec),
      builtin: py.defineType(builtinSpec),
      methodDescriptor: py.defineType(descriptorSpec("method_descriptor")),
      wrapperDescriptor: py.defineType(descriptorSpec("wrapper_descriptor")),
      classmethodDescriptor: py.defineType(descriptorSpec("classmethod_descriptor")),
      module: py.defineType(moduleSpec),
      range: py.defineType(rangeSpec),
      slice: py.defineType(sliceSpec),
      traceback: py.defineType(tracebackSpec),
      frame: py.defineType({
        name: "frame",
        basicSize: FrameObj.basicSize,
        container: true,
        refs: [FrameObj.back, FrameObj.code, FrameObj.globals],
        items: { count: FrameObj.count, first: FrameObj.locals },
      }),
      listIter: py.defineType({
        name: "list_iterator",
        basicSize: SeqIter.basicSize,
        container: true,
        refs: [SeqIter.seq],
      }),
      tupleIter: py.defineType({
        name: "tuple_iterator",
        basicSize: SeqIter.basicSize,
        container: true,
        refs: [SeqIter.seq],
      }),
      strIter: py.defineType({
        name: "str_ascii_iterator",
        basicSize: SeqIter.basicSize,
        container: true,
        refs: [SeqIter.seq],
        onFree: (o) => this.builtins.forgetIterator(o),
      }),
      // 3.11 iterates an ASCII str with its own type; any other str has `str_iterator`.
      strUnicodeIter: py.defineType({
        name: "str_iterator",
        basicSize: SeqIter.basicSize,
        container: true,
        refs: [SeqIter.seq],
        onFree: (o) => this.builtins.forgetIterator(o),
      }),
      rangeIter: py.defineType({ name: "range_iterator", basicSize: RangeIter.basicSize }),
      rangeIter64: py.defineType(rangeIter64Spec),
      longRangeIter: py.defineType(longRangeIterSpec),
      dictKeyIter: py.defineType({
        name: "dict_keyiterator",
        basicSize: DictIter.basicSize,
        container: true,
        refs: [DictIter.dict, DictIter.result],
      }),
      dictValueIter: py.defineType({
        name: "dict_valueiterator",
        basicSize: DictIter.basicSize,
        container: true,
        refs: [DictIter.dict, DictIter.result],
      }),
      dictItemIter: py.defineType({
        name: "dict_itemiterator",
        basicSize: DictIter.basicSize,
        container: true,
        refs: [DictIter.dict, DictIter.result],
      }),
    };
    const t = py.bool(true);
    py.decref(t);
    this.#true = t;
    const f = py.bool(false);
    py.decref(f);
    this.#false = f;
    this.#boolTypeId = this.typeId(t);
    py.addRoots(() => this.#allRoots());
    this.builtins = new Builtins(this);
    // tracemalloc's tracebacks: each frame's line read from the instruction it is running.
    py.tracemalloc.setWhere(() => {
      const out: { filename: string; lineno: number }[] = [];
      for (let f = this.top; f; f = f.back)
        out.push({ filename: f.code.unit.filename, lineno: f.code.unit.lines[f.lasti] ?? 0 });
      return out;
    });
    const lenBuiltin = py.dictGet(this.builtins.dict, py.constant("len"));
    const isinstanceBuiltin = py.dictGet(this.builtins.dict, py.constant("isinstance"));
    this.#strType = this.types.str!.object;
    this.#typeTypeId = this.types.type!.native!.id;
    this.#specialBuiltins = {
      len: this.builtinFns[py.memory.u32[(lenBuiltin + Builtin.id) >>> 2]!]!.fn,
      listAppend: this.types.list!.methods.get("append")!,
      listPop: this.types.list!.methods.get("pop")!,
      isinstance: this.builtinFns[py.memory.u32[(isinstanceBuiltin + Builtin.id) >>> 2]!]!.fn,
      listTypeId: this.builtins.listTypeId,
    };
    for (const [name, conv] of Object.entries(BUILTIN_CONVENTIONS)) {
      const f = py.dictGet(this.builtins.dict, py.constant(name));
      if (f && this.kindOf(f) === "builtin")
        this.#conventions.set(this.builtinFns[py.memory.u32[(f + Builtin.id) >>> 2]!]!.fn, conv);
    }
    // What python3 has before a program's first line: `weakref`, `sys`, `io` and the streams,
    // so that importing them or writing to them allocates nothing at first use that a program
    // could count.
    startupModules(this.builtins);
    // Their many objects leave the youngest generation past its threshold: the counts start
    // where python3's start-up leaves them (runMain seeds them again for the program).
    this.runtime.gc.seed(STARTUP_GC);
  }

  /** The interpreter's native types. */
  readonly native: NativeTypes;

  *#allRoots(): Iterable<number> {
    yield* this.#roots;
    if (this.#main) yield this.#main;
    if (this.excInfo) yield this.excInfo;
    for (const o of this.excOuter) if (o) yield o;
    for (let f = this.top; f; f = f.back) {
      for (const o of f.fast) if (o) yield o;
      for (const o of f.stack) if (o) yield o;
      if (f.func) yield f.func;
      if (f.frameObject) yield f.frameObject;
    }
    for (const f of this.generators.values()) {
      for (const o of f.fast) if (o) yield o;
      for (const o of f.stack) if (o) yield o;
    }
    for (const f of this.pendingFrames) {
      for (const o of f.fast) if (o) yield o;
      for (const o of f.stack) if (o) yield o;
      if (f.func) yield f.func;
    }
  }

  /** Keeps `o` alive for the interpreter's life (takes the reference). */
  keep(o: Ref): Ref {
    this.#roots.push(o);
    return o;
  }

  /** Gives up a reference {@link keep} took for `o`: no longer a root, and released. */
  unkeep(o: Ref): void {
    const at = this.#roots.lastIndexOf(o);
    if (at < 0) return;
    this.#roots.splice(at, 1);
    this.py.decref(o);
  }

  // ------------------------------------------------------------------ types

  /** Registers a PyType for a heap type id. */
  registerType(t: PyType, typeId: number): void {
    this.#byTypeId[typeId] = t;
    if (t.id < 0) t.id = this.#nextTypeId++;
  }

  /** The type of `o`. */
  typeOf(o: Ref): PyType {
    const t = this.#byTypeId[this.py.memory.u32[(o + OB_TYPE) >>> 2]!];
    if (t === undefined)
      throw new Error(`internal error: an object of unknown type (${this.py.typeName(o)})`);
    return t;
  }

  /** The heap type id of `o`. */
  typeId(o: Ref): number {
    return this.py.memory.u32[(o + OB_TYPE) >>> 2]!;
  }

  kindOf(o: Ref): TypeKind {
    return this.typeOf(o).kind;
  }

  // ------------------------------------------------------------------ errors

  /** Raises a new exception of built-in type `type` with `message` (args `(message,)`). */
  raise(type: string, message?: string): never {
    throw new Raised(this.newException(this.types[type]!, message === undefined ? [] : [message]));
  }

  /** A new exception object of `type` with str args (a new reference). */
  newException(type: PyType, args: readonly string[]): Ref {
    const py = this.py;
    const argRefs = args.map((a) => py.str(a));
    const tuple = py.tuple(argRefs);
    for (const a of argRefs) py.decref(a);
    const exc = py.allocate(type.native!);
    py.takeRef(exc, Exc.args, tuple);
    initExceptionFields(this.builtins, exc, type, argRefs, null);
    return exc;
  }

  /** Turns a JavaScript exception into a Python one (an owned reference to the exception). */
  toPython(error: unknown): Ref {
    if (error instanceof Raised) return error.exc;
    if (error instanceof PythonError) {
      const type = this.types[error.pythonType] ?? this.types.RuntimeError!;
      return this.newException(type, error.message === "" ? [] : [error.message]);
    }
    if (isStackOverflow(error)) {
      return this.newException(this.types.RecursionError!, ["maximum recursion depth exceeded"]);
    }
    throw error;
  }

  // ------------------------------------------------------------------ objects

  /** The heap object of a constant (a new reference), shared by equal constants of a program. */
  constant(value: ConstantValue): Ref {
    const py = this.py;
    if (value === null) return py.newRef(py.none);
    if (typeof value === "boolean") return py.bool(value);
    if (typeof value === "symbol") return py.newRef(this.builtins.ellipsis);
    const key = constantKey(value);
    const cache = this.#compileCache ?? this.#constCache;
    const cached = key === undefined ? undefined : cache.get(key);
    if (cached !== undefined) return py.newRef(cached);
    let o: Ref;
    if (typeof value === "bigint") o = py.int(value);
    else if (typeof value === "number") o = py.float(value);
    else if (typeof value === "string") {
      o = py.str(value);
      // The compiler interns the constants that look like identifiers (`intern_string_constants`).
      if (STR_IDENTIFIER.test(value)) {
        const interned = py.intern(o);
        py.decref(o);
        o = interned;
      }
    } else if (value instanceof Uint8Array) {
      o = this.builtins.bytes(value);
    } else if ("complex" in value) {
      o = this.builtins.complexType.make({ real: value.complex[0], imag: value.complex[1] });
    } else if ("tuple" in value) {
      const items = value.tuple.map((v) => this.constant(v));
      o = py.tuple(items);
      for (const i of items) py.decref(i);
    } else {
      const items = value.frozenset.map((v) => this.constant(v));
      o = this.builtins.frozenset(items);
      for (const i of items) py.decref(i);
    }
    if (key !== undefined) {
      cache.set(key, o);
      // The program's own constants live as long as it runs; a compilation's while its code does.
      if (cache === this.#constCache) this.keep(py.newRef(o));
    }
    return o;
  }

  /**
   * The constants of the code `compile()`, `exec()` or `eval()` is compiling, by key (borrowed:
   * the code objects' constant tuples hold them), or null.
   */
  #compileCache: Map<string, Ref> | null = null;

  /**
   * Makes the heap code object of a unit compiled while the program runs (a new reference):
   * equal constants are shared within it, as CPython's compiler merges them, and live only as
   * long as its code objects do.
   */
  makeTransientCode(unit: CodeUnit): Ref {
    const outer = this.#compileCache;
    this.#compileCache = new Map();
    try {
      return this.makeCode(unit);
    } finally {
      this.#compileCache = outer;
    }
  }

  /** Makes the heap code object of a unit (a new reference), and its nested code units'. */
  makeCode(unit: CodeUnit): Ref {
    const py = this.py;
    // CPython's compiler merges equal constants within one compilation, not across modules:
    // the program's `(None,)` is not the one a module loaded at startup made (which a
    // collection may have untracked since).
    if (unit.name === "<module>" && this.#compileCache === null) this.#constCache.clear();
    const consts = unit.consts.map((c) => this.#codeConstant(c));
    const names = unit.names.map((n) => py.newRef(py.constant(n)));
    const code = py.allocate(this.native.code);
    const constsTuple = py.tuple(consts);
    py.takeRef(code, Code.consts, constsTuple);
    const namesTuple = py.tuple(names);
    py.takeRef(code, Code.names, namesTuple);
    py.setRef(code, Code.name, py.constant(unit.name));
    py.takeRef(code, Code.qualname, py.str(unit.qualname));
    py.takeRef(code, Code.filename, py.str(unit.filename));
    py.memory.u32[(code + Code.length) >>> 2] = unit.length;
    // The tuples hold the constants now; the lists keep borrowed views for the loop.
    for (const c of consts) py.decref(c);
    for (const n of names) py.decref(n);
    const info: CodeInfo = {
      unit,
      ops: fuseInstructions(unit),
      object: code,
      consts,
      names,
      nlocalsplus: unit.varnames.length + unit.cellvars.length + unit.freevars.length,
      simpleArgs:
        unit.cellvars.length === 0 &&
        unit.freevars.length === 0 &&
        unit.kwOnlyArgCount === 0 &&
        (unit.flags & (CodeFlags.VarArgs | CodeFlags.VarKeywords | CodeFlags.Generator)) === 0,
      globalCache: undefined,
      callCache: undefined,
      attrCache: undefined,
      classCallCache: undefined,
      live: true,
      warmup: WARMUP_DELAY,
      addCaches: undefined,
      callHits: undefined,
      spareFrames: [],
    };
    this.codes.set(code, info);
    return code;
  }

  /**
   * DICT_UPDATE (`{**m}`): `m` merged into `d`; an object without `keys()` is "not a mapping".
   */
  #updateDict(d: Ref, m: Ref): void {
    try {
      this.builtins.dictUpdate(d, m);
    } catch (error) {
      if (!this.#isAttributeError(error)) throw error;
      this.py.decref((error as Raised).exc);
      this.raise("TypeError", `'${this.typeOf(m).name}' object is not a mapping`);
    }
  }

  /**
   * DICT_MERGE (`f(**m)`): `m` merged into the call's keywords `d`, with CPython's words for a
   * keyword given twice or an object that is not a mapping (`format_kwargs_error`).
   */
  #mergeKeywords(callable: Ref, d: Ref, m: Ref): void {
    const b = this.builtins;
    try {
      b.dictUpdate(d, m, (key) =>
        this.raise(
          "TypeError",
          `${b.functionStr(callable)} got multiple values for keyword argument '${b.strOf(key)}'`,
        ),
      );
    } catch (error) {
      if (!this.#isAttributeError(error)) throw error;
      this.py.decref((error as Raised).exc);
      this.raise(
        "TypeError",
        `${b.functionStr(callable)} argument after ** must be a mapping, not ${this.typeOf(m).name}`,
      );
    }
  }

  #isAttributeError(error: unknown): boolean {
    return error instanceof Raised && this.typeOf(error.exc).isSubtype(this.types.AttributeError!);
  }

  #codeConstant(c: CodeConstant): Ref {
    if (typeof c === "object" && c !== null && "kind" in c) return this.makeCode(c as CodeUnit);
    return this.constant(c as ConstantValue);
  }

  /** A new function object (MAKE_FUNCTION), taking `code`. */
  makeFunction(code: Ref, globals: Ref): Ref {
    const py = this.py;
    const info = this.codes.get(code)!;
    const f = py.allocate(this.native.function);
    py.setRef(f, Fn.globals, globals);
    py.setRef(f, Fn.builtins, this.builtins.dict);
    py.setRef(f, Fn.name, py.getRef(code, Code.name));
    py.setRef(f, Fn.qualname, py.getRef(code, Code.qualname));
    py.takeRef(f, Fn.code, code);
    const doc = info.unit.consts[0];
    if (typeof doc === "string" && info.unit.flags & CodeFlags.Optimized)
      py.setRef(f, Fn.doc, info.consts[0]!);
    else py.setRef(f, Fn.doc, py.none);
    const moduleName = py.dictGet(globals, py.constant("__name__"));
    if (moduleName) py.setRef(f, Fn.module, moduleName);
    return f;
  }

  /** `str(o)` as a JavaScript string. */
  str(o: Ref): string {
    return this.builtins.strOf(o);
  }

  /** `repr(o)` as a JavaScript string. */
  repr(o: Ref): string {
    return this.builtins.reprOf(o);
  }

  /** `bool(o)`. */
  truth(o: Ref): boolean {
    return this.builtins.truth(o);
  }

  // ------------------------------------------------------------------ numbers and text

  /** `True` (borrowed: immortal). */
  get trueRef(): Ref {
    return this.#true;
  }

  /** The value of an int or a bool, as a bigint. */
  intOf(o: Ref): bigint {
    if (this.typeId(o) === this.#boolTypeId) return o === this.#true ? 1n : 0n;
    return BigInt(this.py.intValue(o));
  }

  /** `a op b` of two floats, with Python's rules and errors. */
  floatOp(op: BinaryOp, a: number, b: number): number {
    switch (op) {
      case BinaryOp.Add:
        return a + b;
      case BinaryOp.Subtract:
        return a - b;
      case BinaryOp.Multiply:
        return a * b;
      case BinaryOp.TrueDivide:
        if (b === 0) this.raise("ZeroDivisionError", "float division by zero");
        return floatTrueDiv(a, b);
      case BinaryOp.FloorDivide:
        if (b === 0) this.raise("ZeroDivisionError", "float floor division by zero");
        return floatFloorDiv(a, b);
      case BinaryOp.Remainder:
        if (b === 0) this.raise("ZeroDivisionError", "float modulo");
        return floatMod(a, b);
      case BinaryOp.Power:
        return floatPow(a, b);
      default:
        return this.raise(
          "TypeError",
          `unsupported operand type(s) for ${binaryOpSymbols[op]}: 'float' and 'float'`,
        );
    }
  }

  /** `a op b` of two ints (true division and negative powers are floats: see the callers). */
  intOp(op: BinaryOp, a: bigint, b: bigint): bigint {
    switch (op) {
      case BinaryOp.Add:
        return a + b;
      case BinaryOp.Subtract:
        return a - b;
      case BinaryOp.Multiply:
        return a * b;
      case BinaryOp.FloorDivide:
        if (b === 0n) this.raise("ZeroDivisionError", "integer division or modulo by zero");
        return intFloorDiv(a, b);
      case BinaryOp.Remainder:
        if (b === 0n) this.raise("ZeroDivisionError", "integer modulo by zero");
        return intMod(a, b);
      case BinaryOp.Power:
        return intPow(a, b) as bigint;
      case BinaryOp.LShift:
        return intLShift(a, b);
      case BinaryOp.RShift:
        return intRShift(a, b);
      case BinaryOp.And:
        return a & b;
      case BinaryOp.Or:
        return a | b;
      case BinaryOp.Xor:
        return a ^ b;
      default:
        return this.raise(
          "TypeError",
          `unsupported operand type(s) for ${binaryOpSymbols[op]}: 'int' and 'int'`,
        );
    }
  }

  /** `a / b` of two ints, correctly rounded. */
  intTrueDivide(a: bigint, b: bigint): number {
    if (b === 0n) this.raise("ZeroDivisionError", "division by zero");
    return intTrueDiv(a, b);
  }

  /** `format(value, spec)` for the built-in types, or a user `__format__`. */
  format(value: Ref, spec: string): string {
    const py = this.py;
    const t = this.typeOf(value);
    // A subclass of a built-in type may define its own __format__.
    const own = t.subtype ? this.builtins.lookupType(t, "__format__") : 0;
    // With an empty spec, int, float, complex and str format an instance of a subclass as
    // str() does (format_obj): its own __str__ or __repr__ is heard.
    if (spec === "" && t.subtype !== undefined && !(own && this.kindOf(own) === "function"))
      return this.str(value);
    switch (own && this.kindOf(own) === "function" ? "" : t.kind) {
      case "str":
        return formatStr(py.strValue(value), spec, t.name);
      case "bool":
        return formatBool(this.intOf(value) !== 0n, spec);
      case "int":
        return formatInt(BigInt(this.intOf(value)), spec, t.name);
      case "float":
        return formatFloat(py.floatValue(value), spec, t.name);
      case "complex":
        return formatComplex(this.builtins.complexType.value(value), spec);
      default: {
        const f = this.builtins.lookupType(t, "__format__");
        if (f && this.kindOf(f) === "function") {
          const s = py.str(spec);
          try {
            const r = this.call(f, [value, s]);
            try {
              return py.strValue(r);
            } finally {
              py.decref(r);
            }
          } finally {
            py.decref(s);
          }
        }
        if (spec !== "")
          this.raise("TypeError", `unsupported format string passed to ${t.name}.__format__`);
        return this.str(value);
      }
    }
  }

  /** `template.format(*args, **kwargs)`. */
  strFormat(
    template: string,
    args: readonly Ref[],
    kwargs: ReadonlyMap<string, Ref> | null,
    mapping: Ref = 0,
  ): string {
    const py = this.py;
    const b = this.builtins;
    const made: Ref[] = [];
    try {
      return strFormat<Ref>(template, {
        positional: (i) =>
          mapping ? this.raise("ValueError", "Format string contains positional fields") : args[i],
        keyword: (name) => {
          if (!mapping) return kwargs?.get(name);
          const k = py.str(name);
          made.push(k);
          const o = b.getItem(mapping, k);
          made.push(o);
          return o;
        },
        attribute: (v, name) => {
          const o = b.getAttr(v, name);
          made.push(o);
          return o;
        },
        item: (v, key) => {
          const k = typeof key === "number" ? py.int(key) : py.str(key);
          made.push(k);
          const o = b.getItem(v, k);
          made.push(o);
          return o;
        },
        convert: (v, c) => {
          const o = py.str(
            c === "s" ? this.str(v) : c === "r" ? this.repr(v) : asciiFromRepr(this.repr(v)),
          );
          made.push(o);
          return o;
        },
        format: (v, spec) => this.format(v, spec),
      });
    } finally {
      for (const o of made) py.decref(o);
    }
  }

  /** `template % args` for a str template. */
  formatPercent(template: Ref, args: Ref): string {
    return percentFormat<Ref>(this.py.strValue(template), args, this.#percentHooks(false));
  }

  /**
   * `template % args` for a bytes or bytearray template (PEP 461): the bytes of the result,
   * which the caller makes into its template's type.
   */
  formatBytesPercent(template: Uint8Array, args: Ref): Uint8Array {
    let text = "";
    for (let i = 0; i < template.length; i += 4096)
      text += String.fromCharCode(...template.subarray(i, i + 4096));
    const out = percentFormat<Ref>(text, args, this.#percentHooks(true));
    const bytes = new Uint8Array(out.length);
    for (let i = 0; i < out.length; i++) bytes[i] = out.charCodeAt(i);
    return bytes;
  }

  #percentHooks(bytesMode: boolean): PercentHooks<Ref> {
    const py = this.py;
    const b = this.builtins;
    const latin1 = (d: Uint8Array): string => {
      let s = "";
      for (let i = 0; i < d.length; i += 4096) s += String.fromCharCode(...d.subarray(i, i + 4096));
      return s;
    };
    const bytes: BytesPercentHooks<Ref> = {
      // format_obj: a bytes, then any buffer, then the result of `__bytes__`.
      buffer: (v) => {
        if (this.kindOf(v) === "bytes") return latin1(b.bytesType.data(v));
        const data = b.bytesType.buffer?.(v);
        if (data !== undefined) return latin1(data);
        const f = b.lookupType(this.typeOf(v), "__bytes__");
        if (!f) return undefined;
        const r = this.call(f, [v]);
        try {
          if (this.kindOf(r) !== "bytes")
            this.raise("TypeError", `__bytes__ returned non-bytes (type ${this.typeOf(r).name})`);
          return latin1(b.bytesType.data(r));
        } finally {
          py.decref(r);
        }
      },
      singleByte: (v) => {
        const bytearray = this.types.bytearray;
        const isBytes = this.kindOf(v) === "bytes";
        if (!isBytes && !(bytearray !== undefined && this.typeOf(v).isSubtype(bytearray)))
          return undefined;
        const d = isBytes ? b.bytesType.data(v) : b.bytesType.buffer?.(v);
        return d?.length === 1 ? d[0] : undefined;
      },
    };
    return {
      tupleItems: (v) => (this.kindOf(v) === "tuple" ? py.items(v) : undefined),
      // PyMapping_Check: anything subscriptable by key, so `"a" % [1]` is "a", not an error;
      // a bytes template takes neither bytes nor str as its mapping.
      isMapping: (v) => {
        const k = this.kindOf(v);
        if (bytesMode && (k === "bytes" || k === "str")) return false;
        if (k === "dict" || k === "list" || k === "bytes" || k === "range") return true;
        if (bytesMode) return b.lookupType(this.typeOf(v), "__getitem__") !== 0;
        return this.typeOf(v).heap && b.lookupType(this.typeOf(v), "__getitem__") !== 0;
      },
      getItem: (m, key) => {
        const k = bytesMode
          ? b.bytesType.make(Uint8Array.from(key, (c) => c.charCodeAt(0)))
          : py.str(key);
        try {
          const v = b.getItem(m, k);
          py.decref(v);
          return v;
        } finally {
          py.decref(k);
        }
      },
      str: (v) => this.str(v),
      repr: (v) => this.repr(v),
      number: (v) => {
        const k = this.kindOf(v);
        if (k === "int" || k === "bool") return BigInt(this.intOf(v));
        if (k === "float") return py.floatValue(v);
        return undefined;
      },
      text: (v) => (this.kindOf(v) === "str" ? py.strValue(v) : undefined),
      typeName: (v) => this.typeOf(v).name,
      ...(bytesMode ? { bytes } : {}),
    };
  }

  /** Whether `o` is a type object. */
  isTypeObject(o: Ref): boolean {
    return this.builtins.isType(o);
  }

  /** A new exception of `type` whose args are `args` (borrowed). */
  newExceptionWithArgs(type: PyType, args: readonly Ref[]): Ref {
    const py = this.py;
    const exc = py.allocate(type.native!);
    py.takeRef(exc, Exc.args, py.tuple(args));
    initExceptionFields(this.builtins, exc, type, args, null);
    return exc;
  }

  /** The sources of the files run, for tracebacks. */
  readonly sources = new Map<string, string[]>();

  /** The file name of the main module. */
  filename = "<string>";

  /**
   * The program's arguments, `sys.argv` (its first the program as python3 names it: the file
   * as given, `-c`, or `''` for a program on stdin); the file name alone when unset.
   */
  argv: readonly string[] | undefined;

  /** Line `line` (1-based) of `filename`, stripped, or undefined. */
  sourceLine(filename: string, line: number): string | undefined {
    return this.sources.get(filename)?.[line - 1];
  }

  // ------------------------------------------------------------------ running

  /** Runs a module's code unit in a fresh `__main__`; returns the exit status. */
  runMain(unit: CodeUnit): number {
    const py = this.py;
    const module = this.builtins.newMainModule(unit.filename);
    this.builtins.leaveStartupFreeLists();
    this.#main = module;
    const globals = py.getRef(module, ModuleObj.dict);
    const code = this.makeCode(unit);
    this.keep(code);
    // The collector starts where python3's start-up leaves it: counts, statistics, old objects.
    this.runtime.gc.seed(STARTUP_GC);
    try {
      // As PyEval_EvalCode runs it: with a function object for the code, held while it runs.
      py.decref(evalCode(this, code, globals, globals));
      return 0;
    } catch (error) {
      if (error instanceof ExitRequest) return error.status;
      if (error instanceof Raised) return this.reportUncaught(error.exc);
      throw error;
    } finally {
      this.builtins.flush();
    }
  }

  /** The `__main__` module while the program runs (owned), or 0. */
  #main: Ref = 0;

  /**
   * Interpreter shutdown, as Py_FinalizeEx does it after the atexit handlers: a full collection
   * while every module is alive (`_PyGC_CollectIfEnabled`, which calls `gc.callbacks`, and whose
   * survivors it reorders as any collection does), then `__main__` leaves the module table and
   * a second full collection (`_PyGC_CollectNoFail`, without the callbacks, enabled or not)
   * reclaims it with whatever it alone kept alive: the `__del__` methods of objects still alive
   * at the end run then, in the collector's order.
   */
  finalize(): void {
    const py = this.py;
    const main = this.#main;
    if (!main) return;
    this.#main = 0;
    try {
      if (py.gc.isEnabled()) py.collect(2);
      this.builtins.removeModules();
      py.decref(main);
      const callbacks = py.gc.callbacks.splice(0);
      try {
        py.collect(2);
      } finally {
        py.gc.callbacks.push(...callbacks);
      }
    } catch (error) {
      const exc = this.toPython(error);
      this.builtins.flush();
      this.io.stderr(this.builtins.formatException(exc));
      py.decref(exc);
    } finally {
      this.builtins.flush();
    }
  }

  /** Prints an uncaught exception as CPython does and releases it; returns 1 (or SystemExit's code). */
  reportUncaught(exc: Ref): number {
    const type = this.typeOf(exc);
    if (type.isSubtype(this.types.SystemExit!)) {
      const status = this.builtins.exitStatus(exc);
      this.py.decref(exc);
      return status;
    }
    const hook = replacedExcepthook(this.builtins);
    if (hook) this.#callExcepthook(hook, exc);
    else {
      this.builtins.flush();
      this.io.stderr(this.builtins.formatException(exc, true));
    }
    this.py.decref(exc);
    return 1;
  }

  /**
   * `_PyErr_PrintEx` with a `sys.excepthook` the program set: the hook is called with the
   * exception's type, value and traceback; if it raises, both are printed, as python3 does.
   */
  #callExcepthook(hook: Ref, exc: Ref): void {
    const py = this.py;
    const b = this.builtins;
    if (hook === py.none) {
      b.flush();
      this.io.stderr(`sys.excepthook is missing\n${b.formatException(exc, true)}`);
      return;
    }
    const tb = py.getRef(exc, Exc.traceback) || py.none;
    try {
      py.decref(this.call(hook, [this.typeOf(exc).object, exc, tb]));
    } catch (error) {
      const failure = this.toPython(error);
      try {
        if (this.typeOf(failure).isSubtype(this.types.SystemExit!)) return;
        b.flush();
        this.io.stderr(
          `Error in sys.excepthook:\n${b.formatException(failure, true)}\nOriginal exception was:\n${b.formatException(exc, true)}`,
        );
      } finally {
        py.decref(failure);
      }
    } finally {
      b.flush();
    }
  }

  /** Runs module or class-body code with `locals` as its namespace (a new reference to the result). */
  runCode(code: CodeInfo, globals: Ref, locals: Ref, closure: Ref = 0): Ref {
    const frame = new VMFrame(code, 0, globals, locals, this.top);
    this.#makeCells(frame);
    if (closure) this.#copyFreeVars(frame, closure);
    return this.execute(frame);
  }

  /**
   * Calls `callable` with `args` (borrowed) and keyword arguments; returns a new reference.
   * A Python function runs in a new `execute`, as CPython's C code calling back into Python.
   */
  call(callable: Ref, args: readonly Ref[], kwargs: ReadonlyMap<string, Ref> | null = null): Ref {
    const kind = this.kindOf(callable);
    const py = this.py;
    if (kind === "function") {
      const frame = this.#functionFrame(callable, args, kwargs, false);
      // A generator function called from native code (`iter()` calling a generator
      // `__iter__`, `map` calling one) makes the generator; nothing runs yet.
      if (frame.code.unit.flags & CodeFlags.Generator) return this.builtins.newGenerator(frame);
      return this.execute(frame);
    }
    if (kind === "method") {
      const self = py.getRef(callable, Method.self);
      const func = py.getRef(callable, Method.func);
      return this.call(func, [self, ...args], kwargs);
    }
    if (kind === "builtin") {
      const id = py.memory.u32[(callable + Builtin.id) >>> 2]!;
      const b = this.builtinFns[id]!;
      const self = b.self ? py.getRef(callable, Builtin.self) : 0;
      if (b.owner) this.builtins.checkDescriptorCall(b, args.length, args[0] ?? 0);
      // A C call counts toward the recursion depth while it runs.
      py.enterCall();
      try {
        return b.self ? b.fn([self, ...args], kwargs) : b.fn(args, kwargs);
      } finally {
        py.leaveCall();
      }
    }
    if (kind === "type") {
      const t = this.builtins.typeFromObject(callable);
      // A type with a vectorcall in 3.11 is called without _PyObject_MakeTpCall's count.
      if (!t.heap && VECTORCALL_TYPES.has(t.name)) return this.builtins.callType(t, args, kwargs);
      py.enterCall();
      try {
        return this.builtins.callType(t, args, kwargs);
      } finally {
        py.leaveCall();
      }
    }
    // staticmethod_call: the wrapped callable's.
    if (kind === "staticmethod") return this.call(py.getRef(callable, 16), args, kwargs);
    // An instance with __call__.
    const call = this.lookupSpecial(callable, "__call__");
    if (call) return this.call(call, [callable, ...args], kwargs);
    return this.raise("TypeError", `'${this.typeOf(callable).name}' object is not callable`);
  }

  /** A class attribute found along `o`'s type's MRO (borrowed), or 0. */
  lookupSpecial(o: Ref, name: string): Ref {
    return this.builtins.lookupType(this.typeOf(o), name);
  }

  /** Pushes the runtime frame of a function call (the recursion limit is checked there). */
  #enterActivation(frame: VMFrame): void {
    const spare = frame.spareActivation;
    if (spare !== null) {
      // A reused frame's last runtime frame, popped with its locals released: the same code's.
      this.py.repushFrame(spare);
      frame.activation = spare;
      return;
    }
    const unit = frame.code.unit;
    frame.activation = this.py.pushFrame(unit.name, unit.filename, NO_LOCALS);
  }

  /**
   * The frame of `__init__` for CALL of class `callable` with the positional arguments on
   * `stack` from `argStart` (the call's operands from `base`), pushed and made the top; or
   * null, having done nothing, when the class's call is not that one (another `__new__`, an
   * `__init__` that is not a Python function taking exactly these arguments). It does what
   * {@link Interpreter.call} and `callType` do up to running `__init__`, in their order: the
   * call counts toward the recursion depth as a C call, the arguments are packed in a tuple, the
   * instance is made, and `__init__`'s frame takes new references to it and the arguments. The
   * frame's return finishes the call ({@link Interpreter.#finishInit}), an exception leaving it
   * abandons it ({@link Interpreter.#abandonInit}): what `callType` does after its nested call.
   */
  #initFrame(
    callable: Ref,
    stack: number[],
    base: number,
    argStart: number,
    code: CodeInfo,
    pc: number,
  ): VMFrame | null {
    const py = this.py;
    const inPlace = this.#inPlace;
    const b = this.builtins;
    const u32 = py.memory.u32;
    const cached = code.classCallCache?.[pc];
    let t: PyType;
    let init: Ref;
    let info: CodeInfo;
    if (
      cached !== undefined &&
      cached.object === callable &&
      u32[(callable + TypeObj.dict) >>> 2] === cached.type.dict &&
      b.lookupHolds(cached.init) &&
      b.lookupHolds(cached.noNew) &&
      u32[(cached.init.value + Fn.code) >>> 2] === cached.code.object &&
      cached.code.live
    ) {
      // What this instruction found last time, still so: the checks below held then. The
      // class is the same one without looking it up: its namespace dict is the one the
      // lookups read (a class's own, never another's), with the version tag they saw.
      t = cached.type;
      init = cached.init.value;
      info = cached.code;
    } else {
      t = b.typeFromObject(callable);
      if (t.kind !== "instance" || (!t.heap && t.methods.has("__new__") && t.name !== "object"))
        return null;
      // A class statement's `__new__` makes the instance (callType).
      if (b.userNew(t)) return null;
      init = b.lookupType(t, "__init__");
      if (!init || u32[(init + OB_TYPE) >>> 2] !== this.native.function.id) return null;
      info = this.codes.get(u32[(init + Fn.code) >>> 2]!)!;
      this.#cacheClassCall(code, pc, callable, t, init, info);
    }
    const total = stack.length - argStart;
    if (!info.simpleArgs || info.unit.argCount !== total + 1) return null;
    let packed = 0;
    let instance = 0;
    try {
      py.enterCall();
      try {
        // The arguments are copied into an array kept for the arity, as BUILD_TUPLE's.
        if (total < TUPLE_SCRATCH && !this.#tupleScratchBusy) {
          const items = this.#tupleScratch[total]!;
          for (let i = 0; i < total; i++) items[i] = stack[argStart + i]!;
          this.#tupleScratchBusy = true;
          try {
            packed = py.tuple(items);
          } finally {
            this.#tupleScratchBusy = false;
          }
        } else packed = py.tuple(stack.slice(argStart));
        instance = t.slots ? py.allocate(t.native!) : py.instance(t.cls!);
      } catch (error) {
        if (packed) py.decref(packed);
        py.leaveCall();
        throw error;
      }
    } catch (error) {
      this.#dropOperands(stack, base);
      throw error;
    }
    const globals = py.memory.u32[(init + Fn.globals) >>> 2]!;
    const spare = info.spareFrames.pop();
    const callee =
      spare !== undefined
        ? spare.reset(init, globals, this.top)
        : new VMFrame(info, init, globals, 0, this.top);
    // New references to live objects: the function (kept alive by the class), the instance
    // and the arguments on the stack.
    increfHeld(py, inPlace, init);
    const calleeFast = callee.fast;
    increfHeld(py, inPlace, instance);
    calleeFast[0] = instance;
    for (let i = 0; i < total; i++) {
      const o = stack[argStart + i]!;
      increfHeld(py, inPlace, o);
      calleeFast[i + 1] = o;
    }
    try {
      this.#enterActivation(callee);
    } catch (error) {
      // As a nested call's frame that could not be pushed: cleared, then the error made a
      // Python exception, then the call abandoned.
      this.#clearFrame(callee);
      const exc = this.toPython(error);
      this.#abandonInit(instance, packed, base, this.top!);
      throw new Raised(exc);
    }
    callee.initInstance = instance;
    callee.initPacked = packed;
    callee.initBase = base;
    this.top = callee;
    return callee;
  }

  /**
   * Keeps what CALL at `pc` of `code` found for class `t` (see {@link ClassCallCache}): only for
   * a class statement's class whose lookups of `__init__` and `__new__` can be kept.
   */
  #cacheClassCall(
    code: CodeInfo,
    pc: number,
    object: Ref,
    t: PyType,
    init: Ref,
    info: CodeInfo,
  ): void {
    if (!t.heap) return;
    const kept = t.lookups.get("__init__");
    if (kept === undefined || kept.value !== init || !this.builtins.lookupHolds(kept)) return;
    // The namespaces userNew read: the class statements' of the MRO, up to the first other.
    const u32 = this.py.memory.u32;
    const classes: PyType[] = [];
    const dicts: Ref[] = [];
    const stamps: number[] = [];
    for (const c of t.mro) {
      if (!c.heap || !c.dict) break;
      classes.push(c);
      dicts.push(c.dict);
      stamps.push(dictVersion(u32, c.dict));
    }
    let cache = code.classCallCache;
    if (cache === undefined) {
      cache = new Array<ClassCallCache | undefined>(code.unit.code.length >> 1).fill(undefined);
      code.classCallCache = cache;
    }
    cache[pc] = {
      object,
      type: t,
      init: kept,
      noNew: { value: 0, classes, dicts, stamps },
      code: info,
    };
  }

  /**
   * Finishes a class call when the `__init__` frame `done` has returned `result` (a new
   * reference) to `caller`: `__init__` must return None; then the packed arguments go, the call
   * leaves the recursion depth and its operands are released. Returns the instance (a new
   * reference). `done`'s class call is cleared first.
   */
  #finishInit(done: VMFrame, caller: VMFrame, result: Ref): Ref {
    const instance = done.initInstance;
    const packed = done.initPacked;
    const base = done.initBase;
    done.initInstance = 0;
    done.initPacked = 0;
    const py = this.py;
    try {
      try {
        if (result !== py.none) {
          const name = this.typeOf(result).name;
          py.decref(result);
          this.raise("TypeError", `__init__() should return None, not '${name}'`);
        }
        // None, the stack's reference.
        decrefHeld(py, this.#inPlace, result);
      } catch (error) {
        py.decref(instance);
        throw error;
      } finally {
        py.decref(packed);
      }
    } finally {
      py.leaveCall();
      this.#dropOperands(caller.stack, base);
    }
    return instance;
  }

  /** Ends a class call whose `__init__` raised: the instance and the packed arguments go too. */
  #abandonInit(instance: Ref, packed: Ref, base: number, caller: VMFrame): void {
    const py = this.py;
    try {
      try {
        py.decref(instance);
      } finally {
        py.decref(packed);
      }
    } finally {
      py.leaveCall();
      this.#dropOperands(caller.stack, base);
    }
  }

  /** CALL's end: the callable and its arguments leave the stack from `base`, released in order. */
  #dropOperands(stack: number[], base: number): void {
    const py = this.py;
    const inPlace = this.#inPlace;
    const n = stack.length - base;
    if (n <= 4) {
      // The common calls' few operands, without an array: off the stack first (a finalizer run
      // by a release must not find them there), then released.
      const o0 = n > 0 ? stack[base]! : 0;
      const o1 = n > 1 ? stack[base + 1]! : 0;
      const o2 = n > 2 ? stack[base + 2]! : 0;
      const o3 = n > 3 ? stack[base + 3]! : 0;
      // Pops, not a length store: V8 runs `length =` in its runtime, a pop inline.
      for (let i = 0; i < n; i++) stack.pop();
      if (o0) decrefHeld(py, inPlace, o0);
      if (o1) decrefHeld(py, inPlace, o1);
      if (o2) decrefHeld(py, inPlace, o2);
      if (o3) decrefHeld(py, inPlace, o3);
      return;
    }
    const items = stack.splice(base, n);
    for (const o of items) if (o) decrefHeld(py, inPlace, o);
  }

  /**
   * CALL of builtin `callable` with the positional arguments on `stack` from `argStart` (left
   * there, borrowed): a new reference to the result. `list.append`, `list.pop()` on a list and
   * `len` run here without their general entry (CPython 3.11's PRECALL specialisations), each
   * doing what its method does; any other builtin gets its arguments in an array. A method
   * descriptor checks its first argument unless LOAD_METHOD found it (`isMethod`) on that
   * object's type.
   */
  #callBuiltin(callable: Ref, stack: number[], argStart: number, isMethod: boolean): Ref {
    const py = this.py;
    const u32 = py.memory.u32;
    const entry = this.builtinFns[u32[(callable + Builtin.id) >>> 2]!]!;
    const fn = entry.fn;
    const total = stack.length - argStart;
    if (!entry.self) {
      // LOAD_METHOD found a descriptor on its object's own type: the object is one of its.
      if (!isMethod && entry.owner !== undefined)
        this.builtins.checkDescriptorCall(entry, total, total > 0 ? stack[argStart]! : 0);
      const special = this.#specialBuiltins;
      if (total === 1 && fn === special.len) {
        // An exact list's or tuple's length is its size field (what `len` reads through the
        // type's `__len__` slot).
        const o = stack[argStart]!;
        const t = u32[(o + OB_TYPE) >>> 2]!;
        if (t === special.listTypeId) return py.intFromSsize(u32[(o + ListLayout.size) >>> 2]!);
        if (t === this.builtins.tupleTypeId)
          return py.intFromSsize(u32[(o + TupleLayout.size) >>> 2]!);
        return py.intFromSsize(this.builtins.len(o));
      }
      const self = stack[argStart]!;
      if (u32[(self + OB_TYPE) >>> 2] === special.listTypeId) {
        if (total === 2 && fn === special.listAppend) {
          py.append(self, stack[argStart + 1]!);
          this.builtins.listChanged(self);
          return py.newRef(py.none);
        }
        if (total === 1 && fn === special.listPop) {
          if (u32[(self + ListLayout.size) >>> 2] === 0)
            this.raise("IndexError", "pop from empty list");
          const v = py.pop(self);
          this.builtins.listChanged(self);
          return v;
        }
      }
      return fn(stack.slice(argStart), null);
    }
    const args = new Array<Ref>(total + 1);
    args[0] = py.getRef(callable, Builtin.self);
    for (let i = 0; i < total; i++) args[i + 1] = stack[argStart + i]!;
    return fn(args, null);
  }

  /**
   * `str(x)` called with one positional argument (a new reference): what {@link Interpreter.call}
   * does for the str type, in its order, without looking up the type, its metaclass or its
   * constructor. 3.11's str has no vectorcall, so `_PyObject_MakeTpCall` counts a C call and
   * packs the argument into a 1-tuple held while `unicode_new` runs; PyObject_Str then gives an
   * exact str itself, and an exact int's digits in a new str, computed inside its own recursion
   * level (" while getting the str of an object"). Any other argument goes to
   * {@link Builtins.strObject}, as the constructor sends it.
   */
  #callStr(x: Ref): Ref {
    const py = this.py;
    py.enterCall();
    try {
      const packed = py.tuple([x]);
      try {
        return this.#objectStr(x);
      } finally {
        py.decref(packed);
      }
    } finally {
      py.leaveCall();
    }
  }

  /** PyObject_Str(x) (a new reference), for {@link Interpreter.#callStr}. */
  #objectStr(x: Ref): Ref {
    const py = this.py;
    const u32 = py.memory.u32;
    if (u32[(x + OB_TYPE) >>> 2] === this.builtins.intTypeId) {
      const v = smallInt(u32, py.memory.i32, x);
      if (!Number.isNaN(v)) {
        py.enterCall(" while getting the str of an object");
        try {
          return py.strNew(String(v));
        } finally {
          py.leaveCall();
        }
      }
    }
    return this.builtins.strObject(x);
  }

  /** Binds a call's arguments to a new frame of function `func` (CPython's initialize_locals). */
  #functionFrame(
    func: Ref,
    args: readonly Ref[],
    kwargs: ReadonlyMap<string, Ref> | null,
    steal: boolean,
  ): VMFrame {
    const py = this.py;
    const mem = py.memory.u32;
    const code = this.codes.get(mem[(func + Fn.code) >>> 2]!)!;
    const unit = code.unit;
    const globals = mem[(func + Fn.globals) >>> 2]!;
    // A spare frame of the code when the call is CALL's common one (see #clearFrame).
    const spare =
      code.simpleArgs && kwargs === null && args.length === unit.argCount
        ? code.spareFrames.pop()
        : undefined;
    const frame =
      spare !== undefined
        ? spare.reset(func, globals, this.top)
        : new VMFrame(code, func, globals, 0, this.top);
    py.incref(func);
    const fast = frame.fast;
    const n = unit.argCount;
    const given = args.length;
    const nargs = Math.min(given, n);
    // Positional arguments move into the frame (or are copied, from a call made in JavaScript).
    for (let i = 0; i < nargs; i++) fast[i] = steal ? args[i]! : py.newRef(args[i]!);
    let slot = n + unit.kwOnlyArgCount;
    if (unit.flags & CodeFlags.VarArgs) {
      const rest = args.slice(n);
      fast[slot] = py.tuple(rest);
      if (steal) for (const r of rest) py.decref(r);
      slot++;
    } else if (given > n) {
      if (steal) for (let i = n; i < given; i++) py.decref(args[i]!);
      this.#discardFrame(frame);
      const plural = n === 1 ? "" : "s";
      const defaults = py.memory.u32[(func + Fn.defaults) >>> 2]!;
      const ndefaults = defaults ? py.len(defaults) : 0;
      const takes = ndefaults ? `from ${n - ndefaults} to ${n}` : `${n}`;
      this.raise(
        "TypeError",
        `${this.#qualnameOf(func)}() takes ${takes} positional argument${ndefaults ? "s" : plural} but ${given} ${given === 1 ? "was" : "were"} given`,
      );
    }
    let kwdict = 0;
    if (unit.flags & CodeFlags.VarKeywords) {
      kwdict = py.dict();
      fast[slot] = kwdict;
    }
    if (kwargs) {
      for (const [name, value] of kwargs) {
        const at = unit.varnames.indexOf(name);
        if (at >= unit.posOnlyArgCount && at < n + unit.kwOnlyArgCount) {
          if (fast[at] !== 0) {
            this.#discardFrame(frame);
            this.raise(
              "TypeError",
              `${this.#qualnameOf(func)}() got multiple values for argument '${name}'`,
            );
          }
          fast[at] = py.newRef(value);
        } else if (kwdict) {
          this.builtins.setStr(kwdict, name, value);
        } else {
          this.#discardFrame(frame);
          // positional_only_passed_as_keyword: every positional-only name among the keywords.
          const posOnly = unit.varnames.slice(0, unit.posOnlyArgCount).filter((k) => kwargs.has(k));
          this.raise(
            "TypeError",
            posOnly.length > 0
              ? `${this.#qualnameOf(func)}() got some positional-only arguments passed as keyword arguments: '${posOnly.join(", ")}'`
              : `${this.#qualnameOf(func)}() got an unexpected keyword argument '${name}'`,
          );
        }
      }
    }
    // Defaults for the missing ones.
    if (nargs < n || unit.kwOnlyArgCount > 0) {
      const defaults = py.memory.u32[(func + Fn.defaults) >>> 2]!;
      const defs = defaults ? py.items(defaults) : [];
      const firstDefault = n - defs.length;
      const missing: string[] = [];
      for (let i = nargs; i < n; i++) {
        if (fast[i] !== 0) continue;
        if (i >= firstDefault) fast[i] = py.newRef(defs[i - firstDefault]!);
        else missing.push(unit.varnames[i]!);
      }
      const kwdefaults = py.memory.u32[(func + Fn.kwdefaults) >>> 2]!;
      const kwMissing: string[] = [];
      for (let i = n; i < n + unit.kwOnlyArgCount; i++) {
        if (fast[i] !== 0) continue;
        const d = kwdefaults ? py.dictGet(kwdefaults, py.constant(unit.varnames[i]!)) : 0;
        if (d) fast[i] = py.newRef(d);
        else kwMissing.push(unit.varnames[i]!);
      }
      if (missing.length > 0 || kwMissing.length > 0) {
        this.#discardFrame(frame);
        const list = missing.length > 0 ? missing : kwMissing;
        const kind = missing.length > 0 ? "positional" : "keyword-only";
        this.raise(
          "TypeError",
          `${this.#qualnameOf(func)}() missing ${list.length} required ${kind} argument${list.length === 1 ? "" : "s"}: ${joinNames(list)}`,
        );
      }
    }
    // Cells (MAKE_CELL) and the closure's cells (COPY_FREE_VARS).
    this.#makeCells(frame);
    const closure = py.memory.u32[(func + Fn.closure) >>> 2]!;
    if (closure) this.#copyFreeVars(frame, closure);
    return frame;
  }

  /** MAKE_CELL: a new cell for each cell variable, holding the parameter it is, if one. */
  #makeCells(frame: VMFrame): void {
    const py = this.py;
    const unit = frame.code.unit;
    const fast = frame.fast;
    const nvars = unit.varnames.length;
    for (let i = 0; i < unit.cellvars.length; i++) {
      const cell = py.allocate(this.native.cell);
      const arg = unit.cell2arg[i]!;
      if (arg >= 0 && fast[arg]) {
        py.takeRef(cell, Cell.contents, fast[arg]!);
        fast[arg] = 0;
      }
      fast[nvars + i] = cell;
    }
  }

  #copyFreeVars(frame: VMFrame, closure: Ref): void {
    const py = this.py;
    const unit = frame.code.unit;
    const base = unit.varnames.length + unit.cellvars.length;
    const cells = py.items(closure);
    for (let i = 0; i < cells.length; i++) frame.fast[base + i] = py.newRef(cells[i]!);
  }

  /** Releases a frame that never ran (its arguments were wrong). */
  #discardFrame(frame: VMFrame): void {
    const py = this.py;
    for (let i = 0; i < frame.fast.length; i++) {
      const o = frame.fast[i]!;
      frame.fast[i] = 0;
      if (o) py.decref(o);
    }
    py.decref(frame.func);
  }

  /**
   * Releases a finished frame: its stack, then its locals in slot order (or into its frame
   * object, which a traceback holds), then the function (CPython's `_PyFrame_Clear`).
   */
  #clearFrame(frame: VMFrame): void {
    const py = this.py;
    const inPlace = this.#inPlace;
    const activation = frame.activation;
    if (activation) {
      py.popFrame(activation);
      frame.activation = null;
    }
    const stack = frame.stack;
    if (frame.frameObject) {
      this.#takeOwnership(frame);
    } else {
      const fast = frame.fast;
      for (let i = 0; i < fast.length; i++) {
        const o = fast[i]!;
        if (o) {
          fast[i] = 0;
          decrefHeld(py, inPlace, o);
        }
      }
    }
    while (stack.length > 0) {
      const o = stack.pop()!;
      if (o) decrefHeld(py, inPlace, o);
    }
    // f_locals goes after the variables, before the function (_PyFrame_Clear).
    const localsDict = frame.localsDict;
    if (localsDict) {
      frame.localsDict = 0;
      py.decref(localsDict);
    }
    if (frame.func) decrefHeld(py, inPlace, frame.func);
    // Kept for the next call of its code, last of all: the releases above may have run Python
    // code (finalizers), which must not be given this frame while it is still being cleared. A
    // generator's frame stays with its generator; a recorder may hold frames it was shown. Only
    // CALL's common path (simpleArgs) takes spare frames.
    if (
      frame.code.simpleArgs &&
      frame.func !== 0 &&
      frame.generator === 0 &&
      this.onLine === undefined &&
      frame.code.spareFrames.length < SPARE_FRAMES
    ) {
      frame.spareActivation = activation;
      frame.code.spareFrames.push(frame);
    }
  }

  /** A generator's frame leaves the stack until it is resumed. */
  #suspend(frame: VMFrame): void {
    if (frame.activation) {
      this.py.popFrame(frame.activation);
      frame.activation = null;
    }
  }

  /**
   * The frame object of `frame` (borrowed: the frame owns it), made when first needed. `func` is
   * the frame's function, for a paused generator's frame (whose generator holds it meanwhile).
   */
  frameObjectOf(frame: VMFrame, func: Ref = frame.func): Ref {
    if (frame.frameObject) return frame.frameObject;
    const py = this.py;
    const f = py.allocate(this.native.frame, frame.fast.length);
    py.memory.u32[(f + FrameObj.count) >>> 2] = 0;
    py.setRef(f, FrameObj.code, frame.code.object);
    // The function, whose globals are the frame's, or the globals of a frame without one: a
    // frame object that outlives its frame keeps the function (take_ownership copies f_func),
    // and releases it before the locals, as frame_dealloc does.
    py.setRef(f, FrameObj.globals, func || frame.globals);
    frame.frameObject = f;
    this.frameInfo.set(f, { frame, lineno: 0 });
    return f;
  }

  /** What a frame object knows of its frame: the live frame, or the line it ended on. */
  readonly frameInfo = new Map<Ref, { frame: VMFrame | null; lineno: number }>();

  /** A finished frame's locals move into its frame object (`take_ownership`). */
  #takeOwnership(frame: VMFrame): void {
    const py = this.py;
    const f = frame.frameObject;
    const u32 = py.memory.u32;
    const n = frame.fast.length;
    for (let i = 0; i < n; i++) {
      u32[(f + FrameObj.locals + 8 * i) >>> 2] = frame.fast[i]!;
      frame.fast[i] = 0;
    }
    u32[(f + FrameObj.count) >>> 2] = n;
    const info = this.frameInfo.get(f);
    if (info) {
      info.lineno = frame.code.unit.lines[frame.lasti] ?? 0;
      info.frame = null;
    }
    // A generator's frame has been unlinked from its caller before it is cleared (gen_send_ex2:
    // "don't keep the reference to previous"), so its frame object keeps no f_back: holding the
    // caller would tie, say, a with statement's __exit__ frame into a cycle with the exception
    // it threw into the generator.
    if (frame.back && frame.generator === 0)
      py.setRef(f, FrameObj.back, this.frameObjectOf(frame.back));
    frame.frameObject = 0;
    py.decref(f);
  }

  /** Adds `frame` to the traceback of `exc` (PyTraceBack_Here). */
  #tracebackHere(frame: VMFrame, exc: Ref): void {
    const py = this.py;
    const tb = py.allocate(this.native.traceback);
    py.setRef(tb, Traceback.next, py.getRef(exc, Exc.traceback));
    py.setRef(tb, Traceback.frame, this.frameObjectOf(frame));
    const u32 = py.memory.u32;
    u32[(tb + Traceback.lasti) >>> 2] = frame.lasti;
    u32[(tb + Traceback.lineno) >>> 2] = frame.code.unit.lines[frame.lasti] ?? 0;
    py.takeRef(exc, Exc.traceback, tb);
  }

  /**
   * Sets `exc.__context__` to the exception being handled, as raising inside an `except` does
   * (`_PyErr_SetObject`), avoiding a cycle through the context chain.
   */
  #chainContext(exc: Ref): void {
    const py = this.py;
    const handled = this.handledException();
    if (!handled || handled === exc || handled === py.none) return;
    // Break a cycle: if exc is already in handled's context chain, cut it there.
    let o = handled;
    for (;;) {
      const ctx = py.getRef(o, Exc.context);
      if (!ctx) break;
      if (ctx === exc) {
        py.setRef(o, Exc.context, 0);
        break;
      }
      o = ctx;
    }
    py.setRef(exc, Exc.context, handled);
  }

  // ------------------------------------------------------------------ the loop

  /**
   * `l op r` when both are exact ints of at most one digit, or both floats, computed without
   * the general protocol (as CPython 3.11 specialises BINARY_OP): a new reference, or 0 when the
   * operands, the operator or the result fall outside these cases (the general path then
   * computes it, or raises).
   */
  #fastBinary(op: BinaryOp, l: Ref, r: Ref): Ref {
    const py = this.py;
    const { u32, i32 } = py.memory;
    const type = u32[(l + OB_TYPE) >>> 2]!;
    if (type !== u32[(r + OB_TYPE) >>> 2]) return 0;
    const b = this.builtins;
    if (type === b.intTypeId) {
      const x = smallInt(u32, i32, l);
      const y = smallInt(u32, i32, r);
      // NaN unless both are exact as numbers; then sums and products are checked to be exact.
      if (Number.isNaN(x) || Number.isNaN(y)) return 0;
      if (op === BinaryOp.Add || op === BinaryOp.Subtract || op === BinaryOp.Multiply) {
        // A result beyond 2**53 may be rounded: it is not a safe integer, and the general path
        // computes it exactly.
        const v = op === BinaryOp.Add ? x + y : op === BinaryOp.Subtract ? x - y : x * y;
        return Number.isSafeInteger(v) ? py.int(v) : 0;
      }
      if (op === BinaryOp.Remainder || op === BinaryOp.FloorDivide) {
        if (y === 0) return 0;
        // A remainder of safe integers is exact (fmod is); Python's takes the divisor's sign.
        let m = x % y;
        if (m !== 0 && m < 0 !== y < 0) m += y;
        if (op === BinaryOp.Remainder) return py.int(m === 0 ? 0 : m);
        // x - m is a multiple of y below 2**53 + |y|: the quotient is exact unless that sum
        // left the safe range.
        const d = x - m;
        return Number.isSafeInteger(d) ? py.int(d / y + 0) : 0;
      }
      // Below 2**30 in magnitude, bitwise results are exact too.
      if (x >= 0x4000_0000 || x <= -0x4000_0000 || y >= 0x4000_0000 || y <= -0x4000_0000) return 0;
      let v: number;
      switch (op) {
        case BinaryOp.And:
          v = x & y;
          break;
        case BinaryOp.Or:
          v = x | y;
          break;
        case BinaryOp.Xor:
          v = x ^ y;
          break;
        case BinaryOp.RShift:
          if (y < 0) return 0;
          v = x >> Math.min(y, 31);
          break;
        case BinaryOp.LShift:
          // Below 2**52: exact.
          if (y < 0 || y > 22) return 0;
          v = x * 2 ** y;
          break;
        case BinaryOp.TrueDivide:
          // Both exact doubles: one correctly rounded division, as CPython's long_true_divide.
          return y === 0 ? 0 : py.float(x / y);
        default:
          return 0;
      }
      return py.int(v);
    }
    if (type === b.floatTypeId) {
      const f64 = py.memory.f64;
      const x = f64[(l + FloatLayout.value) >>> 3]!;
      const y = f64[(r + FloatLayout.value) >>> 3]!;
      switch (op) {
        case BinaryOp.Add:
          return py.float(x + y);
        case BinaryOp.Subtract:
          return py.float(x - y);
        case BinaryOp.Multiply:
          return py.float(x * y);
        case BinaryOp.TrueDivide:
          return y === 0 ? 0 : py.float(x / y);
        default:
          return 0;
      }
    }
    return 0;
  }

  /**
   * A warm-up event of `code` (`_PyCode_Warmup`): a RESUME or a JUMP_BACKWARD. The eighth
   * quickens it: its `+` instructions then start adaptive, with a counter of 0 (they
   * specialise the first time they run).
   */
  #warm(code: CodeInfo): void {
    if (++code.warmup === 0) {
      code.addCaches = new Int32Array(code.unit.length);
      code.callHits = new Float64Array(2 * code.unit.length);
    }
  }

  /**
   * BINARY_OP `+`/`+=` at `pc` of a quickened code, as CPython 3.11's adaptive instruction and
   * its specialisations run it: the adaptive form specialises on the operands' types when its
   * counter is down to zero (backing off when they fit no form), a specialised form goes back
   * to adaptive after 53 misses. Only BINARY_OP_INPLACE_ADD_UNICODE differs from the generic
   * operator in what it does: `left` is appended to in place when the next instruction
   * stores to the local that holds it. Returns true when it did so (the store included).
   */
  #adaptiveAdd(
    code: CodeInfo,
    caches: Int32Array,
    pc: number,
    left: Ref,
    right: Ref,
    fast: number[],
  ): boolean {
    const u32 = this.py.memory.u32;
    const b = this.builtins;
    const type = u32[(left + OB_TYPE) >>> 2]!;
    const sameType = type === u32[(right + OB_TYPE) >>> 2];
    let entry = caches[pc]!;
    let form = entry >>> 16;
    if (form === AddForm.Adaptive) {
      if (entry >= 1 << BACKOFF_BITS) {
        caches[pc] = entry - (1 << BACKOFF_BITS);
        return false;
      }
      form = !sameType
        ? AddForm.Adaptive
        : type === b.strTypeId
          ? storesLocal(code, pc, left, fast)
            ? AddForm.InplaceUnicode
            : AddForm.Unicode
          : type === b.intTypeId
            ? AddForm.Int
            : type === b.floatTypeId
              ? AddForm.Float
              : AddForm.Adaptive;
      if (form === AddForm.Adaptive) {
        // The failed specialisation backs off, and the adaptive instruction runs again at
        // once, counting this run as the first of the wait.
        caches[pc] = backoff(entry) - (1 << BACKOFF_BITS);
        return false;
      }
      entry = (form << 16) | MISS_START;
      caches[pc] = entry;
    }
    const expected =
      form === AddForm.Int ? b.intTypeId : form === AddForm.Float ? b.floatTypeId : b.strTypeId;
    if (
      type !== expected ||
      !sameType ||
      (form === AddForm.InplaceUnicode && !storesLocal(code, pc, left, fast))
    ) {
      // A miss: the generic operator runs; after MISS_START of them the form is dropped.
      const misses = (entry & 0xffff) - 1;
      caches[pc] = misses === 0 ? ADAPTIVE_START : (form << 16) | misses;
      return false;
    }
    return form === AddForm.InplaceUnicode;
  }

  /**
   * The form CPython 3.11's `_Py_Specialize_Precall` gives the call at `pc` of `callable` with
   * `total` positional operands (self included when `isMethod`) and `nkw` keywords.
   */
  #callForm(
    code: CodeInfo,
    pc: number,
    callable: Ref,
    isMethod: boolean,
    total: number,
    nkw: number,
  ): CallForm {
    const py = this.py;
    const u32 = py.memory.u32;
    const t = u32[(callable + OB_TYPE) >>> 2]!;
    const native = this.native;
    if (t === native.function.id) return CallForm.PyFunc;
    if (t === native.method.id) return isMethod ? CallForm.None : CallForm.BoundMethod;
    if (t === native.builtin.id || t === native.methodDescriptor.id) {
      if (nkw > 0 && t === native.methodDescriptor.id) return CallForm.None;
      const fn = this.builtinFns[u32[(callable + Builtin.id) >>> 2]!]!.fn;
      const special = this.#specialBuiltins;
      if (t === native.builtin.id) {
        if (fn === special.len) return total === 1 && nkw === 0 ? CallForm.Len : CallForm.None;
        if (fn === special.isinstance && total === 2 && nkw === 0) return CallForm.IsInstance;
        switch (this.#conventions.get(fn)) {
          case CallConv.O:
            return total === 1 && nkw === 0 ? CallForm.Builtin : CallForm.None;
          case CallConv.Fast:
            return nkw === 0 ? CallForm.BuiltinFast : CallForm.None;
          case CallConv.FastKw:
            return CallForm.BuiltinFastKw;
          case CallConv.Other:
            return CallForm.None;
          default:
            return CallForm.Builtin;
        }
      }
      // PRECALL_NO_KW_LIST_APPEND: `l.append(x)` whose result is dropped.
      if (
        fn === special.listAppend &&
        total === 2 &&
        isMethod &&
        code.unit.code[2 * (pc + 1)] === Op.POP_TOP
      )
        return CallForm.ListAppend;
      return CallForm.Descriptor;
    }
    const type = this.builtins.isType(callable) ? this.builtins.typeFromObject(callable) : null;
    if (type === null || type.heap) return CallForm.None;
    if (!isMethod && total === 1 && nkw === 0) {
      if (callable === this.#strType) return CallForm.Str1;
      if (type === this.types.type) return CallForm.Type1;
      if (type === this.types.tuple) return CallForm.Tuple1;
    }
    return VECTORCALL_TYPES.has(type.name) ? CallForm.BuiltinClass : CallForm.None;
  }

  /**
   * PRECALL at `pc` of a quickened code, as CPython 3.11's adaptive instruction and its
   * specialisations run it (see {@link CallForm}): the specialised form the call runs as, or
   * {@link CallForm.Adaptive} for the generic call. PRECALL_NO_KW_STR_1's `str(x)` neither
   * counts a C call for the type nor packs `x`; the len, isinstance and METH_FASTCALL forms
   * count no C call.
   */
  #adaptiveCall(
    code: CodeInfo,
    caches: Int32Array,
    pc: number,
    callable: Ref,
    isMethod: boolean,
    total: number,
    nkw: number,
  ): CallForm {
    let entry = caches[pc]!;
    let form = entry >>> 16;
    const type = this.py.memory.u32[(callable + OB_TYPE) >>> 2]!;
    const hits = code.callHits!;
    const key = callable * 2 + (isMethod ? 1 : 0);
    // The commonest runs, decided without classifying the callable: a Python function at a
    // site specialised on one, the callable the site's form was last hit by (a freed one's
    // address reused by an object of its type has its form: builtin functions made at run
    // time, methods and functions each have one, and no static type is freed), and the wait
    // of an adaptive site.
    if (form === CallForm.PyFunc) {
      if (type === this.native.function.id) return form;
    } else if (form !== CallForm.Adaptive) {
      if (hits[2 * pc] === key && hits[2 * pc + 1] === type) return form;
    } else if (entry >= 1 << BACKOFF_BITS) {
      caches[pc] = entry - (1 << BACKOFF_BITS);
      return CallForm.Adaptive;
    }
    const seen = this.#callForm(code, pc, callable, isMethod, total, nkw);
    if (form === CallForm.Adaptive) {
      if (seen === CallForm.None) {
        // The failed specialisation backs off, and the adaptive instruction runs again at
        // once, counting this call as the first of the wait.
        caches[pc] = backoff(entry) - (1 << BACKOFF_BITS);
        return CallForm.Adaptive;
      }
      form = seen;
      entry = (form << 16) | MISS_START;
      caches[pc] = entry;
    }
    if (seen !== form) {
      // A miss: the generic call runs; after MISS_START of them the form is dropped.
      const misses = (entry & 0xffff) - 1;
      caches[pc] = misses === 0 ? ADAPTIVE_START : (form << 16) | misses;
      return CallForm.Adaptive;
    }
    hits[2 * pc] = key;
    hits[2 * pc + 1] = type;
    return form;
  }

  /**
   * Whether `o` is an exact dict and `key` an exact str or int: then `o[key]`, `o[key] = v`
   * and `del o[key]` are the dict's own lookup, store and deletion, with no subclass method,
   * no hashability check and no `__missing__` to consult first.
   */
  #exactDictKey(o: Ref, key: Ref): boolean {
    const u32 = this.py.memory.u32;
    const b = this.builtins;
    if (u32[(o + OB_TYPE) >>> 2] !== b.dictTypeId) return false;
    const k = u32[(key + OB_TYPE) >>> 2]!;
    return k === b.strTypeId || k === b.intTypeId;
  }

  /**
   * `l op r` for two exact ints of at most one digit or two floats: 1 (true), 0 (false), or -1
   * when the operands are of other kinds (the general comparison then decides).
   */
  #fastCompare(op: CompareOp, l: Ref, r: Ref): number {
    const py = this.py;
    const { u32, i32 } = py.memory;
    const type = u32[(l + OB_TYPE) >>> 2]!;
    if (type !== u32[(r + OB_TYPE) >>> 2]) return -1;
    const b = this.builtins;
    let x: number;
    let y: number;
    if (type === b.intTypeId) {
      x = smallInt(u32, i32, l);
      y = smallInt(u32, i32, r);
      if (Number.isNaN(x) || Number.isNaN(y)) return -1;
    } else if (type === b.floatTypeId) {
      x = py.memory.f64[(l + FloatLayout.value) >>> 3]!;
      y = py.memory.f64[(r + FloatLayout.value) >>> 3]!;
    } else {
      return -1;
    }
    let c: boolean;
    switch (op) {
      case CompareOp.Lt:
        c = x < y;
        break;
      case CompareOp.Le:
        c = x <= y;
        break;
      case CompareOp.Eq:
        c = x === y;
        break;
      case CompareOp.Ne:
        c = x !== y;
        break;
      case CompareOp.Gt:
        c = x > y;
        break;
      default:
        c = x >= y;
    }
    return c ? 1 : 0;
  }

  /**
   * Runs `frame` (and every Python frame it calls) until it returns: a new reference to its
   * result. A Python exception leaving it is thrown as `Raised`.
   */
  execute(entry: VMFrame, thrown: Ref = 0): Ref {
    entry.entry = true;
    // A generator resumed after a yield: RESUME, a warm-up event (a throw skips it). Its
    // start is counted where #run starts a code.
    if (entry.generator && thrown === 0 && entry.pc !== 0 && entry.code.warmup < 0)
      this.#warm(entry.code);
    if (entry.func !== 0 && entry.activation === null) {
      try {
        // Python's recursion limit bounds the frames; the JavaScript stack each run of the loop
        // inside another holds is bounded here, where it can fail cleanly: a RecursionError
        // before the stack runs out (where python3, past a raised limit, would crash).
        if (this.#nest >= NEST_CHECKED_FROM) this.#checkStackRoom();
        this.#enterActivation(entry);
      } catch (error) {
        if (thrown) this.py.decref(thrown);
        // A generator's frame too: gen_send_ex2 clears the frame of a generator that raised.
        entry.finished = true;
        this.#clearFrame(entry);
        throw new Raised(this.toPython(error));
      }
    }
    const savedTop = this.top;
    this.top = entry;
    let frame = entry;
    this.#nest++;
    try {
      for (;;) {
        try {
          // An exception thrown into a generator is raised where its frame is paused.
          if (thrown !== 0) {
            const exc = thrown;
            thrown = 0;
            throw new Thrown(exc);
          }
          const result = this.#run(frame);
          // #run returns when the frame it started with returns or, for a generator, yields.
          const done = frame;
          if (!done.entry && done.generator !== 0) {
            // A generator SEND resumed in the loop (a handler in it was where #run started).
            frame = this.#resumedDone(done, result);
            continue;
          }
          const back = done.back;
          const initInstance = done.initInstance;
          if (!done.generator || done.finished) this.#clearFrame(done);
          else this.#suspend(done);
          this.top = back;
          if (done.entry) return result;
          frame = back!;
          frame.stack.push(initInstance ? this.#finishInit(done, frame, result) : result);
        } catch (error) {
          if (error instanceof ExitRequest) throw error;
          let exc = this.toPython(error);
          // An exception raised here, not passing through from a callee or re-raised, has no
          // traceback yet: it is being set now, so it takes the handled one as its context
          // (`_PyErr_SetObject`), however it was raised.
          if (
            !(error instanceof Reraise) &&
            !(error instanceof Thrown) &&
            this.py.getRef(exc, Exc.traceback) === 0
          )
            this.#chainContext(exc);
          // Unwind from the innermost frame (the loop inlines calls, so it may be deeper than
          // the frame this execute started): find a handler there or in an outer frame.
          let f: VMFrame = this.top ?? frame;
          // A re-raise keeps the traceback it has; the frames it leaves are added.
          let here = !(error instanceof Reraise);
          for (;;) {
            if (here) this.#tracebackHere(f, exc);
            here = true;
            const handled = this.#handle(f, exc);
            if (handled) {
              frame = f;
              break;
            }
            const back = f.back;
            const isEntry = f.entry;
            const initInstance = f.initInstance;
            const initPacked = f.initPacked;
            f.initInstance = 0;
            f.initPacked = 0;
            f.finished = true;
            this.#clearFrame(f);
            this.top = back;
            if (initInstance) this.#abandonInit(initInstance, initPacked, f.initBase, back!);
            if (isEntry) throw new Raised(exc);
            // A generator SEND resumed in the loop: the exception leaves it at its caller's SEND.
            if (f.generator !== 0) exc = this.#resumedRaised(f, exc);
            f = back!;
          }
          this.top = frame;
        }
      }
    } finally {
      this.top = savedTop;
      this.#nest--;
    }
  }

  /** How many {@link Interpreter.execute}s are running, one inside another. */
  #nest = 0;

  /** RecursionError unless the JavaScript stack has room for another run of the loop. */
  #checkStackRoom(): void {
    try {
      stackRoom(STACK_ROOM_FRAMES);
    } catch (error) {
      if (!isStackOverflow(error)) throw error;
      this.raise("RecursionError", "maximum recursion depth exceeded");
    }
  }

  /** Jumps to the handler of the instruction that raised, if it has one (taking `exc`). */
  #handle(frame: VMFrame, exc: Ref): boolean {
    const unit = frame.code.unit;
    const h = unit.handlerOf[frame.lasti]!;
    if (h < 0) return false;
    const handler = unit.handlers[h]!;
    const py = this.py;
    const stack = frame.stack;
    while (stack.length > handler.depth) {
      const o = stack.pop()!;
      if (o) py.decref(o);
    }
    if (handler.lasti) stack.push(py.int(frame.raisedAt >= 0 ? frame.raisedAt : frame.lasti));
    frame.raisedAt = -1;
    stack.push(exc);
    frame.pc = handler.target;
    return true;
  }

  /** The CALL caches of `code`, made at its first call of a Python function. */
  #callCache(code: CodeInfo): Array<CodeInfo | undefined> {
    const cache = new Array<CodeInfo | undefined>(code.unit.code.length >> 1).fill(undefined);
    code.callCache = cache;
    return cache;
  }

  /** The LOAD_GLOBAL caches of `code`, made at its first global load. */
  #globalCache(code: CodeInfo): GlobalCache {
    const cache = new GlobalCache(code.unit.code.length >> 1);
    code.globalCache = cache;
    return cache;
  }

  /**
   * LOAD_GLOBAL's lookup (borrowed, or 0 when the name is in neither dict), the globals then the
   * builtins, remembered in `cache` at `pc` when both are exact dicts that the lookup left as
   * they were (a key's `__eq__` can change them).
   */
  #loadGlobal(cache: GlobalCache, pc: number, globals: Ref, name: Ref): Ref {
    const py = this.py;
    const builtins = this.builtins.dict;
    const dictType = this.builtins.dictTypeId;
    let u32 = py.memory.u32;
    const cacheable =
      u32[(globals + OB_TYPE) >>> 2] === dictType && u32[(builtins + OB_TYPE) >>> 2] === dictType;
    const globalsVersion = cacheable ? dictVersion(u32, globals) : 0;
    let o = py.dictGet(globals, name);
    let builtinsVersion = 0;
    if (!o) {
      builtinsVersion = cacheable ? dictVersion(py.memory.u32, builtins) : 0;
      o = py.dictGet(builtins, name);
    }
    u32 = py.memory.u32;
    if (
      o &&
      cacheable &&
      dictVersion(u32, globals) === globalsVersion &&
      (builtinsVersion === 0 || dictVersion(u32, builtins) === builtinsVersion)
    ) {
      cache.globals[pc] = globals;
      cache.globalsVersion[pc] = globalsVersion;
      cache.builtinsVersion[pc] = builtinsVersion;
      cache.value[pc] = o;
    } else {
      cache.globals[pc] = 0;
    }
    return o;
  }

  /**
   * Fills the inline cache of the LOAD_METHOD at `pc` of `code` after its general path found
   * `meth` for `name` on `o`, when `o` is of a built-in type (not an instance of a class, of a
   * subclass of a built-in type or of an exception class, nor a type, module or super object):
   * no attribute of the object itself can hide the method, so while the type's kept lookup of
   * `name` holds, the method is the same.
   */
  #cacheBuiltinMethod(code: CodeInfo, pc: number, o: Ref, name: string, meth: Ref): void {
    const t = this.#byTypeId[this.py.memory.u32[(o + OB_TYPE) >>> 2]!];
    if (
      t === undefined ||
      t.kind === "instance" ||
      t.kind === "exception" ||
      t.kind === "type" ||
      t.kind === "module" ||
      t.kind === "super" ||
      t.subtype ||
      t.getattro !== undefined
    )
      return;
    const lookup = t.lookups.get(name);
    if (lookup === undefined || lookup.value !== meth || !this.builtins.lookupHolds(lookup)) return;
    let caches = code.attrCache;
    if (caches === undefined) {
      caches = new Array<AttrCache | undefined>(code.unit.code.length >> 1).fill(undefined);
      code.attrCache = caches;
    }
    caches[pc] = new AttrCache(t, lookup, NO_INSTANCE_ATTRIBUTES, 0);
  }

  /**
   * Fills the inline cache of the attribute access at `pc` of `code` after its general path
   * has done `access` of `name` on `o`, when `o` is a plain instance (attributes in its values
   * block, no `__slots__`, no attribute hooks of its type's own, as a weak proxy's) and its
   * class's lookup of `name` was kept: a load whose class attribute is not a property and that
   * found an attribute of the instance; a store whose class attribute is not a property; a
   * method that no attribute of the instance hid. Anything else leaves the cache as it is (a
   * miss goes on taking the general path).
   */
  #cacheAttr(code: CodeInfo, pc: number, o: Ref, name: string, access: AttrAccess): void {
    const t = this.#byTypeId[this.py.memory.u32[(o + OB_TYPE) >>> 2]!];
    if (
      t === undefined ||
      t.kind !== "instance" ||
      t.slots !== undefined ||
      t.cls === undefined ||
      // Instances of another layout than the runtime's plain instances (a native type's).
      t.native !== undefined ||
      t.getattro !== undefined ||
      (access === AttrAccess.Store && t.setattro !== undefined) ||
      name === "__class__" ||
      name === "__dict__"
    )
      return;
    const lookup = t.lookups.get(name);
    if (lookup === undefined || !this.builtins.lookupHolds(lookup)) return;
    const py = this.py;
    const classAttr = lookup.value;
    const kind = classAttr === 0 ? undefined : this.kindOf(classAttr);
    const index = py.attrIndex(t.cls, name);
    if (access === AttrAccess.Method) {
      // lookupMethod's own test: a function, with no attribute of the instance by the name.
      if (kind !== "function" || py.attrAt(o, index) !== 0) return;
    } else {
      if (kind === "property" || (classAttr !== 0 && this.builtins.heapDataDescriptor(classAttr)))
        return;
      // A load must have found the instance's attribute; a store must have made one.
      if (index < 0 || py.attrAt(o, index) <= 0) return;
    }
    let caches = code.attrCache;
    if (caches === undefined) {
      caches = new Array<AttrCache | undefined>(code.unit.code.length >> 1).fill(undefined);
      code.attrCache = caches;
    }
    caches[pc] = new AttrCache(t, lookup, index, py.attrCount(t.cls));
  }

  /** The most instructions a run may take before it is stopped (a runaway program). */
  get maxSteps(): number {
    return this.#maxSteps;
  }

  set maxSteps(steps: number) {
    this.#maxSteps = steps;
    // The next instruction works out when to check again.
    this.#nextStepCheck = 0;
  }

  /**
   * The step count at which the loop next calls {@link Interpreter.#stepCheck}: the next
   * multiple of 65,536 or the step past {@link Interpreter.maxSteps}, whichever comes first.
   */
  #nextStepCheck = 0;
  /** BUILD_TUPLE's item arrays by arity (see there), and whether one is in use. */
  readonly #tupleScratch: Ref[][] = Array.from({ length: TUPLE_SCRATCH }, (_, n) =>
    new Array<Ref>(n).fill(0),
  );
  #tupleScratchBusy = false;

  /**
   * The loop's rare checks, at the steps {@link Interpreter.#nextStepCheck} says: the step limit
   * and, every 65,536 instructions, Ctrl-C (cheap enough so to leave always on).
   */
  #stepCheck(): void {
    const steps = this.steps;
    if (steps > this.#maxSteps) throw new StepLimitError(this.#maxSteps);
    this.#nextStepCheck = Math.min((Math.floor(steps / 0x10000) + 1) * 0x10000, this.#maxSteps + 1);
    if (steps % 0x10000 === 0 && this.interrupted?.()) this.raise("KeyboardInterrupt");
  }

  /**
   * The run of instructions that {@link Fused} opcode `op` at `pc` of `frame` starts (its
   * LOAD_FAST's local `x`, nonzero), done in one step: true when it was, with the frame's pc past
   * the run; false, having done nothing, when its operands need the instructions one by one.
   */
  #fusedLoad(op: number, frame: VMFrame, x: Ref, pc: number): boolean {
    const py = this.py;
    const inPlace = this.#inPlace;
    const code = frame.code;
    const ops = code.ops;
    const stack = frame.stack;
    if (op === Fused.LoadAttr) {
      // LOAD_ATTR's cache hit on the local's instance, which the local keeps alive.
      const entry = code.attrCache?.[pc + 1];
      if (
        entry === undefined ||
        this.#byTypeId[py.memory.u32[(x + OB_TYPE) >>> 2]!] !== entry.type ||
        entry.type.getattro !== undefined ||
        !this.builtins.lookupHolds(entry.lookup)
      )
        return false;
      const v = py.attrAt(x, entry.index);
      if (v <= 0) return false;
      increfHeld(py, inPlace, v);
      stack.push(v);
      this.steps += 1;
      frame.lasti = pc + 1;
      frame.pc = pc + 2;
      return true;
    }
    const fast = frame.fast;
    if (op === Fused.StoreAttr) return this.#fusedStoreAttr(frame, x, fast[ops[2 * pc + 3]!]!, pc);
    const y =
      ops[2 * pc + 2] === Op.LOAD_FAST ? fast[ops[2 * pc + 3]!]! : code.consts[ops[2 * pc + 3]!]!;
    if (y === 0) return false;
    const third = ops[2 * pc + 5]!;
    if (op === Fused.LoadBinary) {
      const v = this.#fastBinary(third >= INPLACE ? third - INPLACE : third, x, y);
      if (v === 0) return false;
      // The adaptive `+` counts its run as BINARY_OP would (ints and floats are never
      // appended to in place).
      const caches = code.addCaches;
      if (caches !== undefined && (third === BinaryOp.Add || third === INPLACE + BinaryOp.Add))
        this.#adaptiveAdd(code, caches, pc + 2, x, y, fast);
      stack.push(v);
      this.steps += 2;
      frame.lasti = pc + 2;
      frame.pc = pc + 3;
      return true;
    }
    let c: number;
    if (op === Fused.LoadCompareJump) {
      c = this.#fastCompare(third as CompareOp, x, y);
      if (c < 0) return false;
    } else c = (x === y) !== (third === 1) ? 1 : 0;
    // True and False are static: the bool between the test and the jump is not made.
    this.steps += 3;
    frame.lasti = pc + 3;
    frame.pc = (c === 1) === (ops[2 * pc + 6] === Op.POP_JUMP_IF_TRUE) ? ops[2 * pc + 7]! : pc + 4;
    return true;
  }

  /**
   * {@link Fused.StoreAttr} at `pc` of `frame`: `o.name = v` of the locals `v` and `o` by
   * STORE_ATTR's cache hit, in one step; false, having done nothing, when the cache misses, `o`
   * is unbound, or the value the store replaces could run code when released (a finalizer
   * would see `o`'s count without the stack's reference the instructions give it).
   */
  #fusedStoreAttr(frame: VMFrame, v: Ref, o: Ref, pc: number): boolean {
    if (o === 0) return false;
    const py = this.py;
    const inPlace = this.#inPlace;
    const entry = frame.code.attrCache?.[pc + 2];
    const u32 = py.memory.u32;
    if (
      entry === undefined ||
      this.#byTypeId[u32[(o + OB_TYPE) >>> 2]!] !== entry.type ||
      entry.type.setattro !== undefined ||
      !this.builtins.lookupHolds(entry.lookup)
    )
      return false;
    const old = py.attrAt(o, entry.index);
    if (old < 0) return false;
    if (
      old !== 0 &&
      !(
        inPlace &&
        ((u32[(old + OB_FLAGS) >>> 2]! & ObjectFlags.Immortal) !== 0 ||
          u32[(old + OB_REFCNT) >>> 2]! > 1)
      )
    )
      return false;
    // The slot's reference to the value, taken before the store as LOAD_FAST takes it.
    increfHeld(py, inPlace, v);
    if (!py.setAttrAt(o, entry.index, v)) {
      // No slot of the instance's values for the index: the instructions one by one grow them.
      decrefHeld(py, inPlace, v);
      return false;
    }
    this.steps += 2;
    frame.lasti = pc + 2;
    frame.pc = pc + 3;
    return true;
  }

  /** The line tracer's event for the instruction at `pc` of `frame`, when it starts a line. */
  #traceLine(frame: VMFrame, pc: number): void {
    const line = frame.code.unit.lines[pc]!;
    // A new line, or a jump backwards (a loop coming round again), as CPython's tracer; not
    // twice for one line when the jump itself was reported (this compiler gives a loop's back
    // edge the loop's line, CPython the body's last).
    if (line !== 0 && (line !== frame.line || (pc < frame.lasti && frame.lineAt !== frame.lasti))) {
      frame.line = line;
      frame.lineAt = pc;
      this.onLine!(frame, line);
    }
  }

  /** Runs `frame` from its pc until it returns; calls into Python push frames and go on here. */
  #run(start: VMFrame): Ref {
    const py = this.py;
    const inPlace = this.#inPlace;
    let frame = start;
    let code = frame.code;
    let unit = code.unit;
    let ops = code.ops;
    let stack = frame.stack;
    let fast = frame.fast;
    const b = this.builtins;
    for (;;) {
      if (++this.steps >= this.#nextStepCheck) this.#stepCheck();
      const pc = frame.pc;
      // A frame starting its code: RESUME, a warm-up event of the code.
      if (pc === 0 && code.warmup < 0) this.#warm(code);
      if (this.onLine !== undefined) this.#traceLine(frame, pc);
      frame.lasti = pc;
      frame.pc = pc + 1;
      const op = ops[2 * pc]!;
      const arg = ops[2 * pc + 1]!;
      // The cases do their instruction's common forms; the others leave the block for the one
      // call of #runSlow below it (see there).
      // biome-ignore lint/suspicious/noConfusingLabels: one exit to the general paths, shared by every case
      slow: {
        switch (op) {
          case Op.NOP:
            break;
          case Op.POP_TOP: {
            const o = stack.pop()!;
            if (o) decrefHeld(py, inPlace, o);
            break;
          }
          case Op.PUSH_NULL:
            stack.push(0);
            break;
          case Op.LOAD_CONST: {
            const o = code.consts[arg]!;
            increfHeld(py, inPlace, o);
            stack.push(o);
            break;
          }
          case Fused.LoadBinary:
          case Fused.LoadCompareJump:
          case Fused.LoadIsJump:
          case Fused.LoadAttr:
          case Fused.StoreAttr:
          case Op.LOAD_FAST: {
            const o = fast[arg]!;
            // A run starting with this LOAD_FAST, in one step when its operands allow (see
            // Fused); otherwise the LOAD_FAST runs as itself.
            if (
              op !== Op.LOAD_FAST &&
              o !== 0 &&
              this.onLine === undefined &&
              this.#fusedLoad(op, frame, o, pc)
            )
              break;
            if (o === 0) this.#unboundLocal(unit.varnames[arg]!);
            increfHeld(py, inPlace, o);
            stack.push(o);
            break;
          }
          case Op.STORE_FAST: {
            const old = fast[arg]!;
            fast[arg] = stack.pop()!;
            if (old) decrefHeld(py, inPlace, old);
            break;
          }
          case Op.LOAD_GLOBAL: {
            const globals = frame.globals;
            const cache = code.globalCache ?? this.#globalCache(code);
            const u32 = py.memory.u32;
            if (
              cache.globals[pc] !== globals ||
              cache.globalsVersion[pc] !== dictVersion(u32, globals) ||
              (cache.builtinsVersion[pc] !== 0 &&
                cache.builtinsVersion[pc] !== dictVersion(u32, b.dict))
            )
              break slow;
            const o = cache.value[pc]!;
            if (arg & 1) stack.push(0);
            increfHeld(py, inPlace, o);
            stack.push(o);
            break;
          }
          case Op.LOAD_DEREF:
            break slow;
          case Op.LOAD_ATTR: {
            const o = stack[stack.length - 1]!;
            // An instance attribute, by the index this instruction's cache keeps.
            const entry = code.attrCache?.[pc];
            if (
              entry !== undefined &&
              this.#byTypeId[py.memory.u32[(o + OB_TYPE) >>> 2]!] === entry.type &&
              entry.type.getattro === undefined &&
              b.lookupHolds(entry.lookup)
            ) {
              const v = py.attrAt(o, entry.index);
              if (v > 0) {
                increfHeld(py, inPlace, v);
                stack[stack.length - 1] = v;
                decrefHeld(py, inPlace, o);
                break;
              }
            }
            break slow;
          }
          case Op.STORE_ATTR: {
            const o = stack.pop()!;
            const v = stack.pop()!;
            const entry = code.attrCache?.[pc];
            if (
              entry !== undefined &&
              this.#byTypeId[py.memory.u32[(o + OB_TYPE) >>> 2]!] === entry.type &&
              entry.type.setattro === undefined &&
              b.lookupHolds(entry.lookup) &&
              py.setAttrAt(o, entry.index, v)
            ) {
              // The slot took the stack's reference to the value.
              decrefHeld(py, inPlace, o);
              break;
            }
            // A miss changed nothing: the operands go back for the general path.
            stack.push(v, o);
            break slow;
          }
          case Op.LOAD_METHOD: {
            const o = stack[stack.length - 1]!;
            // A method of the instance's class that no attribute of the instance hides.
            const entry = code.attrCache?.[pc];
            if (
              entry !== undefined &&
              this.#byTypeId[py.memory.u32[(o + OB_TYPE) >>> 2]!] === entry.type &&
              entry.type.getattro === undefined &&
              b.lookupHolds(entry.lookup) &&
              (entry.index === NO_INSTANCE_ATTRIBUTES ||
                ((entry.index >= 0 || py.attrCount(entry.type.cls!) === entry.count) &&
                  py.attrAt(o, entry.index) === 0))
            ) {
              const meth = entry.lookup.value;
              increfHeld(py, inPlace, meth);
              stack[stack.length - 1] = meth;
              stack.push(o);
              break;
            }
            break slow;
          }
          case Op.BINARY_SUBSCR:
            break slow;
          case Op.BINARY_OP: {
            const right = stack.pop()!;
            const left = stack[stack.length - 1]!;
            const caches = code.addCaches;
            if (
              caches !== undefined &&
              (arg === BinaryOp.Add || arg === INPLACE + BinaryOp.Add) &&
              this.#adaptiveAdd(code, caches, pc, left, right, fast)
            ) {
              this.#appendInPlace(frame, pc, left, right);
              break;
            }
            const v = this.#fastBinary(arg >= INPLACE ? arg - INPLACE : arg, left, right);
            if (v === 0) {
              // #runSlow goes on from here (the adaptive counters have counted this run).
              stack.push(right);
              break slow;
            }
            stack[stack.length - 1] = v;
            decrefHeld(py, inPlace, left);
            decrefHeld(py, inPlace, right);
            break;
          }
          case Op.COMPARE_OP: {
            const right = stack.pop()!;
            const left = stack[stack.length - 1]!;
            const fast = this.#fastCompare(arg as CompareOp, left, right);
            let v: Ref;
            if (fast >= 0) {
              const next = ops[2 * pc + 2];
              if (
                (next === Op.POP_JUMP_IF_FALSE || next === Op.POP_JUMP_IF_TRUE) &&
                this.onLine === undefined
              ) {
                // The comparison and the jump after it in one step, without the bool in
                // between (3.11's COMPARE_OP_INT_JUMP and COMPARE_OP_FLOAT_JUMP): True and False
                // are static, so nothing a program can see differs. Untraced only: a tracer sees
                // each instruction.
                stack.pop();
                decrefHeld(py, inPlace, left);
                decrefHeld(py, inPlace, right);
                if (++this.steps >= this.#nextStepCheck) this.#stepCheck();
                frame.lasti = pc + 1;
                frame.pc =
                  (fast === 1) === (next === Op.POP_JUMP_IF_TRUE) ? ops[2 * pc + 3]! : pc + 2;
                break;
              }
              v = fast === 1 ? this.#true : this.#false;
              increfHeld(py, inPlace, v);
            } else {
              stack.push(right);
              break slow;
            }
            stack[stack.length - 1] = v;
            decrefHeld(py, inPlace, left);
            decrefHeld(py, inPlace, right);
            break;
          }
          case Op.IS_OP: {
            const right = stack.pop()!;
            const left = stack[stack.length - 1]!;
            const v = (left === right) !== (arg === 1) ? this.#true : this.#false;
            increfHeld(py, inPlace, v);
            stack[stack.length - 1] = v;
            decrefHeld(py, inPlace, left);
            decrefHeld(py, inPlace, right);
            break;
          }
          case Op.BUILD_TUPLE:
            this.#buildTuple(stack, arg);
            break;
          case Op.UNPACK_SEQUENCE: {
            const seq = stack.pop()!;
            const u32 = py.memory.u32;
            if (
              u32[(seq + OB_TYPE) >>> 2] === b.tupleTypeId &&
              u32[(seq + TupleLayout.size) >>> 2] === arg
            ) {
              // A tuple of the right length (UNPACK_SEQUENCE_TUPLE): its items, last first.
              for (let i = arg - 1; i >= 0; i--) {
                const o = u32[(seq + TupleLayout.items + TupleLayout.itemSize * i) >>> 2]!;
                increfHeld(py, inPlace, o);
                stack.push(o);
              }
              decrefHeld(py, inPlace, seq);
              break;
            }
            stack.push(seq);
            break slow;
          }
          case Op.JUMP:
            // A jump backwards is JUMP_BACKWARD, a warm-up event, unless it is the loop of a
            // `yield from` (JUMP_BACKWARD_NO_INTERRUPT, back to its SEND). One to the code's
            // start is counted by the start's check above.
            if (arg < pc && arg !== 0 && code.warmup < 0 && ops[2 * arg] !== Op.SEND)
              this.#warm(code);
            frame.pc = arg;
            break;
          case Op.POP_JUMP_IF_FALSE:
          case Op.POP_JUMP_IF_TRUE: {
            const o = stack.pop()!;
            let t: boolean;
            const type = py.memory.u32[(o + OB_TYPE) >>> 2]!;
            if (o === this.#true || o === this.#false) {
              t = o === this.#true;
              decrefHeld(py, inPlace, o);
            } else if (type === b.listTypeId || type === b.intTypeId) {
              // An exact list is true when it has items, an exact int when it is not 0 (no
              // digits): what their types' truth slots read.
              t =
                type === b.listTypeId
                  ? py.memory.u32[(o + ListLayout.size) >>> 2] !== 0
                  : py.memory.i32[(o + IntLayout.size) >>> 2] !== 0;
              decrefHeld(py, inPlace, o);
            } else {
              stack.push(o);
              break slow;
            }
            if (t === (op === Op.POP_JUMP_IF_TRUE)) frame.pc = arg;
            break;
          }
          case Fused.ForStore:
          case Op.FOR_ITER: {
            const it = stack[stack.length - 1]!;
            let v: Ref;
            if (py.memory.u32[(it + OB_TYPE) >>> 2] === this.native.rangeIter.id) {
              // A range's iterator, stepped here (as Builtins.next does): how many values are
              // left and the next one are doubles in the object, written before the int is made.
              const f64 = py.memory.f64;
              const left = f64[(it + RangeIter.left) >>> 3]!;
              if (left <= 0) v = 0;
              else {
                const next = f64[(it + RangeIter.next) >>> 3]!;
                f64[(it + RangeIter.left) >>> 3] = left - 1;
                f64[(it + RangeIter.next) >>> 3] = next + f64[(it + RangeIter.step) >>> 3]!;
                v = py.int(next);
              }
            } else if (py.memory.u32[(it + OB_TYPE) >>> 2] === b.generatorType.id) {
              // A generator of ours runs in this loop, its frame linked to this one's (one that
              // cannot be resumed goes the general way, which raises or ends the loop).
              const callee = this.#resumeHere(it, 0, frame);
              if (callee === null) break slow;
              frame = callee;
              code = frame.code;
              unit = code.unit;
              ops = code.ops;
              stack = frame.stack;
              fast = frame.fast;
              break;
            } else break slow;
            if (v === 0) {
              stack.pop();
              decrefHeld(py, inPlace, it);
              frame.pc = arg;
            } else if (op === Fused.ForStore && this.onLine === undefined) {
              // The STORE_FAST after it, done here: the value goes straight to the local.
              const target = ops[2 * pc + 3]!;
              const old = fast[target]!;
              fast[target] = v;
              if (old) decrefHeld(py, inPlace, old);
              if (++this.steps >= this.#nextStepCheck) this.#stepCheck();
              frame.lasti = pc + 1;
              frame.pc = pc + 2;
            } else {
              stack.push(v);
            }
            break;
          }
          case Op.RETURN_VALUE: {
            const v = stack.pop()!;
            if (frame === start) {
              frame.finished = true;
              return v;
            }
            // An inlined call returns to its caller in this loop.
            const done = frame;
            if (done.generator !== 0) {
              // A generator SEND or FOR_ITER resumed in this loop: it ends, and its caller's
              // instruction jumps past its loop.
              done.finished = true;
              frame = this.#resumedDone(done, v);
              code = frame.code;
              unit = code.unit;
              ops = code.ops;
              stack = frame.stack;
              fast = frame.fast;
              break;
            }
            const caller = done.back!;
            const initInstance = done.initInstance;
            this.#clearFrame(done);
            this.top = caller;
            frame = caller;
            code = frame.code;
            unit = code.unit;
            ops = code.ops;
            stack = frame.stack;
            fast = frame.fast;
            stack.push(initInstance ? this.#finishInit(done, frame, v) : v);
            break;
          }
          case Op.CALL: {
            const kwnames = frame.kwnames;
            frame.kwnames = 0;
            const nkw = kwnames ? py.len(kwnames) : 0;
            const base = stack.length - arg - 2;
            const isMethod = stack[base] !== 0;
            const callable = isMethod ? stack[base]! : stack[base + 1]!;
            const argStart = isMethod ? base + 1 : base + 2;
            const total = stack.length - argStart;
            const u32 = py.memory.u32;
            const callCaches = code.addCaches;
            const ran =
              callCaches === undefined
                ? CallForm.Adaptive
                : this.#adaptiveCall(code, callCaches, pc, callable, isMethod, total, nkw);
            const isFunction = u32[(callable + OB_TYPE) >>> 2] === this.native.function.id;
            if (isFunction) {
              // A Python function: its frame takes the arguments and the loop goes on in it.
              let simple: CodeInfo | undefined;
              if (nkw === 0) {
                // The callee's code, from this instruction's cache while it is the same code.
                const calls = code.callCache ?? this.#callCache(code);
                const codeObject = u32[(callable + Fn.code) >>> 2]!;
                simple = calls[pc];
                if (simple === undefined || simple.object !== codeObject || !simple.live) {
                  simple = this.codes.get(codeObject)!;
                  calls[pc] = simple;
                }
              }
              let callee: VMFrame;
              if (simple?.simpleArgs && simple.unit.argCount === total) {
                // The common call: exact positional arguments move from the stack into the
                // frame, which takes the stack's reference to the function too.
                const globals = u32[(callable + Fn.globals) >>> 2]!;
                const spare = simple.spareFrames.pop();
                callee =
                  spare !== undefined
                    ? spare.reset(callable, globals, this.top)
                    : new VMFrame(simple, callable, globals, 0, this.top);
                const calleeFast = callee.fast;
                for (let i = total - 1; i >= 0; i--) calleeFast[i] = stack.pop()!;
                // The function (its reference is the frame's now) and the NULL or self below it.
                stack.pop();
                if (argStart === base + 2) stack.pop();
              } else {
                const made = this.#callFrame(stack, callable, base, argStart, nkw, kwnames);
                // Calling a generator function made the generator; nothing runs yet.
                if (made === null) break;
                callee = made;
              }
              this.#enterFrame(callee);
              this.top = callee;
              frame = callee;
              code = frame.code;
              unit = code.unit;
              ops = code.ops;
              stack = frame.stack;
              fast = frame.fast;
              break;
            }
            // A class whose __init__ is a Python function runs it in this loop (str and the
            // builtins, which are not classes here, go to #callOther).
            // (Only an instance of `type` itself: a class of another metaclass may be called
            // through the metaclass's `__call__`, which #callOther's general call finds.)
            if (
              nkw === 0 &&
              !(total === 1 && callable === this.#strType) &&
              py.memory.u32[(callable + OB_TYPE) >>> 2] === this.#typeTypeId
            ) {
              const callee = this.#initFrame(callable, stack, base, argStart, code, pc);
              if (callee !== null) {
                frame = callee;
                code = frame.code;
                unit = code.unit;
                ops = code.ops;
                stack = frame.stack;
                fast = frame.fast;
                break;
              }
            }
            this.#callOther(stack, callable, base, argStart, isMethod, nkw, kwnames, ran);
            break;
          }
          case Op.YIELD_VALUE: {
            // The resumption pushes the value sent, as the yield expression's value.
            const v = stack.pop()!;
            // A generator resumed from JavaScript (`resume`): suspend and hand v over.
            if (frame === start) return v;
            // One SEND or FOR_ITER resumed in this loop: it pauses, and its caller's
            // instruction gives v.
            frame = this.#resumedDone(frame, v);
            code = frame.code;
            unit = code.unit;
            ops = code.ops;
            stack = frame.stack;
            fast = frame.fast;
            break;
          }
          case Op.SEND: {
            // A generator of ours runs in this loop, its frame linked to this one's.
            const callee = this.#send(arg, frame);
            if (callee === null) break;
            frame = callee;
            code = frame.code;
            unit = code.unit;
            ops = code.ops;
            stack = frame.stack;
            fast = frame.fast;
            break;
          }
          // The instructions loops often run outside this function, each a case of its own:
          // with them the cases cover most numbers up to the last superinstruction's, and V8
          // compiles the switch to a jump table (a switch of sparse cases is a chain of
          // comparisons, one per case before the one taken).
          case Op.COPY:
          case Op.SWAP:
          case Op.STORE_DEREF:
          case Op.LOAD_CLOSURE:
          case Op.STORE_SUBSCR:
          case Op.DELETE_SUBSCR:
          case Op.BUILD_SLICE:
          case Op.UNARY_NEGATIVE:
          case Op.UNARY_POSITIVE:
          case Op.UNARY_INVERT:
          case Op.UNARY_NOT:
          case Op.CONTAINS_OP:
          case Op.BUILD_LIST:
          case Op.BUILD_MAP:
          case Op.LIST_APPEND:
          case Op.SET_ADD:
          case Op.MAP_ADD:
          case Op.LIST_EXTEND:
          case Op.LIST_TO_TUPLE:
          case Op.BUILD_STRING:
          case Op.FORMAT_VALUE:
          case Op.POP_JUMP_IF_NONE:
          case Op.POP_JUMP_IF_NOT_NONE:
          case Op.JUMP_IF_FALSE_OR_POP:
          case Op.JUMP_IF_TRUE_OR_POP:
          case Op.GET_ITER:
          case Op.KW_NAMES:
            this.#runCommon(op, arg, frame);
            break;
          default:
            this.#runRare(op, arg, frame);
        }
        continue;
      }
      this.#runSlow(op, arg, frame);
    }
  }

  /**
   * BINARY_OP_INPLACE_ADD_UNICODE at `pc` of `frame` (its `+` has `left` and `right` on the
   * stack): the stack's reference to `left` goes (the local keeps it alive), PyUnicode_Append
   * takes over the local's, and the STORE_FAST that follows is done here.
   */
  #appendInPlace(frame: VMFrame, pc: number, left: Ref, right: Ref): void {
    const py = this.py;
    const inPlace = this.#inPlace;
    const fast = frame.fast;
    frame.stack.pop();
    decrefHeld(py, inPlace, left);
    const target = frame.code.ops[2 * (pc + 1) + 1]!;
    try {
      fast[target] = py.strAppend(left, right);
    } catch (error) {
      // PyUnicode_Append's error path clears the local.
      fast[target] = 0;
      decrefHeld(py, inPlace, left);
      decrefHeld(py, inPlace, right);
      throw error;
    }
    decrefHeld(py, inPlace, right);
    frame.pc = pc + 2;
  }

  /** BUILD_TUPLE of the `n` items on top of `stack`. */
  #buildTuple(stack: Ref[], arg: number): void {
    const py = this.py;
    // The items are copied into an array kept for the arity (a new one when another
    // BUILD_TUPLE, run by a finalizer during the allocation, holds it); they stay on the
    // stack until the tuple holds them, then leave it: the tuple takes the stack's references
    // over (`_PyTuple_FromArraySteal`), so no count goes up and down around the build.
    const first = stack.length - arg;
    const reuse = arg < TUPLE_SCRATCH && !this.#tupleScratchBusy;
    const items = reuse ? this.#tupleScratch[arg]! : stack.slice(first);
    let t: Ref;
    if (reuse) {
      for (let i = 0; i < arg; i++) items[i] = stack[first + i]!;
      this.#tupleScratchBusy = true;
      try {
        t = py.tupleTaking(items);
      } finally {
        this.#tupleScratchBusy = false;
      }
    } else t = py.tupleTaking(items);
    for (let i = 0; i < arg; i++) stack.pop();
    stack.push(t);
  }

  /**
   * The frame of CALL's Python function `callable` when its arguments need more than moving
   * (keywords, defaults, `*args`, cells, a generator): the operands leave the stack. Null when
   * the function is a generator function: the generator is pushed instead.
   */
  #callFrame(
    stack: Ref[],
    callable: Ref,
    base: number,
    argStart: number,
    nkw: number,
    kwnames: Ref,
  ): VMFrame | null {
    const py = this.py;
    const inPlace = this.#inPlace;
    const total = stack.length - argStart;
    const args = stack.splice(argStart, total);
    const positional = args.slice(0, total - nkw);
    let kwargs: Map<string, Ref> | null = null;
    if (nkw > 0) {
      kwargs = new Map();
      const names = py.items(kwnames);
      for (let i = 0; i < nkw; i++) kwargs.set(py.strValue(names[i]!), args[total - nkw + i]!);
    }
    stack.length = base;
    let callee: VMFrame;
    try {
      callee = this.#functionFrame(callable, positional, kwargs, true);
    } finally {
      if (kwargs) for (const v of kwargs.values()) decrefHeld(py, inPlace, v);
      decrefHeld(py, inPlace, callable);
    }
    if (callee.code.unit.flags & CodeFlags.Generator) {
      stack.push(this.builtins.newGenerator(callee));
      return null;
    }
    return callee;
  }

  /** Enters `callee`'s activation; a failure (the recursion limit) clears the frame. */
  #enterFrame(callee: VMFrame): void {
    try {
      this.#enterActivation(callee);
    } catch (error) {
      this.#clearFrame(callee);
      throw error;
    }
  }

  /**
   * CALL of anything but a Python function or a class whose `__init__` runs in the loop: a
   * builtin function or method descriptor without the general protocol, `str(x)`, or the
   * general call. Kept out of {@link Interpreter.#run}, which calls it from one place.
   */
  #callOther(
    stack: Ref[],
    callable: Ref,
    base: number,
    argStart: number,
    isMethod: boolean,
    nkw: number,
    kwnames: Ref,
    ran: CallForm,
  ): void {
    const py = this.py;
    const inPlace = this.#inPlace;
    const total = stack.length - argStart;
    const callableType = py.memory.u32[(callable + OB_TYPE) >>> 2]!;
    const str1 = ran === CallForm.Str1;
    // The specialised forms that call the builtin's C function directly count no C call.
    const uncounted =
      ran === CallForm.Len ||
      ran === CallForm.IsInstance ||
      ran === CallForm.BuiltinFast ||
      ran === CallForm.BuiltinFastKw;
    if (
      nkw === 0 &&
      (callableType === this.native.builtin.id ||
        callableType === this.native.methodDescriptor.id ||
        callableType === this.native.wrapperDescriptor.id)
    ) {
      // A builtin function or method descriptor, called without the general protocol.
      let result: Ref;
      let entered = false;
      try {
        // Counted as a C call; at the limit the operands go as after a failed call.
        if (!uncounted) {
          py.enterCall();
          entered = true;
        }
        result = this.#callBuiltin(callable, stack, argStart, isMethod);
      } finally {
        if (entered) py.leaveCall();
        this.#dropOperands(stack, base);
      }
      stack.push(result);
      return;
    }
    if (nkw === 0 && total === 1 && callable === this.#strType) {
      // str(x): what `call` does for it, without looking the type up, or what
      // PRECALL_NO_KW_STR_1 does (see #callStr).
      let result: Ref;
      if (str1) {
        // PRECALL_NO_KW_STR_1 releases the argument, then the type.
        const x = stack.pop()!;
        try {
          result = this.#objectStr(x);
        } finally {
          stack.pop();
          stack.pop();
          decrefHeld(py, inPlace, x);
          decrefHeld(py, inPlace, callable);
        }
      } else {
        try {
          result = this.#callStr(stack[argStart]!);
        } finally {
          this.#dropOperands(stack, base);
        }
      }
      stack.push(result);
      return;
    }
    const args = stack.slice(argStart, stack.length - nkw);
    let kwargs: Map<string, Ref> | null = null;
    if (nkw > 0) {
      kwargs = new Map();
      const names = py.items(kwnames);
      for (let i = 0; i < nkw; i++)
        kwargs.set(py.strValue(names[i]!), stack[stack.length - nkw + i]!);
    }
    let result: Ref;
    try {
      if (uncounted) {
        // PRECALL_BUILTIN_FAST_WITH_KEYWORDS: the C function, with no C call counted.
        const entry = this.builtinFns[py.memory.u32[(callable + Builtin.id) >>> 2]!]!;
        result = entry.self
          ? entry.fn([py.getRef(callable, Builtin.self), ...args], kwargs)
          : entry.fn(args, kwargs);
      } else result = this.call(callable, args, kwargs);
    } finally {
      // CPython drops the callable, then the arguments, in order.
      const items = stack.splice(base, stack.length - base);
      for (const o of items) if (o) decrefHeld(py, inPlace, o);
    }
    stack.push(result);
  }

  /**
   * The forms of {@link Interpreter.#run}'s instructions that its cases leave: cache misses,
   * operands of other types, the general protocols, with the instruction's operands on the
   * stack as they were when it started (BINARY_OP's adaptive counters have counted the run).
   * #run calls this from one place, so the loop's optimised code has run that call as soon as
   * any instruction took a general path, and a form first met late deoptimises this function,
   * not the loop; and the loop's function stays small enough to be optimised quickly.
   */
  #runSlow(op: number, arg: number, frame: VMFrame): void {
    const py = this.py;
    const inPlace = this.#inPlace;
    const b = this.builtins;
    const code = frame.code;
    const unit = code.unit;
    const stack = frame.stack;
    const pc = frame.lasti;
    switch (op) {
      case Op.LOAD_GLOBAL: {
        const cache = code.globalCache!;
        const o = this.#loadGlobal(cache, pc, frame.globals, code.names[arg >> 1]!);
        if (!o)
          this.#nameError(`name '${unit.names[arg >> 1]}' is not defined`, code.names[arg >> 1]!);
        if (arg & 1) stack.push(0);
        increfHeld(py, inPlace, o);
        stack.push(o);
        break;
      }
      case Op.LOAD_DEREF: {
        const cell = frame.fast[unit.varnames.length + arg]!;
        const o = py.memory.u32[(cell + Cell.contents) >>> 2]!;
        if (!o) this.#unboundDeref(unit, arg);
        increfHeld(py, inPlace, o);
        stack.push(o);
        break;
      }
      case Op.LOAD_ATTR: {
        const o = stack[stack.length - 1]!;
        const name = unit.names[arg]!;
        const v = b.getAttr(o, name);
        stack[stack.length - 1] = v;
        this.#cacheAttr(code, pc, o, name, AttrAccess.Load);
        decrefHeld(py, inPlace, o);
        break;
      }
      case Op.STORE_ATTR: {
        const o = stack.pop()!;
        const v = stack.pop()!;
        try {
          const name = unit.names[arg]!;
          b.setAttr(o, name, v);
          this.#cacheAttr(code, pc, o, name, AttrAccess.Store);
        } finally {
          decrefHeld(py, inPlace, v);
          decrefHeld(py, inPlace, o);
        }
        break;
      }
      case Op.LOAD_METHOD: {
        const o = stack[stack.length - 1]!;
        const name = unit.names[arg]!;
        const meth = b.lookupMethod(o, name);
        if (meth !== 0) {
          this.#cacheAttr(code, pc, o, name, AttrAccess.Method);
          this.#cacheBuiltinMethod(code, pc, o, name, meth);
        }
        if (meth !== 0) {
          // An unbound function and self: no bound method is made.
          stack[stack.length - 1] = meth;
          stack.push(o);
        } else {
          const v = b.getAttr(o, name);
          stack[stack.length - 1] = 0;
          stack.push(v);
          decrefHeld(py, inPlace, o);
        }
        break;
      }
      case Op.BINARY_SUBSCR: {
        const key = stack.pop()!;
        const o = stack[stack.length - 1]!;
        let v: Ref;
        try {
          if (this.#exactDictKey(o, key)) {
            // BINARY_SUBSCR_DICT: one lookup; an exact dict has no `__missing__`.
            const found = py.dictGet(o, key);
            if (found === 0)
              throw new Raised(this.newExceptionWithArgs(this.types.KeyError!, [key]));
            v = py.newRef(found);
          } else v = b.getItem(o, key);
        } catch (error) {
          // CPython releases both operands, container first, before unwinding.
          stack.pop();
          decrefHeld(py, inPlace, o);
          decrefHeld(py, inPlace, key);
          throw error;
        }
        stack[stack.length - 1] = v;
        decrefHeld(py, inPlace, o);
        decrefHeld(py, inPlace, key);
        break;
      }
      case Op.BINARY_OP: {
        const right = stack.pop()!;
        const left = stack[stack.length - 1]!;
        let v: Ref;
        try {
          const u32 = py.memory.u32;
          const strTypeId = b.strTypeId;
          v =
            (arg === BinaryOp.Add || arg === INPLACE + BinaryOp.Add) &&
            u32[(left + OB_TYPE) >>> 2] === strTypeId &&
            u32[(right + OB_TYPE) >>> 2] === strTypeId
              ? // Two exact strs: PyUnicode_Concat, what both operators come to for them.
                py.strConcat(left, right)
              : arg >= INPLACE
                ? b.inplaceOp(arg - INPLACE, left, right)
                : b.binaryOp(arg, left, right);
        } catch (error) {
          // CPython releases both operands, left first, before unwinding.
          stack.pop();
          decrefHeld(py, inPlace, left);
          decrefHeld(py, inPlace, right);
          throw error;
        }
        stack[stack.length - 1] = v;
        decrefHeld(py, inPlace, left);
        decrefHeld(py, inPlace, right);
        break;
      }
      case Op.COMPARE_OP: {
        const right = stack.pop()!;
        const left = stack[stack.length - 1]!;
        let v: Ref;
        try {
          v = b.richCompare(left, right, arg as CompareOp);
        } catch (error) {
          stack.pop();
          decrefHeld(py, inPlace, left);
          decrefHeld(py, inPlace, right);
          throw error;
        }
        stack[stack.length - 1] = v;
        decrefHeld(py, inPlace, left);
        decrefHeld(py, inPlace, right);
        break;
      }
      case Op.UNPACK_SEQUENCE: {
        const seq = stack.pop()!;
        try {
          const items = b.unpack(seq, arg, -1);
          for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]!);
        } finally {
          decrefHeld(py, inPlace, seq);
        }
        break;
      }
      case Op.POP_JUMP_IF_FALSE:
      case Op.POP_JUMP_IF_TRUE: {
        const o = stack.pop()!;
        let t: boolean;
        try {
          t = this.truth(o);
        } finally {
          decrefHeld(py, inPlace, o);
        }
        if (t === (op === Op.POP_JUMP_IF_TRUE)) frame.pc = arg;
        break;
      }
      case Fused.ForStore:
      case Op.FOR_ITER: {
        const it = stack[stack.length - 1]!;
        const v = b.next(it);
        if (v === 0) {
          stack.pop();
          decrefHeld(py, inPlace, it);
          frame.pc = arg;
        } else if (op === Fused.ForStore && this.onLine === undefined) {
          // The STORE_FAST after it, done here: the value goes straight to the local.
          const fast = frame.fast;
          const target = code.ops[2 * pc + 3]!;
          const old = fast[target]!;
          fast[target] = v;
          if (old) decrefHeld(py, inPlace, old);
          if (++this.steps >= this.#nextStepCheck) this.#stepCheck();
          frame.lasti = pc + 1;
          frame.pc = pc + 2;
        } else {
          stack.push(v);
        }
        break;
      }
      default:
        throw new Error(`no general path for opcode ${op}`);
    }
  }

  /**
   * The instructions of {@link Interpreter.#run} that neither call Python functions in the loop
   * nor return and that programs' loops often run (subscript stores, containers, f-strings,
   * tests of None, iterators): out of the loop's function, and out of #runRare's, whose size
   * makes V8 optimise it late. #run calls it for the opcodes it lists before its `default`.
   */
  #runCommon(op: number, arg: number, frame: VMFrame): void {
    const py = this.py;
    const b = this.builtins;
    const none = py.none;
    const code = frame.code;
    const unit = code.unit;
    const stack = frame.stack;
    const fast = frame.fast;
    switch (op) {
      case Op.COPY: {
        const o = stack[stack.length - arg]!;
        if (o) py.incref(o);
        stack.push(o);
        break;
      }
      case Op.SWAP: {
        const top = stack.length - 1;
        const other = stack.length - arg;
        const t = stack[top]!;
        stack[top] = stack[other]!;
        stack[other] = t;
        break;
      }
      case Op.STORE_DEREF: {
        const cell = fast[unit.varnames.length + arg]!;
        py.takeRef(cell, Cell.contents, stack.pop()!);
        break;
      }
      case Op.LOAD_CLOSURE: {
        const cell = fast[unit.varnames.length + arg]!;
        py.incref(cell);
        stack.push(cell);
        break;
      }
      case Op.STORE_SUBSCR: {
        const key = stack.pop()!;
        const o = stack.pop()!;
        const v = stack.pop()!;
        try {
          // STORE_SUBSCR_DICT: an exact dict and a key whose hash and equality are its type's.
          if (this.#exactDictKey(o, key)) py.setItem(o, key, v);
          else b.setItem(o, key, v);
        } finally {
          py.decref(v);
          py.decref(o);
          py.decref(key);
        }
        break;
      }
      case Op.DELETE_SUBSCR: {
        const key = stack.pop()!;
        const o = stack.pop()!;
        try {
          if (this.#exactDictKey(o, key)) {
            // The dict's own deletion, looking the key up once before it as the general path.
            if (py.dictGet(o, key) === 0)
              throw new Raised(this.newExceptionWithArgs(this.types.KeyError!, [key]));
            py.delItem(o, key);
          } else b.delItem(o, key);
        } finally {
          py.decref(o);
          py.decref(key);
        }
        break;
      }
      case Op.BUILD_SLICE: {
        const step = arg === 3 ? stack.pop()! : 0;
        const stop = stack.pop()!;
        const start = stack.pop()!;
        const s = py.allocate(this.native.slice);
        py.takeRef(s, SliceObj.start, start);
        py.takeRef(s, SliceObj.stop, stop);
        py.takeRef(s, SliceObj.step, step || py.newRef(none));
        stack.push(s);
        break;
      }
      case Op.UNARY_NEGATIVE:
      case Op.UNARY_POSITIVE:
      case Op.UNARY_INVERT: {
        const o = stack[stack.length - 1]!;
        const { u32, i32 } = py.memory;
        let v: Ref;
        if (op === Op.UNARY_NEGATIVE && u32[(o + OB_TYPE) >>> 2] === b.intTypeId) {
          // An exact int whose value is exact as a number: so is its negation (long_neg).
          const x = smallInt(u32, i32, o);
          v = Number.isNaN(x) ? b.unaryOp(op, o) : py.int(x === 0 ? 0 : -x);
        } else v = b.unaryOp(op, o);
        stack[stack.length - 1] = v;
        py.decref(o);
        break;
      }
      case Op.UNARY_NOT: {
        const o = stack[stack.length - 1]!;
        const v = py.bool(!this.truth(o));
        stack[stack.length - 1] = v;
        py.decref(o);
        break;
      }
      case Op.CONTAINS_OP: {
        const right = stack.pop()!;
        const left = stack[stack.length - 1]!;
        let found: boolean;
        try {
          found = b.contains(right, left);
        } catch (error) {
          stack.pop();
          py.decref(left);
          py.decref(right);
          throw error;
        }
        stack[stack.length - 1] = py.bool(found !== (arg === 1));
        py.decref(left);
        py.decref(right);
        break;
      }
      case Op.BUILD_LIST: {
        const items = stack.splice(stack.length - arg, arg);
        const l = py.list(items);
        for (const i of items) py.decref(i);
        stack.push(l);
        break;
      }
      case Op.BUILD_MAP: {
        const items = stack.splice(stack.length - 2 * arg, 2 * arg);
        const d = py.dict();
        try {
          for (let i = 0; i < items.length; i += 2) b.setItem(d, items[i]!, items[i + 1]!);
        } catch (error) {
          py.decref(d);
          throw error;
        } finally {
          // Popped from the top, as CPython does: a value a repeated key overwrote dies
          // after the ones displayed later.
          for (let i = items.length - 1; i >= 0; i--) py.decref(items[i]!);
        }
        stack.push(d);
        break;
      }
      case Op.LIST_APPEND: {
        const v = stack.pop()!;
        py.append(stack[stack.length - arg]!, v);
        py.decref(v);
        break;
      }
      case Op.SET_ADD: {
        const v = stack.pop()!;
        try {
          b.setAdd(stack[stack.length - arg]!, v);
        } finally {
          py.decref(v);
        }
        break;
      }
      case Op.MAP_ADD: {
        const v = stack.pop()!;
        const k = stack.pop()!;
        try {
          b.setItem(stack[stack.length - arg]!, k, v);
        } finally {
          py.decref(k);
          py.decref(v);
        }
        break;
      }
      case Op.LIST_EXTEND: {
        const it = stack.pop()!;
        try {
          b.listExtend(stack[stack.length - arg]!, it);
        } finally {
          py.decref(it);
        }
        break;
      }
      case Op.LIST_TO_TUPLE: {
        const l = stack[stack.length - 1]!;
        stack[stack.length - 1] = py.tuple(py.items(l));
        py.decref(l);
        break;
      }
      case Op.BUILD_STRING: {
        const first = stack.length - arg;
        const strTypeId = b.strTypeId;
        let text = "";
        for (let i = first; i < stack.length; i++) text += strText(py, stack[i]!, strTypeId);
        const s = py.str(text);
        const parts = stack.splice(first, arg);
        for (const p of parts) py.decref(p);
        stack.push(s);
        break;
      }
      case Op.FORMAT_VALUE: {
        if (arg === 0) {
          // No conversion and no spec: an exact str is its own text (the stack's reference is
          // the result's), an exact int of a safe value is written as `int.__format__` would.
          const v = stack[stack.length - 1]!;
          const { u32, i32 } = py.memory;
          const type = u32[(v + OB_TYPE) >>> 2]!;
          if (type === b.strTypeId) break;
          if (type === b.intTypeId) {
            const x = smallInt(u32, i32, v);
            if (!Number.isNaN(x)) {
              stack[stack.length - 1] = py.strNew(String(x));
              py.decref(v);
              break;
            }
          }
        }
        const spec = arg & 4 ? stack.pop()! : 0;
        const v = stack.pop()!;
        let s: Ref;
        try {
          s = b.formatValue(v, arg & 3, spec);
        } finally {
          if (spec) py.decref(spec);
          py.decref(v);
        }
        stack.push(s);
        break;
      }
      case Op.POP_JUMP_IF_NONE:
      case Op.POP_JUMP_IF_NOT_NONE: {
        const o = stack.pop()!;
        if ((o === none) === (op === Op.POP_JUMP_IF_NONE)) frame.pc = arg;
        py.decref(o);
        break;
      }
      case Op.JUMP_IF_FALSE_OR_POP:
      case Op.JUMP_IF_TRUE_OR_POP: {
        const o = stack[stack.length - 1]!;
        if (this.truth(o) === (op === Op.JUMP_IF_TRUE_OR_POP)) frame.pc = arg;
        else {
          stack.pop();
          py.decref(o);
        }
        break;
      }
      case Op.GET_ITER: {
        const o = stack[stack.length - 1]!;
        stack[stack.length - 1] = b.iter(o);
        py.decref(o);
        break;
      }
      case Op.KW_NAMES:
        frame.kwnames = code.consts[arg]!;
        break;
      default:
        throw new Error(`internal error: opcode ${op} is not one of the common ones`);
    }
  }

  /**
   * The instructions of {@link Interpreter.#run} that neither call nor return nor switch frames
   * and that the bench programs' loops rarely run: kept out of the loop's function so that it
   * stays small enough for the compiler to optimise quickly, and so that the first run of one
   * of them does not throw the loop's optimised code away.
   */
  #runRare(op: number, arg: number, frame: VMFrame): void {
    const py = this.py;
    const b = this.builtins;
    const none = py.none;
    const code = frame.code;
    const unit = code.unit;
    const stack = frame.stack;
    const fast = frame.fast;
    switch (op) {
      case Op.DELETE_FAST: {
        const old = fast[arg]!;
        if (old === 0) this.#unboundLocal(unit.varnames[arg]!);
        fast[arg] = 0;
        py.decref(old);
        break;
      }
      case Op.LOAD_NAME: {
        const name = code.names[arg]!;
        if (py.memory.u32[(frame.locals + OB_TYPE) >>> 2] !== b.dictTypeId) {
          // A class body's namespace from a metaclass's `__prepare__` that is not a dict:
          // read through its `__getitem__` (PyObject_GetItem), then the globals.
          const found = this.#mappingGet(frame.locals, name);
          if (found) {
            stack.push(found);
            break;
          }
        }
        let o = py.dictGet(frame.locals, name);
        if (!o && frame.locals !== frame.globals) o = py.dictGet(frame.globals, name);
        if (!o) o = py.dictGet(b.dict, name);
        if (!o) this.#nameError(`name '${unit.names[arg]}' is not defined`, name);
        py.incref(o);
        stack.push(o);
        break;
      }
      case Op.STORE_NAME:
        this.#storeName(frame.locals, code.names[arg]!, stack.pop()!);
        break;
      case Op.DELETE_NAME:
        this.#deleteName(frame.locals, code.names[arg]!, unit.names[arg]!);
        break;
      case Op.STORE_GLOBAL:
        this.#storeName(frame.globals, code.names[arg]!, stack.pop()!);
        break;
      case Op.DELETE_GLOBAL:
        this.#deleteName(frame.globals, code.names[arg]!, unit.names[arg]!);
        break;
      case Op.LOAD_CLASSDEREF: {
        const name = this.#derefName(unit, arg);
        if (py.memory.u32[(frame.locals + OB_TYPE) >>> 2] !== b.dictTypeId) {
          const found = this.#mappingGet(frame.locals, py.constant(name));
          if (found) {
            stack.push(found);
            break;
          }
        }
        let o =
          py.memory.u32[(frame.locals + OB_TYPE) >>> 2] === b.dictTypeId
            ? py.dictGet(frame.locals, py.constant(name))
            : 0;
        if (!o) {
          const cell = fast[unit.varnames.length + arg]!;
          o = py.memory.u32[(cell + Cell.contents) >>> 2]!;
          if (!o) this.#unboundDeref(unit, arg);
        }
        py.incref(o);
        stack.push(o);
        break;
      }
      case Op.DELETE_DEREF: {
        const cell = fast[unit.varnames.length + arg]!;
        if (!py.memory.u32[(cell + Cell.contents) >>> 2]) this.#unboundDeref(unit, arg);
        py.setRef(cell, Cell.contents, 0);
        break;
      }
      case Op.DELETE_ATTR: {
        const o = stack.pop()!;
        try {
          b.delAttr(o, unit.names[arg]!);
        } finally {
          py.decref(o);
        }
        break;
      }
      case Op.BUILD_SET: {
        const items = stack.splice(stack.length - arg, arg);
        const s = b.set(items);
        for (const i of items) py.decref(i);
        stack.push(s);
        break;
      }
      case Op.BUILD_CONST_KEY_MAP: {
        const keys = stack.pop()!;
        const values = stack.splice(stack.length - arg, arg);
        const d = py.dict();
        const ks = py.items(keys);
        try {
          for (let i = 0; i < arg; i++) b.setItem(d, ks[i]!, values[i]!);
        } catch (error) {
          py.decref(d);
          throw error;
        } finally {
          py.decref(keys);
          for (let i = values.length - 1; i >= 0; i--) py.decref(values[i]!);
        }
        stack.push(d);
        break;
      }
      case Op.SET_UPDATE: {
        const it = stack.pop()!;
        try {
          b.setUpdate(stack[stack.length - arg]!, it);
        } finally {
          py.decref(it);
        }
        break;
      }
      case Op.DICT_UPDATE:
      case Op.DICT_MERGE: {
        const m = stack.pop()!;
        const d = stack[stack.length - arg]!;
        try {
          if (op === Op.DICT_MERGE) this.#mergeKeywords(stack[stack.length - arg - 2]!, d, m);
          else this.#updateDict(d, m);
        } finally {
          py.decref(m);
        }
        break;
      }
      case Op.UNPACK_EX: {
        const seq = stack.pop()!;
        try {
          const before = arg & 0xff;
          const after = arg >> 8;
          const items = b.unpack(seq, before, after);
          for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]!);
        } finally {
          py.decref(seq);
        }
        break;
      }
      case Op.CALL_FUNCTION_EX: {
        const kwargsObj = arg & 1 ? stack.pop()! : 0;
        const argsObj = stack.pop()!;
        const callable = stack.pop()!;
        const nul = stack.pop()!;
        let result: Ref;
        let tuple = 0;
        try {
          tuple = b.starArgs(callable, argsObj);
          let kwargs: Map<string, Ref> | null = null;
          if (kwargsObj) {
            kwargs = new Map();
            for (const [k, v] of py.dictItems(kwargsObj)) {
              if (this.kindOf(k) !== "str") this.raise("TypeError", "keywords must be strings");
              kwargs.set(py.strValue(k), v);
            }
          }
          result = this.call(callable, py.items(tuple), kwargs);
        } finally {
          py.decref(callable);
          if (nul) py.decref(nul);
          py.decref(argsObj);
          if (tuple) py.decref(tuple);
          if (kwargsObj) py.decref(kwargsObj);
        }
        stack.push(result);
        break;
      }
      case Op.MAKE_FUNCTION: {
        const codeObj = stack.pop()!;
        const f = this.makeFunction(codeObj, frame.globals);
        if (arg & MakeFunction.Closure) py.takeRef(f, Fn.closure, stack.pop()!);
        if (arg & MakeFunction.Annotations) py.takeRef(f, Fn.annotations, stack.pop()!);
        if (arg & MakeFunction.KwDefaults) py.takeRef(f, Fn.kwdefaults, stack.pop()!);
        if (arg & MakeFunction.Defaults) py.takeRef(f, Fn.defaults, stack.pop()!);
        stack.push(f);
        break;
      }
      case Op.LOAD_BUILD_CLASS:
        py.incref(b.buildClass);
        stack.push(b.buildClass);
        break;
      case Op.PUSH_EXC_INFO: {
        const exc = stack.pop()!;
        stack.push(this.excInfo || py.newRef(none));
        py.incref(exc);
        this.excInfo = exc;
        stack.push(exc);
        break;
      }
      case Op.POP_EXCEPT: {
        const prev = stack.pop()!;
        const old = this.excInfo;
        this.excInfo = prev === none ? 0 : prev;
        if (prev === none) py.decref(prev);
        if (old) py.decref(old);
        break;
      }
      case Op.CHECK_EXC_MATCH: {
        const type = stack.pop()!;
        const exc = stack[stack.length - 1]!;
        let match: boolean;
        try {
          match = b.exceptionMatches(exc, type);
        } finally {
          py.decref(type);
        }
        stack.push(py.bool(match));
        break;
      }
      case Op.CHECK_EG_MATCH: {
        const type = stack.pop()!;
        const exc = stack[stack.length - 1]!;
        let match: Ref;
        let rest: Ref;
        try {
          checkExceptStarType(b, type);
          [match, rest] = exceptionGroupMatch(b, exc, type);
        } finally {
          py.decref(type);
        }
        if (match === none) {
          py.decref(rest);
          stack.push(match);
          break;
        }
        // A match, whole or in part: the rest (or None) takes exc's place, and the match
        // becomes the exception being handled.
        stack[stack.length - 1] = rest;
        py.decref(exc);
        stack.push(match);
        const old = this.excInfo;
        this.excInfo = py.newRef(match);
        if (old) py.decref(old);
        break;
      }
      case Op.PREP_RERAISE_STAR: {
        const excs = stack.pop()!;
        const orig = stack.pop()!;
        let v: Ref;
        try {
          v = prepReraiseStar(b, orig, py.items(excs));
        } finally {
          py.decref(excs);
          py.decref(orig);
        }
        stack.push(v);
        break;
      }
      case Op.RERAISE: {
        const exc = stack.pop()!;
        // The handler is looked up from here; lasti (pushed for a cleanup handler, and the
        // line a traceback shows) is the instruction that first raised.
        if (arg) frame.raisedAt = Number(this.intOf(stack[stack.length - arg]!));
        throw new Reraise(exc);
      }
      case Op.RAISE_VARARGS: {
        if (arg === 0) {
          const exc = this.handledException();
          if (!exc) this.raise("RuntimeError", "No active exception to reraise");
          py.incref(exc);
          throw new Reraise(exc);
        }
        const cause = arg === 2 ? stack.pop()! : 0;
        const v = stack.pop()!;
        const exc = b.makeRaisable(v, cause);
        this.#chainContext(exc);
        throw new Raised(exc);
      }
      case Op.LOAD_ASSERTION_ERROR: {
        const t = this.types.AssertionError!.object;
        py.incref(t);
        stack.push(t);
        break;
      }
      case Op.BEFORE_WITH: {
        const mgr = stack[stack.length - 1]!;
        const enter = b.lookupType(this.typeOf(mgr), "__enter__");
        const exit = b.lookupType(this.typeOf(mgr), "__exit__");
        if (!enter)
          this.raise(
            "AttributeError",
            `'${this.typeOf(mgr).name}' object does not support the context manager protocol`,
          );
        if (!exit)
          this.raise(
            "AttributeError",
            `'${this.typeOf(mgr).name}' object does not support the context manager protocol (missed __exit__ method)`,
          );
        const bound = b.bind(exit, mgr);
        stack[stack.length - 1] = bound;
        let res: Ref;
        try {
          res = this.call(enter, [mgr]);
        } finally {
          py.decref(mgr);
        }
        stack.push(res);
        break;
      }
      case Op.WITH_EXCEPT_START: {
        const exc = stack[stack.length - 1]!;
        const exit = stack[stack.length - 4]!;
        const type = this.typeOf(exc).object;
        const tb = py.getRef(exc, Exc.traceback) || none;
        const res = this.call(exit, [type, exc, tb]);
        stack.push(res);
        break;
      }
      case Op.IMPORT_NAME: {
        const fromlist = stack.pop()!;
        const level = stack.pop()!;
        py.decref(level);
        try {
          stack.push(b.importName(unit.names[arg]!, fromlist));
        } finally {
          py.decref(fromlist);
        }
        break;
      }
      case Op.IMPORT_FROM: {
        const m = stack[stack.length - 1]!;
        const name = unit.names[arg]!;
        let v: Ref;
        try {
          v = b.getAttr(m, name);
        } catch (error) {
          const exc = this.toPython(error);
          py.decref(exc);
          const modName = py.strValue(py.getRef(m, ModuleObj.name));
          throw new Raised(
            b.importError(
              "ImportError",
              `cannot import name '${name}' from '${modName}' (unknown location)`,
              modName,
            ),
          );
        }
        stack.push(v);
        break;
      }
      case Op.IMPORT_STAR: {
        const m = stack.pop()!;
        try {
          const d = py.getRef(m, ModuleObj.dict);
          for (const [k, v] of py.dictItems(d)) {
            if (py.strValue(k).startsWith("_")) continue;
            py.setItem(frame.locals, k, v);
          }
        } finally {
          py.decref(m);
        }
        break;
      }
      case Op.SETUP_ANNOTATIONS: {
        const key = py.constant("__annotations__");
        if (py.memory.u32[(frame.locals + OB_TYPE) >>> 2] !== b.dictTypeId) {
          // A namespace from `__prepare__`: asked and filled through its own methods.
          const found = this.#mappingGet(frame.locals, key);
          if (found) py.decref(found);
          else {
            const d = py.dict();
            try {
              b.setItem(frame.locals, key, d);
            } finally {
              py.decref(d);
            }
          }
          break;
        }
        if (!py.dictGet(frame.locals, key)) {
          const d = py.dict();
          py.setItem(frame.locals, key, d);
          py.decref(d);
        }
        break;
      }
      case Op.PRINT_EXPR: {
        const v = stack.pop()!;
        try {
          printExpr(b, v);
        } finally {
          py.decref(v);
        }
        break;
      }
      case Op.GET_LEN: {
        const n = b.len(stack[stack.length - 1]!);
        stack.push(py.int(n));
        break;
      }
      case Op.MATCH_MAPPING:
        stack.push(py.bool(matchMapping(this, stack[stack.length - 1]!)));
        break;
      case Op.MATCH_SEQUENCE:
        stack.push(py.bool(matchSequence(this, stack[stack.length - 1]!)));
        break;
      case Op.MATCH_KEYS:
        stack.push(matchKeys(this, stack[stack.length - 2]!, stack[stack.length - 1]!));
        break;
      case Op.MATCH_CLASS: {
        const names = stack.pop()!;
        const cls = stack.pop()!;
        const subject = stack[stack.length - 1]!;
        let attrs: Ref;
        try {
          attrs = matchClass(this, subject, cls, arg, names);
        } finally {
          py.decref(names);
          py.decref(cls);
        }
        stack[stack.length - 1] = attrs || py.newRef(none);
        py.decref(subject);
        break;
      }
      case Op.RETURN_GENERATOR: {
        // Generator frames are made by CALL; here the frame just goes on.
        stack.push(py.newRef(none));
        break;
      }
      case Op.GET_YIELD_FROM_ITER: {
        const o = stack[stack.length - 1]!;
        stack[stack.length - 1] = b.generators.yieldFromIter(o);
        py.decref(o);
        break;
      }
      default:
        throw new Error(`internal error: opcode ${op} is not implemented`);
    }
  }

  /**
   * SEND: `receiver v -> receiver yielded`, or `-> returned` and a jump past the loop. A
   * generator of ours that can be resumed is not run here: its frame, made ready to run with
   * `v` sent and linked to `frame` (as CPython 3.11 links a resumed generator's frame to its
   * caller's), is returned for the loop to go on in, so a `yield from` chain of any depth holds
   * no JavaScript frames; `v` and the receiver stay on `frame`'s stack until the generator
   * yields or returns ({@link Interpreter.#sendDone}). Anything else is sent to here; null.
   */
  #send(arg: number, frame: VMFrame): VMFrame | null {
    const py = this.py;
    const stack = frame.stack;
    const gens = this.builtins.generators;
    const receiver = stack[stack.length - 2]!;
    if (py.memory.u32[(receiver + OB_TYPE) >>> 2] === this.builtins.generatorType.id) {
      const callee = this.#resumeHere(receiver, stack[stack.length - 1]!, frame);
      if (callee !== null) return callee;
    }
    const v = stack.pop()!;
    let r: Ref;
    try {
      r = gens.sendTo(stack[stack.length - 1]!, v);
    } finally {
      py.decref(v);
    }
    if (gens.returned) {
      py.decref(stack.pop()!);
      frame.pc = arg;
    }
    stack.push(r);
    return null;
  }

  /**
   * Resumes generator `gen` in the loop for `frame`'s SEND (`v` the value sent, borrowed) or
   * FOR_ITER (`v` 0): its frame, ready to run and the top, or null when `gen` cannot be resumed
   * (running, finished, or new and sent a value), for the general path to raise or answer.
   */
  #resumeHere(gen: Ref, v: Ref, frame: VMFrame): VMFrame | null {
    const callee = this.builtins.generators.enter(gen, v, frame);
    if (callee === null) return null;
    // RESUME, a warm-up event, as `execute` counts a generator's resumption.
    if (callee.pc !== 0 && callee.code.warmup < 0) this.#warm(callee.code);
    try {
      this.#enterActivation(callee);
    } catch (error) {
      // The recursion limit: the generator raised at its start (gen_send_ex2 clears it).
      callee.finished = true;
      this.#clearFrame(callee);
      throw new Raised(this.#resumedRaised(callee, this.toPython(error)));
    }
    this.top = callee;
    return callee;
  }

  /**
   * A generator's frame that SEND or FOR_ITER resumed in the loop has yielded `v` or returned
   * it (it is `finished`): the generator pauses or ends. SEND releases the value sent and, on a
   * return, the receiver, and jumps past its loop; `v` is pushed. FOR_ITER pushes a value
   * yielded; on a return it drops `v` (having made and dropped the StopIteration of a value
   * other than None, as gen_iternext does), releases the generator and jumps past the loop.
   * The caller's frame is the loop's again; returned.
   */
  #resumedDone(done: VMFrame, v: Ref): VMFrame {
    const py = this.py;
    const gens = this.builtins.generators;
    const gen = done.generator;
    const caller = done.back!;
    const finished = done.finished;
    if (finished) {
      this.#clearFrame(done);
      gens.ended(gen, 0);
    } else {
      this.#suspend(done);
      gens.paused(gen, done);
    }
    this.top = caller;
    const stack = caller.stack;
    const ops = caller.code.ops;
    const at = caller.lasti;
    if (ops[2 * at] === Op.SEND) {
      py.decref(stack.pop()!);
      if (finished) {
        py.decref(stack.pop()!);
        caller.pc = ops[2 * at + 1]!;
      }
      stack.push(v);
    } else if (!finished) {
      stack.push(v);
    } else {
      if (v !== py.none) py.decref(gens.stopIteration(v).exc);
      py.decref(v);
      py.decref(stack.pop()!);
      caller.pc = ops[2 * at + 1]!;
    }
    return caller;
  }

  /**
   * A generator's frame that SEND or FOR_ITER resumed in the loop has raised `exc` (owned), its
   * frame released: the generator ends and a SEND releases the value sent. Returns the
   * exception the caller raises: `exc`, or the RuntimeError a StopIteration becomes, whose
   * context is set as an exception raised at the caller's instruction.
   */
  #resumedRaised(done: VMFrame, exc: Ref): Ref {
    const py = this.py;
    const raised = this.builtins.generators.ended(done.generator, exc);
    const caller = done.back!;
    this.top = caller;
    if (caller.code.ops[2 * caller.lasti] === Op.SEND) py.decref(caller.stack.pop()!);
    if (raised !== exc) this.#chainContext(raised);
    return raised;
  }

  /**
   * `namespace[name] = v`, taking the reference to `v` (STORE_NAME, STORE_GLOBAL): a class
   * body's namespace that is not exactly a dict (a metaclass's `__prepare__` made it) through
   * its `__setitem__` (PyObject_SetItem).
   */
  #storeName(namespace: Ref, name: Ref, v: Ref): void {
    try {
      if (this.py.memory.u32[(namespace + OB_TYPE) >>> 2] !== this.builtins.dictTypeId)
        this.builtins.setItem(namespace, name, v);
      else this.py.setItem(namespace, name, v);
    } finally {
      this.py.decref(v);
    }
  }

  /**
   * `namespace[name]` of a class body's namespace that is not exactly a dict: a new
   * reference, or 0 when its `__getitem__` raised KeyError.
   */
  #mappingGet(namespace: Ref, name: Ref): Ref {
    try {
      return this.builtins.getItem(namespace, name);
    } catch (error) {
      if (!(error instanceof Raised) || !this.typeOf(error.exc).isSubtype(this.types.KeyError!))
        throw error;
      this.py.decref(error.exc);
      return 0;
    }
  }

  /** `del namespace[name]`, or CPython's NameError (DELETE_NAME, DELETE_GLOBAL). */
  #deleteName(namespace: Ref, name: Ref, text: string): void {
    if (this.py.memory.u32[(namespace + OB_TYPE) >>> 2] !== this.builtins.dictTypeId) {
      try {
        this.builtins.delItem(namespace, name);
      } catch (error) {
        if (!(error instanceof Raised) || !this.typeOf(error.exc).isSubtype(this.types.KeyError!))
          throw error;
        this.py.decref(error.exc);
        this.#nameError(`name '${text}' is not defined`, name);
      }
      return;
    }
    if (!this.py.dictGet(namespace, name)) this.#nameError(`name '${text}' is not defined`, name);
    this.py.delItem(namespace, name);
  }

  /** A function's `__qualname__` (which a program may have set), for its argument errors. */
  #qualnameOf(func: Ref): string {
    const q = this.py.getRef(func, Fn.qualname);
    return q && this.kindOf(q) === "str" ? this.py.strValue(q) : "?";
  }

  #unboundLocal(name: string): never {
    return this.raise(
      "UnboundLocalError",
      `cannot access local variable '${name}' where it is not associated with a value`,
    );
  }

  #derefName(unit: CodeUnit, i: number): string {
    return i < unit.cellvars.length ? unit.cellvars[i]! : unit.freevars[i - unit.cellvars.length]!;
  }

  #unboundDeref(unit: CodeUnit, i: number): never {
    const name = this.#derefName(unit, i);
    if (i < unit.cellvars.length) this.#unboundLocal(name);
    return this.#nameError(
      `cannot access free variable '${name}' where it is not associated with a value in enclosing scope`,
      this.py.constant(name),
    );
  }

  /**
   * format_exc_check_arg's NameError: the message, and the name (borrowed) in the exception's
   * `name` field, which CPython 3.10+ sets for the suggestions a traceback may offer.
   */
  #nameError(message: string, name: Ref): never {
    const type = this.types.NameError!;
    const exc = this.newException(type, [message]);
    this.py.setRef(exc, memberOffset(familyOf(type), "name"), name);
    throw new Raised(exc);
  }
}

/** A re-raised exception: it keeps its traceback (the unwinding adds this frame again). */
class Reraise extends Raised {}

/** An exception thrown into a generator: raised in its frame without a new context. */
class Thrown extends Raised {}

function joinNames(names: readonly string[]): string {
  const quoted = names.map((n) => `'${n}'`);
  if (quoted.length === 1) return quoted[0]!;
  if (quoted.length === 2) return `${quoted[0]} and ${quoted[1]}`;
  return `${quoted.slice(0, -1).join(", ")}, and ${quoted.at(-1)}`;
}

function constantKey(value: ConstantValue): string | undefined {
  if (value === null || typeof value === "boolean" || typeof value === "symbol") return undefined;
  if (typeof value === "bigint") return `i${value}`;
  if (typeof value === "number") return Object.is(value, -0) ? "f-0" : `f${value}`;
  if (typeof value === "string") return `s${value}`;
  if (value instanceof Uint8Array) return `b${Array.from(value).join(",")}`;
  if ("complex" in value) return `c${complexKey(value.complex)}`;
  if ("tuple" in value) {
    const parts = value.tuple.map((v) =>
      v === null
        ? "N"
        : v === true
          ? "T"
          : v === false
            ? "F"
            : typeof v === "symbol"
              ? "E"
              : constantKey(v),
    );
    return parts.includes(undefined) ? undefined : `(${parts.join(";")})`;
  }
  return undefined;
}

export type { CodeInfo, InterpreterIO };
export { VMFrame };
