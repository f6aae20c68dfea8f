// Where a command reads and writes: the process's streams and environment, or stand-ins. Colour
// and progress bars depend on whether a stream is a terminal, so each stream says so.

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
    env: process.env,
    cwd: process.cwd(),
  };
}
