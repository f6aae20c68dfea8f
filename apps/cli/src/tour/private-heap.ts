// Step: the private heap. Every object lives in one byte space the runtime maps on demand:
// small blocks from pymalloc's arenas, big ones from the free store.

import type { Handle } from "@mm/runtime";
import { formatBytes } from "@mm/views";
import type { TourStep } from "./step.js";

/** The private heap: what a fresh runtime holds, and what objects add to it. */
export const privateHeap: TourStep = {
  title: "The private heap",
  run(ctx) {
    using rt = ctx.runtime();
    const arenas = () => rt.pymalloc!.arenaStats().length;
    const fresh = {
      reservedBytes: rt.config.heapBytes,
      heapBytes: rt.stats().heapBytes,
      arenas: arenas(),
      blocks: rt.sys.getallocatedblocks(),
      cachedObjects: rt.space.liveObjects,
    };
    const ints: Handle[] = [];
    for (let i = 0; i < 1000; i++) ints.push(rt.int(1000 + i));
    const x = rt.list(...ints);
    for (const h of ints) h.release();
    const withList = { blocks: rt.sys.getallocatedblocks(), listSize: rt.sys.getsizeof(x) };
    const s = rt.str("x".repeat(1000));
    const withStr = {
      strSize: rt.sys.getsizeof(s),
      heapBytes: rt.stats().heapBytes,
      blocks: rt.sys.getallocatedblocks(),
    };
    x.release();
    s.release();
    const after = {
      blocks: rt.sys.getallocatedblocks(),
      parkedLists: rt.freeLists.count("list"),
      heapBytes: rt.stats().heapBytes,
      arenas: arenas(),
    };
    return {
      lines: [
        `A runtime reserves up to ${ctx.v(formatBytes(fresh.reservedBytes))} for its heap and maps it as needed. Fresh, it has`,
        `${ctx.p(fresh.arenas, "pymalloc arena")} mapped (${ctx.v(formatBytes(fresh.heapBytes))} of heap), ${ctx.p(fresh.blocks, "block")} allocated: ${ctx.n(fresh.cachedObjects)} cached`,
        "objects made at start (None, True, False, the small ints -5..256, the one-character strs, ()).",
        `x = [1000, ..., 1999]: sys.getallocatedblocks() ${ctx.n(fresh.blocks)} -> ${ctx.n(withList.blocks)} (1,000 ints, the list, its item array);`,
        `  sys.getsizeof(x) = ${ctx.n(withList.listSize)} bytes.`,
        `s = "x" * 1000: sys.getsizeof(s) = ${ctx.n(withStr.strSize)} bytes, over pymalloc's 512-byte limit, so it comes from the`,
        `  free store: heap ${ctx.v(formatBytes(fresh.heapBytes))} -> ${ctx.v(formatBytes(withStr.heapBytes))}, blocks ${ctx.n(withStr.blocks)}.`,
        `del x, s: blocks ${ctx.n(after.blocks)} (${ctx.p(after.parkedLists, "list")} parked on the list free list), heap ${ctx.v(formatBytes(after.heapBytes))}, ${ctx.p(after.arenas, "arena")}.`,
      ],
      figures: { fresh, withList, withStr, after },
    };
  },
};
