// Step: the process layout. pymalloc and the free store (the runtime's allocators) running in
// a model of a Linux process: arenas come from mmap below mmap_base, big blocks from the brk
// heap, constants sit in read-only rodata, and frames go down the stack to its limit.

import { Process, SegmentationFault, StackOverflowError, vhex } from "@mm/layout";
import { PoolAllocator } from "@mm/pool-allocator";
import { bytes } from "../output/units.js";
import type { TourStep } from "./step.js";

/** Where pymalloc's arenas, the free store, constants and frames sit in a process. */
export const processLayout: TourStep = {
  title: "The process layout",
  run(ctx) {
    const proc = new Process({ constants: ["__main__", "name"] }, { path: "python3" });
    const constant = proc.constantAddress("name")!;
    proc.start();
    const pymalloc = new PoolAllocator(proc.mmapPageSource, { inner: proc.freeStore });
    const small = proc.virtualAddressOf(pymalloc.malloc(32));
    const arena = proc.mappings().find((m) => m.start <= small && small < m.end)!;
    const breakBefore = proc.programBreak;
    const big = proc.virtualAddressOf(pymalloc.malloc(100_000));
    const breakAfter = proc.programBreak;
    let fault = "";
    try {
      proc.writeU8(constant, 0x4e);
    } catch (error) {
      if (!(error instanceof SegmentationFault)) throw error;
      fault = error.message;
    }
    const rspBefore = proc.rsp;
    const frame = proc.pushFrame(proc.entry, { args: [small, 2], localsBytes: 32 });
    const frameBytes = rspBefore - proc.rsp;
    let depth = proc.depth;
    let overflow = "";
    for (;;) {
      try {
        proc.pushFrame(proc.entry, { localsBytes: 4096 });
        depth = proc.depth;
      } catch (error) {
        if (!(error instanceof StackOverflowError)) throw error;
        overflow = `below the limit ${vhex(error.limit)}`;
        break;
      }
    }
    while (proc.depth > 0) proc.popFrame();
    proc.verify();
    const maps = proc.maps().trimEnd().split("\n");
    return {
      lines: [
        `pymalloc's first block, malloc(32), is at ${ctx.v(vhex(small))}: in a ${ctx.v(bytes(arena.end - arena.start))} arena mmapped just below`,
        `  mmap_base ${ctx.v(vhex(proc.mmapBase))}. malloc(100000) is over 512 bytes: the free store takes it from the brk`,
        `  heap, and the break moves ${ctx.v(vhex(breakBefore))} -> ${ctx.v(vhex(breakAfter))} (block at ${vhex(big)}).`,
        `Constants live in rodata (r--): writing to "name" at ${vhex(constant)} is a`,
        `  ${ctx.v(fault.split(":")[0]!)}: ${fault.split(": ").slice(2).join(": ")}.`,
        `A call with 2 arguments and 32 bytes of locals moves rsp down ${ctx.n(frameBytes)} bytes (rbp ${vhex(frame.frameAddress)});`,
        `  frames of 4 KiB locals fit ${ctx.n(depth)} deep in the 8 MiB stack; one more is a stack overflow,`,
        `  ${overflow}, and the stack stays as it was.`,
        `/proc/${proc.pid}/maps:`,
        ...maps.map((line) => `  ${ctx.style.dim(line)}`),
      ],
      figures: {
        smallBlock: small,
        arena: { start: arena.start, end: arena.end, path: arena.path },
        mmapBase: proc.mmapBase,
        bigBlock: big,
        breakBefore,
        breakAfter,
        constant,
        fault,
        frameBytes,
        maxDepth: depth,
        overflow,
        maps,
      },
    };
  },
};
