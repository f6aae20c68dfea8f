// The virtual memory of one process: its VMAs (as the kernel's mm_struct keeps them), the page
// frames behind them, the brk and mmap rules, the stack's growth, and the checked accesses.
//
// Every VMA is backed by one contiguous run of Memory offsets, so a virtual address translates
// as `offset = address - (vma.start - vma.offset)`. VMAs are kept sorted by start in a JS array
// (the cold paths: map, unmap, protect) and mirrored into typed arrays that the checked accesses
// read (the hot path): one comparison against the last VMA hit, then a binary search.

import { InvalidAddressError, invalidArgument, type Memory, OutOfMemoryError } from "@mm/heap";
import {
  type AccessKind,
  MMAP_MIN_ADDR,
  MMAP_MIN_GAP,
  PAGE_SIZE,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  type SegmentKind,
  STACK_GUARD_GAP,
  TASK_SIZE,
} from "../api.js";
import {
  InvalidVirtualAddressError,
  LayoutCorruptionError,
  permsString,
  SegmentationFault,
  vhex,
} from "../errors.js";
import { FrameAllocator } from "./frame-allocator.js";

/** Who may unmap a VMA: the loader's segments and the stack belong to the process itself. */
export const Owner = {
  /** Text, rodata, data, bss and the stack: never unmapped. */
  Image: 0,
  /** Mapped by the program through `mmap` or `sbrk`. */
  User: 1,
  /** Handed out by the brk page source (the free store's regions). */
  BrkSource: 2,
  /** Handed out by the mmap page source (arenas). */
  MmapSource: 3,
} as const;

/** A file mapped into the address space, as `/proc/PID/maps` identifies it. */
export interface MappedFile {
  readonly path: string;
  readonly deviceMajor: number;
  readonly deviceMinor: number;
  readonly inode: number;
}

/** A virtual memory area: a page-aligned range with one protection and one backing run. */
export interface Vma {
  start: number;
  end: number;
  /** The Memory offset that backs `start`. */
  offset: number;
  prot: number;
  kind: SegmentKind;
  owner: number;
  file: MappedFile | undefined;
  /** The file offset of `start`, for file-backed VMAs. */
  fileOffset: number;
  /** Set by `mmap(..., { name })`; shown as `[anon:name]`. */
  anonName: string | undefined;
}

const ACCESS_NAME: Record<number, AccessKind> = {
  [PROT_READ]: "read",
  [PROT_WRITE]: "write",
  [PROT_EXEC]: "execute",
};

export function pageDown(address: number): number {
  return Math.floor(address / PAGE_SIZE) * PAGE_SIZE;
}

export function pageUp(address: number): number {
  return Math.ceil(address / PAGE_SIZE) * PAGE_SIZE;
}

function checkAddress(what: string, address: number): void {
  if (!Number.isSafeInteger(address) || address < 0) {
    invalidArgument(`${what} must be a non-negative safe integer, got ${String(address)}`);
  }
}

function checkLength(what: string, length: number): void {
  if (!Number.isSafeInteger(length) || length < 0) {
    invalidArgument(`${what} must be a non-negative safe integer, got ${String(length)}`);
  }
}

/** Linux's `mmap_base` with randomisation off: the stack top less the clamped stack gap. */
export function mmapBaseFor(stackBytes: number): number {
  let gap = stackBytes + STACK_GUARD_GAP;
  const gapMax = Math.floor(TASK_SIZE / 6) * 5;
  if (gap < MMAP_MIN_GAP) gap = MMAP_MIN_GAP;
  else if (gap > gapMax) gap = gapMax;
  return pageUp(TASK_SIZE - gap);
}

export class VirtualMemory {
  readonly memory: Memory;
  readonly frames: FrameAllocator;
  /** Sorted by start, never overlapping. */
  readonly vmas: Vma[] = [];
  /** The stack ends here; its highest byte is `stackTop - 1`. */
  readonly stackTop = TASK_SIZE;
  /** RLIMIT_STACK. */
  readonly stackBytes: number;
  /** The lowest address the stack may grow to. */
  readonly stackLimit: number;
  /** The top of the mmap region; mappings are placed below it, highest first. */
  readonly mmapBase: number;
  /** The lowest address of the stack's VMAs. */
  stackStart: number;
  /** The stack's protection: rw-, or rwx when an ELF file's PT_GNU_STACK asks for it. */
  stackProt = PROT_READ | PROT_WRITE;
  /** `start_brk` and `brk`; the heap's pages are [startBrk, pageUp(brk)). */
  startBrk = 0;
  brk = 0;
  /** Byte ranges of bss that share a page with data, so faults there can say "bss". */
  readonly bssRanges: Array<{ start: number; end: number }> = [];

