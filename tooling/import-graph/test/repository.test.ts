import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { checkRepository, layers, workspacePackages } from "../src/index.js";

const root = join(import.meta.dirname, "../../..");

describe("this repository", () => {
  test("has no import cycle, no dangling import and no import up the layers", () => {
    expect(checkRepository(root).map((p) => p.message)).toEqual([]);
  });

  test("the check sees every layered package", () => {
    const names = workspacePackages(root).map((p) => p.name);
    for (const name of Object.keys(layers)) expect(names).toContain(name);
  });
});
