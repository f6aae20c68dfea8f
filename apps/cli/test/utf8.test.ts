// Files that are not UTF-8: a program is refused as python3 refuses it (its SyntaxError, exit
// status 1), a trace in one line naming the place (exit 1); neither is read with U+FFFD in
// place of its bad bytes. utf8Problem agrees with the platform's strict decoder.

import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { utf8Problem } from "../src/utf8.js";
import { mm, tempDir } from "./support.js";

const dir = tempDir();

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe("input that is not UTF-8", () => {
  const programs: Record<string, Uint8Array> = {
    "latin1.py": Uint8Array.from([...Buffer.from('x = "'), 0xe9, ...Buffer.from('"\nprint(x)\n')]),
    "third-line.py": Uint8Array.from([...Buffer.from("a = 1\nb = 2\n# "), 0xff, 0x0a]),
    "surrogate.py": Uint8Array.from([...Buffer.from("s = '"), 0xed, 0xa0, 0x80, 0x27, 0x0a]),
    "truncated.py": Uint8Array.from([...Buffer.from("print('ok')\n'"), 0xe2, 0x82]),
  };

  it("is refused by mm py with python3's SyntaxError and status, from a file and from stdin", () => {
    for (const [name, bytes] of Object.entries(programs)) {
      file(name, bytes);
      const want = spawnSync("python3", [name], { cwd: dir, encoding: "utf8" });
      const got = mm(["py", name], { cwd: dir });
      expect(got.stdout).toBe(want.stdout);
      expect(got.stderr).toBe(want.stderr);
      expect(got.status).toBe(want.status);
      const piped = spawnSync("python3", [], { input: bytes, encoding: "utf8" });
      const gotPiped = spawnSync(
        process.execPath,
        [join(import.meta.dirname, "..", "dist", "mm.js"), "py"],
        {
          input: bytes,
          encoding: "utf8",
        },
      );
      expect(gotPiped.stderr).toBe(piped.stderr);
      expect(gotPiped.status).toBe(piped.status);
    }
  });

  it("is refused by mm run as a trace, in one line naming the line and the byte", () => {
    const path = file(
      "bad.jsonl",
      Uint8Array.from([...Buffer.from('{"mm-trace": 1}\n'), 0xfe, 0x0a]),
    );
    const got = mm(["run", path]);
    expect(got.status).toBe(1);
    expect(got.stderr.trim().split("\n")).toHaveLength(1);
    expect(got.stderr).toContain(":2: not UTF-8 (byte 0xfe at offset 16)");
  });

  it("finds exactly where the platform's strict decoder fails", () => {
    const strict = new TextDecoder("utf-8", { fatal: true });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 24 }),
          fc.string({ unit: "binary", maxLength: 12 }).map((s) => new TextEncoder().encode(s)),
        ),
        (bytes) => {
          let ok = true;
          try {
            strict.decode(bytes);
          } catch {
            ok = false;
          }
          const problem = utf8Problem(bytes);
          expect(problem === undefined).toBe(ok);
          if (problem) {
            // Everything before the offending sequence decodes; the sequence itself does not.
            expect(() => strict.decode(bytes.subarray(0, problem.offset))).not.toThrow();
            expect(() => strict.decode(bytes.subarray(problem.offset))).toThrow();
            expect(problem.byte).toBe(bytes[problem.offset]);
          }
        },
      ),
    );
  });
});
