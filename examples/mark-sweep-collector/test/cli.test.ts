// The collector from outside, through the mm CLI as a user runs it: every workload `mm gen`
// writes, under `mm run` and `mm compare` with --collector-module. As a non-counting collector
// from the same roots, it must agree with the built-in tracing collector on the program's
// events (each collection's finalizers as a set, see finalizersSorted) and on the objects alive
// after the final full collection.

import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..", "..");
const MM = join(root, "apps", "cli", "dist", "mm.js");
const MODULE = join(import.meta.dirname, "..", "dist", "index.js");
/** Every kind `mm gen` writes, with a size that makes the collectors run during the trace. */
const KINDS = [
  ["churn", 3000],
  ["growth", 3000],
  ["cycles", 2000],
  ["chains", 3000],
  ["requests", 400],
] as const;

/**
 * The events with each collection's finalize events put in name order, all else in place. A
 * tracing collector finalizes what one collection finds in heap-address order, and the two
 * collectors use the heap differently (the built-in one keeps its list heads there), so the same
 * objects can lie in another order: which objects each collection finalizes must agree, and every
 * other event in order.
 */
function finalizersSorted(stdout: string): string {
  const lines = stdout.split("\n");
  const out = [...lines];
  let start = 0;
  const sortGroup = (end: number) => {
    const at: number[] = [];
    for (let i = start; i < end; i++) if (lines[i]!.includes('"event":"finalize"')) at.push(i);
    const sorted = at.map((i) => lines[i]!).sort();
    at.forEach((i, k) => {
      out[i] = sorted[k]!;
    });
  };
  lines.forEach((line, i) => {
    if (!line.includes('"event":"collect"')) return;
    sortGroup(i);
    start = i + 1;
  });
  sortGroup(lines.length);
  return out.join("\n");
}

function mm(
  args: readonly string[],
  cwd: string,
): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  for (const key of ["MM_COLLECTOR", "MM_ALLOCATOR", "NO_COLOR", "FORCE_COLOR"]) delete env[key];
  const run = spawnSync(process.execPath, [MM, ...args], {
    cwd,
    env,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("mark-sweep under the mm CLI", () => {
  it("finds the built CLI and module", () => {
    expect(existsSync(MM), `build the CLI first: pnpm turbo run build --filter=@mm/cli`).toBe(true);
    expect(existsSync(MODULE), "build this package first: pnpm build").toBe(true);
  });

  it.each(KINDS)(
    "runs and compares the %s workload as the tracing collector does",
    (kind, size) => {
      const dir = mkdtempSync(join(tmpdir(), "mm-mark-sweep-"));
      const trace = join(dir, `${kind}.jsonl`);
      expect(mm(["gen", kind, "--size", String(size), "--out", trace], dir).status).toBe(0);
      // A last full collection: what is alive then is what the roots reach, for both collectors.
      appendFileSync(trace, '{"op":"collect","generation":2}\n');

      const events = mm(["run", trace, "--collector-module", MODULE, "--events"], dir);
      expect(events.stderr).toBe("");
      const expected = mm(["run", trace, "--collector", "tracing", "--events"], dir);
      expect(finalizersSorted(events.stdout)).toBe(finalizersSorted(expected.stdout));
      const lastCollect = JSON.parse(events.stdout.trimEnd().split("\n").at(-1)!);
      expect(lastCollect.event).toBe("collect");

      const ran = mm(["run", trace, "--collector-module", MODULE, "--json"], dir);
      expect(ran.status).toBe(0);
      const summary = JSON.parse(ran.stdout);
      expect(summary.collector).toBe("mark-sweep");
      expect(summary.objects.leaked).toBe(0);
      expect(summary.collections[2]).toBeGreaterThan(1);

      const compared = mm(["compare", trace, "--collector-module", MODULE, "--json"], dir);
      expect(compared.status).toBe(0);
      const runs = JSON.parse(compared.stdout).runs as Array<{
        collector: string;
        objects: { allocated: number; freed: number; live: number; leaked: number };
      }>;
      expect(runs.map((r) => r.collector)).toEqual([
        "cpython",
        "refcount",
        "tracing",
        "none",
        "mark-sweep",
      ]);
      const tracing = runs.find((r) => r.collector === "tracing")!;
      const markSweep = runs.find((r) => r.collector === "mark-sweep")!;
      expect(markSweep.objects).toEqual(tracing.objects);
      expect(markSweep.objects).toEqual(summary.objects);
      // cpython also frees everything unreachable by the end: the same objects stay alive.
      expect(markSweep.objects.live).toBe(runs[0]!.objects.live);
    },
  );
});
