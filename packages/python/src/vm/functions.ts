// The builtin functions, the built-in types' constructors and methods, and the modules a
// program may import (`gc`, `sys`, `weakref`, `tracemalloc`, `time`). Each is a function
// over heap references: arguments borrowed, the result a new reference.

import { OB_TYPE } from "@mm/heap";
import type { Ref } from "@mm/runtime";
import { BinaryOp, CompareOp } from "../compile/opcodes.js";
import { floatFromHex, floatFromStr, floatHex, floatIsInteger, roundFloat } from "../text/float.js";
import { formatFloat, formatInt, formatStr } from "../text/format.js";
import { intFromStr, intToStr, roundInt } from "../text/int.js";
import * as S from "../text/str.js";
import { CallableIteratorType } from "./callable-iterator.js";
import { Raised } from "./errors.js";
import { checkExceptionKeywords, initExceptionFields } from "./exceptions.js";
import { execBuiltins, frameLocals } from "./exec.js";
import type { Host, Protocols } from "./host.js";
import { hashPointer } from "./identity-hash.js";
import { importBuiltin } from "./import-builtin.js";
import {
  inputBuiltin,
  openBuiltin,
  printParsed,
  printTarget,
  printTo,
  stdoutPending,
} from "./io.js";
import { namedArguments, withKeywords } from "./keyword-args.js";
import { Exc, Range } from "./layouts.js";
import { sortList } from "./listsort.js";
import { METHOD_KEYWORDS } from "./method-keywords.js";
import { numberIndex } from "./number-index.js";
import { splitList } from "./split.js";
import { strText } from "./str-text.js";
import type { BuiltinFn } from "./types.js";
import { isCallable } from "./weakref.js";

type Kw = ReadonlyMap<string, Ref> | null;

/** Installs the builtins module's functions and the built-in types' constructors and methods. */
/** The built-in types that define `__sizeof__` themselves (its arity errors name them). */
const SIZEOF_OWNERS: ReadonlySet<string> = new Set([
  "generator",
  "list",
  "dict",
  "set",
  "frozenset",
  "str",
  "bytes",
  "bytearray",
  "int",
  "generator",
  "coroutine",
  "code",
  "type",
]);

/** tp_basicsize of the built-in types whose own `__sizeof__` counts more than the object. */
const OBJECT_BASIC_SIZES: Readonly<Record<string, number>> = {
  list: 40,
  dict: 48,
  set: 200,
  frozenset: 200,
  str: 80,
  bytearray: 56,
};

