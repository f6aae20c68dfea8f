// Runs the first TypeScript example of a package's README, so that the example a reader copies
// is known to work. Imports of @mm/* resolve to sources through the project's aliases.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Extracts the first ```ts block of `<dir>/README.md`, writes it next to the tests and imports
 * it. The example should assert what it shows (node:assert), so a wrong README fails the test.
 * @param {string} dir the package directory
 * @returns {Promise<string>} the example's source
 */
export async function runReadmeExample(dir) {
  const readme = readFileSync(join(dir, "README.md"), "utf8");
  const match = /```ts\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error(`${dir}/README.md has no \`\`\`ts example`);
  const file = join(dir, "test", "readme-example.generated.ts");
  writeFileSync(file, match[1]);
  await import(/* @vite-ignore */ file);
  return match[1];
}
