// The constants area: values interned into rodata, one copy per value (same value, same
// address), as a linker merges identical string literals. The loader writes them; the program
// can only read them. Once the process has started no new constant can be added.

import { invalidArgument, OutOfMemoryError } from "@mm/heap";
import type { Constant } from "../api.js";
import { ConstantsSealedError, LayoutCorruptionError } from "../errors.js";
import type { VirtualMemory } from "./vm.js";

const TWO_64 = 1n << 64n;
const MIN_I64 = -(1n << 63n);

/** The bytes a constant is stored as, its alignment and its identity. */
function encode(value: Constant): { bytes: Uint8Array; align: number; key: string } {
  if (typeof value === "string") {
    if (value.includes("\0")) invalidArgument("a string constant cannot contain NUL");
    return { bytes: new TextEncoder().encode(`${value}\0`), align: 1, key: `s${value}` };
  }
  if (typeof value === "number") {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, true);
    return { bytes, align: 8, key: `f${new DataView(bytes.buffer).getBigUint64(0, true)}` };
  }
  if (typeof value === "bigint") {
    if (value < MIN_I64 || value >= TWO_64) {
      invalidArgument(`a bigint constant must fit 64 bits, got ${value}`);
    }
    const bits = BigInt.asUintN(64, value);
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, bits, true);
    return { bytes, align: 8, key: `i${bits}` };
  }
  if (value instanceof Uint8Array) {
    let key = "b";
    for (const byte of value) key += String.fromCharCode(byte);
    return { bytes: value.slice(), align: 1, key };
  }
  return invalidArgument(
    `cannot intern a ${typeof value}: constants are strings, numbers, bigints or bytes`,
  );
}

export class ConstantPool {
  /** The first address of the area. */
  readonly start: number;
  /** Its size in bytes. */
  readonly capacity: number;
  #used = 0;
  #sealed = false;
  readonly #vm: VirtualMemory;
  readonly #addresses = new Map<string, number>();
  readonly #entries: Array<{ address: number; bytes: Uint8Array }> = [];

  constructor(vm: VirtualMemory, start: number, capacity: number) {
    this.#vm = vm;
    this.start = start;
    this.capacity = capacity;
  }

  /** Bytes taken by constants, alignment padding included. */
  get used(): number {
    return this.#used;
  }

  get sealed(): boolean {
    return this.#sealed;
  }

  /** The number of distinct constants. */
  get count(): number {
    return this.#entries.length;
  }

  /** The address of `value`, storing it first if it is new. */
  intern(value: Constant): number {
    const { bytes, align, key } = encode(value);
    const known = this.#addresses.get(key);
    if (known !== undefined) return known;
    if (this.#sealed) throw new ConstantsSealedError(describe(value));
    const offset = Math.ceil(this.#used / align) * align;
    if (offset + bytes.length > this.capacity) {
      throw new OutOfMemoryError(
        bytes.length,
        `the constants area is full: ${this.#used} of ${this.capacity} bytes used`,
      );
    }
    const address = this.start + offset;
    this.#vm.kernelWrite(address, bytes);
    this.#used = offset + bytes.length;
    this.#addresses.set(key, address);
    this.#entries.push({ address, bytes });
    return address;
  }

  /** The address of `value` if it was interned, or undefined. */
  lookup(value: Constant): number | undefined {
    return this.#addresses.get(encode(value).key);
  }

  seal(): void {
    this.#sealed = true;
  }

  /** Checks that every constant still holds its bytes. */
  verify(): void {
    for (const { address, bytes } of this.#entries) {
      const now = this.#vm.kernelRead(address, bytes.length);
      if (now.some((byte, i) => byte !== bytes[i])) {
        throw new LayoutCorruptionError("constants area", address, "an interned constant changed");
      }
    }
  }
}

function describe(value: Constant): string {
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "bigint") return `the integer ${value}n`;
  if (typeof value === "number") return `the number ${value}`;
  return `${value.length} bytes`;
}
