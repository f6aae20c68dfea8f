// A progress bar on stderr for work that takes more than a second. It stays silent when stderr
// is not a terminal (logs and pipes get no carriage returns) and for work that ends quickly.

import type { Output } from "../io.js";

const DELAY_MS = 1000;
const REDRAW_MS = 100;
const WIDTH = 24;

/** A progress bar that appears after a second of work and erases itself when done. */
export class Progress {
  readonly #stream: Output;
  readonly #label: string;
  readonly #clock: () => number;
  readonly #started: number;
  #lastDraw = 0;
  #shown = false;
  #ticks = 0;

  /**
   * @param label - what is in progress, e.g. the trace's name
   * @param clock - milliseconds from any origin (performance.now; a test's own clock)
   */
  constructor(stream: Output, label: string, clock: () => number = () => performance.now()) {
    this.#stream = stream;
    this.#label = label;
    this.#clock = clock;
    this.#started = clock();
  }

  /**
   * Cheap enough to call on every step of a trace: looks at the clock only every 256 calls.
   * @param done - units done so far
   * @param total - units in all, when known
   */
  tick(done: number, total: number | undefined): void {
    if ((++this.#ticks & 255) === 0) this.update(done, total);
  }

  /** Redraws the bar (at most ten times a second, and only after the first second). */
  update(done: number, total: number | undefined, detail = ""): void {
    if (!this.#stream.isTTY) return;
    const now = this.#clock();
    if (now - this.#started < DELAY_MS || now - this.#lastDraw < REDRAW_MS) return;
    this.#lastDraw = now;
    this.#shown = true;
    const seconds = `${((now - this.#started) / 1000).toFixed(1)} s`;
    let bar = "";
    if (total !== undefined && total > 0) {
      const fraction = Math.min(1, done / total);
      const filled = Math.round(fraction * WIDTH);
      bar = ` [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${Math.floor(fraction * 100)}%`;
    }
    const suffix = detail === "" ? "" : ` ${detail}`;
    this.#stream.write(`\r${this.#label}${bar} ${seconds}${suffix}\x1b[K`);
  }

  /** Erases the bar if it was drawn. */
  finish(): void {
    if (this.#shown) this.#stream.write("\r\x1b[K");
    this.#shown = false;
  }
}
