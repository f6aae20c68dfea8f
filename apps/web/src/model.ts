// The view models of a step: plain data computed from the recorded step, which the renderers
// turn into SVG and DOM. Kept apart from the DOM so that they are unit-tested in Node.

import type { RecordedEvent, RecordedHeap, RecordedObject, RecordedStep } from "@mm/python";
import { describeEvent, hexAddress } from "@mm/python";
import type { ArenaMap, ArenaPicture, CellState, PoolCell } from "@mm/views";

/** Pixel sizes of the frames-and-objects picture. */
export const GRAPH = {
  margin: 12,
  frameWidth: 160,
  frameHeader: 26,
  rowHeight: 22,
  frameGap: 14,
  boxWidth: 196,
  boxHeight: 78,
  boxGap: 14,
  columnGap: 48,
  /** Characters of a repr that fit a box's line (12 px monospace). */
  reprChars: 25,
} as const;

/** The most object boxes drawn; the rest are counted. */
export const MAX_BOXES = 40;

/** A variable of a frame, where its row is drawn. */
export interface VariableRow {
  readonly name: string;
  readonly address: number;
  /** The row's top, in the picture. */
  readonly y: number;
}

/** A frame drawn as a box of variable rows. */
export interface FrameBox {
  readonly name: string;
  readonly line: number;
  readonly x: number;
  readonly y: number;
  readonly height: number;
  readonly rows: readonly VariableRow[];
  /** Whether it is the innermost frame (the one running). */
  readonly current: boolean;
}

/** An object drawn as a box. */
export interface ObjectBox {
  readonly object: RecordedObject;
  readonly x: number;
  readonly y: number;
  /** Distance in references from the nearest variable (0: a variable holds it). */
  readonly depth: number;
  /** The box's lines under its header: repr, count and size, collector state. */
  readonly lines: readonly string[];
}

/** An arrow from a variable row or an object box to an object box. */
export interface Arrow {
  readonly from: { readonly x: number; readonly y: number };
  readonly to: { readonly x: number; readonly y: number };
  /** Whether it goes back (left or up a column): drawn as a loop on the right. */
  readonly back: boolean;
  readonly target: number;
}

/** The frames-and-objects picture of a step. */
export interface GraphModel {
  readonly width: number;
  readonly height: number;
  readonly frames: readonly FrameBox[];
  readonly boxes: readonly ObjectBox[];
  readonly arrows: readonly Arrow[];
  /** Objects of the snapshot not drawn (past {@link MAX_BOXES}). */
  readonly hidden: number;
}

/** What a box says of its object's collector state. */
export function generationText(object: RecordedObject): string {
  const gen =
    object.generation === null
      ? "not tracked"
      : object.generation === "permanent"
        ? "permanent (frozen)"
        : `generation ${object.generation}`;
  return object.finalized ? `${gen} · finalized` : gen;
}

/** A repr cut to `chars` characters, `…` marking the cut. */
export function clip(text: string, chars: number): string {
  return text.length > chars ? `${text.slice(0, chars - 1)}…` : text;
}

/** The lines of an object's box under its header. */
export function boxLines(object: RecordedObject): string[] {
  return [
    clip(object.repr, GRAPH.reprChars),
    `refcount ${object.refcount} · ${object.size} bytes`,
    object.reachable ? generationText(object) : `unreachable · ${generationText(object)}`,
  ];
}

/**
 * Lays out a step: frames in a column on the left, outermost at the top; objects in columns by
 * their distance from a variable, each placed level with the first arrow that reaches it when
 * its column has room there; objects no variable reaches in a last column of their own.
 */
