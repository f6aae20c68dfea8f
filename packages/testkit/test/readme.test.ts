import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";

// Every ```ts block of the README runs, in order, so that each example a reader copies works and
// its assertions (the correct systems pass, the broken ones are caught) hold.
const dir = join(import.meta.dirname, "..");
const blocks = [...readFileSync(join(dir, "README.md"), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)];

it("the README has its examples", () => {
  expect(blocks.length).toBeGreaterThanOrEqual(2);
  expect(blocks[0]![1]).toContain('from "@mm/testkit"');
});

blocks.forEach((block, i) => {
  it(`the README's example ${i + 1} runs and its assertions hold`, async () => {
    const file = join(dir, "test", `readme-example-${i + 1}.generated.ts`);
    writeFileSync(file, block[1]!);
    await import(/* @vite-ignore */ file);
  });
});
