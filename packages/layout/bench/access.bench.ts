// Checked accesses against raw typed-array accesses on the same bytes, in the same run.
//   pnpm bench            8 MiB of reads and writes per case
//   pnpm bench --quick    1 MiB
//
// "sequential" walks one 8 MiB anonymous mapping word by word: every access after the first
// hits the cached VMA, so it measures the fast path (bounds, permission, translation). "spread"
// touches 64 one-page mappings round-robin, so every access misses the cache and pays the
// binary search over the VMA table. The baseline reads or writes the same words through a
// Uint32Array over the Memory. All memory is written once before anything is timed.

import { BenchSuite, quickMode, timeCases } from "@mm/bench-kit";
import { Memory } from "@mm/heap";
import { PAGE_SIZE, Process } from "../src/index.js";

const quick = quickMode();
const bytes = (quick ? 1 : 8) << 20;
const words = bytes / 4;
const process_ = new Process({}, { memory: new Memory({ maximumBytes: 64 << 20 }) });
const region = process_.mmap(bytes);
const offset = process_.offsetOf(region);
const pages = Array.from({ length: 64 }, () => process_.mmap(PAGE_SIZE));
const pageOffsets = pages.map((page) => process_.offsetOf(page));
process_.memory.u8.fill(1, offset, offset + bytes);
for (const o of pageOffsets) process_.memory.u8.fill(1, o, o + PAGE_SIZE);
// Taken after every mapping: growing the Memory replaces its views (the old ones read nothing).
const u32 = process_.memory.u32;

/** Each read case's sum: the checked and raw reads of the same words must agree. */
const sums = new Map<string, number>();
const spreadAccesses = words;
const timed = timeCases(
  [
    {
      name: "checked sequential read",
      run: () => {
        let sum = 0;
        for (let i = 0; i < words; i++) sum += process_.readU32(region + 4 * i);
        sums.set("checked sequential read", sum);
      },
    },
    {
      name: "raw sequential read",
      run: () => {
        let sum = 0;
        for (let i = 0; i < words; i++) sum += u32[(offset >>> 2) + i]!;
        sums.set("raw sequential read", sum);
      },
    },
    {
      name: "checked sequential write",
      run: () => {
        for (let i = 0; i < words; i++) process_.writeU32(region + 4 * i, i);
      },
    },
    {
      name: "raw sequential write",
      run: () => {
        for (let i = 0; i < words; i++) u32[(offset >>> 2) + i] = i;
      },
    },
    {
      name: "checked spread read",
      run: () => {
        let sum = 0;
        for (let i = 0; i < spreadAccesses; i++) {
          sum += process_.readU32(pages[i & 63]! + ((i >>> 6) & 1023) * 4);
        }
        sums.set("checked spread read", sum);
      },
    },
    {
      name: "raw spread read",
      run: () => {
        let sum = 0;
        for (let i = 0; i < spreadAccesses; i++) {
          sum += u32[(pageOffsets[i & 63]! >>> 2) + ((i >>> 6) & 1023)]!;
        }
        sums.set("raw spread read", sum);
      },
    },
  ],
  { iterations: quick ? 3 : 7 },
);
for (const kind of ["sequential read", "spread read"]) {
  const checked = sums.get(`checked ${kind}`);
  const raw = sums.get(`raw ${kind}`);
  if (!checked || checked !== raw) {
    throw new Error(`${kind}: checked reads summed ${checked}, raw reads ${raw}; they must agree`);
  }
}

const rate = (n: number, ms: number) => (n / ms) * 1000;
const suite = new BenchSuite("layout-access");
const pair = (name: string, count: number, target: number, notes: string) =>
  suite.record({
    case: `checked ${name}`,
    figure: timed.get(`checked ${name}`)!,
    unit: "ms",
    baseline: `raw Uint32Array ${name}, same words`,
    baselineFigure: timed.get(`raw ${name}`)!,
    higherIsBetter: false,
    target: { atMost: target },
    notes: `${Math.round(rate(count, timed.get(`checked ${name}`)!)).toLocaleString("en-US")} checked accesses/s; ${notes}`,
  });
pair("sequential read", words, 10, "one 8 MiB mapping, the VMA cache always hits");
pair("sequential write", words, 10, "one 8 MiB mapping, the VMA cache always hits");
pair(
  "spread read",
  spreadAccesses,
  10,
  "64 one-page mappings round-robin: every access searches the VMA table",
);
suite.finish();
