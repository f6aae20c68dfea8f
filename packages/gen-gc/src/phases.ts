// What happens to unreachable objects once a collector knows which they are, written once for
// the generational and the tracing collector, in CPython 3.11's order (gc_collect_main after
// move_unreachable): legacy finalizers and what they reach are set aside as uncollectable
// (move_legacy_finalizers, move_legacy_finalizer_reachable); weak references to the trash are
// cleared and the callbacks of live weak references run (handle_weakrefs); finalizers run once
// (finalize_garbage, PEP 442); what a finalizer resurrected is found by a second detection and
// survives (handle_resurrected_objects); the rest is cleared or saved (delete_garbage,
// DEBUG_SAVEALL); the uncollectable objects go to gc.garbage (handle_legacy_finalizers).
//
// The trash is an intrusive list threaded through the objects' GC heads (internal/gc-list.ts),
// each object marked COLLECTING and UNREACHABLE: the generational collector's move_unreachable
// leaves it so, and the tracing collector gathers what its mark did not reach into one. How an
// object dies at the end depends on the collector: with reference counts `clear` breaks its
// references and counting frees it; without, it is freed in place.

import {
  hex,
  OB_FLAGS,
  OB_TYPE,
  OB_WEAKLIST,
  ObjectFlags,
  type ObjectSpace,
  TypeFlags,
  type Visit,
} from "@mm/heap";
import type { RefCounter, UnraisableHook, WeakrefCallback } from "@mm/refcount";
import { DebugFlags } from "./api.js";
import type { GcModuleState } from "./gc-state.js";
import * as list from "./internal/gc-list.js";
import { HAS_FINALIZE, IS_WEAKREF, type TypeTables } from "./internal/type-tables.js";

/** Header offsets (@mm/heap's `OB_*`), written in place by every compiler. */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Off {
  ObFlags = 4,
  ObType = 8,
  ObWeaklist = 12,
}

/** Bits of `ob_flags` (@mm/heap's `ObjectFlags`). */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Flag {
  Finalized = 2,
  GcHead = 4,
  Collecting = 8,
  Unreachable = 16,
}

/** The type tables' HAS_FINALIZE and IS_WEAKREF bits. */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Table {
  HasFinalize = 1 << 16,
  IsWeakref = 1 << 19,
}

/** What {@link CollectionPhases} is made with. */
export interface CollectionPhasesOptions {
  readonly space: ObjectSpace;
  readonly state: GcModuleState;
  /** The collector's reference counter (weak references, finalizers, and counts if it keeps them). */
  readonly rc: RefCounter;
  readonly unraisable: UnraisableHook;
  readonly log: (line: string) => void;
  /**
   * Whether the collector keeps reference counts. With counts an object is held by a new
   * reference across a finalizer or a callback, and the trash dies by `clear` and counting;
   * without, no count is touched and the trash is handed to `free`.
   */
  readonly counts: boolean;
  /** tp_free, for a collector without counts. */
  readonly free?: (object: number) => void;
}

/** One collection's unreachable objects, as the detection left them. */
export interface Detected {
  /** The head of the unreachable list; its objects are COLLECTING and UNREACHABLE. */
  readonly unreachable: number;
  /** The list the survivors join (the next generation; a scratch list without generations). */
  readonly old: number;
  /** How many objects the unreachable list holds. */
  readonly count: number;
  /**
   * What the detection saw of the trash, or-ed together: weak list heads and the type tables'
   * HAS_FINALIZE and IS_WEAKREF bits. 0 says that no weak reference and no finalizer needs
   * handling, and with counts that delete_garbage may try to free the trash in one pass.
   */
  readonly attention: number;
  /**
   * handle_resurrected_objects' second detection, run when a finalizer ran: moves the objects
   * of `unreachable` that are still unreachable to `still` (COLLECTING kept, UNREACHABLE
   * cleared), leaves the resurrected ones in `unreachable` with both cleared, and returns how
   * many moved.
   */
  readonly resurrect: (unreachable: number, still: number) => number;
  /**
   * Objects without a GC head that die with the trash (a collector without counts finds them;
   * with counts such objects die when the trash releases them). They go through the weak
   * reference and finalizer phases after the list, and through the second detection.
   */
  readonly alsoDying?: number[];
}