export function installFunctions(b: Protocols): void {
  const vm: Host = b.vm;
  const py = vm.py;
  const types = vm.types;
  const fn = (name: string, f: BuiltinFn) => {
    const keywords = METHOD_KEYWORDS[`builtins.${name}`];
    const o = b.newBuiltin(name, keywords ? withKeywords(vm, keywords, f, 0) : f, 0, b.module);
    b.setStr(b.dict, name, o);
    py.decref(o);
  };
  /**
   * A METH_VARARGS builtin (`min`, `max`, `dir`, `vars`): it has no vectorcall, so each call
   * packs its arguments into a tuple and its keywords into a dict (`_PyObject_MakeTpCall`),
   * held until the call returns, then released (the tuple to its free list).
   */
  const varargs =
    (f: BuiltinFn): BuiltinFn =>
    (args, kw) => {
      const packed = b.packCallArguments(args, kw);
      try {
        return f(args, kw);
      } finally {
        b.releaseCallArguments(packed);
      }
    };
  const arity = (name: string, args: readonly Ref[], min: number, max = min) => {
    if (args.length < min || args.length > max) {
      if (min === max)
        vm.raise(
          "TypeError",
          min === 1
            ? `${name}() takes exactly one argument (${args.length} given)`
            : `${name} expected ${min} argument${min === 1 ? "" : "s"}, got ${args.length}`,
        );
      vm.raise(
        "TypeError",
        args.length < min
          ? `${name} expected at least ${min} argument${min === 1 ? "" : "s"}, got ${args.length}`
          : `${name} expected at most ${max} argument${max === 1 ? "" : "s"}, got ${args.length}`,
      );
    }
  };
  const noKw = (name: string, kw: Kw) => {
    if (kw && kw.size > 0) vm.raise("TypeError", `${name}() takes no keyword arguments`);
  };
  /** `PyNumber_Index`: an int's value, or what the object's `__index__` returns. */
  const intArg = (o: Ref, what = "an integer"): bigint => numberIndex(b, o, what);
  // A C long's range, for sum's int fast path.
  const LONG_MAX = 2n ** 63n - 1n;
  const LONG_MIN = -(2n ** 63n);
  /** The value of an int or a bool when it fits a C long (PyLong_AsLongAndOverflow), else undefined. */
  const longOf = (o: Ref): number | bigint | undefined => {
    const v = vm.typeOf(o) === types.bool ? (o === vm.trueRef ? 1 : 0) : py.intValue(o);
    if (typeof v === "number") return v;
    return v > LONG_MAX || v < LONG_MIN ? undefined : v;
  };
  /** `a + b` of two C longs, or undefined when it overflows one. */
  const addLongs = (a: number | bigint, b: number | bigint): number | bigint | undefined => {
    if (typeof a === "number" && typeof b === "number") {
      const s = a + b;
      if (Number.isSafeInteger(s)) return s;
    }
    const s = BigInt(a) + BigInt(b);
    if (s > LONG_MAX || s < LONG_MIN) return undefined;
    return s >= BigInt(Number.MIN_SAFE_INTEGER) && s <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(s)
      : s;
  };
  const str = (o: Ref): string => {
    if (vm.kindOf(o) !== "str") vm.raise("TypeError", `must be str, not ${vm.typeOf(o).name}`);
    return py.strValue(o);
  };

  /** `getattr(o, name)`, or 0 when it raises AttributeError (`_PyObject_LookupAttr`). */
  const lookupAttr = (o: Ref, name: string): Ref => {
    try {
      return b.getAttr(o, name);
    } catch (error) {
      if (error instanceof Raised && vm.typeOf(error.exc).isSubtype(types.AttributeError!)) {
        py.decref(error.exc);
        return 0;
      }
      throw error;
    }
  };

  // ------------------------------------------------------------------ builtin functions

  fn("__build_class__", (args, kw) => b.makeClass(args, kw));
  fn("print", (args, kw) => {
    printParsed(b);
    let sep = 0;
    let end = 0;
    let flush = false;
    let file = 0;
    if (kw) {
      for (const [k, v] of kw) {
        if (k === "sep") sep = v === py.none ? 0 : v;
        else if (k === "end") end = v === py.none ? 0 : v;
        else if (k === "flush") flush = b.truth(v);
        else if (k === "file") file = v === py.none ? 0 : v;
        else vm.raise("TypeError", `'${k}' is an invalid keyword argument for print()`);
      }
    }
    for (const [name, v] of [
      ["sep", sep],
      ["end", end],
    ] as const) {
      if (v && vm.kindOf(v) !== "str")
        vm.raise("TypeError", `${name} must be None or a string, not ${vm.typeOf(v).name}`);
    }
    // A file, or a `sys.stdout` the program replaced: print calls its write(). A sys.stdout
    // of None prints nothing.
    const target = printTarget(b, file);
    if (target === py.none) return py.newRef(py.none);
    if (target) {
      printTo(b, target, args, sep, end, flush);
      return py.newRef(py.none);
    }
    // 3.11's print takes `*args` through Argument Clinic, which packs the positional
    // arguments into a tuple for the call: freed after it, it waits on the tuple free list.
    const packed = py.tuple(args);
    try {
      printTo(b, 0, args, sep, end, false);
    } finally {
      py.decref(packed);
    }
    // flush=True hands what is pending to the output stream now, not at the end.
    if (flush) {
      stdoutPending(b).flush();
      b.flush();
    }
    return py.newRef(py.none);
  });
  fn("open", openBuiltin(b));
  fn("input", inputBuiltin(b));
  fn("__import__", importBuiltin(b));
  fn("len", (args, kw) => {
    noKw("len", kw);
    arity("len", args, 1);
    return py.intFromSsize(b.len(args[0]!));
  });
  fn("repr", (args) => {
    arity("repr", args, 1);
    return py.str(b.reprOf(args[0]!));
  });
  fn("ascii", (args) => {
    arity("ascii", args, 1);
    return py.str(S.asciiFromRepr(b.reprOf(args[0]!)));
  });
  fn("id", (args) => {
    arity("id", args, 1);
    return py.int(args[0]!);
  });
  fn("hash", (args) => {
    arity("hash", args, 1);
    return py.int(py.hash(args[0]!));
  });
  fn("abs", (args) => {
    arity("abs", args, 1);
    const o = args[0]!;
    const k = vm.kindOf(o);
    if (k === "int" || k === "bool") {
      const v = vm.intOf(o);
      // long_abs: an exact int not below 0 is itself; a negation is long_neg's, one digit
      // made by _PyLong_FromSTwoDigits (py.int's number form).
      if (v >= 0n && vm.typeOf(o) === vm.types.int) return py.newRef(o);
      const m = v < 0n ? -v : v;
      return py.int(m <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(m) : m);
    }
    if (k === "float") return py.float(Math.abs(py.floatValue(o)));
    const f = b.lookupType(vm.typeOf(o), "__abs__");
    if (f) return vm.call(f, [o]);
    return vm.raise("TypeError", `bad operand type for abs(): '${vm.typeOf(o).name}'`);
  });
  const minmax =
    (name: string, op: CompareOp): BuiltinFn =>
    (args, kw) => {
      let key = 0;
      let dflt = 0;
      if (kw)
        for (const [k, v] of kw) {
          if (k === "key") key = v === py.none ? 0 : v;
          else if (k === "default") dflt = v;
          else vm.raise("TypeError", `'${k}' is an invalid keyword argument for ${name}()`);
        }
      if (args.length === 0) vm.raise("TypeError", `${name} expected at least 1 argument, got 0`);
      if (dflt && args.length > 1)
        vm.raise(
          "TypeError",
          `Cannot specify a default for ${name}() with multiple positional arguments`,
        );
      const items = args.length === 1 ? b.collect(args[0]!) : args.map((a) => py.newRef(a));
      try {
        if (items.length === 0) {
          if (dflt) return py.newRef(dflt);
          vm.raise("ValueError", `${name}() arg is an empty sequence`);
        }
        let best = items[0]!;
        let bestKey = key ? vm.call(key, [best]) : py.newRef(best);
        for (const item of items.slice(1)) {
          const k = key ? vm.call(key, [item]) : py.newRef(item);
          if (b.truthOf(b.richCompare(k, bestKey, op))) {
            py.decref(bestKey);
            bestKey = k;
            best = item;
          } else py.decref(k);
        }
        py.decref(bestKey);
        return py.newRef(best);
      } finally {
        for (const i of items) py.decref(i);
      }
    };
  fn("min", varargs(minmax("min", CompareOp.Lt)));
  fn("max", varargs(minmax("max", CompareOp.Gt)));
  fn("sum", (args, kw) => {
    arity("sum", args, 1, 2);
    let acc = args[1]
      ? py.newRef(args[1])
      : kw?.get("start")
        ? py.newRef(kw.get("start")!)
        : py.int(0);
    if (vm.kindOf(acc) === "str") {
      py.decref(acc);
      vm.raise("TypeError", "sum() can't sum strings [use ''.join(seq) instead]");
    }
    // One item at a time, as builtin_sum_impl: a generator's items are not all alive at once.
    let it: Ref;
    try {
      it = b.iter(args[0]!);
    } catch (error) {
      py.decref(acc);
      throw error;
    }
    // builtin_sum_impl's fast paths: while the total is an exact int that fits a C long (then
    // while it is an exact float) it is kept outside the heap, and items it can take are added
    // with no object made for the partial sums. The first item that cannot be added so makes the
    // total an object again, and the general addition goes on from it. The exhausted iterator
    // is released before the total is made.
    // The total when the items ran out while it was kept outside the heap.
    let intTotal: number | bigint = 0;
    let floatTotal = 0;
    let done: "int" | "float" | undefined;
    // `acc` is 0 while the total is kept outside the heap.
    const addGeneral = (item: Ref) => {
      try {
        const next = b.binaryOp(0, acc, item);
        py.decref(acc);
        acc = next;
      } finally {
        py.decref(item);
      }
    };
    try {
      if (vm.typeOf(acc) === types.int) {
        const start = longOf(acc);
        if (start !== undefined) {
          let whole: number | bigint = start;
          py.decref(acc);
          acc = 0;
          while (acc === 0) {
            const item = b.next(it);
            if (item === 0) {
              done = "int";
              intTotal = whole;
              break;
            }
            const t = vm.typeOf(item);
            const v = t === types.int || t === types.bool ? longOf(item) : undefined;
            const sum: number | bigint | undefined =
              v === undefined ? undefined : addLongs(whole, v);
            if (sum !== undefined) {
              whole = sum;
              py.decref(item);
              continue;
            }
            acc = py.int(whole);
            addGeneral(item);
          }
        }
      }
      if (done === undefined && vm.typeOf(acc) === types.float) {
        let f = py.floatValue(acc);
        py.decref(acc);
        acc = 0;
        while (acc === 0) {
          const item = b.next(it);
          if (item === 0) {
            done = "float";
            floatTotal = f;
            break;
          }
          const t = vm.typeOf(item);
          if (t === types.float) {
            f += py.floatValue(item);
            py.decref(item);
            continue;
          }
          const v = t.isSubtype(types.int!) ? longOf(item) : undefined;
          if (v !== undefined) {
            f += Number(v);
            py.decref(item);
            continue;
          }
          acc = py.float(f);
          addGeneral(item);
        }
      }
      if (done === undefined)
        for (let item = b.next(it); item !== 0; item = b.next(it)) addGeneral(item);
    } catch (error) {
      if (acc !== 0) py.decref(acc);
      py.decref(it);
      throw error;
    }
    py.decref(it);
    if (done === "int") return py.int(intTotal);
    if (done === "float") return py.float(floatTotal);
    return acc;
  });
  fn("sorted", (args, kw) => {
    // METH_FASTCALL's own check, worded unlike the other one-argument builtins'.
    if (args.length !== 1) vm.raise("TypeError", `sorted expected 1 argument, got ${args.length}`);
    const l = py.list([]);
    try {
      b.listExtend(l, args[0]!);
      sortWithKeywords(b, intArg, l, kw);
    } catch (error) {
      py.decref(l);
      throw error;
    }
    return l;
  });
  const anyAll =
    (all: boolean): BuiltinFn =>
    (args) => {
      arity(all ? "all" : "any", args, 1);
      const it = b.iter(args[0]!);
      try {
        for (;;) {
          const v = b.next(it);
          if (!v) return py.bool(all);
          if (b.truthOf(v) !== all) return py.bool(!all);
        }
      } finally {
        py.decref(it);
      }
    };
  fn("any", anyAll(false));
  fn("all", anyAll(true));
  fn("chr", (args) => {
    arity("chr", args, 1);
    const n = intArg(args[0]!);
    if (n < 0n || n > 0x10ffffn) vm.raise("ValueError", "chr() arg not in range(0x110000)");
    return py.str(String.fromCodePoint(Number(n)));
  });
  fn("ord", (args) => {
    arity("ord", args, 1);
    const s = str(args[0]!);
    const chars = Array.from(s);
    if (chars.length !== 1)
      vm.raise(
        "TypeError",
        `ord() expected a character, but string of length ${chars.length} found`,
      );
    return py.int(chars[0]!.codePointAt(0)!);
  });
  const radix =
    (name: string, base: 2 | 8 | 16): BuiltinFn =>
    (args) => {
      arity(name, args, 1);
      return py.str(intToStr(intArg(args[0]!), base));
    };
  fn("hex", radix("hex", 16));
  fn("oct", radix("oct", 8));
  fn("bin", radix("bin", 2));
  fn("round", (args, kw) => {
    arity("round", args, 1, 2);
    const x = args[0]!;
    const nd = args[1] ?? kw?.get("ndigits");
    const k = vm.kindOf(x);
    if (k === "float") {
      const v = py.floatValue(x);
      if (nd === undefined || nd === py.none) {
        if (!Number.isFinite(v))
          vm.raise(
            Number.isNaN(v) ? "ValueError" : "OverflowError",
            Number.isNaN(v)
              ? "cannot convert float NaN to integer"
              : "cannot convert float infinity to integer",
          );
        // PyLong_FromDouble: PyLong_FromLong's form below 2**63.
        return py.int(roundFloat(v, 0n));
      }
      return py.float(roundFloat(v, intArg(nd)));
    }
    if (k === "int" || k === "bool") {
      if (nd === undefined || nd === py.none)
        return vm.typeOf(x) === vm.types.int ? py.newRef(x) : py.int(BigInt(vm.intOf(x)));
      return py.int(roundInt(BigInt(vm.intOf(x)), intArg(nd)));
    }
    const f = b.lookupType(vm.typeOf(x), "__round__");
    if (f) return vm.call(f, nd ? [x, nd] : [x]);
    return vm.raise("TypeError", `type ${vm.typeOf(x).name} doesn't define __round__ method`);
  });
  fn("divmod", (args) => {
    arity("divmod", args, 2);
    // complex has no nb_divmod: the error names divmod() itself.
    if (vm.kindOf(args[0]!) === "complex" || vm.kindOf(args[1]!) === "complex")
      vm.raise(
        "TypeError",
        `unsupported operand type(s) for divmod(): '${vm.typeOf(args[0]!).name}' and '${vm.typeOf(args[1]!).name}'`,
      );
    // float_divmod names itself for a zero divisor.
    const [x, y] = [args[0]!, args[1]!];
    const num = (o: Ref) => ["int", "bool", "float"].includes(vm.kindOf(o));
    const float = (o: Ref) => vm.kindOf(o) === "float";
    if (
      num(x) &&
      num(y) &&
      (float(x) || float(y)) &&
      (float(y) ? py.floatValue(y) : Number(vm.intOf(y))) === 0
    )
      vm.raise("ZeroDivisionError", "float divmod()");
    const q = b.binaryOp(2, args[0]!, args[1]!);
    let r: Ref;
    try {
      r = b.binaryOp(6, args[0]!, args[1]!);
    } catch (error) {
      py.decref(q);
      throw error;
    }
    const t = py.tuple([q, r]);
    py.decref(q);
    py.decref(r);
    return t;
  });
  fn("pow", (args) => {
    arity("pow", args, 2, 3);
    if (args.length === 3) {
      // complex_pow refuses a modulus.
      if (args.slice(0, 2).some((x) => vm.kindOf(x!) === "complex") && args[2] !== py.none)
        vm.raise("ValueError", "complex modulo");
      // float_pow's refusal, when an int's pow has given way to a float's.
      if (args.some((x) => vm.kindOf(x!) === "float"))
        vm.raise("TypeError", "pow() 3rd argument not allowed unless all arguments are integers");
      const [a, e, m] = args.map((x) => intArg(x!));
      const r = modPow(a!, e!, m!);
      return typeof r === "string" ? vm.raise("ValueError", r) : py.int(r);
    }
    return b.binaryOp(8, args[0]!, args[1]!);
  });
  fn("isinstance", (args) => {
    arity("isinstance", args, 2);
    return py.bool(isInstance(b, args[0]!, args[1]!));
  });
  fn("issubclass", (args) => {
    arity("issubclass", args, 2);
    return py.bool(isSubclass(b, args[0]!, args[1]!));
  });
  fn("hasattr", (args) => {
    arity("hasattr", args, 2);
    const v = lookupAttr(args[0]!, str(args[1]!));
    if (v) py.decref(v);
    return py.bool(v !== 0);
  });
  fn("getattr", (args) => {
    arity("getattr", args, 2, 3);
    const name = str(args[1]!);
    if (!args[2]) return b.getAttr(args[0]!, name);
    return lookupAttr(args[0]!, name) || py.newRef(args[2]);
  });
  fn("setattr", (args) => {
    arity("setattr", args, 3);
    b.setAttr(args[0]!, str(args[1]!), args[2]!);
    return py.newRef(py.none);
  });
  fn("delattr", (args) => {
    arity("delattr", args, 2);
    b.delAttr(args[0]!, str(args[1]!));
    return py.newRef(py.none);
  });
  // callable_iterator exists from start-up, as CPython's static type does.
  const callIter = new CallableIteratorType(b);
  fn("iter", (args) => {
    arity("iter", args, 1, 2);
    if (args.length === 1) return b.iter(args[0]!);
    if (!isCallable(vm, args[0]!)) vm.raise("TypeError", "iter(v, w): v must be callable");
    return callIter.make(args[0]!, args[1]!);
  });
  fn("next", (args) => {
    arity("next", args, 1, 2);
    const t = vm.typeOf(args[0]!);
    if (t.kind !== "iterator" && t.kind !== "generator" && !b.lookupType(t, "__next__"))
      vm.raise("TypeError", `'${t.name}' object is not an iterator`);
    if (t.kind === "generator" && !args[1]) {
      // gen_iternext raises StopIteration(value) for a generator that returns a value.
      return b.generators.next(args[0]!) || vm.raise("StopIteration");
    }
    const v = b.next(args[0]!);
    if (v) return v;
    if (args[1]) return py.newRef(args[1]);
    return vm.raise("StopIteration");
  });
  fn("callable", (args) => {
    arity("callable", args, 1);
    return py.bool(isCallable(vm, args[0]!));
  });
  fn("format", (args) => {
    arity("format", args, 1, 2);
    const spec = args[1] ? str(args[1]) : "";
    // PyObject_Format's fast path: an exact str with an empty spec is itself.
    if (spec === "" && py.memory.u32[(args[0]! + OB_TYPE) >>> 2] === b.strTypeId)
      return py.newRef(args[0]!);
    return py.str(vm.format(args[0]!, spec));
  });
  fn("globals", () => py.newRef(vm.top!.globals));
  fn(
    "dir",
    varargs((args) => {
      if (args.length > 1)
        vm.raise("TypeError", `dir expected at most 1 argument, got ${args.length}`);
      const o = args[0];
      // A class's own `__dir__` answers, its result listed and sorted (`_dir_object`).
      const own = o !== undefined ? b.lookupType(vm.typeOf(o), "__dir__") : 0;
      if (o === undefined || !own || vm.kindOf(own) !== "function") return b.dir(o);
      const names = vm.call(own, [o]);
      const l = py.list([]);
      try {
        b.listExtend(l, names);
        sortList(b, l, 0, false);
      } catch (error) {
        py.decref(l);
        throw error;
      } finally {
        py.decref(names);
      }
      return l;
    }),
  );
  fn(
    "vars",
    varargs((args) => {
      // vars() is locals().
      if (args.length === 0) return frameLocals(b);
      arity("vars", args, 1);
      return b.getAttr(args[0]!, "__dict__");
    }),
  );
  fn("locals", () => frameLocals(b));
  for (const [name, f] of Object.entries(execBuiltins(b))) fn(name, f);
  fn("exit", (args) => {
    throw new Raised(vm.newExceptionWithArgs(types.SystemExit!, args));
  });

  // ------------------------------------------------------------------ constructors

  const ctor = (name: string, f: BuiltinFn) => types[name]!.methods.set("__new__", f);
  ctor("int", (args, kw) => {
    const base = args[1] ?? kw?.get("base");
    if (args.length === 0) return py.int(0);
    const x = args[0]!;
    const k = vm.kindOf(x);
    if (base !== undefined) {
      if (k !== "str") vm.raise("TypeError", "int() can't convert non-string with explicit base");
      return py.int(intFromStr(py.strValue(x), intArg(base)));
    }
    // PyNumber_Long: an exact int as it is; a subclass's instance through its `__int__`, or
    // as a new int.
    if (k === "int") {
      const t = vm.typeOf(x);
      if (!t.heap) return py.newRef(x);
      const f = b.override(t, "__int__");
      return f ? vm.call(f, [x]) : py.int(py.intValue(x));
    }
    if (k === "bool") return py.int(BigInt(vm.intOf(x)));
    if (k === "float") {
      const v = py.floatValue(x);
      if (Number.isNaN(v)) vm.raise("ValueError", "cannot convert float NaN to integer");
      if (!Number.isFinite(v))
        vm.raise("OverflowError", "cannot convert float infinity to integer");
      // PyLong_FromDouble: PyLong_FromLong's form below 2**63.
      return py.int(Math.trunc(v));
    }
    if (k === "str") return py.int(intFromStr(py.strValue(x), 10n));
    const f = b.lookupType(vm.typeOf(x), "__int__") || b.lookupType(vm.typeOf(x), "__index__");
    if (f) return vm.call(f, [x]);
    return vm.raise(
      "TypeError",
      `int() argument must be a string, a bytes-like object or a real number, not '${vm.typeOf(x).name}'`,
    );
  });
  ctor("float", (args) => {
    if (args.length === 0) return py.float(0);
    const x = args[0]!;
    const k = vm.kindOf(x);
    if (k === "float") {
      const t = vm.typeOf(x);
      if (!t.heap) return py.newRef(x);
      const f = b.override(t, "__float__");
      return f ? vm.call(f, [x]) : py.float(py.floatValue(x));
    }
    if (k === "int" || k === "bool") {
      const f = Number(BigInt(vm.intOf(x)));
      if (!Number.isFinite(f)) vm.raise("OverflowError", "int too large to convert to float");
      return py.float(f);
    }
    if (k === "str") return py.float(floatFromStr(py.strValue(x)));
    const f = b.lookupType(vm.typeOf(x), "__float__");
    if (f) return vm.call(f, [x]);
    // PyNumber_Float: an object with `__index__` is the int it stands for.
    if (b.lookupType(vm.typeOf(x), "__index__")) {
      const d = Number(intArg(x));
      if (!Number.isFinite(d)) vm.raise("OverflowError", "int too large to convert to float");
      return py.float(d);
    }
    return vm.raise(
      "TypeError",
      `float() argument must be a string or a real number, not '${vm.typeOf(x).name}'`,
    );
  });
  ctor("str", (given, kw) => {
    // unicode_new_impl: `object`, `encoding` and `errors` by position or by name; without an
    // encoding or errors it is PyObject_Str, with either it decodes (UTF-8 by default).
    if (given.length > 3)
      vm.raise("TypeError", `str() takes at most 3 arguments (${given.length} given)`);
    const [x, enc, errors] = namedArguments(given, kw, 0, ["object", "encoding", "errors"]);
    if (x === undefined) return py.str("");
    if (enc === undefined && errors === undefined) return b.strObject(x);
    const named: [string, Ref | undefined][] = [
      ["encoding", enc],
      ["errors", errors],
    ];
    for (const [name, v] of named)
      if (v !== undefined && vm.kindOf(v) !== "str")
        vm.raise("TypeError", `str() argument '${name}' must be str, not ${vm.typeOf(v).name}`);
    const k = vm.kindOf(x);
    if (k === "str") vm.raise("TypeError", "decoding str is not supported");
    if (k !== "bytes")
      vm.raise(
        "TypeError",
        `decoding to str: need a bytes-like object, ${vm.typeOf(x).name} found`,
      );
    const utf8 = enc === undefined ? py.str("utf-8") : 0;
    try {
      const args = errors === undefined ? [x, enc!] : [x, enc ?? utf8, errors];
      return vm.call(b.lookupType(vm.typeOf(x), "decode"), args);
    } finally {
      if (utf8) py.decref(utf8);
    }
  });
  ctor("bool", (args) => py.bool(args.length > 0 && b.truth(args[0]!)));
  // list___init__'s filling: a sized iterable's length is allocated exactly first, then extended.
  ctor("list", (args) => {
    // list_vectorcall allocates with PyType_GenericAlloc: never from the free list.
    const l = py.list([], true);
    const it = args[0];
    if (it) {
      try {
        // list_extend: exact lists and tuples copied, anything else through its iterator with
        // its length hint (a class's `__len__`, asked after its `__iter__`).
        b.listExtend(l, it);
      } catch (error) {
        py.decref(l);
        throw error;
      }
    }
    return l;
  });
  ctor("tuple", (args) => {
    if (!args[0]) return py.tuple([]);
    // PySequence_Tuple: an exact tuple as it is; a subclass's items in a new one.
    if (vm.kindOf(args[0]) === "tuple" && !vm.typeOf(args[0]).heap) return py.newRef(args[0]);
    // The iterator first, then the length hint (a class's `__len__`), then the items.
    const it = b.iter(args[0]);
    const items: Ref[] = [];
    try {
      b.lengthHint(args[0], 10);
      for (let v = b.next(it); v; v = b.next(it)) items.push(v);
    } catch (error) {
      for (const i of items) py.decref(i);
      throw error;
    } finally {
      py.decref(it);
    }
    const t = py.tuple(items);
    for (const i of items) py.decref(i);
    return t;
  });
  ctor("dict", (args, kw) => {
    // dict_new allocates with PyType_GenericAlloc: never from the free list.
    const d = py.dict(true);
    try {
      if (args[0]) b.dictUpdateFrom(d, args[0]);
      if (kw) for (const [k, v] of kw) b.setStr(d, k, v);
    } catch (error) {
      py.decref(d);
      throw error;
    }
    return d;
  });
  for (const frozen of [false, true]) {
    ctor(frozen ? "frozenset" : "set", (args) => {
      arity(frozen ? "frozenset" : "set", args, 0, 1);
      if (frozen) return args[0] ? b.frozensetOf(args[0]) : py.frozenset([]);
      const s = py.set([]);
      if (args[0]) {
        try {
          b.setUpdate(s, args[0]);
        } catch (error) {
          py.decref(s);
          throw error;
        }
      }
      return s;
    });
  }
  // The built-ins' `__init__` (slot wrappers): what calling a subclass of list, dict or set
  // runs on the new, empty instance when the class defines none, and what
  // `super().__init__(…)` reaches. list's and set's empty a non-empty object first.
  const init = (
    name: string,
    f: (self: Ref, args: readonly Ref[], kw: ReadonlyMap<string, Ref> | null) => void,
  ) =>
    types[name]!.methods.set("__init__", (a, kw) => {
      f(a[0]!, a.slice(1), kw);
      return py.newRef(py.none);
    });
  init("list", (l, args, kw) => {
    if (kw && kw.size > 0) vm.raise("TypeError", "list() takes no keyword arguments");
    arity("list", args, 0, 1);
    if (py.len(l) > 0) py.clearList(l);
    if (args[0]) b.listExtend(l, args[0]);
    b.listChanged(l);
  });
  init("dict", (d, args, kw) => {
    arity("dict", args, 0, 1);
    if (args[0]) b.dictUpdateFrom(d, args[0]);
    if (kw) for (const [k, v] of kw) b.setStr(d, k, v);
  });
  init("set", (s, args, kw) => {
    if (kw && kw.size > 0) vm.raise("TypeError", "set() takes no keyword arguments");
    arity("set", args, 0, 1);
    if (py.len(s) > 0) py.setClear(s);
    if (args[0]) b.setUpdate(s, args[0]);
  });
  ctor("range", (args) => {
    arity("range", args, 1, 3);
    const [start, stop, step] =
      args.length === 1
        ? [0n, intArg(args[0]!), 1n]
        : [intArg(args[0]!), intArg(args[1]!), args[2] ? intArg(args[2]) : 1n];
    if (step === 0n) vm.raise("ValueError", "range() arg 3 must not be zero");
    let length = 0n;
    if (step > 0n && start < stop) length = (stop - start - 1n) / step + 1n;
    else if (step < 0n && start > stop) length = (start - stop - 1n) / -step + 1n;
    const r = py.allocate(vm.native.range);
    py.takeRef(r, Range.start, py.int(start));
    py.takeRef(r, Range.stop, py.int(stop));
    py.takeRef(r, Range.step, py.int(step));
    py.takeRef(r, Range.length, py.int(length));
    return r;
  });
  ctor("type", (args, kw) => {
    if (args.length === 1 && !(kw && kw.size > 0)) return py.newRef(vm.typeOf(args[0]!).object);
    // type_new: type() takes a class's name, bases and namespace, and the keywords go to the
    // base's `__init_subclass__`.
    if (args.length !== 3) vm.raise("TypeError", "type() takes 1 or 3 arguments");
    return b.newClass(types.type!, args, kw);
  });
  ctor("object", (args) => b.callType(types.object!, args, null));
  ctor("enumerate", (args, kw) => {
    const [iterable, start] = namedArguments(args, kw, 0, ["iterable", "start"]);
    if (!iterable)
      vm.raise("TypeError", "enumerate() missing required argument 'iterable' (pos 1)");
    const it = b.iter(iterable);
    return b.newIterator("enumerate", [it], start ? Number(intArg(start)) : 0);
  });
  ctor("zip", (args, kw) => {
    // zip_new: `strict` is the one keyword, taken as a truth value.
    let strict = false;
    if (kw)
      for (const [name, value] of kw) {
        if (name !== "strict")
          vm.raise("TypeError", `'${name}' is an invalid keyword argument for zip()`);
        strict = b.truth(value);
      }
    const iters: Ref[] = [];
    try {
      for (const a of args) iters.push(b.iter(a));
    } catch (error) {
      for (const i of iters) py.decref(i);
      throw error;
    }
    const t = py.tuple(iters);
    for (const i of iters) py.decref(i);
    return b.newIterator("zip", [t], 0, strict);
  });
  ctor("map", (args) => {
    if (args.length < 2) vm.raise("TypeError", "map() must have at least two arguments.");
    const iters = args.slice(1).map((a) => b.iter(a));
    const t = py.tuple(iters);
    for (const i of iters) py.decref(i);
    return b.newIterator("map", [t, py.newRef(args[0]!)]);
  });
  ctor("filter", (args) => {
    arity("filter", args, 2);
    const it = b.iter(args[1]!);
    const t = py.tuple([it]);
    py.decref(it);
    return b.newIterator("filter", [t, py.newRef(args[0]!)]);
  });
  ctor("reversed", (args) => {
    arity("reversed", args, 1);
    const seq = args[0]!;
    const t = vm.typeOf(seq);
    const own = t.subtype ? b.override(t, "__reversed__") : 0;
    if (own) return vm.call(own, [seq]);
    const k = t.kind;
    if (k === "dict") return b.reverseDict(seq, "dict_reversekeyiterator");
    if (k === "list") return b.reverseList(seq);
    if (k === "range") return b.reverseRange(seq);
    // A sequence of the built-in types without `__reversed__` (bytes, bytearray; a built-in
    // sequence a module defines) goes backwards through its items, as PySequence_Check allows.
    const sequence =
      k === "tuple" ||
      k === "str" ||
      k === "bytes" ||
      (k === "other" && b.lookupType(t, "__getitem__") !== 0 && b.lookupType(t, "__len__") !== 0);
    if (!sequence || (k === "other" && b.lookupType(t, "__reversed__"))) {
      const f = b.lookupType(vm.typeOf(seq), "__reversed__");
      if (f) return vm.call(f, [seq]);
      vm.raise("TypeError", `'${vm.typeOf(seq).name}' object is not reversible`);
    }
    return b.newIterator("reversed", [py.newRef(seq)], b.len(seq) - 1);
  });
  ctor("super", (args) => {
    let cls: Ref;
    let obj: Ref;
    if (args.length === 0) {
      const f = vm.top!;
      const unit = f.code.unit;
      const at = unit.freevars.indexOf("__class__");
      if (at < 0 || unit.argCount === 0) vm.raise("RuntimeError", "super(): no arguments");
      const cell = f.fast[unit.varnames.length + unit.cellvars.length + at]!;
      cls = py.getRef(cell, 16);
      if (!cls) vm.raise("RuntimeError", "super(): empty __class__ cell");
      obj = f.fast[0]!;
      if (!obj) {
        const c = unit.cell2arg.indexOf(0);
        obj = c >= 0 ? py.getRef(f.fast[unit.varnames.length + c]!, 16) : 0;
      }
      if (!obj) vm.raise("RuntimeError", "super(): arg[0] deleted");
    } else {
      arity("super", args, 2);
      cls = args[0]!;
      obj = args[1]!;
    }
    const s = py.allocate(b.superType());
    py.setRef(s, 16, cls);
    py.setRef(s, 24, obj);
    return s;
  });
  // property's fields: fget, fset, fdel, __doc__, the name `__set_name__` gave, getter_doc.
  const Prop = { get: 16, set: 24, del: 32, doc: 40, name: 48, getterDoc: 56 } as const;
  /**
   * property_init: the accessors (None is none), the doc given, or else the getter's
   * `__doc__` (remembered as taken from the getter, for the copies `setter` and `deleter` make).
   */
  const initProperty = (p: Ref, fget: Ref, fset: Ref, fdel: Ref, doc: Ref) => {
    const field = (at: number, v: Ref) => py.setRef(p, at, v && v !== py.none ? v : 0);
    field(Prop.get, fget);
    field(Prop.set, fset);
    field(Prop.del, fdel);
    py.setRef(p, Prop.doc, doc);
    py.memory.u8[p + Prop.getterDoc] = 0;
    if ((!doc || doc === py.none) && fget && fget !== py.none) {
      const own = lookupAttr(fget, "__doc__");
      if (vm.typeOf(p).heap) {
        // A subclass's instance keeps the getter's doc in its dict, where the class's own
        // `__doc__` does not shadow it.
        try {
          b.setAttr(p, "__doc__", own || py.none);
        } finally {
          if (own) py.decref(own);
        }
      } else if (own) py.takeRef(p, Prop.doc, own);
      py.memory.u8[p + Prop.getterDoc] = 1;
    }
  };
  /** property's arguments (fget, fset, fdel, doc; 0 for one not given). */
  const propertyArgs = (args: readonly Ref[], kw: ReadonlyMap<string, Ref> | null) => {
    if (args.length > 4)
      vm.raise("TypeError", `property() takes at most 4 arguments (${args.length} given)`);
    for (const k of kw?.keys() ?? [])
      if (k !== "fget" && k !== "fset" && k !== "fdel" && k !== "doc")
        vm.raise("TypeError", `property() got an unexpected keyword argument '${k}'`);
    return ["fget", "fset", "fdel", "doc"].map((n, i) => args[i] ?? kw?.get(n) ?? 0);
  };
  ctor("property", (args, kw) => {
    const [fget, fset, fdel, doc] = propertyArgs(args, kw);
    const p = py.allocate(b.nativeType("property"));
    try {
      initProperty(p, fget!, fset!, fdel!, doc!);
    } catch (error) {
      py.decref(p);
      throw error;
    }
    return p;
  });
  // property.__init__: a subclass's instance starts empty and is filled here (the class's own
  // `__init__` reaches it through super()).
  types.property!.methods.set("__init__", (a, kw) => {
    const [fget, fset, fdel, doc] = propertyArgs(a.slice(1), kw);
    initProperty(a[0]!, fget!, fset!, fdel!, doc!);
    return py.newRef(py.none);
  });
  for (const [field, name] of [
    [Prop.get, "getter"],
    [Prop.set, "setter"],
    [Prop.del, "deleter"],
  ] as const) {
    // property_copy: the class called with the old accessors but the new one (a packed call,
    // property having no vectorcall), the doc read again from a new getter if it came from the
    // old one; the name carried over.
    types.property!.methods.set(name, (a) => {
      const old = a[0]!;
      const given = a[1]!;
      const pick = (at: number) =>
        at === field && given !== py.none ? given : py.getRef(old, at) || py.none;
      const get = pick(Prop.get);
      const doc =
        py.memory.u8[old + Prop.getterDoc] && get !== py.none
          ? py.none
          : py.getRef(old, Prop.doc) || py.none;
      const accessors = [get, pick(Prop.set), pick(Prop.del), doc];
      const cls = vm.typeOf(old);
      if (cls.heap) {
        // A subclass's copy is its class called with the accessors; the name carried over
        // when what the class made is a property.
        const made = vm.call(cls.object, accessors);
        if (vm.typeOf(made).isSubtype(types.property!))
          py.setRef(made, Prop.name, py.getRef(old, Prop.name));
        return made;
      }
      const packed = b.packCallArguments(accessors, null);
      const p = py.allocate(b.nativeType("property"));
      try {
        initProperty(p, accessors[0]!, accessors[1]!, accessors[2]!, doc);
      } catch (error) {
        py.decref(p);
        throw error;
      } finally {
        b.releaseCallArguments(packed);
      }
      py.setRef(p, Prop.name, py.getRef(old, Prop.name));
      return p;
    });
  }
  // property_descr_get and property_descr_set, as `__get__`, `__set__` and `__delete__` (what a
  // subclass's own reach through super()): the accessor, or CPython's AttributeError naming
  // the property's name and the object's class.
  const noAccessor = (p: Ref, obj: Ref, what: string): never => {
    const name = py.getRef(p, Prop.name);
    const qualname = vm.typeOf(obj).qualname;
    return vm.raise(
      "AttributeError",
      name
        ? `property ${b.reprOf(name)} of '${qualname}' object has no ${what}`
        : `property of '${qualname}' object has no ${what}`,
    );
  };
  types.property!.methods.set("__get__", (a) => {
    arity("__get__", a.slice(1), 1, 2);
    const [p, obj] = [a[0]!, a[1]!];
    if (obj === py.none) return py.newRef(p);
    const fget = py.getRef(p, Prop.get);
    if (!fget) noAccessor(p, obj, "getter");
    return vm.call(fget, [obj]);
  });
  types.property!.methods.set("__set__", (a) => {
    arity("__set__", a.slice(1), 2);
    const fset = py.getRef(a[0]!, Prop.set);
    if (!fset) noAccessor(a[0]!, a[1]!, "setter");
    py.decref(vm.call(fset, [a[1]!, a[2]!]));
    return py.newRef(py.none);
  });
  types.property!.methods.set("__delete__", (a) => {
    arity("__delete__", a.slice(1), 1);
    const fdel = py.getRef(a[0]!, Prop.del);
    if (!fdel) noAccessor(a[0]!, a[1]!, "deleter");
    py.decref(vm.call(fdel, [a[1]!]));
    return py.newRef(py.none);
  });
  types.property!.methods.set("__set_name__", (a) => {
    arity("__set_name__", a.slice(1), 2);
    py.setRef(a[0]!, Prop.name, a[2]!);
    return py.newRef(py.none);
  });
  // property's members.
  const propertyFields: Readonly<Record<string, number>> = {
    fget: Prop.get,
    fset: Prop.set,
    fdel: Prop.del,
    __doc__: Prop.doc,
  };
  // `__isabstractmethod__` (property_get___isabstractmethod__, cm_get___isabstractmethod__):
  // whether any of the callables `fields` of `o` holds says it is abstract.
  const isAbstract = (o: Ref, fields: readonly number[]): Ref => {
    for (const at of fields) {
      const f = py.getRef(o, at);
      if (!f || f === py.none) continue;
      const v = lookupAttr(f, "__isabstractmethod__");
      if (!v) continue;
      try {
        if (b.truth(v)) return py.bool(true);
      } finally {
        py.decref(v);
      }
    }
    return py.bool(false);
  };
  types.property!.slotHooks = {
    subclassable: true,
    getattr: (o, name) => {
      if (name === "__isabstractmethod__") return isAbstract(o, [Prop.get, Prop.set, Prop.del]);
      // A subclass's `__doc__` is its class's or its instance dict's (the member is shadowed).
      if (name === "__doc__" && vm.typeOf(o).heap) return 0;
      const at = propertyFields[name];
      return at === undefined ? 0 : py.newRef(py.getRef(o, at) || py.none);
    },
  };
  for (const name of ["staticmethod", "classmethod"] as const) {
    /** sm_init/cm_init: the callable, and functools_wraps' attributes of it. */
    const init = (o: Ref, f: Ref) => {
      py.setRef(o, 16, f);
      // sm_init/cm_init's functools_wraps: these attributes of the callable, those it has,
      // copied into the new object's __dict__ (its first store makes the dict).
      for (const attr of ["__module__", "__name__", "__qualname__", "__doc__", "__annotations__"]) {
        const v = lookupAttr(f, attr);
        if (!v) continue;
        try {
          b.setAttr(o, attr, v);
        } finally {
          py.decref(v);
        }
      }
    };
    ctor(name, (args) => {
      arity(name, args, 1);
      const o = py.allocate(b.nativeType(name));
      try {
        init(o, args[0]!);
      } catch (error) {
        py.decref(o);
        throw error;
      }
      return o;
    });
    const t = types[name]!;
    // sm_descr_get and cm_descr_get: the callable, or it bound to the class (the object's
    // class when none is given).
    t.methods.set("__get__", (a) => {
      arity("__get__", a.slice(1), 1, 2);
      const [o, obj] = [a[0]!, a[1]!];
      const cls = a[2] && a[2] !== py.none ? a[2] : 0;
      if (obj === py.none && !cls) vm.raise("TypeError", "__get__(None, None) is invalid");
      const f = py.getRef(o, 16);
      if (name === "staticmethod") return py.newRef(f);
      return b.bind(f, cls || vm.typeOf(obj).object);
    });
    // A subclass's instance starts empty and is filled by `__init__`.
    t.methods.set("__init__", (a, kw) => {
      if (kw && kw.size > 0) vm.raise("TypeError", `${name}() takes no keyword arguments`);
      arity(name, a.slice(1), 1);
      init(a[0]!, a[1]!);
      return py.newRef(py.none);
    });
    // The instance dict at field 24 (cm_dict), made by the first store or read of __dict__.
    const ownDict = (o: Ref): Ref => {
      let d = py.getRef(o, 24);
      if (!d) {
        d = py.dict();
        py.takeRef(o, 24, d);
      }
      return d;
    };
    t.slotHooks = {
      subclassable: true,
      ownDict: true,
      getattr: (o, attr) => {
        // The members first (data descriptors of the type), then the instance dict.
        if (attr === "__func__" || attr === "__wrapped__") return py.newRef(py.getRef(o, 16));
        if (attr === "__dict__") return py.newRef(ownDict(o));
        if (attr === "__isabstractmethod__") return isAbstract(o, [16]);
        const d = py.getRef(o, 24);
        const v = d ? py.dictGet(d, py.constant(attr)) : 0;
        return v ? py.newRef(v) : 0;
      },
    };
    t.setattro = (o, attr, value) => {
      if (attr === "__func__" || attr === "__wrapped__" || attr === "__dict__")
        vm.raise("AttributeError", "readonly attribute");
      b.setStr(ownDict(o), attr, value);
    };
  }
  ctor("slice", (args) => {
    arity("slice", args, 1, 3);
    const [start, stop, step] =
      args.length === 1 ? [py.none, args[0]!, py.none] : [args[0]!, args[1]!, args[2] ?? py.none];
    const s = py.allocate(vm.native.slice);
    py.setRef(s, 16, start);
    py.setRef(s, 24, stop);
    py.setRef(s, 32, step);
    return s;
  });
  for (const t of Object.values(types)) {
    if (t.kind === "exception") {
      // BaseException_init, then the family's own fields (StopIteration_init and its kin).
      t.methods.set("__init__", (args, kwargs) => {
        const [self, ...rest] = args;
        const selfType = vm.typeOf(self!);
        checkExceptionKeywords(b, selfType, kwargs);
        py.takeRef(self!, Exc.args, py.tuple(rest));
        initExceptionFields(b, self!, selfType, rest, kwargs);
        return py.newRef(py.none);
      });
      t.methods.set("with_traceback", (args) => {
        py.setRef(args[0]!, Exc.traceback, args[1] === py.none ? 0 : args[1]!);
        return py.newRef(args[0]!);
      });
      // BaseException_add_note (PEP 678): `__notes__` is an attribute like any other (in the
      // instance's dict), made a new list at the first note, and must be a list to take one.
      t.methods.set("add_note", (args) => {
        // A bound builtin method is named by its object's class (meth_get__qualname__).
        if (args.length !== 2)
          vm.raise(
            "TypeError",
            `${args[0] === undefined ? "BaseException" : vm.typeOf(args[0]).qualname}.add_note() takes exactly one argument (${Math.max(0, args.length - 1)} given)`,
          );
        const [self, note] = args as [Ref, Ref];
        if (vm.kindOf(note) !== "str")
          vm.raise("TypeError", `note must be a str, not '${vm.typeOf(note).name}'`);
        const had = lookupAttr(self, "__notes__");
        if (had) py.decref(had);
        else {
          const fresh = py.list([]);
          try {
            b.setAttr(self, "__notes__", fresh);
          } finally {
            py.decref(fresh);
          }
        }
        const notes = b.getAttr(self, "__notes__");
        try {
          if (vm.typeOf(notes).kind !== "list")
            vm.raise("TypeError", "Cannot add note: __notes__ is not a list");
          py.append(notes, note);
        } finally {
          py.decref(notes);
        }
        return py.newRef(py.none);
      });
    }
  }
  types.object!.methods.set("__init__", () => py.newRef(py.none));
  // object.__setattr__: the generic store a class's own __setattr__ hands over to.
  types.object!.methods.set("__setattr__", (args) => {
    arity("__setattr__", args, 3);
    if (vm.kindOf(args[1]!) !== "str")
      vm.raise("TypeError", `attribute name must be string, not '${vm.typeOf(args[1]!).name}'`);
    b.genericSetAttr(args[0]!, py.strValue(args[1]!), args[2]!);
    return py.newRef(py.none);
  });
  // object.__delattr__: the generic deletion a class's own __delattr__ hands over to.
  types.object!.methods.set("__delattr__", (args) => {
    arity("__delattr__", args, 2);
    if (vm.kindOf(args[1]!) !== "str")
      vm.raise("TypeError", `attribute name must be string, not '${vm.typeOf(args[1]!).name}'`);
    b.genericDelAttr(args[0]!, py.strValue(args[1]!));
    return py.newRef(py.none);
  });
  // object.__getattribute__: the generic lookup a class's own __getattribute__ hands over to.
  types.object!.methods.set("__getattribute__", (args) => {
    arity("__getattribute__", args, 2);
    if (vm.kindOf(args[1]!) !== "str")
      vm.raise("TypeError", `attribute name must be string, not '${vm.typeOf(args[1]!).name}'`);
    return b.genericGetAttr(args[0]!, py.strValue(args[1]!));
  });
  // object.__hash__: the identity hash every class without __eq__ inherits.
  types.object!.methods.set("__hash__", (args) => {
    arity("__hash__", args, 1);
    return py.int(hashPointer(args[0]!));
  });

  installMethods(b, { arity, intArg, str });
}

