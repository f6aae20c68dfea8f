// Where a command reads and writes: the process's streams and environment, or stand-ins. Colour
// and progress bars depend on whether a stream is a terminal, so each stream says so.

import { readSync } from "node:fs";
import { isatty } from "node:tty";

/** A stream a command writes text to. */
export interface Output {
  write(text: string): void;
  /** Whether the stream is a terminal (colours and progress bars only go to terminals). */
  readonly isTTY: boolean;
  /** The terminal's width in characters, when it is one. */
  readonly columns: number | undefined;
}

/** Everything a command touches outside itself. */
export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
  /** Standard input, read line by line by `mm tour --step`. */
  readonly stdin: NodeJS.ReadableStream;
  /**
   * Reads up to `max` bytes of standard input, waiting for them; an empty array at its end. A
   * Python program's `input()` and `sys.stdin` read through it. @defaultValue no input
   */
  readonly readStdin?: (max: number) => Uint8Array;
  /** Whether standard input is a terminal. @defaultValue false */
  readonly stdinIsTerminal?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The directory relative paths are read from and written to. */
  readonly cwd: string;
}

/** The {@link Io} of this process. */
export function processIo(): Io {
  const wrap = (stream: NodeJS.WriteStream): Output => ({
    write: (text) => {
      stream.write(text);
    },
    isTTY: stream.isTTY === true,
    columns: stream.isTTY ? stream.columns : undefined,
  });
  return {
    stdout: wrap(process.stdout),
    stderr: wrap(process.stderr),
    stdin: process.stdin,
    readStdin: readDescriptor0,
    stdinIsTerminal: isatty(0),
    env: process.env,
    cwd: process.cwd(),
  };
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Up to `max` bytes read from descriptor 0 as they come, an empty array at its end. A pipe
 * another reader of this process left non-blocking answers EAGAIN while empty: the read is
 * tried again after a short wait.
 */
function readDescriptor0(max: number): Uint8Array {
  const buffer = new Uint8Array(max);
  for (;;) {
    try {
      return buffer.subarray(0, readSync(0, buffer, 0, max, null));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EOF") return buffer.subarray(0, 0);
      if (code !== "EAGAIN") throw error;
      Atomics.wait(pause, 0, 0, 10);
    }
  }
}
