// Doubly linked lists threaded through the GC heads of objects, as CPython's gc_list_*.
//
// A list is named by its head, a 16-byte pseudo GC head that is not an object: its "address"
// is 16 bytes past the head's start, so that `gc_next` and `gc_prev` sit at `head - 16` and
// `head - 8` exactly as they do for an object. Links hold object addresses; `gc_next == 0`
// means untracked. Both links are plain addresses: the collection's marks are in `ob_flags`.

import { GC_NEXT, GC_PREV, type Memory, OutOfMemoryError } from "@mm/heap";

/**
 * The links' offsets, written in place by every compiler: the collector's loops call these
 * functions for every object they move, and in V8 an imported constant is a load each time.
 */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Link {
  Next = -16,
  Prev = -8,
}
if (Link.Next !== GC_NEXT || Link.Prev !== GC_PREV) {
  throw new Error("gen-gc was built with other GC head offsets than @mm/heap's");
}

export const next = (u32: Uint32Array, node: number): number => u32[(node + Link.Next) >>> 2]!;
export const prev = (u32: Uint32Array, node: number): number => u32[(node + Link.Prev) >>> 2]!;

export function setNext(u32: Uint32Array, node: number, to: number): void {
  u32[(node + Link.Next) >>> 2] = to;
}

export function setPrev(u32: Uint32Array, node: number, to: number): void {
  u32[(node + Link.Prev) >>> 2] = to;
}

/** Makes `head` an empty list. */
export function init(u32: Uint32Array, head: number): void {
  u32[(head + Link.Next) >>> 2] = head;
  u32[(head + Link.Prev) >>> 2] = head;
}

export const isEmpty = (u32: Uint32Array, head: number): boolean => next(u32, head) === head;

/** Appends `node` (not on any list) to the tail of `head`. */
export function append(u32: Uint32Array, node: number, head: number): void {
  const last = prev(u32, head);
  setNext(u32, last, node);
  setPrev(u32, node, last);
  setNext(u32, node, head);
  setPrev(u32, head, node);
}

/** Unlinks `node` from its list and marks it untracked. */
export function remove(u32: Uint32Array, node: number): void {
  const p = prev(u32, node);
  const n = next(u32, node);
  setNext(u32, p, n);
  setPrev(u32, n, p);
  setNext(u32, node, 0);
}

/** Moves `node` from its list to the tail of `head`. */
export function move(u32: Uint32Array, node: number, head: number): void {
  const p = prev(u32, node);
  const n = next(u32, node);
  setNext(u32, p, n);
  setPrev(u32, n, p);
  append(u32, node, head);
}

/** Appends every node of `from` to `to`, leaving `from` empty. */
export function merge(u32: Uint32Array, from: number, to: number): void {
  if (isEmpty(u32, from)) return;
  const tail = prev(u32, to);
  const first = next(u32, from);
  const last = prev(u32, from);
  setNext(u32, tail, first);
  setPrev(u32, first, tail);
  setNext(u32, last, to);
  setPrev(u32, to, last);
  init(u32, from);
}

/**
 * Moves the nodes of `from` that come before `node` (a node of `from`, or `from` itself for
 * all of them) to the tail of `to`, in order.
 */
export function spliceBefore(u32: Uint32Array, from: number, node: number, to: number): void {
  const first = next(u32, from);
  if (first === node) return;
  const last = prev(u32, node);
  const tail = prev(u32, to);
  setNext(u32, from, node);
  setPrev(u32, node, from);
  setNext(u32, tail, first);
  setPrev(u32, first, tail);
  setNext(u32, last, to);
  setPrev(u32, to, last);
}

/**
 * Moves the run of consecutive nodes from `first` to `last` (in the same list, `first` not after
 * `last`) to the tail of `to`, in order: what moving each node in turn would do, in O(1).
 */
export function moveRun(u32: Uint32Array, first: number, last: number, to: number): void {
  const before = prev(u32, first);
  const after = next(u32, last);
  setNext(u32, before, after);
  setPrev(u32, after, before);
  const tail = prev(u32, to);
  setNext(u32, tail, first);
  setPrev(u32, first, tail);
  setNext(u32, last, to);
  setPrev(u32, to, last);
}

export function size(u32: Uint32Array, head: number): number {
  let n = 0;
  for (let node = next(u32, head); node !== head; node = next(u32, node)) n++;
  return n;
}

/** The nodes of a list, in order (a copy, for APIs and tests). */
export function toArray(u32: Uint32Array, head: number): number[] {
  const out: number[] = [];
  for (let node = next(u32, head); node !== head; node = next(u32, node)) out.push(node);
  return out;
}

/**
 * Allocates `count` list heads from an allocator's memory (they must live in the same memory
 * as the objects) and returns their addresses, each list empty.
 */
export function allocateHeads(
  memory: Memory,
  malloc: (bytes: number) => number,
  count: number,
): number[] {
  const block = malloc(16 * count);
  if (block === 0) throw new OutOfMemoryError(16 * count, "the collector's list heads");
  const heads: number[] = [];
  for (let i = 0; i < count; i++) {
    const head = block + 16 * (i + 1);
    init(memory.u32, head);
    heads.push(head);
  }
  return heads;
}
