// Colours: only on a terminal, never when NO_COLOR is set (https://no-color.org) or TERM is
// "dumb". A style with colours off returns its text unchanged, so callers never branch.

import type { Io, Output } from "../io.js";

/** Text styles; each returns its text wrapped in ANSI codes, or unchanged. */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  magenta(text: string): string;
  cyan(text: string): string;
}

/** Whether colours may be written to `stream` under the environment `env`. */
export function colourEnabled(stream: Output, env: Io["env"]): boolean {
  const noColor = env.NO_COLOR;
  return stream.isTTY && (noColor === undefined || noColor === "") && env.TERM !== "dumb";
}

/** The styles for `stream`: ANSI colours when {@link colourEnabled}, plain text otherwise. */
export function styleFor(stream: Output, env: Io["env"]): Style {
  const enabled = colourEnabled(stream, env);
  const sgr =
    (open: number, close: number) =>
    (text: string): string =>
      enabled ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return {
    enabled,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    blue: sgr(34, 39),
    magenta: sgr(35, 39),
    cyan: sgr(36, 39),
  };
}

/** `text` without ANSI escape sequences: what it occupies on screen. */
export function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the escape character is the point
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}
