// The object protocols and the built-in types of the evaluator: attribute lookup along the
// MRO, calls of types, operators with CPython's fast paths and its TypeErrors, iteration
// with the iterator objects CPython allocates, str and repr, exceptions and their classes,
// and class creation (`__build_class__`). Functions and modules are in functions.ts.

import { OB_REFCNT } from "@mm/heap";
import {
  type CollectorSeed,
  dictVersion,
  FloatLayout,
  IntLayout,
  type NativeType,
  type NativeTypeSpec,
  type Ref,
  type SubtypeBase,
  TupleLayout,
} from "@mm/runtime";
import { BinaryOp, binaryOpSymbols, CompareOp, compareOpSymbols, Op } from "../compile/opcodes.js";
import { mangle } from "../compile/symtable.js";
import { floatRepr } from "../text/float.js";
import { intToDecimal } from "../text/int.js";
import { strRepr } from "../text/str.js";
import { installBytearray } from "./bytearray.js";
import { BytesType, bytesRepr, indexOf, installBytes } from "./bytes.js";
import { ComplexType, installComplex } from "./complex.js";
import { Raised } from "./errors.js";
import {
  fillGroup,
  groupMembers,
  groupNew,
  installExceptionGroups,
  isGroup,
} from "./exception-groups.js";
import {
  builtinFamily,
  checkExceptionKeywords,
  type ExceptionFamily,
  exceptionRefs,
  familyBasicSize,
  familyOf,
  familyStr,
  initExceptionFields,
  memberOffset,
  osErrorSubclass,
  syntaxErrorTail,
} from "./exceptions.js";
import { fastToLocals } from "./exec.js";
import type { VMFrame } from "./frame.js";
import { installFunctions } from "./functions.js";
import { Generators, installGeneratorMethods } from "./generators.js";
import { genericAlias, subscriptsToAlias, typeOr } from "./generic-alias.js";
import type { BuiltinEntry, Host, Protocols } from "./host.js";
import { hashPointer } from "./identity-hash.js";
import { checkTypeKeywords, withKeywords } from "./keyword-args.js";
import {
  Builtin,
  Cell,
  Code,
  Descr,
  Descriptor,
  DictIter,
  Enumerate,
  Exc,
  Fn,
  FrameObj,
  Gen,
  MapIter,
  Method,
  ModuleObj,
  Range,
  RangeIter,
  Reversed,
  SeqIter,
  SliceObj,
  Traceback,
  TypeObj,
  Zip,
} from "./layouts.js";
import { installMemoryview } from "./memoryview.js";
import { type ArityRule, METHOD_ARITY } from "./method-arity.js";
import { METHOD_KEYWORDS } from "./method-keywords.js";
import { createModule } from "./modules.js";
import { bestBase, builtinLayout, heapLayout, mroTail, solidBase } from "./mro.js";
import { nextRangeValue, rangeIter, rangeReverse, rangeValuesLeft } from "./range-iter.js";
import { checkedSlot, type SlotKind, SlotWrappers, typeSlots } from "./slot-wrappers.js";
import { suggestion } from "./suggestions.js";
import { tracebackSourceLines } from "./traceback.js";
import { TYPE_NAMES } from "./type-names.js";
import {
  type BuiltinFn,
  type NativeSlots,
  type PackedCall,
  PyType,
  type TypeKind,
  type TypeLookup,
} from "./types.js";
import { runWeakrefCallback, weakrefEqual, weakrefHash } from "./weakref.js";

// The free lists python3 3.11's start-up leaves (sys._debugmallocstats() as the first line of a
// program): tuples by length from 1, then lists, dicts and floats.
const STARTUP_FREE_TUPLES: readonly number[] = [
  4, 8, 2, 2, 3, 0, 8, 6, 1, 0, 1, 3, 5, 1, 2, 2, 2, 3, 1, 6,
];
const STARTUP_FREE_LISTS = 40;
const STARTUP_FREE_DICTS = 8;
const STARTUP_FREE_FLOATS = 4;

/** 2**30: an int below it in magnitude has one digit (a "medium" value in CPython 3.11). */
const MEDIUM = 1n << 30n;
/** The largest safe integer, as a bigint. */
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The gc module as python3 3.11's start-up leaves it for a program run from a file (`import gc`
 * as its first line, then `gc.get_count()`, `gc.get_stats()` and `len(gc.get_objects(2))`): 22
 * collections of the youngest generation and 2 of the middle one so far, none full, and 10,919
 * objects in the oldest generation. After the `import gc` the first count is 249, of which the
 * module and its functions are 19 tracked objects (as many here as there). CPython's varies by
 * a few dozen with the size of the program, whose compilation leaves some tuples tracked.
 */
export const STARTUP_GC: CollectorSeed = {
  counts: [249 - 19, 0, 2],
  stats: [
    { collections: 22, collected: 43, uncollectable: 0 },
    { collections: 2, collected: 92, uncollectable: 0 },
    { collections: 0, collected: 0, uncollectable: 0 },
  ],
  oldest: 10_919,
};
/** The function fields a program may set, by name (`func_getsetlist`, `func_memberlist`). */
const SETTABLE_FUNCTION_FIELDS: Readonly<Record<string, number>> = {
  __name__: Fn.name,
  __qualname__: Fn.qualname,
  __defaults__: Fn.defaults,
  __kwdefaults__: Fn.kwdefaults,
  __annotations__: Fn.annotations,
  __code__: Fn.code,
  __doc__: Fn.doc,
  __module__: Fn.module,
};

/** The exception classes of the builtins, each with its base, in definition order. */
const exceptionTree: ReadonlyArray<readonly [string, string | null]> = [
  ["BaseException", null],
  ["SystemExit", "BaseException"],
  ["KeyboardInterrupt", "BaseException"],
  ["GeneratorExit", "BaseException"],
  ["BaseExceptionGroup", "BaseException"],
  ["Exception", "BaseException"],
  ["StopIteration", "Exception"],
  ["ArithmeticError", "Exception"],
  ["FloatingPointError", "ArithmeticError"],
  ["OverflowError", "ArithmeticError"],
  ["ZeroDivisionError", "ArithmeticError"],
  ["AssertionError", "Exception"],
  ["AttributeError", "Exception"],
  ["BufferError", "Exception"],
  ["EOFError", "Exception"],
  ["ImportError", "Exception"],
  ["ModuleNotFoundError", "ImportError"],
  ["LookupError", "Exception"],
  ["IndexError", "LookupError"],
  ["KeyError", "LookupError"],
  ["MemoryError", "Exception"],
  ["NameError", "Exception"],
  ["UnboundLocalError", "NameError"],
  ["OSError", "Exception"],
  ["BlockingIOError", "OSError"],
  ["ChildProcessError", "OSError"],
  ["ConnectionError", "OSError"],
  ["BrokenPipeError", "ConnectionError"],
  ["ConnectionAbortedError", "ConnectionError"],
  ["ConnectionRefusedError", "ConnectionError"],
  ["ConnectionResetError", "ConnectionError"],
  ["FileExistsError", "OSError"],
  ["FileNotFoundError", "OSError"],
  ["InterruptedError", "OSError"],
  ["IsADirectoryError", "OSError"],
  ["NotADirectoryError", "OSError"],
  ["PermissionError", "OSError"],
  ["ProcessLookupError", "OSError"],
  ["TimeoutError", "OSError"],
  ["ReferenceError", "Exception"],
  ["RuntimeError", "Exception"],
  ["NotImplementedError", "RuntimeError"],
  ["RecursionError", "RuntimeError"],
  ["SyntaxError", "Exception"],
  ["IndentationError", "SyntaxError"],
  ["TabError", "IndentationError"],
  ["SystemError", "Exception"],
  ["TypeError", "Exception"],
  ["ValueError", "Exception"],
  ["UnicodeError", "ValueError"],
  ["UnicodeDecodeError", "UnicodeError"],
  ["UnicodeEncodeError", "UnicodeError"],
  ["Warning", "Exception"],
  ["DeprecationWarning", "Warning"],
  ["RuntimeWarning", "Warning"],
  ["UserWarning", "Warning"],
  ["PendingDeprecationWarning", "Warning"],
  ["SyntaxWarning", "Warning"],
  ["FutureWarning", "Warning"],
  ["ImportWarning", "Warning"],
  ["UnicodeWarning", "Warning"],
  ["BytesWarning", "Warning"],
  ["ResourceWarning", "Warning"],
  ["EncodingWarning", "Warning"],
];

/**
 * The native layout of exception instances (every exception class has its own type id): the
 * fields of its family's struct, if any, after BaseException's.
 */
function exceptionSpec(
  name: string,
  family: ExceptionFamily | undefined,
  finalize?: (o: Ref) => void,
  typeObject: Ref = 0,
  layout: { basicSize: number; weakrefable: boolean; slots: readonly number[] } = {
    basicSize: familyBasicSize(family),
    weakrefable: false,
    slots: [],
  },
) {
  return {
    name,
    // The built-in exceptions take no weak references; a class statement's subclass adds its
    // `__slots__` members and (unless `__slots__` leaves it out) the `__weakref__` slot after
    // its base's fields.
    basicSize: layout.basicSize,
    container: true,
    weakrefable: layout.weakrefable,
    // subtype_traverse visits the slots (the class's own, then its bases'), then hands over:
    // the family's traverse visits its own fields, then BaseException_traverse its.
    refs: [...layout.slots, ...exceptionRefs(family)],
    ...(finalize ? { finalize } : {}),
    // A class statement's subclass: each instance holds its class, which subtype_traverse
    // visits before handing over to the base's traverse.
    ...(typeObject ? { typeObject, typeObjectFirst: true } : {}),
  };
}

/** The built-in types' class methods and static methods (the others are instance methods). */
const BUILTIN_BINDINGS: ReadonlyMap<string, "class" | "static"> = new Map([
  ["dict.fromkeys", "class"],
  ["type.__prepare__", "class"],
  ["object.__init_subclass__", "class"],
  ["bytes.fromhex", "class"],
  ["bytearray.fromhex", "class"],
  ["int.from_bytes", "class"],
  ["float.fromhex", "class"],
  ["str.maketrans", "static"],
]);

/** The built-in methods whose descriptors are made when first looked up, not at startup. */
const LAZY_DESCRIPTORS: ReadonlySet<string> = new Set([
  "type.__init__",
  "type.__call__",
  "type.__prepare__",
  "object.__init_subclass__",
  "object.__delattr__",
  "frame.clear",
  "property.__init__",
  "property.__get__",
  "property.__set__",
  "property.__delete__",
  "classmethod.__init__",
  "classmethod.__get__",
  "staticmethod.__init__",
  "staticmethod.__get__",
]);

/** PY_SSIZE_T_MAX: the largest count a sequence operation takes. */
const SSIZE_MAX = 2n ** 63n - 1n;
/** The longest result a repetition makes here (CPython's would exhaust memory first, too). */
const MAX_REPEAT = 2 ** 30;

/** Counts up to this have their verdict precomputed by {@link withArity}. */
const ARITY_TABLE_SIZE = 9;

/**
 * `fn` behind the check CPython's argument parsing makes of a method's positional count (self
 * not counted: `self` is 1 for a method, 0 for a function): a count a rule covers raises
 * TypeError with the rule's message. A rule about a missing argument does not apply when
 * keywords were given, since one may be it.
 */
function withArity(vm: Host, rules: readonly ArityRule[], fn: BuiltinFn, self: 0 | 1): BuiltinFn {
  const covers = (rule: ArityRule, n: number) => n >= rule[0] && (rule[1] < 0 || n <= rule[1]);
  const ok = new Uint8Array(ARITY_TABLE_SIZE);
  for (let n = 0; n < ARITY_TABLE_SIZE; n++) ok[n] = rules.some((r) => covers(r, n)) ? 0 : 1;
  const okAbove = !rules.some((r) => r[1] < 0);
  return (args, kwargs) => {
    const n = args.length - self;
    if (n < ARITY_TABLE_SIZE ? ok[n] === 1 : okAbove) return fn(args, kwargs);
    for (const rule of rules) {
      if (!covers(rule, n)) continue;
      if (kwargs && kwargs.size > 0 && rule[2].includes("missing required")) continue;
      vm.raise("TypeError", rule[2].replace("{n}", String(n)));
    }
    return fn(args, kwargs);
  };
}

/** The members of a group the printer shows before it counts the rest (max_group_width). */
const MAX_GROUP_WIDTH = 15;
/** The nesting of groups the printer shows (max_group_depth). */
const MAX_GROUP_DEPTH = 10;
const CAUSE_MESSAGE = "The above exception was the direct cause of the following exception:\n";
const CONTEXT_MESSAGE = "During handling of the above exception, another exception occurred:\n";

/** The printer's state (pythonrun.c's exception_print_context). */
interface GroupPrint {
  readonly out: string[];
  readonly seen: Set<Ref>;
  /** How deep in groups the exception being printed is. */
  depth: number;
  /** Whether the box of the last member is still open. */
  needClose: boolean;
}

/** The characters str.splitlines breaks a line after. */
const LINE_BREAKS = new Set(
  [0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029].map((c) =>
    String.fromCharCode(c),
  ),
);

