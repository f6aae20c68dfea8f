// A measurement, not the runtime's free path: what a death costs when the whole release of a
// list of empty lists (each item's decref, its unlink from the GC list, the object space's live
// bit and counts, pymalloc's live bit and pool header) runs as WebAssembly over the heap's
// memory, on the object space's and pymalloc's own live bitmaps (side tables of the memory,
// `liveBitsAddress`). Two runtimes build the same shapes at the same addresses; one drops them
// by reference count, the other through the kernel; the object and pool-header words the kernel
// writes, and both live bitmaps, are then compared with the first one's, and the kernel's own
// instructions are what callgrind's code map gives its functions. The counts the kernel keeps
// in its scratch words (live objects, deaths) are not given back to the runtime, nor are pools
// relinked: the runtime that the kernel ran in is only compared, never used again.
//
//   node --import tsx bench/death-wasm.mts 20000 2 both [memory|callout]    # the comparison
//   valgrind --tool=callgrind --dump-instr=yes --smc-check=all-non-file --callgrind-out-file=cg.out \
//     node --single-threaded --perf-basic-prof --import tsx bench/death-wasm.mts 100000 2 wasm memory
//   node --import tsx bench/death-sum.mts cg.out /tmp/perf-<pid>.map <deaths it printed>
//
// `memory` runs the object space's and pymalloc's frees in the kernel over their bitmaps;
// `callout` calls the object space's `freeOwnType` (and so pymalloc's `free`) per death instead.
//
// A pool whose first block comes back (it was full) or whose last one does (it is empty) moves
// between pymalloc's lists: the kernel calls out for that (an import that only counts here),
// as a real kernel would call pymalloc's own relink.

import { type TypeDescriptor, wasm } from "@mm/heap";
import type { Ref } from "../src/index.js";
import { ShapeBuilder } from "./shapes.js";

const {
  add,
  and,
  call,
  eqz,
  get,
  i32,
  load,
  ModuleWriter,
  ne,
  or,
  ret,
  seq,
  set,
  shl,
  shrU,
  store,
  sub,
  when,
  whileLoop,
  xor,
  gtU,
} = wasm;

const [size = "100000", times = "2", mode = "both", frees = "memory"] = process.argv.slice(2);
/**
 * `memory`: the object space's and pymalloc's frees in the kernel, over their own bitmaps in the
 * memory; `callout`: the kernel calls the object space's `freeOwnType` (and so pymalloc's
 * `free`) per death.
 */
if (frees !== "memory" && frees !== "callout") throw new Error(`unknown frees ${frees}`);
const callout = frees === "callout";
const n = Number(size);
const rounds = Number(times);

// Scratch words (byte offsets from the scratch block).
const S_LIVE = 0; // the object space's live count, lowered per death
const S_CONTAINERS = 4; // containersFreed
const S_FREED = 8; // the kind table's deaths
const S_OSMAP = 12; // address of the object space's live bitmap
const S_POOLMAP = 16; // address of pymalloc's live bitmap
const S_LISTTYPE = 20;
const S_ROOM = 24; // room left on the list free list: a death parks there (a call out) first

