/**
 * A map from heap addresses to two 32-bit words, kept in typed arrays: open addressing with
 * linear probing and backward-shift deletion, so no tombstones pile up over a long run. It holds
 * side facts of heap blocks (a values block's capacity and class) that the block's own bytes have
 * no room for, where a `Map` would box one entry object per block: a million instances made and
 * freed cost a million of those, and the garbage collector's time to sweep them.
 *
 * Keys are non-zero addresses (0 marks an empty slot); values are unsigned 32-bit.
 */
export class AddressTable {
  #keys: Uint32Array;
  #first: Uint32Array;
  #second: Uint32Array;
  /** 32 − log2(slots): a key's home slot is the top bits of its multiplicative hash. */
  #shift: number;
  #size = 0;

  constructor(initialSlots = 1024) {
    let slots = 16;
    while (slots < initialSlots) slots *= 2;
    this.#keys = new Uint32Array(slots);
    this.#first = new Uint32Array(slots);
    this.#second = new Uint32Array(slots);
    this.#shift = 32 - Math.log2(slots);
  }

  /** The number of keys held. */
  get size(): number {
    return this.#size;
  }

  #home(key: number): number {
    // Addresses are 8-aligned: their low bits carry nothing.
    return Math.imul(key >>> 3, 0x9e3779b1) >>> this.#shift;
  }

  /** The slot holding `key`, or -1. */
  #find(key: number): number {
    const keys = this.#keys;
    const mask = keys.length - 1;
    for (let i = this.#home(key); ; i = (i + 1) & mask) {
      const k = keys[i]!;
      if (k === key) return i;
      if (k === 0) return -1;
    }
  }

  /** Whether `key` is held. */
  has(key: number): boolean {
    return this.#find(key >>> 0) >= 0;
  }

  /** The first word stored for `key`, or -1 when it is not held. */
  first(key: number): number {
    const i = this.#find(key >>> 0);
    return i < 0 ? -1 : this.#first[i]!;
  }

  /** The second word stored for `key`, or -1 when it is not held. */
  second(key: number): number {
    const i = this.#find(key >>> 0);
    return i < 0 ? -1 : this.#second[i]!;
  }

  /** Stores the two words for `key` (non-zero), replacing any it had. */
  set(key: number, first: number, second: number): void {
    const k = key >>> 0;
    if (k === 0) throw new RangeError("address 0 cannot be a key");
    if ((this.#size + 1) * 4 > this.#keys.length * 3) this.#grow();
    const keys = this.#keys;
    const mask = keys.length - 1;
    let i = this.#home(k);
    while (keys[i] !== 0 && keys[i] !== k) i = (i + 1) & mask;
    if (keys[i] === 0) this.#size++;
    keys[i] = k;
    this.#first[i] = first;
    this.#second[i] = second;
  }

  /** Removes `key`; returns whether it was held. */
  delete(key: number): boolean {
    let i = this.#find(key >>> 0);
    if (i < 0) return false;
    const keys = this.#keys;
    const mask = keys.length - 1;
    keys[i] = 0;
    this.#size--;
    // Backward shift: a later key of the run moves into the hole unless its home lies
    // cyclically after the hole and at or before its own slot (then it is already reachable).
    for (let j = (i + 1) & mask; keys[j] !== 0; j = (j + 1) & mask) {
      const k = keys[j]!;
      const h = this.#home(k);
      const stays = i <= j ? i < h && h <= j : i < h || h <= j;
      if (stays) continue;
      keys[i] = k;
      this.#first[i] = this.#first[j]!;
      this.#second[i] = this.#second[j]!;
      keys[j] = 0;
      i = j;
    }
    return true;
  }

  #grow(): void {
    const keys = this.#keys;
    const first = this.#first;
    const second = this.#second;
    const slots = keys.length * 2;
    this.#keys = new Uint32Array(slots);
    this.#first = new Uint32Array(slots);
    this.#second = new Uint32Array(slots);
    this.#shift--;
    this.#size = 0;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== 0) this.set(keys[i]!, first[i]!, second[i]!);
    }
  }
}
