// The two faces the evaluator's parts see of each other: `Host`, what the interpreter offers the
// built-in types, functions and modules, and `Protocols`, the object protocols the built-in
// types offer the functions and modules. The interpreter and the built-in types implement
// them; everything else imports these interfaces, so no module of the evaluator imports one
// that imports it back.

import type { Embedding, NativeType, Ref, Runtime } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import type { BinaryOp, CompareOp, Op } from "../compile/opcodes.js";
import type { ConstantValue } from "../syntax/ast.js";
import type { FileSystem } from "./files.js";
import type { CodeInfo, VMFrame } from "./frame.js";
import type { BuiltinFn, NativeSlots, PackedCall, PyType, TypeKind } from "./types.js";

/** Where a program's output goes. */
export interface InterpreterIO {
  /** Text the program prints to stdout. */
  readonly stdout: (text: string) => void;
  /** Text for stderr: tracebacks, unraisable exceptions. */
  readonly stderr: (text: string) => void;
  /**
   * The files `open()` reaches (the host's, or files in memory). @defaultValue a new, empty
   * `MemoryFileSystem` of the interpreter's own
   */
  readonly files?: FileSystem;
  /**
   * Whether stdout is a terminal: python3 line-buffers its `sys.stdout` there, and keeps up to
   * 8 KiB of printed text in it otherwise (a pipe, a file). @defaultValue false
   */
  readonly stdoutIsTerminal?: boolean;
  /** Whether stdin is a terminal (`sys.stdin.isatty()`). @defaultValue false */
  readonly stdinIsTerminal?: boolean;
  /** Whether stderr is a terminal (`sys.stderr.isatty()`). @defaultValue false */
  readonly stderrIsTerminal?: boolean;
  /**
   * Whether python3 would run the program with unbuffered stdio (its `-u`, or a non-empty
   * `PYTHONUNBUFFERED` in its environment): `sys.stdout` and `sys.stderr` then write through,
   * keeping nothing pending between writes, and neither is line-buffered. @defaultValue false
   */
  readonly unbuffered?: boolean;
  /**
   * The program's standard input (`sys.stdin`, `input()`): up to `max` bytes, waiting for them
   * if none are there yet; an empty array at the end of the input. @defaultValue an input that
   * is at its end
   */
  readonly stdin?: (max: number) => Uint8Array;
}

/** The interpreter's native types, by role. */
export type NativeTypes = Record<
  | "function"
  | "code"
  | "cell"
  | "method"
  | "builtin"
  | "methodDescriptor"
  | "wrapperDescriptor"
  | "classmethodDescriptor"
  | "module"
  | "range"
  | "slice"
  | "traceback"
  | "frame"
  | "listIter"
  | "tupleIter"
  | "strIter"
  | "strUnicodeIter"
  | "rangeIter"
  | "rangeIter64"
  | "longRangeIter"
  | "dictKeyIter"
  | "dictValueIter"
  | "dictItemIter",
  NativeType
>;

/** A builtin function as the interpreter keeps it. */
export interface BuiltinEntry {
  readonly name: string;
  readonly fn: BuiltinFn;
  readonly self: boolean;
  /**
   * For a built-in type's method descriptor: the type whose instances it applies to (a call
   * checks its first argument against it) and how CPython names it in a repr.
   */
  readonly owner?: PyType;
  readonly descr?: "method" | "slot wrapper";
}

