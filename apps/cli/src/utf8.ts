// Input files must be UTF-8, as CPython requires of a source file without a coding declaration
// and as JSON requires of a trace: a file that is not is refused, never read with U+FFFD in
// place of its bad bytes.

/** Where a byte sequence stops being UTF-8: the offending byte, its offset and its line. */
export interface Utf8Problem {
  /** The first byte that does not begin or continue a valid sequence. */
  readonly byte: number;
  readonly offset: number;
  /** 1-based line of that byte. */
  readonly line: number;
}

/** The first place `bytes` is not well-formed UTF-8 (RFC 3629), or undefined when it is. */
export function utf8Problem(bytes: Uint8Array): Utf8Problem | undefined {
  let line = 1;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      if (b === 0x0a) line++;
      i++;
      continue;
    }
    // The sequence's length and the range its second byte must fall in (which excludes
    // overlong forms, surrogates and code points past U+10FFFF).
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) n = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      n = 3;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 4;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return { byte: b, offset: i, line };
    for (let k = 1; k < n; k++) {
      const c = bytes[i + k];
      const ok = c !== undefined && c >= (k === 1 ? lo : 0x80) && c <= (k === 1 ? hi : 0xbf);
      // CPython names the sequence's first byte.
      if (!ok) return { byte: b, offset: i, line };
    }
    i += n;
  }
  return undefined;
}

/** `bytes` as text, or the problem that keeps it from being UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | Utf8Problem {
  const problem = utf8Problem(bytes);
  return problem ?? new TextDecoder("utf-8").decode(bytes);
}
