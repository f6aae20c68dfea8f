// The detection walks (update_refs, subtract_refs, move_unreachable) as WebAssembly functions
// over the heap's own memory. They decide exactly what detection.ts' loops decide, object for
// object and in the same order; those loops stay the reference and the fallback. The wasm code
// reads the heap's words with plain loads (no typed-array checks) and is compiled before it
// first runs, so its cost does not depend on when the engine optimises a loop.
//
// The walks need the type tables (flags, walk records, extra field offsets) and the untrack
// rules where they can load them: the kernel mirrors them into the heap's memory, written again
// when the tables or the rules change, either into a fixed range that no allocator hands out
// (a `KernelRegion`) or into a block of an allocator. A type without a pointer map is walked
// by its JavaScript traverse function, which the kernel calls through an import.

import {
  GC_NEXT as HEAP_GC_NEXT,
  GC_PREV as HEAP_GC_PREV,
  GC_REFS as HEAP_GC_REFS,
  OB_FLAGS as HEAP_OB_FLAGS,
  OB_REFCNT as HEAP_OB_REFCNT,
  OB_TYPE as HEAP_OB_TYPE,
  OB_WEAKLIST as HEAP_OB_WEAKLIST,
  type Memory,
  ObjectFlags,
  TypeFlags,
  type WasmMemory,
  wasm,
} from "@mm/heap";
import {
  HAS_FINALIZE,
  HAS_MAP,
  HAS_RUN,
  HAS_TABLE,
  IS_WEAKREF,
  RUN_BLOCK_COUNTED,
  RUN_INLINE,
  type TypeTables,
  WALK_BLOCK,
  WALK_COUNT,
  WALK_FIELD0,
  WALK_FIELDS,
  WALK_FIRST,
  WALK_LAYOUT_SIZE,
  WALK_MORE_FIELDS,
  WALK_RECORD,
  WALK_REVERSE,
  WALK_RUN,
  WALK_STRIDE,
  WALK_TABLE_BLOCK,
  WALK_TABLE_COUNT,
  WALK_TABLE_INDEX,
  WALK_TABLE_LAYOUT,
  WALK_TABLE_LAYOUTS,
  WALK_TABLE_SHIFT,
  WALK_TYPE_AFTER,
  WALK_TYPE_BEFORE,
} from "./type-tables.js";

type Code = wasm.Code;
const {
  add,
  and,
  br,
  call,
  choose,
  eq,
  eqz,
  get,
  geU,
  gtS,
  i32,
  load,
  load8,
  ltS,
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
  store,
  sub,
  when,
  whileLoop,
} = wasm;

// Header offsets and ob_flags bits (detection.ts checks them against @mm/heap's at load).
const GC_NEXT = -16;
const GC_PREV = -8;
const GC_REFS = -4;
const OB_REFCNT = 0;
const OB_FLAGS = 4;
const OB_TYPE = 8;
const OB_WEAKLIST = 12;
const IMMORTAL = 1;
const GC_HEAD = 4;
const COLLECTING = 8;
const UNREACHABLE = 16;
const WEAKREFABLE = 16;
const IMMORTAL_REFS = 0x7fff_ffff;

// The kernel is written with these numbers: they must be @mm/heap's.
for (const [name, kernel, heap] of [
  ["GC_NEXT", GC_NEXT, HEAP_GC_NEXT],
  ["GC_PREV", GC_PREV, HEAP_GC_PREV],
  ["GC_REFS", GC_REFS, HEAP_GC_REFS],
  ["OB_REFCNT", OB_REFCNT, HEAP_OB_REFCNT],
  ["OB_FLAGS", OB_FLAGS, HEAP_OB_FLAGS],
  ["OB_TYPE", OB_TYPE, HEAP_OB_TYPE],
  ["OB_WEAKLIST", OB_WEAKLIST, HEAP_OB_WEAKLIST],
  ["ObjectFlags.Immortal", IMMORTAL, ObjectFlags.Immortal],
  ["ObjectFlags.GcHead", GC_HEAD, ObjectFlags.GcHead],
  ["ObjectFlags.Collecting", COLLECTING, ObjectFlags.Collecting],
  ["ObjectFlags.Unreachable", UNREACHABLE, ObjectFlags.Unreachable],
  ["TypeFlags.Weakrefable", WEAKREFABLE, TypeFlags.Weakrefable],
] as const) {
  if (kernel !== heap)
    throw new Error(`gen-gc's kernel was written with ${name} = ${kernel}, not ${heap}`);
}

/** Bits of the per-type rule table (detection.ts' `Rule`). */
export const RULE_BITS = { any: 1, full: 2, mapAny: 4, mapFull: 8, acyclicUntracked: 16 };

/**
 * The mirrored tables' header, in words from the block's start: where each table is, the
 * rule table's length, the noted survivors, and what the last move_unreachable reports.
 */
const H_FLAGS = 0;
const H_WALK = 1;
const H_FIELDS = 2;
const H_RULES = 3;
const H_RULES_LENGTH = 4;
const H_NOTED = 5;
/** Report slots: attention, the rule bits reached, untracked, noted. */
const H_ATTENTION = 6;
const H_REACHED = 7;
const H_UNTRACKED = 8;
const H_NOTED_COUNT = 9;
const HEADER_WORDS = 10;

/** Runs of more items than this wait in subtract_refs (see there). */
const DEFER_RUN = 64;

/** The slot of a walk record, as a byte offset from the record. */
const slot = (s: number): number => 4 * s;

/** Local indices by name, after `params` parameters. */
function locals<const N extends string>(params: number, names: readonly N[]): Record<N, number> {
  const out = {} as Record<N, number>;
  names.forEach((n, i) => {
    out[n] = params + i;
  });
  return out;
}

