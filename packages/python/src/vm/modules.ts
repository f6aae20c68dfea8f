// The modules a program may import: `gc`, `sys`, `weakref`, `tracemalloc` and `time`, each a
// module object whose functions drive the runtime's facades, `copy` (Python code, copy.ts),
// `math` (math.ts), `collections` (a native deque and Python code, collections.ts),
// `contextlib`, `dataclasses`, `enum`, `functools` and `itertools` (Python code, contextlib.ts,
// dataclasses.ts, enum.ts, functools.ts, itertools.ts), `io` (io.ts: open() and the file
// classes), a small `os` (io.ts: remove, getcwd, path.exists), `json` (json.ts: Python code
// over natives standing for `_json`'s C scanner and encoder), `random` (random.ts: Python
// code over a native Mersenne Twister), `heapq`, `bisect`, `pprint`, `operator`, `keyword`, `string`,
// `types` and `struct` (Python code, some over natives, in the files of those names;
// types-module.ts for `types`), `atexit` (atexit.ts, run at exit by run.ts), `array`
// (array.ts: a native type with CPython's layout), and `abc`, `typing` and `traceback` (Python
// code, abc.ts, typing.ts, traceback-module.ts), `re` (re-module.ts: a parser and a
// backtracking matcher written in Python), `textwrap` (Python code over `re`, textwrap.ts),
// `codecs` (codecs.ts: Python code over the codecs of codecs-core.ts), `warnings`, `numbers`,
// `fractions` and `reprlib` (Python code, warnings.ts, numbers.ts, fractions.ts, reprlib.ts).

import type { Handle, Ref } from "@mm/runtime";
import { abcModule } from "./abc.js";
import { arrayModule } from "./array.js";
import { atexitModule } from "./atexit.js";
import { bisectModule } from "./bisect.js";
import { codecsModule } from "./codecs.js";
import { collectionsModule } from "./collections.js";
import { collectionsAbcModule } from "./collections-abc.js";
import { contextlibModule } from "./contextlib.js";
import { copyModule } from "./copy.js";
import { copyregModule } from "./copyreg.js";
import { dataclassesModule } from "./dataclasses.js";
import { enumModule } from "./enum.js";
import { Raised } from "./errors.js";
import { displayHook } from "./exec.js";
import { fractionsModule } from "./fractions.js";
import { functoolsModule } from "./functools.js";
import { heapqModule } from "./heapq.js";
import type { Host, Protocols } from "./host.js";
import { CONSOLE_NAMES, ioModule, osModule, sysStream } from "./io.js";
import { itertoolsModule } from "./itertools.js";
import { jsonModule } from "./json.js";
import { keywordModule } from "./keyword.js";
import { Builtin, Exc, Fn, ModuleObj } from "./layouts.js";
import { mathModule } from "./math.js";
import { numberIndex } from "./number-index.js";
import { numbersModule } from "./numbers.js";
import { operatorModule } from "./operator.js";
import { pprintModule } from "./pprint.js";
import { randomModule } from "./random.js";
import { reModule } from "./re-module.js";
import { inTraverseOrder } from "./referents.js";
import { reprlibModule } from "./reprlib.js";
import { stringModule } from "./string.js";
import { structModule } from "./struct.js";
import { STRUCT_SEQUENCE_NAMES, sysStructSeq } from "./structseq.js";
import { textwrapModule } from "./textwrap.js";
import { tracebackModule } from "./traceback-module.js";
import { tracemallocModule } from "./tracemalloc.js";
import type { BuiltinFn } from "./types.js";
import { typesModule } from "./types-module.js";
import { typingModule } from "./typing.js";
import { warningsModule } from "./warnings.js";
import {
  installWeakrefClasses,
  newRefOrNone,
  runWeakrefCallback,
  weakrefEqual,
  weakrefHash,
} from "./weakref.js";

