// The text of a short ASCII str read straight from its bytes: what the evaluator and the str
// methods need most often (an f-string's parts, a method's receiver), without the embedding's
// checks and the copy of the characters into a typed array that the general decoding makes.

import { OB_TYPE } from "@mm/heap";
import { type Embedding, type Ref, StrLayout } from "@mm/runtime";

/** The longest str read character by character; longer ones take the general decoding. */
const SHORT = 64;

/**
 * The value of `o` when it is an exact str (of type `strTypeId`) held in its object as ASCII
 * and at most 64 characters long, else undefined (the caller then asks the embedding).
 */
export function shortAsciiText(py: Embedding, o: Ref, strTypeId: number): string | undefined {
  const memory = py.memory;
  const u32 = memory.u32;
  if (u32[(o + OB_TYPE) >>> 2] !== strTypeId) return undefined;
  const state = u32[(o + StrLayout.state) >>> 2]!;
  if ((state & (StrLayout.asciiBit | StrLayout.legacyBit)) !== StrLayout.asciiBit) return undefined;
  const length = u32[(o + StrLayout.length) >>> 2]!;
  if (length > SHORT) return undefined;
  const u8 = memory.u8;
  const data = o + StrLayout.asciiHeader;
  let s = "";
  for (let i = 0; i < length; i++) s += String.fromCharCode(u8[data + i]!);
  return s;
}

/** The value of str `o`: {@link shortAsciiText}'s when it has one, else the embedding's. */
export function strText(py: Embedding, o: Ref, strTypeId: number): string {
  return shortAsciiText(py, o, strTypeId) ?? py.strValue(o);
}
