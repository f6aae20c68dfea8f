// Step: the process layout. A runtime that lives in a model of a Linux process runs a small
// program: its objects sit in pymalloc's arenas, mmapped below mmap_base; a big item array comes
// from the free store on the brk heap; the program's strings are in read-only rodata; a call is
// a frame on the stack whose local slot holds its object's virtual address; and a recursion
// deeper than a small stack allows overflows it, while the runtime goes on.

import { VAR_HEAD_SIZE } from "@mm/heap";
import { SegmentationFault, StackOverflowError, vhex } from "@mm/layout";
import { formatBytes } from "@mm/views";
import type { TourStep } from "./step.js";

const ITEMS = 200;
/** A stack small enough for a recursion to reach its limit before the recursion limit. */
const SMALL_STACK = 16 << 10;
const RECURSION_LIMIT = 100_000;
const RECURSION = 1_000;

const line = (op: object) => JSON.stringify(op);

/**
 * `greeting = "hello"`, `rows = []`, `for _ in range(ITEMS): rows.append(None)`,
 * `def f(): box = Obj("box"); return box` and `result = f()`.
 */
const PROGRAM = [
  line({ "mm-trace": 1 }),
  line({ op: "new", var: "greeting", type: "str", value: "hello" }),
  line({ op: "new", var: "rows", type: "list" }),
  line({ op: "repeat", times: ITEMS, ops: [{ op: "append", obj: "rows", value: null }] }),
  line({ op: "call" }),
  line({ op: "new", var: "box", type: "object", name: "box" }),
  line({ op: "return", value: "box", var: "result" }),
].join("\n");
/** The step that runs inside f: after the two assignments and the appends, `box = ...`. */
const INSIDE_F = 2 + ITEMS + 1;

/**
 * `def down(): v = []; down()`, `depth` calls deep; the innermost call records
 * `sys.getrefcount(v) - 1` instead of calling again.
 */
function recursion(depth: number): string {
  const call = [line({ op: "call" }), line({ op: "new", var: "v", type: "list" })];
  return [
    line({ "mm-trace": 1 }),
    ...Array.from({ length: depth }, () => call).flat(),
    line({ op: "refcount", var: "v" }),
    ...Array.from({ length: depth }, () => line({ op: "return" })),
  ].join("\n");
}

/** A runtime in a process: where its arenas, free store, strings and frames are. */
export const processLayout: TourStep = {
  title: "The process layout",
  run(ctx) {
    using rt = ctx.runtime({ process: true });
    const proc = rt.process!;
    const breakBefore = proc.programBreak;
    let frame: { rbp: number; returnAddress: number; slot: number; depth: number } | undefined;
    rt.runTrace(PROGRAM, "<tour>", {
      onStep: (step) => {
        if (step !== INSIDE_F) return;
        const [f] = proc.frames();
        frame = {
          rbp: f!.frameAddress,
          returnAddress: f!.returnAddress,
          slot: proc.readU64Number(f!.localsAddress),
          depth: proc.depth,
        };
      },
    });
    const inF = frame!;
    const breakAfter = proc.programBreak;
    const arena = proc.mappings().find((m) => m.start <= inF.slot && inF.slot < m.end)!;
    using result = rt.getGlobal("result");
    const boxIsResult = proc.virtualAddressOf(rt.addressOf(result)) === inF.slot;
    using rows = rt.getGlobal("rows");
    // PyListObject: ob_item, the item array's heap address (in the slot's low half), follows
    // the variable-size head.
    const itemsSlot = proc.virtualAddressOf(rt.addressOf(rows)) + VAR_HEAD_SIZE;
    const itemArray = proc.virtualAddressOf(proc.readU32(itemsSlot));
    const smallLimit = rt.pymalloc!.geometry.smallRequestThreshold;
    using empty = rt.list();
    const itemBytes = rt.sizeof(rows) - rt.sizeof(empty);
    const greeting = proc.constantAddress("greeting")!;
    const typeName = proc.constantAddress("str")!;
    let fault = "";
    try {
      proc.writeU8(greeting, 0x47);
    } catch (error) {
      if (!(error instanceof SegmentationFault)) throw error;
      fault = error.message;
    }
    rt.verify();
    const maps = proc.maps().trimEnd().split("\n");

    using deep = ctx.runtime({
      process: { stackBytes: SMALL_STACK },
      recursionLimit: RECURSION_LIMIT,
    });
    const liveBefore = deep.stats().liveObjects;
    let overflow: StackOverflowError | undefined;
    try {
      deep.runTrace(recursion(RECURSION), "<tour>");
    } catch (error) {
      if (!(error instanceof StackOverflowError)) throw error;
      overflow = error;
    }
    const unwound = {
      frames: deep.process!.depth,
      liveObjects: deep.stats().liveObjects - liveBefore,
    };
    deep.verify();
    const shallow = deep.runTrace(recursion(10), "<tour>");
    const goesOn = shallow.length === 1 && shallow[0]!.event === "refcount";
    const o = overflow!;
    return {
      lines: [
        `A runtime living in a model of a Linux process (x86-64) runs greeting = "hello"; rows = [];`,
        `  ${ITEMS} x rows.append(None); result = f(), where def f(): box = Obj("box"); return box.`,
        `Inside f, its frame is on the stack at rbp ${ctx.v(vhex(inF.rbp))}; local slot 0 (box) holds ${ctx.v(vhex(inF.slot))},`,
        `  box's address: in a ${formatBytes(arena.end - arena.start)} pymalloc arena mmapped, unnamed, just below mmap_base ${ctx.v(vhex(proc.mmapBase))}.`,
        `rows' item array (${ctx.n(itemBytes)} bytes, over pymalloc's ${smallLimit}) comes from the free store on the brk`,
        `  heap: ob_item ${ctx.v(vhex(itemArray))}; the break moved ${ctx.v(vhex(breakBefore))} -> ${ctx.v(vhex(breakAfter))}.`,
        `rodata holds type names ("${proc.readCString(typeName)}" at ${vhex(typeName)}) and the program's strings ("${proc.readCString(greeting)}"`,
        `  at ${vhex(greeting)}); writing there is a ${ctx.v(fault.split(":")[0]!)}: ${fault.split(": ").slice(2).join(": ")}.`,
        `def down(): v = []; down() (recursion limit ${ctx.n(RECURSION_LIMIT)}) on a ${formatBytes(SMALL_STACK)} stack: call ${ctx.n(o.depth + 1)} needs the`,
        `  stack below ${vhex(o.limit)}: ${ctx.v("StackOverflowError")}. Unwound to ${ctx.p(unwound.frames, "frame")}, ${ctx.p(unwound.liveObjects, "object")}; the runtime goes on.`,
        `/proc/${proc.pid}/maps:`,
        ...maps.map((m) => `  ${ctx.style.dim(m)}`),
      ],
      figures: {
        frame: inF,
        arena: { start: arena.start, end: arena.end, path: arena.path },
        mmapBase: proc.mmapBase,
        boxIsResult,
        itemArray,
        itemBytes,
        smallLimit,
        heapStart: proc.heapStart,
        breakBefore,
        breakAfter,
        typeName: { address: typeName, value: proc.readCString(typeName) },
        greeting: { address: greeting, value: proc.readCString(greeting) },
        rodata: proc.constantsArea,
        fault,
        overflow: {
          stackBytes: o.stackBytes,
          depth: o.depth,
          limit: o.limit,
          message: o.message,
          unwound,
          goesOn,
        },
        maps,
      },
    };
  },
};