/** The modules a program can import, in the order the docs list them. */
export const moduleNames = [
  "gc",
  "sys",
  "weakref",
  "tracemalloc",
  "time",
  "copy",
  "copyreg",
  "math",
  "collections",
  "collections.abc",
  "contextlib",
  "dataclasses",
  "enum",
  "functools",
  "itertools",
  "io",
  "os",
  "json",
  "random",
  "heapq",
  "bisect",
  "pprint",
  "operator",
  "keyword",
  "string",
  "types",
  "atexit",
  "array",
  "struct",
  "abc",
  "typing",
  "traceback",
  "re",
  "textwrap",
  "codecs",
  "warnings",
  "numbers",
  "fractions",
  "reprlib",
] as const;

/** The built-in kinds whose subclasses' instances have a GC head. */

/** Makes module `name` (a new reference), or undefined when there is no such module. */
/**
 * Makes the modules and objects python3's start-up leaves for a program (pylifecycle's
 * init_sys_streams and site's imports): `weakref` (which python3's start-up imports), `sys`,
 * `io`, and `sys.stdin`/`sys.stdout`/`sys.stderr` with their `__stdin__`/… twins,
 * TextIOWrappers over the io types; `sys.modules` lists them. A program's `import sys`, its first read of `sys.stdout` and its first `open()`
 * then allocate nothing for them, as in python3.
 */
export function startupModules(b: Protocols): void {
  const py = b.vm.py;
  // The collector's state at the program's start is seeded from python3's: the many objects
  // made here run no automatic collection of their own.
  const gc = py.gc;
  const enabled = gc.isEnabled();
  gc.disable();
  try {
    py.decref(b.importModule("weakref"));
    const sys = b.importModule("sys");
    py.decref(b.importModule("io"));
    py.decref(sysStream(b, sys, "stdout"));
    py.decref(sys);
  } finally {
    if (enabled) gc.enable();
  }
}

export function createModule(b: Protocols, name: string): Ref | undefined {
  switch (name) {
    case "gc":
      return gcModule(b);
    case "sys":
      return sysModule(b);
    case "weakref":
      return weakrefModule(b);
    case "tracemalloc":
      return tracemallocModule(b);
    case "time":
      return timeModule(b);
    case "copy":
      return copyModule(b);
    case "copyreg":
      return copyregModule(b);
    case "math":
      return mathModule(b);
    case "collections":
      return collectionsModule(b);
    case "collections.abc":
      return collectionsAbcModule(b);
    case "contextlib":
      return contextlibModule(b);
    case "dataclasses":
      return dataclassesModule(b);
    case "enum":
      return enumModule(b);
    case "functools":
      return functoolsModule(b);
    case "itertools":
      return itertoolsModule(b);
    case "io":
      return ioModule(b);
    case "os":
      return osModule(b);
    case "json":
      return jsonModule(b);
    case "random":
      return randomModule(b);
    case "heapq":
      return heapqModule(b);
    case "bisect":
      return bisectModule(b);
    case "pprint":
      return pprintModule(b);
    case "operator":
      return operatorModule(b);
    case "keyword":
      return keywordModule(b);
    case "string":
      return stringModule(b);
    case "types":
      return typesModule(b);
    case "atexit":
      return atexitModule(b);
    case "array":
      return arrayModule(b);
    case "struct":
      return structModule(b);
    case "abc":
      return abcModule(b);
    case "typing":
      return typingModule(b);
    case "traceback":
      return tracebackModule(b);
    case "re":
      return reModule(b);
    case "textwrap":
      return textwrapModule(b);
    case "codecs":
      return codecsModule(b);
    case "warnings":
      return warningsModule(b);
    case "numbers":
      return numbersModule(b);
    case "fractions":
      return fractionsModule(b);
    case "reprlib":
      return reprlibModule(b);
    default:
      return undefined;
  }
}

function define(b: Protocols, m: Ref, name: string, f: BuiltinFn): void {
  const py = b.vm.py;
  const module = py.strValue(py.getRef(m, ModuleObj.name));
  const o = b.newBuiltin(name, b.moduleFunction(module, name, f), 0, m);
  b.setStr(py.getRef(m, ModuleObj.dict), name, o);
  py.decref(o);
}

/** The builtin id of each interpreter's own `sys.excepthook`. */
const defaultExcepthooks = new WeakMap<Protocols, number>();

/**
 * What the program made `sys.excepthook` (borrowed) when it is not the interpreter's own
 * `PyErr_Display`, else 0: the hook an uncaught exception is handed to. None, or a `sys`
 * without the name, is returned as None (python3 then says "sys.excepthook is missing").
 */
