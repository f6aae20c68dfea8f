// The lists that `str.split`, `bytes.split` and their `rsplit`s return, made as CPython's
// stringlib makes them: `PyList_New(PREALLOC_SIZE(maxcount))` before the first piece, pieces
// stored in the preallocated slots, appended past them, and the size fixed at the end, so a
// split list keeps its twelve slots (`sys.getsizeof("a b".split())` is 152, not 72).

import type { Embedding, Ref } from "@mm/runtime";

/** `MAX_PREALLOC` of stringlib/split.h. */
const MAX_PREALLOC = 12;

/**
 * `PyListObject`'s fields that a split list writes itself:
 * ```
 *   op + 16  | ob_size
 *   op + 24  | ob_item (the array of slots)
 * ```
 */
const ListFields = { size: 16, items: 24 } as const;

/**
 * A split's result list.
 * @param maxcount the split's maxsplit (negative: no limit)
 * @param n how many pieces there are
 * @param piece makes piece `i` (a new reference, which the list takes), in the order stringlib
 *   makes them: first to last, or last to first for `reverse` (an rsplit)
 */
export function splitList(
  py: Embedding,
  maxcount: number,
  n: number,
  piece: (i: number) => Ref,
  reverse = false,
): Ref {
  const prealloc = maxcount < 0 || maxcount >= MAX_PREALLOC ? MAX_PREALLOC : maxcount + 1;
  // PyList_New(prealloc): the list, then its array of empty slots. The runtime's list is made
  // of Nones, whose references go at once: CPython's slots hold NULL.
  const l = py.list(new Array<Ref>(prealloc).fill(py.none));
  const u32 = py.memory.u32;
  const slot = (i: number) => (u32[(l + ListFields.items) >>> 2]! + 8 * i) >>> 2;
  for (let i = 0; i < prealloc; i++) {
    u32[slot(i)] = 0;
    py.decref(py.none);
  }
  for (let k = 0; k < n; k++) {
    const p = piece(reverse ? n - 1 - k : k);
    if (k < prealloc) u32[slot(k)] = p;
    else {
      py.append(l, p);
      py.decref(p);
    }
  }
  // FIX_PREALLOC_SIZE: the size drops to the pieces made; the slots stay allocated.
  u32[(l + ListFields.size) >>> 2] = n;
  if (reverse) {
    // PyList_Reverse, in place.
    for (let i = 0, j = n - 1; i < j; i++, j--) {
      const a = u32[slot(i)]!;
      u32[slot(i)] = u32[slot(j)]!;
      u32[slot(j)] = a;
    }
  }
  return l;
}
