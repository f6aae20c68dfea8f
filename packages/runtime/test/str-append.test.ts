// Embedding.strAppend (PyUnicode_Append): a str that nothing else holds is resized in place,
// keeping its address while the new size fits its block's size class; every other str is
// copied. Checked against a plain model of values and counts, in place and through a strategy
// whose counts the embedding may not trust.

import { fc } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { Embedding, type Ref, Runtime, type RuntimeEvent } from "../src/index.js";

const quiet = { env: {}, log: () => {} } as const;

function embedded(collector = "cpython") {
  const rt = new Runtime({ ...quiet, collector });
  const py = new Embedding(rt);
  const events: string[] = [];
  py.observe((e: RuntimeEvent) => {
    if (e.kind === "allocate" || e.kind === "free") events.push(`${e.kind} ${e.type}`);
  });
  return { rt, py, events };
}

/** A str made at run time (not a cached one-character or empty str), a new reference. */
function fresh(py: Embedding, value: string): Ref {
  return py.strConcat(py.str(`${value}`), py.str(""));
}

describe("strAppend", () => {
  it("resizes a str held once in place, at the same address within its size class", () => {
    const { py, rt } = embedded();
    // 48-byte ASCII header + 10 chars + NUL = 59 bytes: the 64-byte class holds up to 15.
    let s = py.str("abcdefghij");
    const first = s;
    const addresses: Ref[] = [];
    for (let i = 0; i < 8; i++) {
      s = py.strAppend(s, py.str("x"));
      addresses.push(s);
    }
    expect(py.strValue(s)).toBe("abcdefghijxxxxxxxx");
    expect(addresses.slice(0, 5).every((a) => a === first)).toBe(true);
    // 16 characters take 65 bytes: the block moves to the 80-byte class.
    expect(addresses[5]).not.toBe(first);
    expect(py.sizeof(s)).toBe(48 + 19);
    expect(py.refcount(s)).toBe(1);
    rt.verify();
  });

  it("copies a str that is shared, hashed, interned or would change form", () => {
    const { py, rt } = embedded();
    const shared = py.str("shared-str");
    py.incref(shared);
    const joined = py.strAppend(shared, py.str("!"));
    expect(joined).not.toBe(shared);
    expect(py.refcount(shared)).toBe(1);
    expect(py.strValue(joined)).toBe("shared-str!");

    const hashed = py.str("hashed-str");
    py.hash(hashed);
    expect(py.strAppend(hashed, py.str("!"))).not.toBe(hashed);

    const interned = py.intern(py.str("interned-str"));
    py.incref(interned);
    expect(py.strAppend(interned, py.str("!"))).not.toBe(interned);

    // ASCII += latin-1 changes the header: a new str, even held once.
    const ascii = py.str("ascii-only");
    const latin = py.strAppend(ascii, fresh(py, "\xe9\xe9"));
    expect(latin).not.toBe(ascii);
    expect(py.strValue(latin)).toBe("ascii-only\xe9\xe9");
    // latin-1 += ASCII fits: in place.
    expect(py.strAppend(latin, py.str("z"))).toBe(latin);
    // UCS-2 += latin-1: the right operand widened into the left's form, in place (72 bytes of
    // header and 4 code units of 2 bytes, the NUL's included, still fit the 80-byte block).
    const wide = py.str("\u20ac\u20ac");
    const wider = py.strAppend(wide, py.str("\xe9"));
    expect(wider).toBe(wide);
    expect(py.strValue(wider)).toBe("\u20ac\u20ac\xe9");
    // latin-1 += UCS-2: wider than the left, copied.
    const narrow = py.str("\xe9\xe9\xe9");
    expect(py.strAppend(narrow, py.str("\u20ac!"))).not.toBe(narrow);
    rt.verify();
  });

  it("gives the other operand back when one is empty", () => {
    const { py } = embedded();
    const right = py.str("right side");
    const before = py.refcount(right);
    expect(py.strAppend(py.str(""), right)).toBe(right);
    expect(py.refcount(right)).toBe(before + 1);
    const left = py.str("left side");
    expect(py.strAppend(left, py.str(""))).toBe(left);
    expect(py.refcount(left)).toBe(1);
  });

  it("reports a resize to observers as the old block's free and the new block's allocation", () => {
    const { py, events } = embedded();
    const s = py.str("observed-str");
    events.length = 0;
    py.strAppend(s, py.str("x"));
    expect(events).toEqual(["free str", "allocate str"]);
  });

  it("never resizes in place when the strategy's counts are not exact", () => {
    const { py, rt } = embedded("tracing");
    const s = py.str("traced-str");
    const t = py.strAppend(s, py.str("x"));
    expect(t).not.toBe(s);
    expect(py.strValue(t)).toBe("traced-strx");
    rt.verify();
  });

  it("agrees with concatenation of values, counts and heap checks (property)", () => {
    const piece = fc.constantFrom("", "a", "bc", "\xe9", "\u20ac", "\u{1f600}", "xyz0123456789");
    fc.assert(
      fc.property(
        fc.array(fc.record({ piece, alias: fc.boolean() }), { maxLength: 40 }),
        (steps) => {
          const { py, rt } = embedded();
          let s = py.str("");
          let model = "";
          const held: Ref[] = [];
          for (const { piece: p, alias } of steps) {
            if (alias) {
              py.incref(s);
              held.push(s);
            }
            const right = fresh(py, p);
            const before = held.map((h) => py.strValue(h));
            s = py.strAppend(s, right);
            py.decref(right);
            model += p;
            expect(py.strValue(s)).toBe(model);
            // An aliased str is never changed under its other holder.
            expect(held.map((h) => py.strValue(h))).toEqual(before);
          }
          for (const h of held) py.decref(h);
          py.decref(s);
          rt.verify();
        },
      ),
      { numRuns: 60 },
    );
  });
});