export function replacedExcepthook(b: Protocols): Ref {
  const vm: Host = b.vm;
  const py = vm.py;
  const sys = b.modules.get("sys");
  if (!sys) return 0;
  const hook = py.dictGet(py.getRef(sys, ModuleObj.dict), py.constant("excepthook"));
  if (!hook) return py.none;
  if (
    vm.kindOf(hook) === "builtin" &&
    py.memory.u32[(hook + Builtin.id) >>> 2] === defaultExcepthooks.get(b)
  )
    return 0;
  return hook;
}

/**
 * `PyErr_Display(type, value, tb)`: `value`'s traceback as the printer of uncaught exceptions
 * writes it on stderr (with its chain and a NameError's or AttributeError's "Did you mean"),
 * `tb` put on an exception that has none.
 */
export function displayException(b: Protocols, value: Ref, tb: Ref): void {
  const vm: Host = b.vm;
  const py = vm.py;
  b.flush();
  if (!vm.typeOf(value).isSubtype(vm.types.BaseException!)) {
    vm.io.stderr(
      `TypeError: print_exception(): Exception expected for value, ${vm.typeOf(value).name} found\n`,
    );
    return;
  }
  if (vm.kindOf(tb) === "traceback" && !py.getRef(value, Exc.traceback))
    py.setRef(value, Exc.traceback, tb);
  vm.io.stderr(b.formatException(value, true));
}

/**
 * Gives the program its `sys.argv` (a new list of `argv`'s strs), once the host knows it: `sys`
 * exists from start-up, before the program is named.
 */
export function setSysArgv(b: Protocols, argv: readonly string[]): void {
  const vm: Host = b.vm;
  const py = vm.py;
  vm.argv = [...argv];
  const sys = b.importModule("sys");
  try {
    setValue(
      b,
      sys,
      "argv",
      listOf(
        b,
        argv.map((arg) => py.str(arg)),
      ),
    );
  } finally {
    py.decref(sys);
  }
}

function setValue(b: Protocols, m: Ref, name: string, value: Ref): void {
  const py = b.vm.py;
  b.setStr(py.getRef(m, ModuleObj.dict), name, value);
  py.decref(value);
}

/** The objects behind handles, releasing the handles. */
function fromHandles(b: Protocols, handles: readonly Handle[]): Ref[] {
  const py = b.vm.py;
  return handles.map((h) => {
    const o = py.newRef(py.fromHandle(h));
    h.release();
    return o;
  });
}

/** A new list of new references (taken). */
function listOf(b: Protocols, items: readonly Ref[]): Ref {
  const py = b.vm.py;
  const l = py.list(items);
  for (const i of items) py.decref(i);
  return l;
}