/**
 * The `__instancecheck__` or `__subclasscheck__` that `classinfo`'s type defines in a class
 * statement (a metaclass's, or a class's whose instances stand for types), borrowed, or 0:
 * PyObject_IsInstance's and PyObject_IsSubclass's `_PyObject_LookupSpecial`. `type`'s own
 * checks are the plain subtype test.
 */
function checkHook(b: Protocols, classinfo: Ref, name: string): Ref {
  const meta = b.vm.typeOf(classinfo);
  if (!meta.heap) return 0;
  const f = b.lookupType(meta, name);
  return f && b.vm.kindOf(f) === "function" ? f : 0;
}

/** Calls the hook `f` found by {@link checkHook}, its result's truth the answer. */
function callCheck(b: Protocols, f: Ref, classinfo: Ref, o: Ref): boolean {
  const r = b.vm.call(f, [classinfo, o]);
  try {
    return b.truth(r);
  } finally {
    b.vm.py.decref(r);
  }
}

/**
 * `isinstance(o, classinfo)` (PyObject_IsInstance): an exact type match first, then a tuple's
 * items, then the metaclass's `__instancecheck__`, else the subtype test.
 */
export function isInstance(b: Protocols, o: Ref, classinfo: Ref): boolean {
  const vm: Host = b.vm;
  const py = vm.py;
  const t = vm.typeOf(o);
  if (t.object === classinfo) return true;
  if (vm.kindOf(classinfo) === "tuple") return py.items(classinfo).some((c) => isInstance(b, o, c));
  const hook = checkHook(b, classinfo, "__instancecheck__");
  if (hook) return callCheck(b, hook, classinfo, o);
  if (!b.isType(classinfo))
    vm.raise("TypeError", "isinstance() arg 2 must be a type, a tuple of types, or a union");
  return t.isSubtype(b.typeFromObject(classinfo));
}

