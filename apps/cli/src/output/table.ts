// Plain-text tables: columns padded to their widest cell (colour codes do not count), numbers
// right-aligned, a rule under the header.

import { stripAnsi } from "./style.js";

/** One column: its header and how its cells align. */
export interface Column {
  readonly header: string;
  /** @defaultValue `"left"` */
  readonly align?: "left" | "right";
}

/** Renders `rows` under `columns`, each line without trailing spaces, joined with newlines. */
export function table(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) =>
    Math.max(stripAnsi(c.header).length, ...rows.map((r) => stripAnsi(r[i] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => {
        const cell = cells[i] ?? "";
        const pad = " ".repeat(widths[i]! - stripAnsi(cell).length);
        return c.align === "right" ? pad + cell : cell + pad;
      })
      .join("  ")
      .trimEnd();
  const header = line(columns.map((c) => c.header));
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  return [header, rule, ...rows.map(line)].join("\n");
}