/** What the interpreter offers the built-in types, functions and modules. */
export interface Host {
  /** The runtime's embedding API. */
  readonly py: Embedding;
  /** Where the program's output goes. */
  readonly io: InterpreterIO;
  readonly runtime: Runtime;
  /** The built-in types by name (`int`, `ValueError`, …). */
  readonly types: Record<string, PyType>;
  /** The host's question whether the program was interrupted (Ctrl-C), when it asks one. */
  readonly interrupted: (() => boolean) | undefined;
  /** The object protocols and built-in types. */
  readonly builtins: Protocols;
  /** The JavaScript side of each code object, by its address. */
  readonly codes: Map<Ref, CodeInfo>;
  readonly builtinFns: BuiltinEntry[];
  /** Suspended generator frames, by generator object. */
  readonly generators: Map<Ref, VMFrame>;
  /**
   * Frames between their call and their generator object (roots meanwhile: a tracing
   * collection the allocation runs must see what they hold).
   */
  readonly pendingFrames: VMFrame[];
  readonly native: NativeTypes;
  /** The innermost running frame. */
  top: VMFrame | null;
  /** The exception being handled (owned), or 0. */
  excInfo: Ref;
  /**
   * The {@link Host.excInfo} of each frame chain a running generator was resumed from,
   * outermost first (CPython's `exc_info->previous_item` chain): each is kept by its generator's
   * resumption, which puts it back when the generator yields or ends.
   */
  readonly excOuter: Ref[];
  /** `_PyErr_GetTopmostException`: the innermost exception being handled (borrowed), or 0. */
  handledException(): Ref;
  readonly sources: Map<string, string[]>;
  filename: string;
  /** The program's `sys.argv` (the file name alone when unset). */
  argv: readonly string[] | undefined;
  readonly trueRef: Ref;
  keep(o: Ref): Ref;
  /** Gives up a reference {@link Host.keep} took. */
  unkeep(o: Ref): void;
  registerType(t: PyType, typeId: number): void;
  typeOf(o: Ref): PyType;
  typeId(o: Ref): number;
  kindOf(o: Ref): TypeKind;
  raise(type: string, message?: string): never;
  newException(type: PyType, args: readonly string[]): Ref;
  newExceptionWithArgs(type: PyType, args: readonly Ref[]): Ref;
  toPython(error: unknown): Ref;
  constant(value: ConstantValue): Ref;
  makeCode(unit: CodeUnit): Ref;
  /** A code object compiled while the program runs: its constants live only as long as it. */
  makeTransientCode(unit: CodeUnit): Ref;
  makeFunction(code: Ref, globals: Ref): Ref;
  str(o: Ref): string;
  repr(o: Ref): string;
  truth(o: Ref): boolean;
  intOf(o: Ref): bigint;
  floatOp(op: BinaryOp, a: number, b: number): number;
  intOp(op: BinaryOp, a: bigint, b: bigint): bigint;
  intTrueDivide(a: bigint, b: bigint): number;
  format(value: Ref, spec: string): string;
  /** `template.format(*args, **kwargs)`, or `template.format_map(mapping)` given a mapping. */
  strFormat(
    template: string,
    args: readonly Ref[],
    kwargs: ReadonlyMap<string, Ref> | null,
    mapping?: Ref,
  ): string;
  formatPercent(template: Ref, args: Ref): string;
  /** `template % args` for a bytes or bytearray template's bytes: the result's bytes. */
  formatBytesPercent(template: Uint8Array, args: Ref): Uint8Array;
  isTypeObject(o: Ref): boolean;
  /** Line `line` of a file the interpreter has the source of, as the file has it. */
  sourceLine(filename: string, line: number): string | undefined;
  runCode(code: CodeInfo, globals: Ref, locals: Ref, closure?: Ref): Ref;
  call(callable: Ref, args: readonly Ref[], kwargs?: ReadonlyMap<string, Ref> | null): Ref;
  lookupSpecial(o: Ref, name: string): Ref;
  frameObjectOf(frame: VMFrame, func?: Ref): Ref;
  /**
   * Runs `entry` until it returns (or, a generator's frame, yields); with `thrown` (owned),
   * that exception is raised in it first, at the instruction it is paused at.
   */
  execute(entry: VMFrame, thrown?: Ref): Ref;
  /** What each frame object knows of its frame: the live frame, or the line it ended on. */
  readonly frameInfo: Map<Ref, { frame: VMFrame | null; lineno: number }>;
  reportUncaught(exc: Ref): number;
}

/** The bytes type as the protocols expose it. */
export interface BytesAccess {
  readonly type: NativeType;
  readonly iterType: NativeType;
  make(data: Uint8Array): Ref;
  data(o: Ref): Uint8Array;
  length(o: Ref): number;
}