/**
 * `issubclass(derived, classinfo)` (PyObject_IsSubclass): a tuple's items, then the
 * metaclass's `__subclasscheck__`, else the subtype test of two classes.
 */
export function isSubclass(b: Protocols, derived: Ref, classinfo: Ref): boolean {
  const vm: Host = b.vm;
  const py = vm.py;
  if (vm.kindOf(classinfo) === "tuple")
    return py.items(classinfo).some((c) => isSubclass(b, derived, c));
  const hook = checkHook(b, classinfo, "__subclasscheck__");
  if (hook) return callCheck(b, hook, classinfo, derived);
  if (!b.isType(derived)) vm.raise("TypeError", "issubclass() arg 1 must be a class");
  if (!b.isType(classinfo))
    vm.raise("TypeError", "issubclass() arg 2 must be a class, a tuple of classes, or a union");
  return b.typeFromObject(derived).isSubtype(b.typeFromObject(classinfo));
}

/**
 * Three-argument `pow` of ints (long_pow): a negative exponent takes the base's inverse modulo
 * `m`, and the result has the modulus's sign. A string is the message of CPython's ValueError.
 */
function modPow(a: bigint, e: bigint, m: bigint): bigint | string {
  if (m === 0n) return "pow() 3rd argument cannot be 0";
  const mod = m < 0n ? -m : m;
  if (mod === 1n) return 0n;
  let base = ((a % mod) + mod) % mod;
  let exp = e;
  if (exp < 0n) {
    // The inverse by the extended Euclidean algorithm (long_invmod).
    let [r0, r1, s0, s1] = [mod, base, 0n, 1n];
    while (r1 !== 0n) {
      const q = r0 / r1;
      [r0, r1] = [r1, r0 - q * r1];
      [s0, s1] = [s1, s0 - q * s1];
    }
    if (r0 !== 1n) return "base is not invertible for the given modulus";
    base = ((s0 % mod) + mod) % mod;
    exp = -exp;
  }
  let result = 1n;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return m < 0n && result !== 0n ? result - mod : result;
}