function gcModule(b: Protocols): Ref {
  const vm: Host = b.vm;
  const py = vm.py;
  const gc = py.gc;
  const m = b.newModule("gc");
  const none = () => py.newRef(py.none);
  const intArg = (o: Ref) => {
    const k = vm.kindOf(o);
    if (k !== "int" && k !== "bool")
      vm.raise("TypeError", `'${vm.typeOf(o).name}' object cannot be interpreted as an integer`);
    return Number(vm.intOf(o));
  };
  // gc.garbage and gc.callbacks are lists in the heap, as in CPython.
  const garbage = py.list([]);
  const callbacks = py.list([]);
  b.vm.keep(py.newRef(garbage));
  b.vm.keep(py.newRef(callbacks));
  setValue(b, m, "garbage", garbage);
  setValue(b, m, "callbacks", callbacks);
  // gc.garbage is brought up to date whenever the program reads it.
  // The collector's entries move into it, so that it alone holds them (clearing it frees them,
  // or leaves their cycles for the next collection, as in CPython).
  b.onGcGarbageRead = () => {
    const taken = gc.takeGarbage();
    for (const h of taken) py.append(garbage, py.fromHandle(h));
    for (const h of taken) h.release();
    return garbage;
  };
  // The collector calls back (and builds its info dicts) only while gc.callbacks is not empty,
  // as CPython's does: the hook is installed while the program's list has entries.
  const hook = (
    phase: "start" | "stop",
    info: { generation: number; collected: number; uncollectable: number },
  ) => {
    const listeners = py.items(callbacks);
    const p = py.str(phase);
    const d = py.dict();
    for (const [k, v] of [
      ["generation", info.generation],
      ["collected", info.collected],
      ["uncollectable", info.uncollectable],
    ] as const) {
      const n = py.int(v);
      b.setStr(d, k, n);
      py.decref(n);
    }
    try {
      for (const f of listeners) py.decref(vm.call(f, [p, d]));
    } finally {
      py.decref(p);
      py.decref(d);
    }
  };
  b.watchList(callbacks, () => {
    const at = gc.callbacks.indexOf(hook);
    const wanted = py.len(callbacks) > 0;
    if (wanted && at < 0) gc.callbacks.push(hook);
    else if (!wanted && at >= 0) gc.callbacks.splice(at, 1);
  });
  define(b, m, "collect", (a, kw) => {
    const gen = a[0] ?? kw?.get("generation");
    const g = gen === undefined ? 2 : intArg(gen);
    if (g < 0 || g > 2) vm.raise("ValueError", "invalid generation");
    return py.intFromSsize(py.collect(g));
  });
  define(b, m, "enable", () => {
    gc.enable();
    return none();
  });
  define(b, m, "disable", () => {
    gc.disable();
    return none();
  });
  define(b, m, "isenabled", () => py.bool(gc.isEnabled()));
  const tuple3 = (v: readonly number[]) => {
    const items = v.map((n) => py.int(n));
    const t = py.tuple(items);
    for (const i of items) py.decref(i);
    return t;
  };
  define(b, m, "get_count", () => tuple3(gc.getCount()));
  define(b, m, "get_threshold", () => tuple3(gc.getThreshold()));
  define(b, m, "set_threshold", (a) => {
    if (a.length < 1 || a.length > 3)
      vm.raise("TypeError", `set_threshold expected at least 1 argument, got ${a.length}`);
    const [t0, t1, t2] = a.map(intArg);
    gc.setThreshold(t0!, t1, t2);
    return none();
  });
  define(b, m, "is_tracked", (a) => py.bool(py.isTracked(a[0]!)));
  define(b, m, "is_finalized", (a) => py.bool(py.isFinalized(a[0]!)));
  define(b, m, "freeze", () => {
    gc.freeze();
    return none();
  });
  define(b, m, "unfreeze", () => {
    gc.unfreeze();
    return none();
  });
  define(b, m, "get_freeze_count", () => py.intFromSsize(gc.getFreezeCount()));
  define(b, m, "set_debug", (a) => {
    gc.setDebug(intArg(a[0]!));
    return none();
  });
  define(b, m, "get_debug", () => py.int(gc.getDebug()));
  define(b, m, "get_stats", () => {
    const stats = gc.getStats().map((s) => {
      const d = py.dict();
      for (const [k, v] of [
        ["collections", s.collections],
        ["collected", s.collected],
        ["uncollectable", s.uncollectable],
      ] as const) {
        const n = py.int(v);
        b.setStr(d, k, n);
        py.decref(n);
      }
      return d;
    });
    return listOf(b, stats);
  });
  const handles = (a: readonly Ref[]) => a.map((o) => py.toHandle(o));
  define(b, m, "get_referents", (a) => {
    const hs = handles(a);
    try {
      // Each object's referents in the order CPython's tp_traverse visits them.
      return listOf(
        b,
        hs.flatMap((h, i) => inTraverseOrder(b, a[i]!, fromHandles(b, gc.getReferents(h)))),
      );
    } finally {
      for (const h of hs) h.release();
    }
  });
  define(b, m, "get_referrers", (a) => {
    const hs = handles(a);
    try {
      return listOf(b, fromHandles(b, gc.getReferrers(...hs)));
    } finally {
      for (const h of hs) h.release();
    }
  });
  define(b, m, "get_objects", (a, kw) => {
    // gc_get_objects_impl: a Py_ssize_t or None, where -1 (the default) means every generation.
    const gen = a[0] ?? kw?.get("generation");
    let g = -1;
    if (gen !== undefined && gen !== py.none) {
      const k = vm.kindOf(gen);
      if (k !== "int" && k !== "bool")
        vm.raise("TypeError", `argument should be integer or None, not '${vm.typeOf(gen).name}'`);
      const n = BigInt(vm.intOf(gen));
      if (n < -(2n ** 63n) || n >= 2n ** 63n)
        vm.raise("OverflowError", "cannot fit 'int' into an index-sized integer");
      g = Number(n);
    }
    if (g >= 3)
      vm.raise(
        "ValueError",
        "generation parameter must be less than the number of available generations (3)",
      );
    if (g < -1) vm.raise("ValueError", "generation parameter cannot be negative");
    const hs = g === -1 ? gc.getObjects() : gc.getObjects(g);
    return listOf(b, fromHandles(b, hs));
  });
  const flagNames: Record<string, string> = {
    Stats: "DEBUG_STATS",
    Collectable: "DEBUG_COLLECTABLE",
    Uncollectable: "DEBUG_UNCOLLECTABLE",
    SaveAll: "DEBUG_SAVEALL",
    Leak: "DEBUG_LEAK",
  };
  for (const [name, value] of Object.entries(gc.flags)) {
    const pyName = flagNames[name];
    if (pyName !== undefined && typeof value === "number") setValue(b, m, pyName, py.int(value));
  }
  return m;
}

