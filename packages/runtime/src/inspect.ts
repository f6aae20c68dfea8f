// The inspection view: what tools (a debugger, a visualiser, the CLI's pictures) may see of a
// runtime, as plain data. It is a snapshot: taking it reads the heap and allocates nothing in
// it, and the result is a copy that does not change as the program runs on (a live view would
// have to say what it means to read it mid-collection; a snapshot never has to).

import type { ArenaStats, PoolStats } from "@mm/pool-allocator";
import type { CollectorName } from "./api.js";
import { coreOf, type RuntimeCore } from "./internal/core.js";

/** One live object, as {@link RuntimeSnapshot.objects} lists it. */
export interface ObjectView {
  /** Its address in the heap. */
  readonly address: number;
  /** `type(o).__name__`. */
  readonly type: string;
  /**
   * Its block's size in bytes: header and pre-header included, as the allocator handed it out
   * (item arrays, key tables and instance values are blocks of their own).
   */
  readonly size: number;
  /**
   * `sys.getrefcount(o) - 1`: the references variables, handles, temporaries and objects hold.
   * Under strategies without counts it is counted from the roots and the containers.
   */
  readonly refcount: number;
  /** Its generation (0 to 2), `"permanent"` when frozen, undefined when not tracked. */
  readonly generation: 0 | 1 | 2 | "permanent" | undefined;
  /** `gc.is_tracked(o)`. */
  readonly tracked: boolean;
  /** `gc.is_finalized(o)`: its `__del__` has run. */
  readonly finalized: boolean;
  /** What it refers to (`gc.get_referents(o)`): empty for non-containers. */
  readonly referents: readonly number[];
}

/** One variable of a frame. */
export interface VariableView {
  readonly name: string;
  /** The object it is bound to. */
  readonly address: number;
}

/** One frame of the stack. */
export interface FrameView {
  /** The function's name (`<module>` for the module frame). */
  readonly name: string;
  readonly filename: string;
  /** The line it is at. */
  readonly line: number;
  /** Its bound variables in slot order (co_varnames order for a function). */
  readonly variables: readonly VariableView[];
}

/** One generation of the generational collector. */
export interface GenerationView {
  /** `gc.get_count()[i]`. */
  readonly count: number;
  /** `gc.get_threshold()[i]`. */
  readonly threshold: number;
  /** The objects in it (`gc.get_objects(i)`), oldest first. */
  readonly members: readonly number[];
}

/** pymalloc's arenas and pools. */
export interface PoolsView {
  /** Every allocated arena, by index. */
  readonly arenas: readonly ArenaStats[];
  /** Every carved pool. */
  readonly pools: readonly PoolStats[];
}

/** What {@link inspect} returns: a runtime at one moment, as plain, structured-cloneable data. */
export interface RuntimeSnapshot {
  /** The collector the runtime runs. */
  readonly collector: CollectorName;
  /** Every live object, by address order. */
  readonly objects: readonly ObjectView[];
  /** The stack, the module frame first and the innermost frame last. */
  readonly frames: readonly FrameView[];
  /** The three generations, when the collector has them; empty otherwise. */
  readonly generations: readonly GenerationView[];
  /** pymalloc's arenas and pools, when pymalloc is the allocator. */
  readonly pymalloc: PoolsView | undefined;
}

/**
 * A snapshot of `runtime` for tools. Reading it changes nothing: no object is allocated, no
 * count moves, no collection runs.
 * @throws TypeError when `runtime` is not a `Runtime`
 */
