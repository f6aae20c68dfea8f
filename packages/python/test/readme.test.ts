import { runReadmeExample } from "@mm/vitest-config/readme";
import { expect, it } from "vitest";

it("the README's example runs and its assertions hold", async () => {
  const source = await runReadmeExample(`${import.meta.dirname}/..`);
  expect(source).toContain('from "@mm/python"');
});