function sysModule(b: Protocols): Ref {
  const vm: Host = b.vm;
  const py = vm.py;
  const m = b.newModule("sys");
  // sys.stdout and sys.stderr (file objects) are made when the program first reads them. The
  // name print() looks up is made now, so that a print allocates nothing to find it.
  // The struct sequences (version_info, float_info, …) likewise, at their first read.
  // More of sys, made at the first read of each name: what a program prints or tests about the
  // interpreter (CPython's values where they are facts of 3.11 on 64-bit Linux), so that a
  // module importing sys allocates no more than the names the program reads.
  const text = (v: string) => () => py.str(v);
  const fixed = (name: string, v: () => Ref) => () => {
    const f: BuiltinFn = (a) => {
      if (a.length > 0)
        vm.raise("TypeError", `sys.${name}() takes no arguments (${a.length} given)`);
      return v();
    };
    return f;
  };
  const lazyValues: Readonly<Record<string, () => Ref>> = {
    version: text("3.11.7 (@mm/python)"),
    hexversion: () => py.int(0x30b07f0),
    api_version: () => py.int(1013),
    maxunicode: () => py.int(0x10ffff),
    abiflags: text(""),
    executable: text(""),
    float_repr_style: text("short"),
    // A types.SimpleNamespace, as CPython's (with python3 3.11.7's values on x86-64 Linux).
    implementation: () => {
      const types = b.importModule("types");
      const version = b.getAttr(m, "version_info");
      const fields = new Map<string, Ref>([
        ["name", py.str("cpython")],
        ["cache_tag", py.str("cpython-311")],
        ["version", version],
        ["hexversion", py.int(0x30b07f0)],
        ["_multiarch", py.str("x86_64-linux-gnu")],
      ]);
      try {
        const ns = py.dictGet(py.getRef(types, ModuleObj.dict), py.constant("SimpleNamespace"));
        return vm.call(ns, [], fields);
      } finally {
        for (const v of fields.values()) py.decref(v);
        py.decref(types);
      }
    },
  };
  const lazyFunctions: Readonly<Record<string, () => BuiltinFn>> = {
    getdefaultencoding: fixed("getdefaultencoding", () => py.str("utf-8")),
    getfilesystemencoding: fixed("getfilesystemencoding", () => py.str("utf-8")),
    is_finalizing: fixed("is_finalizing", () => py.bool(false)),
    // sys.exception() (3.11): the exception being handled, or None.
    exception: fixed("exception", () => py.newRef(vm.handledException() || py.none)),
  };
  b.moduleAttrHooks.set(m, (name) => {
    if (name === "modules") {
      const modules = b.sysModules();
      b.setStr(py.getRef(m, ModuleObj.dict), "modules", modules);
      return py.newRef(modules);
    }
    if (Object.hasOwn(lazyValues, name)) {
      setValue(b, m, name, lazyValues[name]!());
      return py.newRef(py.dictGet(py.getRef(m, ModuleObj.dict), py.constant(name)));
    }
    if (Object.hasOwn(lazyFunctions, name)) {
      define(b, m, name, lazyFunctions[name]!());
      return py.newRef(py.dictGet(py.getRef(m, ModuleObj.dict), py.constant(name)));
    }
    return sysStream(b, m, name) || sysStructSeq(b, m, name);
  });
  b.moduleLazyNames.set(m, [
    "modules",
    ...CONSOLE_NAMES,
    ...Object.keys(lazyValues),
    ...Object.keys(lazyFunctions),
    ...STRUCT_SEQUENCE_NAMES,
  ]);
  py.constant("stdout");
  // sys.displayhook, and __displayhook__ the same function (what PRINT_EXPR calls).
  define(b, m, "displayhook", (a) => {
    if (a.length !== 1)
      vm.raise("TypeError", `displayhook() takes exactly one argument (${a.length} given)`);
    displayHook(b, a[0]!);
    return py.newRef(py.none);
  });
  b.setStr(
    py.getRef(m, ModuleObj.dict),
    "__displayhook__",
    py.dictGet(py.getRef(m, ModuleObj.dict), py.constant("displayhook")),
  );
  // sys.excepthook, and __excepthook__ the same function: PyErr_Display, which the
  // interpreter calls for an uncaught exception while the program has not replaced it.
  define(b, m, "excepthook", (a) => {
    if (a.length !== 3) vm.raise("TypeError", `excepthook expected 3 arguments, got ${a.length}`);
    displayException(b, a[1]!, a[2]!);
    return py.newRef(py.none);
  });
  const excepthook = py.dictGet(py.getRef(m, ModuleObj.dict), py.constant("excepthook"));
  defaultExcepthooks.set(b, py.memory.u32[(excepthook + Builtin.id) >>> 2]!);
  b.setStr(py.getRef(m, ModuleObj.dict), "__excepthook__", excepthook);
  define(b, m, "getrefcount", (a) => {
    if (a.length !== 1)
      vm.raise("TypeError", `sys.getrefcount() takes exactly one argument (${a.length} given)`);
    return py.intFromSsize(py.refcount(a[0]!));
  });
  define(b, m, "getsizeof", (a) => {
    if (a.length < 1 || a.length > 2)
      vm.raise("TypeError", `getsizeof() takes at most 2 arguments (${a.length} given)`);
    const o = a[0]!;
    const t = vm.typeOf(o);
    const f = t.heap ? b.lookupType(t, "__sizeof__") : 0;
    if (f && vm.kindOf(f) === "function") {
      // _PySys_GetSizeOf: the class's own __sizeof__, read as a Py_ssize_t, plus the bytes
      // before the object (the GC head, a managed dict's two words). Only a TypeError gives
      // way to the default.
      let r = 0;
      try {
        r = vm.call(f, [o]);
        const k = vm.kindOf(r);
        if (k !== "int" && k !== "bool") vm.raise("TypeError", "an integer is required");
      } catch (error) {
        if (r) py.decref(r);
        if (
          a.length === 2 &&
          error instanceof Raised &&
          b.exceptionMatches(error.exc, vm.types.TypeError!.object)
        ) {
          py.decref(error.exc);
          return py.newRef(a[1]!);
        }
        throw error;
      }
      const n = BigInt(vm.intOf(r));
      py.decref(r);
      if (n >= 2n ** 63n || n < -(2n ** 63n))
        vm.raise("OverflowError", "Python int too large to convert to C ssize_t");
      if (n < 0n) vm.raise("ValueError", "__sizeof__() should return >= 0");
      // The collections module's classes stand in for C types (OrderedDict's __sizeof__ is
      // odict_sizeof) whose instances keep their dict in a field: the GC head alone is before.
      const collections = b.modules.get("collections");
      const standIn =
        collections !== undefined &&
        py.getRef(f, Fn.globals) === py.getRef(collections, ModuleObj.dict);
      return py.int(n + BigInt(standIn ? 16 : py.preHeaderSize(o)));
    }
    return py.intFromSsize(py.sizeof(o));
  });
  define(b, m, "getrecursionlimit", () => py.int(py.sys.getrecursionlimit()));
  define(b, m, "setrecursionlimit", (a) => {
    if (vm.kindOf(a[0]!) !== "int")
      vm.raise(
        "TypeError",
        `'${vm.typeOf(a[0]!).name}' object cannot be interpreted as an integer`,
      );
    py.sys.setrecursionlimit(Number(vm.intOf(a[0]!)));
    return py.newRef(py.none);
  });
  define(b, m, "intern", (a) => {
    if (vm.kindOf(a[0]!) !== "str")
      vm.raise("TypeError", `intern() argument must be str, not ${vm.typeOf(a[0]!).name}`);
    return py.intern(a[0]!);
  });
  define(b, m, "getallocatedblocks", () => py.intFromSsize(py.sys.getallocatedblocks()));
  // The method cache holds no objects here: clearing it changes nothing a program can see.
  define(b, m, "_clear_type_cache", () => py.newRef(py.none));
  define(b, m, "_debugmallocstats", () => {
    b.flush();
    vm.io.stderr(py.sys.debugmallocstats());
    return py.newRef(py.none);
  });
  define(b, m, "_getframe", (a) => {
    let depth = a[0] ? Number(vm.intOf(a[0])) : 0;
    let f = vm.top;
    while (f && depth > 0) {
      f = f.back;
      depth--;
    }
    if (!f) return vm.raise("ValueError", "call stack is not deep enough");
    return py.newRef(vm.frameObjectOf(f));
  });
  define(b, m, "exit", (a) => {
    throw new Raised(vm.newExceptionWithArgs(vm.types.SystemExit!, a));
  });
  define(b, m, "exc_info", () => {
    const e = vm.handledException();
    if (!e) return py.tuple([py.none, py.none, py.none]);
    return py.tuple([vm.typeOf(e).object, e, py.getRef(e, 40) || py.none]);
  });
  setValue(b, m, "maxsize", py.int(2n ** 63n - 1n));
  setValue(b, m, "byteorder", py.str("little"));
  setValue(b, m, "platform", py.str("linux"));
  setValue(
    b,
    m,
    "argv",
    listOf(
      b,
      (vm.argv ?? [vm.filename]).map((arg) => py.str(arg)),
    ),
  );
  return m;
}