  // Mirrors for the hot path. Index 0 is a sentinel that contains no address; VMA k is at k + 1.
  starts = new Float64Array(16);
  ends = new Float64Array(16);
  /** `start - offset`: the offset of an address is `address - bases[i]`. */
  bases = new Float64Array(16);
  prots = new Uint8Array(16);
  /** The mirror index of the VMA that served the last access. */
  hit = 0;
  /** The number of VMAs in the mirrors. */
  #count = 0;
  /** The offset (into `memory.view` or the scratch view) the last slow access resolved to. */
  at = 0;
  readonly scratch = new DataView(new ArrayBuffer(8));
  readonly #scratchBytes = new Uint8Array(this.scratch.buffer);

  /** Offset ends of the page sources' VMAs: a new chunk must never start at one of them. */
  readonly brkSourceEnds = new Set<number>();
  readonly mmapSourceEnds = new Set<number>();
  /** VMAs sorted by offset, rebuilt when needed, for offset-to-address translation. */
  #byOffset: Vma[] | undefined;

  constructor(memory: Memory, stackBytes: number, firstFrame?: number) {
    this.memory = memory;
    this.frames = new FrameAllocator(memory, firstFrame);
    this.stackBytes = stackBytes;
    this.stackLimit = this.stackTop - stackBytes;
    this.stackStart = this.stackTop;
    this.mmapBase = mmapBaseFor(stackBytes);
  }

  // ---- the VMA table --------------------------------------------------------------------

  /** The index of the VMA containing `address`, or -1. */
  indexOf(address: number): number {
    const vmas = this.vmas;
    let lo = 0;
    let hi = vmas.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (vmas[mid]!.start <= address) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && address < vmas[lo - 1]!.end ? lo - 1 : -1;
  }

