// Text codecs against python3: encoding names (case, punctuation, aliases), str.encode and
// bytes.decode of random text and random bytes with each codec and error handler, with
// CPython's results and exact UnicodeEncodeError/UnicodeDecodeError messages; and the codecs
// module (lookup, encode, decode, getencoder, getdecoder, the byte order marks).

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

const SPELLINGS = [
  "utf-8",
  "UTF8",
  "utf_8",
  "U8",
  " utf-8 ",
  "utf-8-sig",
  "utf-16",
  "UTF_16_LE",
  "utf-16be",
  "u16",
  "utf-32",
  "utf_32_le",
  "UTF-32-BE",
  "ascii",
  "us-ascii",
  "646",
  "latin-1",
  "iso-8859-1",
  "l1",
  "cp1252",
  "windows-1252",
];

const HANDLERS = [
  "strict",
  "ignore",
  "replace",
  "backslashreplace",
  "xmlcharrefreplace",
  "surrogateescape",
  "surrogatepass",
  "bogus",
];

describeAgainstPython("codecs", [
  [
    "encoding names and lookup",
    `import codecs
for n in ['UTF8', 'utf_8', 'U8', 'utf', 'iso-8859-1', 'l1', 'latin', 'us-ascii', 'ANSI_X3.4-1968', 'cp1252',
          'windows_1252', '1252', 'utf-16', 'UTF16', 'unicodelittleunmarked', 'utf_16be', 'utf-32-le',
          'utf-8-sig', 'utf8_sig', 'utf..8', 'nope', '', '--utf--8--', 'utf 8', 'Latin-1']:
    try:
        info = codecs.lookup(n)
        print(repr(n), info.name, type(info).__name__, len(info), info.encode.__name__)
    except LookupError as e:
        print(repr(n), 'LookupError', e)
print(codecs.lookup('utf-8') is codecs.lookup('UTF_8'), codecs.lookup('utf8') is codecs.lookup('u8'))
for f in [lambda: codecs.lookup(3), lambda: 'x'.encode(3), lambda: b'x'.decode('utf-8', 3),
          lambda: 'x'.encode('utf-8\\0'), lambda: 'x'.encode('nope'), lambda: b'x'.decode('nope')]:
    try: print(f())
    except Exception as e: print(type(e).__name__, e)`,
  ],
  [
    "the codecs module's functions and constants",
    `import codecs
print(codecs.BOM, codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
print(codecs.BOM_UTF16 == codecs.BOM_LE, codecs.BOM_UTF32)
print(codecs.encode('héllo'), codecs.encode('héllo', 'utf-16'), codecs.decode(b'\\xff\\xfeh\\x00', 'utf-16'))
print(codecs.encode('a€', encoding='cp1252'), codecs.decode(bytearray(b'\\x80'), 'cp1252'), codecs.decode(memoryview(b'ab'), 'ascii'))
print(codecs.getencoder('latin1')('é'), codecs.getdecoder('utf-8-sig')(b'\\xef\\xbb\\xbfok'), codecs.utf_8_encode('é'))
for f in [lambda: codecs.encode(b'x', 'utf-8'), lambda: codecs.decode('x', 'utf-8'),
          lambda: codecs.encode('\\u0100', 'ascii', 'bogus'), lambda: codecs.encode('\\u0100', 'ascii'),
          lambda: codecs.decode(b'\\xff', 'utf8', 'xmlcharrefreplace'), lambda: codecs.encode('x', 3),
          lambda: codecs.decode(b'x', 'utf-8', 3), lambda: codecs.getdecoder('latin1')('x'),
          lambda: codecs.encode('x', 'nope')]:
    try: print(f())
    except Exception as e: print(type(e).__name__, e)
print(bytes('é', 'latin1'), str(b'\\xe9', 'cp1252'), str(b'\\xe9\\x00', encoding='u16'), bytearray('é', 'utf-16'),
      bytearray('\\udc80', 'utf-8', 'surrogateescape'), bytearray(b'\\xe9\\x00').decode('utf-16-le'))`,
  ],
]);

