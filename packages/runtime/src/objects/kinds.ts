// The object kinds of the runtime, in registration order (which fixes their type ids). A new
// kind is one file of this folder and one line here.

import { BoolKind } from "./bool.js";
import { DictKind } from "./dict.js";
import { FloatKind } from "./float.js";
import { InstanceKind } from "./instance.js";
import { IntKind } from "./int.js";
import type { KindClass } from "./kind.js";
import { ListKind } from "./list.js";
import { NativeKind } from "./native.js";
import { NoneKind } from "./none.js";
import { ResourceKind } from "./resource.js";
import { SetKind } from "./set.js";
import { StrKind } from "./str.js";
import { SubtypeKind } from "./subtype.js";
import { TupleKind } from "./tuple.js";
import { WeakrefKind } from "./weakref.js";

/**
 * Every kind, constructed in this order; a kind may use the kinds before it (dict uses str and
 * int for its keys, set uses dict's key operations). Their `start` hooks (the singletons and caches) run in the same order
 * once all are constructed.
 */
export const objectKinds: readonly KindClass[] = [
  NoneKind,
  BoolKind,
  IntKind,
  FloatKind,
  StrKind,
  TupleKind,
  ListKind,
  DictKind,
  ResourceKind,
  InstanceKind,
  WeakrefKind,
  NativeKind,
  // Last, so that the kinds before keep their type ids.
  SetKind,
  // Registers no type of its own: subclasses of list, dict and set, as a program makes them.
  SubtypeKind,
];
