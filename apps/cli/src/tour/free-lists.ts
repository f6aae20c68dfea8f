// Step: free lists. A dead float or list is parked, not freed; the next one takes the same
// block back. Neither sys.getallocatedblocks() nor the collector's count sees the reuse.

import { type TourStep, tuple } from "./step.js";

/** A list and a float reused from their free lists, and a full collection emptying them. */
export const freeLists: TourStep = {
  title: "Free lists",
  run(ctx) {
    using rt = ctx.runtime();
    const first = rt.list();
    const listAddress = rt.addressOf(first);
    const before = { count: rt.gc.getCount(), blocks: rt.sys.getallocatedblocks() };
    first.release();
    const parked = {
      lists: rt.freeLists.count("list"),
      count: rt.gc.getCount(),
      blocks: rt.sys.getallocatedblocks(),
    };
    const second = rt.list();
    const secondAddress = rt.addressOf(second);
    const reused = {
      sameBlock: secondAddress === listAddress,
      lists: rt.freeLists.count("list"),
      count: rt.gc.getCount(),
      blocks: rt.sys.getallocatedblocks(),
    };
    const f = rt.float(3.14);
    const floatAddress = rt.addressOf(f);
    f.release();
    const g = rt.float(2.72);
    const floatReused = rt.addressOf(g) === floatAddress;
    second.release();
    g.release();
    const beforeCollect = {
      lists: rt.freeLists.count("list"),
      floats: rt.freeLists.count("float"),
      blocks: rt.sys.getallocatedblocks(),
    };
    rt.gc.collect();
    const afterCollect = {
      lists: rt.freeLists.count("list"),
      floats: rt.freeLists.count("float"),
      blocks: rt.sys.getallocatedblocks(),
    };
    const hex = (a: number) => `0x${a.toString(16)}`;
    return {
      lines: [
        `l = [] at ${ctx.v(hex(listAddress))}: gc.get_count() ${ctx.v(tuple(before.count))}, sys.getallocatedblocks() ${ctx.n(before.blocks)}`,
        `del l: parked on the list free list (${ctx.n(parked.lists)} there); count ${ctx.v(tuple(parked.count))}, blocks ${ctx.n(parked.blocks)}: the block stays allocated.`,
        `m = []: ${reused.sameBlock ? "the same block" : "a different block"}, ${ctx.v(hex(secondAddress))}, back from the free list (${ctx.n(reused.lists)} left); count ${ctx.v(tuple(reused.count))}, blocks ${ctx.n(reused.blocks)}.`,
        `x = 3.14; del x; y = 2.72: y ${floatReused ? "takes x's block again" : "gets a new block"} (${ctx.v(hex(floatAddress))}).`,
        `gc.collect() empties the free lists last: parked lists ${ctx.n(beforeCollect.lists)} -> ${ctx.n(afterCollect.lists)}, floats ${ctx.n(beforeCollect.floats)} -> ${ctx.n(afterCollect.floats)},`,
        `  blocks ${ctx.n(beforeCollect.blocks)} -> ${ctx.n(afterCollect.blocks)}.`,
      ],
      figures: {
        listAddress,
        before,
        parked,
        reused,
        floatAddress,
        floatReused,
        beforeCollect,
        afterCollect,
      },
    };
  },
};