export function graphModel(step: RecordedStep): GraphModel {
  const { margin, frameWidth, frameHeader, rowHeight, frameGap, boxWidth, boxHeight, boxGap } =
    GRAPH;
  const frames: FrameBox[] = [];
  let y = margin;
  step.frames.forEach((frame, i) => {
    const rows = frame.variables.map((v, r) => ({
      name: v.name,
      address: v.address,
      y: y + frameHeader + r * rowHeight,
    }));
    const height = frameHeader + Math.max(1, rows.length) * rowHeight + 6;
    frames.push({
      name: frame.name,
      line: frame.line,
      x: margin,
      y,
      height,
      rows,
      current: i === step.frames.length - 1,
    });
    y += height + frameGap;
  });
  const framesBottom = y;
  const objects = step.objects ?? [];
  const byAddress = new Map(objects.map((o) => [o.address, o]));
  // Depths: breadth first from the variables (the snapshot's own order is breadth first).
  const depth = new Map<number, number>();
  for (const frame of frames) for (const row of frame.rows) depth.set(row.address, 0);
  for (const o of objects) {
    if (!o.reachable) continue;
    const d = depth.get(o.address) ?? 0;
    for (const r of o.references) if (!depth.has(r) && byAddress.has(r)) depth.set(r, d + 1);
  }
  const reachableDepth = Math.max(0, ...[...depth.values()]);
  const strandedColumn = reachableDepth + 1;
  const shown = objects.slice(0, MAX_BOXES);
  // The y each object would like: level with the first row or box that points at it.
  const wanted = new Map<number, number>();
  for (const frame of frames)
    for (const row of frame.rows) if (!wanted.has(row.address)) wanted.set(row.address, row.y - 6);
  const columnTop = new Map<number, number>();
  const boxes: ObjectBox[] = [];
  const placed = new Map<number, ObjectBox>();
  const columnOf = (o: RecordedObject) =>
    o.reachable ? (depth.get(o.address) ?? 0) : strandedColumn;
  // Place column by column so that a box's referrers are placed before it.
  const order = [...shown].sort((a, b) => columnOf(a) - columnOf(b));
  for (const o of order) {
    const column = columnOf(o);
    const x = margin + frameWidth + GRAPH.columnGap + column * (boxWidth + GRAPH.columnGap);
    const top = columnTop.get(column) ?? margin;
    const boxY = Math.max(top, wanted.get(o.address) ?? top);
    const box: ObjectBox = { object: o, x, y: boxY, depth: column, lines: boxLines(o) };
    boxes.push(box);
    placed.set(o.address, box);
    columnTop.set(column, boxY + boxHeight + boxGap);
    o.references.forEach((r, i) => {
      if (!wanted.has(r)) wanted.set(r, boxY + Math.min(i, 3) * 8);
    });
  }
  const arrows: Arrow[] = [];
  const arrowTo = (from: { x: number; y: number }, target: number, fromColumn: number) => {
    const box = placed.get(target);
    if (box === undefined) return;
    const back = box.depth <= fromColumn;
    arrows.push({
      from,
      to: back ? { x: box.x + boxWidth, y: box.y + 14 } : { x: box.x, y: box.y + 14 },
      back,
      target,
    });
  };
  for (const frame of frames)
    for (const row of frame.rows)
      arrowTo({ x: frame.x + frameWidth - 8, y: row.y + rowHeight / 2 }, row.address, -1);
  for (const box of boxes) {
    const seen = new Set<number>();
    box.object.references.forEach((r) => {
      if (seen.has(r)) return;
      seen.add(r);
      arrowTo({ x: box.x + boxWidth, y: box.y + boxHeight / 2 }, r, box.depth);
    });
  }
  const right = Math.max(margin + frameWidth, ...boxes.map((b) => b.x + boxWidth)) + 48;
  const bottom = Math.max(framesBottom, ...boxes.map((b) => b.y + boxHeight)) + margin;
  return {
    width: right,
    height: bottom,
    frames,
    boxes,
    arrows,
    hidden: objects.length - shown.length,
  };
}

/** An object that died during a step, and who freed it. */
export interface Departure {
  readonly address: number;
  readonly type: string;
  readonly size: number;
  /** Its last repr, when a snapshot of the step before showed it. */
  readonly repr: string | undefined;
  /** `reference count` or `generation N collection`. */
  readonly freedBy: string;
}

/** What left during a step: the frees of objects the step before showed, and how many others. */
export function departures(
  step: RecordedStep,
  previous: RecordedStep | undefined,
): { shown: Departure[]; temporaries: number } {
  const before = new Map((previous?.objects ?? []).map((o) => [o.address, o]));
  const shown: Departure[] = [];
  let temporaries = 0;
  for (const event of step.events) {
    if (event.kind !== "free") continue;
    const known = before.get(event.address);
    const freedBy =
      event.cause.by === "refcount"
        ? "its reference count reached zero"
        : `a generation ${event.cause.generation} collection`;
    // Objects no box showed (a line's temporaries) are counted, not listed.
    if (known === undefined) {
      temporaries++;
      continue;
    }
    shown.push({
      address: event.address,
      type: event.type,
      size: event.size,
      repr: known.repr,
      freedBy,
    });
  }
  return { shown, temporaries };
}

/** One row of the gc pane: a generation's count against its threshold and its collections. */
export interface GenerationRow {
  readonly generation: number;
  readonly count: number | undefined;
  readonly threshold: number | undefined;
  readonly collections: number;
  readonly collected: number;
}

/** The gc pane of a step. */
export interface GcModel {
  readonly enabled: boolean;
  readonly generational: boolean;
  readonly rows: readonly GenerationRow[];
  readonly garbage: number;
  /** The collections that ended during the step, in words. */
  readonly collectedNow: readonly string[];
}

/** The gc pane's data: undefined when the step has no gc state (a summary step). */
export function gcModel(step: RecordedStep): GcModel | undefined {
  const gc = step.gc;
  if (gc === undefined) return undefined;
  const rows: GenerationRow[] = [0, 1, 2].map((g) => ({
    generation: g,
    count: gc.counts[g],
    threshold: gc.thresholds[g],
    collections: gc.collections[g] ?? 0,
    collected: gc.collected[g] ?? 0,
  }));
  return {
    enabled: gc.enabled,
    generational: gc.counts.length > 0,
    rows,
    garbage: gc.garbage,
    collectedNow: step.events.filter((e) => e.kind === "collect").map(describeEvent),
  };
}

