// A process: its address space (VMAs over one Memory), its registers and call stack, its
// constants area, and @mm/heap's free store running over its brk heap. Every method that
// takes an address takes a 64-bit virtual address; allocators and page sources work in the
// Memory's 32-bit offsets, and `offsetOf` / `virtualAddressOf` translate between the two.

import { checkSize, FreeStore, InvalidAddressError, invalidArgument, Memory } from "@mm/heap";
import {
  type Constant,
  DEFAULT_CONSTANTS_BYTES,
  DEFAULT_STACK_BYTES,
  type FrameOptions,
  INITIAL_RFLAGS,
  INITIAL_STACK_BYTES,
  type MapsEntry,
  type MmapOptions,
  NON_PIE_TEXT_START,
  PAGE_SIZE,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  type ProcessOptions,
  type ProgramImage,
  type Registers,
  type SegmentSummary,
  type StackFrame,
  type Word,
} from "./api.js";
import { type ElfImage, parseElf } from "./elf.js";
import { BreakBelowStartError, InvalidVirtualAddressError, vhex } from "./errors.js";
import { CallStack } from "./internal/call-stack.js";
import { ConstantPool } from "./internal/constant-pool.js";
import { mapsEntries, segmentRows } from "./internal/describe.js";
import { elfSegments, imageSegments, type LoadedSegment, mapSegments } from "./internal/loader.js";
import { type MappedFile, Owner, pageUp, VirtualMemory } from "./internal/vm.js";
import { type BrkPageSource, BrkPages, type MmapPageSource, MmapPages } from "./page-sources.js";
import { renderMaps, renderSummary } from "./views.js";

/** Aligned accesses use the Memory's typed arrays when they are little-endian, as x86 is. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The initial stack: argc = 0, then the NULL ends of argv, envp and auxv (AT_NULL, 0). */
const INITIAL_STACK_DATA = 48;
const TWO_32 = 4294967296;

function isElfImage(image: ProgramImage | ElfImage): image is ElfImage {
  return "programHeaders" in image && "loads" in image && "bytes" in image;
}

function constantSize(value: Constant): number {
  if (typeof value === "string") return new TextEncoder().encode(value).length + 1;
  if (typeof value === "number" || typeof value === "bigint") return 16;
  return value instanceof Uint8Array ? value.length : 0;
}

/**
 * One x86-64 Linux process, with address-space randomisation off.
 *
 * @example
 * ```ts
 * const process = new Process({ code: new Uint8Array([0xc3]), constants: ["hello"] });
 * const hello = process.intern("hello");       // rodata, the same address every time
 * process.readCString(hello);                   // "hello"
 * const p = process.malloc(64);                 // the free store over the brk heap
 * process.writeU64(p, 42n);
 * process.pushFrame(process.entry, { args: [p], localsBytes: 32 });
 * process.popFrame();
 * console.log(process.maps());                  // /proc/PID/maps
 * ```
 */
export class Process {
  /** The process id shown in titles. */
  readonly pid: number;
  /** The Memory behind every mapped page; give it to anything that reads allocators' blocks. */
  readonly memory: Memory;
  /** The page source over the mmap region: give it to a pool allocator for its arenas. */
  readonly mmapPageSource: MmapPageSource;
  /** The page source over the brk heap: `map` is sbrk growth. */
  readonly brkPageSource: BrkPageSource;
  /** @mm/heap's FreeStore over the brk heap: malloc, in Memory offsets. */
  readonly freeStore: FreeStore;
  /** The path of the executable, shown in the maps table. */
  readonly path: string;
  /** The entry point (with the load bias added). */
  readonly entry: number;
  /** What was added to the ELF file's addresses (0 for a program image and for ET_EXEC). */
  readonly loadBias: number;
  /** The parsed ELF file, when the process was loaded from one. */
  readonly elf: ElfImage | undefined;

  readonly #vm: VirtualMemory;
  readonly #stack: CallStack;
  readonly #constants: ConstantPool | undefined;
  readonly #loaded: LoadedSegment[];
  readonly #mmapPages: MmapPages;
  readonly #brkPages: BrkPages;
  #started = false;

