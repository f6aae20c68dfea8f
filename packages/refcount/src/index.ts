// @mm/refcount: reference counting over @mm/heap's object header, with CPython's deallocation
// order, PEP 442 finalizers, weak references, immortal objects and the trashcan.

export type {
  InPlaceReleaseAccess,
  LifecycleHooks,
  RefCounterOptions,
  UnraisableHook,
  WeakrefCallback,
} from "./api.js";
export {
  RefcountError,
  RefcountErrorCode,
  type RefcountErrorKind,
  ReleasedHandleError,
  WeakrefTypeError,
} from "./errors.js";
export { OwnedRef, type ReferenceReleaser } from "./owned-ref.js";
export { RefCounter, WeakrefLayout, writeUnraisable } from "./ref-counter.js";
