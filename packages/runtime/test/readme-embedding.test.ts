import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";

it("the README's embedding example runs and its assertions hold", async () => {
  const dir = join(import.meta.dirname, "..");
  const readme = readFileSync(join(dir, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Embedding a language"));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  expect(match).not.toBeNull();
  const file = join(dir, "test", "readme-embedding.generated.ts");
  writeFileSync(file, match![1]!);
  await import(/* @vite-ignore */ file);
  expect(match![1]).toContain("new Embedding(rt)");
});

it("the README's native types example runs and its assertions hold", async () => {
  const dir = join(import.meta.dirname, "..");
  const readme = readFileSync(join(dir, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### Front ends' own types and slot frames"));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  expect(match).not.toBeNull();
  const file = join(dir, "test", "readme-native.generated.ts");
  writeFileSync(file, match![1]!);
  await import(/* @vite-ignore */ file);
  expect(match![1]).toContain("py.defineType(");
});