  /** The index of the first VMA that starts at or above `address`. */
  indexAbove(address: number): number {
    const vmas = this.vmas;
    let lo = 0;
    let hi = vmas.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (vmas[mid]!.start < address) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Inserts a VMA that overlaps none; call `rebuild()` after a batch of changes. */
  insert(vma: Vma): void {
    this.vmas.splice(this.indexAbove(vma.start), 0, vma);
  }

  /** Makes `address` a VMA boundary by splitting the VMA that contains it. */
  splitAt(address: number): void {
    const i = this.indexOf(address);
    if (i < 0) return;
    const vma = this.vmas[i]!;
    if (vma.start === address) return;
    const delta = address - vma.start;
    this.vmas.splice(i + 1, 0, {
      ...vma,
      start: address,
      offset: vma.offset + delta,
      fileOffset: vma.file ? vma.fileOffset + delta : 0,
    });
    vma.end = address;
  }

  /** The VMAs that intersect [start, end), in order. */
  within(start: number, end: number): Vma[] {
    const out: Vma[] = [];
    let i = this.indexOf(start);
    if (i < 0) i = this.indexAbove(start);
    for (; i < this.vmas.length && this.vmas[i]!.start < end; i++) out.push(this.vmas[i]!);
    return out;
  }

  /** Unmaps [start, end) and gives its frames back. */
  removeRange(start: number, end: number): void {
    this.splitAt(start);
    this.splitAt(end);
    for (let i = this.vmas.length - 1; i >= 0; i--) {
      const vma = this.vmas[i]!;
      if (vma.start >= start && vma.end <= end) {
        this.frames.release(vma.offset, vma.end - vma.start);
        this.vmas.splice(i, 1);
      }
    }
  }

  /** Sets the protection of every page in [start, end), which must be mapped. */
  protect(start: number, end: number, prot: number): void {
    this.splitAt(start);
    this.splitAt(end);
    for (const vma of this.within(start, end)) vma.prot = prot;
  }

  /** Whether every page of [start, end) is mapped. */
  isMapped(start: number, end: number): boolean {
    let a = start;
    for (const vma of this.within(start, end)) {
      if (vma.start > a) return false;
      a = vma.end;
    }
    return a >= end;
  }

  /** Merges neighbours that the kernel would keep as one VMA, then refreshes the mirrors. */
  rebuild(): void {
    const vmas = this.vmas;
    for (let i = vmas.length - 2; i >= 0; i--) {
      const a = vmas[i]!;
      const b = vmas[i + 1]!;
      if (
        a.end === b.start &&
        a.offset + (a.end - a.start) === b.offset &&
        a.prot === b.prot &&
        a.kind === b.kind &&
        a.owner === b.owner &&
        a.file === b.file &&
        (!a.file || a.fileOffset + (a.end - a.start) === b.fileOffset) &&
        a.anonName === b.anonName
      ) {
        a.end = b.end;
        vmas.splice(i + 1, 1);
      }
    }
    const n = vmas.length + 1;
    if (this.starts.length < n) {
      const capacity = Math.max(n, this.starts.length * 2);
      this.starts = new Float64Array(capacity);
      this.ends = new Float64Array(capacity);
      this.bases = new Float64Array(capacity);
      this.prots = new Uint8Array(capacity);
    }
    this.brkSourceEnds.clear();
    this.mmapSourceEnds.clear();
    for (let k = 0; k < vmas.length; k++) {
      const vma = vmas[k]!;
      this.starts[k + 1] = vma.start;
      this.ends[k + 1] = vma.end;
      this.bases[k + 1] = vma.start - vma.offset;
      this.prots[k + 1] = vma.prot;
      const offsetEnd = vma.offset + (vma.end - vma.start);
      if (vma.owner === Owner.BrkSource) this.brkSourceEnds.add(offsetEnd);
      if (vma.owner === Owner.MmapSource) this.mmapSourceEnds.add(offsetEnd);
    }
    for (let k = n; k < this.starts.length; k++) {
      this.starts[k] = 0;
      this.ends[k] = 0;
    }
    this.hit = 0;
    this.#count = vmas.length;
    this.#byOffset = undefined;
  }

  /** Maps fresh zeroed frames at [start, end), which must be unmapped. */
  mapFixed(
    start: number,
    end: number,
    prot: number,
    kind: SegmentKind,
    owner: number,
    file?: MappedFile,
    fileOffset = 0,
  ): boolean {
    const offset = this.frames.allocate(end - start);
    if (offset === 0) return false;
    this.insert({
      start,
      end,
      offset,
      prot,
      kind,
      owner,
      file,
      fileOffset: file ? fileOffset : 0,
      anonName: undefined,
    });
    return true;
  }

  // ---- translation ----------------------------------------------------------------------

  /** The Memory offset that backs `address`, or -1 if it is unmapped. */
  toOffset(address: number): number {
    const i = this.indexOf(address);
    if (i < 0) return -1;
    const vma = this.vmas[i]!;
    return vma.offset + (address - vma.start);
  }

  /** The VMA whose backing contains `offset`, or undefined. */
  vmaAtOffset(offset: number): Vma | undefined {
    if (!this.#byOffset) this.#byOffset = [...this.vmas].sort((a, b) => a.offset - b.offset);
    const sorted = this.#byOffset;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]!.offset <= offset) lo = mid + 1;
      else hi = mid;
    }
    const vma = sorted[lo - 1];
    return vma && offset < vma.offset + (vma.end - vma.start) ? vma : undefined;
  }

  /** The virtual address that `offset` backs, or -1. */
  toVirtual(offset: number): number {
    const vma = this.vmaAtOffset(offset);
    return vma ? vma.start + (offset - vma.offset) : -1;
  }

  /** What a fault at `address` in `vma` names as its segment. */
  segmentName(vma: Vma, address: number): string {
    if (vma.kind === "data") {
      for (const range of this.bssRanges) {
        if (address >= range.start && address < range.end) return "bss";
      }
    }
    return vma.kind;
  }

  // ---- checked access ----------------------------------------------------------------------
  //
  // The fast path needs the access to fall in the VMA the previous access used; anything else
  // (another VMA, a fault, a range that spans VMAs, the stack's growth area) takes `check`.

  /**
   * The Memory offset of `address` when one VMA holds the whole access and allows it, else -1
   * (then `check` finds out why). First the VMA of the previous access, then a binary search
   * of the mirrors; both are plain comparisons on typed arrays.
   */
  fastOffset(address: number, length: number, access: number): number {
    const i = this.hit;
    const offset = address - this.bases[i]!;
    if (
      address >= this.starts[i]! &&
      address + length <= this.ends[i]! &&
      (this.prots[i]! & access) !== 0 &&
      offset >>> 0 === offset
    ) {
      return offset;
    }
    return this.#search(address, length, access);
  }

  #search(address: number, length: number, access: number): number {
    const starts = this.starts;
    let lo = 1;
    let hi = this.#count + 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= address) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1;
    const offset = address - this.bases[i]!;
    if (
      i > 0 &&
      address + length <= this.ends[i]! &&
      (this.prots[i]! & access) !== 0 &&
      offset >>> 0 === offset
    ) {
      this.hit = i;
      return offset;
    }
    return -1;
  }