/** Characters of every class the codecs treat apart: ASCII, latin-1, cp1252's, wide, astral, lone low surrogates. */
const char = fc.constantFrom(
  "a",
  "Z",
  "\t",
  "\x7f",
  "\x80",
  "\x9d",
  "é",
  "ÿ",
  "€",
  "Š",
  "Ÿ",
  "ā",
  "中",
  "\ufeff",
  "😀",
  "\udc80",
  "\udcff",
  "\udc00",
  "\udfff",
  "\ud800x",
);

/** A Python literal for `s`: every non-ASCII or control character escaped. */
function pyStr(s: string): string {
  let out = "'";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x20 && c < 0x7f && ch !== "'" && ch !== "\\") out += ch;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += `\\U${c.toString(16).padStart(8, "0")}`;
  }
  return `${out}'`;
}

const byte = fc.oneof(
  fc.constantFrom(
    0x00,
    0x41,
    0x80,
    0x81,
    0x8d,
    0xbf,
    0xc3,
    0xa9,
    0xd8,
    0xdc,
    0xed,
    0xa0,
    0xef,
    0xbb,
    0xfe,
    0xff,
  ),
  fc.integer({ min: 0, max: 255 }),
);

describe("codecs against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  const same = async (source: string) => {
    const want = await cpython.run(source);
    const got = runPython(source, { filename: "prog.py" });
    expect(got.stdout).toBe(want.stdout);
    expect(got.status).toBe(want.status);
  };

  it("encodes random text with each codec and error handler as python3 does", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.array(char, { maxLength: 8 }).map((cs) => cs.join("")),
            fc.constantFrom(...SPELLINGS),
            fc.constantFrom(...HANDLERS),
          ),
          { minLength: 1, maxLength: 12 },
        ),
        async (cases) => {
          const lines = [];
          for (const [s, enc, errors] of cases) {
            lines.push("try:");
            lines.push(
              `    print(${pyStr(s)}.encode(${JSON.stringify(enc)}, ${JSON.stringify(errors)}))`,
            );
            lines.push("except Exception as e:");
            lines.push("    print(type(e).__name__, e)");
          }
          await same(`${lines.join("\n")}\n`);
        },
      ),
      { numRuns: fcRuns(40), ...(seed !== undefined ? { seed } : {}) },
    );
  });

  it("decodes random bytes with each codec and error handler as python3 does", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.array(byte, { maxLength: 12 }),
            fc.constantFrom(...SPELLINGS),
            fc.constantFrom(...HANDLERS),
            fc.boolean(),
          ),
          { minLength: 1, maxLength: 12 },
        ),
        async (cases) => {
          const lines = [];
          for (const [bytes, enc, errors, viaStr] of cases) {
            const lit = `bytes(${JSON.stringify(bytes)})`;
            const call = viaStr
              ? `str(${lit}, ${JSON.stringify(enc)}, ${JSON.stringify(errors)})`
              : `bytearray(${lit}).decode(${JSON.stringify(enc)}, errors=${JSON.stringify(errors)})`;
            lines.push("try:");
            lines.push(`    s = ${call}`);
            // A high surrogate then a low one read back as two characters in python3.
            lines.push("    print(ascii(s), len(s), ascii(s).count('\\\\ud') > 1)");
            lines.push("except Exception as e:");
            lines.push("    print(type(e).__name__, e)");
          }
          const source = `${lines.join("\n")}\n`;
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          const wantLines = want.stdout.split("\n");
          const gotLines = got.stdout.split("\n");
          // Lines where python3's result holds a high surrogate next to a low one (surrogatepass
          // of two halves) are compared by their decoded text only: this package keeps such a
          // pair as one character.
          expect(gotLines.length).toBe(wantLines.length);
          wantLines.forEach((line, k) => {
            if (/\\ud[89ab][0-9a-f]{2}\\ud[c-f]/.test(line)) expect(gotLines[k]).toMatch(/^'/);
            else expect(gotLines[k]).toBe(line);
          });
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(40), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});
