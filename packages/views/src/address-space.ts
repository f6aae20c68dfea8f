// A process's address space as a picture, from the top of user space down to 0: every mapping
// a box, every gap with its size, heights growing with the logarithm of the size so that a
// 4 KiB page and a 128 TiB gap both stay readable; arrows at rip, rsp, rbp and the break; and,
// beside the stack, its frames from the outermost down, each with its saved rbp, its return
// address and its local slots as memory holds them (the slot nearest rbp first).

import { formatBytes, type Process, STACK_GUARD_GAP, TASK_SIZE, vhex } from "@mm/layout";
import { type FrameView, stackFrames } from "./process.js";
import { element, round, svgDocument, text, textWidth, titleLines } from "./svg.js";
import { plural } from "./units.js";

/** A box of the picture: a mapping (or the guard gap) with the words shown beside it. */
export interface AddressBlock {
  readonly start: number;
  readonly end: number;
  /** Picks the colour: `text`, `rodata`, `data`, `bss`, `heap`, `mmap`, `stack` or `guard`. */
  readonly kind: string;
  readonly label: string;
}

/** A register or pointer shown as an arrow at its address. */
export interface AddressMarker {
  readonly name: string;
  readonly address: number;
}

/** What the address-space picture shows, read from a process. */
export interface AddressSpaceModel {
  readonly blocks: readonly AddressBlock[];
  readonly markers: readonly AddressMarker[];
  /** Labels of gaps, keyed by the lowest address of the gap (above it is the next block). */
  readonly gapLabels: ReadonlyMap<number, string>;
  /** The frames on the stack, outermost first. */
  readonly frames: readonly FrameView[];
}

/** Options of {@link addressSpaceSvg}. */
export interface AddressSpaceOptions {
  /** @defaultValue `"address space of process <pid>"` */
  readonly title?: string;
  /** The width of the address-space column and its labels. @defaultValue `720` */
  readonly width?: number;
  /** The innermost frames drawn; outer ones are counted. @defaultValue `6` */
  readonly framesShown?: number;
}

const COLOURS: Record<string, string> = {
  text: "#f4a582",
  rodata: "#fddbc7",
  data: "#d1e5f0",
  bss: "#92c5de",
  heap: "#a6dba0",
  mmap: "#c2a5cf",
  stack: "#fee08b",
  guard: "#e0e0e0",
};

/** Reads the picture's model from `process`: its mappings, registers, break and frames. */
export function addressSpaceModel(process: Process): AddressSpaceModel {
  const segments = process.segments();
  const kindOf = (address: number, path: string): string => {
    if (path === "[heap]") return "heap";
    if (path === "[stack]") return "stack";
    const row = segments.find((s) => s.start <= address && address < s.end);
    return row && row.name !== "stack guard gap" ? row.name : "mmap";
  };
  const blocks: AddressBlock[] = process.mappings().map((entry) => {
    const kind = kindOf(entry.start, entry.path);
    const file = entry.inode !== 0 || (entry.path !== "" && !entry.path.startsWith("["));
    const name = file ? `${kind} (${entry.path.split("/").pop()})` : entry.path || kind;
    return {
      start: entry.start,
      end: entry.end,
      kind,
      label: `${name}  ${entry.perms.slice(0, 3)}  ${formatBytes(entry.end - entry.start)}`,
    };
  });
  blocks.push({
    start: process.stackLimit - STACK_GUARD_GAP,
    end: process.stackLimit,
    kind: "guard",
    label: `stack guard gap  ---  ${formatBytes(STACK_GUARD_GAP)}`,
  });
  const r = process.registers();
  const markers = [
    { name: "rip", address: r.rip },
    { name: "rsp", address: r.rsp },
    ...(r.rbp !== 0 ? [{ name: "rbp", address: r.rbp }] : []),
    ...(process.programBreak > process.heapStart
      ? [{ name: "brk", address: process.programBreak }]
      : []),
  ];
  const growth = process.stackStart - process.stackLimit;
  const gapLabels = new Map<number, string>();
  if (growth > 0) gapLabels.set(process.stackLimit, `${formatBytes(growth)} for the stack to grow`);
  return { blocks, markers, gapLabels, frames: stackFrames(process) };
}