/**
 * The module's bytes. Functions (all exported), in order:
 * - `update_refs(base) -> examined`
 * - `subtract_refs(base, tables) -> examined`
 * - `subtract_refs_all(base, tables) -> examined` (update_refs folded in, as detection.ts')
 * - `move_unreachable(young, unreachable, tables, perObject, fused) -> reachable`
 * and the import `mm.traverse(object, arg, reach)` that walks a type without a pointer map.
 */
export function kernelBytes(): Uint8Array {
  const w = new ModuleWriter();
  w.importMemory("mm", "heap", 0);
  const traverse = w.importFunction("mm", "traverse", 3, 0);
  const updateRefs = w.declare(1, 1, "update_refs");
  const subtractRefs = w.declare(2, 1, "subtract_refs");
  const subtractRefsAll = w.declare(2, 1, "subtract_refs_all");
  const moveUnreachable = w.declare(5, 1, "move_unreachable");
  const untrackable = w.declare(4, 1);

  const startRefs = (r: number, f: number): Code =>
    select(i32(IMMORTAL_REFS), load(get(r), OB_REFCNT), and(get(f), i32(IMMORTAL)));

  // update_refs(base)
  {
    const L = locals(1, ["node", "f", "n"] as const);
    const base = 0;
    w.define(
      updateRefs,
      3,
      seq(
        set(L.node, load(get(base), GC_NEXT)),
        whileLoop(
          ne(get(L.node), get(base)),
          set(L.f, load(get(L.node), OB_FLAGS)),
          store(get(L.node), startRefs(L.node, L.f), GC_REFS),
          store(get(L.node), or(get(L.f), i32(COLLECTING)), OB_FLAGS),
          set(L.n, add(get(L.n), i32(1))),
          set(L.node, load(get(L.node), GC_NEXT)),
        ),
        get(L.n),
      ),
    );
  }

  /** The facts of the current type, loaded when the type changes. */
  const typeLocals = [
    "type",
    "tf",
    "rec",
    "count",
    "field0",
    "field1",
    "run",
    "runBlock",
    "runCount",
    "first",
    "stride",
  ] as const;
  type TypeLocals = Record<(typeof typeLocals)[number], number>;

  const loadType = (L: TypeLocals, t: Code, flagsAt: Code, walkAt: Code): Code =>
    seq(
      set(L.type, t),
      set(L.tf, load(add(flagsAt, shl(get(L.type), i32(2))))),
      set(L.rec, add(walkAt, mul(get(L.type), i32(4 * WALK_RECORD)))),
      set(L.count, load(get(L.rec), slot(WALK_FIELDS))),
      set(L.field0, load(get(L.rec), slot(WALK_FIELD0))),
      set(L.field1, load(get(L.rec), slot(WALK_FIELD0 + 1))),
      // A type without a map has a zero record; RUN_NONE is 0.
      set(L.run, load(get(L.rec), slot(WALK_RUN))),
      set(L.runBlock, load(get(L.rec), slot(WALK_BLOCK))),
      set(L.runCount, load(get(L.rec), slot(WALK_COUNT))),
      set(L.first, load(get(L.rec), slot(WALK_FIRST))),
      set(L.stride, load(get(L.rec), slot(WALK_STRIDE))),
    );

  /**
   * The references an object with a pointer map holds, in the map's order, each passed to
   * `visit` as an expression: the fields, the run (last to first when `reverse` says so at run
   * time: a negative stride), the table's live entries (value, then key when visited).
   */
  const walkMap = (
    L: TypeLocals & Record<"node" | "i" | "blk" | "at" | "end" | "k" | "lay", number>,
    fieldsAt: Code,
    visit: (ref: Code) => Code,
    reversible: boolean,
    deferRun?: Code,
  ): Code => {
    const field = (i: Code): Code =>
      choose(
        ltS(i, i32(4)),
        load(add(get(L.rec), shl(i, i32(2))), slot(WALK_FIELD0)),
        load(
          add(fieldsAt, shl(add(load(get(L.rec), slot(WALK_MORE_FIELDS)), sub(i, i32(4))), i32(2))),
        ),
      );
    const forward = seq(
      set(L.at, add(get(L.blk), get(L.first))),
      set(L.end, add(get(L.at), mul(get(L.stride), get(L.i)))),
      whileLoop(
        ltU(get(L.at), get(L.end)),
        visit(load(get(L.at))),
        set(L.at, add(get(L.at), get(L.stride))),
      ),
    );
    // stride < 0: from the last item back to the first (L.end holds the first's address).
    const backward = seq(
      set(L.end, add(get(L.blk), get(L.first))),
      set(L.at, sub(get(L.end), mul(get(L.stride), sub(get(L.i), i32(1))))),
      whileLoop(
        geU(get(L.at), get(L.end)),
        visit(load(get(L.at))),
        set(L.at, add(get(L.at), get(L.stride))),
      ),
    );
    return seq(
      when(
        gtS(get(L.count), i32(0)),
        seq(
          visit(load(add(get(L.node), get(L.field0)))),
          when(
            gtS(get(L.count), i32(1)),
            seq(
              visit(load(add(get(L.node), get(L.field1)))),
              set(L.i, i32(2)),
              whileLoop(
                ltS(get(L.i), get(L.count)),
                visit(load(add(get(L.node), field(get(L.i))))),
                set(L.i, add(get(L.i), i32(1))),
              ),
            ),
          ),
        ),
      ),
      when(
        ne(get(L.run), i32(0)),
        seq(
          set(
            L.blk,
            choose(
              eq(get(L.run), i32(RUN_INLINE)),
              get(L.node),
              load(add(get(L.node), get(L.runBlock))),
            ),
          ),
          when(
            ne(get(L.blk), i32(0)),
            seq(
              // L.i: the item count.
              set(
                L.i,
                load(
                  add(
                    select(get(L.blk), get(L.node), eq(get(L.run), i32(RUN_BLOCK_COUNTED))),
                    get(L.runCount),
                  ),
                ),
              ),
              when(
                deferRun ?? i32(0),
                [],
                reversible ? when(gtS(get(L.stride), i32(0)), forward, backward) : forward,
              ),
            ),
          ),
        ),
      ),
      when(
        and(get(L.tf), i32(HAS_TABLE)),
        seq(
          set(L.blk, load(add(get(L.node), load(get(L.rec), slot(WALK_TABLE_BLOCK))))),
          when(
            ne(get(L.blk), i32(0)),
            seq(
              set(
                L.lay,
                add(
                  add(get(L.rec), i32(slot(WALK_TABLE_LAYOUTS))),
                  select(
                    i32(slot(WALK_LAYOUT_SIZE)),
                    i32(0),
                    load8(add(get(L.blk), load(get(L.rec), slot(WALK_TABLE_LAYOUT)))),
                  ),
                ),
              ),
              set(
                L.at,
                add(
                  add(get(L.blk), load(get(L.rec), slot(WALK_TABLE_INDEX))),
                  shl(i32(1), load8(add(get(L.blk), load(get(L.rec), slot(WALK_TABLE_SHIFT))))),
                ),
              ),
              set(
                L.end,
                add(
                  get(L.at),
                  mul(
                    load(get(L.lay)),
                    load(add(get(L.blk), load(get(L.rec), slot(WALK_TABLE_COUNT)))),
                  ),
                ),
              ),
              whileLoop(
                ltU(get(L.at), get(L.end)),
                set(L.k, load(add(get(L.at), load(get(L.lay), 4)))),
                when(
                  ne(get(L.k), i32(0)),
                  seq(
                    visit(load(add(get(L.at), load(get(L.lay), 8)))),
                    when(ne(load(get(L.lay), 12), i32(0)), visit(get(L.k))),
                  ),
                ),
                set(L.at, add(get(L.at), load(get(L.lay)))),
              ),
            ),
          ),
        ),
      ),
    );
  };

  // subtract_refs(base, tables) and subtract_refs_all(base, tables). Their decrements commute,
  // so the items of one long run (a big list's) wait: while the next is the object the walk steps
  // to, the walk decrements it there; at the first that is not, all the rest. A list's items are
  // often the objects that follow it in the list of objects (made after it, in its order), so each
  // item is then decremented while the walk has it in the cache, where decrementing them all up
  // front reads every one from memory twice in the walk.
  for (const all of [false, true]) {
    const base = 0;
    const tables = 1;
    const L = locals(2, [
      ...typeLocals,
      "node",
      "n",
      "f",
      "r",
      "rf",
      "i",
      "blk",
      "at",
      "end",
      "k",
      "lay",
      "flagsAt",
      "walkAt",
      "fieldsAt",
      "typeObject",
      "runAt",
      "runEnd",
      "runStride",
    ] as const);
    const decref = (ref: Code): Code =>
      seq(
        set(L.r, ref),
        when(
          ne(get(L.r), i32(0)),
          seq(
            set(L.rf, load(get(L.r), OB_FLAGS)),
            when(
              and(get(L.rf), i32(COLLECTING)),
              store(get(L.r), sub(load(get(L.r), GC_REFS), i32(1)), GC_REFS),
              all
                ? when(
                    and(get(L.rf), i32(GC_HEAD)),
                    when(
                      ne(load(get(L.r), GC_NEXT), i32(0)),
                      seq(
                        store(get(L.r), sub(startRefs(L.r, L.rf), i32(1)), GC_REFS),
                        store(get(L.r), or(get(L.rf), i32(COLLECTING)), OB_FLAGS),
                      ),
                    ),
                  )
                : [],
            ),
          ),
        ),
      );
    const drainRun = whileLoop(
      ltU(get(L.runAt), get(L.runEnd)),
      decref(load(get(L.runAt))),
      set(L.runAt, add(get(L.runAt), get(L.runStride))),
    );
    w.define(
      all ? subtractRefsAll : subtractRefs,
      Object.keys(L).length,
      seq(
        set(L.flagsAt, load(get(tables), 4 * H_FLAGS)),
        set(L.walkAt, load(get(tables), 4 * H_WALK)),
        set(L.fieldsAt, load(get(tables), 4 * H_FIELDS)),
        set(L.node, load(get(base), GC_NEXT)),
        whileLoop(
          ne(get(L.node), get(base)),
          // The waiting run's next item when it is the object the walk steps to, else all the
          // items left (the run's items are not the objects that follow it).
          when(
            ltU(get(L.runAt), get(L.runEnd)),
            when(
              eq(load(get(L.runAt)), get(L.node)),
              seq(decref(get(L.node)), set(L.runAt, add(get(L.runAt), get(L.runStride)))),
              drainRun,
            ),
          ),
          set(L.n, add(get(L.n), i32(1))),
          all
            ? seq(
                set(L.f, load(get(L.node), OB_FLAGS)),
                when(
                  eqz(and(get(L.f), i32(COLLECTING))),
                  seq(
                    store(get(L.node), startRefs(L.node, L.f), GC_REFS),
                    store(get(L.node), or(get(L.f), i32(COLLECTING)), OB_FLAGS),
                  ),
                ),
              )
            : [],
          set(L.f, load(get(L.node), OB_TYPE)),
          when(
            ne(get(L.f), get(L.type)),
            seq(
              loadType(L, get(L.f), get(L.flagsAt), get(L.walkAt)),
              // Decrements commute: where the type object is visited does not matter here.
              set(
                L.typeObject,
                or(
                  load(get(L.rec), slot(WALK_TYPE_BEFORE)),
                  load(get(L.rec), slot(WALK_TYPE_AFTER)),
                ),
              ),
            ),
          ),
          when(
            eqz(and(get(L.tf), i32(HAS_MAP))),
            call(traverse, get(L.node), i32(all ? 1 : 0), i32(0)),
            seq(
              when(ne(get(L.typeObject), i32(0)), decref(get(L.typeObject))),
              walkMap(
                L,
                get(L.fieldsAt),
                decref,
                false,
                // A long run (L.i items from L.blk) while no other waits: it waits, and 1 says so.
                choose(
                  and(ltU(i32(DEFER_RUN), get(L.i)), geU(get(L.runAt), get(L.runEnd))),
                  seq(
                    set(L.runAt, add(get(L.blk), get(L.first))),
                    set(L.runEnd, add(get(L.runAt), mul(get(L.stride), get(L.i)))),
                    set(L.runStride, get(L.stride)),
                    i32(1),
                  ),
                  i32(0),
                ),
              ),
            ),
          ),
          set(L.node, load(get(L.node), GC_NEXT)),
        ),
        // The waiting run's items after the walk's last object.
        drainRun,
        get(L.n),
      ),
    );
  }

  // untrackable(node, rec, tf, tables): the pointer-map untrack test (detection.ts' untrackable).
  {
    const [node, rec, tf, tables] = [0, 1, 2, 3];
    const L = locals(4, [
      "rulesAt",
      "rulesLength",
      "fieldsAt",
      "count",
      "i",
      "r",
      "rt",
      "blk",
      "at",
      "end",
      "stride",
      "k",
      "lay",
    ] as const);
    /** Returns 0 from the test unless `ref` holds no cycle (holdsNoCycle). */
    const holdsNoCycle = (ref: Code): Code =>
      seq(
        set(L.r, ref),
        when(eqz(get(L.r)), ret(i32(0))),
        when(
          and(load(get(L.r), OB_FLAGS), i32(GC_HEAD)),
          seq(
            when(ne(load(get(L.r), GC_NEXT), i32(0)), ret(i32(0))),
            set(L.rt, load(get(L.r), OB_TYPE)),
            when(geU(get(L.rt), get(L.rulesLength)), ret(i32(0))),
            when(
              eqz(
                and(
                  load(add(get(L.rulesAt), shl(get(L.rt), i32(2)))),
                  i32(RULE_BITS.acyclicUntracked),
                ),
              ),
              ret(i32(0)),
            ),
          ),
        ),
      );
    w.define(
      untrackable,
      Object.keys(L).length,
      seq(
        set(L.rulesAt, load(get(tables), 4 * H_RULES)),
        set(L.rulesLength, load(get(tables), 4 * H_RULES_LENGTH)),
        set(L.fieldsAt, load(get(tables), 4 * H_FIELDS)),
        set(L.count, load(get(rec), slot(WALK_FIELDS))),
        whileLoop(
          ltS(get(L.i), get(L.count)),
          holdsNoCycle(
            load(
              add(
                get(node),
                choose(
                  ltS(get(L.i), i32(4)),
                  load(add(get(rec), shl(get(L.i), i32(2))), slot(WALK_FIELD0)),
                  load(
                    add(
                      get(L.fieldsAt),
                      shl(
                        add(load(get(rec), slot(WALK_MORE_FIELDS)), sub(get(L.i), i32(4))),
                        i32(2),
                      ),
                    ),
                  ),
                ),
              ),
            ),
          ),
          set(L.i, add(get(L.i), i32(1))),
        ),
        when(
          and(get(tf), i32(HAS_RUN)),
          seq(
            set(L.blk, get(node)),
            when(
              ne(load(get(rec), slot(WALK_RUN)), i32(RUN_INLINE)),
              set(L.blk, load(add(get(node), load(get(rec), slot(WALK_BLOCK))))),
            ),
            when(
              ne(get(L.blk), i32(0)),
              seq(
                set(L.stride, load(get(rec), slot(WALK_STRIDE))),
                set(L.at, add(get(L.blk), load(get(rec), slot(WALK_FIRST)))),
                set(
                  L.end,
                  add(
                    get(L.at),
                    mul(
                      get(L.stride),
                      load(
                        add(
                          select(
                            get(L.blk),
                            get(node),
                            eq(load(get(rec), slot(WALK_RUN)), i32(RUN_BLOCK_COUNTED)),
                          ),
                          load(get(rec), slot(WALK_COUNT)),
                        ),
                      ),
                    ),
                  ),
                ),
                whileLoop(
                  ltU(get(L.at), get(L.end)),
                  holdsNoCycle(load(get(L.at))),
                  set(L.at, add(get(L.at), get(L.stride))),
                ),
              ),
            ),
          ),
        ),
        when(eqz(and(get(tf), i32(HAS_TABLE))), ret(i32(1))),
        set(L.blk, load(add(get(node), load(get(rec), slot(WALK_TABLE_BLOCK))))),
        when(eqz(get(L.blk)), ret(i32(1))),
        set(
          L.lay,
          add(
            add(get(rec), i32(slot(WALK_TABLE_LAYOUTS))),
            select(
              i32(slot(WALK_LAYOUT_SIZE)),
              i32(0),
              load8(add(get(L.blk), load(get(rec), slot(WALK_TABLE_LAYOUT)))),
            ),
          ),
        ),
        set(
          L.at,
          add(
            add(get(L.blk), load(get(rec), slot(WALK_TABLE_INDEX))),
            shl(i32(1), load8(add(get(L.blk), load(get(rec), slot(WALK_TABLE_SHIFT))))),
          ),
        ),
        set(
          L.end,
          add(
            get(L.at),
            mul(load(get(L.lay)), load(add(get(L.blk), load(get(rec), slot(WALK_TABLE_COUNT))))),
          ),
        ),
        whileLoop(
          ltU(get(L.at), get(L.end)),
          set(L.k, load(add(get(L.at), load(get(L.lay), 4)))),
          when(
            ne(get(L.k), i32(0)),
            seq(
              holdsNoCycle(load(add(get(L.at), load(get(L.lay), 8)))),
              when(ne(load(get(L.lay), 12), i32(0)), holdsNoCycle(get(L.k))),
            ),
          ),
          set(L.at, add(get(L.at), load(get(L.lay)))),
        ),
        i32(1),
      ),
    );
  }

  // move_unreachable(young, unreachable, tables, perObject, fused)
  {
    const [young, unreachable, tables, perObject, fused] = [0, 1, 2, 3, 4];
    const L = locals(5, [
      ...typeLocals,
      "node",
      "next",
      "f",
      "t",
      "r",
      "rf",
      "p",
      "q",
      "i",
      "blk",
      "at",
      "end",
      "k",
      "lay",
      "flagsAt",
      "walkAt",
      "fieldsAt",
      "rulesAt",
      "rulesLength",
      "notedAt",
      "typeBefore",
      "typeAfter",
      "typeRules",
      "reachable",
      "runFirst",
      "runLast",
      "movedType",
      "movedFlags",
      "attention",
      "reachedRules",
      "noted",
      "untracked",
      "yes",
      "dAt",
      "dEnd",
      "dStride",
      "dBack",
      "r2",
      "rf2",
      "e",
    ] as const);
    /** Unlinks `node` (a local) from its list into locals p (prev) and q (next). */
    const unlink = (node: number): Code =>
      seq(
        set(L.p, load(get(node), GC_PREV)),
        set(L.q, load(get(node), GC_NEXT)),
        store(get(L.p), get(L.q), GC_NEXT),
        store(get(L.q), get(L.p), GC_PREV),
      );
    /** Appends `first`..`last` (linked in order, locals) to the tail of list `head`. */
    const appendRun = (first: number, last: number, head: number): Code =>
      seq(
        set(L.p, load(get(head), GC_PREV)),
        store(get(L.p), get(first), GC_NEXT),
        store(get(first), get(L.p), GC_PREV),
        store(get(last), get(head), GC_NEXT),
        store(get(head), get(last), GC_PREV),
      );
    const moveRun = seq(
      set(L.p, load(get(L.runFirst), GC_PREV)),
      set(L.q, load(get(L.runLast), GC_NEXT)),
      store(get(L.p), get(L.q), GC_NEXT),
      store(get(L.q), get(L.p), GC_PREV),
      appendRun(L.runFirst, L.runLast, unreachable),
    );
    /** visit_reachable (detection.ts' reach) of `ref`, with locals r and rf. */
    const reachWith = (r: number, rf: number, ref: Code, before: Code = []): Code =>
      seq(
        set(r, ref),
        when(
          ne(get(r), i32(0)),
          seq(
            set(rf, load(get(r), OB_FLAGS)),
            when(
              and(get(rf), i32(COLLECTING)),
              seq(
                before,
                when(
                  and(get(rf), i32(COLLECTING)),
                  seq(
                    store(get(r), and(get(rf), i32(~(COLLECTING | UNREACHABLE))), OB_FLAGS),
                    when(and(get(rf), i32(UNREACHABLE)), seq(unlink(r), appendRun(r, r, young))),
                  ),
                ),
              ),
            ),
          ),
        ),
      );
    // A long run's items wait too (see DEFER_RUN), when no other run waits: from the first
    // item's slot up (dAt to dEnd, dStride apart; dBack when the map says last to first), one
    // reached per object the walk steps to, before the walk looks at the object. Reaching an
    // object the walk has not met only clears its COLLECTING bit, which commutes with every
    // other step as long as the walk does not look at that object first; moving an object the
    // walk found unreachable back to the young list's end does not commute with other such
    // moves or with the walk's own tentative moves. So the waiting items are all reached, in
    // the map's order, before any of those: before the walk moves an object back itself, calls
    // a traverse function, or looks at an object whose gc_refs is 0 (which may be one of
    // them), when one of them is to move back, and when the walk would end. Until then the
    // walk has moved nothing back and found nothing unreachable since the run's owner, so
    // they are reached in the state they would have been reached in.
    const waiting = ltU(get(L.dAt), get(L.dEnd));
    const reachWaiting = (ref: Code): Code => reachWith(L.r2, L.rf2, ref);
    const drain = seq(
      when(
        get(L.dBack),
        seq(
          set(L.e, sub(get(L.dEnd), get(L.dStride))),
          whileLoop(
            geU(get(L.e), get(L.dAt)),
            reachWaiting(load(get(L.e))),
            set(L.e, sub(get(L.e), get(L.dStride))),
          ),
        ),
        whileLoop(
          ltU(get(L.dAt), get(L.dEnd)),
          reachWaiting(load(get(L.dAt))),
          set(L.dAt, add(get(L.dAt), get(L.dStride))),
        ),
      ),
      set(L.dAt, i32(0)),
      set(L.dEnd, i32(0)),
    );
    /**
     * The next waiting item when it is the object the walk steps to (in the young list and not
     * yet looked at, so reaching it only clears its bit), else all of them: the run's items are
     * not the objects that follow it.
     */
    const stepWaiting = when(
      eq(load(get(L.dAt)), get(L.node)),
      seq(reachWaiting(get(L.node)), set(L.dAt, add(get(L.dAt), get(L.dStride)))),
      drain,
    );
    /** The walk's visit_reachable: the waiting items first when it moves an object back. */
    const reach = (ref: Code): Code =>
      reachWith(
        L.r,
        L.rf,
        ref,
        when(
          and(ne(and(get(L.rf), i32(UNREACHABLE)), i32(0)), waiting),
          seq(drain, set(L.rf, load(get(L.r), OB_FLAGS))),
        ),
      );
    w.define(
      moveUnreachable,
      Object.keys(L).length,
      seq(
        set(L.flagsAt, load(get(tables), 4 * H_FLAGS)),
        set(L.walkAt, load(get(tables), 4 * H_WALK)),
        set(L.fieldsAt, load(get(tables), 4 * H_FIELDS)),
        set(L.rulesAt, load(get(tables), 4 * H_RULES)),
        set(L.rulesLength, load(get(tables), 4 * H_RULES_LENGTH)),
        set(L.notedAt, load(get(tables), 4 * H_NOTED)),
        set(L.node, load(get(young), GC_NEXT)),
        whileLoop(
          ne(get(L.node), get(young)),
          when(waiting, stepWaiting),
          set(L.f, load(get(L.node), OB_FLAGS)),
          when(
            and(ne(and(get(L.f), i32(COLLECTING)), i32(0)), waiting),
            when(
              eqz(load(get(L.node), GC_REFS)),
              seq(drain, set(L.f, load(get(L.node), OB_FLAGS))),
            ),
          ),
          when(
            and(get(L.f), i32(COLLECTING)),
            when(
              ne(load(get(L.node), GC_REFS), i32(0)),
              store(get(L.node), and(get(L.f), i32(~COLLECTING)), OB_FLAGS),
              seq(
                store(get(L.node), or(get(L.f), i32(UNREACHABLE)), OB_FLAGS),
                set(L.t, load(get(L.node), OB_TYPE)),
                when(
                  ne(get(L.t), get(L.movedType)),
                  seq(
                    set(L.movedType, get(L.t)),
                    set(L.movedFlags, load(add(get(L.flagsAt), shl(get(L.t), i32(2))))),
                    set(
                      L.attention,
                      or(get(L.attention), and(get(L.movedFlags), i32(HAS_FINALIZE | IS_WEAKREF))),
                    ),
                  ),
                ),
                when(
                  and(get(L.movedFlags), i32(WEAKREFABLE)),
                  set(L.attention, or(get(L.attention), load(get(L.node), OB_WEAKLIST))),
                ),
                when(eqz(get(L.runFirst)), set(L.runFirst, get(L.node))),
                set(L.runLast, get(L.node)),
                set(L.node, load(get(L.node), GC_NEXT)),
                // continue: the body sits in block(loop(…)) inside two ifs.
                br(2),
              ),
            ),
          ),
          when(ne(get(L.runFirst), i32(0)), seq(moveRun, set(L.runFirst, i32(0)))),
          set(L.t, load(get(L.node), OB_TYPE)),
          when(
            ne(get(L.t), get(L.type)),
            seq(
              loadType(L, get(L.t), get(L.flagsAt), get(L.walkAt)),
              when(
                ne(load(get(L.rec), slot(WALK_REVERSE)), i32(0)),
                set(L.stride, sub(i32(0), get(L.stride))),
              ),
              set(L.typeBefore, load(get(L.rec), slot(WALK_TYPE_BEFORE))),
              set(L.typeAfter, load(get(L.rec), slot(WALK_TYPE_AFTER))),
              set(
                L.typeRules,
                choose(
                  ltU(get(L.t), get(L.rulesLength)),
                  load(add(get(L.rulesAt), shl(get(L.t), i32(2)))),
                  i32(0),
                ),
              ),
              set(L.reachedRules, or(get(L.reachedRules), get(L.typeRules))),
            ),
          ),
          when(
            eqz(and(get(L.tf), i32(HAS_MAP))),
            seq(when(waiting, drain), call(traverse, get(L.node), get(young), i32(1))),
            seq(
              when(ne(get(L.typeBefore), i32(0)), reach(get(L.typeBefore))),
              walkMap(
                L,
                get(L.fieldsAt),
                reach,
                true,
                choose(
                  and(ltU(i32(DEFER_RUN), get(L.i)), eqz(waiting)),
                  seq(
                    set(L.dBack, ltS(get(L.stride), i32(0))),
                    set(L.dStride, select(sub(i32(0), get(L.stride)), get(L.stride), get(L.dBack))),
                    set(L.dAt, add(get(L.blk), get(L.first))),
                    set(L.dEnd, add(get(L.dAt), mul(get(L.dStride), get(L.i)))),
                    i32(1),
                  ),
                  i32(0),
                ),
              ),
              when(ne(get(L.typeAfter), i32(0)), reach(get(L.typeAfter))),
            ),
          ),
          set(L.next, load(get(L.node), GC_NEXT)),
          // The walk's end: the waiting items may move objects back after it.
          when(
            and(eq(get(L.next), get(young)), waiting),
            seq(drain, set(L.next, load(get(L.node), GC_NEXT))),
          ),
          set(L.reachable, add(get(L.reachable), i32(1))),
          when(
            and(get(L.typeRules), get(perObject)),
            seq(
              when(
                and(get(L.typeRules), i32(RULE_BITS.full)),
                seq(
                  when(
                    ltU(get(L.noted), i32(NOTED)),
                    store(add(get(L.notedAt), shl(get(L.noted), i32(2))), get(L.node)),
                  ),
                  set(L.noted, add(get(L.noted), i32(1))),
                ),
              ),
              when(
                and(get(fused), ne(and(get(L.typeRules), i32(RULE_BITS.mapAny)), i32(0))),
                seq(
                  // A type with inline items only (a tuple) is tested here, as detection.ts
                  // does, with its walk record's facts in locals; any other map by the call.
                  when(
                    and(
                      eqz(get(L.count)),
                      and(eq(get(L.run), i32(RUN_INLINE)), eqz(and(get(L.tf), i32(HAS_TABLE)))),
                    ),
                    seq(
                      set(L.yes, i32(1)),
                      set(
                        L.i,
                        select(
                          sub(i32(0), get(L.stride)),
                          get(L.stride),
                          ltS(get(L.stride), i32(0)),
                        ),
                      ),
                      set(L.at, add(get(L.node), get(L.first))),
                      set(
                        L.end,
                        add(get(L.at), mul(get(L.i), load(add(get(L.node), get(L.runCount))))),
                      ),
                      whileLoop(
                        ltU(get(L.at), get(L.end)),
                        set(L.r, load(get(L.at))),
                        // Depths: when 0, loop 1, block 2 (the break).
                        when(eqz(get(L.r)), seq(set(L.yes, i32(0)), br(2))),
                        when(
                          and(load(get(L.r), OB_FLAGS), i32(GC_HEAD)),
                          seq(
                            // A tracked item fails whatever its type: its link is read first.
                            when(
                              ne(load(get(L.r), GC_NEXT), i32(0)),
                              seq(set(L.yes, i32(0)), br(3)),
                            ),
                            set(L.k, load(get(L.r), OB_TYPE)),
                            when(geU(get(L.k), get(L.rulesLength)), seq(set(L.yes, i32(0)), br(3))),
                            when(
                              eqz(
                                and(
                                  load(add(get(L.rulesAt), shl(get(L.k), i32(2)))),
                                  i32(RULE_BITS.acyclicUntracked),
                                ),
                              ),
                              seq(set(L.yes, i32(0)), br(3)),
                            ),
                          ),
                        ),
                        set(L.at, add(get(L.at), get(L.i))),
                      ),
                    ),
                    set(L.yes, call(untrackable, get(L.node), get(L.rec), get(L.tf), get(tables))),
                  ),
                  when(
                    get(L.yes),
                    seq(
                      unlink(L.node),
                      store(get(L.node), i32(0), GC_NEXT),
                      set(L.untracked, add(get(L.untracked), i32(1))),
                    ),
                  ),
                ),
              ),
            ),
          ),
          set(L.node, get(L.next)),
        ),
        when(ne(get(L.runFirst), i32(0)), moveRun),
        store(get(tables), get(L.attention), 4 * H_ATTENTION),
        store(get(tables), get(L.reachedRules), 4 * H_REACHED),
        store(get(tables), get(L.untracked), 4 * H_UNTRACKED),
        store(get(tables), get(L.noted), 4 * H_NOTED_COUNT),
        get(L.reachable),
      ),
    );
  }
  return w.bytes();
}

