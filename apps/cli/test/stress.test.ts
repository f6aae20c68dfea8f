// GC stress mode over every `mm gen` workload: a collection at every container allocation and
// every structure verified after every op, with no violation, and the events that no collection
// timing can move (errors and sizes) equal to CPython's. `--stress` on `mm run` and `mm py`
// turns the mode on. The sizes are CI's: each workload runs a few thousand ops under stress.

import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { formatEvent, Runtime, type TraceEvent } from "@mm/runtime";
import { describe, expect, it } from "vitest";
import { py } from "../src/commands/py.js";
import { run } from "../src/commands/run.js";
import type { Io } from "../src/io.js";
import { workloads } from "../src/workloads/kinds.js";
import { DRIVER, hasPython, tempDir } from "./support.js";

/** The sizes CI runs the workloads at under stress (docs/stress.md says the same). */
const SIZES: Readonly<Record<string, number>> = {
  churn: 2_000,
  // Growth keeps everything: each verification walks a heap that only grows.
  growth: 500,
  cycles: 500,
  chains: 1_000,
  requests: 100,
};

const timingFree = (events: readonly TraceEvent[]) =>
  events.filter((e) => e.event === "error" || e.event === "sizeof").map(formatEvent);

/** An Io that keeps what a command writes. */
function captured(): { io: Io; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  const io: Io = {
    stdout: {
      write: (t) => {
        out += t;
      },
      isTTY: false,
      columns: undefined,
    },
    stderr: {
      write: (t) => {
        err += t;
      },
      isTTY: false,
      columns: undefined,
    },
    stdin: new PassThrough(),
    env: {},
    cwd: process.cwd(),
  };
  return { io, out: () => out, err: () => err };
}

const python = hasPython("the stress workloads' comparison with CPython");
const dir = tempDir();

describe("every mm gen workload under GC stress", () => {
  it("has a CI size for every workload kind", () => {
    expect(Object.keys(SIZES).sort()).toEqual(workloads.map((w) => w.kind).sort());
  });

  for (const workload of workloads) {
    it(`${workload.kind}: no violation, and errors and sizes as CPython's`, () => {
      const text = workload.write(SIZES[workload.kind]!, 1).text();
      const rt = new Runtime({ env: {}, stress: true, log: () => {} });
      let steps = 0;
      // Every op is verified (runTrace's own check); the count says every op ran.
      const events = rt.runTrace(text, workload.kind, { onStep: () => void steps++ });
      rt.verify();
      expect(steps).toBeGreaterThan(0);
      expect(rt.stats().collections.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      if (python) {
        const file = join(dir, `${workload.kind}.jsonl`);
        writeFileSync(file, text);
        const cpython = spawnSync("python3", [DRIVER, file], {
          encoding: "utf8",
          maxBuffer: 64 << 20,
        });
        expect(cpython.status, cpython.stderr).toBe(0);
        const theirs = cpython.stdout
          .split("\n")
          .filter((l) => l !== "")
          .map((l) => JSON.parse(l) as TraceEvent);
        expect(timingFree(events)).toEqual(timingFree(theirs));
      }
    });
  }
});

describe("--stress", () => {
  it("mm run --stress collects at every container allocation", async () => {
    const file = join(dir, "cycles.jsonl");
    writeFileSync(
      file,
      workloads
        .find((w) => w.kind === "cycles")!
        .write(50, 1)
        .text(),
    );
    const stressed = captured();
    await run.run(["--stress", "--json", file], stressed.io);
    const summary = JSON.parse(stressed.out()) as { collections: number[] };
    const normal = captured();
    await run.run(["--json", file], normal.io);
    const base = JSON.parse(normal.out()) as { collections: number[] };
    const total = (c: number[]) => c.reduce((a, b) => a + b, 0);
    expect(total(summary.collections)).toBeGreaterThan(total(base.collections) + 40);
  });

  it("mm py --stress runs a program with a collection at every allocation", async () => {
    const out = captured();
    await py.run(
      [
        "--stress",
        "-c",
        "import gc\nclass N:\n    pass\nstarts = []\ngc.callbacks.append(lambda p, i: starts.append(i['generation']) if p == 'start' else None)\nx = [N() for _ in range(30)]\ngc.callbacks.clear()\nprint(len(starts) >= 30, starts.count(0) > len(starts) // 2, 1 in starts)",
      ],
      out.io,
    );
    // Thirty instances, which no free list serves (a list from the free list is no allocation
    // the collector counts, and how full it is depends on the start-up): thirty collections at
    // least, mostly young ones and some middle ones; whether an old one comes too depends on
    // how many collections the start-up's own allocations ran under stress.
    expect(out.out()).toBe("True True True\n");
  });
});

process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