  /**
   * Loads a program image (text at 0x400000, rodata, data, bss) or a parsed ELF file, maps an
   * 8 MiB-limit stack, and sets rip to the entry point.
   * @throws InvalidArgumentError for bad options, ElfFormatError for an ELF file that does not
   *   fit the address space, OutOfMemoryError when the Memory cannot hold the image.
   */
  constructor(image: ProgramImage | ElfImage = {}, options: ProcessOptions = {}) {
    const pid = options.pid ?? 1;
    if (!Number.isSafeInteger(pid) || pid <= 0)
      invalidArgument(`pid must be a positive integer, got ${String(pid)}`);
    const stackRequest = options.stackBytes ?? DEFAULT_STACK_BYTES;
    if (!Number.isSafeInteger(stackRequest) || stackRequest < PAGE_SIZE || stackRequest > 2 ** 40) {
      invalidArgument(
        `stackBytes must be an integer in [${PAGE_SIZE}, 2^40], got ${String(stackRequest)}`,
      );
    }
    const stackBytes = pageUp(stackRequest);
    this.pid = pid;
    this.memory = options.memory ?? new Memory({ maximumBytes: 1 << 30 });
    this.path = options.path ?? "a.out";
    const file: MappedFile = {
      path: this.path,
      deviceMajor: options.deviceMajor ?? 0,
      deviceMinor: options.deviceMinor ?? 0,
      inode: options.inode ?? 0,
    };
    const reserved = options.reservedBytes ?? 0;
    if (
      !Number.isSafeInteger(reserved) ||
      reserved < 0 ||
      reserved % PAGE_SIZE !== 0 ||
      PAGE_SIZE + reserved > this.memory.maximumBytes
    ) {
      invalidArgument(
        `reservedBytes must be a whole number of ${PAGE_SIZE}-byte pages that the Memory can hold past its first page, got ${String(reserved)}`,
      );
    }
    const vm = new VirtualMemory(this.memory, stackBytes, PAGE_SIZE + reserved);
    this.#vm = vm;
    if (isElfImage(image)) {
      const { bias, segments } = elfSegments(image, options.loadBase, vm.mmapBase);
      if (image.executableStack) vm.stackProt |= PROT_EXEC;
      this.#loaded = mapSegments(vm, segments, file);
      if (options.relro ?? true) this.#applyRelro(image, bias);
      this.elf = image;
      this.loadBias = bias;
      this.entry = image.entry + bias;
      this.#constants = undefined;
    } else {
      const code = image.code ?? new Uint8Array([0xc3]);
      const data = image.data ?? new Uint8Array(0);
      const bssBytes = image.bssBytes ?? 0;
      if (!(code instanceof Uint8Array) || code.length === 0)
        invalidArgument("code must be a non-empty Uint8Array");
      if (!(data instanceof Uint8Array)) invalidArgument("data must be a Uint8Array");
      checkSize("bssBytes", bssBytes, 2 ** 40);
      const constants = image.constants ?? [];
      const needed = constants.reduce<number>((sum, value) => sum + constantSize(value), 0);
      const capacity = pageUp(
        Math.max(1, options.constantsBytes ?? Math.max(DEFAULT_CONSTANTS_BYTES, needed)),
      );
      const layout = imageSegments(code, data, bssBytes, capacity);
      this.#loaded = mapSegments(vm, layout.segments, file);
      this.#constants = new ConstantPool(vm, layout.rodataStart, capacity);
      for (const value of constants) this.#constants.intern(value);
      const entry = image.entry ?? NON_PIE_TEXT_START;
      if (
        !Number.isSafeInteger(entry) ||
        entry < NON_PIE_TEXT_START ||
        entry >= NON_PIE_TEXT_START + code.length
      ) {
        invalidArgument(
          `entry ${vhex(entry)} is not inside the ${code.length} bytes of text at ${vhex(NON_PIE_TEXT_START)}`,
        );
      }
      this.elf = undefined;
      this.loadBias = 0;
      this.entry = entry;
    }
    vm.growStack(vm.stackTop - Math.min(INITIAL_STACK_BYTES, stackBytes));
    this.#stack = new CallStack(vm, this.entry, vm.stackTop - INITIAL_STACK_DATA, INITIAL_RFLAGS);
    this.#mmapPages = new MmapPages(vm);
    this.#brkPages = new BrkPages(vm);
    this.mmapPageSource = this.#mmapPages;
    this.brkPageSource = this.#brkPages;
    this.freeStore = new FreeStore(this.brkPageSource, options.freeStore);
  }

