import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatBytes,
  type MapsEntry,
  PAGE_SIZE,
  Process,
  renderMapsLine,
  TASK_SIZE,
} from "../src/index.js";

/** Lines from a real `cat /proc/self/maps` on x86-64 Linux 6.18. */
const KERNEL_LINES = [
  "5589ed12d000-5589ed12f000 r--p 00000000 fe:00 260131                     /usr/bin/cat",
  "558a2626e000-558a2628f000 rw-p 00000000 00:00 0                          [heap]",
  "7f63a8e1a000-7f63a8e3c000 rw-p 00000000 00:00 0 ",
  "7f63a9090000-7f63a9092000 r--p 00000000 00:00 0                          [vvar_vclock]",
  "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]",
  "00400000-00401000 r--p 00000000 fe:00 2146850                            /usr/local/bin/maps-demo",
];

function parse(line: string): MapsEntry {
  const [range, perms, offset, device, inode] = line.split(" ");
  const [start, end] = range!.split("-");
  const [major, minor] = device!.split(":");
  return {
    start: Number.parseInt(start!, 16),
    end: Number.parseInt(end!, 16),
    perms: perms!,
    offset: Number.parseInt(offset!, 16),
    deviceMajor: Number.parseInt(major!, 16),
    deviceMinor: Number.parseInt(minor!, 16),
    inode: Number(inode),
    path: line.slice(73).trimStart(),
  };
}

