// The release cascade in WebAssembly: the reference counter's in-place deaths (the kinds whose
// types have a release plan: lists, tuples, instances and their values arrays, classes with
// __slots__) run as a module over the heap's memory instead of the
// counter's JavaScript loops. It unlinks a dying object from its GC list, drops its fields and
// items in the plan's order (each slot zeroed first), and a referent whose count reaches zero
// dies the same way, nested, in the order the counter's loops reach it.
//
// Each death then ends in the object layer's free function (the counter's free hook), which
// the module runs itself where it can (`KernelFrees`): the type's free plan (the block the
// object owns freed, its fields zeroed, the object parked on its free list while that has
// room), the object space's live bit and counts, pymalloc's free on the pool header and its
// live bit, the kind table's death count and the instance's reference to its heap type. It
// calls out to JavaScript only for what changes JavaScript state: parking on a free list, a
// pool that changes lists (it was full, or is now empty), a block of the raw allocator, a type
// object whose count reaches zero; and it hands the whole free to the JavaScript function when
// anything about it is unusual (a type without a plan, a dict with a key table, an object
// still on a collector list, a bad address) or while anyone watches the frees (an observer,
// tracemalloc with traces), so that the statistics stay exact. The counts it keeps in its
// table's words (deaths, live objects, containers freed) are handed to the kind table and the
// object space before any JavaScript runs, and when the kernel returns.
//
// A list's clear drops its items through the kernel too (`RefCounter.decrefRun`, `dropRun`),
// and a dict's key table release its keys and values (`RefCounter.decrefEntries`,
// `dropEntries`), draining the trashcan after each drop at depth 0 as the counter's decref does.
//
// What it does not do itself it calls out for, at the moment the loops would have: every death
// that is no in-place one (a finalizer, weak references, a type without a release plan, the
// trashcan's depth) goes to the counter's own deallocation. So every block is freed at the same
// moment and in the same order as on the JavaScript path, with the same statistics.
//
// The release plans are a copy of the counter's release table in a side table of the memory
// (`Memory.addSideTable`), copied again whenever the counter rebuilds its table; a type the
// copy does not have yet (registered since) is released by the counter's own loops. The free
// plans are a copy of the kind table's, made again when its version moves; the free lists'
// room is copied when their counts move. The copies' place moves up as the memory grows: the
// module reads it through imported globals that the side table's `placed` sets, and the live
// bitmaps' places through globals set after every growth.

import {
  GC_NEXT,
  GC_PREV,
  type Memory,
  OB_FLAGS,
  OB_SIZE,
  OB_TYPE,
  OB_WEAKLIST,
  ObjectFlags,
  type SideTable,
  wasm,
} from "@mm/heap";
import type { FreeLists, PoolAllocator } from "@mm/pool-allocator";
import type { InPlaceReleaseAccess } from "@mm/refcount";
import { KERNEL_PLAN_WORDS, type KindTable, PlanFlag } from "../objects/kind.js";

const {
  add,
  and,
  call,
  eq,
  eqz,
  geU,
  get,
  globalGet,
  gtS,
  gtU,
  i32,
  load,
  leU,
  load8,
  ltU,
  ModuleWriter,
  mul,
  ne,
  or,
  ret,
  select,
  seq,
  set,
  shl,
  shrU,
  store,
  sub,
  when,
  whileLoop,
  xor,
} = wasm;

/** Types the copy of the release table has room for (sixteen int32s each). */
const TYPES = 512;
/** Offsets of fields past a type's second that the copy has room for. */
const MORE = 2048;
/** The release table's copy: the records, then the further offsets. */
const RELEASE_BYTES = TYPES * 64 + MORE * 4;
/** The free plans' copy: `KERNEL_PLAN_WORDS` int32s per type, for the first `TYPES` types. */
const PLANS_AT = RELEASE_BYTES;
const PLAN_BYTES = KERNEL_PLAN_WORDS * 4;
/** Tuple lengths whose free lists' room the scratch words hold (1 to this). */
const TUPLE_ROOMS = 64;
/** The scratch words: the counts kept for JavaScript, and the free lists' room. */
const SCRATCH_AT = PLANS_AT + TYPES * PLAN_BYTES;
const S_FREED = 0;
const S_LIVE = 4;
const S_CONTAINERS = 8;
const S_ROOM_LIST = 12;
const S_ROOM_DICT = 16;
/** The room of tuples of length n at `S_TUPLE_ROOM + 4n` (n from 1). */
const S_TUPLE_ROOM = 20;
/** Set when a call out left deaths the trashcan deferred (see `dropRun`). */
const S_DEFERRED = S_TUPLE_ROOM + 4 * (TUPLE_ROOMS + 1);
const SCRATCH_BYTES = (S_DEFERRED + 4 + 7) & ~7;
/** The side table's bytes: the release table's copy, the free plans', the scratch words. */
const TABLE_BYTES = SCRATCH_AT + SCRATCH_BYTES;

/** A free plan's words in the copy (byte offsets; see `KindTable.planWords`). */
const P_FLAGS = 0;
const P_BLOCK = 4;
const P_ZERO0 = 8;
const P_ZERO1 = 12;
const P_TUPLE_MAX = 16;
const P_KIND_FREE = 20;
const P_HEAD = 24;
const P_TYPE_OBJECT = 28;
/** In `P_HEAD`: the pre-header bytes, and the GC type's bit. */
const HEAD_BYTES = 0xffff;
const HEAD_GC = 1 << 16;

