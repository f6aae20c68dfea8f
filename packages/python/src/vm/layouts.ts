// The heap layouts of the interpreter's own objects, with CPython 3.11's sizes on 64-bit
// Linux (`sys.getsizeof` adds the 16-byte GC head of containers), their reference fields in the
// order CPython's tp_dealloc releases them, and whether CPython tracks them. Scalars are the
// low half of an 8-byte field; a byte past the reference fields is the front end's own.

import type { NativeTypeSpec } from "@mm/runtime";

/**
 * `PyFunctionObject`, 136 bytes (152 with the GC head): func_dealloc clears globals, builtins,
 * module, defaults, kwdefaults, doc, dict, closure and annotations, then drops code, name
 * and qualname.
 */
export const Fn = {
  globals: 16,
  builtins: 24,
  name: 32,
  qualname: 40,
  code: 48,
  defaults: 56,
  kwdefaults: 64,
  closure: 72,
  doc: 80,
  dict: 88,
  weaklist: 96,
  module: 104,
  annotations: 112,
  basicSize: 136,
} as const;

export const functionSpec: NativeTypeSpec = {
  name: "function",
  basicSize: Fn.basicSize,
  container: true,
  weakrefable: true,
  refs: [
    Fn.globals,
    Fn.builtins,
    Fn.module,
    Fn.defaults,
    Fn.kwdefaults,
    Fn.doc,
    Fn.dict,
    Fn.closure,
    Fn.annotations,
    Fn.code,
    Fn.name,
    Fn.qualname,
  ],
};

/**
 * `PyCodeObject` (not a container): its constants, names and identifiers; the instructions are
 * kept beside it in JavaScript and counted in its size as CPython's inline bytecode is (two
 * bytes per instruction after a 160-byte header).
 */
export const Code = {
  consts: 16,
  names: 24,
  name: 32,
  qualname: 40,
  filename: 48,
  /** The instruction count (u32), for the size. */
  length: 56,
  basicSize: 160,
} as const;

/**
 * A getset or member descriptor of a class (`PyDescrObject` and its one pointer: 48 bytes, 64
 * with the GC head): the class it belongs to is its only reference the collector sees.
 */
export const Descr = { type: 16, basicSize: 48 } as const;

/** A `cell` (24 bytes, 40 with the GC head): one reference. */
export const Cell = { contents: 16, basicSize: 24 } as const;

export const cellSpec: NativeTypeSpec = {
  name: "cell",
  basicSize: Cell.basicSize,
  container: true,
  refs: [Cell.contents],
};

/** A bound `method` (48 bytes, 64 with the GC head): method_dealloc drops the function, then self. */
export const Method = { func: 16, self: 24, weaklist: 32, basicSize: 48 } as const;

export const methodSpec: NativeTypeSpec = {
  name: "method",
  basicSize: Method.basicSize,
  container: true,
  weakrefable: true,
  refs: [Method.func, Method.self],
};

/**
 * `builtin_function_or_method` (56 bytes, 72 with the GC head): a function written in the
 * interpreter, bound to `self` when it is a method of an object (`[].append`). The function's
 * number is a scalar at `id`.
 */
export const Builtin = { self: 24, module: 32, weaklist: 40, id: 48, basicSize: 56 } as const;

export const builtinSpec: NativeTypeSpec = {
  name: "builtin_function_or_method",
  basicSize: Builtin.basicSize,
  container: true,
  weakrefable: true,
  refs: [Builtin.self, Builtin.module],
};

/**
 * A built-in type's method as its class holds it (`PyMethodDescrObject`, 56 bytes, 72 with the
 * GC head): `list.append` is a `method_descriptor`, `list.__init__` (a slot's wrapper) a
 * `wrapper_descriptor`, `dict.fromkeys` in the class dict a `classmethod_descriptor`. It has
 * {@link Builtin}'s layout with no `self`, so it is called as a builtin is, and holds its type
 * (`d_type`, what descr_traverse visits) at `type`. Not weakly referenceable.
 */
export const Descriptor = { type: 16, basicSize: Builtin.basicSize } as const;

/** The specs of the three kinds of built-in method descriptor, by type name. */
export function descriptorSpec(
  name: "method_descriptor" | "wrapper_descriptor" | "classmethod_descriptor",
): NativeTypeSpec {
  return { name, basicSize: Descriptor.basicSize, container: true, refs: [Descriptor.type] };
}

/**
 * A `type` object made by a class statement: CPython's heap type is 1,672 bytes (1,688 with
 * the GC head). Its namespace dict, bases tuple, name and MRO tuple are its references.
 * `type.__sizeof__` counts `PyHeapTypeObject` (904 bytes) and the class's shared key table
 * (768 bytes), which only a class whose instances keep a dict has; a built-in type is a static
 * `PyTypeObject`, 424 bytes as `sys.getsizeof` reports it.
 */
export const TypeObj = {
  dict: 16,
  bases: 24,
  name: 32,
  qualname: 40,
  mro: 48,
  base: 56,
  module: 64,
  /** The class's number in the interpreter's table (u32). */
  id: 72,
  basicSize: 1672,
  /** `sizeof(PyHeapTypeObject)`: a class without a shared key table. */
  heapTypeSize: 904,
  /** What `sys.getsizeof` reports for a built-in (static) type. */
  staticTypeSize: 424,
} as const;