/** A minimal XML check: tags balance and every attribute is quoted. */
function wellFormed(xml: string): boolean {
  const stack: string[] = [];
  for (const tag of xml.matchAll(/<(\/?)([a-zA-Z]+)((?:\s+[a-zA-Z-]+="[^"<>]*")*)\s*(\/?)>/g)) {
    const [, closing, name, , selfClosing] = tag;
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else stack.push(name!);
  }
  const stripped = xml.replace(/<(\/?)([a-zA-Z]+)((?:\s+[a-zA-Z-]+="[^"<>]*")*)\s*(\/?)>/g, "");
  return stack.length === 0 && !/[<>]/.test(stripped);
}

describe("the maps table", () => {
  it("prints every line in the kernel's exact columns and padding", () => {
    for (const line of KERNEL_LINES) expect(renderMapsLine(parse(line))).toBe(line);
  });

  it("names [heap], [stack] and anonymous mappings as the kernel does", () => {
    const p = new Process({ bssBytes: 3 * PAGE_SIZE });
    p.malloc(10);
    p.mmap(PAGE_SIZE);
    const paths = p.mappings().map((e) => e.path);
    expect(paths).toEqual(["a.out", "a.out", "", "[heap]", "", "[stack]"]);
    expect(p.maps().endsWith("[stack]\n")).toBe(true);
  });
});

describe("the summary", () => {
  it("has a row per segment with size, used bytes and permissions", () => {
    const p = new Process({
      code: new Uint8Array(100),
      constants: ["abc"],
      data: new Uint8Array(10),
      bssBytes: 20,
    });
    const block = p.malloc(1000);
    p.mmapPageSource.map(1 << 20);
    p.pushFrame(0x400000, { localsBytes: 64 });
    const rows = Object.fromEntries(p.segments().map((r) => [r.name, r]));
    expect(rows.text).toMatchObject({ start: 0x400000, size: PAGE_SIZE, used: 100, perms: "r-x" });
    expect(rows.rodata).toMatchObject({ size: 64 * 1024, used: 4, perms: "r--" });
    expect(rows.data).toMatchObject({ used: 10, perms: "rw-" });
    expect(rows.bss).toMatchObject({ start: rows.data!.start + 10, used: 20, perms: "rw-" });
    expect(rows.heap).toMatchObject({
      start: p.heapStart,
      size: 256 * 1024,
      used: p.freeStore.usableSize(p.offsetOf(block)),
    });
    expect(rows.mmap).toMatchObject({ size: 1 << 20, end: p.mmapBase });
    expect(rows.stack).toMatchObject({ end: TASK_SIZE, used: TASK_SIZE - p.rsp });
    expect(rows["stack guard gap"]).toMatchObject({ end: p.stackLimit, perms: "---" });
    const table = p.summary().split("\n");
    expect(table[0]).toMatch(/^segment\s+start\s+end\s+size\s+used\s+perms\s+note$/);
    expect(table[1]).toMatch(/^stack\s+0x7ffffffde000\s+0x7ffffffff000\s+132 KiB/);
    expect(table.at(-2)).toMatch(/^text\s+0x000000400000\s+0x000000401000\s+4 KiB\s+100 B\s+r-x/);
  });

  it("formats sizes in binary units", () => {
    expect([0, 512, 4096, 1536, 132 * 1024, 8 << 20, 2 ** 47].map(formatBytes)).toEqual([
      "0 B",
      "512 B",
      "4 KiB",
      "1.5 KiB",
      "132 KiB",
      "8 MiB",
      "128 TiB",
    ]);
  });
});

describe("the SVG picture", () => {
  it("is well-formed, titled, and labels every mapping, gap and register", () => {
    const p = new Process({}, { pid: 7 });
    p.malloc(10);
    p.mmap(PAGE_SIZE, 0);
    p.pushFrame(0x400000, { localsBytes: 32 });
    const svg = p.svg();
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(wellFormed(svg)).toBe(true);
    expect(svg).toContain("<title>address space of process 7</title>");
    for (const label of [
      "text (a.out)",
      "rodata (a.out)",
      "[heap]",
      "mmap",
      "[stack]",
      "stack guard gap",
      "unmapped",
      "for the stack to grow",
    ]) {
      expect(svg).toContain(label);
    }
    for (const register of ["rip", "rsp", "rbp", "brk"])
      expect(svg).toContain(`>${register}</text>`);
  });

  it("escapes paths and keeps boxes in address order, non-overlapping, taller for larger segments", () => {
    const p = new Process({ bssBytes: 64 * PAGE_SIZE }, { path: "/opt/<a&b>" });
    const svg = p.svg({ width: 900 });
    expect(wellFormed(svg)).toBe(true);
    expect(svg).toContain("text (&lt;a&amp;b&gt;)");
    const boxes = [
      ...svg.matchAll(/<rect x="150" y="([\d.]+)" width="\d+" height="([\d.]+)" fill="#(?!fff)/g),
    ].map((m) => ({
      y: Number(m[1]),
      height: Number(m[2]),
    }));
    for (let i = 1; i < boxes.length; i++)
      expect(boxes[i]!.y).toBeGreaterThanOrEqual(boxes[i - 1]!.y + boxes[i - 1]!.height - 0.1);
    const heights = new Map<string, number>();
    let lastHeight = 0;
    for (const line of svg.split("\n")) {
      const rect = /^<rect x="150" y="[\d.]+" width="\d+" height="([\d.]+)" fill="#(?!fff)/.exec(
        line,
      );
      if (rect) lastHeight = Number(rect[1]);
      const label = /^<text x="\d+" y="[\d.]+">(\S+)/.exec(line);
      if (label) heights.set(label[1]!, lastHeight);
    }
    expect([...heights.keys()]).toEqual(["[stack]", "stack", "bss", "rodata", "text"]);
    expect(heights.get("bss")!).toBeGreaterThan(heights.get("rodata")!);
    expect(heights.get("rodata")!).toBeGreaterThan(heights.get("text")!);
  });

  it("property: any mix of mappings draws a well-formed picture with one box per maps line", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 7 })), {
          maxLength: 12,
        }),
        (maps) => {
          const p = new Process();
          for (const [pages, prot] of maps) p.mmap(pages * PAGE_SIZE, prot);
          const svg = p.svg();
          expect(wellFormed(svg)).toBe(true);
          const boxes =
            svg.match(/<rect x="150" [^>]*fill="#(?!fff)[0-9a-f]{6}" stroke="#333"/g) ?? [];
          expect(boxes.length).toBe(p.mappings().length + 1);
        },
      ),
      { numRuns: fcRuns(100) },
    );
  });
});