/**
 * How many survivors with a full-collection rule move_unreachable notes down (detection.ts'
 * NOTED); the noted addresses sit in the mirrored tables' block.
 */
export const NOTED = 1024;

interface KernelExports {
  update_refs(base: number): number;
  subtract_refs(base: number, tables: number): number;
  subtract_refs_all(base: number, tables: number): number;
  move_unreachable(
    young: number,
    unreachable: number,
    tables: number,
    perObject: number,
    fused: number,
  ): number;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: KernelExports };
  Memory: unknown;
}

let compiled: object | undefined | null;

/** The compiled module, made once per process (null when this engine cannot make it). */
function kernelModule(): object | null {
  if (compiled !== undefined) return compiled;
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  try {
    compiled = api ? new api.Module(kernelBytes()) : null;
  } catch {
    // An engine without WebAssembly, or one that refuses to compile a module synchronously
    // (a browser's main thread does past a few kilobytes): the JavaScript walks do the work.
    compiled = null;
  }
  return compiled;
}

/**
 * The first size of the tables' block: a few dozen types and the noted survivors. The
 * runtime's several hundred types move it once, to a larger power of two.
 */
const FIRST_BLOCK = 16384;

/** Where the kernel's mirrored tables are allocated. */
export interface KernelBlocks {
  malloc(bytes: number): number;
  free(address: number): void;
}

