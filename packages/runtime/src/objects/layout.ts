// Field offsets of the Python object kinds, from the object's address, with CPython 3.11's
// 64-bit sizes (so that `sys.getsizeof` agrees). A field shown as 8 bytes keeps its 32-bit
// value in the low half.

/** `PyLongObject`: ob_size (signed digit count) and 30-bit digits. */
export const Int = {
  basicSize: 24,
  digitSize: 4,
  size: 16,
  digits: 24,
  /** Digits are 30 bits, as CPython's `PyLong_SHIFT`. */
  shift: 30,
} as const;

/** `PyFloatObject`: the double at +16. */
export const Float = { basicSize: 24, value: 16 } as const;

/**
 * `PyASCIIObject` / `PyCompactUnicodeObject`: length, hash, state, then the characters (one
 * more for the terminating NUL) at +48 for ASCII and +72 for the other compact kinds.
 */
export const Str = {
  asciiHeader: 48,
  compactHeader: 72,
  length: 16,
  hash: 24,
  state: 32,
  /** `state` bits: interned (2 bits), kind (bits 2..4: 1, 2 or 4 bytes), ascii (bit 5). */
  internedMask: 3,
  kindShift: 2,
  asciiBit: 32,
} as const;

/** `PyTupleObject`: ob_size and the items. */
export const Tuple = { basicSize: 24, itemSize: 8, size: 16, items: 24 } as const;

/** `PyListObject`: ob_size, the item array (a separate block) and its capacity. */
export const List = { basicSize: 40, size: 16, items: 24, allocated: 32 } as const;

/** `PyDictObject`: ma_used, the version tag, the keys object and the (unused) split values. */
export const Dict = { basicSize: 48, used: 16, keys: 32, values: 40 } as const;

/**
 * `PyDictKeysObject` (a separate block, not an object): refcount, log2 size, log2 index bytes,
 * kind, version, usable, nentries, then the index table and the entries. Unicode-keyed entries
 * are {key, value}, 16 bytes; general entries add the hash, 24 bytes.
 */
export const DictKeys = {
  header: 32,
  log2Size: 8,
  log2IndexBytes: 9,
  kind: 10,
  usable: 16,
  nentries: 24,
  unicodeEntry: 16,
  generalEntry: 24,
  /** dk_kind values. */
  kindGeneral: 0,
  kindUnicode: 1,
  /** The smallest table: 8 slots. */
  minLog2Size: 3,
} as const;

/**
 * An instance of a user class: the object head and the `__weakref__` slot (24 bytes), with
 * 3.11's managed-dict pointers in the 16 bytes before the GC head. Attribute values live in a
 * separate values block with one 8-byte slot per name of the class's shared key table.
 */
export const Instance = {
  basicSize: 24,
  extraPreHeader: 16,
  /** The values block's address, in the managed-dict pre-header. */
  values: -24,
} as const;

/** The values block of an instance: its capacity, then the slots, by key-table index. */
export const Values = { capacity: 0, slots: 8 } as const;

/** `PyObject` of `None`, and `bool` (an int with one digit). */
export const Singleton = { noneSize: 16, boolSize: 28 } as const;

/** A resource that needs closing: the closed flag at +16. */
export const Resource = { basicSize: 24, closed: 16 } as const;
