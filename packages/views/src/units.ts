// Numbers as people read them: grouped digits, bytes in binary units, milliseconds. The byte
// formatter is @mm/layout's (the lowest package that prints sizes), so that the whole
// repository writes a size one way.

import { formatBytes } from "@mm/layout";

export { formatBytes };

/** `1234567` → `"1,234,567"` (rounded to a whole number). */
export function count(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** Milliseconds with three significant digits: `0.01234` → `"0.0123 ms"`. */
export function ms(value: number): string {
  if (value === 0) return "0 ms";
  if (value >= 1000) return `${count(value)} ms`;
  return `${Number(value.toPrecision(3))} ms`;
}

/** `n` followed by the noun, plural when `n` is not 1: `plural(2, "arena")` → `"2 arenas"`. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${count(n)} ${n === 1 ? noun : nouns}`;
}
