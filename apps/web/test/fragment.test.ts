// The program in the URL fragment: base64url of UTF-8 without padding, as Python's
// base64.urlsafe_b64encode writes it (asked live), and back.

import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeProgram,
  encodeProgram,
  programFragment,
  programFromFragment,
} from "../src/fragment.js";

const SAMPLES = [
  "",
  "x = 1\n",
  "print('héllo, wörld ✓')\n",
  "s = '𝄞 emoji 🐍'\n",
  "a".repeat(70_000),
  "def f():\n\treturn [i ** 2 for i in range(10)]\n",
];

describe("the URL fragment", () => {
  it("encodes as python3's base64.urlsafe_b64encode without padding", () => {
    const ran = spawnSync(
      "python3",
      [
        "-c",
        "import base64, json, sys\nprint(json.dumps([base64.urlsafe_b64encode(s.encode()).decode().rstrip('=') for s in json.load(sys.stdin)]))",
      ],
      { input: JSON.stringify(SAMPLES), encoding: "utf8" },
    );
    expect(ran.status).toBe(0);
    expect(SAMPLES.map(encodeProgram)).toEqual(JSON.parse(ran.stdout));
  });

  it("gives back any program", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (source) => {
        expect(decodeProgram(encodeProgram(source))).toBe(source);
        expect(programFromFragment(programFragment(source))).toBe(source);
        expect(programFragment(source)).toMatch(/^#code=[A-Za-z0-9_-]*$/);
      }),
    );
  });

  it("refuses what is not base64url of UTF-8, and fragments without code=", () => {
    expect(decodeProgram("a+b/")).toBeUndefined();
    expect(decodeProgram("abcde")).toBeUndefined();
    expect(decodeProgram("_w")).toBeUndefined(); // 0xff: not UTF-8
    expect(programFromFragment("#other=1")).toBeUndefined();
    expect(programFromFragment("#x=1&code=eCA9IDE")).toBe("x = 1");
  });
});
