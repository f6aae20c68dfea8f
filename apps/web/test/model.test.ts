// The view models, on steps recorded from real programs: the frames-and-objects layout, what
// left during a step, the gc pane, and pymalloc's map rebuilt from a recorded heap.

import { recordPython } from "@mm/python";
import { type ArenaMap, arenaMap } from "@mm/views";
import { describe, expect, it } from "vitest";
import { EXAMPLES } from "../src/examples.js";
import {
  arenaMapOf,
  blockPlace,
  boxLines,
  departures,
  eventLines,
  GRAPH,
  gcModel,
  graphModel,
} from "../src/model.js";
import { graphSvg } from "../src/render.js";

const record = (source: string, collector: "cpython" | "refcount" = "cpython") =>
  recordPython(source, {
    objects: true,
    pools: true,
    objectLimit: 60,
    runtimeOptions: { collector },
  });

describe("the frames-and-objects layout", () => {
  // Each example's first steps (the pools example runs for hundreds).
  const runs = EXAMPLES.map((e) =>
    recordPython(e.source, { objects: true, objectLimit: 60, budget: 60 }),
  );

  it("draws an arrow from every variable to its box, and no two boxes overlap", () => {
    for (const run of runs)
      for (const step of run.steps) {
        const model = graphModel(step);
        const drawn = new Set(model.boxes.map((b) => b.object.address));
        for (const frame of model.frames)
          for (const row of frame.rows)
            if (drawn.has(row.address))
              expect(model.arrows.some((a) => a.target === row.address)).toBe(true);
        for (const [i, a] of model.boxes.entries())
          for (const b of model.boxes.slice(i + 1)) {
            const apart =
              a.x + GRAPH.boxWidth <= b.x ||
              b.x + GRAPH.boxWidth <= a.x ||
              a.y + GRAPH.boxHeight <= b.y ||
              b.y + GRAPH.boxHeight <= a.y;
            expect(apart, `${a.object.type} and ${b.object.type}`).toBe(true);
          }
        for (const box of model.boxes) {
          expect(box.x + GRAPH.boxWidth).toBeLessThanOrEqual(model.width);
          expect(box.y + GRAPH.boxHeight).toBeLessThanOrEqual(model.height);
        }
        expect(graphSvg(model, undefined)).toMatch(/^<svg[\s\S]*<\/svg>$/);
      }
  });

  it("says each object's count, size and collector state in its box", () => {
    const step = record("x = [1, 2]\ny = x\n").steps.at(-1)!;
    const list = step.objects!.find((o) => o.type === "list")!;
    expect(boxLines(list)).toEqual(["[1, 2]", `refcount 2 · ${list.size} bytes`, "generation 0"]);
  });

  it("puts a stranded cycle in a column of its own, with its arrows going back", () => {
    const program = "a = []\nb = [a]\na.append(b)\ndel a, b\nend = 1\n";
    const step = record(program, "refcount").steps.at(-1)!;
    const model = graphModel(step);
    const stranded = model.boxes.filter((b) => !b.object.reachable);
    expect(stranded).toHaveLength(2);
    expect(new Set(stranded.map((b) => b.x)).size).toBe(1);
    expect(
      model.arrows.filter((a) => stranded.some((b) => b.object.address === a.target)),
    ).toHaveLength(2);
  });
});

describe("a step's departures, events and gc state", () => {
  it("names who freed what the step before showed", () => {
    const run = record(EXAMPLES.find((e) => e.id === "cycle")!.source);
    const i = run.steps.findIndex((s) => s.events.some((e) => e.kind === "collect"));
    const gone = departures(run.steps[i]!, run.steps[i - 1]);
    // The nodes were stranded, so the step before showed them: both leave by the collection.
    expect(gone.shown.filter((d) => d.type === "Node").map((d) => d.freedBy)).toEqual([
      "a generation 2 collection",
      "a generation 2 collection",
    ]);
    expect(eventLines(run.steps[i]!)).toContain(
      "collected generation 2: 2 unreachable objects found",
    );
    const gc = gcModel(run.steps[i]!)!;
    expect(gc.rows[2]!.collections).toBe(1);
    expect(gc.collectedNow).toHaveLength(1);
  });
});

describe("pymalloc's map from a recorded heap", () => {
  it("is the map @mm/views reads from the live allocator", () => {
    let live: ArenaMap | undefined;
    const run = recordPython(EXAMPLES.find((e) => e.id === "pools")!.source, {
      objects: true,
      pools: true,
      objectLimit: 10,
      budget: 5000,
      teardown: (vm) => {
        live = arenaMap(vm.runtime.pymalloc!);
      },
    });
    const last = run.steps.at(-1)!;
    expect(arenaMapOf(last.heap!)).toEqual(live);
  });

  it("finds each small object's pool, of the size class its block needs", () => {
    const step = record("x = [1, 2, 3]\nt = (x, 'abc', 2.5)\n").steps.at(-1)!;
    const map = arenaMapOf(step.heap!);
    for (const o of step.objects!) {
      const place = blockPlace(map, step.heap!, o.address);
      expect(place, o.type).toBeDefined();
      const cell = map.arenas[place!.arenaIndex]!.cells[place!.cell]!;
      expect(cell.sizeClass).toBe(place!.sizeClass);
      expect(cell.blocksInUse).toBeGreaterThan(0);
    }
  });
});