/** The bits of the `fast` global. */
const FAST_FREES = 1;
const COUNTS_IN_PLACE = 2;

/** The free lists' numbers in the `park` call. */
const PARKS = ["list", "dict", "tuple"] as const;

/** pymalloc's pool header: the count at +0, the free block at +8. */
const POOL_FREEBLOCK = 8;
/** The header flag bits the counter's loops read (@mm/heap's {@link ObjectFlags}). */
const IMMORTAL = ObjectFlags.Immortal;
const GC_HEAD = ObjectFlags.GcHead;
const MARKS = ObjectFlags.Collecting | ObjectFlags.Unreachable;
const RELEASES_FIELDS = ObjectFlags.ReleasesFields;

/** A type's record: int32 offsets in it (the counter's layout). */
const R_COUNT = 0;
const R_FIELD0 = 4;
const R_FIELD1 = 8;
const R_MORE = 12;
const R_ITEMS = 20;
const R_ITEMS_COUNT = 24;
const R_ITEMS_BLOCK = 28;
const R_ITEMS_FIRST = 32;
const R_ITEMS_STRIDE = 36;
const R_LEAF = 40;

/** The module's exports. */
interface KernelExports {
  /** The in-place death of `object` (count 0), with `depth` deallocations on the stack. */
  release(object: number, flags: number, depth: number, mask: number): void;
  /** `RefCounter.decrefRun`'s drops, with `depth` deallocations on the stack. */
  dropRun(first: number, count: number, stride: number, depth: number, mask: number): void;
  /** `RefCounter.decrefEntries`'s drops, with `depth` deallocations on the stack. */
  dropEntries(
    first: number,
    count: number,
    stride: number,
    gap: number,
    depth: number,
    mask: number,
  ): void;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: KernelExports };
  Global: new (descriptor: { value: "i32"; mutable: boolean }, value: number) => { value: number };
}

const WebAssemblyApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** The compiled module, by the trashcan's depth it was written for. */
const modules = new Map<number, object>();

/** The module for a counter whose trashcan defers deaths from `trashcanDepth` on. */
function kernelModule(api: WasmApi, trashcanDepth: number): object {
  let module = modules.get(trashcanDepth);
  if (module === undefined) {
    module = new api.Module(kernelBytes(trashcanDepth));
    modules.set(trashcanDepth, module);
  }
  return module;
}

