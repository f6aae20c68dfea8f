// The README's first example, run as written: each `mm` line of its sh block, in a fresh
// directory, one after the other (later lines read what earlier ones wrote).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { mm, tempDir } from "./support.js";

it("runs every command of the README's example", () => {
  const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
  const block = /```sh\n([\s\S]*?)```/.exec(readme)![1]!;
  const lines = block
    .split("\n")
    .map((line) => line.replace(/#.*$/, "").trim())
    .filter((line) => line !== "");
  expect(lines.length).toBeGreaterThanOrEqual(5);
  const dir = tempDir();
  for (const line of lines) {
    // Words, or "quoted text" as one word (as sh reads the README's lines).
    const [command, ...args] = (line.match(/"[^"]*"|\S+/g) ?? []).map((w) =>
      w.replace(/^"|"$/g, ""),
    );
    expect(command).toBe("mm");
    const ran = mm(args, { cwd: dir });
    expect(ran.stderr, line).toBe("");
    expect(ran.status, line).toBe(0);
    if (args.includes("--json")) expect(() => JSON.parse(ran.stdout)).not.toThrow();
  }
});