/** What {@link CollectionPhases.run} found. */
export interface PhasesResult {
  /** CPython's `m`: the trash freed (or saved), plus weak references the callbacks freed. */
  readonly collected: number;
  /** CPython's `n`: legacy finalizers and what they reach. */
  readonly uncollectable: number;
  /** Finalizers that ran. */
  readonly finalized: number;
}

/**
 * The post-detection phases, shared by the collectors of this package: one instance per
 * collector, over its object space, gc-module state and reference counter.
 */
export class CollectionPhases {
  readonly #space: ObjectSpace;
  readonly #state: GcModuleState;
  readonly #rc: RefCounter;
  readonly #unraisable: UnraisableHook;
  readonly #log: (line: string) => void;
  readonly #counts: boolean;
  readonly #free: (object: number) => void;
  /** The heads of the lists the phases use (for a collector that must empty them after an error). */
  readonly heads: readonly number[];
  /** The uncollectable objects of the running collection (move_legacy_finalizers'). */
  readonly finalizers: number;
  readonly #wrcbToCall: number;
  readonly #seen: number;
  readonly #stillUnreachable: number;
  #u32: Uint32Array;
  #tables!: TypeTables;
  /**
   * What handle_weakrefs' walk found for the later phases: the trash's size and the first
   * object whose finalizer must run (the list head for none). -1 and 0 when a callback ran
   * and the phases must look again.
   */
  #trashCount = -1;
  #firstToFinalize = 0;
  /** Weak references whose callbacks handle_weakrefs runs, and those of them not tracked. */
  #pending: Map<number, WeakrefCallback> | undefined;
  #untracked: number[] = [];

  constructor(options: CollectionPhasesOptions) {
    const { space } = options;
    this.#space = space;
    this.#state = options.state;
    this.#rc = options.rc;
    this.#unraisable = options.unraisable;
    this.#log = options.log;
    this.#counts = options.counts;
    this.#free = options.free ?? ((object) => space.free(object));
    this.#u32 = space.memory.u32;
    space.memory.onGrow((memory) => {
      this.#u32 = memory.u32;
    });
    const heads = list.allocateHeads(space.memory, (n) => space.allocator.malloc(n), 4);
    this.heads = heads;
    [this.finalizers, this.#wrcbToCall, this.#seen, this.#stillUnreachable] = heads as [
      number,
      number,
      number,
      number,
    ];
  }