  /** Reads and loads an ELF64 executable: `new Process(parseElf(bytes), options)`. */
  static fromElf(bytes: Uint8Array, options: ProcessOptions = {}): Process {
    return new Process(parseElf(bytes), options);
  }

  #applyRelro(elf: ElfImage, bias: number): void {
    const relro = elf.relro;
    if (!relro) return;
    // As glibc's _dl_protect_relro: both ends rounded down to a page.
    const start = Math.floor((relro.vaddr + bias) / PAGE_SIZE) * PAGE_SIZE;
    const end = Math.floor((relro.vaddr + bias + relro.memsz) / PAGE_SIZE) * PAGE_SIZE;
    if (start < end && this.#vm.isMapped(start, end)) {
      this.#vm.protect(start, end, PROT_READ);
      this.#vm.rebuild();
    }
  }

  // ---- layout --------------------------------------------------------------------------

  /** The end of the stack (its highest byte is one below). */
  get stackTop(): number {
    return this.#vm.stackTop;
  }

  /** The lowest address the stack may grow to: `stackTop - stackBytes`. */
  get stackLimit(): number {
    return this.#vm.stackLimit;
  }

  /** The stack size limit. */
  get stackBytes(): number {
    return this.#vm.stackBytes;
  }

  /** The lowest mapped stack address (the stack grows down to its limit as it is used). */
  get stackStart(): number {
    return this.#vm.stackStart;
  }

  /** `mmap_base`: mappings are placed below it, highest first. */
  get mmapBase(): number {
    return this.#vm.mmapBase;
  }

  /** `start_brk`: the first address of the heap. */
  get heapStart(): number {
    return this.#vm.startBrk;
  }

  /** The current program break (`sbrk(0)`). */
  get programBreak(): number {
    return this.#vm.brk;
  }

  // ---- checked accesses ----------------------------------------------------------------

  /** Reads a byte. @throws SegmentationFault if it is unmapped or not readable. */
  readU8(address: number): number {
    const vm = this.#vm;
    const offset = vm.fastOffset(address, 1, PROT_READ);
    if (offset >= 0) return vm.memory.u8[offset]!;
    return vm.slowRead(address, 1).getUint8(vm.at);
  }

  /** Reads a little-endian unsigned 16-bit integer (any alignment). */
  readU16(address: number): number {
    const vm = this.#vm;
    return vm.readView(address, 2).getUint16(vm.at, true);
  }

  /** Reads a little-endian unsigned 32-bit integer. */
  readU32(address: number): number {
    const vm = this.#vm;
    const offset = vm.fastOffset(address, 4, PROT_READ);
    if (offset >= 0 && (offset & 3) === 0 && LITTLE_ENDIAN) return vm.memory.u32[offset >>> 2]!;
    return vm.readView(address, 4).getUint32(vm.at, true);
  }

  /** Reads a little-endian signed 32-bit integer. */
  readI32(address: number): number {
    const vm = this.#vm;
    const offset = vm.fastOffset(address, 4, PROT_READ);
    if (offset >= 0 && (offset & 3) === 0 && LITTLE_ENDIAN) return vm.memory.i32[offset >>> 2]!;
    return vm.readView(address, 4).getInt32(vm.at, true);
  }

  /** Reads a little-endian unsigned 64-bit integer as a bigint. */
  readU64(address: number): bigint {
    const vm = this.#vm;
    return vm.readView(address, 8).getBigUint64(vm.at, true);
  }

  /**
   * Reads a little-endian unsigned 64-bit integer as a number (a pointer, a size).
   * @throws InvalidArgumentError if the value is 2^53 or more; use `readU64` for those.
   */
  readU64Number(address: number): number {
    const vm = this.#vm;
    let low: number;
    let high: number;
    const offset = vm.fastOffset(address, 8, PROT_READ);
    if (offset >= 0 && (offset & 3) === 0 && LITTLE_ENDIAN) {
      low = vm.memory.u32[offset >>> 2]!;
      high = vm.memory.u32[(offset >>> 2) + 1]!;
    } else {
      const view = vm.readView(address, 8);
      low = view.getUint32(vm.at, true);
      high = view.getUint32(vm.at + 4, true);
    }
    if (high >= 0x20_0000) {
      invalidArgument(
        `the 64-bit value at ${vhex(address)} is not a safe integer; read it with readU64`,
      );
    }
    return high * TWO_32 + low;
  }

  /** Reads a little-endian 32-bit float. */
  readF32(address: number): number {
    const vm = this.#vm;
    return vm.readView(address, 4).getFloat32(vm.at, true);
  }

  /** Reads a little-endian 64-bit float. */
  readF64(address: number): number {
    const vm = this.#vm;
    const offset = vm.fastOffset(address, 8, PROT_READ);
    if (offset >= 0 && (offset & 7) === 0 && LITTLE_ENDIAN) return vm.memory.f64[offset >>> 3]!;
    return vm.readView(address, 8).getFloat64(vm.at, true);
  }

  /** Reads `length` bytes into a new array; the range may span mappings. */
  readBytes(address: number, length: number): Uint8Array {
    return this.#vm.readBytes(address, length, PROT_READ);
  }

  /**
   * Reads a NUL-terminated UTF-8 string, as C's string functions do.
   * @throws InvalidArgumentError when no NUL comes within `maxBytes`.
   */
  readCString(address: number, maxBytes = 1 << 20): string {
    const bytes: number[] = [];
    for (let i = 0; i < maxBytes; i++) {
      const byte = this.readU8(address + i);
      if (byte === 0) return new TextDecoder().decode(new Uint8Array(bytes));
      bytes.push(byte);
    }
    return invalidArgument(`no NUL within ${maxBytes} bytes of ${vhex(address)}`);
  }

  /** Reads `length` bytes as instructions: the pages must be executable. */
  fetch(address: number, length: number): Uint8Array {
    return this.#vm.readBytes(address, length, PROT_EXEC);
  }

  /** Writes a byte (the value is taken modulo 2^8). @throws SegmentationFault, nothing written. */
  writeU8(address: number, value: number): void {
    const vm = this.#vm;
    const offset = vm.fastOffset(address, 1, PROT_WRITE);
    if (offset >= 0) {
      vm.memory.u8[offset] = value;
      return;
    }
    const view = vm.slowWrite(address, 1);
    view.setUint8(vm.at, value);
    if (view === vm.scratch) vm.scatter(address, 1);
  }

  /** Writes a little-endian 16-bit integer (modulo 2^16). */
  writeU16(address: number, value: number): void {
    const vm = this.#vm;
    const view = vm.writeView(address, 2);
    view.setUint16(vm.at, value, true);
    if (view === vm.scratch) vm.scatter(address, 2);
  }

  /** Writes a little-endian 32-bit integer (modulo 2^32). */
  writeU32(address: number, value: number): void {
    const vm = this.#vm;
    const offset = vm.fastOffset(address, 4, PROT_WRITE);
    if (offset >= 0 && (offset & 3) === 0 && LITTLE_ENDIAN) {
      vm.memory.u32[offset >>> 2] = value;
      return;
    }
    const view = vm.writeView(address, 4);
    view.setUint32(vm.at, value, true);
    if (view === vm.scratch) vm.scatter(address, 4);
  }

  /** Writes a little-endian signed 32-bit integer. */
  writeI32(address: number, value: number): void {
    const vm = this.#vm;
    const offset = vm.fastOffset(address, 4, PROT_WRITE);
    if (offset >= 0 && (offset & 3) === 0 && LITTLE_ENDIAN) {
      vm.memory.i32[offset >>> 2] = value;
      return;
    }
    const view = vm.writeView(address, 4);
    view.setInt32(vm.at, value, true);
    if (view === vm.scratch) vm.scatter(address, 4);
  }

  /** Writes a 64-bit integer: a bigint (modulo 2^64) or a safe integer (negative as two's complement). */
  writeU64(address: number, value: Word): void {
    if (typeof value === "number" && !Number.isSafeInteger(value)) {
      invalidArgument(`a 64-bit value given as a number must be a safe integer, got ${value}`);
    }
    const vm = this.#vm;
    const view = vm.writeView(address, 8);
    if (typeof value === "bigint") {
      view.setBigUint64(vm.at, BigInt.asUintN(64, value), true);
    } else {
      const high = Math.floor(value / TWO_32);
      view.setUint32(vm.at, value - high * TWO_32, true);
      view.setUint32(vm.at + 4, high >>> 0, true);
    }
    if (view === vm.scratch) vm.scatter(address, 8);
  }

  /** Writes a little-endian 32-bit float. */
  writeF32(address: number, value: number): void {
    const vm = this.#vm;
    const view = vm.writeView(address, 4);
    view.setFloat32(vm.at, value, true);
    if (view === vm.scratch) vm.scatter(address, 4);
  }

  /** Writes a little-endian 64-bit float. */
  writeF64(address: number, value: number): void {
    const vm = this.#vm;
    const offset = vm.fastOffset(address, 8, PROT_WRITE);
    if (offset >= 0 && (offset & 7) === 0 && LITTLE_ENDIAN) {
      vm.memory.f64[offset >>> 3] = value;
      return;
    }
    const view = vm.writeView(address, 8);
    view.setFloat64(vm.at, value, true);
    if (view === vm.scratch) vm.scatter(address, 8);
  }

  /** Writes bytes; the range may span mappings. Nothing is written if any byte would fault. */
  writeBytes(address: number, bytes: Uint8Array): void {
    this.#vm.writeBytes(address, bytes);
  }

  // ---- system calls ----------------------------------------------------------------------

  /**
   * The brk system call: asks for the break to move to `address`. Linux's rules: it never moves
   * below the start of the heap, grows and shrinks by whole pages, keeps a page clear of the
   * next mapping (and the guard gap clear of the stack), and never releases pages the brk page
   * source handed out.
   * @returns the new break on success, or the current break when it could not move (as the
   *   kernel returns; glibc's `brk()` turns that into -1/ENOMEM). `brk(0)` asks for the break.
   */
  brk(address: number): number {
    const vm = this.#vm;
    if (!Number.isSafeInteger(address) || address < vm.startBrk) return vm.brk;
    if (
      pageUp(address) < pageUp(vm.brk) &&
      vm.ownsAny(pageUp(address), pageUp(vm.brk), Owner.BrkSource)
    ) {
      return vm.brk;
    }
    vm.setBreak(address, Owner.User);
    return vm.brk;
  }

  /**
   * glibc's sbrk: moves the break by `increment` bytes.
   * @returns the old break, or -1 (`(void *) -1`, ENOMEM) when the heap cannot grow.
   * @throws BreakBelowStartError when the break would go below the start of the heap;
   *   InvalidVirtualAddressError when shrinking would release the brk page source's pages.
   */
  sbrk(increment: number): number {
    const vm = this.#vm;
    if (!Number.isSafeInteger(increment))
      invalidArgument(`increment must be a safe integer, got ${String(increment)}`);
    const old = vm.brk;
    const requested = old + increment;
    if (requested < vm.startBrk) throw new BreakBelowStartError(requested, vm.startBrk, increment);
    if (
      pageUp(requested) < pageUp(old) &&
      vm.ownsAny(pageUp(requested), pageUp(old), Owner.BrkSource)
    ) {
      throw new InvalidVirtualAddressError(
        "sbrk",
        requested,
        "not-owned",
        "shrinking the heap there would release pages the brk page source (the free store) holds",
      );
    }
    return vm.setBreak(requested, Owner.User) ? old : -1;
  }

  /**
   * Maps `length` bytes (rounded up to pages) of zeroed anonymous memory, top-down below
   * `mmap_base` at the highest free range, as Linux places a mapping without MAP_FIXED.
   * @param prot - PROT_READ | PROT_WRITE | PROT_EXEC, or PROT_NONE for a guard region.
   * @returns the address, or MAP_FAILED (-1) when no range or no Memory is left.
   * @throws InvalidArgumentError for a zero length or bad protection (EINVAL).
   */
  mmap(length: number, prot: number = PROT_READ | PROT_WRITE, options: MmapOptions = {}): number {
    if (!Number.isSafeInteger(length) || length <= 0) {
      invalidArgument(`mmap length must be a positive integer, got ${String(length)}`);
    }
    if (!Number.isInteger(prot) || prot < 0 || prot > 7) {
      invalidArgument(`prot must combine PROT_READ, PROT_WRITE and PROT_EXEC, got ${String(prot)}`);
    }
    const hint = options.address ?? 0;
    if (!Number.isSafeInteger(hint) || hint < 0) {
      invalidArgument(`the address hint must be a non-negative safe integer, got ${String(hint)}`);
    }
    return this.#vm.mapAnonymous(pageUp(length), prot, Owner.User, PAGE_SIZE, options.name, hint);
  }

  /**
   * Unmaps the pages of [address, address + length): Linux's rules (page-aligned address, the
   * length rounded up, unmapped pages in the range ignored). Only the program's own mmap
   * mappings may be unmapped here: the image, the heap, the stack and the page sources' chunks
   * are refused rather than pulled from under their owners.
   * @throws InvalidVirtualAddressError (misaligned, not-owned, out-of-range), nothing unmapped.
   */
  munmap(address: number, length: number): void {
    const vm = this.#vm;
    if (!Number.isSafeInteger(length) || length <= 0)
      invalidArgument(`munmap length must be a positive integer, got ${String(length)}`);
    const end = vm.checkRange("munmap", address, length);
    for (const vma of vm.within(address, end)) {
      if (vma.kind !== "mmap" || vma.owner !== Owner.User) {
        const what =
          vma.owner === Owner.MmapSource
            ? "an mmap page-source chunk"
            : vm.segmentName(vma, Math.max(vma.start, address));
        throw new InvalidVirtualAddressError(
          "munmap",
          address,
          "not-owned",
          `the range includes ${what} at ${vhex(Math.max(vma.start, address))}; only the program's own mmap mappings can be unmapped`,
        );
      }
    }
    vm.removeRange(address, end);
    vm.rebuild();
  }

  /**
   * Changes the protection of [address, address + length), splitting mappings as needed.
   * The constants area is sealed (as `mseal()` seals a mapping): its interned values stay
   * read-only whatever the program does.
   * @throws InvalidVirtualAddressError when the address is unaligned, a page is unmapped or
   *   the range touches the constants area (EINVAL, ENOMEM, EPERM); nothing changes.
   */
  mprotect(address: number, length: number, prot: number): void {
    const vm = this.#vm;
    if (!Number.isInteger(prot) || prot < 0 || prot > 7)
      invalidArgument(`prot must combine PROT_READ, PROT_WRITE and PROT_EXEC, got ${String(prot)}`);
    const end = vm.checkRange("mprotect", address, length);
    if (end === address) return;
    if (!vm.isMapped(address, end)) {
      throw new InvalidVirtualAddressError(
        "mprotect",
        address,
        "unmapped",
        `part of [${vhex(address)}, ${vhex(end)}) is not mapped`,
      );
    }
    const constants = this.#constants;
    if (constants && address < constants.start + constants.capacity && end > constants.start) {
      throw new InvalidVirtualAddressError(
        "mprotect",
        address,
        "sealed",
        "the range includes the constants area, which is sealed as mseal() seals a mapping (EPERM)",
      );
    }
    vm.protect(address, end, prot);
    vm.rebuild();
  }

  // ---- translation and the malloc family -------------------------------------------------

  /**
   * The Memory offset behind a virtual address (what allocators and page sources use).
   * @throws InvalidVirtualAddressError if the address is unmapped.
   */
  offsetOf(address: number): number {
    const offset = Number.isSafeInteger(address) ? this.#vm.toOffset(address) : -1;
    if (offset < 0)
      throw new InvalidVirtualAddressError(
        "offsetOf",
        address,
        "unmapped",
        "the address is not mapped",
      );
    return offset;
  }

  /**
   * The virtual address that a Memory offset backs (where an arena or a block lives).
   * @throws InvalidAddressError (from @mm/heap) if no mapping is backed by that offset.
   */
  virtualAddressOf(offset: number): number {
    const address = Number.isSafeInteger(offset) ? this.#vm.toVirtual(offset) : -1;
    if (address < 0)
      throw new InvalidAddressError(
        "access",
        offset,
        "unmapped",
        "no mapping is backed by this offset",
      );
    return address;
  }

  /** malloc over the brk heap: a virtual address, 16-byte aligned, or 0 when memory is exhausted. */
  malloc(size: number): number {
    return this.#toVirtualOrNull(this.freeStore.malloc(size));
  }

  /** calloc over the brk heap: `count * size` zeroed bytes, or 0. */
  calloc(count: number, size: number): number {
    return this.#toVirtualOrNull(this.freeStore.calloc(count, size));
  }

  /**
   * realloc over the brk heap; `realloc(0, size)` is `malloc(size)`.
   * @returns the (possibly moved) block, or 0 with the old block intact.
   * @throws InvalidVirtualAddressError for an address that is not a live block.
   */
  realloc(address: number, size: number): number {
    if (address === 0) return this.malloc(size);
    const offset = this.#heapOffset("realloc", address);
    return this.#toVirtualOrNull(
      this.#heapCall("realloc", address, () => this.freeStore.realloc(offset, size)),
    );
  }

  /**
   * free over the brk heap; `free(0)` does nothing.
   * @throws InvalidVirtualAddressError for an address that is not a live block (a double free
   *   keeps @mm/heap's `ERR_MM_DOUBLE_FREE` code); the heap is unchanged.
   */
  free(address: number): void {
    if (address === 0) return;
    const offset = this.#heapOffset("free", address);
    this.#heapCall("free", address, () => this.freeStore.free(offset));
  }

  #toVirtualOrNull(offset: number): number {
    return offset === 0 ? 0 : this.#vm.toVirtual(offset);
  }

  #heapOffset(operation: string, address: number): number {
    const vm = this.#vm;
    const i = Number.isSafeInteger(address) ? vm.indexOf(address) : -1;
    const vma = i >= 0 ? vm.vmas[i]! : undefined;
    if (!vma || vma.owner !== Owner.BrkSource) {
      throw new InvalidVirtualAddressError(
        operation,
        address,
        "not-owned",
        "the address is not in the free store's part of the heap",
      );
    }
    return vma.offset + (address - vma.start);
  }

  #heapCall<T>(operation: string, address: number, call: () => T): T {
    try {
      return call();
    } catch (error) {
      if (!(error instanceof InvalidAddressError)) throw error;
      throw new InvalidVirtualAddressError(operation, address, error.reason, error.message, {
        code: error.code,
        cause: error,
      });
    }
  }

  // ---- registers and the stack ------------------------------------------------------------

  /** The instruction pointer. */
  get rip(): number {
    return this.#stack.rip;
  }

  /** The stack pointer. */
  get rsp(): number {
    return this.#stack.rsp;
  }

  /** The frame pointer (0 outside every frame, which ends the frame chain). */
  get rbp(): number {
    return this.#stack.rbp;
  }

  /** The flags register. */
  get rflags(): number {
    return this.#stack.rflags;
  }

  /** A snapshot of the registers. */
  registers(): Registers {
    const s = this.#stack;
    return { rip: s.rip, rsp: s.rsp, rbp: s.rbp, rflags: s.rflags };
  }

  /** Frames on the stack. */
  get depth(): number {
    return this.#stack.depth;
  }

  /** The frames on the stack, outermost first. */
  frames(): StackFrame[] {
    return this.#stack.frames();
  }

  /**
   * Calls `target`: pushes the arguments (right to left), the return address and rbp, and
   * makes room for the locals, exactly as the System V x86-64 call sequence does.
   * @throws StackOverflowError when the frame would pass the stack limit; SegmentationFault
   *   when `target` is not executable. The stack and registers are unchanged on any error.
   */
  pushFrame(target: number, options: FrameOptions = {}): StackFrame {
    return this.#stack.pushFrame(target, options);
  }

  /**
   * Returns from the innermost frame (`leave; ret`, then the caller pops the arguments).
   * @throws StackUnderflowError with no frame; LayoutCorruptionError when the saved rbp or
   *   return address in memory was overwritten ("stack smashing detected"); SegmentationFault
   *   when the return address is not executable. Nothing changes on any error.
   */
  popFrame(): StackFrame {
    return this.#stack.popFrame();
  }

  /**
   * Abandons the innermost frame without returning from it, as a `longjmp` past it does: rsp and
   * rbp come back to the caller's values as the frame recorded them at its push, nothing is read
   * from the stack (its saved words may be smashed), and rip stays where it is. For a frame whose
   * `popFrame` faulted, so that the stack still holds only the frames of unfinished calls.
   * @throws StackUnderflowError with no frame.
   */
  unwindFrame(): StackFrame {
    return this.#stack.unwindFrame();
  }

  /** `push`: stores a 64-bit word below rsp. @throws StackOverflowError past the limit. */
  push(value: Word): void {
    this.#stack.push(value);
  }

  /** `pop`: the last word pushed in the current frame. @throws StackUnderflowError if none. */
  pop(): bigint {
    return this.#stack.pop();
  }

  /** `jmp`: sets rip. @throws SegmentationFault if `target` is not executable. */
  jump(target: number): void {
    this.#stack.jump(target);
  }

  // ---- constants -----------------------------------------------------------------------------

  /**
   * Interns a constant into rodata: a string (UTF-8, NUL-terminated), a number (float64), a
   * bigint (64-bit) or bytes. The same value always gets the same address.
   * @throws ConstantsSealedError for a new value after `start()`; OutOfMemoryError when the
   *   constants area is full; InvalidArgumentError when the process was loaded from ELF.
   */
  intern(value: Constant): number {
    return this.#constantPool().intern(value);
  }

  /** The address of an interned constant, or undefined. */
  constantAddress(value: Constant): number | undefined {
    return this.#constantPool().lookup(value);
  }

  /** The constants area: where it is, its capacity and the bytes used. */
  get constantsArea(): { start: number; capacity: number; used: number } | undefined {
    const pool = this.#constants;
    return pool && { start: pool.start, capacity: pool.capacity, used: pool.used };
  }

  #constantPool(): ConstantPool {
    if (!this.#constants)
      invalidArgument("a process loaded from an ELF file has no constants area");
    return this.#constants;
  }

  /** Ends loading: the constants area becomes sealed (lookups still work). */
  start(): void {
    this.#started = true;
    this.#constants?.seal();
  }

  /** Whether `start()` was called. */
  get started(): boolean {
    return this.#started;
  }

  // ---- views -------------------------------------------------------------------------------

  /** The mappings as `/proc/PID/maps` lists them, lowest first. */
  mappings(): MapsEntry[] {
    return mapsEntries(this.#vm);
  }

  /** The `/proc/PID/maps` text, in the kernel's exact column format. */
  maps(): string {
    return renderMaps(this.mappings());
  }

  /** One row per segment, lowest first: size, bytes used and permissions. */
  segments(): SegmentSummary[] {
    return segmentRows(this.#vm, {
      loaded: this.#loaded,
      constants: this.#constants,
      liveHeapBytes: this.freeStore.stats().liveBytes,
      mmapSourceBytes: this.#mmapPages.mappedBytes,
      rsp: this.#stack.rsp,
      depth: this.#stack.depth,
    });
  }

  /** The per-segment summary as a text table, highest segment first. */
  summary(): string {
    return renderSummary(this.segments());
  }

  // ---- consistency ----------------------------------------------------------------------------

  /**
   * Checks every structure: the VMA table and its mirrors, the page frames, the registers
   * and the frame chain in memory, the constants, the page sources and the free store.
   * @throws LayoutCorruptionError (a HeapCorruptionError) naming the first broken one.
   */
  verify(): void {
    this.#vm.verify();
    this.#stack.verify();
    this.#constants?.verify();
    this.#brkPages.verify();
    this.#mmapPages.verify();
    this.freeStore.verify();
  }
}
