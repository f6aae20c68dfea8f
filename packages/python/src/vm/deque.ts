// `collections.deque` as CPython 3.11's _collectionsmodule.c lays it out: a doubly linked list
// of blocks of 64 item slots, each block a separate PyMem allocation of 528 bytes (traced by
// tracemalloc), the deque object itself 216 bytes (232 with the GC head) including the free
// list of up to 16 blocks it keeps for reuse. The items are first at leftblock[leftindex] and
// last at rightblock[rightindex]; an empty deque keeps one block with the indices at its centre.
// Every method moves items and blocks as CPython's does, so block allocations, frees and the
// sizes `sys.getsizeof` reports come out the same.

import type { NativeType, Ref } from "@mm/runtime";
import { BinaryOp, CompareOp } from "../compile/opcodes.js";
import type { Host, Protocols } from "./host.js";
import type { BuiltinFn, PyType } from "./types.js";

/** Item slots per block (`BLOCKLEN`). */
export const BLOCKLEN = 64;
/** Where an empty deque's indices sit: leftindex is CENTER + 1, rightindex CENTER. */
const CENTER = (BLOCKLEN - 1) >> 1;
/** The most blocks a deque keeps for reuse (`MAXFREEBLOCKS`). */
export const MAXFREEBLOCKS = 16;

/**
 * `dequeobject` (a container, weakly referenceable):
 * ```
 *   op + 16  ob_size (the length)     op + 48  rightindex
 *   op + 24  leftblock                op + 56  state (bumped whenever the indices move)
 *   op + 32  rightblock               op + 64  maxlen (-1: unbounded)
 *   op + 40  leftindex                op + 72  numfreeblocks, op + 80 freeblocks[16]
 *   op + 208 weakreflist (kept in the object head here)
 *   sys.getsizeof = 216 + 528 × (blocks spanned by leftindex + len) + 16
 * ```
 */
export const Deque = {
  size: 16,
  leftblock: 24,
  rightblock: 32,
  leftindex: 40,
  rightindex: 48,
  state: 56,
  maxlen: 64,
  numfree: 72,
  free: 80,
  basicSize: 216,
} as const;

/** A block: `leftlink`, 64 item slots, `rightlink` (528 bytes). */
export const Block = { leftlink: 0, data: 8, rightlink: 8 + 8 * BLOCKLEN, size: 16 + 8 * BLOCKLEN };

/**
 * `dequeiterobject` (56 bytes, 72 with the GC head): the block and index of the next item, the
 * deque (its one reference), the deque's state when iteration began, and the items left.
 */
export const DequeIter = { block: 16, index: 24, deque: 32, state: 40, counter: 48, basicSize: 56 };

/** `tp_name`: a class's name, or a module's built-in type's dotted name. */
function tpName(t: PyType): string {
  return t.heap || t.module === "__main__" ? t.name : `${t.module}.${t.name}`;
}

/** The deque type of one interpreter. */
export class DequeType {
  readonly native: NativeType;
  readonly iterNative: NativeType;
  readonly reverseIterNative: NativeType;
  readonly type: PyType;
  readonly #b: Protocols;
  readonly #vm: Host;

