// The loader against the kernel: real executables are run so that they print their own
// /proc/self/maps, and the lines for the executable's file must match the process model's.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, type TestContext } from "vitest";
import { type MapsEntry, Process, parseElf, renderMapsLine } from "../src/index.js";

const MAPS_LINE =
  /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) ([0-9a-f]+) ([0-9a-f]+):([0-9a-f]+) (\d+) ?\s*(.*)$/;

function parseMaps(text: string): Array<MapsEntry & { line: string }> {
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const m = MAPS_LINE.exec(line);
      if (!m) throw new Error(`not a maps line: ${line}`);
      return {
        line,
        start: Number.parseInt(m[1]!, 16),
        end: Number.parseInt(m[2]!, 16),
        perms: m[3]!,
        offset: Number.parseInt(m[4]!, 16),
        deviceMajor: Number.parseInt(m[5]!, 16),
        deviceMinor: Number.parseInt(m[6]!, 16),
        inode: Number(m[7]),
        path: m[8]!,
      };
    });
}

/** The device and inode of a file, split as glibc's major() and minor() split st_dev. */
function identity(path: string) {
  const stat = statSync(path, { bigint: true });
  const dev = stat.dev;
  return {
    path,
    deviceMajor: Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn)),
    deviceMinor: Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn)),
    inode: Number(stat.ino),
  };
}

function find(command: string): string | undefined {
  try {
    return (
      execFileSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/** Skips (printing why) off Linux or without the tool; in CI on Linux a missing tool fails. */
function need(ctx: TestContext, command: string, required: boolean): string {
  if (process.platform !== "linux") {
    const reason = `skipped: needs Linux to compare with /proc/self/maps (this is ${process.platform})`;
    console.warn(reason);
    ctx.skip(reason);
  }
  const found = find(command);
  if (found) return found;
  const reason = `skipped: \`${command}\` is not installed`;
  if (required && process.env.CI) throw new Error(`${command} is required in CI: ${reason}`);
  console.warn(reason);
  return ctx.skip(reason);
}

const relative = (base: number) => (e: MapsEntry) => ({
  start: e.start - base,
  end: e.end - base,
  size: e.end - e.start,
  perms: e.perms,
  offset: e.offset,
});

describe("loading real executables, compared with the kernel's /proc/self/maps", () => {
  it("maps /usr/bin/cat as the kernel does: order, permissions, sizes and file offsets relative to the load base", (ctx) => {
    const cat = realpathSync(need(ctx, "cat", true));
    const real = parseMaps(execFileSync(cat, ["/proc/self/maps"], { encoding: "utf8" })).filter(
      (e) => e.path === cat,
    );
    expect(real.length).toBeGreaterThanOrEqual(2);
    const base = real[0]!.start;
    const elf = parseElf(readFileSync(cat));
    const p = new Process(elf, { ...identity(cat), loadBase: base });
    const ours = p.mappings().filter((e) => e.path === cat);
    expect(ours.map(relative(p.mappings()[0]!.start))).toEqual(real.map(relative(base)));
    // Loaded where the kernel put it, every column is the kernel's, byte for byte.
    expect(ours.map(renderMapsLine)).toEqual(real.map((e) => e.line));
    p.verify();
  });

  it("places a PIE at the kernel's base with randomisation off (setarch -R), heap and stack included", (ctx) => {
    const setarch = need(ctx, "setarch", false);
    const cat = realpathSync(need(ctx, "cat", true));
    let text: string;
    try {
      text = execFileSync(setarch, ["-R", cat, "/proc/self/maps"], { encoding: "utf8" });
    } catch (error) {
      const reason = `skipped: setarch -R is not permitted here (${String(error).split("\n")[0]})`;
      console.warn(reason);
      return ctx.skip(reason);
    }
    const real = parseMaps(text);
    const elf = parseElf(readFileSync(cat));
    const p = new Process(elf, identity(cat));
    if (elf.type === "dyn") {
      expect(real.filter((e) => e.path === cat).map(renderMapsLine)).toEqual(
        p
          .mappings()
          .filter((e) => e.path === cat)
          .map(renderMapsLine),
      );
    }
    expect(real.find((e) => e.path === "[heap]")?.start).toBe(p.heapStart);
    expect(real.find((e) => e.path === "[stack]")?.end).toBe(p.stackTop);
    const belowStack = real.filter((e) => e.end <= p.stackLimit);
    expect(Math.max(...belowStack.map((e) => e.end))).toBe(p.mmapBase);
  });

  it("maps a gcc -no-pie executable (ET_EXEC) at its own addresses, bss tail and RELRO included", (ctx) => {
    const gcc = need(ctx, "gcc", false);
    const dir = mkdtempSync(join(tmpdir(), "mm-layout-"));
    try {
      const source = join(dir, "maps.c");
      const binary = join(dir, "maps");
      writeFileSync(
        source,
        [
          "#include <stdio.h>",
          "static char bss[100000];",
          "int main(void) {",
          '  FILE *f = fopen("/proc/self/maps", "r"); char line[512];',
          "  bss[1] = 1;",
          "  while (fgets(line, sizeof line, f)) fputs(line, stdout);",
          "  return bss[0];",
          "}",
          "",
        ].join("\n"),
      );
      execFileSync(gcc, ["-no-pie", "-O0", "-o", binary, source]);
      const path = realpathSync(binary);
      const real = parseMaps(execFileSync(path, [], { encoding: "utf8" }));
      const p = Process.fromElf(readFileSync(path), identity(path));
      expect(p.elf?.type).toBe("exec");
      const ours = p.mappings();
      expect(ours.filter((e) => e.path === path).map(renderMapsLine)).toEqual(
        real.filter((e) => e.path === path).map((e) => e.line),
      );
      // The bss pages past the file are the anonymous mapping right after the file's last one.
      const lastFile = real.filter((e) => e.path === path).at(-1)!;
      const bss = real.find((e) => e.start === lastFile.end && e.path === "");
      expect(bss).toBeDefined();
      const ourBss = ours.find((e) => e.start === lastFile.end);
      expect(ourBss && renderMapsLine(ourBss)).toBe(bss!.line);
      expect(p.heapStart).toBe(bss!.end);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