/** The kernel: drop_items(first, n, scratch) releases n item slots from the last to the first. */
function kernel(): Uint8Array {
  const w = new ModuleWriter();
  w.importMemory("env", "memory", 0);
  const poolEvent = w.importFunction("env", "poolEvent", 2, 0);
  const bail = w.importFunction("env", "bail", 1, 0);
  const park = w.importFunction("env", "park", 1, 0);
  const freeJs = w.importFunction("env", "freeJs", 1, 0);
  const dropItems = w.declare(3, 0, "dropItems");
  const release = w.declare(2, 0);
  // dropItems(first 0, n 1, s 2): locals 3 at, 4 ref, 5 flags, 6 count
  w.define(
    dropItems,
    4,
    whileLoop(
      ne(get(1), i32(0)),
      set(1, sub(get(1), i32(1))),
      set(3, add(get(0), shl(get(1), i32(3)))),
      set(4, load(get(3))),
      when(
        ne(get(4), i32(0)),
        seq(
          store(get(3), i32(0)),
          set(5, load(get(4), 4)),
          when(
            eqz(and(get(5), i32(1))),
            seq(
              set(6, load(get(4), 0)),
              when(
                gtU(get(6), i32(1)),
                store(get(4), sub(get(6), i32(1))),
                seq(store(get(4), i32(0)), call(release, get(4), get(2))),
              ),
            ),
          ),
        ),
      ),
    ),
  );
  // release(o 0, s 1): locals 2 flags, 3 next, 4 prev, 5 map, 6 word-address, 7 bit, 8 block,
  // 9 pool, 10 lastfree, 11 count
  w.define(
    release,
    10,
    seq(
      // Only an empty exact list without weak references: anything else is the JS path's.
      when(
        or(
          or(ne(load(get(0), 8), load(get(1), S_LISTTYPE)), ne(load(get(0), 12), i32(0))),
          ne(load(get(0), 24), i32(0)),
        ),
        seq(call(bail, get(0)), ret()),
      ),
      set(2, load(get(0), 4)),
      // unlink
      when(
        ne(and(get(2), i32(4)), i32(0)),
        seq(
          set(3, load(get(0), -16)),
          when(
            ne(get(3), i32(0)),
            seq(
              set(4, load(get(0), -8)),
              store(get(4), get(3), -16),
              store(get(3), get(4), -8),
              store(get(0), i32(0), -16),
              when(ne(and(get(2), i32(24)), i32(0)), store(get(0), and(get(2), i32(~24)), 4)),
            ),
          ),
        ),
      ),
      // the list free list, while it has room (the parked block keeps its pymalloc bit)
      when(
        ne(load(get(1), S_ROOM), i32(0)),
        seq(
          store(get(1), sub(load(get(1), S_ROOM), i32(1)), S_ROOM),
          store(get(1), add(load(get(1), S_FREED), i32(1)), S_FREED),
          call(park, get(0)),
          ret(),
        ),
      ),
      callout ? seq(call(freeJs, get(0)), ret()) : [],
      // the object space: live bit, counts
      set(5, load(get(1), S_OSMAP)),
      set(6, add(get(5), shl(shrU(get(0), i32(9)), i32(2)))),
      set(7, shl(i32(1), and(shrU(get(0), i32(4)), i32(31)))),
      when(eqz(and(load(get(6)), get(7))), seq(call(bail, get(0)), ret())),
      store(get(6), xor(load(get(6)), get(7))),
      store(get(1), sub(load(get(1), S_LIVE), i32(1)), S_LIVE),
      store(get(1), add(load(get(1), S_CONTAINERS), i32(1)), S_CONTAINERS),
      store(get(1), add(load(get(1), S_FREED), i32(1)), S_FREED),
      // pymalloc_free of the block (16 bytes of GC head before the object)
      set(8, sub(get(0), i32(16))),
      set(5, load(get(1), S_POOLMAP)),
      set(6, add(get(5), shl(shrU(get(8), i32(9)), i32(2)))),
      set(7, shl(i32(1), and(shrU(get(8), i32(4)), i32(31)))),
      when(eqz(and(load(get(6)), get(7))), seq(call(bail, get(0)), ret())),
      store(get(6), xor(load(get(6)), get(7))),
      set(9, and(get(8), i32(~(16384 - 1)))),
      set(10, load(get(9), 8)),
      store(get(8), get(10)),
      store(get(8), i32(0), 4),
      store(get(9), get(8), 8),
      set(11, sub(load(get(9)), i32(1))),
      store(get(9), get(11)),
      when(
        eqz(get(10)),
        call(poolEvent, get(9), i32(0)),
        when(eqz(get(11)), call(poolEvent, get(9), i32(1))),
      ),
    ),
  );
  return w.bytes();
}

interface Exports {
  dropItems(first: number, n: number, scratch: number): void;
}

const WebAssemblyApi = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object, imports: object) => { exports: Exports };
    };
  }
).WebAssembly;

function world(): { w: ShapeBuilder; roots: Ref[] } {
  const w = new ShapeBuilder(2 ** 30);
  const roots: Ref[] = [];
  // A small shape first, as death.mts builds: the JS path compiled before the measured drop.
  w.py.decref(w.build("lists", Math.max(1000, n >>> 6)));
  for (let r = 0; r < rounds; r++) roots.push(w.build("lists", n));
  return { w, roots };
}

const poolEvents = [0, 0];
let instance: { exports: Exports } | undefined;
let current:
  | {
      rt: ShapeBuilder["rt"];
      lists: NonNullable<ShapeBuilder["rt"]["freeLists"]>;
      listType: TypeDescriptor;
    }
  | undefined;
let bails = 0;

// The kernel's imports, named (the code map then names them too).
function park(o: number): void {
  current!.lists.push("list", current!.rt.space.retire(o), 0);
}
function poolEvent(_pool: number, kind: number): void {
  poolEvents[kind]!++;
}
function bail(): void {
  bails++;
}
function freeJs(o: number): void {
  current!.rt.space.freeOwnType(o, current!.listType);
}

function dropByKernel(w: ShapeBuilder, roots: readonly Ref[]): number {
  const { rt } = w;
  const memory = rt.space.memory;
  const scratch = rt.raw.malloc(64);
  // Read after the scratch block's malloc: a growth of the memory moves the bitmaps.
  const osMap = rt.space.liveBitsAddress;
  const poolMap = rt.pymalloc!.liveBitsAddress;
  if (osMap < 0 || poolMap < 0 || rt.pymalloc!.geometry.alignmentShift !== 4) {
    throw new Error("the live bitmaps are not in the memory at a bit per 16 bytes");
  }
  const u32 = memory.u32;
  u32[(scratch + S_OSMAP) >>> 2] = osMap;
  u32[(scratch + S_POOLMAP) >>> 2] = poolMap;
  const listType = u32[(roots[0]! + 8) >>> 2]!;
  u32[(scratch + S_LISTTYPE) >>> 2] = listType;
  const lists = rt.freeLists!;
  u32[(scratch + S_ROOM) >>> 2] = lists.capacity("list") - lists.count("list");
  current = { rt, lists, listType: rt.space.types.get(listType) };
  instance ??= new WebAssemblyApi.Instance(new WebAssemblyApi.Module(kernel()), {
    env: {
      memory: memory.wasmMemory,
      park,
      poolEvent,
      bail,
      freeJs,
    },
  });
  const k = instance.exports;
  let deaths = 0;
  for (const root of roots) {
    const items = u32[(root + 24) >>> 2]!;
    const count = u32[(root + 16) >>> 2]!;
    // In runs of 1,000 from the end, the order the whole run would go in: a call's loop runs
    // in the tier it was entered in, and WebAssembly tiers up between calls.
    for (let end = count; end > 0; end -= Math.min(end, 1000)) {
      const start = Math.max(0, end - 1000);
      k.dropItems(items + 8 * start, end - start, scratch);
    }
    deaths += count;
  }
  return deaths;
}