/** The object protocols and built-in types, as the functions and modules use them. */
export interface Protocols {
  readonly vm: Host;
  dict: Ref;
  module: Ref;
  ellipsis: Ref;
  notImplemented: Ref;
  buildClass: Ref;
  readonly modules: Map<string, Ref>;
  readonly bytesType: BytesAccess;
  /** The heap type id of the exact str type. */
  readonly strTypeId: number;
  onGcGarbageRead: (() => Ref) | undefined;
  /**
   * Attributes a module makes when first read (`sys.stdout`), by module: called when the
   * module's dict lacks `name`, it returns a new reference (having stored it), or 0.
   */
  readonly moduleAttrHooks: Map<Ref, (name: string) => Ref>;
  readonly moduleLazyNames: Map<Ref, readonly string[]>;
  sysModules(): Ref;
  /**
   * The count of a mutable sequence's repetition as CPython checks it (OverflowError past a
   * Py_ssize_t, MemoryError for a result too long); 0 for a count below one.
   */
  repeatTimes(n: bigint, length: number): number;
  removeModules(): void;
  watchList(l: Ref, changed: () => void): void;
  forgetIterator(it: Ref): void;
  listChanged(l: Ref): void;
  setStr(d: Ref, name: string, value: Ref, text?: string): void;
  newBuiltin(name: string, fn: BuiltinFn, self?: Ref, module?: Ref): Ref;
  /**
   * `fn` as CPython's built-in function `module.name` takes its arguments: its positional count
   * and keywords checked first, with CPython's messages, when python3 has the function.
   */
  moduleFunction(module: string, name: string, fn: BuiltinFn): BuiltinFn;
  newModule(name: string): Ref;
  /** A built-in type a module defines, of `native`'s instances (see {@link NativeSlots}). */
  newNativeType(name: string, native: NativeType, module: string, slots?: NativeSlots): PyType;
  typeFromObject(o: Ref): PyType;
  isType(o: Ref): boolean;
  write(text: string): void;
  flush(): void;
  lookupType(t: PyType, name: string): Ref;
  /**
   * What a subclass of a built-in defines for `name` in its class statements (not the
   * built-in's), borrowed, or 0.
   */
  override(t: PyType, name: string): Ref;
  bind(func: Ref, self: Ref): Ref;
  lookupMethod(o: Ref, name: string): Ref;
  getAttr(o: Ref, name: string): Ref;
  setAttr(o: Ref, name: string, value: Ref): void;
  /** `object.__getattribute__`: `o.name` past any `__getattribute__` (a new reference). */
  genericGetAttr(o: Ref, name: string): Ref;
  genericSetAttr(o: Ref, name: string, value: Ref): void;
  delAttr(o: Ref, name: string): void;
  callType(t: PyType, args: readonly Ref[], kwargs: ReadonlyMap<string, Ref> | null): Ref;
  /** `object.__delattr__(o, name)`: `del o.name` past any `__delattr__` of its class. */
  genericDelAttr(o: Ref, name: string): void;
  /** `types.MappingProxyType(d)` (a new reference): a read-only view of dict `d` (borrowed). */
  mappingProxy(dict: Ref): Ref;
  /** `type.__call__(t, …)`: a new instance of `t`, past its metaclass's `__call__`. */
  typeCall(t: PyType, args: readonly Ref[], kwargs: ReadonlyMap<string, Ref> | null): Ref;
  packCallArguments(args: readonly Ref[], kwargs: ReadonlyMap<string, Ref> | null): PackedCall;
  releaseCallArguments(packed: PackedCall): void;
  /** `type.__new__(meta, name, bases, namespace, **kwds)`: a new class (checked arguments). */
  newClass(meta: PyType, args: readonly Ref[], kwargs: ReadonlyMap<string, Ref> | null): Ref;
  makeClass(args: readonly Ref[], kwargs: ReadonlyMap<string, Ref> | null): Ref;
  exceptionMatches(exc: Ref, type: Ref): boolean;
  makeRaisable(v: Ref, cause: Ref): Ref;
  exitStatus(exc: Ref): number;
  formatException(exc: Ref, suggest?: boolean, notes?: boolean): string;
  /** One traceback object's entry, as an uncaught exception's traceback prints it. */
  tracebackEntry(tb: Ref): string;
  /**
   * The last line of a traceback: the exception's type and message, and with `suggest` the
   * "Did you mean" of a NameError or AttributeError that the printer of uncaught exceptions
   * adds (the traceback module's lines have none in 3.11).
   */
  exceptionOnly(exc: Ref, suggest?: boolean): string;
  /** Reports an exception nothing can catch (a finalizer's, a callback's) on stderr. */
  writeUnraisable(where: string, exc: Ref): void;
  strOf(o: Ref): string;
  /**
   * `PyObject_Str(o)` as an object (a new reference): an exact str itself, a new str for an
   * int (never a cached one-character str), `__str__`'s own result.
   */
  strObject(o: Ref): Ref;
  reprOf(o: Ref, base?: boolean): string;
  /**
   * `Py_ReprEnter`: true when `o`'s repr is already being made; otherwise `o` is held by the
   * thread state's `Py_Repr` list until {@link Protocols.reprLeave}.
   */
  reprEnter(o: Ref): boolean;
  /** `Py_ReprLeave`: the end of a repr {@link Protocols.reprEnter} let begin. */
  reprLeave(o: Ref): void;
  truth(o: Ref): boolean;
  len(o: Ref, base?: boolean): number;
  getItem(o: Ref, key: Ref, base?: boolean): Ref;
  sliceIndices(s: Ref, n: number): [number, number, number, number];
  setItem(o: Ref, key: Ref, value: Ref, base?: boolean): void;
  delItem(o: Ref, key: Ref, base?: boolean): void;
  binaryOp(op: BinaryOp, l: Ref, r: Ref, inplace?: boolean, base?: boolean): Ref;
  inplaceOp(op: BinaryOp, l: Ref, r: Ref): Ref;
  unaryOp(op: Op, o: Ref): Ref;
  richCompare(l: Ref, r: Ref, op: CompareOp): Ref;
  compare(l: Ref, r: Ref, op: CompareOp, lt?: PyType, rt?: PyType): boolean | undefined;
  equal(a: Ref, b: Ref): boolean;
  truthOf(o: Ref): boolean;
  contains(container: Ref, item: Ref, base?: boolean): boolean;
  set(items: readonly Ref[]): Ref;
  frozenset(items: readonly Ref[]): Ref;
  setAdd(s: Ref, v: Ref): void;
  setUpdate(s: Ref, iterable: Ref): void;
  frozensetOf(iterable: Ref): Ref;
  dictUpdateFrom(d: Ref, arg: Ref): void;
  dir(o: Ref | undefined): Ref;
  bytes(value: Uint8Array): Ref;
  listExtend(l: Ref, iterable: Ref): void;
  collect(iterable: Ref): Ref[];
  sequenceItems(o: Ref): Ref[];
  starArgs(func: Ref, o: Ref): Ref;
  dictUpdate(d: Ref, m: Ref, duplicate?: (key: Ref) => never): void;
  /** Parks objects on the free lists as python3's start-up leaves them. */
  leaveStartupFreeLists(): void;
  /** `PyObject_LengthHint(o, fallback)`: its length, its iterator's hint, else `fallback`. */
  lengthHint(o: Ref, fallback: number): number;
  /** Whether `o` has `__len__` (`_PyObject_HasLen`). */
  hasLen(o: Ref): boolean;
  functionStr(f: Ref): string;
  unpack(seq: Ref, before: number, after: number): Ref[];
  formatValue(v: Ref, conversion: number, spec: Ref): Ref;
  iter(o: Ref, base?: boolean): Ref;
  next(it: Ref): Ref;
  /** The `__new__` a class statement of `t`'s MRO defines (borrowed), or 0. */
  userNew(t: PyType): Ref;
  /** A new instance of class `t` without `__init__` (`object.__new__(t)`), with `value`'s value. */
  newInstance(t: PyType, value?: Ref): Ref;
  /** `reversed(d)` or `reversed(view)`: the named reverse dict iterator (a new reference). */
  reverseDict(d: Ref, name: string): Ref;
  /** `reversed(l)` of a list (a new reference). */
  reverseList(l: Ref): Ref;
  /** `reversed(r)` of a range (a new reference). */
  reverseRange(r: Ref): Ref;
  newIterator(
    name: "enumerate" | "zip" | "map" | "filter" | "reversed",
    refs: readonly Ref[],
    start?: number,
    strict?: boolean,
  ): Ref;
  importModule(name: string): Ref;
  /**
   * IMPORT_NAME's module (a new reference): `name`'s, or its top package's when `fromlist`
   * (0 for none) is empty.
   */
  importName(name: string, fromlist: Ref): Ref;
  dictView(kind: "dict_keys" | "dict_values" | "dict_items", d: Ref): Ref;
  nativeType(name: "property" | "staticmethod" | "classmethod"): NativeType;
  superType(): NativeType;
  newGenerator(frame: VMFrame): Ref;
  /** `next(gen)` for the iteration protocol: a new reference, or 0 when it is exhausted. */
  resume(gen: Ref): Ref;
  /** The native type of generator objects. */
  readonly generatorType: NativeType;
  /** The generator protocol (generators.ts implements it). */
  readonly generators: GeneratorProtocol;
}

/** What the evaluator and the builtins ask of generators through {@link Protocols}. */
export interface GeneratorProtocol {
  /** `next(gen)`: the next value (a new reference), or 0 with StopIteration(value) raised. */
  next(gen: Ref): Ref;
  /** GET_YIELD_FROM_ITER: a generator is its own iterator; anything else is `iter(o)`. */
  yieldFromIter(o: Ref): Ref;
}
