// The iterators of `range`, as CPython 3.11's rangeobject.c chooses them: a `range_iterator`
// when the start, stop, step and length fit a C long (and the value after the last cannot
// overflow one), else a `longrange_iterator` that holds ints. Both are 48 bytes and untracked.
// A range_iterator whose values all fit a double exactly keeps f64 state (the evaluator steps
// it inline); one with values past 2^53 keeps exact 64-bit state in a type of the same name.

import type { NativeTypeSpec, Ref } from "@mm/runtime";
import type { Host } from "./host.js";
import { Range, RangeIter } from "./layouts.js";

/**
 * A `range_iterator` over values past 2^53 (48 bytes, not a container): the next value, the
 * step and the count left as exact signed 64-bit integers.
 */
export const RangeIter64 = { next: 16, step: 24, left: 32, basicSize: 48 } as const;

/** The native type of {@link RangeIter64} iterators (untracked, no references). */
export const rangeIter64Spec: NativeTypeSpec = {
  name: "range_iterator",
  basicSize: RangeIter64.basicSize,
};

/**
 * `longrangeiterobject` (48 bytes, not a container): four ints, the index reached, the start,
 * the step and the length; the next value is start + index × step.
 */
export const LongRangeIter = { index: 16, start: 24, step: 32, len: 40, basicSize: 48 } as const;

/** The native type of {@link LongRangeIter} iterators (untracked; its four ints are references). */
export const longRangeIterSpec: NativeTypeSpec = {
  name: "longrange_iterator",
  basicSize: LongRangeIter.basicSize,
  refs: [LongRangeIter.index, LongRangeIter.start, LongRangeIter.step, LongRangeIter.len],
};

const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

const fitsLong = (v: bigint) => v >= LONG_MIN && v <= LONG_MAX;
const safe = (v: bigint) => v >= -SAFE && v <= SAFE;

/** `get_len_of_range` for a step that is not zero. */
function lengthOf(start: bigint, stop: bigint, step: bigint): bigint {
  if (step > 0n) return start < stop ? (stop - start - 1n) / step + 1n : 0n;
  return start > stop ? (start - stop - 1n) / -step + 1n : 0n;
}

function bounds(vm: Host, r: Ref): [bigint, bigint, bigint, bigint] {
  const py = vm.py;
  return [
    BigInt(vm.intOf(py.getRef(r, Range.start))),
    BigInt(vm.intOf(py.getRef(r, Range.stop))),
    BigInt(vm.intOf(py.getRef(r, Range.step))),
    BigInt(vm.intOf(py.getRef(r, Range.length))),
  ];
}

/** A range_iterator from `next` by `step`, `left` values: f64 state when exact, else 64-bit. */
function fastIter(vm: Host, next: bigint, step: bigint, left: bigint): Ref {
  const py = vm.py;
  if (safe(next) && safe(step) && safe(left) && safe(next + left * step)) {
    const it = py.allocate(vm.native.rangeIter);
    const f64 = py.memory.f64;
    f64[(it + RangeIter.next) >>> 3] = Number(next);
    f64[(it + RangeIter.step) >>> 3] = Number(step);
    f64[(it + RangeIter.left) >>> 3] = Number(left);
    return it;
  }
  const it = py.allocate(vm.native.rangeIter64);
  const words = new BigInt64Array(py.memory.u8.buffer, it + RangeIter64.next, 3);
  words[0] = next;
  words[1] = step;
  words[2] = left;
  return it;
}

/** A longrange_iterator from `start` by `step` for `len` values (ints made here). */
function longIter(vm: Host, start: bigint, step: bigint, len: bigint): Ref {
  const py = vm.py;
  const it = py.allocate(vm.native.longRangeIter);
  py.takeRef(it, LongRangeIter.index, py.int(0));
  py.takeRef(it, LongRangeIter.start, py.int(start));
  py.takeRef(it, LongRangeIter.step, py.int(step));
  py.takeRef(it, LongRangeIter.len, py.int(len));
  return it;
}

/** `iter(r)` (`range_iter`): a new reference. */
export function rangeIter(vm: Host, r: Ref): Ref {
  const [start, stop, step, len] = bounds(vm, r);
  if (fitsLong(start) && fitsLong(stop) && fitsLong(step)) {
    const n = lengthOf(start, stop, step);
    // The value after the last must not overflow a C long either.
    const overflows =
      n > 0n && (step > 0n ? stop > LONG_MAX - (step - 1n) : stop < LONG_MIN + (-1n - step));
    if (n <= LONG_MAX && !overflows) return fastIter(vm, start, step, n);
  }
  return longIter(vm, start, step, len);
}

/** `reversed(r)` (`range_reverse`): a new reference. */
export function rangeReverse(vm: Host, r: Ref): Ref {
  const [start, stop, step, len] = bounds(vm, r);
  // The int version when start, stop, step, −step, start − step and the length fit a C long.
  if (fitsLong(start) && fitsLong(stop) && fitsLong(step) && step !== LONG_MIN) {
    const newStop = start - step;
    const n = lengthOf(start, stop, step);
    if (fitsLong(newStop) && n <= LONG_MAX) return fastIter(vm, newStop + n * step, -step, n);
  }
  return longIter(vm, start + (len - 1n) * step, -step, len);
}

/** The next value of a range_iterator with 64-bit state or of a longrange_iterator, or 0. */
export function nextRangeValue(vm: Host, it: Ref): Ref {
  const py = vm.py;
  if (vm.typeId(it) === vm.native.rangeIter64.id) {
    const words = new BigInt64Array(py.memory.u8.buffer, it + RangeIter64.next, 3);
    const left = words[2]!;
    if (left <= 0n) return 0;
    const v = words[0]!;
    words[2] = left - 1n;
    // The value after the last may pass a C long: CPython's unsigned arithmetic wraps there.
    words[0] = BigInt.asIntN(64, v + words[1]!);
    return py.int(v);
  }
  const index = BigInt(vm.intOf(py.getRef(it, LongRangeIter.index)));
  const len = BigInt(vm.intOf(py.getRef(it, LongRangeIter.len)));
  if (index >= len) return 0;
  const start = BigInt(vm.intOf(py.getRef(it, LongRangeIter.start)));
  const step = BigInt(vm.intOf(py.getRef(it, LongRangeIter.step)));
  const result = py.int(start + index * step);
  py.takeRef(it, LongRangeIter.index, py.int(index + 1n));
  return result;
}

/** How many values such an iterator has left (`__length_hint__`). */
export function rangeValuesLeft(vm: Host, it: Ref): bigint {
  const py = vm.py;
  if (vm.typeId(it) === vm.native.rangeIter64.id) {
    const left = new BigInt64Array(py.memory.u8.buffer, it + RangeIter64.left, 1)[0]!;
    return left > 0n ? left : 0n;
  }
  const index = BigInt(vm.intOf(py.getRef(it, LongRangeIter.index)));
  const len = BigInt(vm.intOf(py.getRef(it, LongRangeIter.len)));
  return len > index ? len - index : 0n;
}