  /** The view to read `length` bytes at `address` from, at offset `this.at`. */
  readView(address: number, length: number): DataView {
    const offset = this.fastOffset(address, length, PROT_READ);
    if (offset >= 0) {
      this.at = offset;
      return this.memory.view;
    }
    return this.slowRead(address, length);
  }

  /** The view to write `length` bytes at `address` to; if it is `scratch`, call `scatter`. */
  writeView(address: number, length: number): DataView {
    const offset = this.fastOffset(address, length, PROT_WRITE);
    if (offset >= 0) {
      this.at = offset;
      return this.memory.view;
    }
    return this.slowWrite(address, length);
  }

  /**
   * Checks that `access` may touch [address, address + length), growing the stack the way the
   * kernel's fault handler does when the range lies between the stack and its limit.
   * @returns the mirror index of the one VMA that holds the whole range, or -1 when the range
   *   spans several VMAs (all of which allow the access).
   * @throws SegmentationFault, with nothing changed.
   */
  check(address: number, length: number, access: number): number {
    checkAddress("address", address);
    const end = address + length;
    let a = address;
    let single = -1;
    let growTo = -1;
    while (a < end) {
      const i = this.indexOf(a);
      if (i < 0) {
        if (a >= this.stackLimit && a < this.stackStart && (this.stackProt & access) !== 0) {
          if (growTo < 0) growTo = pageDown(a);
          a = this.stackStart;
          continue;
        }
        throw this.#fault(address, a, length, access, undefined);
      }
      const vma = this.vmas[i]!;
      if ((vma.prot & access) === 0) throw this.#fault(address, a, length, access, vma);
      if (a === address && end <= vma.end) single = i + 1;
      a = vma.end;
    }
    if (growTo >= 0) {
      this.growStack(growTo);
      return this.check(address, length, access);
    }
    return single;
  }

