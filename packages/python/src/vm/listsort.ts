// `list.sort` as CPython 3.11's listobject.c sorts: the same comparisons, asked in the same
// order, so a program that watches its `__lt__` (prints, counts, raises) sees what python3 shows,
// and a comparison that raises leaves the list in the order CPython leaves it.
//
// The algorithm is the adaptive merge sort of Objects/listsort.txt: natural runs found left to
// right (a strictly descending run reversed in place), short runs extended to `minrun` by binary
// insertion, and runs merged as the powersort rule of 3.11 decides (a run's "power" is the depth
// of the boundary between it and the run before in a binary division of the list), each merge
// galloping when one run keeps winning. While it sorts, the list looks empty to the code it runs;
// a change made to it meanwhile is dropped and reported as `ValueError: list modified during
// sort`. The memory the sort asks of PyMem_Malloc is asked here too: the keys array of a key
// function over 127 items or more, and a merge's temporary array once it needs more than the
// 256 slots CPython keeps on the C stack (128 with a key function, half of them for the keys).

import type { DetachedItems, Ref } from "@mm/runtime";
import { CompareOp } from "../compile/opcodes.js";
import type { Host, Protocols } from "./host.js";

/** Slots of CPython's `MergeState.temparray`, on the C stack: no allocation. */
const MERGESTATE_TEMP_SIZE = 256;
/** Consecutive wins of one run before a merge starts galloping. */
const MIN_GALLOP = 7;

/** One pending run: where it starts, its length, and its powersort power. */
interface Run {
  base: number;
  len: number;
  power: number;
}

/**
 * `list.sort(key=…, reverse=…)` on `l` (`key` 0 for none): CPython 3.11's `list_sort_impl`.
 * @throws PythonError what a key call or a comparison raised (the list keeps the order the
 *   sort had reached), or ValueError `list modified during sort`
 */
export function sortList(b: Protocols, l: Ref, key: Ref, reverse: boolean): void {
  const vm: Host = b.vm;
  const py = vm.py;
  const detached: DetachedItems = py.detachList(l);
  const values = detached.items;
  const n = values.length;
  let keys = values;
  let keysBlock = 0;
  let failure: unknown;
  let sorter: MergeState | undefined;
  try {
    if (key) {
      // Computed before the sort, in order; a key call that raises drops those made so far.
      if (n >= MERGESTATE_TEMP_SIZE / 2) keysBlock = py.memMalloc(8 * n);
      keys = [];
      try {
        for (let i = 0; i < n; i++) keys.push(vm.call(key, [values[i]!]));
      } catch (error) {
        for (let i = keys.length - 1; i >= 0; i--) py.decref(keys[i]!);
        py.memFree(keysBlock);
        keysBlock = 0;
        keys = values;
        key = 0;
        throw error;
      }
    }
    sorter = new MergeState(b, keys, key ? values : null);
    if (n >= 2) {
      // Reversing first, then sorting stably, then reversing back keeps equal items in order.
      if (reverse) {
        if (key) keys.reverse();
        values.reverse();
      }
      sorter.sort();
    }
  } catch (error) {
    failure = error;
  }
  if (key) {
    for (let i = 0; i < n; i++) py.decref(keys[i]!);
    py.memFree(keysBlock);
  }
  if (sorter && reverse && n > 1) values.reverse();
  sorter?.freeMemory();
  const modified = py.reattachList(l, detached);
  if (failure !== undefined) throw failure;
  if (modified) vm.raise("ValueError", "list modified during sort");
}

/**
 * The state of one sort: the keys being sorted (and the values moved with them when a key
 * function gave the keys), the pending runs, the galloping threshold and the temporary array.
 */
class MergeState {
  readonly #b: Protocols;
  readonly #keys: Ref[];
  readonly #values: Ref[] | null;
  readonly #pending: Run[] = [];
  #minGallop = MIN_GALLOP;
  /** Slots of the temporary array available without a new allocation. */
  #alloced: number;
  /** The PyMem block standing for the temporary array once it outgrew the C stack's. */
  #block = 0;
  /** The temporary array's keys and values (JavaScript arrays; the block above is its size). */
  readonly #tempKeys: Ref[] = [];
  readonly #tempValues: Ref[] = [];