/** The module's bytes. */
function kernelBytes(trashcanDepth: number): Uint8Array {
  const w = new ModuleWriter();
  w.importMemory("env", "memory", 0);
  const byModel = w.importFunction("env", "byModel", 2, 0);
  const body = w.importFunction("env", "body", 3, 0);
  const free = w.importFunction("env", "free", 1, 0);
  const underflow = w.importFunction("env", "underflow", 1, 0);
  const park = w.importFunction("env", "park", 3, 0);
  const rawFree = w.importFunction("env", "rawFree", 2, 0);
  const poolReturned = w.importFunction("env", "poolReturned", 1, 0);
  const decref = w.importFunction("env", "decref", 1, 0);
  const drain = w.importFunction("env", "drain", 0, 0);
  const G_RECORDS = w.importGlobal("env", "records");
  const G_MORE = w.importGlobal("env", "more");
  const G_TYPES = w.importGlobal("env", "types");
  const G_PLANS = w.importGlobal("env", "plans");
  const G_PLAN_TYPES = w.importGlobal("env", "planTypes");
  const G_SCRATCH = w.importGlobal("env", "scratch");
  const G_SPACE_LIVE = w.importGlobal("env", "spaceLive");
  const G_POOL_LIVE = w.importGlobal("env", "poolLive");
  const G_POOL_MASK = w.importGlobal("env", "poolMask");
  const G_FAST = w.importGlobal("env", "fast");
  const G_LEAF = w.importGlobal("env", "leafType");
  const release = w.declare(4, 0, "release");
  const drop = w.declare(3, 0);
  const fields = w.declare(4, 0);
  const pointers = w.declare(4, 0);
  const freeObject = w.declare(1, 0);
  const pyFree = w.declare(2, 0);
  const dropRun = w.declare(5, 0, "dropRun");
  const dropEntries = w.declare(6, 0, "dropEntries");

  // dropRun(first 0, count 1, stride 2, depth 3, mask 4): Py_XDECREF of each slot of the run,
  // from the last to the first, as the counter's decref of each; after each drop at depth 0,
  // the deaths the trashcan deferred (the counter drains them there). Locals: 5 ref.
  w.define(
    dropRun,
    1,
    whileLoop(
      ne(get(1), i32(0)),
      set(1, sub(get(1), i32(1))),
      set(5, load(add(get(0), mul(get(2), get(1))))),
      when(
        ne(get(5), i32(0)),
        seq(
          call(drop, get(5), get(3), get(4)),
          when(and(eqz(get(3)), ne(load(globalGet(G_SCRATCH), S_DEFERRED), i32(0))), call(drain)),
        ),
      ),
    ),
  );

  // dropEntries(first 0, count 1, stride 2, gap 3, depth 4, mask 5): Py_XDECREF of each
  // entry's two slots (at +0, then at +gap), from the first entry to the last, as the counter's
  // decref of each, draining the trashcan's deferred deaths after each drop at depth 0 as
  // dropRun does. Locals: 6 ref, 7 k, 8 at.
  const dropAt = (at: wasm.Code) =>
    seq(
      set(6, load(at)),
      when(
        ne(get(6), i32(0)),
        seq(
          call(drop, get(6), get(4), get(5)),
          when(and(eqz(get(4)), ne(load(globalGet(G_SCRATCH), S_DEFERRED), i32(0))), call(drain)),
        ),
      ),
    );
  w.define(
    dropEntries,
    3,
    seq(
      set(7, i32(0)),
      whileLoop(
        ltU(get(7), get(1)),
        set(8, add(get(0), mul(get(2), get(7)))),
        dropAt(get(8)),
        dropAt(add(get(8), get(3))),
        set(7, add(get(7), i32(1))),
      ),
    ),
  );

  // pyFree(block 0, domain 1): pymalloc_free of a block of the PyMem (0) or PyObject (1)
  // domain, as PoolAllocator.free does it: the live bit (address_in_range), the block to the
  // front of its pool's free list, the count; a pool that was full or is now empty changes
  // lists in JavaScript, and a block that is no pool block (the raw allocator's, or a bad
  // address) is freed there. Locals: 2 word address, 3 bit, 4 word, 5 pool, 6 lastfree, 7 count.
  w.define(
    pyFree,
    6,
    seq(
      set(2, add(globalGet(G_POOL_LIVE), shl(shrU(get(0), i32(9)), i32(2)))),
      set(3, shl(i32(1), and(shrU(get(0), i32(4)), i32(31)))),
      set(4, load(get(2))),
      when(
        or(eqz(and(get(4), get(3))), ne(and(get(0), i32(15)), i32(0))),
        seq(call(rawFree, get(0), get(1)), ret()),
      ),
      store(get(2), xor(get(4), get(3))),
      set(5, and(get(0), globalGet(G_POOL_MASK))),
      set(6, load(get(5), POOL_FREEBLOCK)),
      store(get(0), get(6)),
      store(get(0), i32(0), 4),
      store(get(5), get(0), POOL_FREEBLOCK),
      set(7, sub(load(get(5)), i32(1))),
      store(get(5), get(7)),
      when(or(eqz(get(6)), eqz(get(7))), call(poolReturned, get(5))),
    ),
  );

  // freeObject(o 0): the object layer's free function (KindTable's planned free) for an object
  // whose type has a free plan, or the call out to it. Locals: 1 type, 2 plan, 3 flags,
  // 4 object flags, 5 live word address, 6 bit, 7 at, 8 block, 9 length / head / type object,
  // 10 parked, 11 scratch.
  const whole = seq(call(free, get(0)), ret());
  w.define(
    freeObject,
    11,
    seq(
      when(eqz(and(globalGet(G_FAST), i32(FAST_FREES))), whole),
      set(1, load(get(0), OB_TYPE)),
      when(geU(get(1), globalGet(G_PLAN_TYPES)), whole),
      set(2, add(globalGet(G_PLANS), shl(get(1), i32(5)))),
      set(3, load(get(2), P_FLAGS)),
      when(eqz(and(get(3), i32(PlanFlag.Present))), whole),
      when(
        ne(and(get(3), i32(PlanFlag.KindFree)), i32(0)),
        when(ne(load(add(get(0), load(get(2), P_KIND_FREE))), i32(0)), whole),
      ),
      // Still on a collector list: the strategy's release, in JavaScript.
      set(4, load(get(0), OB_FLAGS)),
      when(and(ne(and(get(4), i32(GC_HEAD)), i32(0)), ne(load(get(0), GC_NEXT), i32(0))), whole),
      // Not a live object: the JavaScript path's error.
      set(5, add(globalGet(G_SPACE_LIVE), shl(shrU(get(0), i32(9)), i32(2)))),
      set(6, shl(i32(1), and(shrU(get(0), i32(4)), i32(31)))),
      when(or(eqz(and(load(get(5)), get(6))), ne(and(get(0), i32(15)), i32(0))), whole),
      set(11, globalGet(G_SCRATCH)),
      store(get(11), add(load(get(11), S_FREED), i32(1)), S_FREED),
      // The block the object owns, its field zeroed (and the plan's others), then freed.
      when(
        ne(and(get(3), i32(PlanFlag.Block)), i32(0)),
        seq(
          set(7, add(get(0), load(get(2), P_BLOCK))),
          set(8, load(get(7))),
          store(get(7), i32(0)),
          when(
            ne(and(get(3), i32(PlanFlag.Zero0)), i32(0)),
            store(add(get(0), load(get(2), P_ZERO0)), i32(0)),
          ),
          when(
            ne(and(get(3), i32(PlanFlag.Zero1)), i32(0)),
            store(add(get(0), load(get(2), P_ZERO1)), i32(0)),
          ),
          when(
            ne(get(8), i32(0)),
            call(
              pyFree,
              select(
                sub(get(8), load8(sub(get(8), i32(1)))),
                get(8),
                ne(and(get(3), i32(PlanFlag.Prefixed)), i32(0)),
              ),
              i32(0),
            ),
          ),
        ),
      ),
      // Parked while its free list has room (the room words are the lists' own, copied).
      set(10, i32(0)),
      set(11, globalGet(G_SCRATCH)),
      when(
        ne(and(get(3), i32(PlanFlag.ParkList)), i32(0)),
        when(
          gtS(load(get(11), S_ROOM_LIST), i32(0)),
          seq(call(park, get(0), i32(0), i32(0)), set(10, i32(1))),
        ),
        when(
          ne(and(get(3), i32(PlanFlag.ParkDict)), i32(0)),
          when(
            gtS(load(get(11), S_ROOM_DICT), i32(0)),
            seq(call(park, get(0), i32(1), i32(0)), set(10, i32(1))),
          ),
          when(
            ne(and(get(3), i32(PlanFlag.ParkTuple)), i32(0)),
            seq(
              set(9, load(get(0), OB_SIZE)),
              when(
                and(
                  and(ne(get(9), i32(0)), leU(get(9), load(get(2), P_TUPLE_MAX))),
                  leU(get(9), i32(TUPLE_ROOMS)),
                ),
                when(
                  gtS(load(add(get(11), shl(get(9), i32(2))), S_TUPLE_ROOM), i32(0)),
                  seq(call(park, get(0), i32(2), get(9)), set(10, i32(1))),
                ),
              ),
            ),
          ),
        ),
      ),
      // Not parked: the object space's free (live bit, counts), then pymalloc's.
      when(
        eqz(get(10)),
        seq(
          set(5, add(globalGet(G_SPACE_LIVE), shl(shrU(get(0), i32(9)), i32(2)))),
          store(get(5), xor(load(get(5)), get(6))),
          store(get(11), add(load(get(11), S_LIVE), i32(1)), S_LIVE),
          set(9, load(get(2), P_HEAD)),
          when(
            ne(and(get(9), i32(HEAD_GC)), i32(0)),
            store(get(11), add(load(get(11), S_CONTAINERS), i32(1)), S_CONTAINERS),
          ),
          call(pyFree, sub(get(0), and(get(9), i32(HEAD_BYTES))), i32(1)),
        ),
      ),
      // Py_DECREF(type) of a heap type's instance: in place while its count stays above zero.
      set(9, load(get(2), P_TYPE_OBJECT)),
      when(
        ne(get(9), i32(0)),
        seq(
          set(8, load(get(9))),
          when(
            and(
              and(gtU(get(8), i32(1)), ne(and(globalGet(G_FAST), i32(COUNTS_IN_PLACE)), i32(0))),
              eqz(and(load(get(9), OB_FLAGS), i32(IMMORTAL))),
            ),
            store(get(9), sub(get(8), i32(1))),
            call(decref, get(9)),
          ),
        ),
      ),
    ),
  );

  // drop(ref 0, depth 1, mask 2): Py_DECREF of a reference a slot held; at zero, the death.
  // Locals: 3 flags, 4 count.
  w.define(
    drop,
    2,
    seq(
      set(3, load(get(0), OB_FLAGS)),
      when(ne(and(get(3), i32(IMMORTAL)), i32(0)), ret()),
      set(4, load(get(0))),
      when(gtU(get(4), i32(1)), seq(store(get(0), sub(get(4), i32(1))), ret())),
      when(eqz(get(4)), seq(call(underflow, get(0)), ret())),
      store(get(0), i32(0)),
      // In place when its flags allow it, it has no weak references and the trashcan allows.
      when(
        and(
          and(ne(and(get(3), get(2)), i32(0)), eqz(load(get(0), OB_WEAKLIST))),
          ltU(get(1), i32(trashcanDepth)),
        ),
        call(release, get(0), get(3), get(1), get(2)),
        // An int (the leaf type) while the module frees by itself: the direct path's free
        // (its plan's copy has nothing but the object's own block), else the counter's.
        when(
          and(
            and(
              eq(load(get(0), OB_TYPE), globalGet(G_LEAF)),
              ne(and(globalGet(G_FAST), i32(FAST_FREES)), i32(0)),
            ),
            and(eqz(load(get(0), OB_WEAKLIST)), ltU(get(1), i32(trashcanDepth))),
          ),
          call(freeObject, get(0)),
          call(byModel, get(0), get(1)),
        ),
      ),
    ),
  );

  // release(o 0, flags 1, depth 2, mask 3): unlink, drops, free. Locals: 4 next, 5 prev, 6 type,
  // 7 record, 8 leaf.
  w.define(
    release,
    5,
    seq(
      when(
        ne(and(get(1), i32(GC_HEAD)), i32(0)),
        seq(
          set(4, load(get(0), GC_NEXT)),
          when(
            ne(get(4), i32(0)),
            seq(
              set(5, load(get(0), GC_PREV)),
              store(get(5), get(4), GC_NEXT),
              store(get(4), get(5), GC_PREV),
              store(get(0), i32(0), GC_NEXT),
              when(
                ne(and(get(1), i32(MARKS)), i32(0)),
                store(get(0), and(get(1), i32(~MARKS)), OB_FLAGS),
              ),
            ),
          ),
        ),
      ),
      set(6, load(get(0), OB_TYPE)),
      when(
        geU(get(6), globalGet(G_TYPES)),
        // A type registered since the copy: the counter's own loops.
        call(body, get(0), get(1), get(2)),
        when(
          ne(and(get(1), i32(RELEASES_FIELDS)), i32(0)),
          call(fields, get(0), get(6), add(get(2), i32(1)), get(3)),
          seq(
            set(7, add(globalGet(G_RECORDS), shl(get(6), i32(6)))),
            set(8, load(get(7), R_LEAF)),
            when(
              eqz(get(8)),
              call(pointers, get(0), get(6), add(get(2), i32(1)), get(3)),
              when(
                and(gtS(get(8), i32(0)), ne(load(add(get(0), get(8)), -1), i32(0))),
                call(pointers, get(0), get(6), add(get(2), i32(1)), get(3)),
              ),
            ),
          ),
        ),
      ),
      call(freeObject, get(0)),
    ),
  );

  // fields(o 0, type 1, depth 2, mask 3): Py_CLEAR of each field in order. Locals: 4 record,
  // 5 count, 6 field1, 7 more, 8 at, 9 ref, 10 end.
  const clearAt = (at: number, ref: number, depth: number, mask: number) =>
    seq(
      set(ref, load(get(at))),
      when(
        ne(get(ref), i32(0)),
        seq(store(get(at), i32(0)), call(drop, get(ref), get(depth), get(mask))),
      ),
    );
  // The fields after the first, for a record of more than one (locals as in `fields`, which
  // `pointers` shares): the second field's slot, then each further offset of the copy.
  const laterFields = seq(
    set(8, add(get(0), get(6))),
    clearAt(8, 9, 2, 3),
    set(10, add(get(7), sub(get(5), i32(2)))),
    whileLoop(
      ltU(get(7), get(10)),
      // The offsets are read where the copy is now: a death may have grown the memory.
      set(8, add(get(0), load(add(globalGet(G_MORE), shl(get(7), i32(2)))))),
      clearAt(8, 9, 2, 3),
      set(7, add(get(7), i32(1))),
    ),
  );
  w.define(
    fields,
    7,
    seq(
      set(4, add(globalGet(G_RECORDS), shl(get(1), i32(6)))),
      set(5, load(get(4), R_COUNT)),
      set(6, load(get(4), R_FIELD1)),
      set(7, load(get(4), R_MORE)),
      // The first field's slot, read as the counter reads it (offset 0, the count, for none).
      set(8, add(get(0), load(get(4), R_FIELD0))),
      clearAt(8, 9, 2, 3),
      when(gtS(get(5), i32(1)), laterFields),
    ),
  );

  // pointers(o 0, type 1, depth 2, mask 3): each field, then each item of the run. Locals:
  // 4 record, 5 count, 6 field1, 7 more, 8 at, 9 ref, 10 end, 11 mode, 12 base, 13 n,
  // 14 first, 15 stride, 16 k.
  w.define(
    pointers,
    13,
    seq(
      set(4, add(globalGet(G_RECORDS), shl(get(1), i32(6)))),
      set(5, load(get(4), R_COUNT)),
      // The run's words, read before any drop (a death may move the copy): fields first.
      set(11, load(get(4), R_ITEMS)),
      when(
        ne(get(11), i32(0)),
        seq(
          set(14, load(get(4), R_ITEMS_FIRST)),
          set(15, load(get(4), R_ITEMS_STRIDE)),
          set(13, load(get(4), R_ITEMS_COUNT)),
          set(12, load(get(4), R_ITEMS_BLOCK)),
        ),
      ),
      when(
        gtS(get(5), i32(0)),
        seq(
          set(6, load(get(4), R_FIELD1)),
          set(7, load(get(4), R_MORE)),
          set(8, add(get(0), load(get(4), R_FIELD0))),
          clearAt(8, 9, 2, 3),
          when(gtS(get(5), i32(1)), laterFields),
        ),
      ),
      when(eqz(get(11)), ret()),
      // The run's base: the object, or the block that holds the items (none: nothing to drop).
      when(
        ne(and(get(11), i32(2)), i32(0)),
        seq(set(12, load(add(get(0), get(12)))), when(eqz(get(12)), ret())),
        set(12, get(0)),
      ),
      // The count: in the block or in the object; read once, as the counter reads it.
      set(13, load(add(when2(ne(and(get(11), i32(4)), i32(0)), get(12), get(0)), get(13)))),
      set(14, add(get(12), get(14))),
      when(
        ne(and(get(11), i32(8)), i32(0)),
        // Last to first.
        whileLoop(
          ne(get(13), i32(0)),
          set(13, sub(get(13), i32(1))),
          set(8, add(get(14), mul(get(15), get(13)))),
          clearAt(8, 9, 2, 3),
        ),
        seq(
          set(16, i32(0)),
          whileLoop(
            ltU(get(16), get(13)),
            set(8, add(get(14), mul(get(15), get(16)))),
            clearAt(8, 9, 2, 3),
            set(16, add(get(16), i32(1))),
          ),
        ),
      ),
    ),
  );
  return w.bytes();
}

