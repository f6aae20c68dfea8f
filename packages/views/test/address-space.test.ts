// The address-space picture: every mapping, gap and register labelled, boxes in address order
// and taller for larger segments, the stack's frames with their local slots, and a title that
// wraps instead of running off the picture.

import { fc, test } from "@fast-check/vitest";
import { PAGE_SIZE, Process } from "@mm/layout";
import { parseTrace, Runtime } from "@mm/runtime";
import { fcRuns } from "@mm/vitest-config/fast-check";
import { describe, expect, it } from "vitest";
import { addressSpaceModel, addressSpaceSvg, stackFrames } from "../src/index.js";
import { wellFormed } from "./xml.js";

describe("the address-space picture", () => {
  it("is well-formed, titled, and labels every mapping, gap and register", () => {
    const p = new Process({}, { pid: 7 });
    p.malloc(10);
    p.mmap(PAGE_SIZE, 0);
    p.pushFrame(0x400000, { localsBytes: 32 });
    const svg = addressSpaceSvg(p);
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
    const svg = addressSpaceSvg(p, { width: 900 });
    expect(wellFormed(svg)).toBe(true);
    expect(svg).toContain("text (&lt;a&amp;b&gt;)");
    const model = addressSpaceModel(p);
    const kinds = [...model.blocks].sort((a, b) => b.start - a.start).map((b) => b.kind);
    expect(kinds).toEqual(["stack", "guard", "bss", "rodata", "text"]);
    const boxes = [
      ...svg.matchAll(/<rect x="150" y="([\d.]+)" width="\d+" height="([\d.]+)" fill="#(?!fff)/g),
    ].map((m) => ({ y: Number(m[1]), height: Number(m[2]) }));
    expect(boxes).toHaveLength(5);
    for (let i = 1; i < boxes.length; i++)
      expect(boxes[i]!.y).toBeGreaterThanOrEqual(boxes[i - 1]!.y + boxes[i - 1]!.height - 0.1);
    // bss (64 pages) is taller than rodata (one page) and text (one page).
    expect(boxes[2]!.height).toBeGreaterThan(boxes[3]!.height);
  });

  test.prop(
    [
      fc.array(fc.tuple(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 7 })), {
        maxLength: 12,
      }),
    ],
    { numRuns: fcRuns(60) },
  )("any mix of mappings draws a well-formed picture with one box per maps line", (maps) => {
    const p = new Process();
    for (const [pages, prot] of maps) p.mmap(pages * PAGE_SIZE, prot);
    const svg = addressSpaceSvg(p);
    expect(wellFormed(svg)).toBe(true);
    const boxes = svg.match(/<rect x="150" [^>]*fill="#(?!fff)[0-9a-f]{6}" stroke="#333"/g) ?? [];
    expect(boxes.length).toBe(p.mappings().length + 1);
    expect(addressSpaceModel(p).blocks).toHaveLength(p.mappings().length + 1);
  });

  it("draws the stack's frames, outermost first, with their slots and where they point", () => {
    using rt = new Runtime({ env: {}, log: () => {}, process: true });
    const trace = [
      '{"mm-trace": 1}',
      '{"op":"call"}',
      '{"op":"new","var":"x","type":"list"}',
      '{"op":"new","var":"y","type":"dict"}',
      '{"op":"call"}',
      '{"op":"new","var":"z","type":"dict"}',
      '{"op":"return"}',
      '{"op":"return"}',
    ].join("\n");
    rt.runTrace(parseTrace(trace), undefined, { maxSteps: 3 });
    const proc = rt.process!;
    const frames = stackFrames(proc);
    expect(frames.map((f) => f.depth)).toEqual([0, 1]);
    const model = addressSpaceModel(proc);
    expect(model.frames).toEqual(frames);
    const svg = addressSpaceSvg(proc, { title: "paused" });
    expect(wellFormed(svg)).toBe(true);
    expect(svg).toContain("the stack: 2 frames, outermost first");
    expect(svg.indexOf(">#0  function")).toBeLessThan(svg.indexOf(">#1  function"));
    // Every slot is drawn; those that hold an object say which mapping it lives in.
    const slots = frames.flatMap((f) => f.slots);
    expect(svg.match(/>\[rbp-\d+\]</g)).toHaveLength(slots.length);
    const held = slots.filter((v) => v !== 0);
    expect(held.length).toBeGreaterThan(0);
    for (const v of held)
      expect(svg).toMatch(new RegExp(`>0x${v.toString(16).padStart(12, "0")} → mmap<`));
  });

  test.prop([fc.string({ minLength: 1, maxLength: 400 }), fc.integer({ min: 300, max: 1200 })], {
    numRuns: fcRuns(40),
  })("never clips its title: every line of it fits the picture", (title, width) => {
    const svg = addressSpaceSvg(new Process(), { title, width });
    const pictureWidth = Number(/width="(\d+)"/.exec(svg)![1]);
    const lines = [
      ...svg.matchAll(/<text x="12" y="[\d.]+" font-size="13" font-weight="bold">([^<]*)<\/text>/g),
    ];
    expect(lines.length).toBeGreaterThan(0);
    const fromXml = (s: string) =>
      s
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, "&");
    for (const [, line] of lines)
      expect(12 + fromXml(line!).length * 13 * 0.6).toBeLessThanOrEqual(pictureWidth);
    expect(
      lines
        .map(([, l]) => fromXml(l!))
        .join("")
        .replace(/ /g, ""),
    ).toBe(title.replace(/ /g, ""));
  });
});