function weakrefModule(b: Protocols): Ref {
  const vm: Host = b.vm;
  const py = vm.py;
  const m = b.newModule("weakref");
  const ref: BuiltinFn = (a) => {
    if (a.length < 1 || a.length > 2)
      vm.raise("TypeError", `__new__ expected at most 2 arguments, got ${a.length}`);
    const callback = a[1] && a[1] !== py.none ? a[1] : 0;
    if (callback) {
      const w = py.weakref(a[0]!, (wr) => runWeakrefCallback(b, callback, wr));
      // The reference holds its callback (taken only once the reference exists).
      py.incref(callback);
      return w;
    }
    return py.weakref(a[0]!);
  };
  const refType = vm.types.weakref!;
  refType.methods.set("__new__", ref);
  refType.methods.set("__call__", (a) => newRefOrNone(py, py.deref(a[0]!)));
  // weakref_richcompare and weakref_hash as slot wrappers (what `ref.__eq__(a, b)` and
  // `__hash__ = ref.__hash__` in a subclass reach): NotImplemented unless both are references.
  for (const [name, equal] of [
    ["__eq__", true],
    ["__ne__", false],
  ] as const)
    refType.methods.set(name, (a) => {
      if (a.length !== 2) vm.raise("TypeError", `expected 1 argument, got ${a.length - 1}`);
      if (vm.kindOf(a[1]!) !== "weakref") return py.newRef(b.notImplemented);
      return py.bool(weakrefEqual(b, a[0]!, a[1]!) === equal);
    });
  refType.methods.set("__hash__", (a) => {
    if (a.length !== 1) vm.raise("TypeError", `expected 0 arguments, got ${a.length - 1}`);
    return py.int(weakrefHash(b, a[0]!));
  });
  // Their descriptors exist before the program runs, as a static type's do.
  for (const name of ["__new__", "__call__", "__eq__", "__ne__", "__hash__"])
    b.lookupType(refType, name);
  b.setStr(py.getRef(m, ModuleObj.dict), "ref", refType.object);
  b.setStr(py.getRef(m, ModuleObj.dict), "ReferenceType", refType.object);
  define(b, m, "getweakrefcount", (a) => {
    const h = py.toHandle(a[0]!);
    try {
      return py.intFromSsize(vm.runtime.weakref.getweakrefcount(h));
    } finally {
      h.release();
    }
  });
  installWeakrefClasses(b, m);
  return m;
}

