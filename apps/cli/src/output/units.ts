// Numbers as people read them: grouped digits, bytes in binary units, milliseconds.

/** `1234567` → `"1,234,567"`. */
export function count(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** Bytes in the largest binary unit that keeps at least one whole: `1572864` → `"1.5 MiB"`. */
export function bytes(value: number): string {
  const units = ["B", "KiB", "MiB", "GiB"];
  let scaled = value;
  let unit = 0;
  while (Math.abs(scaled) >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit++;
  }
  if (unit === 0) return `${count(value)} B`;
  const digits = scaled >= 100 ? 0 : scaled >= 10 ? 1 : 2;
  return `${Number(scaled.toFixed(digits))} ${units[unit]}`;
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