export function inspect(runtime: object): RuntimeSnapshot {
  const core = coreOf(runtime);
  const { space, objects, strategy } = core;
  const generationOf = new Map<number, 0 | 1 | 2>();
  const generations: GenerationView[] = [];
  if (core.capabilities.generational) {
    const count = strategy.getCount();
    const threshold = strategy.getThreshold();
    for (const g of [0, 1, 2] as const) {
      const members = strategy.getObjects(g);
      for (const o of members) generationOf.set(o, g);
      generations.push({ count: count[g], threshold: threshold[g], members });
    }
  }
  const counts = core.capabilities.refcounts ? undefined : scannedCounts(core);
  const views: ObjectView[] = [];
  for (const o of [...space.objects()].sort((a, b) => a - b)) {
    const type = space.typeOf(o);
    const tracked = strategy.isTracked(o);
    views.push({
      address: o,
      type: objects.typeName(o),
      size: space.blockSize(type, space.itemCount(o)),
      refcount: counts ? (counts.get(o) ?? 0) : strategy.rc.refcount(o),
      generation: !tracked
        ? undefined
        : core.capabilities.generational
          ? (generationOf.get(o) ?? "permanent")
          : undefined,
      tracked,
      finalized: strategy.isFinalized(o),
      referents: type.isGc ? objects.referents(o) : [],
    });
  }
  const frames: FrameView[] = [...core.frames.frames()].reverse().map((frame) => ({
    name: frame.name,
    filename: frame.filename,
    line: frame.lineno,
    variables: [...frame.bindings()].map(([name, address]) => ({ name, address })),
  }));
  const pymalloc = core.pymalloc
    ? { arenas: core.pymalloc.arenaStats(), pools: core.pymalloc.poolStats() }
    : undefined;
  return { collector: core.config.collector, objects: views, frames, generations, pymalloc };
}

/** Every object's references from roots and containers, in one pass (strategies without counts). */
function scannedCounts(core: RuntimeCore): Map<number, number> {
  const counts = new Map<number, number>();
  const add = (o: number) => counts.set(o, (counts.get(o) ?? 0) + 1);
  core.forEachRoot(add, false);
  for (const o of core.space.objects())
    if (core.space.typeOf(o).isGc) for (const ref of core.objects.referents(o)) add(ref);
  return counts;
}

/**
 * A reader of single objects, for tools that look at a few objects at a time (a visualiser's
 * step): the returned function gives what {@link inspect} lists for `address` (undefined when no
 * object lives there) without reading every object. It caches the young generations' members
 * and, under strategies without counts, the scanned counts: take a new reader after the runtime
 * has run on. Reading changes nothing, as with {@link inspect}.
 * @throws TypeError when `runtime` is not a `Runtime`
 */
export function objectInspector(runtime: object): (address: number) => ObjectView | undefined {
  const core = coreOf(runtime);
  const { space, objects, strategy } = core;
  // Generations 0 and 1 are small (their thresholds bound them); a tracked object in neither
  // is in generation 2, unless objects are frozen, when generation 2 is listed too.
  let young: ReadonlyArray<ReadonlySet<number>> = [];
  let old: ReadonlySet<number> | undefined;
  if (core.capabilities.generational) {
    young = [new Set(strategy.getObjects(0)), new Set(strategy.getObjects(1))];
    if (strategy.getFreezeCount() > 0) old = new Set(strategy.getObjects(2));
  }
  const counts = core.capabilities.refcounts ? undefined : scannedCounts(core);
  return (o) => {
    if (!space.isLive(o)) return undefined;
    const type = space.typeOf(o);
    const tracked = strategy.isTracked(o);
    let generation: ObjectView["generation"];
    if (tracked && core.capabilities.generational) {
      if (young[0]!.has(o)) generation = 0;
      else if (young[1]!.has(o)) generation = 1;
      else generation = old === undefined || old.has(o) ? 2 : "permanent";
    }
    return {
      address: o,
      type: objects.typeName(o),
      size: space.blockSize(type, space.itemCount(o)),
      refcount: counts ? (counts.get(o) ?? 0) : strategy.rc.refcount(o),
      generation,
      tracked,
      finalized: strategy.isFinalized(o),
      referents: type.isGc ? objects.referents(o) : [],
    };
  };
}