/** Milliseconds of a monotonic clock. */
const clockMs = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

/** The most nanoseconds CPython's `_PyTime_t` (a 64-bit int) holds, and one past the least. */
const PYTIME_MAX = 2 ** 63;

function timeModule(b: Protocols): Ref {
  const vm: Host = b.vm;
  const py = vm.py;
  const m = b.newModule("time");
  const now = () => clockMs() / 1000;
  const ns = (seconds: number) => py.int(BigInt(Math.round(seconds * 1e9)));
  define(b, m, "perf_counter", () => py.float(now()));
  define(b, m, "perf_counter_ns", () => ns(now()));
  define(b, m, "monotonic", () => py.float(now()));
  define(b, m, "monotonic_ns", () => ns(now()));
  define(b, m, "time", () => py.float(Date.now() / 1000));
  define(b, m, "time_ns", () => py.int(BigInt(Date.now()) * 1_000_000n));
  define(b, m, "process_time", () => py.float(now()));
  define(b, m, "process_time_ns", () => ns(now()));
  define(b, m, "sleep", (a) => {
    // `_PyTime_FromSecondsObject`: a float is scaled to nanoseconds, anything else read as an
    // integer through `__index__`; then `time_sleep` refuses a negative length.
    const o = a[0]!;
    let nanoseconds: number;
    if (vm.kindOf(o) === "float") {
      const seconds = py.floatValue(o);
      if (Number.isNaN(seconds)) vm.raise("ValueError", "Invalid value NaN (not a number)");
      nanoseconds = seconds * 1e9;
      if (!(nanoseconds >= -PYTIME_MAX && nanoseconds < PYTIME_MAX))
        vm.raise("OverflowError", "timestamp out of range for platform time_t");
    } else {
      const seconds = numberIndex(b, o);
      if (
        seconds * 1_000_000_000n >= BigInt(PYTIME_MAX) ||
        seconds * 1_000_000_000n < -BigInt(PYTIME_MAX)
      )
        vm.raise("OverflowError", "timestamp too large to convert to C _PyTime_t");
      nanoseconds = Number(seconds) * 1e9;
    }
    if (nanoseconds < 0) vm.raise("ValueError", "sleep length must be non-negative");
    sleep(vm, nanoseconds / 1e6);
    return py.newRef(py.none);
  });
  return m;
}

