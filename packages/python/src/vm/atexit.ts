// The `atexit` module: handlers registered with `register` run at exit, last first, before
// the interpreter's final collections and module teardown (Py_FinalizeEx calls _PyAtExit_Call
// first). weakref.finalize's exit function takes its place in the same list when the program
// makes its first finalize, as CPython registers it with atexit then; an exception in a handler
// is reported on stderr and the next handler runs.

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import { ATEXIT_COMPILED } from "./atexit.compiled.js";
import type { Host, Protocols } from "./host.js";
import { ModuleObj } from "./layouts.js";
import { precompileSource, pythonModule } from "./python-module.js";
import type { BuiltinFn } from "./types.js";
import { runFinalizersAtExit } from "./weakref.js";

/** The module's Python source. */
const SOURCE = `"""Register functions to be called at interpreter exit: the last registered runs first, before
the interpreter's final collections and the teardown of the modules."""

# The handlers in registration order: (func, args, kwargs), or None where one was unregistered
# (as CPython clears a slot without shrinking the list).
_handlers = []
# Whether weakref.finalize's exit function has its place in the list (CPython registers it
# with atexit when the program makes its first finalize).
_weakref_placed = [False]
_WEAKREF_EXIT = object()


def _place_weakref():
    if not _weakref_placed[0] and _weakref_registered():
        _weakref_placed[0] = True
        _handlers.append((_WEAKREF_EXIT, (), {}))


def register(func, /, *args, **kwargs):
    """Register a function to be executed upon normal program termination.

    func is returned, so register can be used as a decorator."""
    if not callable(func):
        raise TypeError("the first argument must be callable")
    _place_weakref()
    _handlers.append((func, args, kwargs))
    return func


def unregister(func, /):
    """Unregister an exit function which was previously registered using atexit.register."""
    for i in range(len(_handlers)):
        h = _handlers[i]
        if h is not None and h[0] == func:
            _handlers[i] = None


def _run_exitfuncs():
    """Run all registered exit functions, last registered first; an exception is reported
    on stderr and the next one runs."""
    _place_weakref()
    for i in range(len(_handlers) - 1, -1, -1):
        h = _handlers[i]
        if h is None:
            continue
        func, args, kwargs = h
        if func is _WEAKREF_EXIT:
            _weakref_exit()
            continue
        try:
            func(*args, **kwargs)
        except BaseException as exc:
            _report(exc, func)
    _handlers.clear()


def _clear():
    """Clear the list of previously registered exit functions."""
    _handlers.clear()


def _ncallbacks():
    """Return the number of registered exit functions."""
    return len(_handlers)
`;

/** The file name the module's code and tracebacks carry. */
const FILENAME = "<atexit>";

/** The module's code, shared by every interpreter (read at the first import). */
let compiled: CodeUnit | undefined;

/**
 * The module's source compiled and serialized: what scripts/precompile.ts stores in
 * atexit.compiled.ts.
 */
export function precompiledAtexit(): string {
  return precompileSource(SOURCE, FILENAME);
}

/** The `atexit` module (a new reference): its Python source run in its namespace. */
export function atexitModule(b: Protocols): Ref {
  compiled ??= deserializeCode(ATEXIT_COMPILED);
  return pythonModule(
    b,
    { name: "atexit", filename: FILENAME, source: SOURCE, natives: atexitNatives(b) },
    compiled,
  );
}

/** Whether the program has made a weakref.finalize (whose exit function CPython registers then). */
function weakrefFinalizeMade(b: Protocols): boolean {
  const py = b.vm.py;
  const m = b.modules.get("weakref");
  if (m === undefined) return false;
  const finalize = py.dictGet(py.getRef(m, ModuleObj.dict), py.constant("finalize"));
  if (!finalize) return false;
  const dict = b.typeFromObject(finalize).dict;
  const counter = dict ? py.dictGet(dict, py.constant("_next_index")) : 0;
  if (!counter) return false;
  const first = py.items(counter)[0];
  return first !== undefined && Number(b.vm.intOf(first)) > 0;
}

/** The natives the module's code calls. */
function atexitNatives(b: Protocols): Record<string, BuiltinFn> {
  const vm = b.vm;
  const py = vm.py;
  return {
    _weakref_registered: () => py.bool(weakrefFinalizeMade(b)),
    _weakref_exit: () => {
      runFinalizersAtExit(vm);
      return py.newRef(py.none);
    },
    // _PyErr_WriteUnraisableMsg("in atexit callback", func).
    _report: (a) => {
      b.flush();
      vm.io.stderr(
        `Exception ignored in atexit callback: ${b.reprOf(a[1]!)}\n${b.formatException(a[0]!, false, false)}`,
      );
      return py.newRef(py.none);
    },
  };
}

/**
 * What the interpreter runs at exit before its final collections: the atexit handlers, last
 * registered first (weakref.finalize's exit function among them), or, when the program never
 * imported atexit, weakref's finalizers alone.
 */
export function runAtExit(vm: Host): void {
  const b = vm.builtins;
  const m = b.modules.get("atexit");
  if (m === undefined) {
    runFinalizersAtExit(vm);
    return;
  }
  const py = vm.py;
  const run = py.dictGet(py.getRef(m, ModuleObj.dict), py.constant("_run_exitfuncs"));
  if (!run) return;
  try {
    py.decref(vm.call(run, []));
  } catch (error) {
    const exc = vm.toPython(error);
    b.flush();
    vm.io.stderr(b.formatException(exc));
    py.decref(exc);
  } finally {
    b.flush();
  }
}