/** `list.sort`'s keywords (`key=None, reverse=False`), then the sort itself. */
function sortWithKeywords(
  b: Protocols,
  intArg: (o: Ref) => bigint,
  l: Ref,
  kw: ReadonlyMap<string, Ref> | null,
): void {
  const vm: Host = b.vm;
  for (const k of kw?.keys() ?? [])
    if (k !== "key" && k !== "reverse")
      vm.raise("TypeError", `'${k}' is an invalid keyword argument for sort()`);
  const key = kw?.get("key") ?? vm.py.none;
  // `reverse` is a C int: an int, or an object with `__index__`.
  const reverse = kw?.has("reverse") ? intArg(kw.get("reverse")!) !== 0n : false;
  sortList(b, l, key === vm.py.none ? 0 : key, reverse);
}

interface Helpers {
  arity(name: string, args: readonly Ref[], min: number, max?: number): void;
  intArg(o: Ref, what?: string): bigint;
  str(o: Ref): string;
}

/** The methods of list, dict, str, tuple, int and float. */
function installMethods(b: Protocols, h: Helpers): void {
  const vm: Host = b.vm;
  const py = vm.py;
  const types = vm.types;
  const { arity, intArg, str } = h;
  const none = () => py.newRef(py.none);
  const method = (type: string, name: string, f: BuiltinFn) =>
    types[type]!.methods.set(
      name,
      type === "list"
        ? (a, kw) => {
            try {
              return f(a, kw);
            } finally {
              b.listChanged(a[0]!);
            }
          }
        : f,
    );

  // type_init, type_call and type.__prepare__, which metaclasses inherit.
  method("type", "__init__", (a, kw) => {
    const n = a.length - 1;
    if (n === 1 && kw && kw.size > 0)
      vm.raise("TypeError", "type.__init__() takes no keyword arguments");
    if (n !== 1 && n !== 3) vm.raise("TypeError", "type.__init__() takes 1 or 3 arguments");
    return none();
  });
  method("type", "__call__", (a, kw) => b.typeCall(b.typeFromObject(a[0]!), a.slice(1), kw));
  method("type", "__prepare__", () => py.dict());
  // object.__init_subclass__, a class method that takes nothing.
  // The built-in types' own __format__ (what a subclass's `super().__format__(spec)` or
  // `str.__format__(self, spec)` reaches): the base value formatted, a new str.
  const formatArgs = (name: string, a: readonly Ref[]) => {
    arity(`${name}.__format__`, a.slice(1), 1);
    if (vm.kindOf(a[1]!) !== "str")
      vm.raise("TypeError", `__format__() argument must be str, not ${vm.typeOf(a[1]!).name}`);
    return py.strValue(a[1]!);
  };
  method("str", "__format__", (a) => py.str(formatStr(s(a[0]!), formatArgs("str", a))));
  method("int", "__format__", (a) => {
    // An empty spec is str(self): a bool's is its name.
    const spec = formatArgs("int", a);
    return spec === "" ? b.strObject(a[0]!) : py.str(formatInt(BigInt(vm.intOf(a[0]!)), spec));
  });
  method("float", "__format__", (a) =>
    py.str(formatFloat(py.floatValue(a[0]!), formatArgs("float", a))),
  );
  // A function's slot wrappers: `f.__call__(…)` calls it, `f.__get__(obj)` binds it to obj
  // (func_descr_get: None gives the function itself).
  method("function", "__call__", (a, kw) => vm.call(a[0]!, a.slice(1), kw));
  method("function", "__get__", (a) => {
    arity("__get__", a.slice(1), 1, 2);
    const obj = a[1]!;
    return obj === py.none ? py.newRef(a[0]!) : b.bind(a[0]!, obj);
  });
  // `o.__sizeof__()`: what sys.getsizeof counts without the bytes before the object (the GC
  // head, a managed dict's two words), the types' own __sizeof__ and object's alike.
  const ownSize: BuiltinFn = (a, kw) => {
    if (a.length > 1 || (kw !== null && kw.size > 0)) {
      // The message names the type that defines the method: the object's own kind, or object.
      const kind = vm.typeOf(a[0]!).kind;
      const owner = kind === "bool" ? "int" : SIZEOF_OWNERS.has(kind) ? kind : "object";
      if (kw !== null && kw.size > 0)
        vm.raise("TypeError", `${owner}.__sizeof__() takes no keyword arguments`);
      vm.raise("TypeError", `${owner}.__sizeof__() takes no arguments (${a.length - 1} given)`);
    }
    return py.intFromSsize(py.sizeof(a[0]!) - py.preHeaderSize(a[0]!));
  };
  for (const kind of ["list", "dict", "set", "frozenset", "str", "bytes", "int"])
    if (!types[kind]!.methods.has("__sizeof__")) method(kind, "__sizeof__", ownSize);
  // object.__sizeof__ is tp_basicsize (and the items' tp_itemsize): for the types that count
  // storage of their own (a list's item array, a dict's or set's table, a str's text), only the
  // object's fixed part.
  method("object", "__sizeof__", (a, kw) => {
    const o = a[0]!;
    const t = vm.typeOf(o);
    const basic = t.subtype || t.heap ? undefined : OBJECT_BASIC_SIZES[t.kind];
    return basic === undefined || a.length > 1 || (kw !== null && kw.size > 0)
      ? ownSize(a, kw)
      : py.intFromSsize(basic);
  });
  method("object", "__init_subclass__", (a, kw) => {
    const name = b.isType(a[0]!) ? b.typeFromObject(a[0]!).name : "object";
    if (kw && kw.size > 0)
      vm.raise("TypeError", `${name}.__init_subclass__() takes no keyword arguments`);
    if (a.length > 1)
      vm.raise(
        "TypeError",
        `${name}.__init_subclass__() takes no arguments (${a.length - 1} given)`,
      );
    return none();
  });

  // int's and float's arithmetic slots as methods (`(1).__add__(2)`): the operator when the
  // other operand is one the type's own slot takes (int takes ints, float ints and floats),
  // NotImplemented otherwise, as the slot returns it.
  const arithmetic: ReadonlyArray<readonly [string, BinaryOp]> = [
    ["__add__", BinaryOp.Add],
    ["__sub__", BinaryOp.Subtract],
    ["__mul__", BinaryOp.Multiply],
    ["__truediv__", BinaryOp.TrueDivide],
    ["__floordiv__", BinaryOp.FloorDivide],
    ["__mod__", BinaryOp.Remainder],
    ["__pow__", BinaryOp.Power],
  ];
  for (const type of ["int", "float"] as const) {
    for (const [name, op] of arithmetic) {
      types[type]!.methods.set(name, (a) => {
        arity(`${type}.${name}`, a.slice(1), 1);
        const k = vm.kindOf(a[1]!);
        const takes = k === "int" || k === "bool" || (type === "float" && k === "float");
        if (!takes) return py.newRef(b.notImplemented);
        // The built-in's own operator: a subclass's `super().__add__(x)` is not its override.
        return b.binaryOp(op, a[0]!, a[1]!, false, true);
      });
    }
  }

  // The special methods of int, float, str and tuple as methods (slot wrappers in CPython):
  // what `super().__repr__()`, `super().__eq__(x)` or `int.__hash__(self)` reach from a
  // subclass, the built-in's own behaviour, never the subclass's override.
  const comparisons: ReadonlyArray<readonly [string, CompareOp]> = [
    ["__eq__", CompareOp.Eq],
    ["__ne__", CompareOp.Ne],
    ["__lt__", CompareOp.Lt],
    ["__le__", CompareOp.Le],
    ["__gt__", CompareOp.Gt],
    ["__ge__", CompareOp.Ge],
  ];
  /** Whether the type's own comparison takes `k` (long_richcompare takes ints only…). */
  const comparable = (type: string, k: string) =>
    type === "int"
      ? k === "int" || k === "bool"
      : type === "float"
        ? k === "int" || k === "bool" || k === "float"
        : k === type;
  /** An exact object holding what `o` (an instance of the type or a subclass) holds. */
  const exact = (type: string, o: Ref): Ref =>
    type === "int"
      ? py.int(vm.intOf(o))
      : type === "float"
        ? py.float(py.floatValue(o))
        : type === "str"
          ? py.str(py.strValue(o))
          : py.tuple(py.items(o));
  /**
   * `__len__`, `__contains__` and `__iter__` of a built-in container as methods: the built-in's
   * own operation, never a subclass's override of it.
   */
  const containerSlots = (type: string) => {
    const t = types[type]!;
    t.methods.set("__len__", (a) => {
      arity(`${type}.__len__`, a.slice(1), 0);
      return py.intFromSsize(b.len(a[0]!, true));
    });
    t.methods.set("__contains__", (a) => {
      arity(`${type}.__contains__`, a.slice(1), 1);
      return py.bool(b.contains(a[0]!, a[1]!, true));
    });
    t.methods.set("__iter__", (a) => {
      arity(`${type}.__iter__`, a.slice(1), 0);
      return b.iter(a[0]!, true);
    });
  };
  // bool_repr: bool's own slot, before int's.
  types.bool!.methods.set("__repr__", (a) => {
    arity("bool.__repr__", a.slice(1), 0);
    return py.str(a[0] === vm.trueRef ? "True" : "False");
  });
  for (const type of ["int", "float", "str", "tuple"] as const) {
    const t = types[type]!;
    t.methods.set("__repr__", (a) => {
      arity(`${type}.__repr__`, a.slice(1), 0);
      // long_to_decimal_string: a bool is the int it is.
      if (type === "int") return py.str(BigInt(vm.intOf(a[0]!)).toString());
      return py.str(b.reprOf(a[0]!, true));
    });
    t.methods.set("__hash__", (a) => {
      arity(`${type}.__hash__`, a.slice(1), 0);
      // The base's hash of the value: through an exact object, so that a class whose keys
      // go through its own `__hash__` does not reach it again.
      const e = exact(type, a[0]!);
      try {
        return py.int(py.hash(e));
      } finally {
        py.decref(e);
      }
    });
    for (const [name, op] of comparisons) {
      t.methods.set(name, (a) => {
        arity(`${type}.${name}`, a.slice(1), 1);
        if (!comparable(type, vm.kindOf(a[1]!))) return py.newRef(b.notImplemented);
        const c = b.compare(a[0]!, a[1]!, op);
        return c === undefined ? py.newRef(b.notImplemented) : py.bool(c);
      });
    }
    if (type === "int" || type === "float") continue;
    if (type === "str")
      t.methods.set("__str__", (a) => {
        arity("str.__str__", a.slice(1), 0);
        return vm.typeOf(a[0]!).heap ? py.str(py.strValue(a[0]!)) : py.newRef(a[0]!);
      });
    containerSlots(type);
    t.methods.set("__getitem__", (a) => {
      arity(`${type}.__getitem__`, a.slice(1), 1);
      return b.getItem(a[0]!, a[1]!, true);
    });
  }

  // tp_iter of the other built-in iterables, called by name (`range(3).__iter__()`).
  for (const type of ["range", "bytes", "frozenset"]) {
    const t = types[type];
    if (t === undefined || t.methods.has("__iter__")) continue;
    t.methods.set("__iter__", (a) => {
      arity(`${type}.__iter__`, a.slice(1), 0);
      return b.iter(a[0]!, true);
    });
  }

  // The special methods of list, dict and set as methods (slot wrappers in CPython): what
  // `super().__getitem__(i)` or `dict.__setitem__(self, k, v)` reach from a subclass that
  // overrides them, so each is the built-in's own operation, never the override.
  for (const type of ["list", "dict", "set"]) {
    const t = types[type]!;
    containerSlots(type);
    t.methods.set("__repr__", (a) => {
      arity(`${type}.__repr__`, a.slice(1), 0);
      return py.str(b.reprOf(a[0]!, true));
    });
    if (type === "set") continue;
    method(type, "__getitem__", (a) => {
      arity(`${type}.__getitem__`, a.slice(1), 1);
      return b.getItem(a[0]!, a[1]!, true);
    });
    method(type, "__setitem__", (a) => {
      arity(`${type}.__setitem__`, a.slice(1), 2);
      b.setItem(a[0]!, a[1]!, a[2]!, true);
      return none();
    });
    method(type, "__delitem__", (a) => {
      arity(`${type}.__delitem__`, a.slice(1), 1);
      b.delItem(a[0]!, a[1]!, true);
      return none();
    });
  }

  // list
  method("list", "append", (a) => {
    // METH_O's message names the method with its class.
    if (a.length !== 2) arity("list.append", a.slice(1), 1);
    py.append(a[0]!, a[1]!);
    return none();
  });
  method("list", "extend", (a) => {
    arity("list.extend", a.slice(1), 1);
    b.listExtend(a[0]!, a[1]!);
    return none();
  });
  method("list", "insert", (a) => {
    arity("insert", a.slice(1), 2);
    py.insert(a[0]!, Number(intArg(a[1]!)), a[2]!);
    return none();
  });
  method("list", "pop", (a) => {
    if (a.length > 2) arity("pop", a.slice(1), 0, 1);
    const l = a[0]!;
    const n = py.len(l);
    if (n === 0) vm.raise("IndexError", "pop from empty list");
    const i = a[1] ? Number(intArg(a[1])) : n - 1;
    const at = i < 0 ? i + n : i;
    if (at < 0 || at >= n) vm.raise("IndexError", "pop index out of range");
    const v = py.newRef(py.listItem(l, at));
    py.listDelete(l, at);
    return v;
  });
  method("list", "remove", (a) => {
    const l = a[0]!;
    const items = py.items(l);
    for (let i = 0; i < items.length; i++) {
      if (b.equal(items[i]!, a[1]!)) {
        py.listDelete(l, i);
        return none();
      }
    }
    return vm.raise("ValueError", "list.remove(x): x not in list");
  });
  const indexOf = (type: string) => (a: readonly Ref[]) => {
    const items = py.items(a[0]!);
    for (let i = 0; i < items.length; i++) if (b.equal(items[i]!, a[1]!)) return py.intFromSsize(i);
    return vm.raise(
      "ValueError",
      type === "list" ? `${b.reprOf(a[1]!)} is not in list` : "tuple.index(x): x not in tuple",
    );
  };
  const countOf = (a: readonly Ref[]) =>
    py.intFromSsize(py.items(a[0]!).filter((x) => b.equal(x, a[1]!)).length);
  method("list", "index", indexOf("list"));
  method("tuple", "index", indexOf("tuple"));
  method("list", "count", countOf);
  method("tuple", "count", countOf);
  // range_count / range_index: arithmetic for an int (or bool), else a search by equality.
  const rangeSearch = (name: string, a: readonly Ref[], index: boolean): Ref => {
    if (a.length !== 2)
      vm.raise("TypeError", `range.${name}() takes exactly one argument (${a.length - 1} given)`);
    const r = a[0]!;
    const x = a[1]!;
    const start = vm.intOf(py.getRef(r, Range.start));
    const step = vm.intOf(py.getRef(r, Range.step));
    const kind = vm.kindOf(x);
    if (vm.typeOf(x) === types.int || kind === "bool") {
      const found = b.contains(r, x);
      if (index) {
        if (!found) vm.raise("ValueError", `${b.reprOf(x)} is not in range`);
        return py.int((vm.intOf(x) - start) / step);
      }
      return py.int(found ? 1n : 0n);
    }
    const length = vm.intOf(py.getRef(r, Range.length));
    let count = 0n;
    for (let i = 0n; i < length; i++) {
      const v = py.int(start + i * step);
      let same: boolean;
      try {
        same = b.equal(v, x);
      } finally {
        py.decref(v);
      }
      if (same) {
        if (index) return py.int(i);
        count++;
      }
    }
    if (index) vm.raise("ValueError", "sequence.index(x): x not in sequence");
    return py.int(count);
  };
  method("range", "count", (a) => rangeSearch("count", a, false));
  method("range", "index", (a) => rangeSearch("index", a, true));
  method("list", "reverse", (a) => {
    py.permute(a[0]!, py.items(a[0]!).reverse());
    return none();
  });
  method("list", "sort", (a, kw) => {
    arity("sort", a.slice(1), 0);
    sortWithKeywords(b, h.intArg, a[0]!, kw);
    return none();
  });
  method("list", "clear", (a) => {
    py.clearList(a[0]!);
    return none();
  });
  method("list", "copy", (a) => {
    const l = py.list([]);
    py.extend(l, py.items(a[0]!));
    return l;
  });

  // dict
  method("dict", "get", (a) => {
    arity("get", a.slice(1), 1, 2);
    const v = py.dictGet(a[0]!, a[1]!);
    return py.newRef(v || a[2] || py.none);
  });
  method("dict", "setdefault", (a) => {
    const v = py.dictGet(a[0]!, a[1]!);
    if (v) return py.newRef(v);
    b.setItem(a[0]!, a[1]!, a[2] ?? py.none);
    return py.newRef(a[2] ?? py.none);
  });
  method("dict", "pop", (a) => {
    arity("pop", a.slice(1), 1, 2);
    // _PyDict_Pop: an empty dict answers without hashing the key; otherwise one lookup finds
    // and removes the entry (its key released, its value returned).
    const before = py.len(a[0]!);
    if (before > 0) {
      const v = py.dictPop(a[0]!, a[1]!, py.none);
      if (py.len(a[0]!) < before) return v;
      py.decref(v);
    }
    if (a[2]) return py.newRef(a[2]);
    // KeyError(key) itself: its str is the key's repr, as CPython's `_PyErr_SetKeyError` makes it.
    throw new Raised(vm.newExceptionWithArgs(types.KeyError!, [a[1]!]));
  });
  // dict_popitem: a split dict (a materialised `__dict__`) becomes combined first.
  method("dict", "popitem", (a) => {
    if (py.len(a[0]!) === 0) vm.raise("KeyError", "popitem(): dictionary is empty");
    return py.dictPopItem(a[0]!);
  });
  method("dict", "update", (a, kw) => {
    if (a[1]) b.dictUpdateFrom(a[0]!, a[1]);
    if (kw) for (const [k, v] of kw) b.setStr(a[0]!, k, v);
    return none();
  });
  method("dict", "clear", (a) => {
    py.dictClear(a[0]!);
    return none();
  });
  // PyDict_Copy: a compact dict's table is cloned, a split dict's values copied.
  method("dict", "copy", (a) => py.dictCopy(a[0]!));
  // _PyDict_FromKeys: a class method, so a[0] is the class (a subclass makes its own kind).
  types.dict!.methods.set("fromkeys", (a) => {
    const [cls, iterable, value] = a;
    if (iterable === undefined)
      vm.raise("TypeError", "fromkeys expected at least 1 argument, got 0");
    if (a.length > 3)
      vm.raise("TypeError", `fromkeys expected at most 2 arguments, got ${a.length - 1}`);
    const d = b.callType(b.typeFromObject(cls!), [], null);
    try {
      const keys = b.collect(iterable);
      try {
        for (const k of keys) b.setItem(d, k, value ?? py.none);
      } finally {
        for (const k of keys) py.decref(k);
      }
    } catch (error) {
      py.decref(d);
      throw error;
    }
    return d;
  });
  for (const [name, view] of [
    ["keys", "dict_keys"],
    ["values", "dict_values"],
    ["items", "dict_items"],
  ] as const) {
    method("dict", name, (a) => b.dictView(view, a[0]!));
  }

  // set and frozenset
  const setMethod = (name: string, f: BuiltinFn, frozenToo = false) => {
    method("set", name, f);
    if (frozenToo) method("frozenset", name, f);
  };
  setMethod("add", (a) => {
    b.setAdd(a[0]!, a[1]!);
    return none();
  });
  setMethod("discard", (a) => {
    py.setDiscard(a[0]!, a[1]!);
    return none();
  });
  setMethod("remove", (a) => {
    if (!py.setDiscard(a[0]!, a[1]!))
      throw new Raised(vm.newExceptionWithArgs(types.KeyError!, [a[1]!]));
    return none();
  });
  setMethod("pop", (a) => {
    if (py.len(a[0]!) === 0) vm.raise("KeyError", "pop from an empty set");
    return py.setPop(a[0]!);
  });
  setMethod("clear", (a) => {
    py.setClear(a[0]!);
    return none();
  });
  setMethod("copy", (a) => py.setCopy(a[0]!), true);
  setMethod("update", (a) => {
    for (const o of a.slice(1)) b.setUpdate(a[0]!, o);
    return none();
  });
  const setOf = (o: Ref) => {
    const k = vm.kindOf(o);
    if (k === "set" || k === "frozenset") return py.newRef(o);
    const t = py.set([]);
    b.setUpdate(t, o);
    return t;
  };
  // set_difference_update: each other iterable's items discarded in place.
  setMethod("difference_update", (a) => {
    for (const o of a.slice(1)) {
      if (o === a[0]) py.setClear(a[0]!);
      else {
        const other = setOf(o);
        try {
          for (const item of py.setItems(other)) py.setDiscard(a[0]!, item);
        } finally {
          py.decref(other);
        }
      }
    }
    return none();
  });
  // set_intersection_update: the intersection made as a new set, which the set then holds.
  setMethod("intersection_update", (a) => {
    let acc = py.newRef(a[0]!);
    for (const o of a.slice(1)) {
      const other = setOf(o);
      const next = py.setOperation("&", acc, other);
      py.decref(other);
      py.decref(acc);
      acc = next;
    }
    if (acc !== a[0]) {
      py.setClear(a[0]!);
      b.setUpdate(a[0]!, acc);
    }
    py.decref(acc);
    return none();
  });
  // set_symmetric_difference_update: each item of the other removed when present, else added.
  setMethod("symmetric_difference_update", (a) => {
    if (a.length !== 2)
      vm.raise(
        "TypeError",
        `set.symmetric_difference_update() takes exactly one argument (${a.length - 1} given)`,
      );
    if (a[1] === a[0]) {
      py.setClear(a[0]!);
      return none();
    }
    const other = setOf(a[1]!);
    try {
      for (const item of py.setItems(other)) if (!py.setDiscard(a[0]!, item)) b.setAdd(a[0]!, item);
    } finally {
      py.decref(other);
    }
    return none();
  });
  for (const [name, sym] of [
    ["union", "|"],
    ["intersection", "&"],
    ["difference", "-"],
    ["symmetric_difference", "^"],
  ] as const) {
    setMethod(
      name,
      (a) => {
        let acc = py.newRef(a[0]!);
        for (const o of a.slice(1)) {
          const other = setOf(o);
          const next = py.setOperation(sym, acc, other);
          py.decref(other);
          py.decref(acc);
          acc = next;
        }
        return acc;
      },
      true,
    );
  }
  const relation = (name: string, test: (x: Ref, y: Ref) => boolean) =>
    setMethod(
      name,
      (a) => {
        const other = setOf(a[1]!);
        try {
          return py.bool(test(a[0]!, other));
        } finally {
          py.decref(other);
        }
      },
      true,
    );
  relation("issubset", (x, y) => py.setItems(x).every((i) => py.setContains(y, i)));
  relation("issuperset", (x, y) => py.setItems(y).every((i) => py.setContains(x, i)));
  relation("isdisjoint", (x, y) => !py.setItems(x).some((i) => py.setContains(y, i)));

  // str
  const s = (o: Ref) => strText(py, o, b.strTypeId);
  const optStr = (o: Ref | undefined) => (o === undefined || o === py.none ? null : str(o));
  const bound = (o: Ref | undefined) => (o === undefined || o === py.none ? null : intArg(o));
  const strMethod = (name: string, f: (self: string, a: readonly Ref[]) => string) =>
    method("str", name, (a) => py.str(f(s(a[0]!), a.slice(1))));
  strMethod("upper", (x) => S.strUpper(x));
  strMethod("lower", (x) => S.strLower(x));
  strMethod("casefold", (x) => S.strCasefold(x));
  strMethod("swapcase", (x) => S.strSwapcase(x));
  strMethod("capitalize", (x) => S.strCapitalize(x));
  strMethod("title", (x) => S.strTitle(x));
  // The characters to strip: None or a str (do_argstrip's message names the method).
  const chars = (o: Ref | undefined, name: string) => {
    if (o !== undefined && o !== py.none && vm.kindOf(o) !== "str")
      vm.raise("TypeError", `${name} arg must be None or str`);
    return optStr(o);
  };
  // Methods that give an exact str back itself when they change nothing
  // (unicode_result_unchanged): nothing stripped, no room to pad, no tab, no affix.
  const keepIfSame = (name: string, f: (self: string, a: readonly Ref[]) => string) =>
    method("str", name, (a) => unchangedOr(a[0]!, f(s(a[0]!), a.slice(1))));
  const unchangedOr = (self: Ref, text: string) =>
    py.memory.u32[(self + OB_TYPE) >>> 2] === b.strTypeId && py.strValue(self) === text
      ? py.newRef(self)
      : py.str(text);
  keepIfSame("strip", (x, a) => S.strStrip(x, chars(a[0], "strip")));
  keepIfSame("lstrip", (x, a) => S.strLStrip(x, chars(a[0], "lstrip")));
  keepIfSame("rstrip", (x, a) => S.strRStrip(x, chars(a[0], "rstrip")));
  keepIfSame("center", (x, a) => S.strCenter(x, intArg(a[0]!), a[1] ? str(a[1]) : " "));
  keepIfSame("ljust", (x, a) => S.strLJust(x, intArg(a[0]!), a[1] ? str(a[1]) : " "));
  keepIfSame("rjust", (x, a) => S.strRJust(x, intArg(a[0]!), a[1] ? str(a[1]) : " "));
  keepIfSame("zfill", (x, a) => S.strZFill(x, intArg(a[0]!)));
  keepIfSame("expandtabs", (x, a) => S.strExpandTabs(x, a[0] ? intArg(a[0]) : 8n));
  keepIfSame("removeprefix", (x, a) => S.strRemovePrefix(x, str(a[0]!)));
  keepIfSame("removesuffix", (x, a) => S.strRemoveSuffix(x, str(a[0]!)));
  // str.translate: each character looked up by its code point in the table; a LookupError keeps
  // it, None drops it, an int or a str replaces it.
  method("str", "translate", (a) => {
    const table = a[1]!;
    let out = "";
    for (const c of s(a[0]!)) {
      const key = py.int(c.codePointAt(0)!);
      let v: Ref;
      try {
        v = b.getItem(table, key);
      } catch (error) {
        if (!(error instanceof Raised) || !b.exceptionMatches(error.exc, types.LookupError!.object))
          throw error;
        py.decref(error.exc);
        out += c;
        continue;
      } finally {
        py.decref(key);
      }
      try {
        const k = vm.kindOf(v);
        if (v === py.none) continue;
        if (k === "int" || k === "bool") {
          const n = vm.intOf(v);
          if (n < 0n || n >= 0x110000n)
            vm.raise("ValueError", "character mapping must be in range(0x110000)");
          out += String.fromCodePoint(Number(n));
        } else if (k === "str") out += py.strValue(v);
        else vm.raise("TypeError", "character mapping must return integer, None or str");
      } finally {
        py.decref(v);
      }
    }
    return py.str(out);
  });
  // str.maketrans (a static method): a dict from code points to what translate puts there.
  types.str!.methods.set("maketrans", (a) => {
    arity("maketrans", a, 1, 3);
    const d = py.dict();
    try {
      const put = (k: Ref, v: Ref) => {
        py.setItem(d, k, v);
        py.decref(k);
      };
      if (a.length === 1) {
        if (vm.kindOf(a[0]!) !== "dict")
          vm.raise("TypeError", "if you give only one argument to maketrans it must be a dict");
        for (const [k, v] of py.dictItems(a[0]!)) {
          const kind = vm.kindOf(k);
          if (kind === "str") {
            const text = py.strValue(k);
            if ([...text].length !== 1)
              vm.raise("ValueError", "string keys in translate table must be of length 1");
            put(py.int(text.codePointAt(0)!), v);
          } else if (kind === "int" || kind === "bool") put(py.newRef(k), v);
          else vm.raise("TypeError", "keys in translate table must be strings or integers");
        }
        return d;
      }
      if (vm.kindOf(a[0]!) !== "str")
        vm.raise(
          "TypeError",
          "first maketrans argument must be a string if there is a second argument",
        );
      const from = [...py.strValue(a[0]!)];
      const to = [...str(a[1]!)];
      if (from.length !== to.length)
        vm.raise("ValueError", "the first two maketrans arguments must have equal length");
      for (let i = 0; i < from.length; i++) {
        const v = py.int(to[i]!.codePointAt(0)!);
        put(py.int(from[i]!.codePointAt(0)!), v);
        py.decref(v);
      }
      if (a[2] !== undefined) for (const c of str(a[2])) put(py.int(c.codePointAt(0)!), py.none);
      return d;
    } catch (error) {
      py.decref(d);
      throw error;
    }
  });
  method("str", "replace", (a) =>
    unchangedOr(a[0]!, S.strReplace(s(a[0]!), str(a[1]!), str(a[2]!), a[3] ? intArg(a[3]) : -1n)),
  );
  const intMethod = (name: string, f: (self: string, a: readonly Ref[]) => number) =>
    method("str", name, (a) => py.intFromSsize(f(s(a[0]!), a.slice(1))));
  intMethod("find", (x, a) => S.strFind(x, str(a[0]!), bound(a[1]), bound(a[2])));
  intMethod("rfind", (x, a) => S.strRFind(x, str(a[0]!), bound(a[1]), bound(a[2])));
  intMethod("index", (x, a) => S.strIndexOf(x, str(a[0]!), bound(a[1]), bound(a[2])));
  intMethod("rindex", (x, a) => S.strRIndexOf(x, str(a[0]!), bound(a[1]), bound(a[2])));
  intMethod("count", (x, a) => S.strCount(x, str(a[0]!), bound(a[1]), bound(a[2])));
  const affix = (name: "startswith" | "endswith") =>
    method("str", name, (a) => {
      const x = s(a[0]!);
      const options = vm.kindOf(a[1]!) === "tuple" ? py.items(a[1]!).map(str) : [str(a[1]!)];
      const test = name === "startswith" ? S.strStartsWith : S.strEndsWith;
      return py.bool(options.some((o) => test(x, o, bound(a[2]), bound(a[3]))));
    });
  affix("startswith");
  affix("endswith");
  const predicate = (name: string, f: (x: string) => boolean) =>
    method("str", name, (a) => py.bool(f(s(a[0]!))));
  for (const [name, f] of Object.entries(S)) {
    const m = /^strIs([A-Z][a-z]+)$/.exec(name);
    if (m && typeof f === "function")
      predicate(`is${m[1]!.toLowerCase()}`, f as (x: string) => boolean);
  }
  const splitter =
    (split: typeof S.strSplit, reverse: boolean): BuiltinFn =>
    (a, kw) => {
      const text = s(a[0]!);
      const sep = optStr(a[1] ?? kw?.get("sep"));
      const given = a[2] ?? kw?.get("maxsplit");
      const maxsplit = given === undefined ? -1n : intArg(given);
      // PyUnicode_Split answers a str shorter than its separator with a list of one slot.
      if (sep !== null && sep !== "" && [...text].length < [...sep].length) return py.list([a[0]!]);
      const parts = split(text, sep, maxsplit);
      // A str that did not split is the list's only item itself (stringlib's shortcut, which
      // a whitespace split with maxsplit 0 never reaches).
      const whole = parts.length === 1 && parts[0] === text && (sep !== null || maxsplit !== 0n);
      return splitList(
        py,
        Number(maxsplit),
        parts.length,
        (i) => (whole ? py.newRef(a[0]!) : py.str(parts[i]!)),
        reverse,
      );
    };
  method("str", "split", splitter(S.strSplit, false));
  method("str", "rsplit", splitter(S.strRSplit, true));
  method("str", "splitlines", (a) => {
    // keepends is a C int (`_PyLong_AsInt`): an int or an object with `__index__`.
    const parts = S.strSplitLines(s(a[0]!), a[1] ? intArg(a[1]) !== 0n : false);
    // stringlib's splitlines appends to an empty list (as list.append grows it); a str
    // without a line break is its own only line.
    const l = py.list([]);
    for (const p of parts) {
      const r = parts.length === 1 && p === s(a[0]!) ? py.newRef(a[0]!) : py.str(p);
      py.append(l, r);
      py.decref(r);
    }
    return l;
  });
  // A separator not found gives the str itself in the tuple (a subclass's instance too).
  const tripleOfStrs = (self: Ref, parts: readonly string[]) => {
    const text = s(self);
    const refs = parts.map((p) => (p === text && p !== "" ? py.newRef(self) : py.str(p)));
    const t = py.tuple(refs);
    for (const r of refs) py.decref(r);
    return t;
  };
  method("str", "partition", (a) => tripleOfStrs(a[0]!, S.strPartition(s(a[0]!), str(a[1]!))));
  method("str", "rpartition", (a) => tripleOfStrs(a[0]!, S.strRPartition(s(a[0]!), str(a[1]!))));
  method("str", "join", (a) => {
    // PyUnicode_Join reads a list or tuple in place and first makes a list of anything else
    // (PySequence_Fast, with list_extend's room for eight items when there is no length),
    // which lives until the result is made.
    const iterable = a[1]!;
    const k = vm.kindOf(iterable);
    let list = 0;
    if (k !== "list" && k !== "tuple") {
      list = py.list([]);
      try {
        b.listExtend(list, iterable);
      } catch (error) {
        py.decref(list);
        throw error;
      }
    }
    try {
      const u32 = py.memory.u32;
      const strTypeId = b.strTypeId;
      const parts = py.items(list || iterable).map((i, n) => {
        if (u32[(i + OB_TYPE) >>> 2] !== strTypeId && vm.kindOf(i) !== "str")
          vm.raise(
            "TypeError",
            `sequence item ${n}: expected str instance, ${vm.typeOf(i).name} found`,
          );
        return s(i);
      });
      // One exact str is the result itself (PyUnicode_Join's shortcut).
      const items = py.items(list || iterable);
      if (items.length === 1 && u32[(items[0]! + OB_TYPE) >>> 2] === strTypeId)
        return py.newRef(items[0]!);
      return py.str(S.strJoin(s(a[0]!), parts));
    } finally {
      if (list) py.decref(list);
    }
  });
  method("str", "format", (a, kw) => py.str(vm.strFormat(s(a[0]!), a.slice(1), kw)));
  // str.format_map(mapping): the fields' names looked up in the mapping by subscription.
  method("str", "format_map", (a) => {
    if (a.length !== 2)
      vm.raise("TypeError", `str.format_map() takes exactly one argument (${a.length - 1} given)`);
    return py.str(vm.strFormat(s(a[0]!), [], null, a[1]!));
  });

  // numbers
  method("int", "bit_length", (a) => {
    const v = BigInt(vm.intOf(a[0]!));
    return py.intFromSsize(v === 0n ? 0 : (v < 0n ? -v : v).toString(2).length);
  });
  method("int", "bit_count", (a) => {
    const v = BigInt(vm.intOf(a[0]!));
    let n = 0;
    for (const c of (v < 0n ? -v : v).toString(2)) if (c === "1") n++;
    return py.intFromSsize(n);
  });
  /**
   * The arguments of int.to_bytes and int.from_bytes as their clinic declares them: `names`
   * positional-or-keyword with `defaults`, then the keyword-only `signed`.
   */
  const intBytesArgs = (
    what: string,
    given: readonly Ref[],
    kw: Kw,
    names: readonly string[],
  ): { args: (Ref | undefined)[]; signed: boolean } => {
    const args: (Ref | undefined)[] = [...given];
    let signed = false;
    for (const [key, value] of kw ?? []) {
      if (key === "signed") {
        signed = b.truth(value);
        continue;
      }
      const i = names.indexOf(key);
      if (i < 0) vm.raise("TypeError", `'${key}' is an invalid keyword argument for ${what}()`);
      if (args[i] !== undefined)
        vm.raise(
          "TypeError",
          `argument for ${what}() given by name ('${key}') and position (${i + 1})`,
        );
      args[i] = value;
    }
    return { args, signed };
  };
  const byteorderOf = (what: string, o: Ref | undefined): "big" | "little" => {
    if (o === undefined) return "big";
    if (vm.kindOf(o) !== "str")
      vm.raise("TypeError", `${what}() argument 'byteorder' must be str, not ${vm.typeOf(o).name}`);
    const order = py.strValue(o);
    if (order !== "big" && order !== "little")
      vm.raise("ValueError", "byteorder must be either 'little' or 'big'");
    return order;
  };
  // int_to_bytes_impl: two's complement when signed, `length` bytes exactly.
  method("int", "to_bytes", (a, kw) => {
    const { args, signed } = intBytesArgs("to_bytes", a.slice(1), kw, ["length", "byteorder"]);
    const length = args[0] === undefined ? 1n : intArg(args[0]);
    const order = byteorderOf("to_bytes", args[1]);
    if (length < 0n) vm.raise("ValueError", "length argument must be non-negative");
    let v = BigInt(vm.intOf(a[0]!));
    if (v < 0n && !signed) vm.raise("OverflowError", "can't convert negative int to unsigned");
    const bits = 8n * length;
    const fits = signed
      ? bits > 0n && v >= -(1n << (bits - 1n)) && v < 1n << (bits - 1n)
      : v < 1n << bits;
    // No bytes hold 0, and, signed, -1 too (_PyLong_AsByteArray finds no bit lost).
    const empty = length === 0n && (v === 0n || (signed && v === -1n));
    if (!fits && !empty) vm.raise("OverflowError", "int too big to convert");
    if (v < 0n) v += 1n << bits;
    const out = new Uint8Array(Number(length));
    for (let i = 0; i < out.length; i++) {
      out[order === "little" ? i : out.length - 1 - i] = Number(v & 0xffn);
      v >>= 8n;
    }
    return b.bytes(out);
  });
  // int_from_bytes_impl: a class method (a[0] is the class); a subclass is called with the int.
  types.int!.methods.set("from_bytes", (a, kw) => {
    const { args, signed } = intBytesArgs("from_bytes", a.slice(1), kw, ["bytes", "byteorder"]);
    const source = args[0];
    if (source === undefined)
      vm.raise("TypeError", "from_bytes() missing required argument 'bytes' (pos 1)");
    const order = byteorderOf("from_bytes", args[1]);
    const k = vm.kindOf(source);
    let data: Uint8Array;
    if (k === "bytes") data = b.bytesType.data(source);
    else if (k === "str" || k === "int" || k === "float" || k === "none" || k === "bool")
      vm.raise("TypeError", `cannot convert '${vm.typeOf(source).name}' object to bytes`);
    else {
      // PyObject_Bytes of an iterable of ints.
      const items = b.collect(source);
      try {
        data = Uint8Array.from(items, (i) => {
          const v = intArg(i, "an integer");
          if (v < 0n || v > 255n) vm.raise("ValueError", "bytes must be in range(0, 256)");
          return Number(v);
        });
      } finally {
        for (const i of items) py.decref(i);
      }
    }
    let v = 0n;
    for (let i = 0; i < data.length; i++)
      v = (v << 8n) | BigInt(data[order === "little" ? data.length - 1 - i : i]!);
    if (signed && data.length > 0 && v >= 1n << (8n * BigInt(data.length) - 1n))
      v -= 1n << (8n * BigInt(data.length));
    const cls = b.typeFromObject(a[0]!);
    const result = py.int(v);
    if (cls === types.int) return result;
    try {
      return vm.call(cls.object, [result]);
    } finally {
      py.decref(result);
    }
  });
  method("float", "is_integer", (a) => py.bool(floatIsInteger(py.floatValue(a[0]!))));
  method("float", "hex", (a) => py.str(floatHex(py.floatValue(a[0]!))));
  // float_fromhex: a class method; a subclass is called with the float.
  types.float!.methods.set("fromhex", (a) => {
    if (a.length !== 2)
      vm.raise("TypeError", `float.fromhex() takes exactly one argument (${a.length - 1} given)`);
    const text = a[1]!;
    if (vm.kindOf(text) !== "str")
      vm.raise("TypeError", `fromhex() argument must be str, not ${vm.typeOf(text).name}`);
    const v = floatFromHex(py.strValue(text));
    if (v === "invalid") vm.raise("ValueError", "invalid hexadecimal floating-point string");
    if (v === "overflow")
      vm.raise("OverflowError", "hexadecimal value too large to represent as a float");
    const result = py.float(v);
    const cls = b.typeFromObject(a[0]!);
    if (cls === types.float) return result;
    try {
      return vm.call(cls.object, [result]);
    } finally {
      py.decref(result);
    }
  });
  // The real numbers are their own conjugates (an exact int itself, a bool or subclass its int).
  method("int", "conjugate", (a) =>
    vm.typeOf(a[0]!) === types.int ? py.newRef(a[0]!) : py.int(vm.intOf(a[0]!)),
  );
  method("float", "conjugate", (a) =>
    vm.typeOf(a[0]!) === types.float ? py.newRef(a[0]!) : py.float(py.floatValue(a[0]!)),
  );
  const pair = (x: bigint, y: bigint) => {
    const items = [py.int(x), py.int(y)];
    const t = py.tuple(items);
    for (const i of items) py.decref(i);
    return t;
  };
  method("int", "as_integer_ratio", (a) => pair(BigInt(vm.intOf(a[0]!)), 1n));
  method("float", "as_integer_ratio", (a) => {
    const x = py.floatValue(a[0]!);
    if (Number.isNaN(x)) vm.raise("ValueError", "cannot convert NaN to integer ratio");
    if (!Number.isFinite(x)) vm.raise("OverflowError", "cannot convert Infinity to integer ratio");
    const [num, den] = floatRatio(x);
    return pair(num, den);
  });
  // slice_indices: (start, stop, step) for a sequence of `length` items.
  method("slice", "indices", (a) => {
    arity("indices", a.slice(1), 1);
    const n = BigInt(intArg(a[1]!));
    if (n < 0n) vm.raise("ValueError", "length should not be negative");
    const [start, stop, step] = b.sliceIndices(a[0]!, Number(n));
    const items = [py.int(start), py.int(stop), py.int(step)];
    const t = py.tuple(items);
    for (const i of items) py.decref(i);
    return t;
  });
}

/** A finite double as the exact fraction num/den in lowest terms, den a power of two. */
function floatRatio(x: number): [bigint, bigint] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  let num = exponent === 0 ? fraction : fraction | (1n << 52n);
  let shift = (exponent === 0 ? 1 : exponent) - 1075;
  while (shift < 0 && num !== 0n && (num & 1n) === 0n) {
    num >>= 1n;
    shift++;
  }
  if (num === 0n) return [0n, 1n];
  const sign = bits >> 63n ? -1n : 1n;
  return shift >= 0 ? [sign * (num << BigInt(shift)), 1n] : [sign * num, 1n << BigInt(-shift)];
}
