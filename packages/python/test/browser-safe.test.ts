// @mm/python runs in a browser as well as in Node.js: its sources import nothing from Node.js
// and use none of Node's globals.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";

const src = join(import.meta.dirname, "..", "src");

/** Node.js-only modules, globals and builtins a browser bundle would miss. */
const NODE_ONLY = [
  /\bfrom\s+["']node:/,
  /\bimport\s*\(\s*["']node:/,
  /\brequire\s*\(/,
  /\bfrom\s+["'](fs|path|os|url|child_process|process|buffer|util|crypto|stream)["']/,
  /\bprocess\.(env|argv|cwd|exit|stdout|stderr|platform)\b/,
  /\bBuffer\./,
  /\b__dirname\b|\b__filename\b|import\.meta\.dirname/,
];

it("the sources import no Node.js module and use no Node.js global", () => {
  const files = readdirSync(src, { recursive: true, encoding: "utf8" }).filter((f) =>
    f.endsWith(".ts"),
  );
  expect(files.length).toBeGreaterThan(5);
  const offences = files.flatMap((file) => {
    const lines = readFileSync(join(src, file), "utf8").split("\n");
    return lines.flatMap((line, i) =>
      NODE_ONLY.some((pattern) => pattern.test(line)) ? [`${file}:${i + 1}: ${line.trim()}`] : [],
    );
  });
  expect(offences).toEqual([]);
});

it("the check catches a Node.js import", () => {
  expect(NODE_ONLY.some((p) => p.test('import { basename } from "node:path";'))).toBe(true);
  expect(NODE_ONLY.some((p) => p.test("const home = process.env.HOME;"))).toBe(true);
  expect(NODE_ONLY.some((p) => p.test('import { formatBytes } from "@mm/layout";'))).toBe(false);
});