/** `text.splitlines(keepends=True)`. */
function splitLinesKeepEnds(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (!LINE_BREAKS.has(c)) continue;
    if (c === "\r" && text[i + 1] === "\n") i++;
    out.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** EXC_INDENT and EXC_MARGIN: the indent and `| ` of a group's member, nothing outside groups. */
function groupMargin(ctx: GroupPrint): string {
  return ctx.depth ? `${" ".repeat(2 * ctx.depth)}| ` : "";
}

/**
 * `fn` behind the count and keyword checks the tables written from python3 give the built-in
 * method or function `key` (`type.method`, `module.function`), or `fn` itself when they list
 * neither. `self` is 1 for a method, 0 for a function.
 */
function withTables(vm: Host, key: string, fn: BuiltinFn, self: 0 | 1): BuiltinFn {
  const rules = METHOD_ARITY[key];
  const counted = rules ? withArity(vm, rules, fn, self) : fn;
  const keywords = METHOD_KEYWORDS[key];
  return keywords ? withKeywords(vm, keywords, counted, self) : counted;
}

/** The most traceback entries printed: the innermost ones (`sys.tracebacklimit`'s default). */
const TRACEBACK_LIMIT = 1000;
/** Entries of one line of one function printed in a row before the rest are only counted. */
const RECURSIVE_CUTOFF = 3;

/** The code object's attributes that are its own fields. */
const CODE_FIELDS: Readonly<Record<string, number>> = {
  co_name: Code.name,
  co_qualname: Code.qualname,
  co_filename: Code.filename,
  co_consts: Code.consts,
  co_names: Code.names,
};

/** The built-in types, protocols and functions of one interpreter. */
/** The iterators `reversed` makes of a dict and of its views. */
const REVERSE_DICT_ITERATORS = [
  "dict_reversekeyiterator",
  "dict_reversevalueiterator",
  "dict_reverseitemiterator",
] as const;

export class Builtins implements Protocols {
  readonly vm: Host;
  /** The builtins module's dict (borrowed from the module). */
  dict: Ref = 0;
  /** The builtins module. */
  module: Ref = 0;
  /** `...` and `NotImplemented`. */
  ellipsis: Ref = 0;
  notImplemented: Ref = 0;
  /** `__build_class__`. */
  buildClass: Ref = 0;
  /** The heap type ids of exact ints and floats (not bools), for the evaluator's fast paths. */
  intTypeId = -1;
  floatTypeId = -1;
  /** The heap type id of exact strs. */
  strTypeId = -1;
  /** The heap type id of exact tuples. */
  tupleTypeId = -1;
  /** The heap type id of exact lists. */
  listTypeId = -1;
  /** The heap type id of exact dicts (LOAD_GLOBAL caches only lookups in exact dicts). */
  dictTypeId = -1;
  /** Types by the address of their type object. */
  readonly #byObject = new Map<Ref, PyType>();
  /** Output waiting for a newline or the end. */
  #out = "";
  /** Imported modules by name. */
  readonly modules = new Map<string, Ref>();
  /**
   * The classes whose `__abstractmethods__` was set to a true value (CPython's
   * Py_TPFLAGS_IS_ABSTRACT): object_new refuses to make their instances.
   */
  readonly abstractClasses = new Set<PyType>();
  /** The objects whose repr is being made (what the thread state's `Py_Repr` list holds). */
  readonly #reprActive = new Set<Ref>();
  /** The thread state's dict (`PyThreadState_GetDict`), made by the first `Py_ReprEnter`. */
  #threadDict: Ref = 0;
  readonly #native: Record<string, NativeType> = {};
  /** The attribute name of each live getset or member descriptor. */
  readonly #descriptorNames = new Map<Ref, string>();
  /**
   * The built-in types' method descriptors that are slot wrappers in CPython (`__init__`,
   * `__add__`, `__len__`…: a `wrapper_descriptor`): bound to an object they make a
   * `method-wrapper`, not a `builtin_function_or_method`.
   */
  readonly #slotWrappers = new Set<Ref>();
  /** The built-in types' special methods made from their slots' generic forms. */
  readonly #generic = new SlotWrappers(this);
  /** Each built-in type's `__dict__` (CPython's `tp_dict`), made when first read. */
  readonly #typeDicts = new Map<PyType, Ref>();
  /** The bytes type (created with the other built-in types). */
  bytesType!: BytesType;
  /** The `complex` type: its objects and arithmetic. */
  complexType!: ComplexType;
  /** The text of each str iterator's str, read once (dropped when the iterator ends or dies). */
  readonly #iteratedText = new Map<Ref, string>();

  /** Forgets what was kept for a str iterator that died. */
  forgetIterator(it: Ref): void {
    this.#iteratedText.delete(it);
  }

  /** Lists whose changes something outside the heap follows (gc.callbacks), with the follower. */
  readonly #watched = new Map<Ref, () => void>();
  /** Brings `gc.garbage` up to date and returns it (set when the gc module is imported). */
  onGcGarbageRead: (() => Ref) | undefined;
  readonly moduleAttrHooks = new Map<Ref, (name: string) => Ref>();
  /** The names a module's attribute hook makes at their first read, which `dir()` lists. */
  readonly moduleLazyNames = new Map<Ref, readonly string[]>();

  /** Calls `changed` after every change the list methods or item assignment make to `l`. */
  watchList(l: Ref, changed: () => void): void {
    this.#watched.set(l, changed);
  }

  /** Tells the follower of `l`, if any, that it changed. */
  listChanged(l: Ref): void {
    this.#watched.get(l)?.();
  }

  constructor(vm: Host) {
    this.vm = vm;
    this.generators = new Generators(vm);
    this.#bootstrap();
    // The bases' tp_subclasses hold their entries: roots for tracing collectors.
    vm.py.addRoots(() => this.#subclassRoots());
    // Strs CPython 3.11 has as statics (`_Py_ID`), made now so that a program's use of them
    // allocates nothing: `str(True)`, print's keyword names.
    for (const name of ["True", "False", "sep", "end", "file", "flush", "Py_Repr"])
      vm.py.constant(name);
  }

  get #py() {
    return this.vm.py;
  }

  /**
   * The native type of classes: `type`'s, or a metaclass's (`typeObject`), whose instances are
   * classes laid out as `type` lays them out.
   */
  #typeSpec(name: string, typeObject?: Ref): NativeTypeSpec {
    return {
      name,
      basicSize: TypeObj.basicSize,
      sizeOf: (o) => {
        const t = this.#byObject.get(o);
        // sys.getsizeof adds the GC head that a static type does not have.
        if (!t?.heap) return TypeObj.staticTypeSize - 16;
        // A class whose instances keep their dict before the object (CPython's managed dict:
        // a base of fixed size, and no exception's dict field) has a shared key table.
        const managed = t.layout.dict && t.layout.item === 0 && t.kind !== "exception";
        return managed ? TypeObj.basicSize : TypeObj.heapTypeSize;
      },
      container: true,
      weakrefable: true,
      // A class the collector freed is no type any more, nor its bases' subclass.
      onFree: (o) => {
        const t = this.#byObject.get(o);
        this.#byObject.delete(o);
        if (t?.heap) this.#removeSubclass(o, t);
        this.#dropSubclassDict(o);
      },
      refs: [
        TypeObj.dict,
        TypeObj.bases,
        TypeObj.name,
        TypeObj.qualname,
        TypeObj.mro,
        TypeObj.base,
        TypeObj.module,
      ],
      ...(typeObject ? { typeObject } : {}),
    };
  }

  // ------------------------------------------------------------------ bootstrap

  #bootstrap(): void {
    const vm: Host = this.vm;
    const py = vm.py;
    const n = vm.native;
    const typeNative = py.defineType(this.#typeSpec("type"));
    this.#native.type = typeNative;
    this.#native.object = py.defineType({ name: "object", basicSize: 16 });
    this.#native.ellipsis = py.defineType({
      name: "ellipsis",
      basicSize: 16,
      repr: () => "Ellipsis",
    });
    this.#native.notImplemented = py.defineType({
      name: "NotImplementedType",
      basicSize: 16,
      repr: () => "NotImplemented",
    });
    this.#native.super = py.defineType({
      name: "super",
      basicSize: 40,
      container: true,
      refs: [16, 24, 32],
    });
    this.#native.generator = py.defineType({
      name: "generator",
      basicSize: Gen.items,
      container: true,
      weakrefable: true,
      // In gen_traverse's order: the generator's fields, then the embedded frame's.
      // (gen_traverse visits gi_exc_state last, after the frame's items; a field comes first.)
      refs: [Gen.code, Gen.name, Gen.qualname, Gen.frame, Gen.func, Gen.fcode, Gen.exc],
      items: { count: Gen.count, first: Gen.items },
      finalize: (o) => this.generators.finalize(o),
      onFree: (o) => {
        // A generator freed before its frame finished: the frame's f_locals goes with it.
        const frame = vm.generators.get(o);
        vm.generators.delete(o);
        if (frame?.localsDict) {
          const d = frame.localsDict;
          frame.localsDict = 0;
          py.decref(d);
        }
      },
    });
    // property (fget, fset, fdel, doc, name, then the getter_doc flag: 80 bytes with the GC
    // head), staticmethod and classmethod (the function, the __dict__).
    this.#native.property = py.defineType({
      name: "property",
      basicSize: 64,
      container: true,
      refs: [16, 24, 32, 40, 48],
    });
    this.#native.staticmethod = py.defineType({
      name: "staticmethod",
      basicSize: 32,
      container: true,
      refs: [16, 24],
    });
    this.#native.classmethod = py.defineType({
      name: "classmethod",
      basicSize: 32,
      container: true,
      refs: [16, 24],
    });
    // A slot wrapper bound to an object (`(1).__add__`, `C().__init__`): `wrapperobject`.
    this.#native.methodWrapper = py.defineType({
      name: "method-wrapper",
      basicSize: MethodWrapper.basicSize,
      container: true,
      refs: [MethodWrapper.descr, MethodWrapper.self],
    });
    this.#native.setIter = py.defineType({
      name: "set_iterator",
      basicSize: 48,
      container: true,
      refs: [16],
    });
    for (const name of ["dict_keys", "dict_values", "dict_items"]) {
      this.#native[name] = py.defineType({ name, basicSize: 24, container: true, refs: [16] });
    }
    // `C.__dict__`: a read-only view of a class's dict, a new one each time (24 bytes, 40 with
    // the GC head).
    this.#native.mappingproxy = py.defineType({
      name: "mappingproxy",
      basicSize: 24,
      container: true,
      refs: [16],
    });
    // A class's `__dict__`/`__weakref__` attributes and its slots' members (`PyGetSetDescrObject`,
    // `PyMemberDescrObject`: 48 bytes, 64 with the GC head). Each holds its class, which makes
    // every class with one a cycle the collector frees; the name is kept beside the heap.
    for (const [name, word] of [
      ["getset_descriptor", "attribute"],
      ["member_descriptor", "member"],
    ] as const) {
      this.#native[name] = py.defineType({
        name,
        basicSize: Descr.basicSize,
        container: true,
        refs: [Descr.type],
        onFree: (o) => this.#descriptorNames.delete(o),
        repr: (o) => this.#descriptorRepr(o, word),
      });
    }
    for (const name of ["enumerate", "zip", "map", "filter", "reversed"]) {
      this.#native[name] = py.defineType({
        name,
        basicSize:
          name === "enumerate"
            ? Enumerate.basicSize
            : name === "zip"
              ? Zip.basicSize
              : name === "reversed"
                ? Reversed.basicSize
                : MapIter.basicSize,
        container: true,
        refs:
          name === "enumerate"
            ? [Enumerate.iter, Enumerate.result]
            : name === "zip"
              ? [Zip.iters, Zip.result]
              : name === "reversed"
                ? [Reversed.seq]
                : [MapIter.iters, MapIter.func],
      });
    }
    // `reversed(list)` and `reversed(dict)` have iterators of their own (listreviter,
    // dictreviter): the list's keeps a signed index, the dict's walks entries backwards.
    // `iter()` of an object with only `__getitem__`: the old sequence protocol's iterator.
    this.#native.iterator = py.defineType({
      name: "iterator",
      basicSize: SeqIter.basicSize,
      container: true,
      refs: [SeqIter.seq],
    });
    this.#native.list_reverseiterator = py.defineType({
      name: "list_reverseiterator",
      basicSize: SeqIter.basicSize,
      container: true,
      refs: [SeqIter.seq],
    });
    for (const name of REVERSE_DICT_ITERATORS) {
      this.#native[name] = py.defineType({
        name,
        basicSize: DictIter.basicSize,
        container: true,
        refs: [DictIter.dict, DictIter.result],
      });
    }
    const def = (
      name: string,
      kind: TypeKind,
      base: PyType | null,
      typeIds: number[],
      native?: NativeType,
      bases?: readonly PyType[],
      mroTail?: readonly PyType[],
    ) => {
      const t = new PyType(name, kind, base, false, bases, mroTail);
      if (native) t.native = native;
      t.layout = builtinLayout(t);
      t.solid = solidBase(t);
      this.#typeObject(t);
      for (const id of typeIds) vm.registerType(t, id);
      vm.types[name] = t;
      return t;
    };
    const object = def("object", "object", null, [this.#native.object.id], this.#native.object);
    // The runtime's own kinds: their type ids from one object of each.
    const idOf = (o: Ref) => {
      const id = vm.typeId(o);
      py.decref(o);
      return id;
    };
    const none = py.none;
    def("NoneType", "none", object, [vm.typeId(none)]);
    this.intTypeId = idOf(py.int(1000));
    const int = def("int", "int", object, [this.intTypeId]);
    def("bool", "bool", int, [vm.typeId(py.bool(true))]);
    py.decref(py.none === 0 ? 0 : py.bool(true)); // balance the probe above
    this.floatTypeId = idOf(py.float(0.5));
    def("float", "float", object, [this.floatTypeId]);
    this.strTypeId = idOf(py.str("probe string"));
    def("str", "str", object, [this.strTypeId]);
    this.tupleTypeId = idOf(py.tuple([none]));
    def("tuple", "tuple", object, [this.tupleTypeId]);
    this.listTypeId = idOf(py.list([]));
    def("list", "list", object, [this.listTypeId]);
    this.dictTypeId = idOf(py.dict());
    def("dict", "dict", object, [this.dictTypeId]);
    this.bytesType = new BytesType(vm);
    this.complexType = new ComplexType(vm);
    def("complex", "complex", object, [this.complexType.type.id], this.complexType.type);
    def("bytes", "bytes", object, [this.bytesType.type.id], this.bytesType.type);
    def(
      "bytes_iterator",
      "iterator",
      object,
      [this.bytesType.iterType.id],
      this.bytesType.iterType,
    );
    def("set", "set", object, [idOf(py.set([]))]);
    def("frozenset", "frozenset", object, [idOf(py.frozenset([]))]);
    def("type", "type", object, [typeNative.id], typeNative);
    def("function", "function", object, [n.function.id], n.function);
    def("code", "code", object, [n.code.id], n.code);
    def("cell", "cell", object, [n.cell.id], n.cell);
    def("method", "method", object, [n.method.id], n.method);
    def("builtin_function_or_method", "builtin", object, [n.builtin.id], n.builtin);
    // Built-in methods as their classes hold them: called as builtins are, with the object
    // first, which they check.
    def("method_descriptor", "builtin", object, [n.methodDescriptor.id], n.methodDescriptor);
    def("wrapper_descriptor", "builtin", object, [n.wrapperDescriptor.id], n.wrapperDescriptor);
    def(
      "classmethod_descriptor",
      "builtin",
      object,
      [n.classmethodDescriptor.id],
      n.classmethodDescriptor,
    );
    def("module", "module", object, [n.module.id], n.module);
    def("range", "range", object, [n.range.id], n.range);
    def("slice", "slice", object, [n.slice.id], n.slice);
    def("traceback", "traceback", object, [n.traceback.id], n.traceback);
    def("frame", "frame", object, [n.frame.id], n.frame);
    def("ellipsis", "other", object, [this.#native.ellipsis.id], this.#native.ellipsis);
    def(
      "NotImplementedType",
      "other",
      object,
      [this.#native.notImplemented.id],
      this.#native.notImplemented,
    );
    def("super", "super", object, [this.#native.super.id], this.#native.super);
    for (const name of ["getset_descriptor", "member_descriptor"])
      def(name, "other", object, [this.#native[name]!.id], this.#native[name]);
    this.#installMappingProxy(
      def(
        "mappingproxy",
        "other",
        object,
        [this.#native.mappingproxy!.id],
        this.#native.mappingproxy,
      ),
    );
    def("generator", "generator", object, [this.#native.generator.id], this.#native.generator);
    for (const [name, native] of [
      ["list_iterator", n.listIter],
      ["tuple_iterator", n.tupleIter],
      ["str_ascii_iterator", n.strIter],
      ["str_iterator", n.strUnicodeIter],
      ["dict_keyiterator", n.dictKeyIter],
      ["dict_valueiterator", n.dictValueIter],
      ["dict_itemiterator", n.dictItemIter],
      ["longrange_iterator", n.longRangeIter],
    ] as const)
      def(name, "iterator", object, [native.id], native);
    // A range's iterator has f64 state, or exact 64-bit state past 2^53: one type either way.
    def("range_iterator", "iterator", object, [n.rangeIter.id, n.rangeIter64.id], n.rangeIter);
    for (const name of [
      "enumerate",
      "zip",
      "map",
      "filter",
      "reversed",
      "list_reverseiterator",
      "iterator",
      ...REVERSE_DICT_ITERATORS,
    ])
      def(name, "iterator", object, [this.#native[name]!.id], this.#native[name]);
    def("set_iterator", "iterator", object, [this.#native.setIter!.id], this.#native.setIter);
    for (const name of [
      "list_iterator",
      "tuple_iterator",
      "str_ascii_iterator",
      "str_iterator",
      "bytes_iterator",
      "range_iterator",
      "longrange_iterator",
      "dict_keyiterator",
      "dict_valueiterator",
      "dict_itemiterator",
      "set_iterator",
      "list_reverseiterator",
      "reversed",
      "iterator",
      ...REVERSE_DICT_ITERATORS,
    ]) {
      const methods = vm.types[name]!.methods;
      methods.set("__length_hint__", (a) => {
        if (a.length !== 1)
          vm.raise(
            "TypeError",
            `${name}.__length_hint__() takes no arguments (${a.length - 1} given)`,
          );
        const hint = this.iteratorHint(a[0]!) ?? 0;
        // rangeiter_len is PyLong_FromLong's; the others' PyLong_FromSsize_t's.
        return name === "range_iterator" ? py.int(hint) : py.intFromSsize(hint);
      });
    }
    // The iterator protocol's slots, called by name: tp_iternext (StopIteration at the end)
    // and tp_iter (the iterator itself), on every built-in iterator type.
    for (const t of Object.values(vm.types)) {
      if (t.kind !== "iterator") continue;
      t.methods.set("__next__", (a) => {
        if (a.length !== 1) vm.raise("TypeError", `expected 0 arguments, got ${a.length - 1}`);
        return this.next(a[0]!) || vm.raise("StopIteration");
      });
      t.methods.set("__iter__", (a) => {
        if (a.length !== 1) vm.raise("TypeError", `expected 0 arguments, got ${a.length - 1}`);
        return py.newRef(a[0]!);
      });
    }
    // longrange_iterator's hint is an int of any size (len − index).
    vm.types.longrange_iterator!.methods.set("__length_hint__", (a) => {
      if (a.length !== 1)
        vm.raise(
          "TypeError",
          `longrange_iterator.__length_hint__() takes no arguments (${a.length - 1} given)`,
        );
      return py.int(rangeValuesLeft(vm, a[0]!));
    });
    const wrapper = def(
      "method-wrapper",
      "other",
      object,
      [this.#native.methodWrapper!.id],
      this.#native.methodWrapper,
    );
    // wrapper_call: the descriptor's function with the object first.
    wrapper.methods.set("__call__", (a, kw) => {
      const w = a[0]!;
      const descr = py.getRef(w, MethodWrapper.descr);
      return vm.call(descr, [py.getRef(w, MethodWrapper.self), ...a.slice(1)], kw);
    });
    for (const name of ["property", "staticmethod", "classmethod"] as const)
      def(name, name, object, [this.#native[name]!.id], this.#native[name]);
    const iterators = {
      dict_keys: n.dictKeyIter,
      dict_values: n.dictValueIter,
      dict_items: n.dictItemIter,
    } as const;
    for (const [name, iterType] of Object.entries(iterators)) {
      const view = def(name, "other", object, [this.#native[name]!.id], this.#native[name]);
      view.methods.set("__iter__", (a) => {
        const d = py.getRef(a[0]!, 16);
        const it = py.allocate(iterType);
        py.setRef(it, DictIter.dict, d);
        py.memory.u32[(it + DictIter.used) >>> 2] = py.len(d);
        py.memory.u32[(it + DictIter.len) >>> 2] = py.len(d);
        // dictiter_new: an item iterator keeps a result tuple to hand out again.
        if (iterType === n.dictItemIter)
          py.takeRef(it, DictIter.result, py.tuple([py.none, py.none]));
        return it;
      });
      const reverse = `dict_reverse${name.slice(5, -1)}iterator`;
      view.methods.set("__reversed__", (a) => this.reverseDict(py.getRef(a[0]!, 16), reverse));
      view.methods.set("__len__", (a) => py.intFromSsize(py.len(py.getRef(a[0]!, 16))));
    }
    // A weak reference: the runtime's kind.
    const target = py.allocate(this.#native.type);
    const w = py.weakref(target);
    def("weakref.ReferenceType", "weakref", object, [vm.typeId(w)]);
    vm.types.weakref = vm.types["weakref.ReferenceType"]!;
    py.decref(w);
    py.decref(target);
    // The exception classes.
    const families = new Map<string, ExceptionFamily | undefined>();
    for (const [name, base] of exceptionTree) {
      const family = builtinFamily(name, base ? families.get(base) : undefined);
      families.set(name, family);
      const native = py.defineType(exceptionSpec(name, family));
      def(name, "exception", base ? vm.types[base]! : object, [native.id], native);
    }
    {
      // ExceptionGroup (create_exception_group_class): BaseExceptionGroup and Exception, as
      // PyErr_NewException makes it: a heap type, so each instance holds its class (visited
      // first), with a `__weakref__` slot after the group's fields.
      const group = vm.types.BaseExceptionGroup!;
      const exception = vm.types.Exception!;
      const family = families.get("BaseExceptionGroup");
      const mro = [group, exception, vm.types.BaseException!, object];
      const t = def("ExceptionGroup", "exception", group, [], undefined, [group, exception], mro);
      const native = py.defineType(
        exceptionSpec("ExceptionGroup", family, undefined, t.object, {
          basicSize: familyBasicSize(family) + 8,
          weakrefable: true,
          slots: [],
        }),
      );
      t.native = native;
      vm.registerType(t, native.id);
    }
    this.ellipsis = vm.keep(py.allocate(this.#native.ellipsis));
    this.notImplemented = vm.keep(py.allocate(this.#native.notImplemented));
    // The builtins module.
    this.module = vm.keep(this.newModule("builtins"));
    this.dict = py.getRef(this.module, ModuleObj.dict);
    this.modules.set("builtins", this.module);
    for (const t of Object.values(vm.types)) {
      if (!t.name.includes(".") && !t.name.includes("_iterator") && t.kind !== "iterator")
        this.setStr(this.dict, t.name, t.object);
    }
    for (const name of ["enumerate", "zip", "map", "filter", "reversed"])
      this.setStr(this.dict, name, vm.types[name]!.object);
    this.setStr(this.dict, "Ellipsis", this.ellipsis);
    this.setStr(this.dict, "NotImplemented", this.notImplemented);
    this.setStr(this.dict, "None", py.none);
    // OSError's old names.
    this.setStr(this.dict, "EnvironmentError", vm.types.OSError!.object);
    this.setStr(this.dict, "IOError", vm.types.OSError!.object);
    installFunctions(this);
    installExceptionGroups(this);
    // BaseException's own `__str__` and `__repr__`, which `super()` reaches from a subclass or
    // a mixin before the exception in the MRO.
    const baseException = vm.types.BaseException!;
    baseException.methods.set("__str__", (a) => py.str(this.#argsStr(a[0]!)));
    baseException.methods.set("__repr__", (a) => py.str(this.#builtinExceptionRepr(a[0]!)));
    // The classes with a `__str__` of their own (KeyError_str, OSError_str, SyntaxError_str,
    // ImportError_str).
    for (const name of ["KeyError", "OSError", "SyntaxError", "ImportError"])
      vm.types[name]!.methods.set("__str__", (a) => py.str(this.#builtinExceptionStr(a[0]!)));
    installGeneratorMethods(vm, this.generators);
    installBytes(this, this.bytesType);
    installMemoryview(this, this.bytesType, installBytearray(this, this.bytesType));
    installComplex(this, this.complexType, vm.types.complex!);
    this.bytesType.start();
    // Every built-in method checks its positional count first, with CPython's message, and
    // takes keyword arguments as CPython's argument parser does.
    for (const t of Object.values(vm.types))
      for (const [name, fn] of t.methods) {
        const checked = withTables(vm, `${t.name}.${name}`, fn, 1);
        if (checked !== fn) t.methods.set(name, checked);
      }
    // The built-in types' method descriptors exist from startup, as CPython's static types
    // make theirs when they are readied: looking one up never allocates.
    // The methods metaclasses and `__init_subclass__` reach through super() are made on first
    // use, so that the objects alive at startup, and with them the collector's first
    // thresholds, stay as they were before those methods existed.
    for (const t of Object.values(vm.types))
      for (const name of t.methods.keys())
        if (!LAZY_DESCRIPTORS.has(`${t.name}.${name}`)) this.#descriptor(t, name);
    this.installKeyProtocol();
    this.buildClass = py.dictGet(this.dict, py.constant("__build_class__"));
  }

  /**
   * A built-in type that a module defines (`collections.deque`): instances of `native`, named
   * `module.name` in its repr, with the methods and {@link PyType.slotHooks} the module gives it.
   */
  newNativeType(name: string, native: NativeType, module: string, slots?: NativeSlots): PyType {
    const vm: Host = this.vm;
    const t = new PyType(name, "other", vm.types.object!);
    t.native = native;
    t.module = module;
    t.slotHooks = slots;
    this.#typeObject(t);
    vm.registerType(t, native.id);
    return t;
  }

  /** Makes the heap type object of a built-in type and remembers it. */
  #typeObject(t: PyType): void {
    const py = this.#py;
    const o = this.vm.keep(py.allocate(this.#native.type!));
    // A built-in type is static data in CPython, never tracked by the collector.
    py.untrack(o);
    py.takeRef(o, TypeObj.name, py.str(t.name));
    t.object = o;
    this.#byObject.set(o, t);
  }

  /** `d[name] = value` with a str key (value borrowed; 0 means a new str of `text`). */
  setStr(d: Ref, name: string, value: Ref, text?: string): void {
    const py = this.#py;
    if (value === 0) {
      const s = py.str(text ?? "");
      py.setItem(d, py.constant(name), s);
      py.decref(s);
      return;
    }
    py.setItem(d, py.constant(name), value);
  }

  /**
   * `fn` as CPython's built-in function `module.name` takes its arguments: the positional count
   * and the keywords checked first, with CPython's messages, when the tables written from
   * python3 list the function (`gc.collect(1, 2)`, `time.perf_counter(x=1)`), else `fn` itself.
   */
  moduleFunction(module: string, name: string, fn: BuiltinFn): BuiltinFn {
    return withTables(this.vm, `${module}.${name}`, fn, 0);
  }

  /**
   * A builtin function object (a new reference) calling `fn`: a method bound to `self`, or a
   * module's function when `module` is given (it holds the module as its `__self__` and the
   * module's name as its `__module__`, as PyCFunction_NewEx makes them, and is called without
   * them).
   */
  newBuiltin(name: string, fn: BuiltinFn, self: Ref = 0, module: Ref = 0): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    const id = vm.builtinFns.length;
    vm.builtinFns.push({ name, fn, self: self !== 0 });
    const o = py.allocate(vm.native.builtin);
    if (self) py.setRef(o, Builtin.self, self);
    else if (module) {
      py.setRef(o, Builtin.self, module);
      py.setRef(o, Builtin.module, py.getRef(module, ModuleObj.name));
    }
    py.memory.u32[(o + Builtin.id) >>> 2] = id;
    return o;
  }

  /**
   * A new module object (a new reference) whose dict starts with the five entries CPython's
   * module_init_dict gives every module: `__name__`, `__doc__`, `__package__`, `__loader__`
   * and `__spec__` (None where no import system fills them in).
   */
  newModule(name: string): Ref {
    const py = this.#py;
    const m = py.allocate(this.vm.native.module);
    const d = py.dict();
    py.takeRef(m, ModuleObj.dict, d);
    py.takeRef(m, ModuleObj.name, py.str(name));
    this.setStr(d, "__name__", 0, name);
    for (const key of ["__doc__", "__package__", "__loader__", "__spec__"]) {
      this.setStr(d, key, py.none);
    }
    return m;
  }

  /**
   * Leaves the free lists as python3 3.11's start-up leaves them when the program's first line
   * runs (`sys._debugmallocstats()` as a program's first statement, the same for `python3
   * FILE` and `python3 -c`): the objects its start-up made and dropped wait there, so a
   * program's first few tuples, lists, dicts and floats take no new block, and tracemalloc
   * does not see them. They are made here and dropped the same way: each kind's objects are
   * all alive at once, then released, which parks them (for an allocator without free lists,
   * frees them). Tuples are by length, 1 to 20 (`PyTuple_MAXSAVESIZE`). The slice cache holds
   * one slice too.
   */
  leaveStartupFreeLists(): void {
    const py = this.#py;
    const made: Ref[] = [];
    const drop = () => {
      for (const o of made) py.decref(o);
      made.length = 0;
    };
    STARTUP_FREE_TUPLES.forEach((count, i) => {
      const items = new Array<Ref>(i + 1).fill(py.none);
      for (let n = 0; n < count; n++) made.push(py.tuple(items));
    });
    drop();
    for (let n = 0; n < STARTUP_FREE_LISTS; n++) made.push(py.list([]));
    drop();
    for (let n = 0; n < STARTUP_FREE_DICTS; n++) made.push(py.dict());
    drop();
    for (let n = 0; n < STARTUP_FREE_FLOATS; n++) made.push(py.float(n + 0.5));
    drop();
    // And the last slice its code made (`slice_cache`): a program's first slice takes it.
    const s = py.allocate(this.vm.native.slice);
    for (const at of [SliceObj.start, SliceObj.stop, SliceObj.step]) py.setRef(s, at, py.none);
    py.decref(s);
  }

  /**
   * The `__main__` module of a program run from `filename` (a new reference), its dict holding
   * what python3's holds when the program starts: the five entries of every module, then
   * `__annotations__` (an empty dict, added by pylifecycle's add_main_module) and
   * `__builtins__`, then for a file (not for `-c`, whose filename is `<string>`) `__file__`
   * and `__cached__`. The count matters to memory: a program's first global names go into a
   * dict that already holds these nine, so its keys table grows at the same store as python3's.
   * `__loader__` is None where CPython has an importer object.
   */
  newMainModule(filename: string): Ref {
    const py = this.#py;
    const m = this.newModule("__main__");
    this.#mainModule = m;
    const d = py.getRef(m, ModuleObj.dict);
    const annotations = py.dict();
    this.setStr(d, "__annotations__", annotations);
    py.decref(annotations);
    this.setStr(d, "__builtins__", this.module);
    if (filename !== "<string>") {
      this.setStr(d, "__file__", 0, filename);
      this.setStr(d, "__cached__", py.none);
    }
    return m;
  }

  /** The PyType of a type object. @throws TypeError when it is not one */
  typeFromObject(o: Ref): PyType {
    const t = this.#byObject.get(o);
    if (!t) this.vm.raise("TypeError", `'${this.vm.typeOf(o).name}' object is not a type`);
    return t;
  }

  isType(o: Ref): boolean {
    return this.#byObject.has(o);
  }

  // ------------------------------------------------------------------ output

  /** Writes program output (buffered by line, as a pipe is by block: order is what matters). */
  write(text: string): void {
    this.#out += text;
    if (this.#out.length > 8192) this.flush();
  }

  flush(): void {
    if (this.#out) {
      this.vm.io.stdout(this.#out);
      this.#out = "";
    }
  }

  // ------------------------------------------------------------------ attributes

  /**
   * `name` in the namespaces of `t`'s MRO (borrowed), or 0. What a lookup found is kept on `t`
   * and given again while every dict it looked in keeps its version tag (any change to a class
   * namespace gives it a new one) and no built-in class it passed has gained a method.
   */
  /**
   * What a subclass of list, dict or set defines for `name` itself (in its class statements,
   * not the built-in base's), borrowed, or 0: the slot CPython's `type_new` fills from a
   * special method the class defines, which the built-in operations then call.
   */
  override(t: PyType, name: string): Ref {
    return t.subtype ? this.heapSlot(t, name) : 0;
  }

  /**
   * Whether class attribute `d`, an instance of a class a class statement made, is a data
   * descriptor: its class defines `__set__` or `__delete__`, or derives from property.
   */
  heapDataDescriptor(d: Ref): boolean {
    const dt = this.vm.typeOf(d);
    if (!dt.heap || dt.kind === "type") return false;
    return (
      dt.kind === "property" ||
      this.heapSlot(dt, "__set__") !== 0 ||
      this.heapSlot(dt, "__delete__") !== 0
    );
  }

  /**
   * `name` in the namespaces of the classes of `t`'s MRO before its first built-in class
   * (the subclasses, and mixins listed before the built-in base), borrowed, or 0: what a
   * class statement defines over the built-in's own slot.
   */
  heapSlot(t: PyType, name: string): Ref {
    const py = this.#py;
    for (const c of t.mro) {
      if (!c.heap) return 0;
      const v = py.dictGet(c.dict, py.constant(name));
      if (v) return v;
    }
    return 0;
  }

  /**
   * The kind the built-in operations treat `t`'s instances as: "instance" (the special-method
   * path) for a subclass of list, dict or set that defines one of `names`, else its kind
   * (always, with `base`: the built-in's own slot, which `super()` and `list.__len__` reach).
   */
  #slotKind(t: PyType, base: boolean, ...names: string[]): TypeKind {
    if (t.subtype && !base) for (const n of names) if (this.override(t, n)) return "instance";
    return t.kind;
  }

  lookupType(t: PyType, name: string): Ref {
    const kept = t.lookups.get(name);
    if (kept !== undefined && this.#stillHolds(kept)) return kept.value;
    const py = this.#py;
    const key = py.constant(name);
    const classes: PyType[] = [];
    const dicts: Ref[] = [];
    const stamps: number[] = [];
    let value = 0;
    for (const c of t.mro) {
      classes.push(c);
      dicts.push(c.dict);
      if (c.dict) {
        const version = dictVersion(py.memory.u32, c.dict);
        const v = py.dictGet(c.dict, key);
        // A key's __eq__ run by the lookup may have changed the dict: then nothing is kept.
        stamps.push(dictVersion(py.memory.u32, c.dict) === version ? version : -1);
        if (v) {
          value = v;
          break;
        }
      } else {
        stamps.push(c.methods.size);
        if (c.methods.has(name)) {
          value = this.#descriptor(c, name);
          break;
        }
      }
    }
    if (!stamps.includes(-1)) t.lookups.set(name, { value, classes, dicts, stamps });
    return value;
  }

  /**
   * Whether a lookup {@link Builtins.lookupType} kept (`t.lookups`) would find the same thing
   * again: what an inline cache made from it checks (see `AttrCache`).
   */
  lookupHolds(kept: TypeLookup): boolean {
    return this.#stillHolds(kept);
  }

  /** Whether a kept lookup would find the same thing again. */
  #stillHolds(kept: TypeLookup): boolean {
    const u32 = this.#py.memory.u32;
    const { classes, dicts, stamps } = kept;
    for (let i = 0; i < classes.length; i++) {
      const c = classes[i]!;
      const d = dicts[i]!;
      if (c.dict !== d) return false;
      if (d ? dictVersion(u32, d) !== stamps[i] : c.methods.size !== stamps[i]) return false;
    }
    return true;
  }

  /**
   * The unbound builtin method `t.name` (borrowed; made once and kept). Made untraced: CPython's
   * static types hold theirs before any program runs.
   */
  #descriptor(t: PyType, name: string): Ref {
    const d = t.descriptors.get(name);
    if (d !== undefined) return d;
    return this.#py.tracemalloc.untraced(() => this.#makeDescriptor(t, name));
  }

  #makeDescriptor(t: PyType, name: string): Ref {
    let d: Ref;
    const vm: Host = this.vm;
    const py = this.#py;
    const fn = t.methods.get(name)!;
    const binding = BUILTIN_BINDINGS.get(`${t.name}.${name}`);
    const slot = SLOT_NAMES.has(name) && !METHOD_NOT_SLOT[t.name]?.includes(name);
    if (name === "__new__") {
      // tp_new_wrapper: a builtin bound to the type, taking the class to make first.
      d = vm.keep(
        this.newBuiltin(name, (args, kwargs) => this.#newWrapper(t, args, kwargs), t.object),
      );
    } else if (binding === "static") {
      // A static method is a plain builtin function (CPython's class dict holds it wrapped
      // in a staticmethod).
      d = vm.keep(this.newBuiltin(name, fn));
    } else {
      const native =
        binding === "class"
          ? vm.native.classmethodDescriptor
          : slot
            ? vm.native.wrapperDescriptor
            : vm.native.methodDescriptor;
      const id = vm.builtinFns.length;
      vm.builtinFns.push({
        name,
        // A slot wrapper checks its count of arguments first, as `check_num_args` does.
        fn: slot
          ? checkedSlot(
              name,
              fn,
              (m) => vm.raise("TypeError", m),
              SEQUENCE_KINDS.has(t.kind) || t.name === "bytearray",
            )
          : fn,
        self: false,
        owner: t,
        descr: slot ? "slot wrapper" : "method",
      });
      d = vm.keep(py.allocate(native));
      py.setRef(d, Descriptor.type, t.object);
      py.memory.u32[(d + Builtin.id) >>> 2] = id;
    }
    t.descriptors.set(name, d);
    if (slot) this.#slotWrappers.add(d);
    if (binding) this.#builtinBinding.set(d, binding);
    return d;
  }

  /**
   * What built-in type `c`'s own dict holds under `name` in CPython (borrowed): the
   * descriptor of its own method, one of the generic slot wrappers and methods, None (a
   * `__hash__` the type removes), or 0 when `c` holds nothing there, or nothing made here.
   */
  #builtinEntry(c: PyType, name: string): Ref {
    if (c.heap) return 0;
    if (c.methods.has(name)) return this.#descriptor(c, name);
    const kind = typeSlots(c.name)?.get(name);
    if (kind === undefined) return 0;
    if (kind === "n") return this.#py.none;
    const made = c.descriptors.get(name);
    if (made !== undefined) return made;
    if (kind === "g" || kind === "d") {
      // A getset or member of the type's C struct (`int.real`, `BaseException.args`): a
      // descriptor that names it, reading the attribute as the instance's own lookup does.
      const py = this.#py;
      const d = this.vm.keep(
        py.tracemalloc.untraced(() =>
          py.allocate(this.#native[kind === "g" ? "getset_descriptor" : "member_descriptor"]!),
        ),
      );
      py.setRef(d, Descr.type, c.object);
      this.#descriptorNames.set(d, name);
      c.descriptors.set(name, d);
      return d;
    }
    const fn = this.#generic.make(c, name, kind);
    if (fn === undefined) return 0;
    return this.#py.tracemalloc.untraced(() => this.#genericDescriptor(c, name, kind, fn));
  }

  /** A descriptor of kind `kind` for `c`'s generic special method `fn` (kept by `c`). */
  #genericDescriptor(c: PyType, name: string, kind: SlotKind, fn: BuiltinFn): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    const native =
      kind === "c"
        ? vm.native.classmethodDescriptor
        : kind === "w"
          ? vm.native.wrapperDescriptor
          : vm.native.methodDescriptor;
    // A method's keyword rules, as CPython's argument parsers apply them.
    const keywords = kind === "w" ? undefined : METHOD_KEYWORDS[`${c.name}.${name}`];
    const id = vm.builtinFns.length;
    vm.builtinFns.push({
      name,
      fn: keywords ? withKeywords(vm, keywords, fn, 1) : fn,
      self: false,
      owner: c,
      descr: kind === "w" ? "slot wrapper" : "method",
    });
    const d = vm.keep(py.allocate(native));
    py.setRef(d, Descriptor.type, c.object);
    py.memory.u32[(d + Builtin.id) >>> 2] = id;
    c.descriptors.set(name, d);
    if (kind === "w") this.#slotWrappers.add(d);
    if (kind === "c") this.#builtinBinding.set(d, "class");
    return d;
  }

  /**
   * What attribute lookup on `t` finds for `name` past what {@link Builtins.lookupType}
   * finds (borrowed, or 0): the first built-in class of its MRO whose CPython dict holds
   * the name, with that class's generic slot wrapper or method (see slot-wrappers.ts).
   */
  #slotFallback(t: PyType, name: string): Ref {
    // The first built-in class whose dict holds the name answers, or nothing does.
    for (const c of t.mro)
      if (!c.heap && (c.methods.has(name) || typeSlots(c.name)?.has(name)))
        return this.#builtinEntry(c, name);
    const object = this.vm.types.object!;
    return t.mro.includes(object) ? 0 : this.#builtinEntry(object, name);
  }

  /**
   * {@link Builtins.lookupType} for attribute access: a special method that a built-in class
   * of the MRO holds in CPython's dict before the class whose method the lookup found (a
   * base's, `object.__hash__` for `frozenset.__hash__`) is that class's slot wrapper.
   */
  #classLookup(t: PyType, name: string): Ref {
    const found = this.lookupType(t, name);
    if (!found || name.charCodeAt(0) !== 95 || name.charCodeAt(1) !== 95) return found;
    const py = this.#py;
    for (const c of t.mro) {
      if (c.heap) {
        if (c.dict && py.dictGet(c.dict, py.constant(name))) return found;
        continue;
      }
      if (c.methods.has(name)) return found;
      if (typeSlots(c.name)?.has(name)) {
        // Its own (None for a `__hash__` it removes), or, when nothing is made here for it,
        // what the lookup found.
        return this.#builtinEntry(c, name) || found;
      }
    }
    return found;
  }

  /**
   * Whether `t` inherits `__hash__ = None` from a built-in class (list, dict, set,
   * bytearray…: unhashable) before any class that defines `__hash__`.
   */
  #hashRemoved(t: PyType): boolean {
    const py = this.#py;
    for (const c of t.mro) {
      if (c.heap) {
        if (c.dict && py.dictGet(c.dict, py.constant("__hash__"))) return false;
        continue;
      }
      if (c.methods.has("__hash__")) return false;
      const kind = typeSlots(c.name)?.get("__hash__");
      if (kind !== undefined) return kind === "n";
    }
    return false;
  }

  /**
   * `T.__dict__` of a built-in type `t` (a new reference): a mappingproxy of the dict made
   * at its first read with the methods and slot wrappers CPython's type dict holds.
   */
  #builtinTypeDict(t: PyType): Ref {
    let d = this.#typeDicts.get(t);
    if (d === undefined) {
      const py = this.#py;
      // Untraced, as CPython's static type dicts are made before the program runs.
      d = py.tracemalloc.untraced(() => {
        const made = this.vm.keep(py.dict());
        const names = typeSlots(t.name);
        for (const name of names ? names.keys() : t.methods.keys()) {
          const v = this.#builtinEntry(t, name);
          if (v) py.dictSet(made, py.constant(name), v);
        }
        return made;
      });
      this.#typeDicts.set(t, d);
    }
    return this.#mappingProxy(d);
  }

  /**
   * What a call of a built-in type's method descriptor checks before the method runs, as
   * 3.11's `method_check_args` and `wrapperdescr_call` do: there is a first argument (`count`
   * of them, the first `first`), and it is an instance of the descriptor's type.
   * @throws TypeError with CPython's message otherwise
   */
  checkDescriptorCall(entry: BuiltinEntry, count: number, first: Ref): void {
    const owner = entry.owner;
    if (owner === undefined) return;
    const vm: Host = this.vm;
    const wrapper = entry.descr === "slot wrapper";
    if (count < 1) {
      vm.raise(
        "TypeError",
        wrapper
          ? `descriptor '${entry.name}' of '${owner.name}' object needs an argument`
          : `unbound method ${owner.name}.${entry.name}() needs an argument`,
      );
    }
    const t = vm.typeOf(first);
    if (t === owner || t.isSubtype(owner)) return;
    vm.raise(
      "TypeError",
      wrapper
        ? `descriptor '${entry.name}' requires a '${owner.name}' object but received a '${t.name}'`
        : `descriptor '${entry.name}' for '${owner.name}' objects doesn't apply to a '${t.name}' object`,
    );
  }

  /**
   * `T.__new__(cls, *args)` of a built-in type `T` (`args[0]` is T's type object): CPython's
   * tp_new_wrapper checks that `cls` is a type deriving from T whose nearest built-in
   * constructor is T's, then makes the object as T's `tp_new` makes it for `cls`.
   */
  #newWrapper(t: PyType, args: readonly Ref[], kwargs: ReadonlyMap<string, Ref> | null): Ref {
    const vm: Host = this.vm;
    const clsObj = args[1];
    if (clsObj === undefined) vm.raise("TypeError", `${t.name}.__new__(): not enough arguments`);
    if (!this.isType(clsObj))
      vm.raise(
        "TypeError",
        `${t.name}.__new__(X): X is not a type object (${vm.typeOf(clsObj).name})`,
      );
    const cls = this.typeFromObject(clsObj);
    if (!cls.isSubtype(t))
      vm.raise(
        "TypeError",
        `${t.name}.__new__(${cls.name}): ${cls.name} is not a subtype of ${t.name}`,
      );
    // The nearest class whose `tp_new` is not a Python `__new__` (slot_tp_new) must make its
    // objects with T's constructor.
    let staticBase = cls;
    while (
      staticBase.heap &&
      staticBase.base &&
      this.#isPythonNew(this.lookupType(staticBase, "__new__"))
    )
      staticBase = staticBase.base;
    if (this.#staticNew(staticBase) !== t)
      vm.raise(
        "TypeError",
        `${t.name}.__new__(${cls.name}) is not safe, use ${staticBase.name}.__new__()`,
      );
    const rest = args.slice(2);
    if (t === vm.types.type) return this.newClass(cls, rest, kwargs);
    if (!cls.heap) {
      // list, dict and set fill their objects in `__init__`: `__new__` makes them empty.
      if (cls.kind === "list" || cls.kind === "dict" || cls.kind === "set")
        return t.methods.get("__new__")!([], null);
      return this.callType(cls, rest, kwargs);
    }
    if (cls.subtype && VALUE_BASES.has(cls.kind)) return this.#subtypeNew(cls, rest, kwargs);
    return this.#makeInstance(cls, rest, kwargs);
  }

  /**
   * `long_subtype_new` and its kin: an instance of `t`, a subclass of int, float, str or tuple,
   * made from what the base's constructor makes of `args` (a new reference).
   */
  #subtypeNew(t: PyType, args: readonly Ref[], kwargs: ReadonlyMap<string, Ref> | null): Ref {
    const py = this.#py;
    const tmp = this.vm.types[t.kind]!.methods.get("__new__")!(args, kwargs);
    try {
      return this.#subtypeFrom(t, tmp);
    } finally {
      py.decref(tmp);
    }
  }

  /** Whether `v`, what a class's MRO has for `__new__`, is one written in Python. */
  #isPythonNew(v: Ref): boolean {
    return v !== 0 && this.vm.kindOf(v) === "staticmethod";
  }

  /** The built-in type whose `tp_new` class `t` inherits (`object`'s when none other). */
  #staticNew(t: PyType): PyType {
    for (const c of t.mro) if (!c.heap && c.methods.has("__new__")) return c;
    return this.vm.types.object!;
  }

  /**
   * A new instance of `t`, a subclass of a built-in type with a runtime subtype, as its base's
   * `tp_new` makes it: empty, or for a base a module defines that fills its objects in its
   * constructor (array_new), filled from the arguments.
   */
  #subtypeInstance(t: PyType, args: readonly Ref[], kwargs: ReadonlyMap<string, Ref> | null): Ref {
    const py = this.#py;
    const subtype = t.subtype!;
    const fill = t.nativeRoot?.slotHooks?.newSubclass;
    if (fill) return fill(() => py.subtypeInstance(subtype), args, kwargs);
    return py.subtypeInstance(subtype);
  }

  /**
   * What the `tp_new` class `t` inherits makes of it, with no `__init__` run (`object.__new__(C)`,
   * `ref.__new__(KeyedRef, o, callback)`, `BaseException.__new__(E, *args)`,
   * `list.__new__(L)`), a new reference. Subclasses of int, float, str and tuple are
   * `#subtypeNew`'s.
   * @throws TypeError for arguments that constructor refuses
   */
  #makeInstance(t: PyType, args: readonly Ref[], kwargs: ReadonlyMap<string, Ref> | null): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    if (t.kind === "exception") {
      // BaseException_new: the arguments become `args` (BaseExceptionGroup_new's checks first).
      const group = t.isSubtype(vm.types.BaseExceptionGroup!) ? groupNew(this, t, args) : null;
      const exc = py.allocate((group ? group.cls : t).native!);
      py.takeRef(exc, Exc.args, py.tuple(args));
      if (group) fillGroup(this, exc, args[0]!, group.excs);
      return exc;
    }
    if (t.kind === "weakref" && t.subtype) {
      // weakref___new__: (object, callback=None), always a new reference for a subclass.
      if (kwargs && kwargs.size > 0) vm.raise("TypeError", "ref() takes no keyword arguments");
      if (args.length < 1 || args.length > 2)
        vm.raise(
          "TypeError",
          args.length < 1
            ? `__new__ expected at least 1 argument, got ${args.length}`
            : `__new__ expected at most 2 arguments, got ${args.length}`,
        );
      const callback = args[1] && args[1] !== py.none ? args[1] : 0;
      const w = py.weakref(
        args[0]!,
        callback ? (wr) => runWeakrefCallback(this, callback, wr) : undefined,
        t.subtype,
      );
      if (callback) py.incref(callback);
      return w;
    }
    if (t.subtype) return this.#subtypeInstance(t, args, kwargs);
    if (t.kind === "instance") {
      if (this.abstractClasses.size > 0) this.#refuseAbstract(t);
      // object_new: extra arguments only when the class replaces __new__ or __init__.
      if (args.length > 0 || (kwargs && kwargs.size > 0)) {
        if (this.lookupType(t, "__new__") !== this.#descriptor(vm.types.object!, "__new__"))
          vm.raise(
            "TypeError",
            "object.__new__() takes exactly one argument (the type to instantiate)",
          );
        if (this.lookupType(t, "__init__") === this.#descriptor(vm.types.object!, "__init__"))
          vm.raise("TypeError", `${t.name}() takes no arguments`);
      }
      return t.slots ? py.allocate(t.native!) : py.instance(t.cls!);
    }
    return vm.raise("TypeError", `cannot create '${t.name}' instances`);
  }

  /**
   * The built-in types' class and static methods, by their descriptor: a class method gets the
   * class as its first argument however it is reached, a static method no first argument.
   */
  readonly #builtinBinding = new Map<Ref, "class" | "static">();

  /** Whether builtin `o` (of the builtin kind) has no `self`: a function or a descriptor. */
  #unboundBuiltin(o: Ref): boolean {
    return !this.vm.builtinFns[this.#py.memory.u32[(o + Builtin.id) >>> 2]!]!.self;
  }

  /** A bound method of `func` to `self` (a new reference). */
  bind(func: Ref, self: Ref): Ref {
    const py = this.#py;
    const kind = this.vm.kindOf(func);
    if (kind === "function") {
      const m = py.allocate(this.vm.native.method);
      py.setRef(m, Method.func, func);
      py.setRef(m, Method.self, self);
      return m;
    }
    if (kind === "builtin" && this.#unboundBuiltin(func)) {
      if (this.#slotWrappers.has(func)) {
        // wrapperobject: the descriptor and the object, 32 bytes and the GC head.
        const w = py.allocate(this.#native.methodWrapper!);
        py.setRef(w, MethodWrapper.descr, func);
        py.setRef(w, MethodWrapper.self, self);
        return w;
      }
      const id = py.memory.u32[(func + Builtin.id) >>> 2]!;
      const b = this.vm.builtinFns[id]!;
      return this.newBuiltin(b.name, b.fn, self);
    }
    return py.newRef(func);
  }

  /**
   * LOAD_METHOD's lookup: a function of `o`'s class that takes `o` as its first argument (a new
   * reference), or 0 when `o.name` must be looked up as an attribute.
   */
  lookupMethod(o: Ref, name: string): Ref {
    const vm: Host = this.vm;
    const t = vm.typeOf(o);
    if (t.kind === "type" || t.kind === "module" || t.kind === "super") return 0;
    if (t.getattro) return 0;
    if (t.kind === "instance" || t.kind === "exception" || t.subtype) {
      if (this.#instanceAttr(o, t, name)) return 0;
    }
    const v = this.#classLookup(t, name);
    if (!v || this.#builtinBinding.has(v)) return 0;
    const kind = vm.kindOf(v);
    if (kind === "property") return 0;
    if (kind === "function" || (kind === "builtin" && this.#unboundBuiltin(v))) {
      this.#py.incref(v);
      return v;
    }
    return 0;
  }

  /** The offset of `__slots__` member `name` in an exception class's instances, or -1. */
  #exceptionSlot(t: PyType, name: string): number {
    if (!t.slots || t.slots.length === 0) return -1;
    const i = t.slots.indexOf(name);
    return i < 0 ? -1 : t.slotOffsets![i]!;
  }

  /** An attribute in an instance's own storage (borrowed), or 0. */
  #instanceAttr(o: Ref, t: PyType, name: string): Ref {
    const py = this.#py;
    if (t.kind === "instance") {
      if (t.slots) {
        const i = t.slots.indexOf(name);
        return i < 0 ? 0 : py.memory.u32[(o + 16 + 8 * i) >>> 2]!;
      }
      const field = t.fields ? t.fields.indexOf(name) : -1;
      if (field >= 0) return py.slotField(o, field);
      return py.attr(o, name);
    }
    if (t.kind === "exception") {
      const slot = this.#exceptionSlot(t, name);
      if (slot >= 0) return py.memory.u32[(o + slot) >>> 2]!;
      const d = py.memory.u32[(o + Exc.dict) >>> 2]!;
      return d ? py.dictGet(d, py.constant(name)) : 0;
    }
    if (t.subtype) {
      const i = t.slots!.indexOf(name);
      if (i >= 0) return py.slotField(o, i);
      // A read makes no dict (`_PyObject_GenericGetAttrWithDict`).
      const d = py.subtypeDict(o, false);
      return d ? py.dictGet(d, py.constant(name)) : 0;
    }
    return 0;
  }

  /**
   * `o.name` (a new reference). @throws AttributeError, whose `name` and `obj` are set to the
   * attribute and `o` (whatever raised it), as `PyObject_GetAttr` does in CPython 3.11
   */
  getAttr(o: Ref, name: string): Ref {
    try {
      return this.#getAttr(o, name);
    } catch (error) {
      if (!(error instanceof Raised)) throw error;
      const hook = this.#getattrHook(o, error.exc);
      if (!hook) {
        this.#attributeErrorContext(error.exc, o, name);
        throw error;
      }
      // slot_tp_getattr_hook: the class's __getattr__ answers what the ordinary lookup did not.
      this.#py.decref(error.exc);
      try {
        return this.vm.call(hook, [o, this.#py.constant(name)]);
      } catch (hookError) {
        if (hookError instanceof Raised) this.#attributeErrorContext(hookError.exc, o, name);
        throw hookError;
      }
    }
  }

  /** The `__getattr__` of `o`'s class (borrowed) when `exc` is an AttributeError, else 0. */
  #getattrHook(o: Ref, exc: Ref): Ref {
    const vm: Host = this.vm;
    const t = vm.typeOf(o);
    if (!t.heap || !vm.typeOf(exc).isSubtype(vm.types.AttributeError!)) return 0;
    return this.lookupType(t, "__getattr__");
  }

  /** Stores `name` and `obj` in an AttributeError (`set_attribute_error_context`). */
  #attributeErrorContext(exc: Ref, o: Ref, name: string): void {
    const vm: Host = this.vm;
    if (!vm.typeOf(exc).isSubtype(vm.types.AttributeError!)) return;
    const py = this.#py;
    const family = familyOf(this.vm.typeOf(exc));
    const nameAt = memberOffset(family, "name");
    const objAt = memberOffset(family, "obj");
    // An exception some inner lookup augmented already keeps what it says.
    if (py.getRef(exc, nameAt) || py.getRef(exc, objAt)) return;
    py.setRef(exc, nameAt, py.constant(name));
    py.setRef(exc, objAt, o);
  }

  #getAttr(o: Ref, name: string, hooked = true): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    const t = vm.typeOf(o);
    if (hooked && t.getattro) return t.getattro(o, name);
    const data = t.slotHooks?.getattr?.(o, name);
    if (data) return data;
    if (name === "__class__") return py.newRef(t.object);
    switch (t.kind) {
      case "type":
        return t.heap ? this.#metaAttr(o, t, name) : this.#typeAttr(this.typeFromObject(o), name);
      case "module": {
        if (name === "garbage" && this.onGcGarbageRead && o === this.modules.get("gc"))
          return py.newRef(this.onGcGarbageRead());
        // module_members' read-only `__dict__` comes before the module's own names.
        if (name === "__dict__") return py.newRef(py.getRef(o, ModuleObj.dict));
        const v = py.dictGet(py.getRef(o, ModuleObj.dict), py.constant(name));
        if (v) return py.newRef(v);
        const made = this.moduleAttrHooks.get(o)?.(name);
        if (made) return made;
        const modName = py.strValue(py.getRef(o, ModuleObj.name));
        return vm.raise("AttributeError", `module '${modName}' has no attribute '${name}'`);
      }
      case "function": {
        const v = this.#functionAttr(o, name);
        if (v) return v;
        break;
      }
      case "exception":
        if (name === "args") return py.newRef(py.getRef(o, Exc.args));
        if (name === "__traceback__") return py.newRef(py.getRef(o, Exc.traceback) || py.none);
        if (name === "__context__") return py.newRef(py.getRef(o, Exc.context) || py.none);
        if (name === "__cause__") return py.newRef(py.getRef(o, Exc.cause) || py.none);
        if (name === "__suppress_context__")
          return py.bool(py.memory.u8[o + Exc.suppressContext] !== 0);
        if (name === "__dict__") return py.newRef(this.#ownDict(o, Exc.dict));
        {
          // The family's members: an empty field reads as None.
          const at = memberOffset(familyOf(t), name);
          if (at >= 0) return py.newRef(py.getRef(o, at) || py.none);
        }
        break;
      case "super":
        return this.#superAttr(o, name);
      case "builtin": {
        const b = vm.builtinFns[py.memory.u32[(o + Builtin.id) >>> 2]!]!;
        const self = b.self ? py.getRef(o, Builtin.self) : 0;
        if (name === "__name__") return py.str(b.name);
        if (name === "__qualname__") {
          // meth_get__qualname__: the class's name first for a method (the class itself for
          // a class method), the bare name for a module's function.
          const owner =
            b.owner ??
            (self ? (this.isType(self) ? this.typeFromObject(self) : vm.typeOf(self)) : undefined);
          return py.str(owner ? `${owner.name}.${b.name}` : b.name);
        }
        if (name === "__objclass__" && b.owner) return py.newRef(b.owner.object);
        // A descriptor has neither; a function without a module has None for both.
        if (name === "__self__" && !b.owner)
          return py.newRef(py.getRef(o, Builtin.self) || py.none);
        if (name === "__module__" && !b.owner)
          return py.newRef(py.getRef(o, Builtin.module) || py.none);
        break;
      }
      case "generator": {
        const v = this.generators.attribute(o, name);
        if (v) return v;
        break;
      }
      case "frame": {
        const v = this.generators.frameAttribute(o, name);
        if (v) return v;
        break;
      }
      case "traceback":
        if (name === "tb_next") return py.newRef(py.getRef(o, Traceback.next) || py.none);
        if (name === "tb_frame") return py.newRef(py.getRef(o, Traceback.frame));
        if (name === "tb_lineno") return py.int(py.memory.u32[(o + Traceback.lineno) >>> 2]!);
        break;
      case "range":
        if (name === "start" || name === "stop" || name === "step")
          return py.newRef(py.getRef(o, Range[name]));
        break;
      case "slice":
        if (name === "start" || name === "stop" || name === "step")
          return py.newRef(py.getRef(o, SliceObj[name]));
        break;
      case "code": {
        const v = this.#codeAttr(o, name);
        if (v) return v;
        break;
      }
      case "cell":
        if (name === "cell_contents") {
          const c = py.getRef(o, Cell.contents);
          return c ? py.newRef(c) : vm.raise("ValueError", "Cell is empty");
        }
        break;
      case "method":
        if (name === "__self__") return py.newRef(py.getRef(o, Method.self));
        if (name === "__func__") return py.newRef(py.getRef(o, Method.func));
        break;
      case "int":
      case "bool":
        // int's getset (long_long_meth): an exact int is its own real part and numerator; a
        // bool's, or a subclass instance's, is a new exact int of its value.
        if (name === "real" || name === "numerator")
          return t === vm.types.int ? py.newRef(o) : py.int(vm.intOf(o));
        if (name === "imag") return py.int(0n);
        if (name === "denominator") return py.int(1n);
        break;
      case "float":
        // float_float: a subclass instance's real part is an exact float.
        if (name === "real")
          return t === vm.types.float ? py.newRef(o) : py.float(py.floatValue(o));
        if (name === "imag") return py.float(0);
        break;
      case "complex":
        if (name === "real") return py.float(this.complexType.value(o).real);
        if (name === "imag") return py.float(this.complexType.value(o).imag);
        break;
      default:
        if (t.native === this.#native.methodWrapper) {
          // wrapper_getsets: the object, and the slot's name qualified by its class.
          const descr = py.getRef(o, MethodWrapper.descr);
          const b = vm.builtinFns[py.memory.u32[(descr + Builtin.id) >>> 2]!]!;
          if (name === "__self__") return py.newRef(py.getRef(o, MethodWrapper.self));
          if (name === "__name__") return py.str(b.name);
          if (name === "__qualname__")
            return py.str(b.owner ? `${b.owner.name}.${b.name}` : b.name);
          if (name === "__objclass__" && b.owner) return py.newRef(b.owner.object);
        }
        break;
    }
    if (name === "__hash__" && this.#hashRemoved(t)) return py.newRef(py.none);
    const classAttr = this.#classLookup(t, name);
    if (classAttr && vm.typeOf(classAttr).heap && this.heapDataDescriptor(classAttr)) {
      // A data descriptor a class statement made (its class defines `__set__` or `__delete__`,
      // or derives from property) comes before the instance's dict: its `__get__`, or for one
      // without, the instance's attribute or else the descriptor itself.
      const get = this.heapSlot(vm.typeOf(classAttr), "__get__");
      if (get) return vm.call(get, [classAttr, o, t.object]);
      if (vm.kindOf(classAttr) !== "property") {
        const own = this.#instanceAttr(o, t, name);
        return py.newRef(own || classAttr);
      }
    }
    if (classAttr && vm.kindOf(classAttr) === "property") {
      const fget = py.getRef(classAttr, 16);
      if (!fget || fget === py.none)
        vm.raise("AttributeError", `property '${name}' of '${t.name}' object has no getter`);
      return vm.call(fget, [o]);
    }
    const own = this.#instanceAttr(o, t, name);
    if (own) return py.newRef(own);
    if (name === "__dict__" && t.kind === "instance" && !t.slots) return py.instanceDict(o);
    if (name === "__dict__" && t.subtype?.dict) return py.newRef(py.subtypeDict(o));
    const v = classAttr;
    if (v) {
      const kind = vm.kindOf(v);
      const binding = this.#builtinBinding.get(v);
      if (binding === "static") return py.newRef(v);
      if (binding === "class") return this.bind(v, t.object);
      if (kind === "function" || (kind === "builtin" && this.#unboundBuiltin(v)))
        return this.bind(v, o);
      if (kind === "other") {
        const value = this.#descriptorValue(v, o, t, name);
        if (value) return value;
      }
      // A subclass of classmethod or staticmethod whose class defines `__get__` binds by it.
      if (vm.typeOf(v).heap && this.heapSlot(vm.typeOf(v), "__get__"))
        return this.#instanceDescriptorGet(v, o, t.object);
      if (kind === "staticmethod") return py.newRef(py.getRef(v, 16));
      if (kind === "classmethod") return this.bind(py.getRef(v, 16), t.object);
      if (vm.typeOf(v).heap) return this.#instanceDescriptorGet(v, o, t.object);
      return py.newRef(v);
    }
    // A special method of a built-in class of the MRO that its own code does not define:
    // the slot's generic form (`[].__eq__`, `(1).__radd__`), bound as CPython binds it.
    const g = this.#slotFallback(t, name);
    if (g && (g === py.none || vm.kindOf(g) === "builtin")) {
      if (g === py.none) return py.newRef(g);
      if (this.#builtinBinding.get(g) === "class") return this.bind(g, t.object);
      return this.bind(g, o);
    }
    // method_getattro: what the method type lacks is the function's (`m.__wrapped__`, `m.tag`).
    if (t.kind === "method") return this.getAttr(py.getRef(o, Method.func), name);
    return vm.raise("AttributeError", `'${t.name}' object has no attribute '${name}'`);
  }

  /**
   * type_getattro for a class `o` of metaclass `meta` (a class statement's): a property of the
   * metaclass first, then the class's own attribute along its MRO, then the metaclass's, bound
   * to the class as a method binds to its instance.
   */
  #metaAttr(o: Ref, meta: PyType, name: string): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    const cls = this.typeFromObject(o);
    const v = this.#heapLookup(meta, name);
    if (!v) return this.#typeAttr(cls, name);
    const kind = vm.kindOf(v);
    if (kind === "property") {
      const fget = py.getRef(v, 16);
      if (!fget || fget === py.none)
        vm.raise("AttributeError", `property '${name}' of '${meta.name}' object has no getter`);
      return vm.call(fget, [o]);
    }
    if (this.lookupType(cls, name) || TYPE_DATA.has(name)) return this.#typeAttr(cls, name);
    if (kind === "function") return this.bind(v, o);
    if (kind === "classmethod") return this.bind(py.getRef(v, 16), meta.object);
    if (kind === "staticmethod") return py.newRef(py.getRef(v, 16));
    return py.newRef(v);
  }

  #typeAttr(t: PyType, name: string): Ref {
    const py = this.#py;
    switch (name) {
      case "__name__":
        return py.str(t.name.replace(/^weakref\./, ""));
      case "__qualname__":
        return t.heap && py.getRef(t.object, TypeObj.qualname)
          ? py.newRef(py.getRef(t.object, TypeObj.qualname))
          : py.str(t.qualname);
      case "__module__": {
        // A class's `__module__` is the one in its dict (type_module), which the program may
        // have assigned since the class statement.
        const dict = t.heap ? py.getRef(t.object, TypeObj.dict) : 0;
        const own = dict ? py.dictGet(dict, py.constant("__module__")) : 0;
        if (own) return py.newRef(own);
        return py.str(t.heap || t.module !== "__main__" ? t.module : "builtins");
      }
      case "__mro__": {
        if (t.heap && py.getRef(t.object, TypeObj.mro))
          return py.newRef(py.getRef(t.object, TypeObj.mro));
        const items = t.mro.map((c) => c.object);
        if (t.name !== "object") items.push(this.vm.types.object!.object);
        return py.tuple([...new Set(items)]);
      }
      case "__bases__":
        if (t.heap) return py.newRef(py.getRef(t.object, TypeObj.bases));
        return py.tuple(t.base ? [t.base.object] : []);
      case "__base__":
        return py.newRef(t.base ? t.base.object : py.none);
      case "__dict__":
        if (t.dict) return this.#mappingProxy(t.dict);
        if (!t.heap) return this.#builtinTypeDict(t);
        break;
      case "__hash__":
        if (this.#hashRemoved(t)) return py.newRef(py.none);
        break;
      default:
        break;
    }
    const v = this.#classLookup(t, name) || this.#typeOnlyFallback(t, name);
    if (v) {
      if (this.#builtinBinding.get(v) === "class") return this.bind(v, t.object);
      const kind = this.vm.kindOf(v);
      const vt = this.vm.typeOf(v);
      if (vt.heap && vt.kind !== "type" && this.heapSlot(vt, "__get__"))
        return this.#instanceDescriptorGet(v, py.none, t.object);
      if (kind === "staticmethod") return py.newRef(py.getRef(v, 16));
      if (kind === "classmethod") return this.bind(py.getRef(v, 16), t.object);
      if (this.vm.typeOf(v).heap) return this.#instanceDescriptorGet(v, py.none, t.object);
      return py.newRef(v);
    }
    const type = this.vm.types.type!;
    if (!t.isSubtype(type) && name !== "__subclasses__" && name !== "mro") {
      // A slot wrapper or method of the metaclass, bound to the class (`int.__or__` is
      // `type.__or__` bound to int).
      const m = this.#builtinEntry(type, name);
      if (m && m !== py.none && this.vm.kindOf(m) === "builtin") return this.bind(m, t.object);
    }
    if (name === "__subclasses__" || name === "mro") {
      const fn =
        name === "mro"
          ? // type.mro: a new list of the class's MRO each call.
            (c: PyType) => py.list(this.#mroObjects(c))
          : // type.__subclasses__: the class's live direct subclasses, the built-in ones
            // first, then those class statements made, oldest first (CPython's
            // tp_subclasses, in insertion order).
            (c: PyType) => {
              const subs: Ref[] = [];
              for (const [o, s] of this.#byObject) if (!s.heap && s.base === c) subs.push(o);
              for (const [o, s] of this.#byObject) if (s.heap && s.bases.includes(c)) subs.push(o);
              return py.list(subs);
            };
      // `type.__subclasses__` itself is a method of type, taking the class first; any other
      // class's is bound to that class.
      if (t === type) return py.newRef(this.#typeMethod(name, fn));
      return this.newBuiltin(name, () => fn(t), t.object);
    }
    return this.vm.raise("AttributeError", `type object '${t.name}' has no attribute '${name}'`);
  }

  /** The method descriptors of `type` made for {@link Builtins.#typeMethod}, by name. */
  readonly #typeMethods = new Map<string, Ref>();

  /**
   * `type.name` for a method of type's (`type.__subclasses__`, `type.mro`): a method
   * descriptor of `type` whose call takes the class first (borrowed; made once and kept).
   */
  #typeMethod(name: string, fn: (c: PyType) => Ref): Ref {
    let d = this.#typeMethods.get(name);
    if (d === undefined) {
      const vm: Host = this.vm;
      const py = this.#py;
      const type = vm.types.type!;
      const id = vm.builtinFns.length;
      vm.builtinFns.push({
        name,
        fn: (a) => {
          if (a.length > 1)
            vm.raise("TypeError", `${name}() takes no arguments (${a.length - 1} given)`);
          return fn(this.typeFromObject(a[0]!));
        },
        self: false,
        owner: type,
        descr: "method",
      });
      // Untraced: type's dict holds it before any program runs.
      d = vm.keep(py.tracemalloc.untraced(() => py.allocate(vm.native.methodDescriptor)));
      py.setRef(d, Descriptor.type, type.object);
      py.memory.u32[(d + Builtin.id) >>> 2] = id;
      this.#typeMethods.set(name, d);
    }
    return d;
  }

  /** The objects of class `c`'s MRO, `object` last. */
  #mroObjects(c: PyType): Ref[] {
    const items = c.mro.map((m) => m.object);
    const object = this.vm.types.object!.object;
    if (!items.includes(object)) items.push(object);
    return items;
  }

  /**
   * {@link Builtins.#slotFallback} for an attribute of class `t`, except for the names that
   * type's own methods answer below it.
   */
  #typeOnlyFallback(t: PyType, name: string): Ref {
    if (name === "__subclasses__" || name === "mro") return 0;
    return this.#slotFallback(t, name);
  }

  /**
   * A code object's `co_*` attributes: its fields, or (`co_varnames`, `co_cellvars`,
   * `co_freevars`) a new tuple of the interned names each time, as 3.11's getters build them
   * from the locals' kinds. 0 for another name.
   */
  #codeAttr(code: Ref, name: string): Ref {
    const py = this.#py;
    const unit = this.vm.codes.get(code)?.unit;
    if (!unit) return 0;
    const field = CODE_FIELDS[name];
    if (field !== undefined) return py.newRef(py.getRef(code, field));
    const names = (list: readonly string[]) => py.tuple(list.map((n) => py.constant(n)));
    switch (name) {
      case "co_varnames":
        return names(unit.varnames);
      case "co_cellvars":
        return names(unit.cellvars);
      case "co_freevars":
        return names(unit.freevars);
      case "co_argcount":
        return py.int(unit.argCount);
      case "co_posonlyargcount":
        return py.int(unit.posOnlyArgCount);
      case "co_kwonlyargcount":
        return py.int(unit.kwOnlyArgCount);
      case "co_nlocals":
        return py.int(unit.varnames.length);
      case "co_firstlineno":
        return py.int(unit.firstLine);
      case "co_flags":
        return py.int(unit.flags);
      default:
        return 0;
    }
  }

  /** A function's getset or member field, or its `__dict__` entry; 0 when it has neither. */
  #functionAttr(f: Ref, name: string): Ref {
    const py = this.#py;
    if (name === "__annotations__") return py.newRef(this.#annotations(f));
    const field: Record<string, number> = {
      __name__: Fn.name,
      __qualname__: Fn.qualname,
      __code__: Fn.code,
      __defaults__: Fn.defaults,
      __kwdefaults__: Fn.kwdefaults,
      __closure__: Fn.closure,
      __doc__: Fn.doc,
      __globals__: Fn.globals,
      __module__: Fn.module,
    };
    const at = field[name];
    if (at !== undefined) return py.newRef(py.getRef(f, at) || py.none);
    if (name === "__dict__") {
      return py.newRef(this.#ownDict(f, Fn.dict));
    }
    const d = py.getRef(f, Fn.dict);
    const v = d ? py.dictGet(d, py.constant(name)) : 0;
    // Not found: the function type's own attributes (`__call__`, `__get__`…) are next.
    return v ? py.newRef(v) : 0;
  }

  /** `o.name = value`. @throws AttributeError for objects without attribute storage */
  setAttr(o: Ref, name: string, value: Ref): void {
    const t = this.vm.typeOf(o);
    if (t.setattro) {
      t.setattro(o, name, value);
      return;
    }
    this.genericSetAttr(o, name, value);
  }

  /**
   * `PyObject_GenericSetAttr`: `o.name = value` past any `__setattr__` of its class (what
   * `object.__setattr__` does). @throws AttributeError for objects without attribute storage
   */
  genericSetAttr(o: Ref, name: string, value: Ref): void {
    const vm: Host = this.vm;
    const py = this.#py;
    const t = vm.typeOf(o);
    if (t.kind === "instance" || t.kind === "exception" || t.subtype) {
      const d = this.lookupType(t, name);
      // A descriptor whose class statement defines `__set__` (or a property subclass's).
      const set = d && vm.typeOf(d).heap ? this.heapSlot(vm.typeOf(d), "__set__") : 0;
      if (set) {
        py.decref(vm.call(set, [d, o, value]));
        return;
      }
      if (d && vm.kindOf(d) === "property") {
        const fset = py.getRef(d, 24);
        if (!fset || fset === py.none)
          vm.raise("AttributeError", `property '${name}' of '${t.name}' object has no setter`);
        py.decref(vm.call(fset, [o, value]));
        return;
      }
    }
    if (t.kind === "instance") {
      if (t.slots) {
        const i = t.slots.indexOf(name);
        if (i < 0) vm.raise("AttributeError", `'${t.name}' object has no attribute '${name}'`);
        py.setRef(o, 16 + 8 * i, value);
        return;
      }
      const field = t.fields ? t.fields.indexOf(name) : -1;
      if (field >= 0) py.setSlotField(o, field, value);
      else py.setAttr(o, name, value);
      return;
    }
    if (t.kind === "exception") {
      const slot = this.#exceptionSlot(t, name);
      if (slot >= 0) {
        py.setRef(o, slot, value);
        return;
      }
      if (!this.#setExceptionField(o, t, name, value))
        this.setStr(this.#ownDict(o, Exc.dict), name, value);
      return;
    }
    if (t.subtype) {
      const i = t.slots!.indexOf(name);
      if (i >= 0) py.setSlotField(o, i, value);
      else if (t.subtype.dict) this.setStr(py.subtypeDict(o), name, value);
      // The object's own dict (classmethod's cm_dict), as its base stores attributes.
      else if (t.nativeRoot?.setattro) t.nativeRoot.setattro(o, name, value);
      else vm.raise("AttributeError", `'${t.name}' object has no attribute '${name}'`);
      return;
    }
    if (t.kind === "type") {
      const target = this.typeFromObject(o);
      if (!target.dict)
        vm.raise("TypeError", `cannot set '${name}' attribute of immutable type '${target.name}'`);
      if (name === "__name__" || name === "__qualname__") {
        this.#setTypeName(target, name, value);
        return;
      }
      this.setStr(target.dict, name, value);
      if (name === "__getattribute__" || name === "__setattr__") this.#updateHooks(target);
      // type_set_abstractmethods: the value's truth sets or clears the abstract flag.
      if (name === "__abstractmethods__") {
        if (this.truth(value)) this.abstractClasses.add(target);
        else this.abstractClasses.delete(target);
      }
      return;
    }
    if (t.kind === "function") {
      if (!this.#setFunctionField(o, name, value))
        this.setStr(this.#ownDict(o, Fn.dict), name, value);
      return;
    }
    if (t.kind === "module") {
      if (name === "__dict__") vm.raise("AttributeError", "readonly attribute");
      this.setStr(py.getRef(o, ModuleObj.dict), name, value);
      return;
    }
    if (t.kind === "cell" && name === "cell_contents") {
      py.setRef(o, Cell.contents, value); // cell_set_contents
      return;
    }
    vm.raise("AttributeError", `'${t.name}' object has no attribute '${name}'`);
  }

  /**
   * type_set_name / type_set_qualname: a class's `__name__` or `__qualname__` takes a str
   * (its name one without NUL characters); reprs and messages read the new value.
   */
  #setTypeName(t: PyType, name: "__name__" | "__qualname__", value: Ref): void {
    const vm: Host = this.vm;
    const py = this.#py;
    if (vm.kindOf(value) !== "str")
      vm.raise(
        "TypeError",
        `can only assign string to ${t.name}.${name}, not '${vm.typeOf(value).name}'`,
      );
    const text = py.strValue(value);
    if (name === "__qualname__") {
      t.qualname = text;
      py.setRef(t.object, TypeObj.qualname, value);
      return;
    }
    if (text.includes("\0")) vm.raise("ValueError", "type name must not contain null characters");
    t.name = text;
    py.setRef(t.object, TypeObj.name, value);
  }

  /**
   * Sets one of a function's getset or member fields (`func_getsetlist`, `func_memberlist`)
   * with CPython's type checks; false for any other name, which goes to the function's dict.
   */
  #setFunctionField(f: Ref, name: string, value: Ref): boolean {
    const vm: Host = this.vm;
    const py = this.#py;
    const none = value === py.none;
    const must = (ok: boolean, what: string) => {
      if (!ok) vm.raise("TypeError", `${name} must be set to a ${what} object`);
    };
    switch (name) {
      case "__name__":
      case "__qualname__":
        must(vm.kindOf(value) === "str", "string");
        break;
      case "__defaults__":
        must(none || vm.kindOf(value) === "tuple", "tuple");
        break;
      case "__kwdefaults__":
      case "__annotations__":
        must(none || vm.kindOf(value) === "dict", "dict");
        break;
      case "__code__":
        must(vm.kindOf(value) === "code", "code");
        break;
      case "__dict__":
        if (vm.kindOf(value) !== "dict")
          vm.raise(
            "TypeError",
            `__dict__ must be set to a dictionary, not a '${vm.typeOf(value).name}'`,
          );
        py.setRef(f, Fn.dict, value);
        return true;
      case "__globals__":
      case "__closure__":
      case "__builtins__":
        return vm.raise("AttributeError", "readonly attribute");
      case "__doc__":
      case "__module__":
        break;
      default:
        return false;
    }
    // None empties the optional fields (CPython stores NULL), and reads give None back.
    const optional =
      name === "__defaults__" || name === "__kwdefaults__" || name === "__annotations__";
    py.setRef(f, SETTABLE_FUNCTION_FIELDS[name]!, optional && none ? 0 : value);
    return true;
  }

  /**
   * Sets one of BaseException's getset or member fields (`args`, `__traceback__`,
   * `__context__`, `__cause__`, `__suppress_context__`, and AttributeError's `name` and `obj`)
   * with CPython's checks; false for any other name, which goes to the instance's dict.
   */
  #setExceptionField(o: Ref, t: PyType, name: string, value: Ref): boolean {
    const vm: Host = this.vm;
    const py = this.#py;
    const isException = (v: Ref) => vm.typeOf(v).isSubtype(vm.types.BaseException!);
    switch (name) {
      case "args":
        py.takeRef(o, Exc.args, this.#tupleOf(value));
        return true;
      case "__traceback__":
        if (value !== py.none && vm.kindOf(value) !== "traceback")
          vm.raise("TypeError", "__traceback__ must be a traceback or None");
        py.setRef(o, Exc.traceback, value === py.none ? 0 : value);
        return true;
      case "__context__":
      case "__cause__": {
        const what = name === "__cause__" ? "cause" : "context";
        if (value !== py.none && !isException(value))
          vm.raise("TypeError", `exception ${what} must be None or derive from BaseException`);
        py.setRef(o, name === "__cause__" ? Exc.cause : Exc.context, value === py.none ? 0 : value);
        if (name === "__cause__") py.memory.u8[o + Exc.suppressContext] = 1;
        return true;
      }
      case "__suppress_context__":
        if (vm.kindOf(value) !== "bool") vm.raise("TypeError", "attribute value type must be bool");
        py.memory.u8[o + Exc.suppressContext] = this.truthOf(value) ? 1 : 0;
        return true;
      default: {
        // The family's members (T_OBJECT: they hold what is stored, None included); a
        // group's are read-only.
        const family = familyOf(t);
        const at = memberOffset(family, name);
        if (at >= 0 && family?.root === "BaseExceptionGroup")
          vm.raise("AttributeError", "readonly attribute");
        if (at < 0) return false;
        py.setRef(o, at, value);
        return true;
      }
    }
  }

  /** `PySequence_Tuple(value)`: an exact tuple itself, else a new tuple of its items. */
  #tupleOf(value: Ref): Ref {
    const py = this.#py;
    if (this.vm.kindOf(value) === "tuple" && !this.vm.typeOf(value).heap) return py.newRef(value);
    const items = this.collect(value);
    try {
      return py.tuple(items);
    } finally {
      for (const i of items) py.decref(i);
    }
  }

  /**
   * func_get_annotations: a function's `__annotations__` (borrowed), made empty the first time;
   * the tuple of name and value pairs MAKE_FUNCTION stored becomes a dict when first asked.
   */
  #annotations(f: Ref): Ref {
    const py = this.#py;
    const a = py.getRef(f, Fn.annotations);
    if (a && this.vm.kindOf(a) !== "tuple") return a;
    const d = py.dict();
    if (a) {
      const pairs = py.items(a);
      for (let i = 0; i + 1 < pairs.length; i += 2) py.dictSet(d, pairs[i]!, pairs[i + 1]!);
    }
    py.takeRef(f, Fn.annotations, d);
    return d;
  }

  /** The `__dict__` in field `offset` of `o` (borrowed), made empty the first time. */
  #ownDict(o: Ref, offset: number): Ref {
    const py = this.#py;
    let d = py.getRef(o, offset);
    if (!d) {
      d = py.dict();
      py.takeRef(o, offset, d);
    }
    return d;
  }

  /** `del o.name`: through the `__delattr__` a class statement of its type's MRO defines. */
  delAttr(o: Ref, name: string): void {
    const vm: Host = this.vm;
    const t = vm.typeOf(o);
    if (t.heap) {
      // slot_tp_setattro with no value: a Python `__delattr__` deletes every attribute.
      const hook = this.#heapLookup(t, "__delattr__");
      if (hook && vm.kindOf(hook) === "function") {
        this.#py.decref(vm.call(hook, [o, this.#py.constant(name)]));
        return;
      }
    }
    this.genericDelAttr(o, name);
  }

  /** `object.__delattr__(o, name)`: `del o.name` past any `__delattr__` of its class. */
  genericDelAttr(o: Ref, name: string): void {
    const vm: Host = this.vm;
    const py = this.#py;
    const t = vm.typeOf(o);
    if (t.kind === "instance" || t.kind === "exception" || t.subtype) {
      // A property on the class deletes through its fdel (property_descr_set with no value),
      // a descriptor whose class statement defines `__delete__` through that.
      const d = this.lookupType(t, name);
      const del = d && vm.typeOf(d).heap ? this.heapSlot(vm.typeOf(d), "__delete__") : 0;
      if (del) {
        py.decref(vm.call(del, [d, o]));
        return;
      }
      if (d && vm.kindOf(d) === "property") {
        const fdel = py.getRef(d, 32);
        if (!fdel || fdel === py.none)
          vm.raise("AttributeError", `property '${name}' of '${t.name}' object has no deleter`);
        py.decref(vm.call(fdel, [o]));
        return;
      }
    }
    if (t.kind === "instance") {
      if (t.slots) {
        const i = t.slots.indexOf(name);
        if (i < 0 || !py.memory.u32[(o + 16 + 8 * i) >>> 2])
          vm.raise(
            "AttributeError",
            i < 0 ? `'${t.name}' object has no attribute '${name}'` : name,
          );
        py.setRef(o, 16 + 8 * i, 0);
        return;
      }
      const field = t.fields ? t.fields.indexOf(name) : -1;
      if (field >= 0) {
        if (!py.slotField(o, field)) vm.raise("AttributeError", name);
        py.setSlotField(o, field, 0);
        return;
      }
      py.delAttr(o, name);
      return;
    }
    if (t.kind === "exception") {
      const slot = this.#exceptionSlot(t, name);
      if (slot >= 0) {
        if (!py.getRef(o, slot)) vm.raise("AttributeError", name);
        py.setRef(o, slot, 0);
        return;
      }
      // BaseException's getsets and member refuse deletion (BaseException_getset).
      if (
        name === "args" ||
        name === "__traceback__" ||
        name === "__cause__" ||
        name === "__context__"
      )
        vm.raise("TypeError", `${name} may not be deleted`);
      if (name === "__suppress_context__")
        vm.raise("TypeError", "can't delete numeric/char attribute");
      if (name === "__dict__") vm.raise("TypeError", "cannot delete __dict__");
    }
    if (t.subtype) {
      const i = t.slots!.indexOf(name);
      if (i >= 0) {
        if (!py.slotField(o, i)) vm.raise("AttributeError", name);
        py.setSlotField(o, i, 0);
        return;
      }
      const d = py.subtypeDict(o, false);
      if (!d || !py.dictGet(d, py.constant(name)))
        vm.raise("AttributeError", `'${t.name}' object has no attribute '${name}'`);
      py.delItem(d, py.constant(name));
      return;
    }
    if (t.kind === "type") {
      const target = this.typeFromObject(o);
      if (!target.dict || !py.dictGet(target.dict, py.constant(name)))
        vm.raise("AttributeError", `type object '${target.name}' has no attribute '${name}'`);
      py.delItem(target.dict, py.constant(name));
      if (name === "__getattribute__" || name === "__setattr__") this.#updateHooks(target);
      return;
    }
    if (t.kind === "cell" && name === "cell_contents") {
      py.setRef(o, Cell.contents, 0); // cell_set_contents with no value empties the cell
      return;
    }
    if (t.kind === "module" && name === "__dict__")
      vm.raise("AttributeError", "readonly attribute");
    const d =
      t.kind === "exception"
        ? py.getRef(o, Exc.dict)
        : t.kind === "function"
          ? py.getRef(o, Fn.dict)
          : t.kind === "module"
            ? py.getRef(o, ModuleObj.dict)
            : 0;
    if (!d || !py.dictGet(d, py.constant(name)))
      vm.raise("AttributeError", `'${t.name}' object has no attribute '${name}'`);
    py.delItem(d, py.constant(name));
  }

  #superAttr(s: Ref, name: string): Ref {
    const py = this.#py;
    const start = this.typeFromObject(py.getRef(s, 16));
    const obj = py.getRef(s, 24);
    // super_check: a class deriving from the start is its own MRO's owner; any other object
    // (a class of a metaclass among them) its type's.
    const objType =
      this.vm.isTypeObject(obj) && this.typeFromObject(obj).isSubtype(start)
        ? this.typeFromObject(obj)
        : this.vm.typeOf(obj);
    const mro = objType.mro;
    const i = mro.indexOf(start);
    for (const c of mro.slice(i + 1)) {
      let v = 0;
      if (c.dict) v = py.dictGet(c.dict, py.constant(name));
      else {
        // The built-in class's methods and slot wrappers (not its getsets and members).
        v = this.#builtinEntry(c, name);
        if (v && v !== py.none && this.vm.kindOf(v) !== "builtin") v = 0;
      }
      if (v && this.#builtinBinding.get(v) === "class")
        return this.bind(v, objType === this.vm.typeOf(obj) ? objType.object : obj);
      if (v && name === "__new__") {
        // A static method: `super().__new__(cls, …)` passes the class itself.
        const kind = this.vm.kindOf(v);
        if (kind === "staticmethod") return py.newRef(py.getRef(v, 16));
        if (kind === "function" || kind === "builtin") return py.newRef(v);
      }
      if (v) {
        const kind = this.vm.kindOf(v);
        if (kind === "function" || kind === "builtin") return this.bind(v, obj);
        // A class method binds to the class (`super().__init_subclass__()`), a static method
        // is its function.
        if (kind === "classmethod")
          return this.bind(
            py.getRef(v, 16),
            objType === this.vm.typeOf(obj) ? objType.object : obj,
          );
        if (kind === "staticmethod") return py.newRef(py.getRef(v, 16));
        return py.newRef(v);
      }
    }
    if (name === "__init__")
      return this.bind(this.#descriptor(this.vm.types.object!, "__init__"), obj);
    return this.vm.raise("AttributeError", `'super' object has no attribute '${name}'`);
  }

  // ------------------------------------------------------------------ types and classes

  /**
   * A new instance of class `t` made as calling it makes one, without `__init__` (what
   * `object.__new__(t)` gives a copy or an unpickler), holding `value`'s value (borrowed) when
   * `t` subclasses int, float, str or tuple; a type that cannot be made so is CPython's
   * TypeError for an object that cannot be pickled.
   */
  newInstance(t: PyType, value?: Ref): Ref {
    const py = this.#py;
    // A subclass of int, float, str or tuple holds the value its `__getnewargs__` gives.
    if (t.subtype && value !== undefined && VALUE_BASES.has(t.kind))
      return this.#subtypeFrom(t, value);
    // A weak reference is made with its referent; none can be made empty.
    if (t.subtype && t.kind !== "weakref") return py.subtypeInstance(t.subtype);
    if (t.kind === "instance") return t.slots ? py.allocate(t.native!) : py.instance(t.cls!);
    if (t.name === "object") return py.allocate(this.#native.object!);
    return this.vm.raise("TypeError", `cannot pickle '${t.name}' object`);
  }

  /**
   * The `__new__` a class statement of `t`'s MRO defines (the function its static method
   * wraps), borrowed, or 0 when the class is made by a built-in's.
   */
  userNew(t: PyType): Ref {
    const py = this.#py;
    // The class statements' namespaces only: looking further would make the built-in
    // `__new__`'s descriptor, an object CPython has from the start.
    const key = py.constant("__new__");
    for (const c of t.mro) {
      if (!c.heap || !c.dict) return 0;
      const v = py.dictGet(c.dict, key);
      if (!v) continue;
      const kind = this.vm.kindOf(v);
      if (kind === "staticmethod") return py.getRef(v, 16);
      return kind === "function" ? v : 0;
    }
    return 0;
  }

  /**
   * `long_subtype_new`, `float_subtype_new`, `unicode_subtype_new`, `tuple_subtype_new`: an
   * instance of subclass `t` holding what exact object `tmp` (borrowed) holds.
   */
  #subtypeFrom(t: PyType, tmp: Ref): Ref {
    const py = this.#py;
    switch (t.kind) {
      case "int":
        return py.subtypeInstance(t.subtype!, py.intValue(tmp));
      case "float":
        return py.subtypeInstance(t.subtype!, py.floatValue(tmp));
      case "str":
        return py.subtypeInstance(t.subtype!, py.strValue(tmp));
      case "frozenset":
        return py.subtypeInstance(t.subtype!, py.setItems(tmp));
      case "bytes":
        return py.subtypeInstance(t.subtype!, Array.from(this.bytesType.data(tmp)));
      default:
        return py.subtypeInstance(t.subtype!, py.items(tmp));
    }
  }

  /**
   * `type_call` of a class whose `__new__` is `f` (a Python function): `f(cls, args…)`, then,
   * when it returned an instance of the class, the `__init__` a class statement defines (a
   * built-in base's for list, dict and set) (a new reference).
   */
  #callWithNew(
    t: PyType,
    f: Ref,
    args: readonly Ref[],
    kwargs: ReadonlyMap<string, Ref> | null,
  ): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    const packed = py.tuple(args);
    try {
      const o = vm.call(f, [t.object!, ...args], kwargs);
      try {
        const ot = vm.typeOf(o);
        if (ot.isSubtype(t)) this.#runInit(ot, o, args, kwargs);
      } catch (error) {
        py.decref(o);
        throw error;
      }
      return o;
    } finally {
      py.decref(packed);
    }
  }

  /**
   * `tp_init` of a new instance `o` of `t`: the `__init__` a class statement defines, or for a
   * subclass of list, dict or set its base's, or for an exception `BaseException_init` (the
   * arguments become `args` again); `__init__` must return None. A weakref subclass's
   * built-in `__init__` does nothing.
   */
  #runInit(t: PyType, o: Ref, args: readonly Ref[], kwargs: ReadonlyMap<string, Ref> | null): void {
    const vm: Host = this.vm;
    const py = this.#py;
    const init =
      t.kind === "exception" ? this.heapSlot(t, "__init__") : this.lookupType(t, "__init__");
    if (!(init && vm.kindOf(init) === "function") && t.kind === "exception") {
      checkExceptionKeywords(this, t, kwargs);
      py.takeRef(o, Exc.args, py.tuple(args));
      initExceptionFields(this, o, t, args, kwargs);
      return;
    }
    const listLike = t.subtype !== undefined && !VALUE_BASES.has(t.kind) && t.kind !== "weakref";
    if (!init || (vm.kindOf(init) !== "function" && !listLike)) return;
    const r = vm.call(init, [o, ...args], kwargs);
    if (r !== py.none) {
      const name = vm.typeOf(r).name;
      py.decref(r);
      vm.raise("TypeError", `__init__() should return None, not '${name}'`);
    }
    py.decref(r);
  }

  /** `T(args…)`: a new instance of `t` (a new reference). */
  callType(type: PyType, args: readonly Ref[], kwargs: ReadonlyMap<string, Ref> | null): Ref {
    const vm: Host = this.vm;
    // A class whose metaclass defines `__call__` is called through it.
    const meta = vm.typeOf(type.object);
    if (meta.heap) {
      const call = this.#heapLookup(meta, "__call__");
      if (call && this.vm.kindOf(call) === "function")
        return vm.call(call, [type.object, ...args], kwargs);
    }
    return this.typeCall(type, args, kwargs);
  }

  /**
   * `_PyObject_MakeTpCall`'s packing, for a callable without vectorcall: the arguments as a new
   * tuple and the keywords (if any) as a new dict, held while the call runs.
   */
  packCallArguments(args: readonly Ref[], kwargs: ReadonlyMap<string, Ref> | null): PackedCall {
    const py = this.#py;
    const tuple = py.tuple(args);
    let dict = 0;
    if (kwargs && kwargs.size > 0) {
      dict = py.dict();
      for (const [k, v] of kwargs) this.setStr(dict, k, v);
    }
    return { tuple, dict };
  }

  /** Releases what {@link Builtins.packCallArguments} made: the tuple, then the dict. */
  releaseCallArguments(packed: PackedCall): void {
    const py = this.#py;
    py.decref(packed.tuple);
    if (packed.dict) py.decref(packed.dict);
  }

  /**
   * object_new's refusal of an abstract class: CPython's message names its abstract methods,
   * sorted.
   * @throws TypeError when `t` is abstract
   */
  #refuseAbstract(t: PyType): void {
    if (!this.abstractClasses.has(t) || !t.dict) return;
    const py = this.#py;
    const names = py.dictGet(t.dict, py.constant("__abstractmethods__"));
    if (!names) return;
    const sorted = this.vm.call(py.dictGet(this.dict, py.constant("sorted")), [names]);
    const items = py.items(sorted).map((n) => (this.vm.kindOf(n) === "str" ? py.strValue(n) : ""));
    py.decref(sorted);
    this.vm.raise(
      "TypeError",
      `Can't instantiate abstract class ${t.name} with abstract method${items.length > 1 ? "s" : ""} ${items.join(", ")}`,
    );
  }

  /** `type.__call__(T, args…)`: a new instance of `t` past its metaclass's `__call__`. */
  typeCall(type: PyType, args: readonly Ref[], kwargs: ReadonlyMap<string, Ref> | null): Ref {
    let t = type;
    const vm: Host = this.vm;
    const py = this.#py;
    const ctor = t.methods.get("__new__");
    if (!t.heap && ctor && t.name !== "object") {
      if (kwargs !== null && kwargs.size > 0) checkTypeKeywords(vm, t.name, args.length, kwargs);
      if (!PACKING_TYPES.has(t.name)) return ctor(args, kwargs);
      const packed = this.packCallArguments(args, kwargs);
      try {
        return ctor(args, kwargs);
      } finally {
        this.releaseCallArguments(packed);
      }
    }
    if (t.heap) {
      // slot_tp_new: a class whose MRO defines `__new__` in a class statement makes its objects
      // with it.
      const f = this.userNew(t);
      if (f) return this.#callWithNew(t, f, args, kwargs);
    }
    if (t.kind === "type" && t.heap) {
      // A metaclass: type_new makes the class, then the metaclass's `__init__` runs.
      const o = this.newClass(t, args, kwargs);
      try {
        if (vm.typeOf(o).isSubtype(t)) this.#runInit(vm.typeOf(o), o, args, kwargs);
      } catch (error) {
        py.decref(o);
        throw error;
      }
      return o;
    }
    if (t.subtype && VALUE_BASES.has(t.kind)) {
      // type_call: the base's `__new__` makes the instance from the arguments (through an
      // object of the base, as `long_subtype_new` does), then the class's `__init__` runs.
      const packed = py.tuple(args);
      try {
        const o = this.#subtypeNew(t, args, kwargs);
        try {
          this.#runInit(t, o, args, kwargs);
        } catch (error) {
          py.decref(o);
          throw error;
        }
        return o;
      } finally {
        py.decref(packed);
      }
    }
    if (t.kind === "exception") {
      // OSError_new: OSError itself called with a known errno makes the matching subclass.
      if (t === vm.types.OSError && args.length >= 2 && vm.kindOf(args[0]!) === "int") {
        const sub = osErrorSubclass(vm.intOf(args[0]!));
        if (sub) t = vm.types[sub]!;
      }
      // BaseExceptionGroup_new: the checks of (message, exceptions), and the class it picks.
      const group = t.isSubtype(vm.types.BaseExceptionGroup!) ? groupNew(this, t, args) : null;
      if (group) t = group.cls;
      const exc = py.allocate(t.native!);
      const tuple = py.tuple(args);
      py.takeRef(exc, Exc.args, tuple);
      if (group) fillGroup(this, exc, args[0]!, group.excs);
      // BaseException's own `__init__` comes before any a mixin after it in the MRO defines.
      const init = this.heapSlot(t, "__init__");
      try {
        if (init && vm.kindOf(init) === "function")
          py.decref(vm.call(init, [exc, ...args], kwargs));
        else {
          // The built-in __init__ of the class's family (BaseException_init and its kin).
          checkExceptionKeywords(this, t, kwargs);
          initExceptionFields(this, exc, t, args, kwargs);
        }
      } catch (error) {
        py.decref(exc);
        throw error;
      }
      return exc;
    }
    if (t.kind === "instance" || t.subtype) {
      if (this.abstractClasses.size > 0) this.#refuseAbstract(t);
      // _PyObject_MakeTpCall: a class has no vectorcall in 3.11, so calling it packs the
      // arguments into a tuple (the keywords into a dict) that lives until the call returns,
      // then waits on the tuple (and dict) free list.
      const packed = py.tuple(args);
      let keywords = 0;
      if (kwargs && kwargs.size > 0) {
        keywords = py.dict();
        for (const [k, v] of kwargs) this.setStr(keywords, k, v);
      }
      const o = t.subtype
        ? t.kind === "weakref"
          ? this.#makeInstance(t, args, kwargs)
          : this.#subtypeInstance(t, args, kwargs)
        : t.slots
          ? py.allocate(t.native!)
          : py.instance(t.cls!);
      const init = this.lookupType(t, "__init__");
      try {
        // A subclass of list, dict or set that defines no `__init__` runs its base's.
        if (init && (vm.kindOf(init) === "function" || t.subtype)) {
          const r = vm.call(init, [o, ...args], kwargs);
          if (r !== py.none) {
            const name = vm.typeOf(r).name;
            py.decref(r);
            vm.raise("TypeError", `__init__() should return None, not '${name}'`);
          }
          py.decref(r);
        } else if (args.length > 0 || (kwargs && kwargs.size > 0)) {
          vm.raise("TypeError", `${t.name}() takes no arguments`);
        }
      } catch (error) {
        py.decref(o);
        throw error;
      } finally {
        py.decref(packed);
        if (keywords) py.decref(keywords);
      }
      return o;
    }
    if (t.name === "object") {
      if (args.length > 0) vm.raise("TypeError", "object() takes no arguments");
      return py.allocate(this.#native.object!);
    }
    return vm.raise("TypeError", `cannot create '${t.name}' instances`);
  }

  /**
   * best_base's check of each base: a built-in without Py_TPFLAGS_BASETYPE is no base at all,
   * and of the built-in types only those the interpreter can lay out subclasses of may be one.
   * @throws TypeError as CPython words it (or that subclassing the type is not supported)
   */
  #checkBase(base: PyType): void {
    const vm: Host = this.vm;
    if (NOT_BASE_TYPES.has(base.name) && !base.heap) {
      // The static type's tp_name: a type of an extension module names its module (a
      // built-in type's module is left at the default).
      const module = base.module;
      const tpName =
        module !== "builtins" && module !== "__main__" ? `${module}.${base.name}` : base.name;
      vm.raise("TypeError", `type '${tpName}' is not an acceptable base type`);
    }
    const builtinBase =
      (SUBCLASSABLE.has(base.kind) &&
        (base === vm.types[base.kind] || base.subtype !== undefined)) ||
      nativeRootOf(base) !== undefined;
    if (
      base.kind !== "object" &&
      base.kind !== "instance" &&
      base.kind !== "exception" &&
      base.kind !== "type" &&
      !builtinBase
    )
      vm.raise("TypeError", `subclassing '${base.name}' is not supported`);
  }

  /**
   * `__build_class__(func, name, *bases, metaclass=…, **kwds)`: finds the metaclass (the
   * `metaclass` keyword or the type of the first base, then the most derived of it and the
   * bases' types), asks it for the namespace (`__prepare__`), runs the body in it, then calls
   * the metaclass with the name, the bases and the namespace (and the other keywords). A new
   * reference.
   * @throws TypeError as CPython words a metaclass conflict or a bad `__prepare__`
   */
  makeClass(args: readonly Ref[], kwargs: ReadonlyMap<string, Ref> | null): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    const [func, nameObj, ...given] = args;
    if (!func || vm.kindOf(func) !== "function")
      vm.raise("TypeError", "__build_class__: func must be a function");
    // update_bases: a base that is not a class stands for the classes its `__mro_entries__`
    // gives (`class Stack(Generic[T])`); the bases as written become `__orig_bases__`.
    let bases: readonly Ref[] = given;
    let origBases = 0;
    if (given.some((base) => !this.isType(base))) {
      origBases = py.tuple(given);
      bases = this.#updateBases(given, origBases);
      if (bases === given) {
        py.decref(origBases);
        origBases = 0;
      }
    }
    if (!nameObj || vm.kindOf(nameObj) !== "str")
      vm.raise("TypeError", "__build_class__: name is not a string");
    let kw: Map<string, Ref> | null = kwargs && kwargs.size > 0 ? new Map(kwargs) : null;
    let metaObj = kw?.get("metaclass") ?? 0;
    if (kw) {
      kw.delete("metaclass");
      if (kw.size === 0) kw = null;
    }
    // The metaclass: as given, or the first base's type; when it is a class, the most derived
    // of it and the bases' types (_PyType_CalculateMetaclass).
    let meta: PyType | null = null;
    if (!metaObj) meta = bases.length > 0 ? vm.typeOf(bases[0]!) : vm.types.type!;
    else if (this.isType(metaObj)) meta = this.typeFromObject(metaObj);
    if (meta) {
      meta = this.#calculateMetaclass(meta, bases);
      metaObj = meta.object;
    }
    const plain = meta === vm.types.type && kw === null;
    const basesTuple = plain ? 0 : py.tuple(bases);
    let namespace = 0;
    let cell = 0;
    try {
      namespace = this.#prepare(meta, metaObj, nameObj, basesTuple, kw);
      if (origBases) this.setItem(namespace, py.constant("__orig_bases__"), origBases);
      const code = vm.codes.get(py.getRef(func, Fn.code))!;
      cell = vm.runCode(code, py.getRef(func, Fn.globals), namespace, py.getRef(func, Fn.closure));
      // The class made as `type(name, bases, namespace)` makes it, or by the metaclass.
      const cls = plain
        ? this.typeNew(vm.types.type!, nameObj, bases, namespace, null)
        : vm.call(metaObj, [nameObj, basesTuple, namespace], kw);
      if (cell && cell !== py.none && vm.kindOf(cell) === "cell" && this.isType(cls)) {
        // The body used `__class__` (or super()): the cell must hold the class made.
        const held = py.getRef(cell, Cell.contents);
        if (held !== cls) {
          py.decref(cls);
          if (!held)
            vm.raise(
              "RuntimeError",
              `__class__ not set defining '${py.strValue(nameObj)}' as ${this.reprOf(cls)}. Was __classcell__ propagated to type.__new__?`,
            );
          vm.raise(
            "TypeError",
            `__class__ set to ${this.reprOf(held)} defining '${py.strValue(nameObj)}' as ${this.reprOf(cls)}`,
          );
        }
      }
      return cls;
    } finally {
      if (namespace) py.decref(namespace);
      if (cell) py.decref(cell);
      if (basesTuple) py.decref(basesTuple);
      if (origBases) {
        for (const base of bases) py.decref(base);
        py.decref(origBases);
      }
    }
  }

  /**
   * The bases `given` with each non-class that has `__mro_entries__` replaced by the tuple it
   * returns (new references when anything changed), or `given` itself.
   * @throws TypeError when `__mro_entries__` returns something other than a tuple
   */
  #updateBases(given: readonly Ref[], origBases: Ref): readonly Ref[] {
    const vm: Host = this.vm;
    const py = this.#py;
    const out: Ref[] = [];
    let changed = false;
    try {
      for (const base of given) {
        // _PyObject_LookupAttr: an attribute of the base (NamedTuple, a function, has one).
        let f = 0;
        if (!this.isType(base)) {
          try {
            f = this.getAttr(base, "__mro_entries__");
          } catch (error) {
            if (
              !(error instanceof Raised) ||
              !this.exceptionMatches(error.exc, vm.types.AttributeError!.object)
            )
              throw error;
            py.decref(error.exc);
          }
        }
        if (!f) {
          out.push(py.newRef(base));
          continue;
        }
        let entries = 0;
        try {
          entries = vm.call(f, [origBases]);
        } finally {
          py.decref(f);
        }
        if (vm.kindOf(entries) !== "tuple") {
          py.decref(entries);
          vm.raise("TypeError", "__mro_entries__ must return a tuple");
        }
        for (const e of py.items(entries)) out.push(py.newRef(e));
        py.decref(entries);
        changed = true;
      }
    } catch (error) {
      for (const o of out) py.decref(o);
      throw error;
    }
    if (changed) return out;
    for (const o of out) py.decref(o);
    return given;
  }

  /**
   * _PyType_CalculateMetaclass: of `meta` and the types of `bases`, the one deriving from all
   * the others. @throws TypeError (a metaclass conflict) when there is none
   */
  #calculateMetaclass(meta: PyType, bases: readonly Ref[]): PyType {
    let winner = meta;
    for (const b of bases) {
      const t = this.vm.typeOf(b);
      if (winner.isSubtype(t)) continue;
      if (t.isSubtype(winner)) {
        winner = t;
        continue;
      }
      this.vm.raise(
        "TypeError",
        "metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases",
      );
    }
    return winner;
  }

  /**
   * The namespace a class body runs in (a new reference): a new dict, unless the metaclass
   * (not `type`) defines `__prepare__`, whose result must then be a mapping (a dict, or an
   * object whose class defines `__getitem__`); the body stores in it through `__setitem__`.
   */
  #prepare(
    meta: PyType | null,
    metaObj: Ref,
    nameObj: Ref,
    basesTuple: Ref,
    kw: ReadonlyMap<string, Ref> | null,
  ): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    if (meta && !this.#heapLookup(meta, "__prepare__")) return py.dict();
    let prepare: Ref;
    try {
      prepare = this.getAttr(metaObj, "__prepare__");
    } catch (error) {
      if (!(error instanceof Raised) || !vm.typeOf(error.exc).isSubtype(vm.types.AttributeError!))
        throw error;
      py.decref(error.exc);
      return py.dict();
    }
    let ns: Ref;
    try {
      ns = vm.call(prepare, [nameObj, basesTuple], kw);
    } finally {
      py.decref(prepare);
    }
    // PyMapping_Check: a dict, or an object whose class defines `__getitem__`.
    const nsType = vm.typeOf(ns);
    if (nsType.kind !== "dict" && !this.#heapLookup(nsType, "__getitem__")) {
      py.decref(ns);
      const owner = meta ? meta.name : "<metaclass>";
      vm.raise("TypeError", `${owner}.__prepare__() must return a mapping, not ${nsType.name}`);
    }
    return ns;
  }

  /** What the class statements of `t`'s MRO define as `name` (borrowed), or 0. */
  #heapLookup(t: PyType, name: string): Ref {
    const py = this.#py;
    const key = py.constant(name);
    for (const c of t.mro) {
      if (!c.heap || !c.dict) continue;
      const v = py.dictGet(c.dict, key);
      if (v) return v;
    }
    return 0;
  }

  /**
   * `type.__new__(meta, name, bases, namespace, **kwds)` with its arguments checked: CPython's
   * TypeErrors for a wrong count or kind. A new reference.
   */
  newClass(meta: PyType, args: readonly Ref[], kwargs: ReadonlyMap<string, Ref> | null): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    if (args.length !== 3)
      vm.raise("TypeError", `type.__new__() takes exactly 3 arguments (${args.length} given)`);
    const [nameObj, basesObj, ns] = args as [Ref, Ref, Ref];
    const check = (o: Ref, n: number, kind: string) => {
      if (vm.kindOf(o) !== kind)
        vm.raise(
          "TypeError",
          `type.__new__() argument ${n} must be ${kind}, not ${vm.typeOf(o).name}`,
        );
    };
    check(nameObj, 1, "str");
    check(basesObj, 2, "tuple");
    check(ns, 3, "dict");
    return this.typeNew(meta, nameObj, py.items(basesObj), ns, kwargs);
  }

  /**
   * type_new: the class `name` of metaclass `meta` (or of the most derived of it and the
   * bases' types) with `bases` (borrowed) and a copy of `namespace` (borrowed) as its dict;
   * then each of its attributes with `__set_name__` is told its owner and name, and the base's
   * `__init_subclass__` runs with the keywords. A new reference.
   */
  typeNew(
    meta: PyType,
    nameObj: Ref,
    bases: readonly Ref[],
    namespace: Ref,
    kwargs: ReadonlyMap<string, Ref> | null,
  ): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    const metatype = this.#calculateMetaclass(meta, bases);
    const name = py.strValue(nameObj);
    const classcell = py.dictGet(namespace, py.constant("__classcell__"));
    // type_new_get_bases, after the body ran: the bases as types, and the best base, whose
    // layout the class's instances extend.
    const baseTypes =
      bases.length > 0 ? bases.map((b) => this.typeFromObject(b)) : [vm.types.object!];
    const base = bestBase(
      baseTypes,
      (b) => this.#checkBase(b),
      (message) => vm.raise("TypeError", message),
    );
    // A subclass of a built-in type: of the built-in itself, or of such a subclass.
    const nativeRoot = nativeRootOf(base);
    const builtinBase =
      (SUBCLASSABLE.has(base.kind) &&
        (base === vm.types[base.kind] || base.subtype !== undefined)) ||
      nativeRoot !== undefined;
    // type_new: the class gets its own copy of the namespace, without `__qualname__` (kept in
    // the type) and `__classcell__`.
    const dict = py.dict();
    for (const [k, v] of py.dictItems(namespace)) {
      const key = vm.kindOf(k) === "str" ? py.strValue(k) : "";
      if (key === "__classcell__" || key === "__qualname__") continue;
      if (
        (key === "__init_subclass__" || key === "__class_getitem__") &&
        vm.kindOf(v) === "function"
      ) {
        // type_new_set_classmethod: these two are class methods without the decorator.
        const cm = py.allocate(this.#native.classmethod!);
        py.setRef(cm, 16, v);
        py.setItem(dict, k, cm);
        py.decref(cm);
        continue;
      }
      if (key === "__new__" && vm.kindOf(v) === "function") {
        // type_new_staticmethod: `__new__` is a static method without the decorator.
        const sm = py.allocate(this.#native.staticmethod!);
        py.setRef(sm, 16, v);
        py.setItem(dict, k, sm);
        py.decref(sm);
        continue;
      }
      py.setItem(dict, k, v);
    }
    const slotsObj = py.dictGet(namespace, py.constant("__slots__"));
    // type_new mangles each slot's name as the class body mangles `self.__x`.
    let slotNames = slotsObj
      ? this.#slotNames(slotsObj).map((slot) => mangle(name, slot))
      : undefined;
    if (slotNames) {
      try {
        // type_new_slots: int and tuple vary in size, and their subclasses take no `__slots__`
        // (not even `__dict__`): only an empty tuple.
        if (
          ((builtinBase &&
            (base.kind === "int" || base.kind === "tuple" || base.kind === "bytes")) ||
            base.kind === "type") &&
          slotNames.length > 0
        )
          vm.raise("TypeError", `nonempty __slots__ not supported for subtype of '${base.name}'`);
        this.#checkSlotNames(base, slotNames);
      } catch (error) {
        py.decref(dict);
        throw error;
      }
    }
    if (slotNames && baseTypes.length > 1) {
      // type_new_slots_impl: secondary bases may provide a dict and weak references, which a
      // class with `__slots__` then gets as if it had named them.
      const may = base.layout;
      const extra: string[] = [];
      for (const b of baseTypes) {
        if (b === base) continue;
        if (!may.dict && b.layout.dict && !slotNames.includes("__dict__")) extra.push("__dict__");
        if (
          may.weak === 0 &&
          may.item === 0 &&
          b.layout.weak !== 0 &&
          !slotNames.includes("__weakref__")
        )
          extra.push("__weakref__");
        slotNames = [...slotNames, ...extra.splice(0)];
      }
    }
    // mro_implementation: no base twice, and an order C3 can make of the bases' MROs.
    let tail: PyType[];
    try {
      tail = mroTail(baseTypes, (message) => vm.raise("TypeError", message));
    } catch (error) {
      py.decref(dict);
      throw error;
    }
    const qualname = py.dictGet(namespace, py.constant("__qualname__"));
    const kind: TypeKind =
      base.kind === "exception" || base.kind === "type"
        ? base.kind
        : builtinBase
          ? base.kind
          : "instance";
    const t = new PyType(name, kind, base, true, baseTypes, tail);
    t.layout = heapLayout(base.layout, slotNames);
    t.solid = solidBase(t);
    if (qualname && vm.kindOf(qualname) === "str") t.qualname = py.strValue(qualname);
    // `__module__`, which the class body set from its module's `__name__`.
    const module = py.dictGet(namespace, py.constant("__module__"));
    if (module && vm.kindOf(module) === "str") t.module = py.strValue(module);
    // The type holds the str as well as the namespace.
    if (qualname) py.incref(qualname);
    t.dict = dict;
    const hasDel = this.lookupType(t, "__del__") !== 0;
    const del = hasDel ? (self: Ref) => this.#runDel(self) : undefined;
    const typeObj = py.allocate(metatype === vm.types.type ? this.#native.type! : metatype.native!);
    t.object = typeObj;
    py.takeRef(typeObj, TypeObj.dict, dict);
    py.takeRef(typeObj, TypeObj.name, py.str(name));
    if (qualname) py.takeRef(typeObj, TypeObj.qualname, qualname);
    py.takeRef(typeObj, TypeObj.bases, py.tuple(baseTypes.map((b) => b.object)));
    py.setRef(typeObj, TypeObj.base, base.object);
    // mro_internal: the class's own MRO tuple starts with the class itself, so every class is
    // in a cycle (class -> tp_mro -> class) that only the collector frees, as in CPython.
    const mro = t.mro.map((c) => c.object);
    if (baseTypes.length === 1) py.takeRef(typeObj, TypeObj.mro, py.tuple(mro));
    else {
      // With several bases pmerge builds the order in a list, which becomes the tuple.
      const list = py.list(mro);
      py.takeRef(typeObj, TypeObj.mro, py.tuple(mro));
      py.decref(list);
    }
    this.#addDescriptors(t, base, slotNames);
    if (kind === "type") {
      // A metaclass: its instances are classes, laid out as `type` lays them out.
      t.native = py.defineType(this.#typeSpec(name, typeObj));
      vm.registerType(t, t.native.id);
    } else if (builtinBase) {
      // type_new after a built-in base: the new `__slots__` fields after the base's (and its
      // subclasses') object, a dict and a `__weakref__` slot unless `__slots__` leaves them out
      // and no base between gives them.
      const inherited = base.slots ?? [];
      const own = (slotNames ?? [])
        .filter((n) => n !== "__dict__" && n !== "__weakref__" && !inherited.includes(n))
        .sort();
      // traverse_slots and clear_slots go from the class to its bases: its own first.
      t.slots = [...own, ...inherited];
      // int and tuple subclasses take no weak references (type_new's may_add_weak).
      const varSized = base.kind === "int" || base.kind === "tuple" || base.kind === "bytes";
      const weakref =
        !varSized && (!slotNames || slotNames.includes("__weakref__") || base.weakrefSlot);
      const subtype = py.defineSubtype(nativeRoot?.native ?? (base.kind as SubtypeBase), name, {
        typeObject: typeObj,
        fields: t.slots.length,
        dict:
          (!slotNames || slotNames.includes("__dict__") || base.subtype?.dict === true) &&
          nativeRoot?.slotHooks?.ownDict !== true,
        weakref,
        ...(del ? { del } : {}),
        // A class that overrides `__hash__` or `__eq__` (or inherits such an override) hashes
        // and compares its keys through them.
        keys: !this.#overridesAny(t, "__hash__", "__eq__"),
      });
      t.weakrefSlot = weakref;
      t.subtype = subtype;
      if (nativeRoot) {
        t.nativeRoot = nativeRoot;
        t.slotHooks = nativeRoot.slotHooks;
      }
      vm.registerType(t, subtype.typeId);
    } else if (kind === "exception") {
      // type_new after an exception class: the new `__slots__` members after the base's
      // instance (sorted, as CPython sorts them), then `__weakref__` unless `__slots__` leaves
      // it out or a base has it. The base's dict serves.
      const family = familyOf(base);
      const baseSize = base.heap ? base.basicSize : familyBasicSize(family);
      const inherited = base.slots ?? [];
      const own = (slotNames ?? [])
        .filter((n) => n !== "__dict__" && n !== "__weakref__" && !inherited.includes(n))
        .sort();
      const weak = base.weakrefSlot || !slotNames || slotNames.includes("__weakref__");
      const ownOffsets = own.map((_, i) => baseSize + 8 * i);
      t.slots = [...own, ...inherited];
      t.slotOffsets = [...ownOffsets, ...(base.slotOffsets ?? [])];
      t.weakrefSlot = weak;
      t.basicSize = baseSize + 8 * own.length + (weak && !base.weakrefSlot ? 8 : 0);
      t.native = py.defineType(
        exceptionSpec(name, family, del, typeObj, {
          basicSize: t.basicSize,
          weakrefable: weak,
          slots: t.slotOffsets,
        }),
      );
      vm.registerType(t, t.native.id);
    } else {
      // A class without `__slots__` gives its instances a dict, whatever its base declared.
      const slots = slotNames;
      // A class whose `__slots__` (or secondary bases) give it both a dict and `__weakref__`
      // is laid out as a class without `__slots__` is, its members fixed fields beside the dict.
      const dictAndWeak = t.layout.dict && t.layout.weak !== 0;
      if (slots && !dictAndWeak && (base.kind === "object" || (base.slots && !base.fields))) {
        t.slots = [...(base.slots ?? []), ...slots.filter((s) => !(base.slots ?? []).includes(s))];
        const weak = t.slots.includes("__weakref__") || base.weakrefSlot;
        t.weakrefSlot = weak;
        const fields = t.slots.filter((s) => s !== "__weakref__");
        t.slots = fields;
        // Every class a program makes is a container (3.11's type_new_alloc gives all heap
        // types Py_TPFLAGS_HAVE_GC), even without slots: its instances refer to it.
        t.native = py.defineType({
          name,
          basicSize: 16 + 8 * fields.length + (weak ? 8 : 0),
          container: true,
          weakrefable: weak,
          refs: fields.map((_, i) => 16 + 8 * i),
          ...(del ? { finalize: del } : {}),
          typeObject: typeObj,
        });
        vm.registerType(t, t.native.id);
      } else {
        // The slotted bases' members and the class's own stay fixed fields before the
        // `__weakref__` slot (`class B(A)` with `A.__slots__ = ("a",)` is 64 bytes).
        // A base's `__dict__` slot is this class's dict.
        const inherited = (base.fields ?? base.slots ?? []).filter((n) => n !== "__dict__");
        const own = (slots ?? [])
          .filter((n) => n !== "__dict__" && n !== "__weakref__" && !inherited.includes(n))
          .sort();
        // traverse_slots and clear_slots go from the class to its bases: its own first.
        const fields = [...own, ...inherited];
        if (fields.length > 0) t.fields = fields;
        t.cls = py.defineClass(name, {
          typeObject: typeObj,
          ...(del ? { del } : {}),
          ...(fields.length > 0 ? { fields: fields.length } : {}),
        });
        vm.registerType(t, t.cls.typeId);
      }
    }
    this.#byObject.set(typeObj, t);
    this.#addSubclass(typeObj, t);
    // type_new_set_classcell: the body's `__class__` cell holds the class.
    if (classcell && vm.kindOf(classcell) === "cell") py.setRef(classcell, Cell.contents, typeObj);
    this.#installSetattrHook(t);
    this.#installGetattributeHook(t);
    try {
      this.#setNames(t);
      this.#initSubclass(t, kwargs);
    } catch (error) {
      py.decref(typeObj);
      throw error;
    }
    return typeObj;
  }

  /**
   * Each base's `tp_subclasses`: the class's address as an int, mapped to a weak reference to
   * it. A class's own is a dict (made with its first subclass, freed with its last, as 3.11's
   * `remove_subclass` clears it); a built-in type's entries are held here without one (CPython's
   * dicts for them exist from start-up), so that their keys and weak references are the heap's.
   */
  readonly #subclassEntries = new Map<Ref, { dict: Ref; keys: Map<Ref, [Ref, Ref]> }>();

  /**
   * `add_subclass` for each base of a class `type_new` made: a new int of its address and its
   * weak reference (one, shared by all its bases, as `PyWeakref_NewRef` hands out a class's
   * basic reference again), held by the base's `tp_subclasses`.
   */
  #addSubclass(typeObj: Ref, t: PyType): void {
    const py = this.#py;
    let wr = 0;
    for (const base of t.bases) {
      const baseObj = base.object;
      let entry = this.#subclassEntries.get(baseObj);
      if (!entry) {
        entry = { dict: base.heap ? py.dict() : 0, keys: new Map() };
        this.#subclassEntries.set(baseObj, entry);
      }
      if (entry.keys.has(typeObj)) continue;
      const key = py.int(typeObj);
      if (wr) py.incref(wr);
      else wr = py.weakref(typeObj);
      if (entry.dict) {
        py.dictSet(entry.dict, key, wr);
        py.decref(key);
        py.decref(wr);
      }
      entry.keys.set(typeObj, [key, wr]);
    }
  }

  /** What the bases' `tp_subclasses` hold: the dicts, and a built-in base's keys and references. */
  *#subclassRoots(): Iterable<Ref> {
    for (const entry of this.#subclassEntries.values()) {
      if (entry.dict) yield entry.dict;
      else for (const [key, wr] of entry.keys.values()) yield* [key, wr];
    }
  }

  /** `remove_subclass` for each base of a class being freed: its entries go, their dicts when empty. */
  #removeSubclass(typeObj: Ref, t: PyType): void {
    const py = this.#py;
    for (const base of t.bases) {
      const entry = this.#subclassEntries.get(base.object);
      const held = entry?.keys.get(typeObj);
      if (!entry || !held) continue;
      entry.keys.delete(typeObj);
      if (entry.dict) {
        // The key is looked up by a new int of the address, as remove_subclass makes one.
        const probe = py.int(typeObj);
        py.dictDel(entry.dict, probe);
        py.decref(probe);
        if (entry.keys.size === 0) this.#dropSubclassDict(base.object);
      } else {
        py.decref(held[0]);
        py.decref(held[1]);
        if (entry.keys.size === 0) this.#subclassEntries.delete(base.object);
      }
    }
  }

  /** Frees a class's `tp_subclasses` dict (emptied, or the class itself is being freed). */
  #dropSubclassDict(typeObj: Ref): void {
    const entry = this.#subclassEntries.get(typeObj);
    if (!entry) return;
    this.#subclassEntries.delete(typeObj);
    if (entry.dict) this.#py.decref(entry.dict);
  }

  /**
   * Whether `t` (a subclass of a built-in being made) or a class between it and the built-in
   * defines one of `names` in its namespace.
   */
  #overridesAny(t: PyType, ...names: string[]): boolean {
    const py = this.#py;
    for (const c of t.mro) {
      if (!c.heap) return false;
      for (const n of names) if (c.dict && py.dictGet(c.dict, py.constant(n))) return true;
    }
    return false;
  }

  /**
   * `slot_tp_setattro`: a class whose MRO defines `__setattr__` in Python stores every
   * attribute through it (instances of a class without one take the generic path).
   */
  #installSetattrHook(t: PyType): void {
    const vm: Host = this.vm;
    const hook = this.lookupType(t, "__setattr__");
    t.setattro = undefined;
    if (!hook || vm.kindOf(hook) !== "function") return;
    t.setattro = (o, name, value) => {
      this.#py.decref(vm.call(hook, [o, this.#py.constant(name), value]));
    };
  }

  /**
   * `slot_tp_getattr_hook`: a class whose MRO defines `__getattribute__` in Python reads every
   * attribute through it (`o.x`, `getattr`, `hasattr`, LOAD_METHOD), and an AttributeError from
   * it falls through to `__getattr__` ({@link Builtins.getAttr}). Instances of other classes
   * keep the generic path and its inline caches, which a type with a hook never takes.
   */
  #installGetattributeHook(t: PyType): void {
    const vm: Host = this.vm;
    const hook = this.lookupType(t, "__getattribute__");
    t.getattro = undefined;
    if (!hook || vm.kindOf(hook) !== "function") return;
    t.getattro = (o, name) => vm.call(hook, [o, this.#py.constant(name)]);
  }

  /**
   * `update_slot` after `__getattribute__` or `__setattr__` of class `target` was assigned or
   * deleted: the hooks of the class and of every live class deriving from it follow.
   */
  #updateHooks(target: PyType): void {
    for (const t of this.#byObject.values()) {
      if (!t.heap || !t.mro.includes(target)) continue;
      this.#installSetattrHook(t);
      this.#installGetattributeHook(t);
    }
  }

  /**
   * `object.__getattribute__` (`PyObject_GenericGetAttr`): `o.name` past any
   * `__getattribute__` of its class, a new reference.
   * @throws AttributeError as the generic lookup raises it
   */
  genericGetAttr(o: Ref, name: string): Ref {
    return this.#getAttr(o, name, false);
  }

  /**
   * type_new_init_subclass: `super(cls, cls).__init_subclass__(**kwargs)` — the nearest base's
   * `__init_subclass__` (a class method) called with the new class and the class statement's
   * keywords; object's does nothing and takes none.
   * @throws TypeError for keywords that object's `__init_subclass__` was given
   */
  #initSubclass(t: PyType, kwargs: ReadonlyMap<string, Ref> | null): void {
    const vm: Host = this.vm;
    const py = this.#py;
    const key = py.constant("__init_subclass__");
    for (const c of t.mro.slice(1)) {
      if (!c.heap || !c.dict) continue;
      const cm = py.dictGet(c.dict, key);
      if (!cm) continue;
      const kind = vm.kindOf(cm);
      if (kind === "staticmethod") py.decref(vm.call(py.getRef(cm, 16), [], kwargs));
      else py.decref(vm.call(kind === "classmethod" ? py.getRef(cm, 16) : cm, [t.object], kwargs));
      return;
    }
    if (kwargs && kwargs.size > 0)
      vm.raise("TypeError", `${t.name}.__init_subclass__() takes no keyword arguments`);
  }

  /**
   * type_new_set_names: each value of the new class's namespace whose type defines
   * `__set_name__` is told the class and its name, in the namespace's order.
   * @throws RuntimeError (CPython's words, the error its cause) when one raises
   */
  #setNames(t: PyType): void {
    const vm: Host = this.vm;
    const py = this.#py;
    // CPython walks a copy of the dict: a `__set_name__` may add to the class.
    const items = py.dictItems(t.dict);
    for (const [k, v] of items) {
      const vt = vm.typeOf(v);
      const f = this.#heapLookup(vt, "__set_name__");
      // A built-in type's own (`property.__set_name__`, a subclass's base's), or a class
      // statement's function.
      const native = !f ? (vt.heap ? vt.nativeRoot : vt)?.methods.get("__set_name__") : undefined;
      const fn = f && vm.kindOf(f) === "staticmethod" ? py.getRef(f, 16) : f;
      if (!native && (!fn || vm.kindOf(fn) !== "function")) continue;
      py.incref(v);
      py.incref(k);
      try {
        py.decref(native ? native([v, t.object, k], null) : vm.call(fn, [v, t.object, k]));
      } catch (error) {
        if (!(error instanceof Raised)) throw error;
        const message = `Error calling __set_name__ on '${vm.typeOf(v).name}' instance ${this.reprOf(k)} in '${t.name}'`;
        const exc = vm.newException(vm.types.RuntimeError!, [message]);
        py.setRef(exc, Exc.cause, error.exc);
        py.setRef(exc, Exc.context, error.exc);
        py.memory.u8[exc + Exc.suppressContext] = 1;
        py.decref(error.exc);
        throw new Raised(exc);
      } finally {
        py.decref(v);
        py.decref(k);
      }
    }
  }

  /**
   * Whether `base`'s instances have a dict (`tp_dictoffset`), and whether a subclass may not
   * add a weak reference list (it has one, or is variable-size: int and tuple subclasses take
   * no `__weakref__`).
   */
  #baseGives(base: PyType): { dict: boolean; weak: boolean } {
    return { dict: base.layout.dict, weak: base.layout.weak !== 0 || base.layout.item !== 0 };
  }

  /**
   * type_new_slots_impl's checks of `__slots__`: `__dict__` and `__weakref__` at most once, and
   * only where `base` does not give them already. @throws TypeError with CPython's message
   */
  #checkSlotNames(base: PyType, slotNames: readonly string[]): void {
    const gives = this.#baseGives(base);
    const count = (n: string) => slotNames.filter((s) => s === n).length;
    if (count("__dict__") > (gives.dict ? 0 : 1))
      this.vm.raise("TypeError", "__dict__ slot disallowed: we already got one");
    if (count("__weakref__") > (gives.weak ? 0 : 1))
      this.vm.raise(
        "TypeError",
        "__weakref__ slot disallowed: either we already got one, or __itemsize__ != 0",
      );
  }

  /**
   * What `type_ready` adds to a new class's dict after its namespace: a member descriptor per
   * new slot (in sorted order, as `type_new` sorts `__slots__`), the `__dict__` and
   * `__weakref__` getset descriptors when the base gives its instances neither (and
   * `__slots__` does not leave them out), then `__doc__` = None when the body set none, and
   * `__hash__` = None when it defined `__eq__` alone.
   */
  #addDescriptors(t: PyType, base: PyType, slotNames: readonly string[] | undefined): void {
    const py = this.#py;
    // A subclass of list, dict or set is laid out as an instance is: its own slots, dict and
    // `__weakref__` (set's objects have a weak reference list of their own).
    const sub = t.heap && SUBCLASSABLE.has(t.kind);
    const ownSlots = t.kind === "instance" || t.kind === "exception" || sub;
    const { dict: baseDict, weak: baseWeak } = this.#baseGives(base);
    const add = (native: string, name: string) => {
      const d = py.allocate(this.#native[native]!);
      py.setRef(d, Descr.type, t.object);
      this.#descriptorNames.set(d, name);
      py.setItem(t.dict, py.constant(name), d);
      py.decref(d);
    };
    if (slotNames && ownSlots) {
      const members = slotNames.filter((s) => s !== "__weakref__" && s !== "__dict__").sort();
      for (const m of members) add("member_descriptor", m);
    }
    if (!baseDict && ownSlots && (!slotNames || slotNames.includes("__dict__")))
      add("getset_descriptor", "__dict__");
    if (!baseWeak && (!slotNames || slotNames.includes("__weakref__")))
      add("getset_descriptor", "__weakref__");
    const doc = py.constant("__doc__");
    if (!py.dictGet(t.dict, doc)) py.setItem(t.dict, doc, py.none);
    // type_ready_set_hash: a class whose body defines __eq__ but not __hash__ inherits no hash
    // (inherit_slots sees the override), so its dict gets `__hash__ = None`: unhashable.
    const hash = py.constant("__hash__");
    if (py.dictGet(t.dict, py.constant("__eq__")) && !py.dictGet(t.dict, hash))
      py.setItem(t.dict, hash, py.none);
  }

  /**
   * A class attribute `d` that is an instance of a class defining `__get__` (a non-data
   * descriptor written in Python, as `functools.cached_property` and `lru_cache` wrappers are):
   * what its `__get__(o, owner)` returns; `d` itself (a new reference) when it has none.
   */
  #instanceDescriptorGet(d: Ref, o: Ref, owner: Ref): Ref {
    const get = this.lookupType(this.vm.typeOf(d), "__get__");
    if (!get) return this.#py.newRef(d);
    return this.vm.call(get, [d, o, owner]);
  }

  /**
   * An instance's attribute that its class declares with a descriptor this module made: an
   * unset slot's AttributeError, the instance's dict, or its first weak reference (None without
   * one). 0 for anything else.
   */
  #descriptorValue(d: Ref, o: Ref, t: PyType, name: string): Ref {
    const py = this.#py;
    const kind = this.vm.typeOf(d).name;
    if (kind === "member_descriptor")
      return this.vm.raise("AttributeError", `'${t.name}' object has no attribute '${name}'`);
    if (kind !== "getset_descriptor") return 0;
    // subtype_dict and subtype_getweakref: a descriptor a base of another layout gave (a mixin
    // after a slotted or variable-size base) finds neither in this object.
    if ((name === "__dict__" && !t.layout.dict) || (name === "__weakref__" && !t.layout.weak))
      return this.vm.raise("AttributeError", `This object has no ${name}`);
    if (name === "__dict__" && t.kind === "instance" && !t.slots) return py.instanceDict(o);
    if (name === "__dict__" && t.subtype) return py.newRef(py.subtypeDict(o));
    if (name === "__weakref__") {
      const head = this.vm.runtime.strategy.rc.weakrefsTo(o)[0];
      return py.newRef(head ?? py.none);
    }
    return 0;
  }

  #slotNames(o: Ref): string[] {
    const py = this.#py;
    const kind = this.vm.kindOf(o);
    if (kind === "str") return [py.strValue(o)];
    return this.sequenceItems(o).map((s) => py.strValue(s));
  }

  /** Runs `__del__` of `self` (borrowed); an exception is reported as unraisable, as CPython does. */
  #runDel(self: Ref): void {
    const vm: Host = this.vm;
    const py = this.#py;
    const del = this.lookupType(vm.typeOf(self), "__del__");
    if (!del) return;
    try {
      py.decref(vm.call(del, [self]));
    } catch (error) {
      const exc = vm.toPython(error);
      this.writeUnraisable(this.#delRepr(del), exc);
      py.decref(exc);
    }
  }

  /**
   * `PyErr_WriteUnraisable`: "Exception ignored in: …" and the traceback of `exc` (borrowed)
   * on stderr. CPython writes them by calling `sys.unraisablehook` and then stderr's `write`,
   * C calls that count toward the recursion depth: at the limit (a finalizer that failed with
   * a RecursionError) they fail as well, and nothing is printed.
   */
  writeUnraisable(where: string, exc: Ref): void {
    const py = this.#py;
    try {
      py.enterCall();
    } catch {
      return;
    }
    try {
      // An exception raised in C code has no traceback: the running frame's line is given
      // (`_PyErr_WriteUnraisableMsg`).
      const top = this.vm.top;
      if (top && !py.getRef(exc, Exc.traceback)) {
        const tb = py.allocate(this.vm.native.traceback);
        py.setRef(tb, Traceback.frame, this.vm.frameObjectOf(top));
        py.memory.u32[(tb + Traceback.lasti) >>> 2] = top.lasti;
        py.memory.u32[(tb + Traceback.lineno) >>> 2] = top.code.unit.lines[top.lasti] ?? 0;
        py.takeRef(exc, Exc.traceback, tb);
      }
      this.flush();
      // The default unraisable hook prints the exception alone, not its cause or context.
      this.vm.io.stderr(`Exception ignored in: ${where}\n${this.#formatOne(exc, false)}`);
    } finally {
      py.leaveCall();
    }
  }

  #delRepr(del: Ref): string {
    const py = this.#py;
    return `<function ${py.strValue(py.getRef(del, Fn.qualname))} at 0x${del.toString(16)}>`;
  }

  // ------------------------------------------------------------------ exceptions

  exceptionMatches(exc: Ref, type: Ref): boolean {
    const vm: Host = this.vm;
    const t = vm.typeOf(exc);
    if (vm.kindOf(type) === "tuple")
      return this.sequenceItems(type).some((c) => this.exceptionMatches(exc, c));
    if (!this.isType(type) || !this.typeFromObject(type).isSubtype(vm.types.BaseException!))
      vm.raise(
        "TypeError",
        "catching classes that do not inherit from BaseException is not allowed",
      );
    return t.isSubtype(this.typeFromObject(type));
  }

  /** The exception `raise v from cause` raises (a new reference; takes v and cause). */
  makeRaisable(v: Ref, cause: Ref): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    let exc = v;
    try {
      if (this.isType(v)) {
        const t = this.typeFromObject(v);
        if (!t.isSubtype(vm.types.BaseException!))
          vm.raise("TypeError", "exceptions must derive from BaseException");
        exc = this.callType(t, [], null);
        py.decref(v);
      } else if (vm.typeOf(v).kind !== "exception") {
        vm.raise("TypeError", "exceptions must derive from BaseException");
      }
      if (cause) {
        if (cause === py.none) py.setRef(exc, Exc.cause, 0);
        else {
          const c = this.isType(cause)
            ? this.callType(this.typeFromObject(cause), [], null)
            : py.newRef(cause);
          py.takeRef(exc, Exc.cause, c);
        }
        py.memory.u8[exc + Exc.suppressContext] = 1;
      }
    } catch (error) {
      if (exc !== v) py.decref(exc);
      else py.decref(v);
      if (cause) py.decref(cause);
      throw error;
    }
    if (cause) py.decref(cause);
    return exc;
  }

  /** SystemExit's status: its code (an int), 0 for None, 1 after printing anything else. */
  exitStatus(exc: Ref): number {
    const py = this.#py;
    // handle_system_exit reads the exception's `code` attribute (its field; None when empty).
    const code = py.getRef(exc, memberOffset(familyOf(this.vm.typeOf(exc)), "code")) || py.none;
    if (code === py.none) return 0;
    if (this.vm.kindOf(code) === "int") return Number(this.vm.intOf(code)) & 0xff;
    this.flush();
    this.vm.io.stderr(`${this.strOf(code)}\n`);
    return 1;
  }

  /**
   * The traceback text CPython prints for an exception (with its chain); `suggest` for the
   * printer of uncaught exceptions, which adds a NameError's or AttributeError's "Did you mean"
   * (the unraisable hook's reports have none); each exception's notes after its message, unless
   * `notes` is false (an unraisable report's).
   */
  formatException(exc: Ref, suggest = false, notes = true): string {
    const ctx: GroupPrint = { out: [], seen: new Set(), depth: 0, needClose: false };
    this.#printRecursive(ctx, exc, suggest, notes);
    return ctx.out.join("");
  }

  /** print_exception_recursive: the chain before `e`, then `e` (a group with its members). */
  #printRecursive(ctx: GroupPrint, e: Ref, suggest: boolean, notes: boolean): void {
    const py = this.#py;
    ctx.seen.add(e);
    const cause = py.getRef(e, Exc.cause);
    const context = py.getRef(e, Exc.context);
    const suppress = py.memory.u8[e + Exc.suppressContext] !== 0;
    if (cause && !ctx.seen.has(cause))
      this.#printChained(ctx, cause, suggest, notes, CAUSE_MESSAGE);
    else if (context && !suppress && !ctx.seen.has(context))
      this.#printChained(ctx, context, suggest, notes, CONTEXT_MESSAGE);
    if (isGroup(this, e)) this.#printGroup(ctx, e, suggest, notes);
    else this.#printOne(ctx, e, suggest, notes);
  }

  /** print_chained: an exception of the chain, then the sentence that links it to the next. */
  #printChained(ctx: GroupPrint, e: Ref, suggest: boolean, notes: boolean, message: string): void {
    const needClose = ctx.needClose;
    this.#printRecursive(ctx, e, suggest, notes);
    ctx.needClose = needClose;
    const m = groupMargin(ctx);
    ctx.out.push(`${m}\n${m}${message}${m}\n`);
  }

  /** print_exception: one exception's traceback, message and notes, in the group's margin. */
  #printOne(ctx: GroupPrint, e: Ref, suggest: boolean, notes: boolean): void {
    const header =
      isGroup(this, e) && ctx.depth === 1 ? `${" ".repeat(2 * ctx.depth)}+ ` : groupMargin(ctx);
    ctx.out.push(this.#formatOne(e, suggest, groupMargin(ctx), header));
    if (!notes) return;
    ctx.out.push(this.#notesText(e, groupMargin(ctx)));
  }

  /**
   * print_exception_group: the group, then each member in a box of its own (the first
   * MAX_GROUP_WIDTH of them, then a count of the rest), nested groups one level further in, and
   * past MAX_GROUP_DEPTH levels a line that says so.
   */
  #printGroup(ctx: GroupPrint, e: Ref, suggest: boolean, notes: boolean): void {
    const py = this.#py;
    if (ctx.depth > MAX_GROUP_DEPTH) {
      ctx.out.push(`${groupMargin(ctx)}... (max_group_depth is ${MAX_GROUP_DEPTH})\n`);
      return;
    }
    const top = ctx.depth === 0;
    if (top) ctx.depth++;
    this.#printOne(ctx, e, suggest, notes);
    const excs = py.items(groupMembers(this, e));
    const n = excs.length <= MAX_GROUP_WIDTH ? excs.length : MAX_GROUP_WIDTH + 1;
    ctx.needClose = false;
    for (let i = 0; i < n; i++) {
      const last = i === n - 1;
      if (last) ctx.needClose = true;
      const indent = " ".repeat(2 * ctx.depth);
      const truncated = i >= MAX_GROUP_WIDTH;
      const label = truncated ? "..." : String(i + 1);
      ctx.out.push(
        `${indent}${i === 0 ? "+-" : "  "}+---------------- ${label} ----------------\n`,
      );
      ctx.depth++;
      if (!truncated) this.#printRecursive(ctx, excs[i]!, suggest, notes);
      else {
        const more = excs.length - MAX_GROUP_WIDTH;
        ctx.out.push(`${groupMargin(ctx)}and ${more} more exception${more > 1 ? "s" : ""}\n`);
      }
      if (last && ctx.needClose) {
        ctx.out.push(`${" ".repeat(2 * ctx.depth)}+------------------------------------\n`);
        ctx.needClose = false;
      }
      ctx.depth--;
    }
    if (ctx.depth === 1 && top) ctx.depth--;
  }

  /**
   * What `print_exception_notes` writes after an exception's message (PEP 678): each item of its
   * `__notes__`, as its str, then a newline (`<note str() failed>` for one whose str raises);
   * a `__notes__` that is no sequence is written as its repr, with no newline after it (as
   * 3.11 writes it). Nothing without `__notes__`.
   */
  #notesText(exc: Ref, margin = ""): string {
    const py = this.#py;
    const vm: Host = this.vm;
    const swallow = (error: unknown): void => {
      if (!(error instanceof Raised)) throw error;
      py.decref(error.exc);
    };
    let notes: Ref;
    try {
      notes = this.getAttr(exc, "__notes__");
    } catch (error) {
      swallow(error);
      return "";
    }
    let out = "";
    try {
      const t = vm.typeOf(notes);
      // PySequence_Check: a type with an item slot that is no dict.
      let sequence = t.kind !== "dict" && this.lookupType(t, "__getitem__") !== 0;
      if (!sequence && t.kind !== "dict") {
        // A built-in type's slot, which its method table does not list.
        try {
          py.decref(this.getAttr(t.object, "__getitem__"));
          sequence = true;
        } catch (error) {
          swallow(error);
        }
      }
      if (!sequence) {
        try {
          return margin + this.reprOf(notes);
        } catch (error) {
          swallow(error);
          return "<__notes__ repr() failed>";
        }
      }
      const n = this.len(notes);
      for (let i = 0; i < n; i++) {
        const index = py.int(i);
        let note: Ref;
        try {
          note = this.getItem(notes, index);
        } finally {
          py.decref(index);
        }
        let text: string;
        try {
          text = this.strOf(note);
        } catch (error) {
          swallow(error);
          text = "<note str() failed>";
        } finally {
          py.decref(note);
        }
        // Inside a group each of the note's lines (str.splitlines, ends kept) has the margin.
        out += margin
          ? splitLinesKeepEnds(text)
              .map((l) => margin + l)
              .join("")
          : text;
        out += "\n";
      }
    } catch (error) {
      swallow(error);
    } finally {
      py.decref(notes);
    }
    return out;
  }

  /**
   * One exception's traceback and message; inside a group each line but a repeat count and a
   * SyntaxError's source and caret has `margin` before it (`header` before the first).
   */
  #formatOne(exc: Ref, suggest: boolean, margin = "", header = ""): string {
    const py = this.#py;
    const vm: Host = this.vm;
    let out = "";
    let tb = py.getRef(exc, Exc.traceback);
    if (tb)
      out += `${header}${isGroup(this, exc) ? "Exception Group Traceback" : "Traceback"} (most recent call last):\n`;
    // Only the innermost TRACEBACK_LIMIT entries are printed (sys.tracebacklimit's default).
    let depth = 0;
    for (let t = tb; t; t = py.getRef(t, Traceback.next)) depth++;
    for (; tb && depth > TRACEBACK_LIMIT; depth--) tb = py.getRef(tb, Traceback.next);
    // A run of entries for the same file, line and function (a recursion) is cut after
    // RECURSIVE_CUTOFF of them, and the rest is counted.
    let last = "";
    let repeats = 0;
    const repeated = () => {
      const more = repeats - RECURSIVE_CUTOFF;
      if (more > 0) out += `  [Previous line repeated ${more} more time${more > 1 ? "s" : ""}]\n`;
    };
    while (tb) {
      const frame = py.getRef(tb, Traceback.frame);
      const unit = vm.codes.get(py.getRef(frame, FrameObj.code))?.unit;
      const line = py.memory.u32[(tb + Traceback.lineno) >>> 2]!;
      const place = `${unit?.filename}\0${unit?.name}\0${line}`;
      if (place !== last) {
        repeated();
        last = place;
        repeats = 0;
      }
      repeats++;
      if (unit && repeats <= RECURSIVE_CUTOFF) {
        const entry = this.tracebackEntry(tb);
        out += margin ? entry.replace(/^|(?<=\n)(?=.)/g, margin) : entry;
      }
      tb = py.getRef(tb, Traceback.next);
    }
    repeated();
    const tail = this.exceptionOnly(exc, suggest);
    if (!margin) return out + tail;
    // The message's first line; a SyntaxError's location line and its message line.
    if (syntaxErrorTail(this, exc, "") === undefined) return `${out}${margin}${tail}`;
    const lines = tail.split("\n");
    lines[0] = margin + lines[0];
    lines[lines.length - 2] = margin + lines[lines.length - 2];
    return out + lines.join("\n");
  }

  /**
   * One traceback entry as CPython prints it: `  File "…", line N, in f`, then the source line
   * and its carets (the traceback module's entries are these too).
   */
  tracebackEntry(tb: Ref): string {
    const py = this.#py;
    const vm: Host = this.vm;
    const frame = py.getRef(tb, Traceback.frame);
    const unit = vm.codes.get(py.getRef(frame, FrameObj.code))?.unit;
    if (!unit) return "";
    const line = py.memory.u32[(tb + Traceback.lineno) >>> 2]!;
    let out = `  File "${unit.filename}", line ${line}, in ${unit.name}\n`;
    const text = vm.sourceLine(unit.filename, line);
    if (text !== undefined) {
      const at = py.memory.u32[(tb + Traceback.lasti) >>> 2]!;
      const range =
        at < unit.length && unit.lines[at] === line
          ? {
              line,
              endLine: unit.endLines[at]!,
              col: unit.cols[at]!,
              endCol: unit.endCols[at]!,
            }
          : undefined;
      out += tracebackSourceLines(text, range);
    }
    return out;
  }

  /** The lines after an exception's traceback: `ValueError: message` (a SyntaxError's more). */
  exceptionOnly(exc: Ref, suggest = false): string {
    const t = this.vm.typeOf(exc);
    const name = this.#exceptionTypeName(t);
    const syntax = syntaxErrorTail(this, exc, name);
    if (syntax !== undefined) return syntax;
    const message = this.#exceptionStr(exc);
    const suggested = suggest ? suggestion(this, exc) : undefined;
    const hint = suggested === undefined ? "" : `. Did you mean: '${suggested}'?`;
    return `${message ? `${name}: ${message}` : name}${hint}\n`;
  }

  /**
   * How a traceback names an exception's class: its `__qualname__`, after its `__module__` and
   * a dot unless that is `__main__` or `builtins` (`<unknown>` when it is not a str).
   */
  #exceptionTypeName(t: PyType): string {
    const vm: Host = this.vm;
    const py = this.#py;
    const read = (attr: string): string | undefined => {
      try {
        const v = this.getAttr(t.object, attr);
        try {
          return vm.kindOf(v) === "str" ? py.strValue(v) : undefined;
        } finally {
          py.decref(v);
        }
      } catch (error) {
        if (error instanceof Raised) {
          py.decref(error.exc);
          return undefined;
        }
        throw error;
      }
    };
    const qualname = read("__qualname__") ?? t.name;
    const module = read("__module__") ?? "<unknown>";
    return module === "__main__" || module === "builtins" ? qualname : `${module}.${qualname}`;
  }

  #exceptionStr(exc: Ref): string {
    const vm: Host = this.vm;
    const t = vm.typeOf(exc);
    const str = this.heapSlot(t, "__str__");
    if (str && vm.kindOf(str) === "function") return this.#callText(str, exc, "__str__");
    return this.#builtinExceptionStr(exc);
  }

  /** `BaseException.__str__` and its families' (`KeyError_str`, `OSError_str`…). */
  #builtinExceptionStr(exc: Ref): string {
    const vm: Host = this.vm;
    const t = vm.typeOf(exc);
    const own = familyStr(this, exc, t);
    if (own !== undefined) return own;
    const args = this.#py.items(this.#py.getRef(exc, Exc.args));
    if (t.isSubtype(vm.types.KeyError!) && args.length === 1) return this.reprOf(args[0]!);
    return this.#argsStr(exc);
  }

  /** BaseException_str: the only argument's str, or the args' repr, or "" without any. */
  #argsStr(exc: Ref): string {
    const py = this.#py;
    const args = py.items(py.getRef(exc, Exc.args));
    if (args.length === 0) return "";
    if (args.length === 1) return this.strOf(args[0]!);
    return this.reprOf(py.getRef(exc, Exc.args));
  }

  /** `BaseException.__repr__`: the class's name and the args. */
  #builtinExceptionRepr(o: Ref): string {
    const py = this.#py;
    const args = py.getRef(o, Exc.args);
    const items = py.items(args);
    const inner =
      items.length === 1 ? this.reprOf(items[0]!) : this.#containerRepr(args, "tuple").slice(1, -1);
    return `${this.vm.typeOf(o).name}(${items.length === 1 ? inner : inner.replace(/,$/, "")})`;
  }

  // ------------------------------------------------------------------ str, repr, truth

  /**
   * `str(o)`. Past an exact str, counts toward the recursion limit as PyObject_Str does
   * ("… while getting the str of an object").
   */
  strOf(o: Ref): string {
    const py = this.#py;
    if (this.vm.typeOf(o) === this.vm.types.str) return py.strValue(o);
    py.enterCall(" while getting the str of an object");
    try {
      return this.#strOf(o);
    } finally {
      py.leaveCall();
    }
  }

  #strOf(o: Ref): string {
    const vm: Host = this.vm;
    const py = this.#py;
    const t = vm.typeOf(o);
    if (t.subtype) {
      // str and bytes have their own `__str__`: a subclass's `__repr__` is not its str.
      const str =
        this.override(t, "__str__") ||
        (t.kind === "str" || t.kind === "bytes" ? 0 : this.override(t, "__repr__"));
      if (str) return this.#callText(str, o, "__str__");
    }
    if (t.kind === "type" && t.heap) {
      // A class of a metaclass that defines `__str__` or `__repr__`.
      const str = this.#heapLookup(t, "__str__") || this.#heapLookup(t, "__repr__");
      if (str && vm.kindOf(str) === "function") return this.#callText(str, o, "__str__");
    }
    switch (t.kind) {
      case "str":
        return py.strValue(o);
      case "bytes":
        return bytesRepr(this.bytesType.data(o));
      case "exception":
        return this.#exceptionStr(o);
      case "other":
        // mappingproxy_str: the wrapped dict's str.
        if (t.name === "mappingproxy") return this.strOf(py.getRef(o, 16));
        return this.reprOf(o);
      case "instance": {
        const str = this.lookupType(t, "__str__");
        if (str) return this.#callText(str, o, "__str__");
        return this.reprOf(o);
      }
      default:
        return this.reprOf(o);
    }
  }

  /**
   * `PyObject_Str(o)` as an object (a new reference): an exact str itself; an int's digits in
   * a new str (`long_to_decimal_string` makes one even for `str(5)`, where other paths give
   * the cached one-character str); `True`/`False` the interned names; what a class's own
   * `__str__` returned, the same object; else a new str of {@link strOf}'s text.
   */
  strObject(o: Ref): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    const t = vm.typeOf(o);
    if (!t.subtype) {
      switch (t.kind) {
        case "str":
          if (!t.heap) return py.newRef(o);
          break;
        case "int":
          // object_str runs the int's tp_repr directly, inside PyObject_Str's recursion level.
          py.enterCall(" while getting the str of an object");
          try {
            return py.strNew(intToDecimal(BigInt(vm.intOf(o))));
          } finally {
            py.leaveCall();
          }
        case "bool":
          return py.newRef(py.constant(this.truth(o) ? "True" : "False"));
        case "instance": {
          const str = this.lookupType(t, "__str__");
          if (!str) break;
          // PyObject_Str calls tp_str inside its own recursion level.
          py.enterCall(" while getting the str of an object");
          let r: Ref;
          try {
            r = vm.call(str, [o]);
          } finally {
            py.leaveCall();
          }
          if (vm.kindOf(r) === "str") return r;
          const name = vm.typeOf(r).name;
          py.decref(r);
          return vm.raise("TypeError", `__str__ returned non-string (type ${name})`);
        }
      }
    }
    return py.str(this.strOf(o));
  }

  /** Calls a user `__str__`/`__repr__` and checks it returned a str. */
  #callText(f: Ref, o: Ref, name: string): string {
    const vm: Host = this.vm;
    const py = this.#py;
    const r = vm.call(f, [o]);
    try {
      if (vm.kindOf(r) !== "str")
        vm.raise("TypeError", `${name} returned non-string (type ${vm.typeOf(r).name})`);
      return py.strValue(r);
    } finally {
      py.decref(r);
    }
  }

  /**
   * `repr(o)`; with `base`, the built-in's own repr of a subclass's instance. Counts toward the
   * recursion limit as PyObject_Repr does, so a deeply nested container raises CPython's
   * RecursionError "… while getting the repr of an object".
   */
  reprOf(o: Ref, base = false): string {
    const py = this.#py;
    py.enterCall(" while getting the repr of an object");
    try {
      return this.#reprOf(o, base);
    } finally {
      py.leaveCall();
    }
  }

  #reprOf(o: Ref, base: boolean): string {
    const vm: Host = this.vm;
    const py = this.#py;
    const t = vm.typeOf(o);
    if (t.subtype && !base) {
      const repr = this.override(t, "__repr__");
      if (repr) return this.#callText(repr, o, "__repr__");
    }
    if (t.kind === "type" && t.heap && !base) {
      // A class of a metaclass that defines `__repr__`.
      const repr = this.#heapLookup(t, "__repr__");
      if (repr && vm.kindOf(repr) === "function") return this.#callText(repr, o, "__repr__");
    }
    switch (t.kind) {
      case "none":
        return "None";
      case "bool":
        return o === this.vm.trueRef ? "True" : "False";
      case "int":
        return intToDecimal(BigInt(vm.intOf(o)));
      case "float":
        return floatRepr(py.floatValue(o));
      case "str":
        return strRepr(py.strValue(o));
      case "list":
      case "tuple":
      case "dict":
        return this.#containerRepr(o, t.kind);
      case "bytes":
        return bytesRepr(this.bytesType.data(o));
      case "complex":
        return this.complexType.repr(o);
      case "set":
      case "frozenset": {
        if (this.reprEnter(o)) return `${t.name}(...)`;
        try {
          // set_repr names a subclass: `S({1, 2})`, `S()`.
          if (py.len(o) === 0) return `${t.name}()`;
          // The items are shown through a list of them (PySequence_List) and its repr.
          const listed = this.#reprOfList(o);
          const inner = listed.slice(1, -1);
          if (t.subtype) return `${t.name}({${inner}})`;
          return t.kind === "set" ? `{${inner}}` : `frozenset({${inner}})`;
        } finally {
          this.reprLeave(o);
        }
      }
      case "type":
        return `<class '${this.#qualifiedName(this.typeFromObject(o))}'>`;
      case "function":
        return `<function ${py.strValue(py.getRef(o, Fn.qualname))} at 0x${o.toString(16)}>`;
      case "builtin": {
        const b = vm.builtinFns[py.memory.u32[(o + Builtin.id) >>> 2]!]!;
        if (b.owner) return `<${b.descr} '${b.name}' of '${b.owner.name}' objects>`;
        const self = b.self ? py.getRef(o, Builtin.self) : 0;
        if (self)
          return `<built-in method ${b.name} of ${vm.typeOf(self).name} object at 0x${self.toString(16)}>`;
        return `<built-in function ${b.name}>`;
      }
      case "method": {
        const f = py.getRef(o, Method.func);
        const self = py.getRef(o, Method.self);
        return `<bound method ${py.strValue(py.getRef(f, Fn.qualname))} of ${this.reprOf(self)}>`;
      }
      case "module":
        return `<module '${py.strValue(py.getRef(o, ModuleObj.name))}' (built-in)>`;
      case "range": {
        const start = this.reprOf(py.getRef(o, Range.start));
        const stop = this.reprOf(py.getRef(o, Range.stop));
        const step = py.getRef(o, Range.step);
        const s = Number(vm.intOf(step));
        return s === 1 ? `range(${start}, ${stop})` : `range(${start}, ${stop}, ${s})`;
      }
      case "slice":
        return `slice(${this.reprOf(py.getRef(o, SliceObj.start))}, ${this.reprOf(py.getRef(o, SliceObj.stop))}, ${this.reprOf(py.getRef(o, SliceObj.step))})`;
      case "exception": {
        const repr = this.heapSlot(t, "__repr__");
        if (repr && vm.kindOf(repr) === "function") return this.#callText(repr, o, "__repr__");
        return this.#builtinExceptionRepr(o);
      }
      case "instance": {
        const repr = this.lookupType(t, "__repr__");
        if (repr && vm.kindOf(repr) === "function") return this.#callText(repr, o, "__repr__");
        return `<${this.#qualifiedName(t)} object at 0x${o.toString(16)}>`;
      }
      case "weakref": {
        const target = py.deref(o);
        const text =
          target === py.none
            ? `<weakref at 0x${o.toString(16)}; dead>`
            : `<weakref at 0x${o.toString(16)}; to '${vm.typeOf(target).name}' at 0x${target.toString(16)}>`;
        py.decref(target);
        return text;
      }
      case "cell": {
        const c = py.getRef(o, Cell.contents);
        return c
          ? `<cell at 0x${o.toString(16)}: ${vm.typeOf(c).name} object at 0x${c.toString(16)}>`
          : `<cell at 0x${o.toString(16)}: empty>`;
      }
      case "code":
        return `<code object ${py.strValue(py.getRef(o, Code.name))} at 0x${o.toString(16)}, file "${py.strValue(py.getRef(o, Code.filename))}", line ${vm.codes.get(o)?.unit.firstLine ?? 0}>`;
      case "generator":
        return `<generator object ${py.strValue(py.getRef(o, Gen.qualname))} at 0x${o.toString(16)}>`;
      case "object":
        return `<object object at 0x${o.toString(16)}>`;
      default:
        if (t.slotHooks?.repr) return t.slotHooks.repr(o);
        if (t.name === "mappingproxy") return `mappingproxy(${this.reprOf(py.getRef(o, 16))})`;
        if (t.name === "dict_keys" || t.name === "dict_values" || t.name === "dict_items")
          return this.#dictViewRepr(o, t.name);
        if (t.name === "method-wrapper") {
          const descr = py.getRef(o, MethodWrapper.descr);
          const name = vm.builtinFns[py.memory.u32[(descr + Builtin.id) >>> 2]!]!.name;
          const self = py.getRef(o, MethodWrapper.self);
          return `<method-wrapper '${name}' of ${vm.typeOf(self).name} object at 0x${self.toString(16)}>`;
        }
        if (this.#descriptorNames.has(o))
          return this.#descriptorRepr(o, t.name === "member_descriptor" ? "member" : "attribute");
        if (o === this.ellipsis) return "Ellipsis";
        if (o === this.notImplemented) return "NotImplemented";
        return `<${t.name} object at 0x${o.toString(16)}>`;
    }
  }

  /**
   * The methods of `mappingproxy`: reading, iterating and copying go to the dict it wraps
   * (`mappingproxy_methods`); it has no way to change it.
   */
  #installMappingProxy(proxy: PyType): void {
    const vm: Host = this.vm;
    const py = this.#py;
    const dictOf = (a: readonly Ref[]) => py.getRef(a[0]!, 16);
    proxy.methods.set("__getitem__", (a) => this.getItem(dictOf(a), a[1]!));
    proxy.methods.set("__len__", (a) => py.intFromSsize(py.len(dictOf(a))));
    proxy.methods.set("__iter__", (a) => this.iter(dictOf(a)));
    proxy.methods.set("__contains__", (a) => py.bool(this.contains(dictOf(a), a[1]!)));
    for (const name of ["get", "keys", "values", "items", "copy"]) {
      proxy.methods.set(name, (a, kw) =>
        vm.call(this.lookupType(vm.types.dict!, name), [dictOf(a), ...a.slice(1)], kw),
      );
    }
  }

  /** `types.MappingProxyType(d)` (a new reference): a read-only view of dict `d`. */
  mappingProxy(dict: Ref): Ref {
    return this.#mappingProxy(dict);
  }

  /** `C.__dict__` (a new reference): a new mappingproxy of the class's dict. */
  #mappingProxy(dict: Ref): Ref {
    const py = this.#py;
    const proxy = py.allocate(this.#native.mappingproxy!);
    py.setRef(proxy, 16, dict);
    return proxy;
  }

  /**
   * `dir(o)` (a new list): a module's names; for a class, the names of its dict and its
   * bases' (`type.__dir__`); for any other object, its own `__dict__`'s names (which, as in
   * CPython, makes an instance's dict) and its class's (`object.__dir__`); sorted. Without an
   * argument, the names of the running scope.
   */
  dir(o: Ref | undefined): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    const names = new Set<string>();
    const addKeys = (d: Ref) => {
      for (const k of py.dictKeys(d)) if (vm.kindOf(k) === "str") names.add(py.strValue(k));
    };
    if (o === undefined) {
      const f = vm.top!;
      // _dir_locals: the keys of locals(), the frame's f_locals refreshed first.
      addKeys(f.locals || fastToLocals(vm, f, f.fast));
    } else {
      const t = vm.typeOf(o);
      if (t.kind === "module") {
        addKeys(py.getRef(o, ModuleObj.dict));
        for (const name of this.moduleLazyNames.get(o) ?? []) names.add(name);
      } else if (t.kind === "type") this.#classNames(this.typeFromObject(o), names);
      else {
        const own =
          (t.kind === "instance" && !t.slots) || t.kind === "exception" || t.kind === "function"
            ? this.getAttr(o, "__dict__")
            : 0;
        if (own) {
          if (vm.kindOf(own) === "dict") addKeys(own);
          py.decref(own);
        }
        this.#classNames(t, names);
      }
    }
    return py.list([...names].sort().map((n) => py.constant(n)));
  }

  /** `merge_class_dict`: the names in the dicts of `t` and its bases. */
  #classNames(t: PyType, into: Set<string>): void {
    const py = this.#py;
    for (const c of t.mro) {
      if (c.heap && c.dict) {
        for (const k of py.dictKeys(c.dict)) into.add(py.strValue(k));
        continue;
      }
      const own = TYPE_NAMES[c.name];
      if (own !== undefined) for (const n of own.split(" ")) into.add(n);
      else for (const n of c.methods.keys()) into.add(n);
    }
  }

  /** `<attribute '__dict__' of 'C' objects>`, `<member 'x' of 'C' objects>`. */
  #descriptorRepr(o: Ref, word: "attribute" | "member"): string {
    const owner = this.typeFromObject(this.#py.getRef(o, Descr.type));
    return `<${word} '${this.#descriptorNames.get(o)}' of '${owner.name}' objects>`;
  }

  /** `tp_name`: a class statement's name, or a module's built-in type's dotted name. */
  #tpName(t: PyType): string {
    return t.heap || t.module === "__main__" ? t.name : `${t.module}.${t.name}`;
  }

  #qualifiedName(t: PyType): string {
    if (!t.heap) return t.module === "__main__" ? t.name : `${t.module}.${t.name}`;
    // type_module and type_qualname: what the class's dict and its qualname say now.
    const py = this.#py;
    const dict = py.getRef(t.object, TypeObj.dict);
    const own = dict ? py.dictGet(dict, py.constant("__module__")) : 0;
    const module = own && this.vm.kindOf(own) === "str" ? py.strValue(own) : t.module;
    const qual = py.getRef(t.object, TypeObj.qualname);
    const qualname = qual && this.vm.kindOf(qual) === "str" ? py.strValue(qual) : t.qualname;
    return module === "builtins" ? qualname : `${module}.${qualname}`;
  }

  /** `dictview_repr`: `dict_keys(['a', 'b'])`, the view's items as a list; `...` when re-entered. */
  #dictViewRepr(view: Ref, name: "dict_keys" | "dict_values" | "dict_items"): string {
    if (this.reprEnter(view)) return "...";
    try {
      return `${name}(${this.#reprOfList(view)})`;
    } finally {
      this.reprLeave(view);
    }
  }

  /**
   * The repr of `list(iterable)` made as PySequence_List makes it (`PyList_New(0)`, then
   * `list_extend`), which set_repr and dictview_repr show their items through.
   */
  #reprOfList(iterable: Ref): string {
    const py = this.#py;
    const l = py.list([]);
    try {
      this.listExtend(l, iterable);
      return this.reprOf(l);
    } finally {
      py.decref(l);
    }
  }

  /**
   * `Py_ReprEnter`: true when `o`'s repr is already being made (a container inside itself);
   * otherwise `o` is appended to the thread state's `Py_Repr` list until {@link reprLeave}.
   * The first call makes that dict and list, kept for good as CPython keeps them: two tracked
   * objects (`gc.get_count()` grows by 2) and three blocks at a program's first container repr.
   */
  reprEnter(o: Ref): boolean {
    const py = this.#py;
    if (!this.#threadDict) {
      const d = this.vm.keep(py.dict());
      this.#threadDict = d;
      const l = py.list([]);
      py.dictSet(d, py.constant("Py_Repr"), l);
      py.decref(l);
    }
    if (this.#reprActive.has(o)) return true;
    this.#reprActive.add(o);
    py.append(py.dictGet(this.#threadDict, py.constant("Py_Repr")), o);
    return false;
  }

  /** `Py_ReprLeave`: removes `o` from the `Py_Repr` list ({@link reprEnter} returned false). */
  reprLeave(o: Ref): void {
    const py = this.#py;
    if (!this.#reprActive.delete(o)) return;
    const list = py.dictGet(this.#threadDict, py.constant("Py_Repr"));
    const items = py.items(list);
    for (let i = items.length - 1; i >= 0; i--) {
      if (items[i] === o) {
        py.listDeleteSlice(list, i, i + 1);
        return;
      }
    }
  }

  #containerRepr(o: Ref, kind: "list" | "tuple" | "dict"): string {
    const py = this.#py;
    // list_repr and tuplerepr answer an empty one before Py_ReprEnter; dict_repr after it.
    if (kind !== "dict" && py.len(o) === 0) return kind === "list" ? "[]" : "()";
    if (this.reprEnter(o)) return kind === "list" ? "[...]" : kind === "dict" ? "{...}" : "(...)";
    try {
      if (kind === "dict") {
        const parts = py.dictItems(o).map(([k, v]) => `${this.reprOf(k)}: ${this.reprOf(v)}`);
        return `{${parts.join(", ")}}`;
      }
      const items = py.items(o).map((i) => this.reprOf(i));
      if (kind === "list") return `[${items.join(", ")}]`;
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
    } finally {
      this.reprLeave(o);
    }
  }

  /** `bool(o)`. */
  truth(o: Ref): boolean {
    const vm: Host = this.vm;
    const py = this.#py;
    if (o === py.none) return false;
    const t = vm.typeOf(o);
    switch (this.#slotKind(t, false, "__bool__", "__len__")) {
      case "bool":
        return o === vm.trueRef;
      case "int":
        // Zero is the int with no digits.
        return py.memory.i32[(o + IntLayout.size) >>> 2] !== 0;
      case "float":
        return py.memory.f64[(o + FloatLayout.value) >>> 3] !== 0;
      case "str":
      case "list":
      case "tuple":
      case "dict":
      case "set":
      case "frozenset":
        return py.len(o) > 0;
      case "range":
        return Number(vm.intOf(py.getRef(o, Range.length))) > 0;
      case "bytes":
        return this.bytesType.length(o) > 0;
      case "complex": {
        const z = this.complexType.value(o);
        return z.real !== 0 || z.imag !== 0;
      }
      case "instance": {
        const bool = this.lookupType(t, "__bool__");
        if (bool) {
          const r = vm.call(bool, [o]);
          const isBool = vm.kindOf(r) === "bool";
          const value = r === vm.trueRef;
          const name = vm.typeOf(r).name;
          py.decref(r);
          if (!isBool) vm.raise("TypeError", `__bool__ should return bool, returned ${name}`);
          return value;
        }
        const len = this.lookupType(t, "__len__");
        if (len) return this.len(o) > 0;
        return true;
      }
      default: {
        const own = t.slotHooks?.len;
        return own ? own(o) > 0 : true;
      }
    }
  }

  /** `len(o)`; with `base`, the built-in's own length of a subclass's instance. */
  len(o: Ref, base = false): number {
    const vm: Host = this.vm;
    const py = this.#py;
    const t = vm.typeOf(o);
    const slot = this.#slotKind(t, base, "__len__");
    switch (slot) {
      case "str":
      case "list":
      case "tuple":
      case "dict":
      case "set":
      case "frozenset":
        return py.len(o);
      case "range":
        return Number(vm.intOf(py.getRef(o, Range.length)));
      case "bytes":
        return this.bytesType.length(o);
      default: {
        // A subclass of a module's type that defines `__len__` calls it, not the type's slot.
        const own = slot === "instance" ? undefined : t.slotHooks?.len;
        if (own) return own(o);
        const len = this.lookupType(t, "__len__");
        if (!len) return vm.raise("TypeError", `object of type '${t.name}' has no len()`);
        const r = vm.call(len, [o]);
        try {
          if (vm.kindOf(r) !== "int")
            vm.raise(
              "TypeError",
              `'${vm.typeOf(r).name}' object cannot be interpreted as an integer`,
            );
          const n = Number(vm.intOf(r));
          if (n < 0) vm.raise("ValueError", "__len__() should return >= 0");
          return n;
        } finally {
          py.decref(r);
        }
      }
    }
  }

  // ------------------------------------------------------------------ items

  /** `o[key]`; with `base`, the built-in's own subscript of a subclass's instance. */
  getItem(o: Ref, key: Ref, base = false): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    const t = vm.typeOf(o);
    if (t.subtype && !base) {
      const f = this.override(t, "__getitem__");
      if (f) return vm.call(f, [o, key]);
    }
    if (vm.kindOf(key) === "slice" && (t.kind === "list" || t.kind === "tuple" || t.kind === "str"))
      return this.#slice(o, t.kind, key);
    if (t.kind === "list") {
      const i = this.#index(key, "list");
      const n = py.len(o);
      const at = i < 0 ? i + n : i;
      if (at < 0 || at >= n) vm.raise("IndexError", "list index out of range");
      return py.newRef(py.listItem(o, at));
    }
    if (t.kind === "bytes") {
      const d = this.bytesType.data(o);
      if (vm.kindOf(key) === "slice") {
        const [start, , step, length] = this.sliceIndices(key, d.length);
        if (length === d.length && step === 1) return py.newRef(o);
        const out = new Uint8Array(length);
        for (let i = 0, at = start; i < length; i++, at += step) out[i] = d[at]!;
        return this.bytesType.make(out);
      }
      const i = this.#index(key, "byte");
      const at = i < 0 ? i + d.length : i;
      if (at < 0 || at >= d.length) vm.raise("IndexError", "index out of range");
      return py.int(d[at]!);
    }
    if (t.kind === "range") {
      const i = this.#index(key, "range");
      const n = this.len(o);
      const at = i < 0 ? i + n : i;
      if (at < 0 || at >= n) vm.raise("IndexError", "range object index out of range");
      const start = vm.intOf(py.getRef(o, Range.start));
      const step = vm.intOf(py.getRef(o, Range.step));
      return py.int(BigInt(start) + BigInt(at) * BigInt(step));
    }
    if (t.kind === "instance" || t.kind === "other") {
      const f = this.lookupType(t, "__getitem__");
      if (f) return vm.call(f, [o, key]);
    }
    if (t.kind === "dict") {
      this.#checkHashable(key);
      const v = py.dictGet(o, key);
      if (!v) {
        // dict_subscript asks a subclass's `__missing__` before raising.
        const missing = t.subtype ? this.override(t, "__missing__") : 0;
        if (missing) return vm.call(missing, [o, key]);
        throw new Raised(vm.newExceptionWithArgs(vm.types.KeyError!, [key]));
      }
      return py.newRef(v);
    }
    if (t.kind === "type") {
      // A metaclass's `__getitem__` (`Color["RED"]`), else the class's `__class_getitem__`.
      const f = t.heap ? this.#heapLookup(t, "__getitem__") : 0;
      if (f && vm.kindOf(f) === "function") return vm.call(f, [o, key]);
      const cg = this.#heapLookup(this.typeFromObject(o), "__class_getitem__");
      if (cg) {
        const kind = vm.kindOf(cg);
        if (kind === "classmethod") return vm.call(py.getRef(cg, 16), [o, key]);
        if (kind === "staticmethod") return vm.call(py.getRef(cg, 16), [key]);
        if (kind === "function") return vm.call(cg, [key]);
      }
      // A built-in class's __class_getitem__ (Py_GenericAlias): `list[int]`.
      // PyObject_GetItem makes `type[int]` one too.
      if (o === vm.types.type!.object || subscriptsToAlias(this.typeFromObject(o)))
        return genericAlias(this, o, key);
    }
    if ((t.kind === "str" || t.kind === "tuple") && vm.kindOf(key) === "bool") {
      // A bool is an index as the int it is (`"ab"[True]`).
      const i = py.int(vm.intOf(key));
      try {
        return py.getItem(o, i);
      } finally {
        py.decref(i);
      }
    }
    return py.getItem(o, key);
  }

  #index(key: Ref, what: string): number {
    const vm: Host = this.vm;
    const k = vm.kindOf(key);
    if (k !== "int" && k !== "bool")
      vm.raise(
        "TypeError",
        `${what} indices must be integers or slices, not ${vm.typeOf(key).name}`,
      );
    return k === "int" ? Number(this.#py.intValue(key)) : Number(vm.intOf(key));
  }

  #slice(o: Ref, kind: "list" | "tuple" | "str", s: Ref): Ref {
    const py = this.#py;
    // A str's characters are its code points: its text's UTF-16 units unless it has a surrogate,
    // when they are split into code points (once; the text is decoded once too).
    const text = kind === "str" ? py.strValue(o) : "";
    const points = kind === "str" && SURROGATE.test(text) ? Array.from(text) : null;
    const n = kind === "str" ? (points !== null ? points.length : text.length) : py.len(o);
    const [start, , step, length] = this.sliceIndices(s, n);
    const pick = <T>(items: ArrayLike<T>): T[] => {
      const out: T[] = [];
      for (let i = 0, at = start; i < length; i++, at += step) out.push(items[at]!);
      return out;
    };
    if (kind === "str") {
      // An exact str sliced whole is itself (unicode_subscript); a subclass's is copied.
      if (length === n && step === 1 && !this.vm.typeOf(o).heap) return py.newRef(o);
      if (step === 1) {
        return py.str(
          points !== null
            ? points.slice(start, start + length).join("")
            : text.slice(start, start + length),
        );
      }
      // The general case builds a new str (PyUnicode_New), never a cached one-character one;
      // only an empty result is the empty singleton.
      if (length === 0) return py.str("");
      return py.strNew(pick(points ?? text).join(""));
    }
    const items = pick(py.items(o));
    if (kind === "tuple") {
      // tuple_subscript: an exact tuple sliced whole is itself.
      if (length === n && step === 1 && !this.vm.typeOf(o).heap) return py.newRef(o);
      return py.tuple(items);
    }
    // list_slice and list_subscript: a list of exactly the slice's length (list_new_prealloc).
    return py.list(items);
  }

  /** `slice.indices(n)` plus the length: `[start, stop, step, length]`. */
  sliceIndices(s: Ref, n: number): [number, number, number, number] {
    const py = this.#py;
    const vm: Host = this.vm;
    const get = (at: number): number | null => {
      const v = py.getRef(s, at);
      if (v === py.none) return null;
      const k = vm.kindOf(v);
      if (k !== "int" && k !== "bool")
        vm.raise("TypeError", "slice indices must be integers or None or have an __index__ method");
      return Number(vm.intOf(v));
    };
    const stepRaw = get(SliceObj.step);
    const step = stepRaw ?? 1;
    if (step === 0) vm.raise("ValueError", "slice step cannot be zero");
    const adjust = (v: number | null, dflt: number, lo: number, hi: number) => {
      if (v === null) return dflt;
      if (v < 0) return Math.max(v + n, lo);
      return Math.min(v, hi);
    };
    const start =
      step > 0
        ? adjust(get(SliceObj.start), 0, 0, n)
        : adjust(get(SliceObj.start), n - 1, -1, n - 1);
    const stop =
      step > 0 ? adjust(get(SliceObj.stop), n, 0, n) : adjust(get(SliceObj.stop), -1, -1, n - 1);
    const length =
      step > 0
        ? start < stop
          ? Math.floor((stop - start - 1) / step) + 1
          : 0
        : stop < start
          ? Math.floor((start - stop - 1) / -step) + 1
          : 0;
    return [start, stop, step, length];
  }

  /** `o[key] = value`; with `base`, the built-in's own item assignment. */
  setItem(o: Ref, key: Ref, value: Ref, base = false): void {
    const vm: Host = this.vm;
    const py = this.#py;
    const t = vm.typeOf(o);
    if (t.subtype && !base) {
      const f = this.override(t, "__setitem__");
      if (f) {
        py.decref(vm.call(f, [o, key, value]));
        return;
      }
    }
    if (t.kind === "list" && vm.kindOf(key) === "slice") {
      this.#assignSlice(o, key, value);
      this.listChanged(o);
      return;
    }
    if (t.kind === "list") {
      const i = this.#index(key, "list");
      const n = py.len(o);
      const at = i < 0 ? i + n : i;
      if (at < 0 || at >= n) vm.raise("IndexError", "list assignment index out of range");
      py.listSet(o, at, value);
      this.listChanged(o);
      return;
    }
    if (t.kind === "dict") {
      this.#checkHashable(key);
      py.setItem(o, key, value);
      return;
    }
    if (t.kind === "instance" || t.kind === "other") {
      const f = this.lookupType(t, "__setitem__");
      if (f) {
        py.decref(vm.call(f, [o, key, value]));
        return;
      }
    }
    py.setItem(o, key, value);
  }

  /** `del o[key]`; with `base`, the built-in's own item deletion. */
  delItem(o: Ref, key: Ref, base = false): void {
    const vm: Host = this.vm;
    const py = this.#py;
    const t = vm.typeOf(o);
    if (t.subtype && !base) {
      const f = this.override(t, "__delitem__");
      if (f) {
        py.decref(vm.call(f, [o, key]));
        return;
      }
    }
    if (t.kind === "list" && vm.kindOf(key) === "slice") {
      const [start, , step, length] = this.sliceIndices(key, py.len(o));
      if (length === py.len(o) && length > 0) {
        // list_ass_slice clears a list it would empty: items last to first, then the array.
        py.clearList(o);
        this.listChanged(o);
        return;
      }
      if (step === 1) {
        // list_ass_slice: one move of the tail, one resize, the items released last to first.
        if (length > 0) py.listDeleteSlice(o, start, start + length);
        this.listChanged(o);
        return;
      }
      // From the highest index down, so the lower ones stay where they are.
      const at = Array.from({ length }, (_, i) => start + i * step).sort((a, c) => c - a);
      for (const i of at) py.listDelete(o, i);
      this.listChanged(o);
      return;
    }
    if (t.kind === "list") {
      const i = this.#index(key, "list");
      const n = py.len(o);
      const at = i < 0 ? i + n : i;
      if (at < 0 || at >= n) vm.raise("IndexError", "list assignment index out of range");
      // `del l[i]` is list_ass_slice, which clears a list it empties (freeing its array).
      if (n === 1) py.clearList(o);
      else py.listDelete(o, at);
      this.listChanged(o);
      return;
    }
    if (t.kind === "dict") {
      this.#checkHashable(key);
      // dict_ass_sub → PyDict_DelItem: one hash and one lookup, which removes the entry
      // (releasing its key, then its value) or finds none (KeyError(key)).
      const before = py.len(o);
      // An empty dict is not searched, but the key is hashed first all the same.
      if (before === 0) py.hash(key);
      const value = py.dictPop(o, key, py.none);
      const removed = py.len(o) < before;
      py.decref(value);
      if (!removed) throw new Raised(vm.newExceptionWithArgs(vm.types.KeyError!, [key]));
      return;
    }
    if (t.kind === "instance" || t.kind === "other") {
      const f = this.lookupType(t, "__delitem__");
      if (f) {
        py.decref(vm.call(f, [o, key]));
        return;
      }
    }
    // PyObject_DelItem: a type with sequence methods (every class; str, tuple, bytes, range,
    // set and frozenset among the built-ins) given an index asks PySequence_DelItem, which says
    // "doesn't"; any other object or key gets "does not".
    const kk = vm.kindOf(key);
    const sequence =
      t.heap ||
      t.kind === "str" ||
      t.kind === "tuple" ||
      t.kind === "bytes" ||
      t.kind === "range" ||
      t.kind === "set" ||
      t.kind === "frozenset";
    const index = kk === "int" || kk === "bool";
    vm.raise(
      "TypeError",
      `'${t.name}' object ${sequence && index ? "doesn't" : "does not"} support item deletion`,
    );
  }

  /** `l[i:j:k] = iterable` (list_ass_subscript). */
  #assignSlice(l: Ref, s: Ref, iterable: Ref): void {
    const vm: Host = this.vm;
    const py = this.#py;
    const items = this.collect(iterable);
    try {
      const [start, , step, length] = this.sliceIndices(s, py.len(l));
      if (step === 1) {
        // list_ass_slice: one resize, the replaced items released last to first afterwards.
        py.listReplaceSlice(l, start, start + length, items);
        return;
      }
      if (items.length !== length)
        vm.raise(
          "ValueError",
          `attempt to assign sequence of size ${items.length} to extended slice of size ${length}`,
        );
      for (let i = 0; i < length; i++) py.listSet(l, start + i * step, items[i]!);
    } finally {
      for (const i of items) py.decref(i);
    }
  }

  /** Whether `o` is a dict's keys or items view, the views that behave as sets. */
  #setView(o: Ref): "dict_keys" | "dict_items" | undefined {
    const name = this.vm.typeOf(o).name;
    return name === "dict_keys" || name === "dict_items" ? name : undefined;
  }

  /**
   * `key in view` for a keys or items view: a lookup in the view's dict, as
   * `dictkeys_contains`/`dictitems_contains` do (an item is in the view when it is a pair whose
   * key the dict has with an equal value).
   */
  #viewContains(view: Ref, item: Ref): boolean {
    const py = this.#py;
    const d = py.getRef(view, 16);
    if (this.#setView(view) === "dict_keys") {
      this.#checkHashable(item);
      return py.dictGet(d, item) !== 0;
    }
    if (this.vm.kindOf(item) !== "tuple" || py.len(item) !== 2) return false;
    const [key, value] = py.items(item) as [Ref, Ref];
    this.#checkHashable(key);
    const found = py.dictGet(d, key);
    return found !== 0 && (found === value || this.equal(found, value));
  }

  /**
   * `|`, `&`, `-` and `^` with a keys or items view on either side (dictobject.c's
   * `dictviews_or`, `_PyDictView_Intersect`, `dictviews_sub`, `dictviews_xor`): a new set.
   * The union, difference and symmetric difference start from a set of the left operand and
   * update it with the right; the intersection iterates the smaller side and keeps what the
   * other contains.
   */
  #viewOperation(sym: "|" | "&" | "-" | "^", l: Ref, r: Ref): Ref {
    const py = this.#py;
    if (sym === "&") return this.#viewIntersection(l, r);
    const out = py.set([]);
    try {
      this.setUpdate(out, l);
      if (sym === "|") this.setUpdate(out, r);
      else if (sym === "-") {
        const items = this.collect(r);
        try {
          for (const i of items) {
            this.#checkHashable(i);
            py.setDiscard(out, i);
          }
        } finally {
          for (const i of items) py.decref(i);
        }
      } else {
        const other = py.set([]);
        try {
          this.setUpdate(other, r);
          for (const i of py.setItems(other)) {
            if (!py.setDiscard(out, i)) py.setAdd(out, i);
          }
        } finally {
          py.decref(other);
        }
      }
    } catch (error) {
      py.decref(out);
      throw error;
    }
    return out;
  }

  /** `_PyDictView_Intersect`: the view is `self` whichever side it was written on. */
  #viewIntersection(l: Ref, r: Ref): Ref {
    const py = this.#py;
    let self = this.#setView(l) ? l : r;
    let other = self === l ? r : l;
    const selfLength = py.len(py.getRef(self, 16));
    // A larger exact set answers with its own intersection method.
    if (this.vm.kindOf(other) === "set" && selfLength <= py.len(other)) {
      const view = py.set([]);
      try {
        this.setUpdate(view, self);
        return py.setOperation("&", other, view);
      } finally {
        py.decref(view);
      }
    }
    // Of two views, iterate the smaller one.
    if (this.#setView(other) && py.len(py.getRef(other, 16)) > selfLength)
      [self, other] = [other, self];
    const out = py.set([]);
    try {
      const items = this.collect(other);
      try {
        for (const i of items) if (this.#viewContains(self, i)) this.setAdd(out, i);
      } finally {
        for (const i of items) py.decref(i);
      }
    } catch (error) {
      py.decref(out);
      throw error;
    }
    return out;
  }

  /**
   * `dictview_richcompare`: a keys or items view compared with a set or another such view, as
   * sets compare (sizes first, then whether every member of one is in the other); undefined
   * for anything else.
   */
  #viewCompare(l: Ref, r: Ref, op: CompareOp): boolean | undefined {
    const py = this.#py;
    const setLike = (o: Ref) => {
      const k = this.vm.kindOf(o);
      return k === "set" || k === "frozenset" || this.#setView(o) !== undefined;
    };
    if (!setLike(l) || !setLike(r)) return undefined;
    const size = (o: Ref) => (this.#setView(o) ? py.len(py.getRef(o, 16)) : py.len(o));
    const has = (container: Ref, item: Ref) =>
      this.#setView(container)
        ? this.#viewContains(container, item)
        : py.setContains(container, item);
    const within = (a: Ref, b: Ref) => {
      const items = this.collect(a);
      try {
        return items.every((i) => has(b, i));
      } finally {
        for (const i of items) py.decref(i);
      }
    };
    const ls = size(l);
    const rs = size(r);
    switch (op) {
      case CompareOp.Eq:
        return ls === rs && within(l, r);
      case CompareOp.Ne:
        return !(ls === rs && within(l, r));
      case CompareOp.Lt:
        return ls < rs && within(l, r);
      case CompareOp.Le:
        return ls <= rs && within(l, r);
      case CompareOp.Gt:
        return ls > rs && within(r, l);
      default:
        return ls >= rs && within(r, l);
    }
  }

  #checkHashable(key: Ref): void {
    const t = this.vm.typeOf(key);
    // A subclass of list, dict or set that defines `__hash__` is hashable through it.
    if (t.subtype) {
      const h = this.override(t, "__hash__");
      if (h && h !== this.#py.none) return;
    }
    const k = t.kind;
    // Slices became hashable only in 3.12.
    if (k === "list" || k === "dict" || k === "set" || k === "slice" || t.slotHooks?.unhashable)
      this.vm.raise("TypeError", `unhashable type: '${this.#tpName(t)}'`);
  }

  /**
   * range_hash: the hash of `(len, start, step)`, with None for the step of a range of one
   * value and for both of an empty one, so equal ranges hash alike.
   */
  #rangeHash(r: Ref): bigint | number {
    const py = this.#py;
    const n = this.len(r);
    const length = py.int(n);
    const start = py.getRef(r, Range.start);
    const step = py.getRef(r, Range.step);
    const t = py.tuple([length, n === 0 ? py.none : start, n <= 1 ? py.none : step]);
    py.decref(length);
    try {
      return py.hash(t);
    } finally {
      py.decref(t);
    }
  }

  /** The key protocol: `__hash__` and `__eq__` of the objects the runtime does not know. */
  installKeyProtocol(): void {
    const vm = this.vm;
    const py = this.#py;
    py.setKeyProtocol({
      hash: (o) => {
        const t = vm.typeOf(o);
        if (t.kind === "weakref") return weakrefHash(this, o);
        if (t.kind === "complex") return this.complexType.hash(o);
        if (t.kind === "range") return this.#rangeHash(o);
        const f = this.lookupType(t, "__hash__");
        if (
          f === py.none ||
          t.kind === "slice" /* hashable only from 3.12 */ ||
          t.slotHooks?.unhashable
        )
          vm.raise("TypeError", `unhashable type: '${this.#tpName(t)}'`);
        if (t.kind === "bytes") return contentHash(this.bytesType.data(o));
        if (t.slotHooks?.hashData) return contentHash(t.slotHooks.hashData(o));
        // A subclass of int, float, str or tuple may name its base's `__hash__` (a built-in).
        const fk = f ? vm.kindOf(f) : undefined;
        if (fk === "function" || (fk === "builtin" && t.subtype && VALUE_BASES.has(t.kind))) {
          const r = vm.call(f, [o]);
          try {
            const k = vm.kindOf(r);
            if (k !== "int" && k !== "bool")
              vm.raise("TypeError", "__hash__ method should return an integer");
            return vm.intOf(r);
          } finally {
            py.decref(r);
          }
        }
        return hashPointer(o);
      },
      equals: (a, b) => {
        if (a === b) return true;
        return this.equal(a, b);
      },
    });
  }

  // ------------------------------------------------------------------ operators

  /**
   * `l op r`; `inplace` says it is the fallback of `l op= r`, which only changes the wording
   * of the TypeError when no operand implements the operator. With `base`, a subclass's
   * overrides are not asked: the built-in's own operator (`int.__add__(self, other)`).
   */
  binaryOp(op: BinaryOp, l: Ref, r: Ref, inplace = false, base = false): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    const lt = vm.typeOf(l);
    const rt = vm.typeOf(r);
    const lk = lt.kind;
    const rk = rt.kind;
    // bool_and, bool_or, bool_xor: two bools give a bool (the int result's truth).
    if (
      lk === "bool" &&
      rk === "bool" &&
      (op === BinaryOp.And || op === BinaryOp.Or || op === BinaryOp.Xor)
    ) {
      const a = l === vm.trueRef;
      const c = r === vm.trueRef;
      return py.bool(op === BinaryOp.And ? a && c : op === BinaryOp.Or ? a || c : a !== c);
    }
    const lNum = lk === "int" || lk === "bool" || lk === "float";
    const rNum = rk === "int" || rk === "bool" || rk === "float";
    if (lNum && rNum && !lt.subtype && !rt.subtype)
      return this.#numeric(op, l, r, lk === "float" || rk === "float");
    const own = lt.slotHooks?.binary ?? rt.slotHooks?.binary;
    if (own) {
      const res = own(op, l, r, inplace);
      if (res) return res;
    }
    // A subclass of a built-in that defines the operator's method: it runs before the
    // built-in's (its reflected one for the right operand), which follows on NotImplemented.
    // The right operand goes first when its class is a subclass of the left's that
    // overrides the reflected method (binary_op1).
    if ((lt.subtype || rt.subtype) && !base) {
      const [name, reflected] = dunders[op]!;
      const rightFirst =
        rt !== lt && rt.isSubtype(lt) && rt.subtype !== undefined && this.override(rt, reflected);
      const order = [
        [lt, l, r, name],
        [rt, r, l, reflected],
      ] as const;
      for (const [t, self, other, n] of rightFirst ? [order[1], order[0]] : order) {
        // SLOT1BINFULL: the reflected method only for operands of different types.
        if (n === reflected && lt === rt) continue;
        const f = t.subtype ? this.override(t, n) : 0;
        if (!f) continue;
        const res = vm.call(f, [self, other]);
        if (res !== this.notImplemented) return res;
        py.decref(res);
      }
    }
    if (lNum && rNum) return this.#numeric(op, l, r, lk === "float" || rk === "float");
    if (lk === "complex" || rk === "complex") {
      const res = this.complexType.binary(op, l, r);
      if (res) return res;
    }
    if (op === BinaryOp.Add) {
      if (lk === "str" && rk === "str") return py.strConcat(l, r);
      if (lk === "bytes" && rk === "bytes") {
        const a = this.bytesType.data(l);
        const c = this.bytesType.data(r);
        const out = new Uint8Array(a.length + c.length);
        out.set(a);
        out.set(c, a.length);
        return this.bytesType.make(out);
      }
      if (lk === "list" && rk === "list") {
        const out = py.list([]);
        py.extend(out, [...py.items(l), ...py.items(r)]);
        return out;
      }
      if (lk === "tuple" && rk === "tuple") return py.tuple([...py.items(l), ...py.items(r)]);
    }
    if (op === BinaryOp.Multiply) {
      const seqKind = (k: TypeKind) =>
        k === "str" || k === "list" || k === "tuple" || k === "bytes";
      const seq = seqKind(lk) ? l : seqKind(rk) ? r : 0;
      const count = seq === l ? r : l;
      const ck = vm.kindOf(count);
      if (seq && (ck === "int" || ck === "bool")) return this.#repeat(seq, vm.intOf(count));
    }
    // bytes_mod: a bytes template (a subclass's too) makes an exact bytes.
    if (op === BinaryOp.Remainder && lk === "bytes") {
      return this.bytesType.make(this.vm.formatBytesPercent(this.bytesType.data(l), r));
    }
    if (op === BinaryOp.Remainder && lk === "str") {
      const same = this.#percentUnchanged(l, r);
      return same ? py.newRef(same) : py.str(this.vm.formatPercent(l, r));
    }
    const setLike = (k: TypeKind) => k === "set" || k === "frozenset";
    const sym =
      op === BinaryOp.Or
        ? "|"
        : op === BinaryOp.And
          ? "&"
          : op === BinaryOp.Subtract
            ? "-"
            : op === BinaryOp.Xor
              ? "^"
              : undefined;
    if (sym && setLike(lk) && setLike(rk)) return py.setOperation(sym, l, r);
    if (sym && (this.#setView(l) || this.#setView(r))) return this.#viewOperation(sym, l, r);
    if (op === BinaryOp.Or && lk === "dict" && rk === "dict") {
      const d = py.dictCopy(l);
      py.dictUpdate(d, r);
      return d;
    }
    // User classes: __op__, then the right operand's __rop__.
    const names = dunders[op]!;
    if (lk === "instance") {
      const f = this.lookupType(vm.typeOf(l), names[0]);
      if (f) {
        const res = vm.call(f, [l, r]);
        if (res !== this.notImplemented) return res;
        py.decref(res);
      }
    }
    if (rk === "instance") {
      const f = this.lookupType(vm.typeOf(r), names[1]);
      if (f) {
        const res = vm.call(f, [r, l]);
        if (res !== this.notImplemented) return res;
        py.decref(res);
      }
    }
    // type.__or__ (`int | None`): a types.UnionType when both operands can join one.
    if (
      op === BinaryOp.Or &&
      (lk === "type" || rk === "type" || this.isType(l) || this.isType(r))
    ) {
      const u = typeOr(this, l, r);
      if (u) return u;
    }
    return this.#binaryOpError(op, l, r, inplace);
  }

  /**
   * The TypeError of an operator that no operand implements, in CPython's words: when the
   * number protocol gives up on `+` and `*`, `PyNumber_Add` and `PyNumber_Multiply` still try
   * a sequence's concatenation and repetition, whose own errors speak first; everything else
   * is `binop_type_error`, which names the augmented operator (`+=`) for `l op= r`.
   */
  #binaryOpError(op: BinaryOp, l: Ref, r: Ref, inplace: boolean): never {
    const vm: Host = this.vm;
    const lk = vm.kindOf(l);
    const rk = vm.kindOf(r);
    const rName = this.#tpName(vm.typeOf(r));
    if (op === BinaryOp.Add) {
      // list_concat, tuple_concat and PyUnicode_Concat name their own type; bytes_concat
      // (through the buffer protocol) names both.
      if (lk === "str" || lk === "list" || lk === "tuple")
        vm.raise("TypeError", `can only concatenate ${lk} (not "${rName}") to ${lk}`);
      if (lk === "bytes") vm.raise("TypeError", `can't concat ${rName} to bytes`);
    }
    if (op === BinaryOp.Multiply) {
      // sequence_repeat: the left operand's sq_repeat first, then the right one's.
      const seq = (k: TypeKind) => k === "str" || k === "list" || k === "tuple" || k === "bytes";
      if (seq(lk) || seq(rk))
        vm.raise(
          "TypeError",
          `can't multiply sequence by non-int of type '${seq(lk) ? rName : vm.typeOf(l).name}'`,
        );
    }
    return vm.raise(
      "TypeError",
      `unsupported operand type(s) for ${binaryOpSymbols[op]}${inplace ? "=" : ""}: '${vm.typeOf(l).name}' and '${rName}'`,
    );
  }

  /** `l op= r`: lists extend in place; user classes may define `__iop__`. */
  inplaceOp(op: BinaryOp, l: Ref, r: Ref): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    const lk = vm.kindOf(l);
    // A subclass of a built-in that defines the in-place method: it runs first (`x += y` on a
    // list subclass with `__iadd__` does not extend).
    const lt = vm.typeOf(l);
    if (lt.subtype) {
      const f = this.override(lt, `__i${dunders[op]![0].slice(2)}`);
      if (f && f !== py.none) {
        const res = vm.call(f, [l, r]);
        if (res !== this.notImplemented) return res;
        py.decref(res);
        // The override leaves the sequence's in-place slot empty (update_one_slot): on
        // NotImplemented the binary operator makes a new object.
        return this.binaryOp(op, l, r, true);
      }
    }
    if (op === BinaryOp.Add && lk === "list") {
      this.listExtend(l, r);
      return py.newRef(l);
    }
    if (op === BinaryOp.Multiply && lk === "list") {
      const rk = vm.kindOf(r);
      if (rk !== "int" && rk !== "bool") return this.#binaryOpError(op, l, r, true);
      // list_inplace_repeat: the count as a Py_ssize_t, one resize to the whole length, then
      // the copies.
      const items = py.items(l);
      const n = this.repeatTimes(vm.intOf(r), items.length);
      if (n <= 0) py.clearList(l);
      else if (n > 1 && items.length > 0) {
        const copies: Ref[] = [];
        for (let i = 1; i < n; i++) copies.push(...items);
        py.extend(l, copies);
      }
      return py.newRef(l);
    }
    if (lk === "instance") {
      const f = this.lookupType(vm.typeOf(l), `__i${dunders[op]![0].slice(2)}`);
      if (f) {
        const res = vm.call(f, [l, r]);
        if (res !== this.notImplemented) return res;
        py.decref(res);
      }
    }
    return this.binaryOp(op, l, r, true);
  }

  /**
   * sequence_repeat: `seq * n`, with CPython's errors for a count no Py_ssize_t holds and for a
   * result too long (a MemoryError where it would not fit this heap).
   */
  /**
   * The argument itself when `template % args` is one exact str through a lone `%s` that pads
   * nothing (PyUnicode_Format's writer then hands out the str it was given), else 0.
   */
  #percentUnchanged(template: Ref, args: Ref): Ref {
    const py = this.#py;
    const m = /^%-?(\d*)s$/.exec(py.strValue(template));
    if (!m) return 0;
    const tuple = this.vm.kindOf(args) === "tuple" && !this.vm.typeOf(args).subtype;
    if (tuple && py.len(args) !== 1) return 0;
    const arg = tuple ? py.items(args)[0]! : args;
    if (this.vm.typeOf(arg) !== this.vm.types.str) return 0;
    const width = m[1] ? Number(m[1]) : 0;
    return [...py.strValue(arg)].length >= width ? arg : 0;
  }

  /**
   * The count of a mutable sequence's repetition (list_inplace_repeat, bytearray_repeat and
   * bytearray_irepeat): an OverflowError for a count no Py_ssize_t holds, a MemoryError for a
   * result no Py_ssize_t or this heap holds; 0 for a count below one.
   */
  repeatTimes(n: bigint, length: number): number {
    const vm: Host = this.vm;
    if (n > SSIZE_MAX || n < -SSIZE_MAX - 1n)
      vm.raise("OverflowError", "cannot fit 'int' into an index-sized integer");
    if (n <= 0n) return 0;
    if (length > 0 && n > 1n && (BigInt(length) * n > SSIZE_MAX || length * Number(n) > MAX_REPEAT))
      vm.raise("MemoryError");
    return Number(n);
  }

  #repeat(seq: Ref, n: bigint): Ref {
    const py = this.#py;
    const vm: Host = this.vm;
    const kind = vm.kindOf(seq);
    if (n > SSIZE_MAX || n < -SSIZE_MAX - 1n)
      vm.raise("OverflowError", "cannot fit 'int' into an index-sized integer");
    const times = n > 0n ? Number(n) : 0;
    // An exact str, bytes or tuple repeated once is itself (unicode_repeat, bytes_repeat,
    // tuple_repeat).
    if (times === 1 && (kind === "str" || kind === "bytes" || kind === "tuple")) {
      const t = vm.typeOf(seq);
      if (!t.subtype && !t.heap) return py.newRef(seq);
    }
    // The sequence's contents, read once.
    const text = kind === "str" ? py.strValue(seq) : undefined;
    const data = kind === "bytes" ? this.bytesType.data(seq) : undefined;
    const items = text === undefined && data === undefined ? py.items(seq) : undefined;
    const length = text?.length ?? data?.length ?? items!.length;
    if (times > 1 && length > 0) {
      if (BigInt(length) * n > SSIZE_MAX) {
        if (kind === "str") vm.raise("OverflowError", "repeated string is too long");
        if (kind === "bytes") vm.raise("OverflowError", "repeated bytes are too long");
        vm.raise("MemoryError");
      }
      if (length * times > MAX_REPEAT) vm.raise("MemoryError");
    }
    if (text !== undefined) return py.str(text.repeat(times));
    if (data !== undefined) {
      const out = new Uint8Array(data.length * times);
      for (let i = 0; i < times; i++) out.set(data, i * data.length);
      return this.bytesType.make(out);
    }
    const out: Ref[] = [];
    for (let i = 0; i < times; i++) out.push(...items!);
    // tuple_repeat: an exact tuple once is itself.
    if (kind === "tuple")
      return times === 1 && !this.vm.typeOf(seq).heap ? py.newRef(seq) : py.tuple(out);
    // list_repeat allocates exactly.
    return py.list(out);
  }

  #numeric(op: BinaryOp, l: Ref, r: Ref, float: boolean): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    if (float) {
      // Bitwise operators and shifts are not defined on floats: the error names both operands'
      // own types, as CPython's does.
      if (
        op === BinaryOp.And ||
        op === BinaryOp.Or ||
        op === BinaryOp.Xor ||
        op === BinaryOp.LShift ||
        op === BinaryOp.RShift ||
        op === BinaryOp.MatMul
      )
        vm.raise(
          "TypeError",
          `unsupported operand type(s) for ${binaryOpSymbols[op]}: '${vm.typeOf(l).name}' and '${vm.typeOf(r).name}'`,
        );
      const a = this.#toFloat(l);
      const b = this.#toFloat(r);
      // float_pow: a negative base to a finite fractional power is complex_pow's.
      if (
        op === BinaryOp.Power &&
        a < 0 &&
        Number.isFinite(a) &&
        Number.isFinite(b) &&
        b !== Math.floor(b)
      )
        return this.complexType.make(
          this.complexType.power({ real: a, imag: 0 }, { real: b, imag: 0 }),
        );
      return py.float(vm.floatOp(op, a, b));
    }
    const a = BigInt(vm.intOf(l));
    const b = BigInt(vm.intOf(r));
    if (op === BinaryOp.TrueDivide) return py.float(vm.intTrueDivide(a, b));
    if (op === BinaryOp.Power && b < 0n)
      return py.float(vm.floatOp(BinaryOp.Power, Number(a), Number(b)));
    const v = vm.intOp(op, a, b);
    // Both operands of one digit: CPython 3.11's fast paths make the result with
    // _PyLong_FromSTwoDigits / PyLong_FromLong (32 bytes for one digit), py.int's number form.
    return a < MEDIUM && a > -MEDIUM && b < MEDIUM && b > -MEDIUM && v <= SAFE && v >= -SAFE
      ? py.int(Number(v))
      : py.int(v);
  }

  #toFloat(o: Ref): number {
    const py = this.#py;
    if (this.vm.kindOf(o) === "float") return py.floatValue(o);
    const v = this.vm.intOf(o);
    const f = Number(v);
    if (!Number.isFinite(f)) this.vm.raise("OverflowError", "int too large to convert to float");
    return f;
  }

  unaryOp(op: Op, o: Ref): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    const k = vm.kindOf(o);
    const t = vm.typeOf(o);
    if (t.subtype) {
      // A subclass of a built-in that defines the operator's method.
      const f = this.override(
        t,
        op === Op.UNARY_NEGATIVE ? "__neg__" : op === Op.UNARY_POSITIVE ? "__pos__" : "__invert__",
      );
      if (f && f !== py.none) return vm.call(f, [o]);
    }
    if (k === "int") {
      const v = py.intValue(o);
      // Exact as a number: so are its negation and its inverse.
      if (typeof v === "number")
        return py.int(op === Op.UNARY_NEGATIVE ? -v : op === Op.UNARY_POSITIVE ? v : -v - 1);
    }
    if (k === "int" || k === "bool") {
      const v = BigInt(vm.intOf(o));
      if (op === Op.UNARY_NEGATIVE) return py.int(-v);
      if (op === Op.UNARY_POSITIVE) return py.int(v);
      return py.int(~v);
    }
    if (k === "float" && op !== Op.UNARY_INVERT) {
      const v = py.floatValue(o);
      return py.float(op === Op.UNARY_NEGATIVE ? -v : v);
    }
    if (k === "complex" && op !== Op.UNARY_INVERT)
      return this.complexType.unary(o, op === Op.UNARY_NEGATIVE);
    const name =
      op === Op.UNARY_NEGATIVE ? "__neg__" : op === Op.UNARY_POSITIVE ? "__pos__" : "__invert__";
    if (k === "instance") {
      const f = this.lookupType(vm.typeOf(o), name);
      if (f) return vm.call(f, [o]);
    }
    const sym = op === Op.UNARY_NEGATIVE ? "-" : op === Op.UNARY_POSITIVE ? "+" : "~";
    return vm.raise("TypeError", `bad operand type for unary ${sym}: '${vm.typeOf(o).name}'`);
  }

  /**
   * `l op r` for a comparison (a new reference to its result). Counts toward the recursion
   * limit as PyObject_RichCompare does, so comparing containers nested past the limit raises
   * CPython's RecursionError "maximum recursion depth exceeded in comparison".
   */
  richCompare(l: Ref, r: Ref, op: CompareOp): Ref {
    const py = this.#py;
    py.enterCall(" in comparison");
    try {
      return this.#richCompare(l, r, op);
    } finally {
      py.leaveCall();
    }
  }

  #richCompare(l: Ref, r: Ref, op: CompareOp): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    const lt = vm.typeOf(l);
    const rt = vm.typeOf(r);
    // User classes first (the right operand's reflected method when it is a subclass).
    for (const [self, other, name] of [
      [l, r, cmpDunders[op]!],
      [r, l, cmpDunders[reflected[op]!]!],
    ] as const) {
      const t = vm.typeOf(self);
      if (t.kind !== "instance" && t.kind !== "exception" && !t.subtype) continue;
      const f = t.subtype ? this.override(t, name) : this.lookupType(t, name);
      if (f && vm.kindOf(f) === "function") {
        const res = vm.call(f, [self, other]);
        if (res !== this.notImplemented) return res;
        py.decref(res);
      }
    }
    // `!=` without its own method is the inverse of `==` (object.__ne__).
    if (op === CompareOp.Ne) {
      for (const [self, other] of [
        [l, r],
        [r, l],
      ] as const) {
        const t = vm.typeOf(self);
        if (t.kind !== "instance" && t.kind !== "exception") continue;
        const eq = this.lookupType(t, "__eq__");
        if (eq && vm.kindOf(eq) === "function" && !this.lookupType(t, "__ne__")) {
          const res = vm.call(eq, [self, other]);
          if (res !== this.notImplemented) return py.bool(!this.truthOf(res));
          py.decref(res);
        }
      }
    }
    const c = this.compare(l, r, op, lt, rt);
    if (c === undefined) {
      if (op === CompareOp.Eq) return py.bool(l === r);
      if (op === CompareOp.Ne) return py.bool(l !== r);
      return vm.raise(
        "TypeError",
        `'${compareOpSymbols[op]}' not supported between instances of '${this.#tpName(lt)}' and '${this.#tpName(rt)}'`,
      );
    }
    return py.bool(c);
  }

  /** A comparison of built-in values, or undefined when they do not compare. */
  compare(
    l: Ref,
    r: Ref,
    op: CompareOp,
    lt = this.vm.typeOf(l),
    rt = this.vm.typeOf(r),
  ): boolean | undefined {
    const py = this.#py;
    const lk = lt.kind;
    const rk = rt.kind;
    if (lk === "other" || rk === "other") {
      const mw = this.#native.methodWrapper;
      if (lt.native === mw && rt.native === mw && (op === CompareOp.Eq || op === CompareOp.Ne)) {
        // wrapper_richcompare: the same slot wrapper bound to the same object.
        const eq =
          py.getRef(l, MethodWrapper.descr) === py.getRef(r, MethodWrapper.descr) &&
          py.getRef(l, MethodWrapper.self) === py.getRef(r, MethodWrapper.self);
        return op === CompareOp.Eq ? eq : !eq;
      }
      // A mappingproxy compares as the dict it wraps.
      if (lt.name === "mappingproxy") return this.compare(py.getRef(l, 16), r, op);
      if (rt.name === "mappingproxy") return this.compare(l, py.getRef(r, 16), op);
      const view = this.#viewCompare(l, r, op);
      if (view !== undefined) return view;
      const own = lt.slotHooks?.compare ?? rt.slotHooks?.compare;
      if (own) return own(l, r, op);
    }
    const num = (k: TypeKind) => k === "int" || k === "bool" || k === "float";
    let c: number | undefined;
    if (lk === "complex" || rk === "complex") {
      // complex_richcompare: == and != only; with an int, the real part exactly.
      if (op !== CompareOp.Eq && op !== CompareOp.Ne) return undefined;
      const [z, other] = lk === "complex" ? [l, r] : [r, l];
      const eq = this.complexType.equals(
        z,
        other,
        (x, i) => x === Number(this.vm.intOf(i)) && BigInt(x) === this.vm.intOf(i),
      );
      if (eq === undefined) return undefined;
      return op === CompareOp.Eq ? eq : !eq;
    }
    if (num(lk) && num(rk)) {
      const a = lk === "float" ? py.floatValue(l) : this.vm.intOf(l);
      const b = rk === "float" ? py.floatValue(r) : this.vm.intOf(r);
      if (Number.isNaN(a) || Number.isNaN(b)) return op === CompareOp.Ne;
      c = a < b ? -1 : a > b ? 1 : 0;
    } else if (lk === "str" && rk === "str") {
      const a = py.strValue(l);
      const b = py.strValue(r);
      c = a === b ? 0 : codePointCompare(a, b);
    } else if ((lk === "list" && rk === "list") || (lk === "tuple" && rk === "tuple")) {
      if (l === r && (op === CompareOp.Eq || op === CompareOp.Le || op === CompareOp.Ge))
        return true;
      const a = py.items(l);
      const b = py.items(r);
      if ((op === CompareOp.Eq || op === CompareOp.Ne) && a.length !== b.length)
        return op === CompareOp.Ne;
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        if (a[i] === b[i]) continue;
        if (this.#nestedSequence(a[i]!, b[i]!)) {
          if (this.#sequencesEqual(a[i]!, b[i]!)) continue;
        } else if (this.equal(a[i]!, b[i]!)) continue;
        if (op === CompareOp.Eq) return false;
        if (op === CompareOp.Ne) return true;
        return this.truthOf(this.richCompare(a[i]!, b[i]!, op));
      }
      c = a.length - b.length;
    } else if (lk === "dict" && rk === "dict") {
      if (op !== CompareOp.Eq && op !== CompareOp.Ne) return undefined;
      const a = py.dictItems(l);
      let eq = a.length === py.len(r);
      if (eq)
        for (const [k, v] of a) {
          const w = py.dictGet(r, k);
          if (!w || !(w === v || this.equal(v, w))) {
            eq = false;
            break;
          }
        }
      return op === CompareOp.Eq ? eq : !eq;
    } else if ((lk === "set" || lk === "frozenset") && (rk === "set" || rk === "frozenset")) {
      const a = py.setItems(l);
      const bItems = py.setItems(r);
      const sub = a.every((x) => py.setContains(r, x));
      const sup = bItems.every((x) => py.setContains(l, x));
      switch (op) {
        case CompareOp.Eq:
          return sub && sup;
        case CompareOp.Ne:
          return !(sub && sup);
        case CompareOp.Le:
          return sub;
        case CompareOp.Lt:
          return sub && !sup;
        case CompareOp.Ge:
          return sup;
        default:
          return sup && !sub;
      }
    } else if (lk === "method" && rk === "method" && (op === CompareOp.Eq || op === CompareOp.Ne)) {
      const eq =
        py.getRef(l, Method.func) === py.getRef(r, Method.func) &&
        py.getRef(l, Method.self) === py.getRef(r, Method.self);
      return op === CompareOp.Eq ? eq : !eq;
    } else if (
      lk === "builtin" &&
      rk === "builtin" &&
      (op === CompareOp.Eq || op === CompareOp.Ne) &&
      this.vm.typeOf(l).native === this.vm.native.builtin &&
      this.vm.typeOf(r).native === this.vm.native.builtin
    ) {
      // meth_richcompare: the same C function bound to the same object.
      const fns = this.vm.builtinFns;
      const u32 = py.memory.u32;
      const eq =
        fns[u32[(l + Builtin.id) >>> 2]!]!.fn === fns[u32[(r + Builtin.id) >>> 2]!]!.fn &&
        py.getRef(l, Builtin.self) === py.getRef(r, Builtin.self);
      return op === CompareOp.Eq ? eq : !eq;
    } else if (lk === "bytes" && rk === "bytes") {
      const a = this.bytesType.data(l);
      const bd = this.bytesType.data(r);
      c = 0;
      for (let i = 0; i < Math.min(a.length, bd.length) && c === 0; i++) c = a[i]! - bd[i]!;
      if (c === 0) c = a.length - bd.length;
    } else if (lk === "none" && rk === "none") {
      c = 0;
      if (op !== CompareOp.Eq && op !== CompareOp.Ne) return undefined;
    } else if (lk === "range" && rk === "range" && (op === CompareOp.Eq || op === CompareOp.Ne)) {
      const eq = this.reprOf(l) === this.reprOf(r);
      return op === CompareOp.Eq ? eq : !eq;
    } else if (
      lk === "weakref" &&
      rk === "weakref" &&
      (op === CompareOp.Eq || op === CompareOp.Ne)
    ) {
      return weakrefEqual(this, l, r) === (op === CompareOp.Eq);
    } else {
      if (op === CompareOp.Eq) return l === r;
      if (op === CompareOp.Ne) return l !== r;
      return undefined;
    }
    switch (op) {
      case CompareOp.Lt:
        return c < 0;
      case CompareOp.Le:
        return c <= 0;
      case CompareOp.Eq:
        return c === 0;
      case CompareOp.Ne:
        return c !== 0;
      case CompareOp.Gt:
        return c > 0;
      default:
        return c >= 0;
    }
  }

  /** Whether `x` and `y` are both exact lists or both exact tuples. */
  #nestedSequence(x: Ref, y: Ref): boolean {
    const tx = this.vm.typeOf(x);
    const ty = this.vm.typeOf(y);
    return tx === ty && (tx.kind === "tuple" || tx.kind === "list") && !tx.subtype && !tx.heap;
  }

  /**
   * `l == r` for two exact lists or two exact tuples (see {@link #nestedSequence}), as
   * PyObject_RichCompare compares them: each level counts toward the recursion limit (a
   * RecursionError "… in comparison" past it), items compared in order, identical ones skipped.
   * Nested lists in lists and tuples in tuples are walked with an explicit stack, so the
   * JavaScript stack does not grow with the nesting.
   */
  #sequencesEqual(l: Ref, r: Ref): boolean {
    const py = this.#py;
    let entered = 0;
    const outer: Array<[number[], number[], number]> = [];
    try {
      py.enterCall(" in comparison");
      entered++;
      let a = py.items(l);
      let b = py.items(r);
      if (a.length !== b.length) return false;
      let i = 0;
      for (;;) {
        if (i === a.length) {
          const up = outer.pop();
          if (up === undefined) return true;
          py.leaveCall();
          entered--;
          [a, b, i] = up;
          i++;
          continue;
        }
        const x = a[i]!;
        const y = b[i]!;
        if (x === y) {
          i++;
          continue;
        }
        if (this.#nestedSequence(x, y)) {
          py.enterCall(" in comparison");
          entered++;
          const xs = py.items(x);
          const ys = py.items(y);
          if (xs.length !== ys.length) return false;
          outer.push([a, b, i]);
          a = xs;
          b = ys;
          i = 0;
          continue;
        }
        if (!this.equal(x, y)) return false;
        i++;
      }
    } finally {
      for (; entered > 0; entered--) py.leaveCall();
    }
  }

  /** `a == b` as a JavaScript boolean (identity first, as CPython's containers compare). */
  equal(a: Ref, b: Ref): boolean {
    if (a === b) return true;
    return this.truthOf(this.richCompare(a, b, CompareOp.Eq));
  }

  /** The truth of a new reference, which it releases. */
  truthOf(o: Ref): boolean {
    try {
      return this.truth(o);
    } finally {
      this.#py.decref(o);
    }
  }

  /** `item in container`; with `base`, the built-in's own membership test. */
  contains(container: Ref, item: Ref, base = false): boolean {
    const vm: Host = this.vm;
    const py = this.#py;
    const t = vm.typeOf(container);
    if (t.kind === "other" && this.#setView(container)) return this.#viewContains(container, item);
    switch (this.#slotKind(t, base, "__contains__")) {
      case "str": {
        if (vm.kindOf(item) !== "str")
          vm.raise(
            "TypeError",
            `'in <string>' requires string as left operand, not ${vm.typeOf(item).name}`,
          );
        return py.strValue(container).includes(py.strValue(item));
      }
      case "list":
      case "tuple":
        return py.items(container).some((x) => x === item || this.equal(x, item));
      case "dict":
        this.#checkHashable(item);
        return py.dictGet(container, item) !== 0;
      case "set":
      case "frozenset":
        if (vm.kindOf(item) === "set") {
          // set_contains: a set is looked for as the frozenset of its items.
          const key = this.frozensetOf(item);
          try {
            return py.setContains(container, key);
          } finally {
            py.decref(key);
          }
        }
        this.#checkHashable(item);
        return py.setContains(container, item);
      case "bytes": {
        const k = vm.kindOf(item);
        const hay = this.bytesType.data(container);
        if (k === "int" || k === "bool") return hay.includes(Number(vm.intOf(item)));
        if (k !== "bytes")
          vm.raise("TypeError", `a bytes-like object is required, not '${vm.typeOf(item).name}'`);
        return indexOf(hay, this.bytesType.data(item)) >= 0;
      }
      case "range": {
        const k = vm.kindOf(item);
        if (k !== "int" && k !== "bool") {
          // range_contains: anything but an exact int or bool is looked for by `==` over the
          // values (`0.0 in range(3)`).
          const it = this.iter(container);
          try {
            for (let v = this.next(it); v; v = this.next(it)) {
              try {
                if (this.equal(v, item)) return true;
              } finally {
                py.decref(v);
              }
            }
            return false;
          } finally {
            py.decref(it);
          }
        }
        const v = BigInt(vm.intOf(item));
        const start = BigInt(vm.intOf(py.getRef(container, Range.start)));
        const stop = BigInt(vm.intOf(py.getRef(container, Range.stop)));
        const step = BigInt(vm.intOf(py.getRef(container, Range.step)));
        if (step > 0n ? v < start || v >= stop : v > start || v <= stop) return false;
        return (v - start) % step === 0n;
      }
      default: {
        const f = this.lookupType(t, "__contains__");
        if (f) return this.truthOf(vm.call(f, [container, item]));
        // _PySequence_IterSearch rewords iter()'s TypeError for a container that has none.
        if (
          t.kind !== "iterator" &&
          t.kind !== "generator" &&
          !this.lookupType(t, "__iter__") &&
          !this.lookupType(t, "__getitem__")
        )
          vm.raise("TypeError", `argument of type '${t.name}' is not iterable`);
        // Fall back to iteration.
        const it = this.iter(container);
        try {
          for (;;) {
            const v = this.next(it);
            if (!v) return false;
            const eq = v === item || this.equal(v, item);
            py.decref(v);
            if (eq) return true;
          }
        } finally {
          py.decref(it);
        }
      }
    }
  }

  // ------------------------------------------------------------------ containers

  /** `{a, b, …}` (BUILD_SET; items borrowed). */
  set(items: readonly Ref[]): Ref {
    for (const i of items) this.#checkHashable(i);
    return this.#py.set(items);
  }

  /** A frozenset of constants (items borrowed). */
  frozenset(items: readonly Ref[]): Ref {
    return this.#py.frozenset(items);
  }

  /** `s.add(v)` (SET_ADD). */
  setAdd(s: Ref, v: Ref): void {
    this.#checkHashable(v);
    this.#py.setAdd(s, v);
  }

  /**
   * `frozenset(iterable)`: a frozenset is filled once, when it is made (`make_new_set`); an
   * exact frozenset is returned itself, as `frozenset_new` does.
   */
  frozensetOf(iterable: Ref): Ref {
    const py = this.#py;
    const k = this.vm.kindOf(iterable);
    if (k === "set" || k === "frozenset" || k === "dict") return py.setFrom(iterable, true);
    // set_update_internal iterates anything but sets and dicts: a list subclass's own
    // `__iter__` runs.
    const items =
      (k === "list" || k === "tuple") && !this.vm.typeOf(iterable).heap
        ? py.items(iterable).map((i) => py.newRef(i))
        : this.collect(iterable);
    try {
      for (const i of items) this.#checkHashable(i);
      return py.frozenset(items);
    } finally {
      for (const i of items) py.decref(i);
    }
  }

  /** `s.update(iterable)` (SET_UPDATE). */
  setUpdate(s: Ref, iterable: Ref): void {
    const py = this.#py;
    const k = this.vm.kindOf(iterable);
    if (k === "set" || k === "frozenset" || k === "dict") {
      py.setUpdate(s, iterable);
      return;
    }
    // set_update_internal iterates anything but sets and dicts: a list subclass's own
    // `__iter__` runs.
    const items =
      (k === "list" || k === "tuple") && !this.vm.typeOf(iterable).heap
        ? py.items(iterable).map((i) => py.newRef(i))
        : this.collect(iterable);
    try {
      for (const i of items) this.setAdd(s, i);
    } finally {
      for (const i of items) py.decref(i);
    }
  }

  /** `bytes` objects are not modelled yet: a clear error rather than a wrong size. */
  bytes(value: Uint8Array): Ref {
    return this.bytesType.make(value);
  }

  /**
   * `l.extend(iterable)` (LIST_EXTEND, `list(x)`'s filling, `[*x]`), as 3.11's `list_extend`:
   * a list or tuple is copied in at once; any other iterable is run to exhaustion after the list
   * has made room for as many items as {@link lengthHint} guesses (8 when it cannot tell), and
   * the list is cut back at the end if less than half that room was used.
   */
  listExtend(l: Ref, iterable: Ref): void {
    const py = this.#py;
    const t = this.vm.typeOf(iterable);
    // list_extend copies exact lists and tuples only: a subclass's items come through its
    // iterator, with its length as the hint.
    if ((t.kind === "list" || t.kind === "tuple") && !t.heap) {
      py.extend(l, py.items(iterable));
      return;
    }
    const it = this.iter(iterable);
    try {
      py.reserveList(l, this.lengthHint(iterable, 8));
      for (;;) {
        const v = this.next(it);
        if (!v) break;
        py.append(l, v);
        py.decref(v);
      }
    } finally {
      py.decref(it);
    }
    py.trimList(l);
  }

  /**
   * `PyObject_LengthHint(o, fallback)`: the length of an object that has one; what a built-in
   * iterator's `__length_hint__` says (see {@link iteratorHint}); `fallback` for anything else
   * (generators, map, filter, zip, enumerate have no hint).
   */
  lengthHint(o: Ref, fallback: number): number {
    const vm: Host = this.vm;
    const t = vm.typeOf(o);
    const hint = this.iteratorHint(o);
    if (hint !== undefined) return hint;
    if (this.hasLen(o)) return this.len(o);
    if (t.kind !== "instance") return fallback;
    const f = this.lookupType(t, "__length_hint__");
    if (!f) return fallback;
    // PyObject_LengthHint: NotImplemented means no hint; anything else must be an int >= 0.
    const r = vm.call(f, [o]);
    try {
      if (r === this.notImplemented) return fallback;
      const k = vm.kindOf(r);
      if (k !== "int" && k !== "bool")
        vm.raise("TypeError", `__length_hint__ must be an integer, not ${vm.typeOf(r).name}`);
      const n = Number(vm.intOf(r));
      if (n < 0) vm.raise("ValueError", "__length_hint__() should return >= 0");
      return n;
    } finally {
      this.#py.decref(r);
    }
  }

  /**
   * What a built-in iterator's `__length_hint__` returns (CPython's `listiter_len`,
   * `dictiter_len`, `setiter_len`, `rangeiter_len`, `unicodeiter_len`, `striter_len`,
   * `iter_len`, `listreviter_len`, `reversed_len`): the items left, 0 once exhausted or once
   * its dict or set changed size; undefined for an object that is not such an iterator.
   */
  iteratorHint(o: Ref): number | undefined {
    const vm: Host = this.vm;
    const py = this.#py;
    const u32 = py.memory.u32;
    const n = vm.native;
    const id = vm.typeId(o);
    if (id === n.listIter.id || id === n.tupleIter.id || id === this.bytesType.iterType.id) {
      const seq = u32[(o + SeqIter.seq) >>> 2]!;
      if (seq === 0) return 0;
      const size = id === this.bytesType.iterType.id ? this.bytesType.length(seq) : py.len(seq);
      return Math.max(0, size - u32[(o + SeqIter.index) >>> 2]!);
    }
    if (id === n.strIter.id || id === n.strUnicodeIter.id) {
      const seq = u32[(o + SeqIter.seq) >>> 2]!;
      if (seq === 0) return 0;
      const i = u32[(o + SeqIter.index) >>> 2]!;
      if (id === n.strIter.id) return Math.max(0, py.len(seq) - i);
      // The index counts UTF-16 units; the hint counts code points.
      const text = this.#iteratedText.get(o) ?? py.strValue(seq);
      let left = 0;
      for (let j = i; j < text.length; j++) {
        const c = text.charCodeAt(j);
        if (c < 0xdc00 || c > 0xdfff) left++;
      }
      return left;
    }
    if (id === n.rangeIter.id) return Math.max(0, py.memory.f64[(o + RangeIter.left) >>> 3]!);
    if (id === n.rangeIter64.id || id === n.longRangeIter.id) {
      // A length hint is a C ssize_t: past one, reading it overflows, as CPython's does.
      const left = rangeValuesLeft(vm, o);
      if (left > 2n ** 63n - 1n)
        vm.raise("OverflowError", "Python int too large to convert to C ssize_t");
      return Number(left);
    }
    if (id === n.dictKeyIter.id || id === n.dictValueIter.id || id === n.dictItemIter.id)
      return this.#dictIterHint(o);
    if (id === this.#native.setIter!.id) {
      const set = u32[(o + 16) >>> 2]!;
      return set !== 0 && py.len(set) === u32[(o + 24) >>> 2] ? u32[(o + 40) >>> 2]! : 0;
    }
    if (id === this.#native.list_reverseiterator!.id) {
      // listreviter_len: the items before the index, none once the list is shorter.
      const seq = u32[(o + SeqIter.seq) >>> 2]!;
      const position = py.memory.i32[(o + SeqIter.index) >>> 2]! + 1;
      return seq === 0 || py.len(seq) < position ? 0 : position;
    }
    if (id === this.#native.reversed!.id) {
      // reversed_len: the items before the index, none once the sequence is shorter.
      const seq = u32[(o + Reversed.seq) >>> 2]!;
      const position = py.memory.f64[(o + Reversed.index) >>> 3]! + 1;
      return seq === 0 || this.len(seq) < position ? 0 : position;
    }
    if (id === this.#native.iterator!.id) {
      // iter_len: the sequence's length less the index when it has a length, else 0.
      const seq = u32[(o + SeqIter.seq) >>> 2]!;
      if (seq === 0 || !this.hasLen(seq)) return 0;
      return Math.max(0, this.len(seq) - py.memory.f64[(o + SeqIter.index) >>> 3]!);
    }
    for (const name of REVERSE_DICT_ITERATORS)
      if (id === this.#native[name]!.id) return this.#dictIterHint(o);
    return undefined;
  }

  /** dictiter_len: what is left, while the dict keeps the size it had when iteration began. */
  #dictIterHint(o: Ref): number {
    const py = this.#py;
    const u32 = py.memory.u32;
    const d = u32[(o + DictIter.dict) >>> 2]!;
    return d !== 0 && py.len(d) === u32[(o + DictIter.used) >>> 2]
      ? u32[(o + DictIter.len) >>> 2]!
      : 0;
  }

  /** Whether an object has `__len__` (`_PyObject_HasLen`). */
  hasLen(o: Ref): boolean {
    const t = this.vm.typeOf(o);
    switch (t.kind) {
      case "str":
      case "bytes":
      case "list":
      case "tuple":
      case "dict":
      case "set":
      case "frozenset":
      case "range":
        return true;
      default:
        return this.lookupType(t, "__len__") !== 0;
    }
  }

  /** Every item an iterable yields (new references). */
  collect(iterable: Ref): Ref[] {
    const py = this.#py;
    const out: Ref[] = [];
    const it = this.iter(iterable);
    try {
      for (;;) {
        const v = this.next(it);
        if (!v) break;
        out.push(v);
      }
    } catch (error) {
      for (const o of out) py.decref(o);
      throw error;
    } finally {
      py.decref(it);
    }
    return out;
  }

  /**
   * CALL_FUNCTION_EX's positional arguments (a new reference): `o` itself when it is exactly a
   * tuple, else a new tuple of its items (`PySequence_Tuple`).
   * @throws TypeError when `o` is neither iterable nor a sequence (`check_args_iterable`)
   */
  starArgs(func: Ref, o: Ref): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    const t = vm.typeOf(o);
    if (t === vm.types.tuple) return py.newRef(o);
    const k = vm.kindOf(o);
    if (k === "list" || k === "tuple") return py.tuple(py.items(o));
    if (!this.#iterable(o))
      vm.raise(
        "TypeError",
        `${this.functionStr(func)} argument after * must be an iterable, not ${t.name}`,
      );
    const items = this.collect(o);
    try {
      return py.tuple(items);
    } finally {
      for (const i of items) py.decref(i);
    }
  }

  /** The items of a tuple or list (borrowed). */
  sequenceItems(o: Ref): Ref[] {
    const k = this.vm.kindOf(o);
    if (k === "tuple" || k === "list") return this.#py.items(o);
    return this.vm.raise("TypeError", `expected a sequence, got '${this.vm.typeOf(o).name}'`);
  }

  /**
   * `dict(arg)` and `d.update(arg)` (`dict_update_arg`): a dict merged table to table; any
   * other object with `keys()` read through its keys and `[]` (`PyDict_Merge`); anything else
   * iterated as key/value pairs (`PyDict_MergeFromSeq2`), with CPython's errors for an element
   * that is not a pair.
   */
  dictUpdateFrom(d: Ref, arg: Ref): void {
    const vm: Host = this.vm;
    const py = this.#py;
    if (vm.kindOf(arg) === "dict" || this.lookupType(vm.typeOf(arg), "keys")) {
      this.dictUpdate(d, arg);
      return;
    }
    const it = this.iter(arg);
    try {
      for (let i = 0; ; i++) {
        const item = this.next(it);
        if (!item) break;
        try {
          const k = vm.kindOf(item);
          let pair: Ref[];
          if (k === "list" || k === "tuple") pair = py.items(item).map((x) => py.newRef(x));
          else {
            try {
              pair = this.collect(item);
            } catch (error) {
              if (
                !(error instanceof Raised) ||
                !vm.typeOf(error.exc).isSubtype(vm.types.TypeError!)
              )
                throw error;
              vm.raise(
                "TypeError",
                `cannot convert dictionary update sequence element #${i} to a sequence`,
              );
            }
          }
          try {
            if (pair.length !== 2)
              vm.raise(
                "ValueError",
                `dictionary update sequence element #${i} has length ${pair.length}; 2 is required`,
              );
            this.setItem(d, pair[0]!, pair[1]!);
          } finally {
            for (const x of pair) py.decref(x);
          }
        } finally {
          py.decref(item);
        }
      }
    } finally {
      py.decref(it);
    }
  }

  /**
   * `d.update(m)` (DICT_UPDATE) or a `**m` merge (DICT_MERGE), as `_PyDict_MergeEx`: a dict
   * merged table to table, any other object read through its `keys()` and `[]`.
   * A merge passes `duplicate`, called with a key `d` already holds (the update stops there).
   * @throws AttributeError when `m` has no `keys` (the caller words it)
   */
  dictUpdate(d: Ref, m: Ref, duplicate?: (key: Ref) => never): void {
    const vm: Host = this.vm;
    const py = this.#py;
    if (vm.kindOf(m) === "dict") {
      for (const [k, v] of py.dictItems(m)) {
        if (duplicate && py.dictGet(d, k)) duplicate(k);
        py.setItem(d, k, v);
      }
      return;
    }
    const method = this.getAttr(m, "keys");
    let keyList: Ref[];
    try {
      const keys = vm.call(method, []);
      try {
        keyList = this.collect(keys);
      } finally {
        py.decref(keys);
      }
    } finally {
      py.decref(method);
    }
    try {
      for (const k of keyList) {
        if (duplicate && py.dictGet(d, k)) duplicate(k);
        const v = this.getItem(m, k);
        try {
          this.setItem(d, k, v);
        } finally {
          py.decref(v);
        }
      }
    } finally {
      for (const k of keyList) py.decref(k);
    }
  }

  /**
   * How CPython names a callable in a call's error messages (`_PyObject_FunctionStr`):
   * `print()`, `list.append()`, `__main__.f()`, `__main__.C.m()`; `str(f)` when it has no
   * `__qualname__`.
   */
  functionStr(f: Ref): string {
    const vm: Host = this.vm;
    const py = this.#py;
    if (vm.kindOf(f) === "method") f = py.getRef(f, Method.func);
    const optional = (name: string): Ref => {
      try {
        return this.getAttr(f, name);
      } catch (error) {
        if (!(error instanceof Raised) || !vm.typeOf(error.exc).isSubtype(vm.types.AttributeError!))
          throw error;
        py.decref(error.exc);
        return 0;
      }
    };
    const qualname = optional("__qualname__");
    if (!qualname) return this.strOf(f);
    try {
      const q = this.strOf(qualname);
      const module = optional("__module__");
      if (!module) return `${q}()`;
      try {
        const name = vm.kindOf(module) === "str" ? py.strValue(module) : this.strOf(module);
        return name === "builtins" || module === py.none ? `${q}()` : `${name}.${q}()`;
      } finally {
        py.decref(module);
      }
    } finally {
      py.decref(qualname);
    }
  }

  /** The items UNPACK_SEQUENCE/UNPACK_EX push, in order (new references). */
  unpack(seq: Ref, before: number, after: number): Ref[] {
    const vm: Host = this.vm;
    const py = this.#py;
    const k = vm.kindOf(seq);
    let items: Ref[];
    if (k === "tuple" || k === "list") items = py.items(seq).map((i) => py.newRef(i));
    else {
      if (!this.#iterable(seq))
        vm.raise("TypeError", `cannot unpack non-iterable ${vm.typeOf(seq).name} object`);
      items = this.collect(seq);
    }
    const release = () => {
      for (const i of items) py.decref(i);
    };
    if (after < 0) {
      if (items.length !== before) {
        release();
        if (items.length > before)
          vm.raise("ValueError", `too many values to unpack (expected ${before})`);
        vm.raise(
          "ValueError",
          `not enough values to unpack (expected ${before}, got ${items.length})`,
        );
      }
      return items;
    }
    if (items.length < before + after) {
      release();
      vm.raise(
        "ValueError",
        `not enough values to unpack (expected at least ${before + after}, got ${items.length})`,
      );
    }
    const middle = items.slice(before, items.length - after);
    const l = py.list([]);
    py.extend(l, middle);
    for (const m of middle) py.decref(m);
    return [...items.slice(0, before), l, ...items.slice(items.length - after)];
  }

  /**
   * Whether `o` has a way to be iterated (`tp_iter` or the sequence protocol's `__getitem__`),
   * which CPython checks before it words a failed `iter()` as "cannot unpack non-iterable" or
   * "argument after * must be an iterable".
   */
  #iterable(o: Ref): boolean {
    const t = this.vm.typeOf(o);
    switch (t.kind) {
      case "list":
      case "tuple":
      case "str":
      case "dict":
      case "set":
      case "frozenset":
      case "range":
      case "bytes":
      case "iterator":
      case "generator":
        return true;
      default:
        return this.lookupType(t, "__iter__") !== 0 || this.lookupType(t, "__getitem__") !== 0;
    }
  }

  /** FORMAT_VALUE: `f"{v!conv:spec}"`'s text (a new str). */
  formatValue(v: Ref, conversion: number, spec: Ref): Ref {
    const py = this.#py;
    const vm: Host = this.vm;
    let value = v;
    let owned = 0;
    if (conversion === 1) owned = this.strObject(v);
    else if (conversion === 2 || conversion === 3) owned = py.str(this.reprOf(v));
    if (owned) value = owned;
    try {
      const specText = spec ? py.strValue(spec) : "";
      // PyObject_Format's fast path is for an exact str; a subclass's __format__ makes a new one.
      if (!specText && vm.typeOf(value) === vm.types.str) return py.newRef(value);
      // int.__format__ with an empty spec is str(): a new str, as long_to_decimal_string makes.
      if (!specText && vm.kindOf(value) === "int" && !vm.typeOf(value).subtype)
        return this.strObject(value);
      return py.str(vm.format(value, specText));
    } finally {
      if (owned) py.decref(owned);
    }
  }

  // ------------------------------------------------------------------ iteration

  /** `iter(o)` (a new reference to an iterator); with `base`, the built-in's own iterator. */
  iter(o: Ref, base = false): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    const t = vm.typeOf(o);
    const n = vm.native;
    switch (this.#slotKind(t, base, "__iter__")) {
      case "list":
      case "tuple":
      case "str": {
        const native =
          t.kind === "list"
            ? n.listIter
            : t.kind === "tuple"
              ? n.tupleIter
              : isAscii(py.strValue(o))
                ? n.strIter
                : n.strUnicodeIter;
        const it = py.allocate(native);
        py.setRef(it, SeqIter.seq, o);
        return it;
      }
      case "dict": {
        const it = py.allocate(n.dictKeyIter);
        py.setRef(it, DictIter.dict, o);
        py.memory.u32[(it + DictIter.used) >>> 2] = py.len(o);
        py.memory.u32[(it + DictIter.len) >>> 2] = py.len(o);
        return it;
      }
      case "set":
      case "frozenset": {
        const it = py.allocate(this.#native.setIter!);
        py.setRef(it, 16, o);
        py.memory.u32[(it + 24) >>> 2] = py.len(o);
        py.memory.u32[(it + 32) >>> 2] = 0;
        py.memory.u32[(it + 40) >>> 2] = py.len(o); // si->len, what is left to yield
        return it;
      }
      case "range":
        return rangeIter(vm, o);
      case "bytes": {
        const it = py.allocate(this.bytesType.iterType);
        py.setRef(it, SeqIter.seq, o);
        return it;
      }
      case "iterator":
      case "generator":
        return py.newRef(o);
      default: {
        const f = this.lookupType(t, "__iter__");
        if (f) {
          const it = vm.call(f, [o]);
          if (!this.#isIterator(it)) {
            const name = vm.typeOf(it).name;
            py.decref(it);
            vm.raise("TypeError", `iter() returned non-iterator of type '${name}'`);
          }
          return it;
        }
        if (this.lookupType(t, "__getitem__")) {
          // PySeqIter_New: items 0, 1, 2, ... until IndexError or StopIteration.
          const it = py.allocate(this.#native.iterator!);
          py.setRef(it, SeqIter.seq, o);
          return it;
        }
        return vm.raise("TypeError", `'${t.name}' object is not iterable`);
      }
    }
  }

  #isIterator(o: Ref): boolean {
    const t = this.vm.typeOf(o);
    return t.kind === "iterator" || t.kind === "generator" || this.lookupType(t, "__next__") !== 0;
  }

  /** `next(it)`: a new reference, or 0 when it is exhausted. */
  next(it: Ref): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    const u32 = py.memory.u32;
    const id = vm.typeId(it);
    const n = vm.native;
    if (id === n.listIter.id || id === n.tupleIter.id) {
      const seq = u32[(it + SeqIter.seq) >>> 2]!;
      if (!seq) return 0;
      const i = u32[(it + SeqIter.index) >>> 2]!;
      const len = py.len(seq);
      if (i < len) {
        u32[(it + SeqIter.index) >>> 2] = i + 1;
        return py.newRef(id === n.listIter.id ? py.listItem(seq, i) : py.items(seq)[i]!);
      }
      py.setRef(it, SeqIter.seq, 0);
      return 0;
    }
    if (id === this.bytesType.iterType.id) {
      const seq = u32[(it + SeqIter.seq) >>> 2]!;
      if (!seq) return 0;
      const i = u32[(it + SeqIter.index) >>> 2]!;
      if (i < this.bytesType.length(seq)) {
        u32[(it + SeqIter.index) >>> 2] = i + 1;
        return py.int(py.memory.u8[seq + 32 + i]!);
      }
      py.setRef(it, SeqIter.seq, 0);
      return 0;
    }
    if (id === n.rangeIter.id) {
      const f64 = py.memory.f64;
      const left = f64[(it + RangeIter.left) >>> 3]!;
      if (left <= 0) return 0;
      const v = f64[(it + RangeIter.next) >>> 3]!;
      f64[(it + RangeIter.left) >>> 3] = left - 1;
      f64[(it + RangeIter.next) >>> 3] = v + f64[(it + RangeIter.step) >>> 3]!;
      return py.int(v);
    }
    if (id === n.strIter.id || id === n.strUnicodeIter.id) {
      const seq = u32[(it + SeqIter.seq) >>> 2]!;
      if (!seq) return 0;
      // The index is in UTF-16 units of the str's text, read from the heap once per iterator.
      let text = this.#iteratedText.get(it);
      if (text === undefined) {
        text = py.strValue(seq);
        this.#iteratedText.set(it, text);
      }
      const i = u32[(it + SeqIter.index) >>> 2]!;
      if (i < text.length) {
        const cp = text.codePointAt(i)!;
        u32[(it + SeqIter.index) >>> 2] = i + (cp > 0xffff ? 2 : 1);
        return py.str(String.fromCodePoint(cp));
      }
      this.#iteratedText.delete(it);
      py.setRef(it, SeqIter.seq, 0);
      return 0;
    }
    if (id === n.dictKeyIter.id || id === n.dictValueIter.id || id === n.dictItemIter.id) {
      const d = this.#iteratedDict(it);
      if (!d) return 0;
      const pos = py.dictNext(d, u32[(it + DictIter.pos) >>> 2]!);
      if (pos < 0) {
        py.setRef(it, DictIter.dict, 0);
        return 0;
      }
      // dictiter_iternextkey: an entry past the count it started with means the keys changed
      // while the size stayed; the iterator lets the dict go.
      if (u32[(it + DictIter.len) >>> 2] === 0) {
        py.setRef(it, DictIter.dict, 0);
        vm.raise("RuntimeError", "dictionary keys changed during iteration");
      }
      u32[(it + DictIter.pos) >>> 2] = pos + 1;
      u32[(it + DictIter.len) >>> 2]! -= 1;
      return this.#dictEntry(
        it,
        d,
        pos,
        id === n.dictKeyIter.id ? "key" : id === n.dictValueIter.id ? "value" : "item",
      );
    }
    if (id === this.#native.setIter!.id) {
      const set = u32[(it + 16) >>> 2]!;
      if (!set) return 0;
      if (py.len(set) !== u32[(it + 24) >>> 2]) {
        u32[(it + 24) >>> 2] = 0xffffffff;
        vm.raise("RuntimeError", "Set changed size during iteration");
      }
      const pos = py.setNext(set, u32[(it + 32) >>> 2]!);
      if (pos < 0) {
        py.setRef(it, 16, 0);
        return 0;
      }
      u32[(it + 32) >>> 2] = pos + 1;
      u32[(it + 40) >>> 2]! -= 1;
      return py.newRef(py.setKeyAt(set, pos));
    }
    const t = vm.typeOf(it);
    if (t.kind === "generator") return this.resume(it);
    if (t.kind === "iterator") return this.#nextBuiltinIterator(it, t.name);
    const own = t.slotHooks?.next;
    if (own) return own(it);
    const f = this.lookupType(t, "__next__");
    if (!f) return vm.raise("TypeError", `'${t.name}' object is not an iterator`);
    try {
      return vm.call(f, [it]);
    } catch (error) {
      if (error instanceof Raised && vm.typeOf(error.exc).isSubtype(vm.types.StopIteration!)) {
        py.decref(error.exc);
        return 0;
      }
      throw error;
    }
  }

  /**
   * The dict a dict iterator walks (borrowed), or 0 once it is exhausted; when the dict's size
   * changed since the iteration began, CPython's RuntimeError is raised and the iterator keeps
   * the dict with its size marked -1, so every later call raises again (dictiter_iternextkey
   * and its kin, forward and reversed: "make this state sticky").
   */
  #iteratedDict(it: Ref): Ref {
    const py = this.#py;
    const u32 = py.memory.u32;
    const d = u32[(it + DictIter.dict) >>> 2]!;
    if (d && py.len(d) !== u32[(it + DictIter.used) >>> 2]) {
      u32[(it + DictIter.used) >>> 2] = 0xffffffff;
      this.vm.raise("RuntimeError", "dictionary changed size during iteration");
    }
    return d;
  }

  /** What a dict iterator hands out at live position `pos`: the key, the value or a (key, value) tuple (a new reference). */
  #dictEntry(it: Ref, d: Ref, pos: number, part: "key" | "value" | "item"): Ref {
    const py = this.#py;
    const k = py.dictKeyAt(d, pos);
    if (part === "key") return py.newRef(k);
    const v = py.dictValueAt(d, pos);
    if (part === "value") return py.newRef(v);
    py.incref(k);
    py.incref(v);
    return this.#recycledPair(it, DictIter.result, k, v);
  }

  /**
   * The reusable result tuple in field `field` of iterator `it` when nothing but the iterator
   * holds it, else 0: CPython's enumerate, zip and dict item iterators hand out that tuple again
   * when the loop body has dropped the last one (`Py_REFCNT(result) == 1`), refilled in place,
   * and track it again if a collection untracked it. Only under a strategy that counts in place
   * is the count known without a scan; the others always make a new tuple.
   */
  #reusableResult(it: Ref, field: number): Ref {
    const py = this.#py;
    if (!py.countsInPlace) return 0;
    const u32 = py.memory.u32;
    const r = u32[(it + field) >>> 2]!;
    if (r === 0 || u32[(r + OB_REFCNT) >>> 2] !== 1) return 0;
    return r;
  }

  /** Puts `item` (taken) at index `i` of tuple `r` that only its iterator holds, releasing the old item. */
  #refill(r: Ref, i: number, item: Ref): void {
    const py = this.#py;
    const at = (r + TupleLayout.items + TupleLayout.itemSize * i) >>> 2;
    const u32 = py.memory.u32;
    const old = u32[at]!;
    u32[at] = item;
    if (old !== 0) py.decref(old);
  }

  /** A 2-tuple of `a` and `b` (both taken): iterator `it`'s result tuple reused when it may be, else a new one. */
  #recycledPair(it: Ref, field: number, a: Ref, b: Ref): Ref {
    const py = this.#py;
    const r = this.#reusableResult(it, field);
    if (r) {
      // Both items go in before either old one is released, as enum_next and
      // dictiter_iternextitem do (a release can run a finalizer that iterates again).
      const u32 = py.memory.u32;
      const at = (r + TupleLayout.items) >>> 2;
      const step = TupleLayout.itemSize >>> 2;
      const oldA = u32[at]!;
      const oldB = u32[at + step]!;
      u32[at] = a;
      u32[at + step] = b;
      py.incref(r);
      if (oldA) py.decref(oldA);
      if (oldB) py.decref(oldB);
      if (!py.isTracked(r)) py.track(r);
      return r;
    }
    const t = py.tuple([a, b]);
    py.decref(a);
    py.decref(b);
    return t;
  }

  /** `enumerate`, `zip`, `map`, `filter` and `reversed` objects. */
  #nextBuiltinIterator(it: Ref, name: string): Ref {
    const vm: Host = this.vm;
    const py = this.#py;
    const u32 = py.memory.u32;
    switch (name) {
      case "range_iterator":
      case "longrange_iterator":
        return nextRangeValue(vm, it);
      case "enumerate": {
        // enum_next: the item first, then the index, then the result tuple.
        const inner = u32[(it + Enumerate.iter) >>> 2]!;
        const v = this.next(inner);
        if (!v) return 0;
        const f64 = py.memory.f64;
        const i = f64[(it + Enumerate.index) >>> 3]!;
        f64[(it + Enumerate.index) >>> 3] = i + 1;
        return this.#recycledPair(it, Enumerate.result, py.intFromSsize(i), v);
      }
      case "zip":
        return this.#zipNext(it);
      case "map": {
        const iters = py.items(u32[(it + MapIter.iters) >>> 2]!);
        const func = u32[(it + MapIter.func) >>> 2]!;
        const args: Ref[] = [];
        try {
          for (const i of iters) {
            const v = this.next(i);
            if (!v) return 0;
            args.push(v);
          }
          return vm.call(func, args);
        } finally {
          for (const a of args) py.decref(a);
        }
      }
      case "filter": {
        const inner = py.items(u32[(it + MapIter.iters) >>> 2]!)[0]!;
        const func = u32[(it + MapIter.func) >>> 2]!;
        for (;;) {
          const v = this.next(inner);
          if (!v) return 0;
          let keep: boolean;
          try {
            keep = func === py.none ? this.truth(v) : this.truthOf(vm.call(func, [v]));
          } catch (error) {
            py.decref(v);
            throw error;
          }
          if (keep) return v;
          py.decref(v);
        }
      }
      case "iterator": {
        // iter_iternext: `seq[index]`; IndexError or StopIteration ends it and drops seq.
        const seq = u32[(it + SeqIter.seq) >>> 2]!;
        if (!seq) return 0;
        const f64 = py.memory.f64;
        const index = f64[(it + SeqIter.index) >>> 3]!;
        const key = py.int(index);
        try {
          const item = this.getItem(seq, key);
          f64[(it + SeqIter.index) >>> 3] = index + 1;
          return item;
        } catch (error) {
          if (error instanceof Raised) {
            const t = vm.typeOf(error.exc);
            if (t.isSubtype(vm.types.IndexError!) || t.isSubtype(vm.types.StopIteration!)) {
              py.decref(error.exc);
              py.setRef(it, SeqIter.seq, 0);
              return 0;
            }
          }
          throw error;
        } finally {
          py.decref(key);
        }
      }
      case "list_reverseiterator": {
        const seq = u32[(it + SeqIter.seq) >>> 2]!;
        if (!seq) return 0;
        const i32 = py.memory.i32;
        const i = i32[(it + SeqIter.index) >>> 2]!;
        if (i >= 0 && i < py.len(seq)) {
          i32[(it + SeqIter.index) >>> 2] = i - 1;
          return py.newRef(py.listItem(seq, i));
        }
        i32[(it + SeqIter.index) >>> 2] = -1;
        py.setRef(it, SeqIter.seq, 0);
        return 0;
      }
      case "dict_reversekeyiterator":
      case "dict_reversevalueiterator":
      case "dict_reverseitemiterator": {
        const d = this.#iteratedDict(it);
        if (!d) return 0;
        const i32 = py.memory.i32;
        const pos = py.dictPrev(d, i32[(it + DictIter.pos) >>> 2]!);
        if (pos < 0) {
          i32[(it + DictIter.pos) >>> 2] = -1;
          py.setRef(it, DictIter.dict, 0);
          return 0;
        }
        i32[(it + DictIter.pos) >>> 2] = pos - 1;
        u32[(it + DictIter.len) >>> 2]! -= 1;
        return this.#dictEntry(
          it,
          d,
          pos,
          name === "dict_reversekeyiterator"
            ? "key"
            : name === "dict_reversevalueiterator"
              ? "value"
              : "item",
        );
      }
      case "reversed": {
        const seq = u32[(it + Reversed.seq) >>> 2]!;
        if (!seq) return 0;
        const f64 = py.memory.f64;
        const i = f64[(it + Reversed.index) >>> 3]!;
        if (i < 0 || i >= this.len(seq)) {
          py.setRef(it, Reversed.seq, 0);
          return 0;
        }
        f64[(it + Reversed.index) >>> 3] = i - 1;
        const key = py.int(i);
        try {
          return this.getItem(seq, key);
        } finally {
          py.decref(key);
        }
      }
      default:
        return vm.raise("TypeError", `'${name}' object is not an iterator`);
    }
  }

  /**
   * `zip_next`: a tuple of the next item of each iterator, the zip's result tuple refilled in
   * place when nothing else holds it. The first iterator to end stops it (under `strict=True`
   * the others must end there too, else CPython's ValueError); a reused tuple keeps the items
   * already taken from the iterators before the one that ended, as CPython's does.
   */
  #zipNext(it: Ref): Ref {
    const py = this.#py;
    const u32 = py.memory.u32;
    const size = u32[(it + Zip.size) >>> 2]!;
    if (size === 0) return 0;
    const iters = u32[(it + Zip.iters) >>> 2]!;
    const strict = u32[(it + Zip.strict) >>> 2] !== 0;
    let r = this.#reusableResult(it, Zip.result);
    if (r) {
      py.incref(r);
      for (let i = 0; i < size; i++) {
        let item: Ref;
        try {
          item = this.next(u32[(iters + TupleLayout.items + TupleLayout.itemSize * i) >>> 2]!);
        } catch (error) {
          py.decref(r);
          throw error;
        }
        if (!item) {
          py.decref(r);
          return strict ? this.#zipStrictEnd(iters, size, i) : 0;
        }
        this.#refill(r, i, item);
      }
      if (!py.isTracked(r)) py.track(r);
      return r;
    }
    const got: Ref[] = [];
    for (let i = 0; i < size; i++) {
      let item: Ref;
      try {
        item = this.next(u32[(iters + TupleLayout.items + TupleLayout.itemSize * i) >>> 2]!);
      } catch (error) {
        for (const g of got) py.decref(g);
        throw error;
      }
      if (!item) {
        for (const g of got) py.decref(g);
        return strict ? this.#zipStrictEnd(iters, size, i) : 0;
      }
      got.push(item);
    }
    r = py.tuple(got);
    for (const g of got) py.decref(g);
    return r;
  }

  /** zip_next's `check:` under `strict=True`, after iterator `i` ended: 0 when all end together, else CPython's ValueError. */
  #zipStrictEnd(iters: Ref, size: number, i: number): Ref {
    const plural = (n: number) => (n === 1 ? " " : "s 1-");
    if (i > 0)
      this.vm.raise(
        "ValueError",
        `zip() argument ${i + 1} is shorter than argument${plural(i)}${i}`,
      );
    const u32 = this.#py.memory.u32;
    for (let k = 1; k < size; k++) {
      const item = this.next(u32[(iters + TupleLayout.items + TupleLayout.itemSize * k) >>> 2]!);
      if (item) {
        this.#py.decref(item);
        this.vm.raise(
          "ValueError",
          `zip() argument ${k + 1} is longer than argument${plural(k)}${k}`,
        );
      }
    }
    return 0;
  }

  /**
   * A builtin iterator object of `name` over `refs` (taken), with a numeric start. An
   * `enumerate` gets its result tuple `(None, None)` (enum_new); a `zip` takes its iterators'
   * tuple and gets a result tuple of as many `None`s (zip_new), `strict` set as given.
   */
  newIterator(
    name: "enumerate" | "zip" | "map" | "filter" | "reversed",
    refs: readonly Ref[],
    start = 0,
    strict = false,
  ): Ref {
    const py = this.#py;
    if (name === "zip") {
      // zip_new: the iterators' tuple, the result holder, then the object.
      const iters = refs[0]!;
      const size = py.len(iters);
      const result = py.tuple(new Array<Ref>(size).fill(py.none));
      const o = py.allocate(this.#native.zip!);
      py.takeRef(o, Zip.iters, iters);
      py.takeRef(o, Zip.result, result);
      py.memory.u32[(o + Zip.size) >>> 2] = size;
      py.memory.u32[(o + Zip.strict) >>> 2] = strict ? 1 : 0;
      return o;
    }
    const o = py.allocate(this.#native[name]!);
    const offsets =
      name === "enumerate"
        ? [Enumerate.iter]
        : name === "reversed"
          ? [Reversed.seq]
          : [MapIter.iters, MapIter.func];
    for (let i = 0; i < refs.length; i++) py.takeRef(o, offsets[i]!, refs[i]!);
    if (name === "enumerate") {
      py.memory.f64[(o + Enumerate.index) >>> 3] = start;
      py.takeRef(o, Enumerate.result, py.tuple([py.none, py.none]));
    }
    if (name === "reversed") py.memory.f64[(o + Reversed.index) >>> 3] = start;
    return o;
  }

  // ------------------------------------------------------------------ modules, views, super

  /** The `__main__` module (borrowed) once the program runs, else 0. */
  #mainModule: Ref = 0;
  /** `sys.modules` once the program has read it (a kept reference), else 0. */
  #sysModules: Ref = 0;

  /**
   * `sys.modules` (borrowed), made at its first read: the modules imported so far by name,
   * `builtins` first and `__main__` among them; later imports are added as they happen, and an
   * import looks there first, as CPython's does, and a module deleted from it is made anew by the
   * next import. (CPython's also lists the modules its start-up imports, `encodings`, `site`
   * and the rest, which this interpreter does not have.)
   */
  sysModules(): Ref {
    if (this.#sysModules) return this.#sysModules;
    const py = this.#py;
    const d = this.vm.keep(py.dict());
    for (const [name, m] of this.modules) {
      this.setStr(d, name, m);
      if (name === "sys" && this.#mainModule) this.setStr(d, "__main__", this.#mainModule);
    }
    if (this.#mainModule && !py.dictGet(d, py.constant("__main__")))
      this.setStr(d, "__main__", this.#mainModule);
    this.#sysModules = d;
    return d;
  }

  /**
   * finalize_remove_modules and finalize_clear_modules_dict: every entry of `sys.modules` set
   * to None in order (a module nothing else holds goes then), then the dict emptied.
   */
  removeModules(): void {
    const d = this.#sysModules;
    if (!d) return;
    const py = this.#py;
    for (const k of py.dictKeys(d)) py.dictSet(d, k, py.none);
    py.dictClear(d);
  }

  /** `import name` (a new reference to the module). @throws ModuleNotFoundError */
  importModule(name: string): Ref {
    const py = this.#py;
    // Before sys.modules is made (at its first read), `__main__` is the program's module, as the
    // entry start-up puts there.
    const listed = this.#sysModules
      ? py.dictGet(this.#sysModules, py.constant(name))
      : name === "__main__"
        ? this.#mainModule
        : 0;
    if (listed === py.none)
      throw new Raised(
        this.importError(
          "ModuleNotFoundError",
          `import of ${name} halted; None in sys.modules`,
          name,
        ),
      );
    if (listed) return py.newRef(listed);
    const cached = this.modules.get(name);
    // A module the program deleted from sys.modules is made anew, as CPython's import makes a
    // new module object (io's types are the interpreter's own: it stays the one module).
    const fresh =
      cached && this.#sysModules && name !== "io" ? createModule(this, name) : undefined;
    if (fresh) {
      this.modules.set(name, this.vm.keep(fresh));
      this.setStr(this.#sysModules, name, fresh);
      return py.newRef(fresh);
    }
    if (cached) {
      if (this.#sysModules) this.setStr(this.#sysModules, name, cached);
      return py.newRef(cached);
    }
    const dot = name.lastIndexOf(".");
    if (dot >= 0) {
      // `import a.b` imports `a` first, then `a.b`, which becomes `a`'s attribute `b`: a
      // submodule this interpreter makes (`collections.abc`), or a module `a` holds already
      // (`os.path`).
      const parentName = name.slice(0, dot);
      const parent = this.importModule(parentName);
      try {
        const ns = py.getRef(parent, ModuleObj.dict);
        const held = py.dictGet(ns, py.constant(name.slice(dot + 1)));
        const sub =
          held && this.vm.kindOf(held) === "module" ? py.newRef(held) : createModule(this, name);
        if (sub === undefined) {
          const message = `No module named '${name}'; '${parentName}' is not a package`;
          throw new Raised(this.importError("ModuleNotFoundError", message, name));
        }
        this.modules.set(name, this.vm.keep(sub));
        if (this.#sysModules) this.setStr(this.#sysModules, name, sub);
        this.setStr(ns, name.slice(dot + 1), sub);
        return sub;
      } finally {
        py.decref(parent);
      }
    }
    const m = createModule(this, name);
    // CPython's message exactly, since a program can print it; the CLI says which modules exist.
    if (m === undefined)
      throw new Raised(this.importError("ModuleNotFoundError", `No module named '${name}'`, name));
    this.modules.set(name, this.vm.keep(m));
    if (this.#sysModules) this.setStr(this.#sysModules, name, m);
    return py.newRef(m);
  }

  /**
   * IMPORT_NAME and `__import__` (a new reference): `importModule(name)`, or the top package of
   * a dotted name when `fromlist` is empty, as `PyImport_ImportModuleLevelObject` returns it.
   */
  importName(name: string, fromlist: Ref): Ref {
    const py = this.#py;
    const m = this.importModule(name);
    const dot = name.indexOf(".");
    if (dot < 0 || (fromlist && fromlist !== py.none && this.truth(fromlist))) return m;
    py.decref(m);
    return this.importModule(name.slice(0, dot));
  }

  /**
   * `PyErr_SetImportError`'s exception (a new reference): the message, with the module's name
   * (a code object's name constant) in the exception's `name` field.
   */
  importError(type: "ImportError" | "ModuleNotFoundError", message: string, module: string): Ref {
    const t = this.vm.types[type]!;
    const exc = this.vm.newException(t, [message]);
    this.#py.setRef(exc, memberOffset(familyOf(t), "name"), this.#py.constant(module));
    return exc;
  }

  /**
   * `reversed(d)` (keys) or `reversed` of a view: a reverse dict iterator from the last entry
   * (a new reference).
   */
  reverseDict(d: Ref, name: string): Ref {
    const py = this.#py;
    const it = py.allocate(this.#native[name]!);
    py.setRef(it, DictIter.dict, d);
    const used = py.len(d);
    py.memory.u32[(it + DictIter.used) >>> 2] = used;
    // dictiter_new fixes where the walk starts: entries added later are past it.
    py.memory.i32[(it + DictIter.pos) >>> 2] = py.dictReverseStart(d);
    py.memory.u32[(it + DictIter.len) >>> 2] = used;
    if (name === "dict_reverseitemiterator")
      py.takeRef(it, DictIter.result, py.tuple([py.none, py.none]));
    return it;
  }

  /** `reversed(r)` of a range: a `range_iterator` from the last value down (`range_reverse`). */
  reverseRange(r: Ref): Ref {
    return rangeReverse(this.vm, r);
  }

  /** `reversed(l)` of a list: a `list_reverseiterator` from the last item (a new reference). */
  reverseList(l: Ref): Ref {
    const py = this.#py;
    const it = py.allocate(this.#native.list_reverseiterator!);
    py.setRef(it, SeqIter.seq, l);
    py.memory.i32[(it + SeqIter.index) >>> 2] = py.len(l) - 1;
    return it;
  }

  /** `d.keys()`, `d.values()` or `d.items()`: a view of the dict (a new reference). */
  dictView(kind: "dict_keys" | "dict_values" | "dict_items", d: Ref): Ref {
    const py = this.#py;
    const v = py.allocate(this.#native[kind]!);
    py.setRef(v, 16, d);
    return v;
  }

  /** One of the descriptor types' native types. */
  nativeType(name: "property" | "staticmethod" | "classmethod"): NativeType {
    return this.#native[name]!;
  }

  /** The native type of `super` objects. */
  superType(): NativeType {
    return this.#native.super!;
  }

  // ------------------------------------------------------------------ generators

  /** The generator protocol (genobject.c). */
  readonly generators: Generators;

  /** The native type of generator objects. */
  get generatorType(): NativeType {
    return this.#native.generator!;
  }

  /** The generator object of a generator function's new frame (a new reference). */
  newGenerator(frame: VMFrame): Ref {
    return this.generators.make(frame);
  }

  /** Runs a generator to its next value (a new reference), or 0 when it is finished. */
  resume(gen: Ref): Ref {
    try {
      return this.generators.next(gen);
    } catch (error) {
      // tp_iternext's StopIteration(value), which the iteration protocol drops.
      if (
        error instanceof Raised &&
        this.vm.typeOf(error.exc).isSubtype(this.vm.types.StopIteration!)
      ) {
        this.#py.decref(error.exc);
        return 0;
      }
      throw error;
    }
  }
}

/** The method names of each binary operator: `__op__` and the reflected `__rop__`. */
const dunders: ReadonlyArray<readonly [string, string]> = [
  ["__add__", "__radd__"],
  ["__and__", "__rand__"],
  ["__floordiv__", "__rfloordiv__"],
  ["__lshift__", "__rlshift__"],
  ["__matmul__", "__rmatmul__"],
  ["__mul__", "__rmul__"],
  ["__mod__", "__rmod__"],
  ["__or__", "__ror__"],
  ["__pow__", "__rpow__"],
  ["__rshift__", "__rrshift__"],
  ["__sub__", "__rsub__"],
  ["__truediv__", "__rtruediv__"],
  ["__xor__", "__rxor__"],
];

/** The built-in bases whose subclasses' instances hold a value their `__new__` takes. */
/** The attributes every class has of its own (type's getsets), before its metaclass's. */
const TYPE_DATA: ReadonlySet<string> = new Set([
  "__name__",
  "__qualname__",
  "__module__",
  "__mro__",
  "__bases__",
  "__base__",
  "__dict__",
  "__doc__",
]);

/**
 * The built-in types CPython 3.11 gives no vectorcall: calling one goes through
 * `_PyObject_MakeTpCall`, which packs the arguments into a tuple (and the keywords into a dict)
 * for `tp_call`. The others (`list`, `dict`, `tuple`, `set`, `frozenset`, `range`, `float`,
 * `bool`, `type`, `enumerate`, `map`, `filter`, `reversed`) take the arguments as they are.
 */
const PACKING_TYPES: ReadonlySet<string> = new Set([
  "str",
  "int",
  "complex",
  "bytes",
  "bytearray",
  "zip",
  "property",
  "staticmethod",
  "classmethod",
  "slice",
  "memoryview",
]);

const VALUE_BASES: ReadonlySet<TypeKind> = new Set<TypeKind>([
  "int",
  "float",
  "str",
  "tuple",
  "frozenset",
  "bytes",
]);

/** Built-in types CPython 3.11 makes without Py_TPFLAGS_BASETYPE: no class derives from them. */
const NOT_BASE_TYPES: ReadonlySet<string> = new Set([
  "bool",
  "NoneType",
  "NotImplementedType",
  "ellipsis",
  "range",
  "slice",
  "function",
  "builtin_function_or_method",
  "method",
  "method-wrapper",
  "generator",
  "coroutine",
  "cell",
  "code",
  "frame",
  "traceback",
  "memoryview",
  "mappingproxy",
  "dict_keys",
  "dict_values",
  "dict_items",
  "list_iterator",
  "list_reverseiterator",
  "tuple_iterator",
  "str_iterator",
  "str_ascii_iterator",
  "bytes_iterator",
  "bytearray_iterator",
  "range_iterator",
  "longrange_iterator",
  "set_iterator",
  "dict_keyiterator",
  "dict_valueiterator",
  "dict_itemiterator",
  "callable_iterator",
  "wrapper_descriptor",
  "method_descriptor",
  "getset_descriptor",
  "member_descriptor",
  "classmethod_descriptor",
  "arrayiterator",
  "_deque_iterator",
  "_deque_reverse_iterator",
]);

/** The built-in types a class statement may derive from. */
const SUBCLASSABLE: ReadonlySet<TypeKind> = new Set<TypeKind>([
  "list",
  "dict",
  "set",
  "frozenset",
  "bytes",
  "int",
  "float",
  "str",
  "tuple",
  "weakref",
]);

/** The kinds whose `*` is a sequence's repeat (`sq_repeat`, wrapped by wrap_indexargfunc). */
const SEQUENCE_KINDS: ReadonlySet<TypeKind> = new Set<TypeKind>(["list", "tuple", "str", "bytes"]);
/**
 * The built-in type a module defines that `base` is, or derives from, when class statements may
 * derive from it (bytearray, array.array); undefined for every other base.
 */
function nativeRootOf(base: PyType): PyType | undefined {
  if (base.nativeRoot) return base.nativeRoot;
  return !base.heap && base.slotHooks?.subclassable ? base : undefined;
}

/** A UTF-16 surrogate unit: a str's text with one is not indexed by code point. */
const SURROGATE = /[\uD800-\uDFFF]/;

const cmpDunders = ["__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"];

/** `wrapperobject`: a slot wrapper bound to an object. */
const MethodWrapper = { descr: 16, self: 24, basicSize: 32 } as const;

/** The special methods CPython's `slotdefs` make slot wrappers (`wrapper_descriptor`) for. */
const SLOT_NAMES: ReadonlySet<string> = new Set(
  (
    "__getattribute__ __setattr__ __delattr__ __repr__ __str__ __hash__ __call__ __lt__ __le__ " +
    "__eq__ __ne__ __gt__ __ge__ __iter__ __next__ __get__ __set__ __delete__ __init__ __del__ " +
    "__add__ __radd__ __sub__ __rsub__ __mul__ __rmul__ __mod__ __rmod__ __divmod__ __rdivmod__ " +
    "__pow__ __rpow__ __neg__ __pos__ __abs__ __bool__ __invert__ __lshift__ __rlshift__ " +
    "__rshift__ __rrshift__ __and__ __rand__ __xor__ __rxor__ __or__ __ror__ __int__ __float__ " +
    "__iadd__ __isub__ __imul__ __imod__ __ipow__ __ilshift__ __irshift__ __iand__ __ixor__ " +
    "__ior__ __floordiv__ __rfloordiv__ __truediv__ __rtruediv__ __ifloordiv__ __itruediv__ " +
    "__index__ __matmul__ __rmatmul__ __imatmul__ __len__ __getitem__ __setitem__ __delitem__ " +
    "__contains__ __await__ __aiter__ __anext__"
  ).split(" "),
);

/**
 * Special methods a built-in type defines as plain methods (`method_descriptor`, in its
 * `tp_methods`) although a slot has the name: the method wins in the type's dict.
 */
const METHOD_NOT_SLOT: Readonly<Record<string, readonly string[]>> = {
  list: ["__getitem__"],
  dict: ["__getitem__", "__contains__"],
  set: ["__contains__"],
  frozenset: ["__contains__"],
};
/** The comparison whose method answers for the swapped operands. */
const reflected = [
  CompareOp.Gt,
  CompareOp.Ge,
  CompareOp.Eq,
  CompareOp.Ne,
  CompareOp.Lt,
  CompareOp.Le,
];

/** A hash of a bytes object's content (FNV-1a, 64 bits, signed; not CPython's SipHash). */
function contentHash(data: Uint8Array): bigint {
  let h = 0xcbf29ce484222325n;
  for (const c of data) h = ((h ^ BigInt(c)) * 0x100000001b3n) & 0xffffffffffffffffn;
  const signed = h >= 1n << 63n ? h - (1n << 64n) : h;
  return signed === -1n ? -2n : signed;
}

/** Compares two strs by code points, as Python does (JavaScript compares UTF-16 units). */
function codePointCompare(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i]!.codePointAt(0)!;
    const q = y[i]!.codePointAt(0)!;
    if (p !== q) return p - q;
  }
  return x.length - y.length;
}

/** Whether every character of `text` is ASCII (`PyUnicode_IS_ASCII`). */
function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}