  constructor(b: Protocols, keys: Ref[], values: Ref[] | null) {
    this.#b = b;
    this.#keys = keys;
    this.#values = values;
    const n = keys.length;
    // merge_init: with a key function the stack array holds keys and values, half each.
    this.#alloced =
      values !== null ? Math.min((n + 1) >> 1, MERGESTATE_TEMP_SIZE / 2) : MERGESTATE_TEMP_SIZE;
  }

  /** `x < y` as the sort asks it: PyObject_RichCompareBool(x, y, Py_LT). */
  #lt(x: Ref, y: Ref): boolean {
    const b = this.#b;
    const vm = b.vm;
    const t = vm.typeOf(x);
    if (t === vm.typeOf(y)) {
      // The unsafe_*_compare of a list of exact ints, floats or strs: no user code can run.
      const types = vm.types;
      if (t === types.int || t === types.str || t === types.float) {
        const c = b.compare(x, y, CompareOp.Lt, t, t);
        if (c !== undefined) return c;
      }
    }
    return b.truthOf(b.richCompare(x, y, CompareOp.Lt));
  }

  /** The main loop of `list_sort_impl`: runs found, extended, pushed and merged. */
  sort(): void {
    const keys = this.#keys;
    const total = keys.length;
    let lo = 0;
    let remaining = total;
    const minrun = computeMinrun(remaining);
    do {
      let n = this.#countRun(lo, lo + remaining);
      if (n < 0) {
        n = -n;
        this.#reverse(lo, lo + n);
      }
      if (n < minrun) {
        const force = Math.min(remaining, minrun);
        this.#binarySort(lo, lo + force, lo + n);
        n = force;
      }
      this.#foundNewRun(n, total);
      this.#pending.push({ base: lo, len: n, power: 0 });
      lo += n;
      remaining -= n;
    } while (remaining > 0);
    // merge_force_collapse
    const p = this.#pending;
    while (p.length > 1) {
      let i = p.length - 2;
      if (i > 0 && p[i - 1]!.len < p[i + 1]!.len) i--;
      this.#mergeAt(i);
    }
  }

  /** merge_freemem: the temporary array's block, if one was allocated. */
  freeMemory(): void {
    this.#b.vm.py.memFree(this.#block);
    this.#block = 0;
  }

  /**
   * count_run: the length of the run starting at `lo`, negated when it is strictly descending
   * (which the caller reverses). Asks `a[i] < a[i-1]` from the second item on.
   */
  #countRun(lo: number, hi: number): number {
    const keys = this.#keys;
    if (lo + 1 === hi) return 1;
    let n = 2;
    if (this.#lt(keys[lo + 1]!, keys[lo]!)) {
      for (let i = lo + 2; i < hi && this.#lt(keys[i]!, keys[i - 1]!); i++) n++;
      return -n;
    }
    for (let i = lo + 2; i < hi && !this.#lt(keys[i]!, keys[i - 1]!); i++) n++;
    return n;
  }

  /** reverse_sortslice: keys and values of [lo, hi) reversed in place. */
  #reverse(lo: number, hi: number): void {
    reverseRange(this.#keys, lo, hi);
    if (this.#values) reverseRange(this.#values, lo, hi);
  }

  /**
   * binarysort: [lo, start) is sorted; each item from `start` to `hi` is inserted after the
   * items not greater than it, found by binary search.
   */
  #binarySort(lo: number, hi: number, start: number): void {
    const keys = this.#keys;
    const values = this.#values;
    if (lo === start) start++;
    for (; start < hi; start++) {
      let l = lo;
      let r = start;
      const pivot = keys[r]!;
      do {
        const p = l + ((r - l) >> 1);
        if (this.#lt(pivot, keys[p]!)) r = p;
        else l = p + 1;
      } while (l < r);
      for (let p = start; p > l; p--) keys[p] = keys[p - 1]!;
      keys[l] = pivot;
      if (values) {
        const v = values[start]!;
        for (let p = start; p > l; p--) values[p] = values[p - 1]!;
        values[l] = v;
      }
    }
  }

  /**
   * found_new_run: a run of `n2` items follows the last pending one; the pending runs whose
   * power exceeds the boundary's are merged first, then the boundary's power is recorded.
   */
  #foundNewRun(n2: number, total: number): void {
    const p = this.#pending;
    if (p.length === 0) return;
    const last = p[p.length - 1]!;
    const power = powerloop(last.base, last.len, n2, total);
    while (p.length > 1 && p[p.length - 2]!.power > power) this.#mergeAt(p.length - 2);
    p[p.length - 1]!.power = power;
  }

  /** merge_at: the pending runs i and i + 1 merged into one. */
  #mergeAt(i: number): void {
    const p = this.#pending;
    const keys = this.#keys;
    let baseA = p[i]!.base;
    let na = p[i]!.len;
    const baseB = p[i + 1]!.base;
    let nb = p[i + 1]!.len;
    p[i]!.len = na + nb;
    p.splice(i + 1, 1);
    // Items of a before where b's first belongs are in place already.
    const k = this.#gallopRight(keys[baseB]!, keys, baseA, na, 0);
    baseA += k;
    na -= k;
    if (na === 0) return;
    // So are b's items after where a's last belongs.
    nb = this.#gallopLeft(keys[baseA + na - 1]!, keys, baseB, nb, nb - 1);
    if (nb <= 0) return;
    if (na <= nb) this.#mergeLo(baseA, na, baseB, nb);
    else this.#mergeHi(baseA, na, baseB, nb);
  }

  /** MERGE_GETMEM: room for `need` items in the temporary array. */
  #getMemory(need: number): void {
    if (need <= this.#alloced) return;
    const py = this.#b.vm.py;
    // merge_getmem: the old block goes first, then one for keys (and values) of `need` items.
    py.memFree(this.#block);
    this.#block = 0;
    this.#block = py.memMalloc((this.#values ? 16 : 8) * need);
    this.#alloced = need;
  }

  /** Moves one item (key and value) from `from[src]` to `dest` in the list's arrays. */
  #put(dest: number, fromKeys: Ref[], fromValues: Ref[] | null, src: number): void {
    this.#keys[dest] = fromKeys[src]!;
    if (this.#values) this.#values[dest] = fromValues![src]!;
  }

  /** Copies `n` items from `from[src…]` to the list's arrays at `dest…`, ascending. */
  #copy(dest: number, fromKeys: Ref[], fromValues: Ref[] | null, src: number, n: number): void {
    for (let i = 0; i < n; i++) this.#put(dest + i, fromKeys, fromValues, src + i);
  }

  /**
   * merge_lo: merges run a (`na` items at `pa`, the shorter, copied to the temporary array)
   * with run b (`nb` at `pb`, right after it), from the left.
   */
  #mergeLo(pa: number, na: number, pb: number, nb: number): void {
    this.#getMemory(na);
    const keys = this.#keys;
    const values = this.#values;
    const tk = this.#tempKeys;
    const tv = this.#tempValues;
    for (let i = 0; i < na; i++) {
      tk[i] = keys[pa + i]!;
      if (values) tv[i] = values[pa + i]!;
    }
    let dest = pa;
    let a = 0;
    this.#put(dest++, keys, values, pb++);
    nb--;
    let copyB = false;
    let minGallop = this.#minGallop;
    try {
      // Every way out of the merge is a `break done`; the checks at the top are CPython's
      // checks before its loop (at the top of a later round they are false).
      done: for (;;) {
        if (nb === 0) break;
        if (na === 1) {
          copyB = true;
          break;
        }
        let acount = 0;
        let bcount = 0;
        // One item at a time until a run seems to win consistently.
        for (;;) {
          if (this.#lt(keys[pb]!, tk[a]!)) {
            this.#put(dest++, keys, values, pb++);
            bcount++;
            acount = 0;
            nb--;
            if (nb === 0) break done;
            if (bcount >= minGallop) break;
          } else {
            this.#put(dest++, tk, tv, a++);
            acount++;
            bcount = 0;
            na--;
            if (na === 1) {
              copyB = true;
              break done;
            }
            if (acount >= minGallop) break;
          }
        }
        // Galloping, until neither run wins by MIN_GALLOP or more.
        minGallop++;
        do {
          if (minGallop > 1) minGallop--;
          this.#minGallop = minGallop;
          let k = this.#gallopRight(keys[pb]!, tk, a, na, 0);
          acount = k;
          if (k) {
            this.#copy(dest, tk, tv, a, k);
            dest += k;
            a += k;
            na -= k;
            if (na === 1) {
              copyB = true;
              break done;
            }
            if (na === 0) break done;
          }
          this.#put(dest++, keys, values, pb++);
          nb--;
          if (nb === 0) break done;
          k = this.#gallopLeft(tk[a]!, keys, pb, nb, 0);
          bcount = k;
          if (k) {
            this.#copy(dest, keys, values, pb, k);
            dest += k;
            pb += k;
            nb -= k;
            if (nb === 0) break done;
          }
          this.#put(dest++, tk, tv, a++);
          na--;
          if (na === 1) {
            copyB = true;
            break done;
          }
        } while (acount >= MIN_GALLOP || bcount >= MIN_GALLOP);
        minGallop++;
        this.#minGallop = minGallop;
      }
    } catch (error) {
      // A comparison raised: what is left of a goes back, so the list is a permutation.
      this.#copy(dest, tk, tv, a, na);
      throw error;
    }
    if (copyB) {
      // a's last item belongs after what is left of b.
      this.#copy(dest, keys, values, pb, nb);
      this.#put(dest + nb, tk, tv, a);
    } else {
      this.#copy(dest, tk, tv, a, na);
    }
  }

  /**
   * merge_hi: merges run a (`na` items at `pa`) with run b (`nb` at `pb`, the shorter, copied to
   * the temporary array), from the right.
   */
  #mergeHi(pa: number, na: number, pb: number, nb: number): void {
    this.#getMemory(nb);
    const keys = this.#keys;
    const values = this.#values;
    const tk = this.#tempKeys;
    const tv = this.#tempValues;
    for (let i = 0; i < nb; i++) {
      tk[i] = keys[pb + i]!;
      if (values) tv[i] = values[pb + i]!;
    }
    let dest = pb + nb - 1;
    let a = pa + na - 1;
    let b = nb - 1;
    this.#put(dest--, keys, values, a--);
    na--;
    let copyA = false;
    let minGallop = this.#minGallop;
    try {
      // Every way out of the merge is a `break done`; the checks at the top are CPython's
      // checks before its loop (at the top of a later round they are false).
      done: for (;;) {
        if (na === 0) break;
        if (nb === 1) {
          copyA = true;
          break;
        }
        let acount = 0;
        let bcount = 0;
        for (;;) {
          if (this.#lt(tk[b]!, keys[a]!)) {
            this.#put(dest--, keys, values, a--);
            acount++;
            bcount = 0;
            na--;
            if (na === 0) break done;
            if (acount >= minGallop) break;
          } else {
            this.#put(dest--, tk, tv, b--);
            bcount++;
            acount = 0;
            nb--;
            if (nb === 1) {
              copyA = true;
              break done;
            }
            if (bcount >= minGallop) break;
          }
        }
        minGallop++;
        do {
          if (minGallop > 1) minGallop--;
          this.#minGallop = minGallop;
          let k = this.#gallopRight(tk[b]!, keys, pa, na, na - 1);
          k = na - k;
          acount = k;
          if (k) {
            dest -= k;
            a -= k;
            // memmove of the k items, from the right.
            for (let i = k; i >= 1; i--) this.#put(dest + i, keys, values, a + i);
            na -= k;
            if (na === 0) break done;
          }
          this.#put(dest--, tk, tv, b--);
          nb--;
          if (nb === 1) {
            copyA = true;
            break done;
          }
          k = this.#gallopLeft(keys[a]!, tk, 0, nb, nb - 1);
          k = nb - k;
          bcount = k;
          if (k) {
            dest -= k;
            b -= k;
            this.#copy(dest + 1, tk, tv, b + 1, k);
            nb -= k;
            if (nb === 1) {
              copyA = true;
              break done;
            }
            if (nb === 0) break done;
          }
          this.#put(dest--, keys, values, a--);
          na--;
          if (na === 0) break done;
        } while (acount >= MIN_GALLOP || bcount >= MIN_GALLOP);
        minGallop++;
        this.#minGallop = minGallop;
      }
    } catch (error) {
      this.#copy(dest - (nb - 1), tk, tv, 0, nb);
      throw error;
    }
    if (copyA) {
      // b's first item belongs before what is left of a: a's items move right by one.
      dest -= na;
      a -= na;
      for (let i = na; i >= 1; i--) this.#put(dest + i, keys, values, a + i);
      this.#put(dest, tk, tv, b);
    } else if (nb) {
      this.#copy(dest - (nb - 1), tk, tv, 0, nb);
    }
  }

  /**
   * gallop_left: where `key` goes in the sorted `n` items of `arr` from `base` (the leftmost
   * place, before equal items), searching outward from `hint` by doubling steps, then by
   * bisection.
   */
  #gallopLeft(key: Ref, arr: Ref[], base: number, n: number, hint: number): number {
    let lastofs = 0;
    let ofs = 1;
    if (this.#lt(arr[base + hint]!, key)) {
      // a[hint] < key: gallop right until a[hint + lastofs] < key <= a[hint + ofs].
      const maxofs = n - hint;
      while (ofs < maxofs) {
        if (this.#lt(arr[base + hint + ofs]!, key)) {
          lastofs = ofs;
          ofs = (ofs << 1) + 1;
        } else break;
      }
      if (ofs > maxofs) ofs = maxofs;
      lastofs += hint;
      ofs += hint;
    } else {
      // key <= a[hint]: gallop left until a[hint - ofs] < key <= a[hint - lastofs].
      const maxofs = hint + 1;
      while (ofs < maxofs) {
        if (this.#lt(arr[base + hint - ofs]!, key)) break;
        lastofs = ofs;
        ofs = (ofs << 1) + 1;
      }
      if (ofs > maxofs) ofs = maxofs;
      const k = lastofs;
      lastofs = hint - ofs;
      ofs = hint - k;
    }
    lastofs++;
    while (lastofs < ofs) {
      const m = lastofs + ((ofs - lastofs) >> 1);
      if (this.#lt(arr[base + m]!, key)) lastofs = m + 1;
      else ofs = m;
    }
    return ofs;
  }

  /** gallop_right: as {@link MergeState.#gallopLeft}, but the rightmost place, after equal items. */
  #gallopRight(key: Ref, arr: Ref[], base: number, n: number, hint: number): number {
    let lastofs = 0;
    let ofs = 1;
    if (this.#lt(key, arr[base + hint]!)) {
      // key < a[hint]: gallop left until a[hint - ofs] <= key < a[hint - lastofs].
      const maxofs = hint + 1;
      while (ofs < maxofs) {
        if (this.#lt(key, arr[base + hint - ofs]!)) {
          lastofs = ofs;
          ofs = (ofs << 1) + 1;
        } else break;
      }
      if (ofs > maxofs) ofs = maxofs;
      const k = lastofs;
      lastofs = hint - ofs;
      ofs = hint - k;
    } else {
      // a[hint] <= key: gallop right until a[hint + lastofs] <= key < a[hint + ofs].
      const maxofs = n - hint;
      while (ofs < maxofs) {
        if (this.#lt(key, arr[base + hint + ofs]!)) break;
        lastofs = ofs;
        ofs = (ofs << 1) + 1;
      }
      if (ofs > maxofs) ofs = maxofs;
      lastofs += hint;
      ofs += hint;
    }
    lastofs++;
    while (lastofs < ofs) {
      const m = lastofs + ((ofs - lastofs) >> 1);
      if (this.#lt(key, arr[base + m]!)) ofs = m;
      else lastofs = m + 1;
    }
    return ofs;
  }
}

/** merge_compute_minrun: `n`'s top six bits, plus one if any bit below them is set. */
function computeMinrun(n: number): number {
  let r = 0;
  while (n >= 64) {
    r |= n & 1;
    n >>= 1;
  }
  return n + r;
}

/**
 * powerloop: the power of the boundary between a run at `s1` of `n1` items and the next of
 * `n2`, in a list of `n`: the first bit where the binary fractions of the two runs' midpoints
 * (over n) differ.
 */
function powerloop(s1: number, n1: number, n2: number, n: number): number {
  let result = 0;
  // Twice the midpoints, to stay in integers.
  let a = 2 * s1 + n1;
  let b = a + n1 + n2;
  for (;;) {
    result++;
    if (a >= n) {
      a -= n;
      b -= n;
    } else if (b >= n) {
      break;
    }
    a *= 2;
    b *= 2;
  }
  return result;
}

function reverseRange(arr: Ref[], lo: number, hi: number): void {
  for (let i = lo, j = hi - 1; i < j; i++, j--) {
    const t = arr[i]!;
    arr[i] = arr[j]!;
    arr[j] = t;
  }
}