  constructor(b: Protocols) {
    this.#b = b;
    const vm = b.vm;
    this.#vm = vm;
    const py = vm.py;
    this.native = py.defineType({
      name: "deque",
      basicSize: Deque.basicSize,
      container: true,
      weakrefable: true,
      sizeOf: (o) => {
        const u = py.memory.u32;
        const blocks = Math.floor(
          (u[(o + Deque.leftindex) >>> 2]! + u[(o + Deque.size) >>> 2]! + BLOCKLEN - 1) / BLOCKLEN,
        );
        return Deque.basicSize + blocks * Block.size;
      },
      external: {
        traverse: (o, visit, arg) => {
          let block = this.#u32(o, Deque.leftblock);
          let index = this.#u32(o, Deque.leftindex);
          const n = this.#u32(o, Deque.size);
          for (let i = 0; i < n; i++) {
            const item = py.memory.u32[(block + Block.data + 8 * index) >>> 2]!;
            const stop = visit(item, arg);
            if (stop !== 0) return stop;
            index++;
            if (index === BLOCKLEN) {
              block = py.memory.u32[(block + Block.rightlink) >>> 2]!;
              index = 0;
            }
          }
          return 0;
        },
        // deque_clear for tp_clear and deque_dealloc (which then frees the last block and the
        // free list: onFree).
        clear: (o) => this.clear(o),
      },
      onFree: (o) => {
        const u = py.memory.u32;
        const left = u[(o + Deque.leftblock) >>> 2]!;
        if (left !== 0) this.#freeBlock(o, left);
        const n = u[(o + Deque.numfree) >>> 2]!;
        for (let i = 0; i < n; i++) py.memFree(py.memory.u32[(o + Deque.free + 8 * i) >>> 2]!);
        py.memory.u32[(o + Deque.numfree) >>> 2] = 0;
      },
    });
    const iterSpec = (name: string) =>
      py.defineType({
        name,
        basicSize: DequeIter.basicSize,
        container: true,
        refs: [DequeIter.deque],
      });
    this.iterNative = iterSpec("_deque_iterator");
    this.reverseIterNative = iterSpec("_deque_reverse_iterator");
    this.type = b.newNativeType("deque", this.native, "collections", {
      len: (o) => this.#u32(o, Deque.size),
      repr: (o) => this.repr(o),
      compare: (l, r, op) => this.#compare(l, r, op),
      binary: (op, l, r, inplace) => this.#binary(op, l, r, inplace),
      unhashable: true,
      getattr: (o, name) => {
        if (name !== "maxlen") return 0;
        const m = this.#maxlen(o);
        return m < 0 ? py.newRef(py.none) : py.int(m);
      },
    });
    // maxlen is a read-only getset, as deque_getset makes it.
    this.type.setattro = (o, name, value) => {
      if (name === "maxlen")
        vm.raise(
          "AttributeError",
          "attribute 'maxlen' of 'collections.deque' objects is not writable",
        );
      b.genericSetAttr(o, name, value);
    };
    const forward = b.newNativeType("_deque_iterator", this.iterNative, "_collections", {
      next: (it) => this.#next(it, false),
      len: (it) => this.#u32(it, DequeIter.counter),
    });
    const backward = b.newNativeType(
      "_deque_reverse_iterator",
      this.reverseIterNative,
      "_collections",
      { next: (it) => this.#next(it, true), len: (it) => this.#u32(it, DequeIter.counter) },
    );
    for (const t of [forward, backward]) {
      t.methods.set("__iter__", (a) => py.newRef(a[0]!));
      t.methods.set("__next__", (a) => {
        const v = this.#next(a[0]!, t === backward);
        return v || vm.raise("StopIteration");
      });
      t.methods.set("__length_hint__", (a) => py.int(this.#u32(a[0]!, DequeIter.counter)));
    }
    this.#installMethods();
    // The method descriptors exist before the program runs, as a static type's do.
    for (const t of [this.type, forward, backward])
      for (const name of t.methods.keys()) b.lookupType(t, name);
  }

  #u32(o: Ref, at: number): number {
    return this.#vm.py.memory.u32[(o + at) >>> 2]!;
  }

  #set(o: Ref, at: number, v: number): void {
    this.#vm.py.memory.u32[(o + at) >>> 2] = v;
  }

  #maxlen(d: Ref): number {
    return this.#vm.py.memory.i32[(d + Deque.maxlen) >>> 2]!;
  }