/** Longest single wait of {@link sleep}, in milliseconds: how late a Ctrl-C may be seen. */
const SLEEP_SLICE_MS = 50;

/** A cell to block on with `Atomics.wait`; null where the host cannot block this thread. */
let sleepCell: Int32Array | null | undefined;

/**
 * Blocks this thread for `ms` milliseconds, in slices that ask the host between them whether
 * the program was interrupted (Ctrl-C ends a long `time.sleep` with KeyboardInterrupt, as in
 * python3). `Atomics.wait` blocks without spinning where the host allows it (Node's threads, a
 * browser's workers); a browser's main thread, which may not block, reads the clock instead.
 */
function sleep(vm: Host, ms: number): void {
  const end = clockMs() + ms;
  for (;;) {
    if (vm.interrupted?.()) vm.raise("KeyboardInterrupt");
    const left = end - clockMs();
    if (left <= 0) return;
    const slice = Math.min(left, SLEEP_SLICE_MS);
    if (sleepCell === undefined)
      sleepCell =
        typeof SharedArrayBuffer === "function" ? new Int32Array(new SharedArrayBuffer(4)) : null;
    if (sleepCell !== null) {
      try {
        Atomics.wait(sleepCell, 0, 0, slice);
        continue;
      } catch {
        sleepCell = null;
      }
    }
    const until = clockMs() + slice;
    while (clockMs() < until) {
      // A thread that may not block waits by reading the clock.
    }
  }
}