/** The words a death writes: each item's block (header, GC links), and its pool's header. */
function snapshot(w: ShapeBuilder, roots: readonly Ref[]): { items: number[]; pools: number[] } {
  const u32 = w.rt.space.memory.u32;
  const items: number[] = [];
  const pools = new Set<number>();
  for (const root of roots) {
    const block = u32[(root + 24) >>> 2]!;
    const count = u32[(root + 16) >>> 2]!;
    for (let k = 0; k < count; k++) items.push(u32[(block + 8 * k) >>> 2]!);
  }
  for (const o of items) pools.add((o - 16) & ~16383);
  return { items, pools: [...pools] };
}

/** The object space's and pymalloc's live bitmaps over the heap part, as the memory holds them. */
function liveBits(w: ShapeBuilder): Uint32Array[] {
  const memory = w.rt.space.memory;
  const n = (memory.byteLength >>> 9) + 1;
  return [w.rt.space.liveBitsAddress, w.rt.pymalloc!.liveBitsAddress].map(
    (at) => new Uint32Array(memory.buffer, at, n),
  );
}

function words(w: ShapeBuilder, s: { items: number[]; pools: number[] }): number[] {
  const u32 = w.rt.space.memory.u32;
  const out: number[] = [];
  for (const o of s.items) for (let i = -16; i < 40; i += 4) out.push(u32[(o + i) >>> 2]!);
  for (const p of s.pools) out.push(u32[p >>> 2]!, u32[(p + 8) >>> 2]!);
  return out;
}

if (mode === "js" || mode === "both") {
  const { w, roots } = world();
  const s = snapshot(w, roots);
  const before = w.rt.stats().liveObjects;
  // The items only: the roots' own deaths (their item blocks, themselves) are not the kernel's.
  const u32 = w.rt.space.memory.u32;
  for (const root of roots) w.py.listDeleteSlice(root, 0, u32[(root + 16) >>> 2]!);
  console.log(`js: deaths ${before - w.rt.stats().liveObjects}`);
  if (mode === "both") {
    const other = world();
    const t = snapshot(other.w, other.roots);
    const deaths = dropByKernel(other.w, other.roots);
    const a = words(w, s);
    const b = words(other.w, t);
    let diff = 0;
    // Pools that the kernel's frees fill or empty are not moved between pymalloc's lists (the
    // import only counts them): only their free block and count are compared.
    const itemWords = s.items.length * 14;
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) {
        if (diff++ < 8) {
          console.log(
            i < itemWords
              ? `item ${s.items[Math.floor(i / 14)]!.toString(16)} word ${(i % 14) * 4 - 16}: ${a[i]} vs ${b[i]}`
              : `pool ${s.pools[(i - itemWords) >> 1]!.toString(16)} ${(i - itemWords) & 1 ? "freeblock" : "count"}: ${a[i]} vs ${b[i]}`,
          );
        }
      }
    }
    // Both live bitmaps, word for word (the reference counter's frees, the kernel's in place).
    const [mine, theirs] = [liveBits(w), liveBits(other.w)];
    let bitmapDiff = 0;
    for (let m = 0; m < 2; m++) {
      if (mine[m]!.length !== theirs[m]!.length) bitmapDiff++;
      for (let i = 0; i < mine[m]!.length; i++) if (mine[m]![i] !== theirs[m]![i]) bitmapDiff++;
    }
    console.log(
      `wasm: deaths ${deaths}, words differing ${diff} of ${a.length}, bitmap words differing ${bitmapDiff}, pool events ${poolEvents}, bails ${bails}`,
    );
    if (diff > 0 || bitmapDiff > 0 || bails > 0) {
      throw new Error("the kernel's heap is not the reference counter's");
    }
  }
} else {
  const { w, roots } = world();
  // A small shape through the kernel first, so that its functions are compiled optimised
  // (WebAssembly tiers up between calls, not inside a running loop): counted with the others.
  const warm = w.build("lists", Math.max(1000, n >>> 6));
  const deaths = dropByKernel(w, [warm]) + dropByKernel(w, roots);
  console.log(`wasm: deaths ${deaths}, pool events ${poolEvents}, bails ${bails}`);
}
