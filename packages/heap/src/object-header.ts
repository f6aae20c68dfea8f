// The object header: CPython 3.11's 64-bit layout, so that object sizes equal what
// `sys.getsizeof` reports. Every 8-byte slot keeps CPython's size; a slot may hold a 32-bit
// value in its low half and use the high half for something CPython keeps elsewhere.
//
//   address            contents                                  present
//   op - 16  +--------------------------+--------------------------+
//            | gc_next (u32)            | gc_gen (u32)             |  GC types only
//   op - 8   +--------------------------+--------------------------+
//            | gc_prev (u32)            | gc_refs (u32)            |  GC types only
//   op + 0   +--------------------------+--------------------------+
//            | ob_refcnt (u32)          | ob_flags (u32)           |  every object
//   op + 8   +--------------------------+--------------------------+
//            | ob_type (u32 type id)    | ob_weaklist (u32)        |  every object
//   op + 16  +--------------------------+--------------------------+
//            | ob_size (u32)            | reserved (u32)           |  variable-size objects
//   op + 24  +--------------------------+--------------------------+
//
// Offsets are in bytes from the object's address; read a u32 slot as `u32[(op + OFF) >>> 2]`.

/** Bytes of the GC head, placed just before the object for container (GC) types. */
export const GC_HEAD_SIZE = 16;
/** Bytes of the fixed object head: `ob_refcnt` and `ob_type`. */
export const OBJECT_HEAD_SIZE = 16;
/** Bytes of the head of a variable-size object: the object head and `ob_size`. */
export const VAR_HEAD_SIZE = 24;

/** `gc_next`: the next object in the collector's list; 0 when the object is untracked. */
export const GC_NEXT = -16;
/** The collector's word beside `gc_next` (which generation list the object is on). */
export const GC_GEN = -12;
/** `gc_prev`: the previous object in the list (a plain address; the marks are in `ob_flags`). */
export const GC_PREV = -8;
/** The collector's scratch count during a collection (CPython keeps it shifted in `gc_prev`). */
export const GC_REFS = -4;
/** `ob_refcnt`. */
export const OB_REFCNT = 0;
/** Header flags of every object; see {@link ObjectFlags}. */
export const OB_FLAGS = 4;
/** `ob_type`: the id of the object's type in its {@link TypeRegistry}. */
export const OB_TYPE = 8;
/**
 * The head of the list of weak references to the object (0 when there are none). CPython keeps
 * it inside the object at `tp_weaklistoffset`; the spare high half of `ob_type` holds it here, so
 * instance sizes stay CPython's.
 */
export const OB_WEAKLIST = 12;
/** `ob_size`: the item count of a variable-size object. */
export const OB_SIZE = 16;

/**
 * Bits of `ob_flags`.
 *
 * CPython 3.11 keeps FINALIZED, COLLECTING and UNREACHABLE in the GC head's links. Here they
 * live in `ob_flags`: FINALIZED for every object, so that reference counting can honour PEP 442
 * ("a finalizer runs once") without knowing whether the type is a container; the collection
 * marks so that one word of a referent says whether a collection is examining it (no object
 * without a GC head ever has COLLECTING), and so that `gc_next` and `gc_prev` are plain
 * addresses that list operations write without reading first.
 */
export const ObjectFlags = {
  /** PEP 683: the refcount never changes and the object is never freed. */
  Immortal: 1,
  /** PEP 442: the finalizer has run; it never runs again. */
  Finalized: 2,
  /**
   * The object has a GC head (its type is a container). Set once, when the object is made, so
   * that a deallocation path can ask the object itself whether there is a GC head to unlink,
   * instead of looking its type up (CPython reads `Py_TYPE(op)->tp_flags`).
   */
  GcHead: 4,
  /** Set on a container while a collection is examining it (CPython: in `gc_prev`). */
  Collecting: 8,
  /**
   * Set on a container that a collection has tentatively moved to its unreachable list
   * (CPython: in `gc_next`).
   */
  Unreachable: 16,
  /**
   * The object's type has `release: "fields"` and no finalizer, so its deallocation is only
   * "untrack, drop each pointer field, free": a reference counter may do it in place, with no
   * call into the model, when the object has no weak references. Set once, when the object is
   * made, like GC_HEAD.
   */
  ReleasesFields: 32,
  /**
   * The object's type has `release: "pointers"`: its deallocation is "untrack, drop each field
   * and each item of its pointer map, free", which a reference counter may do in place when the
   * object has no weak references. Set once, when the object is made, like GC_HEAD.
   */
  ReleasesPointers: 64,
} as const;
