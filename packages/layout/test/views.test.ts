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