/** A `module` (56 bytes, 72 with the GC head): its dict and name. */
export const ModuleObj = { dict: 16, name: 48, basicSize: 56 } as const;

export const moduleSpec: NativeTypeSpec = {
  name: "module",
  basicSize: ModuleObj.basicSize,
  container: true,
  weakrefable: true,
  refs: [ModuleObj.dict, ModuleObj.name],
};

/** A `range` (48 bytes, not a container): start, stop, step and length, as ints. */
export const Range = { start: 16, stop: 24, step: 32, length: 40, basicSize: 48 } as const;

export const rangeSpec: NativeTypeSpec = {
  name: "range",
  basicSize: Range.basicSize,
  refs: [Range.start, Range.stop, Range.step, Range.length],
};

/**
 * A sequence iterator (`list_iterator`, `tuple_iterator`, `str_ascii_iterator`: 32 bytes, 48
 * with the GC head): the index (i64 scalar) and the sequence, dropped once exhausted.
 */
export const SeqIter = { index: 16, seq: 24, basicSize: 32 } as const;

/**
 * `range_iterator` (48 bytes, not a container): the next value, the step and the count left,
 * as f64 scalars, for ranges whose values are exact doubles (range-iter.ts has the 64-bit
 * `range_iterator` for values past 2^53 and the `longrange_iterator` for those past a C long).
 */
export const RangeIter = { next: 16, step: 24, left: 32, basicSize: 48 } as const;

/**
 * A dict iterator (`dict_keyiterator`, `dict_valueiterator`, `dict_itemiterator`: 56 bytes, 72
 * with the GC head): the dict, its size when the iteration started, the position, a reusable
 * result tuple for items, and the length hint.
 */
export const DictIter = {
  dict: 16,
  used: 24,
  pos: 32,
  result: 40,
  len: 48,
  basicSize: 56,
} as const;

/** `enumerate` (56 bytes, 72 with the GC head): the index, the iterator, the result tuple. */
export const Enumerate = { index: 16, iter: 24, result: 32, longIndex: 40, basicSize: 56 } as const;

/** `zip` (48 bytes, 64 with the GC head): the iterators' tuple and a reusable result tuple. */
export const Zip = { size: 16, iters: 24, result: 32, strict: 40, basicSize: 48 } as const;

/** `map` and `filter` (32 bytes, 48 with the GC head): the iterator(s) and the function. */
export const MapIter = { iters: 16, func: 24, basicSize: 32 } as const;

/** `reversed` over a sequence (32 bytes, 48 with the GC head): the index and the sequence. */
export const Reversed = { index: 16, seq: 24, basicSize: 32 } as const;

/**
 * `BaseException` and its subclasses (72 bytes, 88 with the GC head): `__dict__`, args,
 * `__notes__`, traceback, context, cause, and the suppress-context flag.
 */
export const Exc = {
  dict: 16,
  args: 24,
  notes: 32,
  traceback: 40,
  context: 48,
  cause: 56,
  suppressContext: 64,
  basicSize: 72,
} as const;

/** A `traceback` (40 bytes, 56 with the GC head): the next entry, the frame, lasti and line. */
export const Traceback = { next: 16, frame: 24, lasti: 32, lineno: 36, basicSize: 40 } as const;

export const tracebackSpec: NativeTypeSpec = {
  name: "traceback",
  basicSize: Traceback.basicSize,
  container: true,
  refs: [Traceback.next, Traceback.frame],
};

/**
 * A `frame` object, made when a traceback or `sys._getframe` needs one: the previous frame, the
 * code, the globals, then the frame's locals once it has finished (they move from the running
 * frame into it, so a traceback keeps them alive). 56 bytes plus 8 per local slot, after the 24-byte head of a variable-size object.
 */
export const FrameObj = {
  back: 24,
  code: 32,
  /** The frame's function (which holds its globals), or the globals of a frame without one. */
  globals: 40,
  lineno: 48,
  count: 52,
  locals: 56,
  basicSize: 56,
} as const;

/** A `slice` (40 bytes, 56 with the GC head). */
export const SliceObj = { start: 16, stop: 24, step: 32, basicSize: 40 } as const;

export const sliceSpec: NativeTypeSpec = {
  name: "slice",
  basicSize: SliceObj.basicSize,
  container: true,
  refs: [SliceObj.start, SliceObj.stop, SliceObj.step],
  // slice_cache: the last slice freed is kept for the next one.
  cache: 1,
};

/**
 * A `generator`: CPython 3.11's PyGenObject, whose frame is embedded at its end, so it is
 * 152 bytes and 8 per local and value-stack slot of its code (168 + 8 × (co_nlocalsplus +
 * co_stacksize) with the GC head, as `sys.getsizeof` tells). The code, name and qualname; the
 * frame's state (`gi_frame_state`); the embedded frame's own reference to the code (`f_code`)
 * until the frame is cleared; then, while the frame is paused, its function and frame object
 * where the embedded frame keeps them (`f_func`, `frame_obj`) and its locals and stack as the
 * items from `localsplus`.
 */
export const Gen = {
  code: 24,
  name: 32,
  qualname: 40,
  weaklist: 48,
  /** How many items (locals, then stack) the paused frame has (u32). */
  count: 56,
  /** A GenState (u8). */
  state: 60,
  /** The exception being handled inside the generator while it is paused (`gi_exc_state`). */
  exc: 64,
  func: 80,
  fcode: 112,
  frame: 120,
  items: 152,
} as const;
