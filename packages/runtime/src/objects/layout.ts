// Field offsets of the Python object kinds, from the object's address, with CPython 3.11's
// 64-bit sizes (so that `sys.getsizeof` agrees). A field shown as 8 bytes keeps its 32-bit
// value in the low half. Each kind's file draws its layout beside its offsets; this module
// gathers them for readers of several kinds (tests, pictures).

import { BoolLayout } from "./bool.js";
import { NoneLayout } from "./none.js";

export { BoolLayout } from "./bool.js";
export { Dict } from "./dict.js";
export { DictKeys } from "./dict-keys.js";
export { Float } from "./float.js";
export { Instance, Values } from "./instance.js";
export { Int } from "./int.js";
export { List } from "./list.js";
export { NoneLayout } from "./none.js";
export { Resource } from "./resource.js";
export { SetLayout } from "./set.js";
export { Str } from "./str.js";
export { Tuple } from "./tuple.js";
export { Weakref } from "./weakref.js";

/** `PyObject` of `None`, and `bool` (an int with one digit). */
export const Singleton = {
  noneSize: NoneLayout.basicSize,
  boolSize: BoolLayout.basicSize,
} as const;
