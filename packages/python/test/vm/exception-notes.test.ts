// Exception notes (PEP 678, new in 3.11) against python3: `BaseException.add_note` and its
// errors, `__notes__` as an ordinary attribute of the instance's dict, the notes an uncaught
// exception's report prints after each message of its chain and those the traceback module's
// `format_exception_only` gives; with a property over random `__notes__` values (lists and
// tuples of strs with newlines, of other objects, of objects whose str fails, and values that
// are no sequence) whose reports must be python3's byte for byte.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fileRunner } from "./against-python.js";

/** python3's and runPython's outputs for `source`, run as the file prog.py. */
const both = fileRunner("mm-exception-notes-");

/** Addresses in reprs (`at 0x7f…`) differ between the two: compared as a placeholder. */
const masked = (text: string) => text.replace(/ at 0x[0-9a-f]+/g, " at 0x…");

describe("exception notes", () => {
  it("add_note keeps notes in __notes__, a list in the instance's dict, with 3.11's errors", () => {
    const { want, got } = both(`import sys, gc
e = ValueError("v")
print(hasattr(e, "__notes__"), e.__dict__)
print(e.add_note("first"), e.__dict__, e.__notes__)
e.add_note("second")
print(e.__notes__, sys.getsizeof(e), gc.get_referents(e), sys.getrefcount(e.__notes__))
for bad in (1, None, b"x"):
    try:
        e.add_note(bad)
    except TypeError as t:
        print(t)
class Sub(ValueError):
    pass
for args in ((), ("a", "b")):
    try:
        Sub().add_note(*args)
    except TypeError as t:
        print(t)
e.__notes__ = ("a tuple",)
try:
    e.add_note("y")
except TypeError as t:
    print(t)
del e.__notes__
e.add_note("again")
print(e.__notes__)
class E(Exception):
    __slots__ = ()
x = E()
x.add_note("slotted")
print(x.__dict__)
class Guarded(Exception):
    def __setattr__(self, name, value):
        print("setattr", name, value)
        super().__setattr__(name, value)
Guarded().add_note("through __setattr__")
`);
    expect(got).toEqual(want);
  });

  it("prints each exception's notes of a chain after its message, and none for unraisables", () => {
    const { want, got } = both(`import weakref
class Loud:
    def __del__(self):
        err = RuntimeError("in __del__")
        err.add_note("an unraisable's note is not printed")
        raise err
x = Loud()
del x
def lookup():
    try:
        {}["key"]
    except KeyError as k:
        k.add_note("while looking up 'key'")
        k.add_note("a note\\nof two lines")
        raise ValueError("no value") from k
try:
    lookup()
except ValueError as v:
    v.add_note("caught once")
    raise
`);
    expect(masked(got.stderr)).toBe(masked(want.stderr));
    expect([got.stdout, got.status]).toEqual([want.stdout, want.status]);
  });

  it("prints any __notes__ as print_exception_notes does", () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s.replace(/[\r\u2028\u2029]/g, "\n"))),
      fc.constantFrom("'a\\nb'", "'ends\\n'", "''", "'\\n'"),
      fc.integer({ min: -5, max: 300 }).map(String),
      fc.constantFrom("None", "3.5", "b'xy'", "BadStr()", "[1, 'x']"),
    );
    const notes = fc.oneof(
      fc.array(cell, { maxLength: 4 }).map((items) => `[${items.join(", ")}]`),
      fc.array(cell, { maxLength: 3 }).map((items) => `(${items.map((i) => `${i},`).join(" ")})`),
      fc.constantFrom("42", "None", "'abc'", "b'hi'", "{'k': 1}", "range(3)", "bytearray(b'q')"),
    );
    const raise = fc.constantFrom(
      "raise e",
      "raise KeyError('k') from e",
      "try:\n    raise e\nexcept ValueError:\n    raise TypeError('t')",
    );
    const seed = fcSeed();
    fc.assert(
      fc.property(notes, raise, (value, how) => {
        const { want, got } = both(`import traceback
class BadStr:
    def __str__(self):
        raise RuntimeError("no str")
e = ValueError("v")
e.__notes__ = ${value}
print(traceback.format_exception_only(e))
${how}
`);
        expect(masked(got.stderr)).toBe(masked(want.stderr));
        expect(masked(got.stdout)).toBe(masked(want.stdout));
        expect(got.status).toBe(want.status);
      }),
      { numRuns: fcRuns(25), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});