/** `cond ? a : b` as a value (WebAssembly's select evaluates both: both are plain loads here). */
function when2(cond: wasm.Code, a: wasm.Code, b: wasm.Code): wasm.Code {
  return wasm.select(a, b, cond);
}

/**
 * What the kernel needs to run the object layer's free function itself (see the module's
 * comment): the kind table whose plans and counts it runs and keeps, pymalloc (with blocks of
 * 16-byte alignment: its live bitmap has the object space's geometry) under both of the
 * object layer's domains with nothing between but tracemalloc's hooks, the free lists, the
 * free function that tells no observer, and the tracer.
 */
export interface KernelFrees {
  readonly kinds: KindTable;
  readonly pymalloc: PoolAllocator;
  readonly lists: FreeLists;
  /** The object layer's free function while nobody observes the frees. */
  readonly plain: (object: number) => void;
  /** The tracer the domains report to: while it holds traces, the frees stay in JavaScript. */
  readonly tracer: { readonly tracedBlocks: number };
}

/**
 * The reference counter's in-place deaths in WebAssembly over the heap's memory: made over a
 * counter's {@link InPlaceReleaseAccess} and the memory its object space lives in, it takes
 * them over while {@link ReleaseKernel.enabled}. Nothing observable differs from the counter's
 * own loops (see the module's comment); only where the work runs.
 */