/**
 * A fixed range of the memory for the kernel's mirrored tables, which no allocator hands out:
 * the tables there are no block of any allocator and show in none of their figures. Tables
 * that outgrow it are not mirrored, and the JavaScript walks detect.
 */
export interface KernelRegion {
  /** The first byte: a multiple of 16, never in the NULL page's first 16 bytes. */
  readonly address: number;
  /** Its length in bytes: a multiple of 4. */
  readonly bytes: number;
}

/** Whether `place` is a fixed region rather than an allocator. */
export function isKernelRegion(place: KernelBlocks | KernelRegion): place is KernelRegion {
  return typeof (place as Partial<KernelBlocks>).malloc !== "function";
}

/**
 * Checks a {@link KernelRegion} against `memory`: whole words, off NULL, inside the memory's
 * maximum. Returns the problem, or undefined when there is none.
 */
export function kernelRegionProblem(region: KernelRegion, memory: Memory): string | undefined {
  const { address, bytes } = region;
  if (!Number.isInteger(address) || address < 16 || address % 16 !== 0) {
    return `kernelTables.address must be a multiple of 16 from 16 up, got ${String(address)}`;
  }
  if (!Number.isInteger(bytes) || bytes < 4 * (HEADER_WORDS + NOTED) || bytes % 4 !== 0) {
    return `kernelTables.bytes must be a multiple of 4 of at least ${4 * (HEADER_WORDS + NOTED)} (the header and the noted survivors), got ${String(bytes)}`;
  }
  if (address + bytes > memory.maximumBytes) {
    return `kernelTables [${address}, ${address + bytes}) ends past the memory's maximum (${memory.maximumBytes} bytes)`;
  }
  return undefined;
}

