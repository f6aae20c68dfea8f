// mm bench: listing the suites and its errors. Running them is left to `mm bench` itself: even
// --quick takes half a minute alone on a two-core machine, and several times that beside the
// other tests, more than this package's whole test run may take.

import { describe, expect, it } from "vitest";
import { mm } from "./support.js";

describe("mm bench", () => {
  it("lists every package's benchmark files and how each runs", () => {
    const ran = mm(["bench", "--list", "--quick"]);
    expect(ran.status).toBe(0);
    expect(ran.stdout).toMatch(/^package +suite file +run as \(in the package\)\n/);
    expect(ran.stdout).toMatch(
      /@mm\/heap +packages\/heap\/bench\/free-store\.bench\.ts +tsx bench\/free-store\.bench\.ts --quick\n/,
    );
  });

  it("lists as JSON, and only the packages asked for", () => {
    const all = JSON.parse(mm(["bench", "--list", "--json"]).stdout);
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const row of all) {
      expect(row.file).toMatch(/^packages\/[a-z-]+\/bench\/[a-z-]+\.bench\.ts$/);
      expect(row.command).toBe(`tsx ${row.file.replace(/^packages\/[a-z-]+\//, "")}`);
    }
    const some = JSON.parse(mm(["bench", "heap", "@mm/gen-gc", "--list", "--json"]).stdout);
    expect(some.map((r: { package: string }) => r.package)).toEqual(["@mm/gen-gc", "@mm/heap"]);
  });

  it("refuses a package without benchmarks", () => {
    const ran = mm(["bench", "nothing", "--list"]);
    expect(ran.status).toBe(1);
    expect(ran.stderr).toMatch(
      /^mm: no benchmarks in package 'nothing': packages with benchmarks are @mm\/gen-gc, @mm\/heap, /,
    );
  });
});