export class ReleaseKernel implements SideTable {
  readonly #access: InPlaceReleaseAccess;
  readonly #memory: Memory;
  readonly #frees: KernelFrees | undefined;
  readonly #records: { value: number };
  readonly #more: { value: number };
  readonly #types: { value: number };
  readonly #plans: { value: number };
  readonly #planTypes: { value: number };
  readonly #scratch: { value: number };
  readonly #spaceLive: { value: number };
  readonly #poolLive: { value: number };
  readonly #poolMask: { value: number };
  readonly #fast: { value: number };
  /** The type id of the ints the module frees itself (-1: none; see {@link leafDeath}). */
  readonly #leafType: { value: number };
  #leafDeath: ((object: number) => boolean) | undefined = undefined;
  readonly #release: (object: number, flags: number, depth: number) => void;
  /** The counter's table the copy was made from. */
  #copied: Int32Array | undefined = undefined;
  /** The kind table's plan version the plans' copy was made at (-1: none made). */
  #plansCopied = -1;
  /** The free lists' `changes` the room words were written at (-1: not written). */
  #roomsCopied = -1;
  #enabled = false;
  /** The scratch words, viewed where the side table now is (see {@link placed}). */
  #words = new Int32Array(0);
  /** The `fast` global's value, kept here: a global's value is costly to read and to set. */
  #fastNow = 0;