/** Walks a type without a pointer map: `reach` 1 for move_unreachable, else subtract_refs. */
export type KernelTraverse = (object: number, arg: number, reach: number) => void;

/**
 * One instance of the kernel over one heap memory, with its mirrored tables. Made by
 * {@link WasmKernel.over}, which says no (undefined) for a memory that is not a
 * `WebAssembly.Memory` or an engine that cannot compile the module.
 */
export class WasmKernel {
  readonly #exports: KernelExports;
  readonly #memory: Memory;
  /** The allocator of the tables' block, or undefined when they sit in a fixed region. */
  readonly #blocks: KernelBlocks | undefined;
  /** The mirrored tables' block (or region) and its size in bytes, and what it mirrors. */
  #block: number;
  #capacity: number;
  #tables: TypeTables | undefined;
  #rules: Int32Array | undefined;
  #rulesVersion = -1;

  private constructor(
    exports: KernelExports,
    memory: Memory,
    blocks: KernelBlocks | undefined,
    block: number,
    capacity: number,
  ) {
    this.#exports = exports;
    this.#memory = memory;
    this.#blocks = blocks;
    this.#block = block;
    this.#capacity = capacity;
  }

  /**
   * A kernel over `memory`, or undefined when the JavaScript walks must do (the memory is no
   * `WebAssembly.Memory` or the engine cannot compile the module). With a {@link KernelRegion}
   * the tables are written there; with an allocator, into a block allocated at the first
   * {@link WasmKernel.sync}, the first collection: a program that never collects has no such
   * block in its heap. A region must have passed {@link kernelRegionProblem}.
   */
  static over(
    memory: Memory,
    place: KernelBlocks | KernelRegion,
    traverse: KernelTraverse,
  ): WasmKernel | undefined {
    const wasm: WasmMemory | undefined = memory.wasmMemory;
    if (wasm === undefined) return undefined;
    const module = kernelModule();
    if (module === null) return undefined;
    const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const instance = new api.Instance(module, {
      mm: {
        heap: wasm,
        traverse: (object: number, arg: number, reach: number) =>
          traverse(object >>> 0, arg >>> 0, reach),
      },
    });
    return isKernelRegion(place)
      ? new WasmKernel(instance.exports, memory, undefined, place.address, place.bytes)
      : new WasmKernel(instance.exports, memory, place, 0, 0);
  }

