// The terminal's output helpers: tables and colours, each against a plain model. (Sparklines,
// chart scales, units and step counts are @mm/views' and tested there.)

import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { Progress } from "../src/output/progress.js";
import { stripAnsi, styleFor } from "../src/output/style.js";
import { table } from "../src/output/table.js";

describe("table", () => {
  test.prop([
    fc.array(
      fc.array(
        fc.string({ maxLength: 12 }).filter((s) => !/[\n\r]/.test(s)),
        { minLength: 3, maxLength: 3 },
      ),
      { maxLength: 10 },
    ),
  ])("pads every column to its widest cell", (rows) => {
    const lines = table(
      [{ header: "a" }, { header: "bb", align: "right" }, { header: "ccc" }],
      rows,
    ).split("\n");
    expect(lines).toHaveLength(rows.length + 2);
    const widths = [0, 1, 2].map((i) =>
      Math.max(["a", "bb", "ccc"][i]!.length, ...rows.map((r) => r[i]!.length)),
    );
    expect(lines[1]).toBe(widths.map((w) => "─".repeat(w)).join("  "));
  });

  it("does not count colour codes as width", () => {
    const style = styleFor({ write: () => {}, isTTY: true, columns: 80 }, {});
    const out = table([{ header: "x" }, { header: "y" }], [[style.red("ab"), "c"]]);
    expect(stripAnsi(out)).toBe("x   y\n──  ─\nab  c");
  });
});

describe("colours", () => {
  it("are on for a terminal only, and off with NO_COLOR or TERM=dumb", () => {
    const tty = { write: () => {}, isTTY: true, columns: 80 };
    expect(styleFor(tty, {}).red("x")).toBe("\x1b[31mx\x1b[39m");
    expect(styleFor(tty, { NO_COLOR: "1" }).red("x")).toBe("x");
    expect(styleFor(tty, { NO_COLOR: "" }).enabled).toBe(true);
    expect(styleFor(tty, { TERM: "dumb" }).enabled).toBe(false);
    expect(styleFor({ ...tty, isTTY: false }, {}).enabled).toBe(false);
  });
});

describe("progress", () => {
  /** A terminal stream that keeps what is written, and a clock the test moves. */
  function setup(isTTY = true) {
    const written: string[] = [];
    let now = 5_000;
    const stream = { write: (t: string) => void written.push(t), isTTY, columns: 80 };
    const progress = new Progress(stream, "t.jsonl", () => now);
    const advance = (ms: number) => {
      now += ms;
    };
    return { written, progress, advance };
  }

  it("stays silent for the first second, then draws at most ten times a second", () => {
    const { written, progress, advance } = setup();
    progress.update(1, 4);
    advance(999);
    progress.update(2, 4);
    expect(written).toEqual([]);
    advance(1);
    progress.update(2, 4);
    expect(written).toEqual(["\rt.jsonl [############............] 50% 1.0 s\x1b[K"]);
    advance(99);
    progress.update(3, 4);
    expect(written).toHaveLength(1);
    advance(1);
    progress.update(3, 4, "gen2");
    expect(written[1]).toBe("\rt.jsonl [##################......] 75% 1.1 s gen2\x1b[K");
    progress.finish();
    expect(written.at(-1)).toBe("\r\x1b[K");
  });

  it("never draws on a stream that is not a terminal, and erases nothing it did not draw", () => {
    const { written, progress, advance } = setup(false);
    advance(60_000);
    progress.update(1, 2);
    progress.finish();
    expect(written).toEqual([]);
    const quick = setup();
    quick.progress.update(1, 2);
    quick.progress.finish();
    expect(quick.written).toEqual([]);
  });
});