  readonly #api: WasmApi;
  /** The free function the module's instance calls (the counter's hook by object, or its `free`). */
  #boundFree: ((object: number) => void) | undefined = undefined;
  #kernel: (object: number, flags: number, depth: number, mask: number) => void = () => {};
  #dropRun: KernelExports["dropRun"] = () => {};
  #dropEntries: KernelExports["dropEntries"] = () => {};
  /** {@link InPlaceReleaseAccess.run}, through the kernel. */
  readonly #run: (first: number, count: number, stride: number, depth: number) => void;
  /** {@link InPlaceReleaseAccess.entries}, through the kernel. */
  readonly #entries: (
    first: number,
    count: number,
    stride: number,
    gap: number,
    depth: number,
  ) => void;

  private constructor(
    access: InPlaceReleaseAccess,
    memory: Memory,
    api: WasmApi,
    frees: KernelFrees | undefined,
  ) {
    this.#access = access;
    this.#memory = memory;
    this.#api = api;
    this.#frees = frees;
    const global = (value: number) => new api.Global({ value: "i32", mutable: true }, value);
    this.#records = global(0);
    this.#more = global(0);
    this.#types = global(0);
    this.#plans = global(0);
    this.#planTypes = global(0);
    this.#scratch = global(0);
    this.#spaceLive = global(0);
    this.#poolLive = global(0);
    this.#poolMask = global(frees === undefined ? 0 : ~(frees.pymalloc.geometry.poolSize - 1));
    this.#fast = global(0);
    this.#leafType = global(-1);
    this.#instantiate(access.freeByObject);
    this.#release = (object, flags, depth) => {
      if (access.records !== this.#copied) this.#copy();
      // The counter's hook changes when an observer comes or goes: the module then calls the
      // new one, without a hop through the counter.
      const free = access.freeByObject;
      if (free !== this.#boundFree) this.#instantiate(free);
      this.#sync(free);
      try {
        this.#kernel(object, flags, depth, access.inPlaceMask);
      } finally {
        this.#flush();
      }
    };
    this.#run = (first, count, stride, depth) => {
      if (access.records !== this.#copied) this.#copy();
      const free = access.freeByObject;
      if (free !== this.#boundFree) this.#instantiate(free);
      this.#sync(free);
      try {
        this.#dropRun(first, count, stride, depth, access.inPlaceMask);
      } finally {
        this.#flush();
      }
    };
    this.#entries = (first, count, stride, gap, depth) => {
      if (access.records !== this.#copied) this.#copy();
      const free = access.freeByObject;
      if (free !== this.#boundFree) this.#instantiate(free);
      this.#sync(free);
      try {
        this.#dropEntries(first, count, stride, gap, depth, access.inPlaceMask);
      } finally {
        this.#flush();
      }
    };
  }

  /** After a call out: whether it left deaths for the trashcan to drain (see `dropRun`). */
  #noteDeferred(): void {
    if (this.#access.deferredDeaths > 0) this.#words[S_DEFERRED >>> 2] = 1;
  }

  /** An instance of the module that frees through `free` (the counter's `free` if undefined). */
  #instantiate(free: ((object: number) => void) | undefined): void {
    const access = this.#access;
    this.#boundFree = free;
    const frees = this.#frees;
    const host = frees?.kinds.host;
    // Every call out that may run JavaScript of the program's (a finalizer, an observer) first
    // hands over the counts the module kept, and after it takes the state it copies again.
    const instance = new this.#api.Instance(kernelModule(this.#api, access.trashcanDepth), {
      env: {
        memory: this.#memory.wasmMemory,
        byModel: (object: number, depth: number) => {
          // An int or a float that nothing observes: freed by the direct path, which runs no
          // program code and changes no state the module copied (its counts are the tables').
          const leaf = this.leafDeath;
          if (leaf !== undefined && depth < access.trashcanDepth && leaf(object)) return;
          this.#flush();
          access.deallocateByModel(object, depth);
          this.#noteDeferred();
          this.#sync();
        },
        body: (object: number, flags: number, depth: number) => {
          this.#flush();
          access.releaseBody(object, flags, depth);
          this.#noteDeferred();
          this.#sync();
        },
        // The hook bound here, unless it was set again during the call (a finalizer that added
        // an observer, say): then the counter's current one, as its own loops would call.
        free:
          free === undefined
            ? (object: number) => {
                this.#flush();
                access.free(object);
                this.#noteDeferred();
                this.#sync();
              }
            : (object: number) => {
                this.#flush();
                if (access.freeByObject === free) free(object);
                else access.free(object);
                this.#noteDeferred();
                this.#sync();
              },
        underflow: (object: number) => {
          this.#flush();
          access.underflow(object);
        },
        park: (object: number, list: number, length: number) => {
          // Only called with frees: a free list with room, as the room words say.
          const lists = frees!.lists;
          lists.push(PARKS[list]!, host!.space.retire(object), length);
          this.#rooms(lists);
        },
        rawFree: (block: number, domain: number) =>
          (domain === 0 ? host!.mem : host!.obj).free(block),
        poolReturned: (pool: number) => frees!.pymalloc.poolBlockReturned(pool),
        decref: (object: number) => {
          this.#flush();
          host!.decref(object);
          this.#noteDeferred();
          this.#sync();
        },
        drain: () => {
          this.#flush();
          access.drainDeferred();
          this.#words[S_DEFERRED >>> 2] = 0;
          this.#sync();
        },
        records: this.#records,
        more: this.#more,
        types: this.#types,
        plans: this.#plans,
        planTypes: this.#planTypes,
        scratch: this.#scratch,
        spaceLive: this.#spaceLive,
        poolLive: this.#poolLive,
        poolMask: this.#poolMask,
        fast: this.#fast,
        leafType: this.#leafType,
      },
    });
    this.#kernel = instance.exports.release;
    this.#dropRun = instance.exports.dropRun;
    this.#dropEntries = instance.exports.dropEntries;
  }

  /**
   * Whether the module frees by itself from here (nobody observes the frees, tracemalloc holds
   * no trace), with the plans' copy and the free lists' room brought up to date if so. `free`
   * is the counter's hook by object now.
   */
  #sync(free = this.#access.freeByObject): void {
    const frees = this.#frees;
    if (frees === undefined) return;
    let fast = 0;
    if (free === frees.plain && frees.tracer.tracedBlocks === 0) {
      const kinds = frees.kinds;
      if (kinds.planVersion !== this.#plansCopied) this.#copyPlans(kinds);
      if (frees.lists.changes !== this.#roomsCopied) this.#rooms(frees.lists);
      fast = FAST_FREES | (kinds.host.countsInPlace === true ? COUNTS_IN_PLACE : 0);
    }
    if (fast !== this.#fastNow) {
      this.#fastNow = fast;
      this.#fast.value = fast;
    }
  }

  /** Hands the counts the module kept to the kind table and the object space, and zeroes them. */
  #flush(): void {
    const frees = this.#frees;
    if (frees === undefined) return;
    const words = this.#words;
    const freed = words[S_FREED >>> 2]!;
    if (freed === 0) return;
    const live = words[S_LIVE >>> 2]!;
    const containers = words[S_CONTAINERS >>> 2]!;
    words[S_FREED >>> 2] = 0;
    words[S_LIVE >>> 2] = 0;
    words[S_CONTAINERS >>> 2] = 0;
    frees.kinds.countFreed(freed);
    frees.kinds.host.space.countFreedElsewhere(live, containers);
  }

  /** Writes the free lists' room into the scratch words. */
  #rooms(lists: FreeLists): void {
    this.#roomsCopied = lists.changes;
    const words = this.#words;
    words[S_ROOM_LIST >>> 2] = lists.capacity("list") - lists.count("list");
    words[S_ROOM_DICT >>> 2] = lists.capacity("dict") - lists.count("dict");
    const tuples = lists.capacity("tuple");
    for (let n = 1; n <= TUPLE_ROOMS; n++) {
      words[(S_TUPLE_ROOM >>> 2) + n] =
        n <= lists.tupleMaxLength ? tuples - lists.count("tuple", n) : 0;
    }
  }

  /** Copies the kind table's free plans into the side table (the types it has room for). */
  #copyPlans(kinds: KindTable): void {
    this.#plansCopied = kinds.planVersion;
    const words = new Int32Array(
      this.#memory.buffer,
      this.#plans.value,
      (TYPES * PLAN_BYTES) >>> 2,
    );
    words.fill(0);
    let count = 0;
    for (const type of kinds.host.space.types.all()) {
      if (type.id < TYPES) {
        kinds.planWords(type.id, words, type.id * KERNEL_PLAN_WORDS);
        if (type.id >= count) count = type.id + 1;
      }
    }
    const leaf = this.#leafType.value;
    if (leaf >= 0 && leaf < TYPES && words[leaf * KERNEL_PLAN_WORDS] === 0) {
      // The direct path's free of an int (`releaseDirect`): counted, the object's block freed.
      const type = kinds.host.space.types.get(leaf);
      words[leaf * KERNEL_PLAN_WORDS + (P_FLAGS >>> 2)] = PlanFlag.Present;
      words[leaf * KERNEL_PLAN_WORDS + (P_HEAD >>> 2)] =
        type.preHeaderSize | (type.isGc ? HEAD_GC : 0);
      if (leaf >= count) count = leaf + 1;
    }
    this.#planTypes.value = count;
  }

  /**
   * A kernel over `access`, the counter of an object space in `memory`, or undefined where it
   * cannot be: no WebAssembly, a memory that is no `WebAssembly.Memory` or hosts no side tables,
   * or no room for its table. With `frees` it runs the object layer's free function itself
   * where it can (see {@link KernelFrees}); without, every free is a call to the counter's hook.
   */
  static create(
    access: InPlaceReleaseAccess,
    memory: Memory,
    frees?: KernelFrees,
  ): ReleaseKernel | undefined {
    if (WebAssemblyApi === undefined || memory.wasmMemory === undefined) return undefined;
    const usable =
      frees?.kinds.runsPlansDirectly === true &&
      frees.pymalloc.geometry.alignmentShift === 4 &&
      frees.lists.tupleMaxLength <= TUPLE_ROOMS &&
      frees.kinds.host.space.liveBitsAddress >= 0 &&
      frees.pymalloc.liveBitsAddress >= 0;
    const kernel = new ReleaseKernel(access, memory, WebAssemblyApi, usable ? frees : undefined);
    if (!memory.addSideTable(kernel)) return undefined;
    if (usable) {
      const space = frees.kinds.host.space;
      const pymalloc = frees.pymalloc;
      const bitmaps = () => {
        kernel.#spaceLive.value = space.liveBitsAddress;
        kernel.#poolLive.value = pymalloc.liveBitsAddress;
      };
      bitmaps();
      memory.onGrow(bitmaps);
    }
    return kernel;
  }

  /**
   * Frees an int or a float whose count the kernel has just set to 0, returning true, or
   * returns false for any other death (which then goes to the counter's own deallocation):
   * the runtime's direct path of ints, where it has one.
   */
  get leafDeath(): ((object: number) => boolean) | undefined {
    return this.#leafDeath;
  }

  set leafDeath(death: ((object: number) => boolean) | undefined) {
    this.#leafDeath = death;
  }

  /**
   * The type whose deaths {@link leafDeath} frees (the runtime's exact int type), or -1: while
   * the module frees by itself (nobody observes, no trace), it frees that type's objects with
   * no weak references itself, as the direct path would (the plan's copy for it: the object's
   * own block only, unless the kind table has a plan for it), with no call out.
   */
  set leafType(typeId: number) {
    this.#leafType.value = typeId;
    this.#plansCopied = -1;
  }

  /** Whether the counter's in-place deaths go through the kernel (else its JavaScript loops). */
  get enabled(): boolean {
    return this.#enabled;
  }

  set enabled(on: boolean) {
    this.#enabled = on;
    this.#access.kernel = on ? this.#release : undefined;
    this.#access.run = on ? this.#run : undefined;
    this.#access.entries = on ? this.#entries : undefined;
  }

  /** {@link SideTable.bytesFor}: a fixed table. */
  bytesFor(_heapBytes: number): number {
    return TABLE_BYTES;
  }

  /** {@link SideTable.placed}: the module reads the copies where they now are. */
  placed(buffer: ArrayBuffer, byteOffset: number, _bytes: number): void {
    this.#records.value = byteOffset;
    this.#more.value = byteOffset + TYPES * 64;
    this.#plans.value = byteOffset + PLANS_AT;
    this.#scratch.value = byteOffset + SCRATCH_AT;
    // The table lies past the heap part's views: a view of its own (its words moved with it).
    this.#words = new Int32Array(buffer, byteOffset + SCRATCH_AT, SCRATCH_BYTES >>> 2);
  }

  /** Copies the counter's table into the side table (the types it has room for). */
  #copy(): void {
    const records = this.#access.records;
    const more = this.#access.more;
    this.#copied = records;
    const at = this.#records.value;
    // The view of the storage: the side table lies past the heap part's views.
    const storage = new Int32Array(this.#memory.buffer, at, RELEASE_BYTES >>> 2);
    storage.fill(0);
    const types = more.length > MORE ? 0 : Math.min(records.length >>> 4, TYPES);
    storage.set(records.subarray(0, types << 4));
    if (types > 0) storage.set(more, TYPES << 4);
    this.#types.value = types;
  }
}