  /**
   * Mirrors `tables` and `rules` into the heap when either changed since the last sync (the
   * rules by identity and `rulesVersion`). Returns false, and the walks must be the
   * JavaScript ones, when the block cannot be allocated, or when the tables do not fit the
   * fixed region (or the memory cannot grow to cover it).
   */
  sync(tables: TypeTables, rules: Int32Array, rulesVersion: number): boolean {
    if (tables === this.#tables && rules === this.#rules && rulesVersion === this.#rulesVersion) {
      return true;
    }
    const words =
      HEADER_WORDS + tables.flags.length + tables.walk.length + tables.fields.length + rules.length;
    const bytes = 4 * (words + NOTED);
    const blocks = this.#blocks;
    if (blocks === undefined) {
      if (bytes > this.#capacity) return false;
      const end = this.#block + bytes;
      if (end > this.#memory.byteLength && !this.#memory.grow(end)) return false;
    } else if (bytes > this.#capacity) {
      // A power of two: the block moves seldom as types are added, and where it lands depends
      // on the number of types rather than on the exact shape of their maps.
      let capacity = Math.max(this.#capacity, FIRST_BLOCK);
      while (capacity < bytes) capacity *= 2;
      const block = blocks.malloc(capacity);
      if (block === 0) return false;
      if (this.#block !== 0) blocks.free(this.#block);
      this.#block = block;
      this.#capacity = capacity;
    }
    const block = this.#block;
    const i32v = this.#memory.i32;
    let at = (block >>> 2) + HEADER_WORDS;
    const place = (values: Int32Array): number => {
      i32v.set(values, at);
      const address = 4 * at;
      at += values.length;
      return address;
    };
    const base = block >>> 2;
    i32v[base + H_FLAGS] = place(tables.flags);
    i32v[base + H_WALK] = place(tables.walk);
    i32v[base + H_FIELDS] = place(tables.fields);
    i32v[base + H_RULES] = place(rules);
    i32v[base + H_RULES_LENGTH] = rules.length;
    i32v[base + H_NOTED] = 4 * at;
    this.#tables = tables;
    this.#rules = rules;
    this.#rulesVersion = rulesVersion;
    return true;
  }

  updateRefs(base: number): number {
    return this.#exports.update_refs(base);
  }

  subtractRefs(base: number, all: boolean): number {
    return all
      ? this.#exports.subtract_refs_all(base, this.#block)
      : this.#exports.subtract_refs(base, this.#block);
  }

  moveUnreachable(young: number, unreachable: number, perObject: number, fused: boolean): number {
    return this.#exports.move_unreachable(
      young,
      unreachable,
      this.#block,
      perObject,
      fused ? 1 : 0,
    );
  }

  /** What the last move_unreachable reported: attention (an int32, as detection.ts' is). */
  get attention(): number {
    return this.#memory.i32[(this.#block >>> 2) + H_ATTENTION]!;
  }
  get reachedRules(): number {
    return this.#memory.i32[(this.#block >>> 2) + H_REACHED]!;
  }
  get untracked(): number {
    return this.#memory.i32[(this.#block >>> 2) + H_UNTRACKED]!;
  }
  get notedCount(): number {
    return this.#memory.i32[(this.#block >>> 2) + H_NOTED_COUNT]!;
  }
  /** Copies the noted survivors (at most {@link NOTED}) into `into`. */
  copyNoted(into: Uint32Array, count: number): void {
    const at = this.#memory.i32[(this.#block >>> 2) + H_NOTED]! >>> 2;
    into.set(this.#memory.u32.subarray(at, at + Math.min(count, NOTED)));
  }
}