/** Height of a box: 26 px for a page (two lines of addresses), 6 px more per doubling. */
function blockHeight(bytes: number): number {
  return 26 + 6 * Math.log2(Math.max(bytes, 4096) / 4096);
}

/** Height of a gap: 12 px for a page, 1.5 px more for every doubling. */
function gapHeight(bytes: number): number {
  return 12 + 1.5 * Math.log2(Math.max(bytes, 4096) / 4096);
}

/** A placed box: its block and where it is drawn. */
export interface PlacedBlock {
  readonly block: AddressBlock;
  readonly top: number;
  readonly height: number;
}

const FRAME_PANEL = 380;

/** What a slot holds: empty, or an address and the mapping it points into. */
function slotText(value: number, blockAt: (address: number) => AddressBlock | undefined): string {
  if (value === 0) return "0 (empty)";
  const block = blockAt(value);
  return `${vhex(value)} → ${block ? block.label.split("  ")[0] : "unmapped"}`;
}
const SLOT_LINE = 14;

/** An SVG picture of `process` (or of a model read from one), titled and never clipped. */
export function addressSpaceSvg(
  source: Process | AddressSpaceModel,
  options: AddressSpaceOptions = {},
): string {
  const model = "blocks" in source ? source : addressSpaceModel(source);
  const title =
    options.title ??
    ("pid" in source ? `address space of process ${source.pid}` : "address space of a process");
  const columnWidth = options.width ?? 720;
  const panel = model.frames.length > 0 ? FRAME_PANEL : 0;
  const width = columnWidth + panel;
  const heading = titleLines(12, 22, title, width - 24, 13);
  const sorted = [...model.blocks].sort((a, b) => b.start - a.start);
  const boxX = 150;
  const boxWidth = Math.max(120, Math.round(columnWidth * 0.3));
  const labelX = boxX + boxWidth + 56;
  const parts: string[] = [];
  const placed: PlacedBlock[] = [];
  let y = heading.bottom + 16;
  const top = y;
  let above = TASK_SIZE;
  const gap = (bytes: number, label = `${formatBytes(bytes)} unmapped`) => {
    const height = gapHeight(bytes);
    parts.push(
      element("rect", {
        x: boxX,
        y,
        width: boxWidth,
        height,
        fill: "none",
        stroke: "#999",
        "stroke-dasharray": "4 3",
      }),
      text(boxX + boxWidth / 2, y + height / 2 + 4, label, {
        "text-anchor": "middle",
        fill: "#666",
      }),
    );
    y += height;
  };
  for (const block of sorted) {
    const contiguous = above === block.end && placed.length > 0;
    if (above > block.end) gap(above - block.end, model.gapLabels.get(block.end));
    const height = blockHeight(block.end - block.start);
    placed.push({ block, top: y, height });
    parts.push(
      element("rect", {
        x: boxX,
        y,
        width: boxWidth,
        height,
        fill: COLOURS[block.kind] ?? "#ffffff",
        stroke: "#333",
        ...(block.kind === "guard" ? { "stroke-dasharray": "2 2" } : {}),
      }),
      // A boundary shared with the box above is labelled once, by that box.
      ...(contiguous ? [] : [text(boxX - 8, y + 11, vhex(block.end), { "text-anchor": "end" })]),
      text(boxX - 8, y + height - 3, vhex(block.start), { "text-anchor": "end" }),
      text(labelX, y + height / 2 + 4, block.label),
    );
    y += height;
    above = block.start;
  }
  if (above > 0) gap(above);
  // Arrows point at the exact address; labels that would overlap are pushed down a line.
  let lastLabel = Number.NEGATIVE_INFINITY;
  const arrows = model.markers
    .map((marker) => {
      const hit = placed.find(
        (p) => marker.address >= p.block.start && marker.address <= p.block.end,
      );
      if (!hit) return undefined;
      const span = hit.block.end - hit.block.start;
      return { marker, at: hit.top + ((hit.block.end - marker.address) / span) * hit.height };
    })
    .filter((arrow) => arrow !== undefined)
    .sort((a, b) => a.at - b.at);
  for (const { marker, at } of arrows) {
    const tip = boxX + boxWidth;
    const labelY = Math.max(at + 4, lastLabel + 12);
    lastLabel = labelY;
    parts.push(
      element("path", { d: `M${tip + 2} ${at.toFixed(1)} l8 -4 v8 z`, fill: "#b2182b" }),
      text(tip + 14, labelY, marker.name, { fill: "#b2182b" }),
    );
  }
  let bottom = y;
  if (panel > 0) {
    const stack = placed.find((p) => p.block.kind === "stack");
    const frames = framePanel(
      model.frames,
      columnWidth + 8,
      top,
      options.framesShown ?? 6,
      (address) => placed.find((p) => p.block.start <= address && address < p.block.end)?.block,
    );
    if (stack) {
      // From the end of the stack's label to the panel, so that the line crosses no words.
      const from = labelX + textWidth(stack.block.label, 11) + 6;
      const mid = stack.top + stack.height / 2;
      parts.push(
        element("path", {
          d: `M${round(from)} ${round(mid)} C${round((from + columnWidth) / 2)} ${round(mid)} ${round((from + columnWidth) / 2)} ${top + 20} ${columnWidth + 8} ${top + 20}`,
          fill: "none",
          stroke: "#b8860b",
          "stroke-dasharray": "3 3",
        }),
      );
    }
    parts.push(...frames.elements);
    bottom = Math.max(bottom, frames.bottom);
  }
  const height = Math.ceil(bottom + 20);
  return svgDocument(width, height, title, [...heading.elements, ...parts], 11);
}