/** The events worth a line in the events pane: all but allocations and frees of temporaries. */
export function eventLines(step: RecordedStep): string[] {
  const lines: string[] = [];
  let allocations = 0;
  let frees = 0;
  for (const event of step.events) {
    if (event.kind === "allocate") allocations++;
    else if (event.kind === "free") frees++;
    if (isNotable(event)) lines.push(describeEvent(event));
  }
  if (allocations > 0 || frees > 0) lines.unshift(`${allocations} allocated, ${frees} freed`);
  return lines;
}

/** Finalizers, weakref callbacks, collections and frees by a collection. */
function isNotable(event: RecordedEvent): boolean {
  return (
    event.kind === "finalize" ||
    event.kind === "weakref-callback" ||
    event.kind === "collect" ||
    (event.kind === "free" && event.cause.by === "collection")
  );
}

/** Where an object's block is in pymalloc's heap. */
export interface BlockPlace {
  /** The arena's position in the map's list, and the pool's cell in that arena. */
  readonly arenaIndex: number;
  readonly cell: number;
  readonly poolAddress: number;
  readonly sizeClass: number;
}

/** The heap map of a recorded heap, in the form `@mm/views` draws. */
export function arenaMapOf(heap: RecordedHeap): ArenaMap {
  const { poolSize, arenaSize, alignment, poolOverhead } = heap;
  const blockSize = (c: number) => (c + 1) * alignment;
  const perPool = (c: number) => Math.floor((poolSize - poolOverhead) / blockSize(c));
  const counts: Record<CellState, number> = { used: 0, full: 0, empty: 0, untouched: 0 };
  const classes = new Map<number, { pools: number; blocksInUse: number }>();
  const arenas = heap.arenas.map((arena): ArenaPicture => {
    const firstPool = Math.ceil(arena.address / poolSize) * poolSize;
    const cells: PoolCell[] = Array.from({ length: arena.totalPools }, () => ({
      state: "untouched",
      sizeClass: -1,
      blockSize: 0,
      blocksInUse: 0,
      blocksPerPool: 0,
    }));
    for (const pool of heap.pools) {
      if (pool.arena !== arena.index) continue;
      cells[(pool.address - firstPool) / poolSize] = {
        state: pool.state,
        sizeClass: pool.sizeClass,
        blockSize: blockSize(pool.sizeClass),
        blocksInUse: pool.blocksInUse,
        blocksPerPool: perPool(pool.sizeClass),
      };
      if (pool.state !== "empty") {
        const c = classes.get(pool.sizeClass) ?? { pools: 0, blocksInUse: 0 };
        classes.set(pool.sizeClass, {
          pools: c.pools + 1,
          blocksInUse: c.blocksInUse + pool.blocksInUse,
        });
      }
    }
    for (const cell of cells) counts[cell.state]++;
    const freePools = cells.filter((c) => c.state === "empty" || c.state === "untouched").length;
    return {
      index: arena.index,
      address: arena.address,
      totalPools: arena.totalPools,
      freePools,
      cells,
    };
  });
  const classStats = [...classes.entries()]
    .sort(([a], [b]) => a - b)
    .map(([sizeClass, c]) => ({
      sizeClass,
      blockSize: blockSize(sizeClass),
      blocksPerPool: perPool(sizeClass),
      pools: c.pools,
      blocksInUse: c.blocksInUse,
      availableBlocks: perPool(sizeClass) * c.pools - c.blocksInUse,
    }));
  return {
    arenaSize,
    poolSize,
    arenas,
    classes: classStats,
    counts,
    blocksInUse: classStats.reduce((n, c) => n + c.blocksInUse, 0),
  };
}

/**
 * Where `address`'s block lies in `map`: the pool whose span holds it. Undefined for an object
 * outside pymalloc (a large block from the free store).
 */
export function blockPlace(
  map: ArenaMap,
  heap: RecordedHeap,
  address: number,
): BlockPlace | undefined {
  const poolAddress = address - (address % map.poolSize);
  const pool = heap.pools.find((p) => p.address === poolAddress);
  if (pool === undefined) return undefined;
  const arenaIndex = map.arenas.findIndex((a) => a.index === pool.arena);
  const arena = map.arenas[arenaIndex];
  if (arena === undefined) return undefined;
  const firstPool = Math.ceil(arena.address / map.poolSize) * map.poolSize;
  return {
    arenaIndex,
    cell: (poolAddress - firstPool) / map.poolSize,
    poolAddress,
    sizeClass: pool.sizeClass,
  };
}

/** The header of a box: type and address. */
export function boxTitle(object: RecordedObject): string {
  return `${object.type} at ${hexAddress(object.address)}`;
}