  #bump(d: Ref): void {
    this.#set(d, Deque.state, (this.#u32(d, Deque.state) + 1) >>> 0);
  }

  #slot(block: number, index: number): number {
    return (block + Block.data + 8 * index) >>> 2;
  }

  /** `newblock`: one from the deque's free list, else a new PyMem block. */
  #newBlock(d: Ref): number {
    const py = this.#vm.py;
    const n = this.#u32(d, Deque.numfree);
    if (n > 0) {
      this.#set(d, Deque.numfree, n - 1);
      return this.#u32(d, Deque.free + 8 * (n - 1));
    }
    const block = py.memMalloc(Block.size);
    py.memory.u32[(block + Block.leftlink) >>> 2] = 0;
    py.memory.u32[(block + Block.rightlink) >>> 2] = 0;
    return block;
  }

  /** `freeblock`: onto the free list while it has room, else back to PyMem. */
  #freeBlock(d: Ref, block: number): void {
    const n = this.#u32(d, Deque.numfree);
    if (n < MAXFREEBLOCKS) {
      this.#set(d, Deque.free + 8 * n, block);
      this.#set(d, Deque.numfree, n + 1);
    } else this.#vm.py.memFree(block);
  }

  /** `deque_new`: an empty deque with one block (a new reference). */
  create(maxlen = -1): Ref {
    const py = this.#vm.py;
    const d = py.allocate(this.native);
    const block = this.#newBlock(d);
    this.#set(d, Deque.leftblock, block);
    this.#set(d, Deque.rightblock, block);
    this.#set(d, Deque.leftindex, CENTER + 1);
    this.#set(d, Deque.rightindex, CENTER);
    py.memory.i32[(d + Deque.maxlen) >>> 2] = maxlen;
    return d;
  }

  /** Whether `o` is a deque. */
  isDeque(o: Ref): boolean {
    return this.#vm.typeOf(o) === this.type;
  }

  length(d: Ref): number {
    return this.#u32(d, Deque.size);
  }

  /** `deque_pop`: the rightmost item (the deque's reference, now the caller's). */
  pop(d: Ref): Ref {
    const u = this.#vm.py.memory.u32;
    const n = u[(d + Deque.size) >>> 2]!;
    if (n === 0) this.#vm.raise("IndexError", "pop from an empty deque");
    const right = u[(d + Deque.rightblock) >>> 2]!;
    const ri = u[(d + Deque.rightindex) >>> 2]!;
    const item = u[this.#slot(right, ri)]!;
    u[(d + Deque.size) >>> 2] = n - 1;
    this.#bump(d);
    if (ri === 0) {
      if (n - 1 > 0) {
        const prev = u[(right + Block.leftlink) >>> 2]!;
        this.#freeBlock(d, right);
        this.#vm.py.memory.u32[(prev + Block.rightlink) >>> 2] = 0;
        this.#set(d, Deque.rightblock, prev);
        this.#set(d, Deque.rightindex, BLOCKLEN - 1);
      } else {
        // Re-centre instead of freeing the block.
        this.#set(d, Deque.leftindex, CENTER + 1);
        this.#set(d, Deque.rightindex, CENTER);
      }
    } else this.#set(d, Deque.rightindex, ri - 1);
    return item;
  }

  /** `deque_popleft`: the leftmost item (a reference the caller now owns). */
  popleft(d: Ref): Ref {
    const u = this.#vm.py.memory.u32;
    const n = u[(d + Deque.size) >>> 2]!;
    if (n === 0) this.#vm.raise("IndexError", "pop from an empty deque");
    const left = u[(d + Deque.leftblock) >>> 2]!;
    const li = u[(d + Deque.leftindex) >>> 2]!;
    const item = u[this.#slot(left, li)]!;
    u[(d + Deque.size) >>> 2] = n - 1;
    this.#bump(d);
    if (li + 1 === BLOCKLEN) {
      if (n - 1 > 0) {
        const next = u[(left + Block.rightlink) >>> 2]!;
        this.#freeBlock(d, left);
        this.#vm.py.memory.u32[(next + Block.leftlink) >>> 2] = 0;
        this.#set(d, Deque.leftblock, next);
        this.#set(d, Deque.leftindex, 0);
      } else {
        this.#set(d, Deque.leftindex, CENTER + 1);
        this.#set(d, Deque.rightindex, CENTER);
      }
    } else this.#set(d, Deque.leftindex, li + 1);
    return item;
  }

  /** `deque_append_internal`: takes `item`; past `maxlen`, the leftmost item goes. */
  append(d: Ref, item: Ref, maxlen = this.#maxlen(d)): void {
    const py = this.#vm.py;
    if (this.#u32(d, Deque.rightindex) === BLOCKLEN - 1) {
      let block: number;
      try {
        block = this.#newBlock(d);
      } catch (error) {
        py.decref(item);
        throw error;
      }
      const right = this.#u32(d, Deque.rightblock);
      const u = py.memory.u32;
      u[(block + Block.leftlink) >>> 2] = right;
      u[(block + Block.rightlink) >>> 2] = 0;
      u[(right + Block.rightlink) >>> 2] = block;
      u[(d + Deque.rightblock) >>> 2] = block;
      py.memory.i32[(d + Deque.rightindex) >>> 2] = -1;
    }
    const u = py.memory.u32;
    const n = u[(d + Deque.size) >>> 2]! + 1;
    u[(d + Deque.size) >>> 2] = n;
    const ri = py.memory.i32[(d + Deque.rightindex) >>> 2]! + 1;
    u[(d + Deque.rightindex) >>> 2] = ri;
    const at = this.#slot(u[(d + Deque.rightblock) >>> 2]!, ri);
    u[at] = item;
    u[at + 1] = 0;
    if (maxlen >= 0 && maxlen < n) py.decref(this.popleft(d));
    else this.#bump(d);
  }

  /** `deque_appendleft_internal`: takes `item`; past `maxlen`, the rightmost item goes. */
  appendleft(d: Ref, item: Ref, maxlen = this.#maxlen(d)): void {
    const py = this.#vm.py;
    if (this.#u32(d, Deque.leftindex) === 0) {
      let block: number;
      try {
        block = this.#newBlock(d);
      } catch (error) {
        py.decref(item);
        throw error;
      }
      const left = this.#u32(d, Deque.leftblock);
      const u = py.memory.u32;
      u[(block + Block.rightlink) >>> 2] = left;
      u[(block + Block.leftlink) >>> 2] = 0;
      u[(left + Block.leftlink) >>> 2] = block;
      u[(d + Deque.leftblock) >>> 2] = block;
      u[(d + Deque.leftindex) >>> 2] = BLOCKLEN;
    }
    const u = py.memory.u32;
    const n = u[(d + Deque.size) >>> 2]! + 1;
    u[(d + Deque.size) >>> 2] = n;
    const li = u[(d + Deque.leftindex) >>> 2]! - 1;
    u[(d + Deque.leftindex) >>> 2] = li;
    const at = this.#slot(u[(d + Deque.leftblock) >>> 2]!, li);
    u[at] = item;
    u[at + 1] = 0;
    if (maxlen >= 0 && maxlen < n) py.decref(this.pop(d));
    else this.#bump(d);
  }

  /** `deque_extend` (or `deque_extendleft`) from any iterable. */
  extend(d: Ref, iterable: Ref, left = false): void {
    const b = this.#b;
    const py = this.#vm.py;
    if (iterable === d) {
      // PySequence_List of the deque itself, then that list.
      const items = this.items(d);
      for (const i of items) py.incref(i);
      const l = py.list(items);
      for (const i of items) py.decref(i);
      try {
        this.extend(d, l, left);
      } finally {
        py.decref(l);
      }
      return;
    }
    const it = b.iter(iterable);
    try {
      const maxlen = this.#maxlen(d);
      if (maxlen === 0) {
        for (let v = b.next(it); v; v = b.next(it)) py.decref(v);
        return;
      }
      if (this.#u32(d, Deque.size) === 0) {
        // The space-saving start: fill from the end the items go to.
        this.#set(d, Deque.leftindex, left ? BLOCKLEN - 1 : 1);
        this.#set(d, Deque.rightindex, left ? BLOCKLEN - 2 : 0);
      }
      for (let v = b.next(it); v; v = b.next(it)) {
        if (left) this.appendleft(d, v, maxlen);
        else this.append(d, v, maxlen);
      }
    } finally {
      py.decref(it);
    }
  }

  /** The items left to right (borrowed). */
  items(d: Ref): Ref[] {
    const u = this.#vm.py.memory.u32;
    const out: Ref[] = [];
    let block = u[(d + Deque.leftblock) >>> 2]!;
    let index = u[(d + Deque.leftindex) >>> 2]!;
    const n = u[(d + Deque.size) >>> 2]!;
    for (let i = 0; i < n; i++) {
      out.push(u[this.#slot(block, index)]!);
      index++;
      if (index === BLOCKLEN) {
        block = u[(block + Block.rightlink) >>> 2]!;
        index = 0;
      }
    }
    return out;
  }

  /** The u32 index of item `i`'s slot (0 <= i < len), walking from the nearer end. */
  #slotOf(d: Ref, i: number): number {
    const u = this.#vm.py.memory.u32;
    const n = u[(d + Deque.size) >>> 2]!;
    if (i === 0)
      return this.#slot(u[(d + Deque.leftblock) >>> 2]!, u[(d + Deque.leftindex) >>> 2]!);
    if (i === n - 1)
      return this.#slot(u[(d + Deque.rightblock) >>> 2]!, u[(d + Deque.rightindex) >>> 2]!);
    const at = i + u[(d + Deque.leftindex) >>> 2]!;
    let nblocks = Math.floor(at / BLOCKLEN);
    const index = at % BLOCKLEN;
    let block: number;
    if (i < n >> 1) {
      block = u[(d + Deque.leftblock) >>> 2]!;
      while (nblocks-- > 0) block = u[(block + Block.rightlink) >>> 2]!;
    } else {
      const total = Math.floor((u[(d + Deque.leftindex) >>> 2]! + n - 1) / BLOCKLEN);
      let back = total - nblocks;
      block = u[(d + Deque.rightblock) >>> 2]!;
      while (back-- > 0) block = u[(block + Block.leftlink) >>> 2]!;
    }
    return this.#slot(block, index);
  }

  /** `d[i]` (borrowed), i already checked. */
  itemAt(d: Ref, i: number): Ref {
    return this.#vm.py.memory.u32[this.#slotOf(d, i)]!;
  }

  /**
   * `_deque_rotate`: n steps to the right (left when negative), moving items between the end
   * blocks; a block emptied on one side is kept for the other, as CPython's rotate keeps it.
   */
  rotate(d: Ref, steps: number): void {
    const py = this.#vm.py;
    const len = this.#u32(d, Deque.size);
    const half = len >> 1;
    let n = steps;
    if (len <= 1) return;
    if (n > half || n < -half) {
      n %= len;
      if (n > half) n -= len;
      else if (n < -half) n += len;
    }
    this.#bump(d);
    let spare = 0;
    const i32 = () => py.memory.i32;
    while (n > 0) {
      if (this.#u32(d, Deque.leftindex) === 0) {
        const block = spare || this.#newBlock(d);
        spare = 0;
        const left = this.#u32(d, Deque.leftblock);
        const u = py.memory.u32;
        u[(block + Block.rightlink) >>> 2] = left;
        u[(block + Block.leftlink) >>> 2] = 0;
        u[(left + Block.leftlink) >>> 2] = block;
        u[(d + Deque.leftblock) >>> 2] = block;
        u[(d + Deque.leftindex) >>> 2] = BLOCKLEN;
      }
      const u = py.memory.u32;
      const li = u[(d + Deque.leftindex) >>> 2]! - 1;
      const ri = i32()[(d + Deque.rightindex) >>> 2]!;
      const from = this.#slot(u[(d + Deque.rightblock) >>> 2]!, ri);
      const to = this.#slot(u[(d + Deque.leftblock) >>> 2]!, li);
      u[to] = u[from]!;
      u[to + 1] = 0;
      u[(d + Deque.leftindex) >>> 2] = li;
      if (ri === 0) {
        const right = u[(d + Deque.rightblock) >>> 2]!;
        spare = right;
        const prev = u[(right + Block.leftlink) >>> 2]!;
        u[(prev + Block.rightlink) >>> 2] = 0;
        u[(d + Deque.rightblock) >>> 2] = prev;
        u[(d + Deque.rightindex) >>> 2] = BLOCKLEN - 1;
      } else u[(d + Deque.rightindex) >>> 2] = ri - 1;
      n--;
    }
    while (n < 0) {
      if (this.#u32(d, Deque.rightindex) === BLOCKLEN - 1) {
        const block = spare || this.#newBlock(d);
        spare = 0;
        const right = this.#u32(d, Deque.rightblock);
        const u = py.memory.u32;
        u[(block + Block.leftlink) >>> 2] = right;
        u[(block + Block.rightlink) >>> 2] = 0;
        u[(right + Block.rightlink) >>> 2] = block;
        u[(d + Deque.rightblock) >>> 2] = block;
        i32()[(d + Deque.rightindex) >>> 2] = -1;
      }
      const u = py.memory.u32;
      const ri = i32()[(d + Deque.rightindex) >>> 2]! + 1;
      const li = u[(d + Deque.leftindex) >>> 2]!;
      const from = this.#slot(u[(d + Deque.leftblock) >>> 2]!, li);
      const to = this.#slot(u[(d + Deque.rightblock) >>> 2]!, ri);
      u[to] = u[from]!;
      u[to + 1] = 0;
      u[(d + Deque.rightindex) >>> 2] = ri;
      if (li + 1 === BLOCKLEN) {
        const left = u[(d + Deque.leftblock) >>> 2]!;
        spare = left;
        const next = u[(left + Block.rightlink) >>> 2]!;
        u[(next + Block.leftlink) >>> 2] = 0;
        u[(d + Deque.leftblock) >>> 2] = next;
        u[(d + Deque.leftindex) >>> 2] = 0;
      } else u[(d + Deque.leftindex) >>> 2] = li + 1;
      n++;
    }
    if (spare) this.#freeBlock(d, spare);
  }

  /**
   * `deque_clear`: the deque is made empty on a fresh block first, then the old items are
   * released left to right and their blocks freed (a release may run code that uses the deque).
   */
  clear(d: Ref): void {
    const py = this.#vm.py;
    let n = this.#u32(d, Deque.size);
    if (n === 0) return;
    const fresh = this.#newBlock(d);
    let block = this.#u32(d, Deque.leftblock);
    let index = this.#u32(d, Deque.leftindex);
    this.#set(d, Deque.size, 0);
    this.#set(d, Deque.leftblock, fresh);
    this.#set(d, Deque.rightblock, fresh);
    this.#set(d, Deque.leftindex, CENTER + 1);
    this.#set(d, Deque.rightindex, CENTER);
    this.#bump(d);
    while (n > 0) {
      const item = py.memory.u32[this.#slot(block, index)]!;
      py.decref(item);
      n--;
      index++;
      if (index === BLOCKLEN && n > 0) {
        const next = py.memory.u32[(block + Block.rightlink) >>> 2]!;
        this.#freeBlock(d, block);
        block = next;
        index = 0;
      }
    }
    this.#freeBlock(d, block);
  }

  /** `deque_del_item`: rotate item i to the left end, pop it, rotate back. */
  deleteAt(d: Ref, i: number): void {
    const py = this.#vm.py;
    this.rotate(d, -i);
    const item = this.popleft(d);
    try {
      this.rotate(d, i);
    } finally {
      py.decref(item);
    }
  }

  /** `deque_copy` (a new reference). */
  copy(d: Ref): Ref {
    const py = this.#vm.py;
    const c = this.create(this.#maxlen(d));
    try {
      if (this.length(d) === 1) {
        const item = this.itemAt(d, 0);
        py.incref(item);
        this.append(c, item);
      } else this.extend(c, d);
    } catch (error) {
      py.decref(c);
      throw error;
    }
    return c;
  }

  repr(d: Ref): string {
    const b = this.#b;
    const py = this.#vm.py;
    if (b.reprEnter(d)) return "[...]";
    try {
      // deque_repr goes through PySequence_List(deque).
      const items = this.items(d);
      for (const i of items) py.incref(i);
      const l = py.list(items);
      for (const i of items) py.decref(i);
      let inner: string;
      try {
        inner = b.reprOf(l);
      } finally {
        py.decref(l);
      }
      const m = this.#maxlen(d);
      return m < 0 ? `deque(${inner})` : `deque(${inner}, maxlen=${m})`;
    } finally {
      b.reprLeave(d);
    }
  }

  /** `iter(d)` or `reversed(d)` (a new reference). */
  iter(d: Ref, reverse: boolean): Ref {
    const py = this.#vm.py;
    const it = py.allocate(reverse ? this.reverseIterNative : this.iterNative);
    py.setRef(it, DequeIter.deque, d);
    const u = py.memory.u32;
    u[(it + DequeIter.block) >>> 2] =
      u[(d + (reverse ? Deque.rightblock : Deque.leftblock)) >>> 2]!;
    u[(it + DequeIter.index) >>> 2] =
      u[(d + (reverse ? Deque.rightindex : Deque.leftindex)) >>> 2]!;
    u[(it + DequeIter.state) >>> 2] = u[(d + Deque.state) >>> 2]!;
    u[(it + DequeIter.counter) >>> 2] = u[(d + Deque.size) >>> 2]!;
    return it;
  }

  /** `dequeiter_next` / `dequereviter_next`: a new reference, or 0 at the end. */
  #next(it: Ref, reverse: boolean): Ref {
    const py = this.#vm.py;
    const u = py.memory.u32;
    const d = u[(it + DequeIter.deque) >>> 2]!;
    if (u[(d + Deque.state) >>> 2] !== u[(it + DequeIter.state) >>> 2]) {
      u[(it + DequeIter.counter) >>> 2] = 0;
      this.#vm.raise("RuntimeError", "deque mutated during iteration");
    }
    const counter = u[(it + DequeIter.counter) >>> 2]!;
    if (counter === 0) return 0;
    const block = u[(it + DequeIter.block) >>> 2]!;
    const index = u[(it + DequeIter.index) >>> 2]!;
    const item = u[this.#slot(block, index)]!;
    u[(it + DequeIter.counter) >>> 2] = counter - 1;
    if (reverse) {
      if (index === 0 && counter > 1) {
        u[(it + DequeIter.block) >>> 2] = u[(block + Block.leftlink) >>> 2]!;
        u[(it + DequeIter.index) >>> 2] = BLOCKLEN - 1;
      } else u[(it + DequeIter.index) >>> 2] = index - 1;
    } else if (index + 1 === BLOCKLEN && counter > 1) {
      u[(it + DequeIter.block) >>> 2] = u[(block + Block.rightlink) >>> 2]!;
      u[(it + DequeIter.index) >>> 2] = 0;
    } else u[(it + DequeIter.index) >>> 2] = index + 1;
    return py.newRef(item);
  }

  /** `deque_richcompare`: sequence comparison of two deques; undefined for anything else. */
  #compare(l: Ref, r: Ref, op: CompareOp): boolean | undefined {
    if (!this.isDeque(l) || !this.isDeque(r)) return undefined;
    const b = this.#b;
    const py = this.#vm.py;
    const a = this.items(l);
    const c = this.items(r);
    if ((op === CompareOp.Eq || op === CompareOp.Ne) && a.length !== c.length)
      return op === CompareOp.Ne;
    // It walks both with iterators (two allocations), as CPython's does.
    const i1 = this.iter(l, false);
    const i2 = this.iter(r, false);
    try {
      for (const x of [...a, ...c]) py.incref(x);
      try {
        for (let i = 0; i < Math.min(a.length, c.length); i++) {
          if (a[i] === c[i] || b.equal(a[i]!, c[i]!)) continue;
          if (op === CompareOp.Eq) return false;
          if (op === CompareOp.Ne) return true;
          return b.truthOf(b.richCompare(a[i]!, c[i]!, op));
        }
      } finally {
        for (const x of [...a, ...c]) py.decref(x);
      }
    } finally {
      py.decref(i1);
      py.decref(i2);
    }
    const diff = a.length - c.length;
    switch (op) {
      case CompareOp.Lt:
        return diff < 0;
      case CompareOp.Le:
        return diff <= 0;
      case CompareOp.Eq:
        return diff === 0;
      case CompareOp.Ne:
        return diff !== 0;
      case CompareOp.Gt:
        return diff > 0;
      default:
        return diff >= 0;
    }
  }

  /** `+`, `*` and their in-place forms (`deque_concat`, `deque_repeat`, ...), else 0. */
  #binary(op: BinaryOp, l: Ref, r: Ref, inplace: boolean): Ref {
    const vm = this.#vm;
    const py = vm.py;
    if (op === BinaryOp.Add && this.isDeque(l)) {
      if (inplace) {
        this.extend(l, r);
        return py.newRef(l);
      }
      if (!this.isDeque(r))
        vm.raise(
          "TypeError",
          `can only concatenate deque (not "${tpName(vm.typeOf(r))}") to deque`,
        );
      const c = this.copy(l);
      try {
        this.extend(c, r);
      } catch (error) {
        py.decref(c);
        throw error;
      }
      return c;
    }
    if (op === BinaryOp.Multiply) {
      const [d, n] = this.isDeque(l) ? [l, r] : [r, l];
      if (!this.isDeque(d)) return 0;
      const k = vm.kindOf(n);
      if (k !== "int" && k !== "bool")
        vm.raise("TypeError", `can't multiply sequence by non-int of type '${vm.typeOf(n).name}'`);
      const times = Number(vm.intOf(n));
      const target = inplace && d === l ? py.newRef(d) : this.copy(d);
      try {
        this.#repeat(target, times);
      } catch (error) {
        py.decref(target);
        throw error;
      }
      return target;
    }
    return 0;
  }

  /** `deque_inplace_repeat`: the items `times` times over (nothing when times <= 0). */
  #repeat(d: Ref, times: number): void {
    const py = this.#vm.py;
    const size = this.length(d);
    if (size === 0 || times === 1) return;
    if (times <= 0) {
      this.clear(d);
      return;
    }
    const items = this.items(d);
    for (const i of items) py.incref(i);
    try {
      const maxlen = this.#maxlen(d);
      for (let t = 1; t < times; t++) {
        for (const i of items) {
          py.incref(i);
          this.append(d, i, maxlen);
        }
        if (maxlen >= 0 && this.length(d) >= maxlen && t * size >= maxlen) break;
      }
    } finally {
      for (const i of items) py.decref(i);
    }
  }

  /** An index argument: an int (or bool), with CPython's message otherwise. */
  #int(o: Ref): number {
    const vm = this.#vm;
    const k = vm.kindOf(o);
    if (k !== "int" && k !== "bool")
      vm.raise("TypeError", `'${vm.typeOf(o).name}' object cannot be interpreted as an integer`);
    return Number(vm.intOf(o));
  }

  /** A subscript: an int in range (negative from the end). */
  #index(d: Ref, key: Ref): number {
    const vm = this.#vm;
    const k = vm.kindOf(key);
    if (k !== "int" && k !== "bool")
      vm.raise("TypeError", `sequence index must be integer, not '${vm.typeOf(key).name}'`);
    const n = this.length(d);
    let i = Number(vm.intOf(key));
    if (i < 0) i += n;
    if (i < 0 || i >= n) vm.raise("IndexError", "deque index out of range");
    return i;
  }

  /** Runs `test` on each item with the deque's state checked after each (`deque mutated during iteration`). */
  #scan(d: Ref, start: number, stop: number, test: (item: Ref) => boolean): number {
    const vm = this.#vm;
    const py = vm.py;
    const state = this.#u32(d, Deque.state);
    for (let i = start; i < stop && i < this.length(d); i++) {
      const item = this.itemAt(d, i);
      py.incref(item);
      let hit: boolean;
      try {
        hit = test(item);
      } finally {
        py.decref(item);
      }
      if (this.#u32(d, Deque.state) !== state)
        vm.raise("RuntimeError", "deque mutated during iteration");
      if (hit) return i;
    }
    return -1;
  }

  #installMethods(): void {
    const vm = this.#vm;
    const b = this.#b;
    const py = vm.py;
    const t = this.type;
    const none = () => py.newRef(py.none);
    const m = (name: string, f: BuiltinFn) => t.methods.set(name, f);
    const argc = (name: string, a: readonly Ref[], min: number, max: number) => {
      const n = a.length - 1;
      if (n >= min && n <= max) return;
      if (min === max && min === 1)
        vm.raise("TypeError", `deque.${name}() takes exactly one argument (${n} given)`);
      if (min === max && min === 0)
        vm.raise("TypeError", `deque.${name}() takes no arguments (${n} given)`);
      vm.raise(
        "TypeError",
        n < min
          ? `${name} expected at least ${min} argument${min === 1 ? "" : "s"}, got ${n}`
          : `${name} expected at most ${max} argument${max === 1 ? "" : "s"}, got ${n}`,
      );
    };
    m("__new__", (a, kw) => {
      if (a.length > 2)
        vm.raise("TypeError", `deque() takes at most 2 arguments (${a.length} given)`);
      const iterable = a[0] ?? kw?.get("iterable");
      const maxArg = a[1] ?? kw?.get("maxlen");
      for (const k of kw?.keys() ?? [])
        if (k !== "iterable" && k !== "maxlen")
          vm.raise("TypeError", `deque() got an unexpected keyword argument '${k}'`);
      let maxlen = -1;
      if (maxArg !== undefined && maxArg !== py.none) {
        const k = vm.kindOf(maxArg);
        if (k !== "int" && k !== "bool") vm.raise("TypeError", "an integer is required");
        maxlen = Number(vm.intOf(maxArg));
        if (maxlen < 0) vm.raise("ValueError", "maxlen must be non-negative");
      }
      const d = this.create(maxlen);
      if (iterable !== undefined) {
        try {
          this.extend(d, iterable);
        } catch (error) {
          py.decref(d);
          throw error;
        }
      }
      return d;
    });
    m("append", (a) => {
      argc("append", a, 1, 1);
      py.incref(a[1]!);
      this.append(a[0]!, a[1]!);
      return none();
    });
    m("appendleft", (a) => {
      argc("appendleft", a, 1, 1);
      py.incref(a[1]!);
      this.appendleft(a[0]!, a[1]!);
      return none();
    });
    m("pop", (a) => {
      argc("pop", a, 0, 0);
      return this.pop(a[0]!);
    });
    m("popleft", (a) => {
      argc("popleft", a, 0, 0);
      return this.popleft(a[0]!);
    });
    m("extend", (a) => {
      argc("extend", a, 1, 1);
      this.extend(a[0]!, a[1]!);
      return none();
    });
    m("extendleft", (a) => {
      argc("extendleft", a, 1, 1);
      this.extend(a[0]!, a[1]!, true);
      return none();
    });
    m("clear", (a) => {
      argc("clear", a, 0, 0);
      this.clear(a[0]!);
      return none();
    });
    m("copy", (a) => {
      argc("copy", a, 0, 0);
      return this.copy(a[0]!);
    });
    m("__copy__", (a) => this.copy(a[0]!));
    m("rotate", (a) => {
      argc("rotate", a, 0, 1);
      this.rotate(a[0]!, a[1] === undefined ? 1 : this.#int(a[1]));
      return none();
    });
    m("reverse", (a) => {
      argc("reverse", a, 0, 0);
      const d = a[0]!;
      const n = this.length(d);
      const u = py.memory.u32;
      for (let i = 0, j = n - 1; i < j; i++, j--) {
        const x = this.#slotOf(d, i);
        const y = this.#slotOf(d, j);
        const tmp = u[x]!;
        u[x] = u[y]!;
        u[y] = tmp;
      }
      return none();
    });
    m("count", (a) => {
      argc("count", a, 1, 1);
      let count = 0;
      this.#scan(a[0]!, 0, this.length(a[0]!), (item) => {
        if (item === a[1] || b.equal(item, a[1]!)) count++;
        return false;
      });
      return py.intFromSsize(count);
    });
    m("index", (a) => {
      argc("index", a, 1, 3);
      const d = a[0]!;
      const n = this.length(d);
      const bound = (o: Ref | undefined, fallback: number) => {
        if (o === undefined) return fallback;
        let i = this.#int(o);
        if (i < 0) i = Math.max(0, i + n);
        return Math.min(i, n);
      };
      const start = bound(a[2], 0);
      const stop = bound(a[3], n);
      const at = this.#scan(d, start, stop, (item) => item === a[1] || b.equal(item, a[1]!));
      if (at < 0) vm.raise("ValueError", `${b.reprOf(a[1]!)} is not in deque`);
      return py.intFromSsize(at);
    });
    m("remove", (a) => {
      argc("remove", a, 1, 1);
      const d = a[0]!;
      const at = this.#scan(d, 0, this.length(d), (item) => item === a[1] || b.equal(item, a[1]!));
      if (at < 0) vm.raise("ValueError", `${b.reprOf(a[1]!)} is not in deque`);
      this.deleteAt(d, at);
      return none();
    });
    m("insert", (a) => {
      argc("insert", a, 2, 2);
      const d = a[0]!;
      const index = this.#int(a[1]!);
      const v = a[2]!;
      const n = this.length(d);
      if (this.#maxlen(d) === n) vm.raise("IndexError", "deque already at its maximum size");
      py.incref(v);
      if (index >= n) this.append(d, v);
      else if (index <= -n || index === 0) this.appendleft(d, v);
      else {
        this.rotate(d, -index);
        if (index < 0) this.append(d, v);
        else this.appendleft(d, v);
        this.rotate(d, index);
      }
      return none();
    });
    m("__len__", (a) => py.intFromSsize(this.length(a[0]!)));
    m("__iter__", (a) => this.iter(a[0]!, false));
    m("__reversed__", (a) => this.iter(a[0]!, true));
    m("__contains__", (a) => {
      const d = a[0]!;
      const at = this.#scan(d, 0, this.length(d), (item) => item === a[1] || b.equal(item, a[1]!));
      return py.bool(at >= 0);
    });
    m("__getitem__", (a) => py.newRef(this.itemAt(a[0]!, this.#index(a[0]!, a[1]!))));
    m("__setitem__", (a) => {
      const d = a[0]!;
      const slot = this.#slotOf(d, this.#index(d, a[1]!));
      const u = py.memory.u32;
      const old = u[slot]!;
      py.incref(a[2]!);
      py.memory.u32[slot] = a[2]!;
      py.decref(old);
      return none();
    });
    m("__delitem__", (a) => {
      this.deleteAt(a[0]!, this.#index(a[0]!, a[1]!));
      return none();
    });
    m("__sizeof__", (a) => py.intFromSsize(py.sizeof(a[0]!) - 16));
    m("__bool__", (a) => py.bool(this.length(a[0]!) > 0));
  }
}
