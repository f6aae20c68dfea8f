import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { checkRepository, layers, workspacePackages } from "../src/index.js";

const root = join(import.meta.dirname, "../../..");

describe("this repository", () => {
  test("has no import cycle, no dangling import and no import up the layers", () => {
    expect(checkRepository(root).map((p) => p.message)).toEqual([]);
  });

  test("the check sees the memory packages and gives each its layer", () => {
    const packages = workspacePackages(root);
    for (const name of ["heap", "pool-allocator", "refcount", "layout", "gen-gc", "runtime"]) {
      const pkg = packages.find((p) => p.name === `@mm/${name}`);
      expect(pkg?.allowed).toEqual(layers[`@mm/${name}`]);
    }
    expect(packages.find((p) => p.name === "@mm/cli")?.allowed).toBe("any");
  });
});