/** The stack's frames, outermost at the top as in memory, each with its local slots. */
function framePanel(
  frames: readonly FrameView[],
  x: number,
  top: number,
  shownMax: number,
  blockAt: (address: number) => AddressBlock | undefined,
): { elements: string[]; bottom: number } {
  const width = FRAME_PANEL - 20;
  const shown = frames.slice(-Math.max(1, shownMax));
  const out: string[] = [
    text(x, top + 4, `the stack: ${plural(frames.length, "frame")}, outermost first`, {
      "font-weight": "bold",
    }),
  ];
  let y = top + 14;
  if (frames.length > shown.length) {
    out.push(
      text(x, y + 12, `… ${plural(frames.length - shown.length, "outer frame")} not drawn`, {
        fill: "#666",
      }),
    );
    y += 18;
  }
  for (const f of shown) {
    // Slots are listed from the one nearest rbp (the highest address) down, as memory holds them.
    const slots = f.slots
      .map((value, i) => ({ offset: f.localsAddress + 8 * i - f.frameAddress, value }))
      .reverse();
    const height = 36 + Math.max(1, slots.length) * SLOT_LINE + 6;
    out.push(
      element("rect", { x, y, width, height, fill: COLOURS.stack!, stroke: "#333" }),
      text(x + 6, y + 14, `#${f.depth}  function ${vhex(f.function)}`, { "font-weight": "bold" }),
      text(x + 6, y + 28, `rbp ${vhex(f.frameAddress)}  returns to ${vhex(f.returnAddress)}`),
    );
    if (slots.length === 0) {
      out.push(text(x + 14, y + 42, "no local slots", { fill: "#666" }));
    }
    slots.forEach((slot, i) => {
      const sy = y + 36 + i * SLOT_LINE;
      out.push(
        element("rect", {
          x: x + 10,
          y: sy,
          width: width - 20,
          height: SLOT_LINE,
          fill: "#fffbe6",
          stroke: "#c9b458",
          "stroke-width": 0.6,
        }),
        text(x + 16, sy + 11, `[rbp${slot.offset}]`),
        text(x + width - 16, sy + 11, slotText(slot.value, blockAt), { "text-anchor": "end" }),
      );
    });
    y += height + 6;
  }
  return { elements: out, bottom: y };
}