  #fault(
    address: number,
    faultAddress: number,
    length: number,
    access: number,
    vma: Vma | undefined,
  ): SegmentationFault {
    const kind = ACCESS_NAME[access]!;
    if (vma) {
      return new SegmentationFault(
        address,
        faultAddress,
        length,
        kind,
        this.segmentName(vma, faultAddress),
        permsString(vma.prot),
        "permission",
      );
    }
    const inGuard =
      faultAddress < this.stackLimit && faultAddress >= this.stackLimit - STACK_GUARD_GAP;
    return inGuard
      ? new SegmentationFault(
          address,
          faultAddress,
          length,
          kind,
          "stack guard gap",
          "---",
          "guard-gap",
        )
      : new SegmentationFault(address, faultAddress, length, kind, "unmapped", "---", "unmapped");
  }

  /** Resolves a read; returns the view to read at `this.at`. */
  slowRead(address: number, length: number): DataView {
    const i = this.check(address, length, PROT_READ);
    if (i > 0) {
      this.hit = i;
      this.at = address - this.bases[i]!;
      return this.memory.view;
    }
    this.#copyOut(address, this.#scratchBytes.subarray(0, length));
    this.at = 0;
    return this.scratch;
  }

  /** Resolves a write; returns the view to write at `this.at` (then `scatter` if scratch). */
  slowWrite(address: number, length: number): DataView {
    const i = this.check(address, length, PROT_WRITE);
    if (i > 0) {
      this.hit = i;
      this.at = address - this.bases[i]!;
      return this.memory.view;
    }
    this.at = 0;
    return this.scratch;
  }

  /** Copies the scratch bytes of a write that spans VMAs to their places. */
  scatter(address: number, length: number): void {
    this.#copyIn(address, this.#scratchBytes.subarray(0, length));
  }

  /** Reads `length` bytes with a permission check (`PROT_READ` or `PROT_EXEC`). */
  readBytes(address: number, length: number, access: number): Uint8Array {
    checkLength("length", length);
    const out = new Uint8Array(length);
    if (length === 0) return out;
    this.check(address, length, access);
    this.#copyOut(address, out);
    return out;
  }

  /** Writes bytes with a permission check. */
  writeBytes(address: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.check(address, bytes.length, PROT_WRITE);
    this.#copyIn(address, bytes);
  }

  /** Writes bytes the way the loader does, ignoring protections; the range must be mapped. */
  kernelWrite(address: number, bytes: Uint8Array): void {
    this.#copyIn(address, bytes);
  }

  /** Reads bytes ignoring protections; the range must be mapped. */
  kernelRead(address: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.#copyOut(address, out);
    return out;
  }

  #copyOut(address: number, out: Uint8Array): void {
    const u8 = this.memory.u8;
    let done = 0;
    while (done < out.length) {
      const vma = this.vmas[this.indexOf(address + done)]!;
      const from = vma.offset + (address + done - vma.start);
      const n = Math.min(out.length - done, vma.end - (address + done));
      out.set(u8.subarray(from, from + n), done);
      done += n;
    }
  }

  #copyIn(address: number, bytes: Uint8Array): void {
    const u8 = this.memory.u8;
    let done = 0;
    while (done < bytes.length) {
      const vma = this.vmas[this.indexOf(address + done)]!;
      const to = vma.offset + (address + done - vma.start);
      const n = Math.min(bytes.length - done, vma.end - (address + done));
      u8.set(bytes.subarray(done, done + n), to);
      done += n;
    }
  }

  // ---- the stack -------------------------------------------------------------------------

  /**
   * Maps stack pages down to `newStart` (page-aligned, at or above the limit). Nothing else is
   * ever mapped in [stackLimit - guard gap, stackTop), so only the Memory can refuse: then it
   * throws an OutOfMemoryError and nothing changes.
   */
  growStack(newStart: number): void {
    if (newStart >= this.stackStart) return;
    const bytes = this.stackStart - newStart;
    const lowest = this.vmas[this.indexAbove(this.stackStart)];
    let offset = 0;
    if (lowest && lowest.kind === "stack" && this.frames.allocateAt(lowest.offset - bytes, bytes)) {
      offset = lowest.offset - bytes;
    } else {
      offset = this.frames.allocate(bytes);
      if (offset === 0) {
        throw new OutOfMemoryError(bytes, "the Memory has no frames left for stack pages");
      }
    }
    this.insert({
      start: newStart,
      end: this.stackStart,
      offset,
      prot: this.stackProt,
      kind: "stack",
      owner: Owner.Image,
      file: undefined,
      fileOffset: 0,
      anonName: undefined,
    });
    this.stackStart = newStart;
    this.rebuild();
  }

  // ---- brk -------------------------------------------------------------------------------

  /** Whether any page in [start, end) belongs to `owner`. */
  ownsAny(start: number, end: number, owner: number): boolean {
    return this.within(start, end).some((vma) => vma.owner === owner);
  }

  /**
   * Moves the break to `newBrk` under Linux's rules: never below `start_brk`, and the heap's
   * last page must stay a page short of the next mapping (a guard gap short of the stack).
   * New pages belong to `owner`; their backing is extended in place when the frames after the
   * heap's last VMA are free. With `alignment` above a page, the offset backing `alignedAt`
   * (a virtual address inside the new pages) is a multiple of it.
   * @returns whether the break moved (false: nothing changed, as brk returns the old break).
   */
  setBreak(newBrk: number, owner: number, alignment = PAGE_SIZE, alignedAt = 0): boolean {
    if (!Number.isSafeInteger(newBrk) || newBrk < this.startBrk) return false;
    const oldTop = pageUp(this.brk);
    const newTop = pageUp(newBrk);
    if (newTop === oldTop) {
      this.brk = newBrk;
      return true;
    }
    if (newTop < oldTop) {
      this.removeRange(newTop, oldTop);
      this.rebuild();
      this.brk = newBrk;
      return true;
    }
    const next = this.vmas[this.indexAbove(oldTop)];
    const gapStart =
      !next || next.kind === "stack" ? this.stackLimit - STACK_GUARD_GAP : next.start;
    if (newTop + PAGE_SIZE > gapStart) return false;
    const bytes = newTop - oldTop;
    const skew = alignedAt > oldTop ? alignedAt - oldTop : 0;
    // Extend the backing of the heap's last VMA in place when the frames after it are free;
    // the new VMA then merges with it (unless an mprotect gave the old pages other rights).
    let offset = 0;
    const last = this.vmas[this.indexOf(oldTop - 1)];
    if (last && last.kind === "heap" && last.end === oldTop && last.owner === owner) {
      const lastEnd = last.offset + (last.end - last.start);
      if ((lastEnd + skew) % alignment === 0 && this.frames.allocateAt(lastEnd, bytes)) {
        offset = lastEnd;
      }
    }
    if (offset === 0) {
      const ends = owner === Owner.BrkSource ? this.brkSourceEnds : undefined;
      offset = this.frames.allocate(bytes, alignment, skew, ends && ((o) => ends.has(o)));
      if (offset === 0) return false;
    }
    this.insert({
      start: oldTop,
      end: newTop,
      offset,
      prot: PROT_READ | PROT_WRITE,
      kind: "heap",
      owner,
      file: undefined,
      fileOffset: 0,
      anonName: undefined,
    });
    this.rebuild();
    this.brk = newBrk;
    return true;
  }

  // ---- mmap --------------------------------------------------------------------------------

  /**
   * Linux's top-down placement (`unmapped_area_topdown`): the highest free, aligned range of
   * `size` bytes below `mmap_base`, at or above `mmap_min_addr`, clear of the stack's guard gap.
   * @returns its start, or -1.
   */
  findTopDown(size: number, alignment: number): number {
    let hi = this.mmapBase;
    for (let k = this.vmas.length - 1; k >= -1; k--) {
      const vma = k >= 0 ? this.vmas[k] : undefined;
      if (vma && vma.start >= hi) continue;
      const lo = vma ? Math.max(vma.end, MMAP_MIN_ADDR) : MMAP_MIN_ADDR;
      const at = Math.floor((hi - size) / alignment) * alignment;
      if (at >= lo) return at;
      if (!vma) break;
      hi = vma.start;
      if (hi <= MMAP_MIN_ADDR) break;
    }
    return -1;
  }

  /**
   * Whether [start, start + size) may take a new mapping: at or above mmap_min_addr, below the
   * stack's guard gap, overlapping nothing (the kernel's hint check). The model keeps the whole
   * range the stack may grow into free, where Linux would let a hint shorten the stack.
   */
  isFree(start: number, size: number): boolean {
    if (start < MMAP_MIN_ADDR || start + size > this.stackLimit - STACK_GUARD_GAP) return false;
    const i = this.indexAbove(start);
    const prev = this.vmas[i - 1];
    const next = this.vmas[i];
    return (!prev || prev.end <= start) && (!next || start + size <= next.start);
  }

  /**
   * Maps `size` bytes of zeroed anonymous memory top-down in the mmap region. For the mmap
   * page source the backing never starts where another of its chunks ends, so the free store
   * (which merges a chunk into the region whose offsets it continues) never merges two chunks
   * that are not neighbours in virtual memory. A `hint` (rounded up to a page) is taken when
   * that range is free, as Linux takes `mmap`'s address without MAP_FIXED.
   * @returns the virtual address, or -1 (`MAP_FAILED`).
   */
  mapAnonymous(
    size: number,
    prot: number,
    owner: number,
    alignment: number,
    anonName: string | undefined,
    hint = 0,
  ): number {
    const start =
      hint > 0 && this.isFree(pageUp(hint), size)
        ? pageUp(hint)
        : this.findTopDown(size, alignment);
    if (start < 0) return -1;
    const ends = owner === Owner.MmapSource ? this.mmapSourceEnds : undefined;
    const offset = this.frames.allocate(size, alignment, 0, ends && ((o) => ends.has(o)));
    if (offset === 0) return -1;
    this.insert({
      start,
      end: start + size,
      offset,
      prot,
      kind: "mmap",
      owner,
      file: undefined,
      fileOffset: 0,
      anonName,
    });
    this.rebuild();
    return start;
  }

  /** Checks the arguments of `munmap`/`mprotect` the way the kernel does (EINVAL). */
  checkRange(operation: string, address: number, length: number): number {
    checkAddress(`${operation} address`, address);
    checkLength(`${operation} length`, length);
    if (address % PAGE_SIZE !== 0) {
      throw new InvalidVirtualAddressError(
        operation,
        address,
        "misaligned",
        `the address is not a multiple of the page size (${PAGE_SIZE})`,
      );
    }
    const end = address + pageUp(length);
    if (end > TASK_SIZE) {
      throw new InvalidVirtualAddressError(
        operation,
        address,
        "out-of-range",
        `the range ends at ${vhex(end)}, past the end of user space ${vhex(TASK_SIZE)}`,
      );
    }
    return end;
  }

  // ---- page-source support -----------------------------------------------------------------

  /**
   * Validates a page source's `unmap(offset, bytes)`: aligned, and every page of it backing a
   * VMA of `owner`. Throws @mm/heap's InvalidAddressError (offsets are heap addresses).
   * @returns the VMAs' virtual pieces, in offset order.
   */
  sourcePieces(
    offset: number,
    bytes: number,
    owner: number,
  ): Array<{ start: number; end: number }> {
    if (offset % PAGE_SIZE !== 0) {
      throw new InvalidAddressError("unmap", offset, "misaligned", `page size is ${PAGE_SIZE}`);
    }
    const pieces: Array<{ start: number; end: number }> = [];
    let o = offset;
    const end = offset + bytes;
    while (o < end) {
      const vma = this.vmaAtOffset(o);
      if (!vma || vma.owner !== owner) {
        throw new InvalidAddressError(
          "unmap",
          o,
          "unmapped",
          `the range [${o}, ${end}) is not wholly mapped by this page source`,
        );
      }
      const start = vma.start + (o - vma.offset);
      const n = Math.min(end - o, vma.end - start);
      pieces.push({ start, end: start + n });
      o += n;
    }
    return pieces;
  }

  // ---- verify --------------------------------------------------------------------------------

  /** Checks the VMA table, the mirrors and the frames; throws LayoutCorruptionError. */
  verify(): void {
    const fail = (structure: string, at: number, message: string): never => {
      throw new LayoutCorruptionError(structure, at, message);
    };
    let mappedBytes = 0;
    const runs: Array<[number, number]> = [];
    for (let k = 0; k < this.vmas.length; k++) {
      const vma = this.vmas[k]!;
      if (vma.start % PAGE_SIZE !== 0 || vma.end % PAGE_SIZE !== 0 || vma.end <= vma.start) {
        fail(
          "VMA table",
          vma.start,
          `VMA [${vhex(vma.start)}, ${vhex(vma.end)}) is not page-aligned and non-empty`,
        );
      }
      if (vma.start < MMAP_MIN_ADDR || vma.end > TASK_SIZE) {
        fail("VMA table", vma.start, "a VMA lies outside user space");
      }
      const prev = this.vmas[k - 1];
      if (prev && prev.end > vma.start)
        fail("VMA table", vma.start, "VMAs overlap or are out of order");
      if (
        this.starts[k + 1] !== vma.start ||
        this.ends[k + 1] !== vma.end ||
        this.bases[k + 1] !== vma.start - vma.offset ||
        this.prots[k + 1] !== vma.prot
      ) {
        fail("access mirrors", vma.start, "the typed-array mirror disagrees with the VMA table");
      }
      mappedBytes += vma.end - vma.start;
      runs.push([vma.offset, vma.offset + (vma.end - vma.start)]);
      if (vma.kind === "stack" && (vma.start < this.stackLimit || vma.end > this.stackTop)) {
        fail("stack", vma.start, "a stack VMA lies outside [limit, top)");
      }
      if (vma.kind !== "stack" && vma.end > this.stackLimit - STACK_GUARD_GAP) {
        fail("stack", vma.start, "a mapping lies in the stack's range or its guard gap");
      }
      if (vma.kind === "heap" && (vma.start < this.startBrk || vma.end > pageUp(this.brk))) {
        fail("heap", vma.start, "a heap VMA lies outside [start_brk, brk)");
      }
    }
    if (mappedBytes !== this.frames.usedBytes) {
      fail(
        "page frames",
        0,
        `VMAs map ${mappedBytes} bytes but ${this.frames.usedBytes} bytes of frames are in use`,
      );
    }
    for (const hole of this.frames.holes()) runs.push([hole.start, hole.end]);
    runs.sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < runs.length; k++) {
      if (runs[k]![0] < runs[k - 1]![1]) {
        fail("page frames", runs[k]![0], "two VMAs (or a VMA and a free run) share a frame");
      }
    }
  }
}
