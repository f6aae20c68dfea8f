// `mm help COMMAND` and `mm --version`: the two ways in that do not run a command.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commands } from "../src/main.js";
import { mm } from "./support.js";

const manifest = JSON.parse(
  readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8"),
) as { version: string };

describe("mm --version", () => {
  it("prints the package's version and nothing else", () => {
    for (const flag of ["--version", "-V"]) {
      expect(mm([flag])).toEqual({ status: 0, stdout: `${manifest.version}\n`, stderr: "" });
    }
  });
});

describe("mm help", () => {
  it.each(commands.map((c) => c.name))("mm help %s prints that command's --help", (name) => {
    const ran = mm(["help", name]);
    expect(ran).toEqual({
      status: 0,
      stdout: `${commands.find((c) => c.name === name)!.help}\n`,
      stderr: "",
    });
    expect(ran.stdout).toBe(mm([name, "--help"]).stdout);
  });

  it("without a command prints the overview, which names help and --version", () => {
    const ran = mm(["help"]);
    expect(ran.status).toBe(0);
    expect(ran.stdout).toBe(mm(["--help"]).stdout);
    expect(ran.stdout).toContain("mm help COMMAND");
    expect(ran.stdout).toContain("mm --version");
  });

  it("refuses an unknown command, or two, in one line with exit code 1", () => {
    const names = commands.map((c) => c.name).join(", ");
    expect(mm(["help", "frobnicate"])).toEqual({
      status: 1,
      stdout: "",
      stderr: `mm: unknown command 'frobnicate': mm help knows ${names}\n`,
    });
    expect(mm(["help", "run", "gen"])).toEqual({
      status: 1,
      stdout: "",
      stderr: "mm: mm help takes one command, not 'run gen' (see mm --help)\n",
    });
  });
});