  /**
   * Runs every phase over `detected` with the collector's type tables, from the legacy
   * finalizers to gc.garbage. Survivors end on `detected.old`, the trash is gone (or in
   * gc.garbage), and no COLLECTING or UNREACHABLE mark is left on any of them.
   */
  run(tables: TypeTables, detected: Detected): PhasesResult {
    this.#tables = tables;
    const { unreachable, old } = detected;
    const u32 = this.#u32;
    const debug = this.#state.debug;
    const finalizers = this.finalizers;
    list.init(u32, finalizers);
    // Without a type that has a legacy finalizer, move_legacy_finalizers would only clear the
    // UNREACHABLE marks: handle_weakrefs' walk clears them instead.
    const legacy = (tables.anyFlags & TypeFlags.LegacyFinalizer) !== 0;
    if (legacy) {
      this.#moveLegacyFinalizers(unreachable, finalizers);
      this.#moveLegacyFinalizerReachable(finalizers);
    }
    if (debug & DebugFlags.Collectable) {
      for (const node of list.toArray(this.#u32, unreachable)) this.logObject("collectable", node);
    }

    let m = 0;
    const extra = detected.alsoDying ?? [];
    // Whether no trash object needs the weakref or finalizer phases: then delete_garbage may
    // find it closed and free it in one pass.
    const plain = !legacy && detected.attention === 0 && extra.length === 0;
    if (!plain) m = this.#handleWeakrefs(unreachable, old, !legacy, extra);
    else {
      // No weak reference and no finalizer to handle: the walk would only count the trash
      // (and clear its UNREACHABLE marks, which delete_garbage clears instead).
      this.#trashCount = detected.count;
      this.#firstToFinalize = unreachable;
    }
    const finalized = this.#finalizeGarbage(unreachable, extra);
    const still = this.#stillUnreachable;
    const trash = this.#handleResurrected(unreachable, still, old, finalized, detected.resurrect);
    m += trash;
    this.#deleteGarbage(still, old, trash, plain);

    let n = 0;
    for (
      let node = list.next(this.#u32, finalizers);
      node !== finalizers;
      node = list.next(this.#u32, node)
    ) {
      n++;
      if (debug & DebugFlags.Uncollectable) this.logObject("uncollectable", node);
    }
    this.#handleLegacyFinalizers(finalizers, old);
    return { collected: m, uncollectable: n, finalized };
  }

  // ------------------------------------------------------------- legacy finalizers

  #moveLegacyFinalizers(unreachable: number, finalizers: number): void {
    let node = list.next(this.#u32, unreachable);
    while (node !== unreachable) {
      const u32 = this.#u32;
      const next = list.next(u32, node);
      u32[(node + Off.ObFlags) >>> 2]! &= ~Flag.Unreachable;
      if (this.#tables.flags[u32[(node + Off.ObType) >>> 2]!]! & TypeFlags.LegacyFinalizer) {
        u32[(node + Off.ObFlags) >>> 2]! &= ~Flag.Collecting;
        list.move(u32, node, finalizers);
      }
      node = next;
    }
  }

  #moveLegacyFinalizerReachable(finalizers: number): void {
    const visit = this.#visitMove;
    const traverses = this.#tables.traverses;
    for (
      let node = list.next(this.#u32, finalizers);
      node !== finalizers;
      node = list.next(this.#u32, node)
    ) {
      traverses[this.#u32[(node + Off.ObType) >>> 2]!]!(node, visit, finalizers);
    }
  }

  /** visit_move: what a legacy finalizer reaches is uncollectable too. */
  readonly #visitMove: Visit = (ref, finalizers) => {
    // COLLECTING is only ever set on a container: it also says the referent has a GC head.
    const u32 = this.#u32;
    const flags = (ref + Off.ObFlags) >>> 2;
    if (ref !== 0 && u32[flags]! & Flag.Collecting) {
      list.move(u32, ref, finalizers);
      u32[flags]! &= ~Flag.Collecting;
    }
    return 0;
  };

  // ------------------------------------------------------------- weak references

  /**
   * handle_weakrefs: clears every weak reference to the trash (and every weak reference that is
   * trash), then runs the callbacks of the weak references that are not trash themselves.
   * Returns how many of those weak references the callbacks' decrefs freed.
   *
   * Its walk over the trash also does what two later walks would: it counts the trash and
   * finds the first object whose finalizer must run (for finalize_garbage and
   * handle_resurrected_objects; only a callback could change either, so the findings stand
   * when none ran), and with `clearMarks` it clears the UNREACHABLE marks.
   */
  #handleWeakrefs(unreachable: number, old: number, clearMarks: boolean, extra: number[]): number {
    const rc = this.#rc;
    const wrcb = this.#wrcbToCall;
    const u32 = this.#u32;
    const flags = this.#tables.flags;
    list.init(u32, wrcb);
    this.#pending = undefined;
    this.#untracked = [];
    let count = 0;
    let firstToFinalize = unreachable;
    for (let node = u32[(unreachable - 16) >>> 2]!; node !== unreachable; ) {
      const next = u32[(node - 16) >>> 2]!;
      if (clearMarks) u32[(node + Off.ObFlags) >>> 2]! &= ~Flag.Unreachable;
      const typeId = u32[(node + Off.ObType) >>> 2]!;
      const typeFlags = flags[typeId]!;
      if (
        firstToFinalize === unreachable &&
        (typeFlags & Table.HasFinalize) !== 0 &&
        (u32[(node + Off.ObFlags) >>> 2]! & Flag.Finalized) === 0
      ) {
        firstToFinalize = node;
      }
      count++;
      if (typeFlags & Table.IsWeakref) rc.clearWeakref(node);
      if (typeFlags & TypeFlags.Weakrefable && u32[(node + Off.ObWeaklist) >>> 2] !== 0) {
        this.#clearWeakrefsTo(node, wrcb);
      }
      node = next;
    }
    for (const object of extra) {
      if (rc.isWeakrefType(this.#u32[(object + Off.ObType) >>> 2]!)) rc.clearWeakref(object);
      this.#clearWeakrefsTo(object, wrcb);
    }
    // (#clearWeakrefsTo fills it: read it again, past the narrowing of the reset above.)
    const pending = this.#pending as Map<number, WeakrefCallback> | undefined;
    this.#trashCount = pending ? -1 : count;
    this.#firstToFinalize = pending ? 0 : firstToFinalize;
    if (!pending) return 0;
    this.#pending = undefined;
    const counts = this.#counts;
    let freed = 0;
    while (!list.isEmpty(this.#u32, wrcb)) {
      const wr = list.next(this.#u32, wrcb);
      this.runWeakrefCallback(wr, pending.get(wr)!);
      if (counts) rc.decref(wr);
      if (list.next(this.#u32, wrcb) === wr) list.move(this.#u32, wr, old);
      else freed++;
    }
    for (const wr of this.#untracked) {
      this.runWeakrefCallback(wr, pending.get(wr)!);
      if (!counts) continue;
      rc.decref(wr);
      if (!this.#space.isLive(wr)) freed++;
    }
    this.#untracked = [];
    return freed;
  }

  /**
   * Clears the weak references to one dying object; those with a callback that are not trash
   * themselves (not COLLECTING) are held for their callback, on `wrcb` if tracked.
   */
  #clearWeakrefsTo(object: number, wrcb: number): void {
    const rc = this.#rc;
    const u32 = this.#u32;
    if ((this.#space.typeOf(object).flags & TypeFlags.Weakrefable) === 0) return;
    for (
      let wr = u32[(object + Off.ObWeaklist) >>> 2]!;
      wr !== 0;
      wr = u32[(object + Off.ObWeaklist) >>> 2]!
    ) {
      const callback = rc.clearWeakref(wr);
      if (callback === undefined) continue;
      if (u32[(wr + Off.ObFlags) >>> 2]! & Flag.Collecting) continue;
      if (this.#counts) rc.incref(wr);
      this.#pending ??= new Map();
      this.#pending.set(wr, callback);
      if ((u32[(wr + Off.ObFlags) >>> 2]! & Flag.GcHead) !== 0 && list.next(u32, wr) !== 0) {
        list.move(u32, wr, wrcb);
      } else this.#untracked.push(wr);
    }
  }

  /**
   * Clears the weak references to `object`, and `object` itself if it is one, without
   * callbacks: for trash about to be freed, whose weak references a finalizer may have made.
   */
  clearWeakrefsQuietly(object: number): void {
    const rc = this.#rc;
    if (rc.isWeakrefType(this.#u32[(object + Off.ObType) >>> 2]!)) rc.clearWeakref(object);
    if ((this.#space.typeOf(object).flags & TypeFlags.Weakrefable) === 0) return;
    for (
      let wr = this.#u32[(object + Off.ObWeaklist) >>> 2]!;
      wr !== 0;
      wr = this.#u32[(object + Off.ObWeaklist) >>> 2]!
    ) {
      rc.clearWeakref(wr);
    }
  }

  /** Runs a cleared weak reference's callback; an exception goes to the unraisable hook. */
  runWeakrefCallback(weakref: number, callback: WeakrefCallback): void {
    try {
      callback(weakref);
    } catch (error) {
      this.#unraisable(error, `weakref callback of ${hex(weakref)}`, weakref);
    }
  }

  // ------------------------------------------------------------- finalizers

  /**
   * finalize_garbage: each finalizer once, with the object held alive across the call (by a
   * reference, with counts). Returns how many finalizers ran.
   */
  #finalizeGarbage(collectable: number, extra: number[]): number {
    let ran = 0;
    // CPython moves each object to `seen` before looking at it, so that a finalizer may change
    // the list. Up to the first object with a finalizer to run nothing can change it: that
    // prefix stays where it is, and the walk goes on CPython's way from there.
    let first = this.#firstToFinalize;
    if (first === 0) {
      first = list.next(this.#u32, collectable);
      while (first !== collectable && !this.#needsFinalize(first)) {
        first = list.next(this.#u32, first);
      }
    }
    if (first !== collectable) {
      this.#trashCount = -1;
      const seen = this.#seen;
      list.init(this.#u32, seen);
      list.spliceBefore(this.#u32, collectable, first, seen);
      while (!list.isEmpty(this.#u32, collectable)) {
        const node = list.next(this.#u32, collectable);
        list.move(this.#u32, node, seen);
        if (this.#needsFinalize(node)) {
          this.#finalize(node);
          ran++;
        }
      }
      list.merge(this.#u32, seen, collectable);
    }
    for (const object of extra) {
      if (this.#space.isLive(object) && this.#needsFinalize(object)) {
        this.#finalize(object);
        ran++;
      }
    }
    return ran;
  }

  #finalize(object: number): void {
    if (!this.#counts) {
      this.#rc.finalize(object);
      return;
    }
    this.#rc.incref(object);
    this.#rc.finalize(object);
    this.#rc.decref(object);
  }

  #needsFinalize(node: number): boolean {
    const u32 = this.#u32;
    return (
      (this.#tables.flags[u32[(node + Off.ObType) >>> 2]!]! & Table.HasFinalize) !== 0 &&
      (u32[(node + Off.ObFlags) >>> 2]! & Flag.Finalized) === 0
    );
  }

  /**
   * handle_resurrected_objects: a second detection finds what the finalizers made reachable
   * again. Returns how many objects are still unreachable. When no finalizer ran nothing can
   * have been resurrected (weakref callbacks cannot reach the trash: their weakrefs were cleared
   * first), and the pass would move every object, in order: the list is taken over as it is.
   */
  #handleResurrected(
    unreachable: number,
    still: number,
    old: number,
    finalized: number,
    resurrect: Detected["resurrect"],
  ): number {
    const u32 = this.#u32;
    if (finalized === 0) {
      // Only the count is needed: the UNREACHABLE marks are clear, or delete_garbage clears them.
      list.init(u32, still);
      let n = this.#trashCount;
      if (n < 0) n = list.size(u32, unreachable);
      list.merge(u32, unreachable, still);
      return n;
    }
    list.init(u32, still);
    const n = resurrect(unreachable, still);
    list.merge(this.#u32, unreachable, old);
    return n;
  }

  // ------------------------------------------------------------- the end of the trash

  /**
   * delete_garbage: `clear` breaks the cycles; reference counting frees the objects. When no
   * trash object needed the weakref or finalizer phases (`plain`), the trash may well only refer
   * to itself, and the counter is asked to free it all at once (`RefCounter.freeClosedList`):
   * nothing can watch such deaths, so clearing them one by one would only free the same blocks
   * in another order. The counter declines, having changed nothing, when the trash is not so.
   * Without counts each object is freed in list order, after its weak references are cleared.
   */
  #deleteGarbage(collectable: number, old: number, count: number, plain: boolean): void {
    if (this.#state.debug & DebugFlags.SaveAll) {
      this.#saveGarbage(collectable, old, count);
      return;
    }
    if (!this.#counts) {
      this.#sweep(collectable);
      return;
    }
    const rc = this.#rc;
    if (plain && rc.freeClosedList(collectable)) return;
    const clears = this.#tables.clears;
    const clearFields = this.#tables.clearFields;
    while (!list.isEmpty(this.#u32, collectable)) {
      let node = list.next(this.#u32, collectable);
      let clear = clears[this.#u32[(node + Off.ObType) >>> 2]!];
      if (clear !== undefined && clear === clearFields) {
        // The counter clears a run of such objects itself, in place; it stops at the first
        // object of another type or at one that outlived its clear.
        node = rc.clearList(collectable);
        if (node === collectable) break;
        clear = clears[this.#u32[(node + Off.ObType) >>> 2]!];
        if (clear !== clearFields) continue;
      } else if (clear) {
        rc.incref(node);
        this.#clear(node, clear);
        rc.decref(node);
      } else {
        // No clear (a tuple's type): nothing runs for this object, nor for the clear-less ones
        // right after it, and each would move to `old` in turn; the run moves in one splice.
        const u32 = this.#u32;
        let last = node;
        u32[(node + Off.ObFlags) >>> 2]! &= ~(Flag.Collecting | Flag.Unreachable);
        for (
          let after = list.next(u32, node);
          after !== collectable && clears[u32[(after + Off.ObType) >>> 2]!] === undefined;
          after = list.next(u32, after)
        ) {
          u32[(after + Off.ObFlags) >>> 2]! &= ~(Flag.Collecting | Flag.Unreachable);
          last = after;
        }
        list.moveRun(u32, node, last, old);
        continue;
      }
      if (list.next(this.#u32, collectable) === node) {
        this.#u32[(node + Off.ObFlags) >>> 2]! &= ~(Flag.Collecting | Flag.Unreachable);
        list.move(this.#u32, node, old);
      }
    }
  }

  #clear(node: number, clear: (object: number) => void): void {
    try {
      clear(node);
    } catch (error) {
      const name = this.#space.types.get(this.#u32[(node + Off.ObType) >>> 2]!).name;
      this.#unraisable(error, `in tp_clear of ${name}`, node);
    }
  }

  /**
   * delete_garbage without counts: every object of the list is unlinked and its weak
   * references cleared (a finalizer may have made some), then each is freed, in list order.
   */
  #sweep(collectable: number): void {
    const dying: number[] = [];
    while (!list.isEmpty(this.#u32, collectable)) {
      const node = list.next(this.#u32, collectable);
      list.remove(this.#u32, node);
      this.#u32[(node + Off.ObFlags) >>> 2]! &= ~(Flag.Collecting | Flag.Unreachable);
      this.clearWeakrefsQuietly(node);
      dying.push(node);
    }
    for (const node of dying) this.#free(node);
  }

  /**
   * delete_garbage under DEBUG_SAVEALL: every object of the list (`count` of them) goes to
   * `garbage` with a new reference, in list order, and the list joins `old`. Nothing runs in
   * between (incref calls nothing), so `garbage` grows once instead of once per append, and the
   * list moves in one splice instead of object by object.
   */
  #saveGarbage(collectable: number, old: number, count: number): void {
    const garbage = this.#state.garbage;
    garbage.reserve(count);
    for (
      let node = list.next(this.#u32, collectable);
      node !== collectable;
      node = list.next(this.#u32, node)
    ) {
      garbage.append(node);
      this.#u32[(node + Off.ObFlags) >>> 2]! &= ~(Flag.Collecting | Flag.Unreachable);
    }
    list.merge(this.#u32, collectable, old);
  }

  /** handle_legacy_finalizers: the uncollectable objects join gc.garbage (see {@link keepUncollectable}). */
  #handleLegacyFinalizers(finalizers: number, old: number): void {
    for (
      let node = list.next(this.#u32, finalizers);
      node !== finalizers;
      node = list.next(this.#u32, node)
    ) {
      this.keepUncollectable(node);
    }
    list.merge(this.#u32, finalizers, old);
  }

  // ------------------------------------------------------------- policies

  /**
   * handle_legacy_finalizers' rule for one uncollectable object: it goes to gc.garbage when its
   * type has a legacy finalizer, or with DEBUG_SAVEALL.
   */
  keepUncollectable(object: number): void {
    if (
      this.#state.debug & DebugFlags.SaveAll ||
      this.#space.typeOf(object).flags & TypeFlags.LegacyFinalizer
    ) {
      this.#state.garbage.append(object);
    }
  }

  /** DEBUG_COLLECTABLE's and DEBUG_UNCOLLECTABLE's line for one object. */
  logObject(what: "collectable" | "uncollectable", object: number): void {
    const type = this.#space.typeOf(object);
    this.#log(`gc: ${what} <${type.name} 0x${object.toString(16)}>`);
  }

  /** DEBUG_STATS' last line of a collection. */
  logDone(unreachable: number, uncollectable: number, elapsedMs: number): void {
    if (this.#state.debug & DebugFlags.Stats) {
      this.#log(
        `gc: done, ${unreachable} unreachable, ${uncollectable} uncollectable, ${(elapsedMs / 1000).toFixed(4)}s elapsed`,
      );
    }
  }
}

// The inlined numbers must be the exported ones: a mismatch is a build error, found at load.
for (const [name, inlined, exported] of [
  ["OB_FLAGS", Off.ObFlags, OB_FLAGS],
  ["OB_TYPE", Off.ObType, OB_TYPE],
  ["OB_WEAKLIST", Off.ObWeaklist, OB_WEAKLIST],
  ["ObjectFlags.Finalized", Flag.Finalized, ObjectFlags.Finalized],
  ["ObjectFlags.GcHead", Flag.GcHead, ObjectFlags.GcHead],
  ["ObjectFlags.Collecting", Flag.Collecting, ObjectFlags.Collecting],
  ["ObjectFlags.Unreachable", Flag.Unreachable, ObjectFlags.Unreachable],
  ["HAS_FINALIZE", Table.HasFinalize, HAS_FINALIZE],
  ["IS_WEAKREF", Table.IsWeakref, IS_WEAKREF],
] as const) {
  if (inlined !== exported)
    throw new Error(`gen-gc was built with ${name} = ${inlined}, not ${exported}`);
}
