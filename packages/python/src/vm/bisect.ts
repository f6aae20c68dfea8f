// The `bisect` module: bisect_left/bisect_right and insort_left/insort_right (with lo, hi and
// key) as _bisectmodule.c computes them, written in Python.

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { deserializeCode } from "../compile/serialize.js";
import { BISECT_COMPILED } from "./bisect.compiled.js";
import type { Protocols } from "./host.js";
import { precompileSource, pythonModule } from "./python-module.js";

/** The module's Python source. */
const SOURCE = `"""Bisection algorithms: find where an item goes in a sorted list, and insert it there."""


def _bounds(a, lo, hi):
    if lo < 0:
        raise ValueError('lo must be non-negative')
    if hi is None:
        hi = len(a)
    return lo, hi


def bisect_right(a, x, lo=0, hi=None, *, key=None):
    """Return the index after the last item equal to x (where x goes to stay sorted, rightmost)."""
    lo, hi = _bounds(a, lo, hi)
    if key is None:
        while lo < hi:
            mid = (lo + hi) // 2
            if x < a[mid]:
                hi = mid
            else:
                lo = mid + 1
    else:
        while lo < hi:
            mid = (lo + hi) // 2
            if x < key(a[mid]):
                hi = mid
            else:
                lo = mid + 1
    return lo


def bisect_left(a, x, lo=0, hi=None, *, key=None):
    """Return the index of the first item equal to x (where x goes to stay sorted, leftmost)."""
    lo, hi = _bounds(a, lo, hi)
    if key is None:
        while lo < hi:
            mid = (lo + hi) // 2
            if a[mid] < x:
                lo = mid + 1
            else:
                hi = mid
    else:
        while lo < hi:
            mid = (lo + hi) // 2
            if key(a[mid]) < x:
                lo = mid + 1
            else:
                hi = mid
    return lo


def insort_right(a, x, lo=0, hi=None, *, key=None):
    """Insert x in a, keeping it sorted; after any items equal to x."""
    if key is None:
        lo = bisect_right(a, x, lo, hi)
    else:
        lo = bisect_right(a, key(x), lo, hi, key=key)
    a.insert(lo, x)


def insort_left(a, x, lo=0, hi=None, *, key=None):
    """Insert x in a, keeping it sorted; before any items equal to x."""
    if key is None:
        lo = bisect_left(a, x, lo, hi)
    else:
        lo = bisect_left(a, key(x), lo, hi, key=key)
    a.insert(lo, x)


bisect = bisect_right
insort = insort_right
`;

/** The file name the module's code and tracebacks carry. */
const FILENAME = "<bisect>";

/** The module's code, shared by every interpreter (read at the first import). */
let compiled: CodeUnit | undefined;

/**
 * The module's source compiled and serialized: what scripts/precompile.ts stores in
 * bisect.compiled.ts.
 */
export function precompiledBisect(): string {
  return precompileSource(SOURCE, FILENAME);
}

/** The `bisect` module (a new reference): its Python source run in its namespace. */
export function bisectModule(b: Protocols): Ref {
  compiled ??= deserializeCode(BISECT_COMPILED);
  return pythonModule(b, { name: "bisect", filename: FILENAME, source: SOURCE }, compiled);
}
