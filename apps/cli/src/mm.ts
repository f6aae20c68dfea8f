// The `mm` executable: runs the command line on this process's streams and sets the exit code.
// A closed stdout (`mm run --events t.jsonl | head`) ends the output quietly.
//
// `mm py` runs its program on a worker thread: the evaluator runs without returning to the
// event loop, so a SIGINT handler on its own thread would never run. This thread catches
// Ctrl-C and raises a flag in shared memory, which the evaluator polls.

import { isatty } from "node:tty";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import {
  INTERRUPTED_STATUS,
  isInteractive,
  readsProgramFromStdin,
  setInterruptPoll,
} from "./commands/py.js";
import { processIo } from "./io.js";
import { main } from "./main.js";

/** What the main thread hands a `mm py` worker. */
interface PyWork {
  readonly argv: readonly string[];
  /** Element 0 is set to 1 on Ctrl-C. */
  readonly interrupt: Int32Array;
  /**
   * Whether this process's stdout is a terminal (a worker's own streams never are): python3
   * line-buffers sys.stdout there.
   */
  readonly stdoutIsTTY: boolean;
  /** Whether this process's stderr is a terminal (the worker's own stderr is not). */
  readonly stderrIsTTY: boolean;
  /** The terminal's width, when it is one. */
  readonly columns: number | undefined;
}

process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

const argv = process.argv.slice(2);

if (!isMainThread) {
  const work = workerData as PyWork;
  setInterruptPoll(() => Atomics.load(work.interrupt, 0) !== 0);
  const io = processIo();
  const stdout = { ...io.stdout, isTTY: work.stdoutIsTTY, columns: work.columns };
  const stderr = { ...io.stderr, isTTY: work.stderrIsTTY };
  parentPort?.postMessage(await main(work.argv, { ...io, stdout, stderr }));
} else if (argv[0] === "py" && !isInteractive(argv.slice(1), isatty(0))) {
  const interrupt = new Int32Array(new SharedArrayBuffer(4));
  const work: PyWork = {
    argv,
    interrupt,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  };
  const worker = new Worker(new URL(import.meta.url), { workerData: work, stdin: true });
  let status = 2;
  process.on("SIGINT", () => {
    // A second Ctrl-C while the first is not yet seen (the program is in one long builtin).
    if (Atomics.load(interrupt, 0) !== 0) process.exit(INTERRUPTED_STATUS);
    Atomics.store(interrupt, 0, 1);
  });
  // A program piped to mm py is read from stdin through this thread. Otherwise this thread
  // leaves descriptor 0 alone (opening process.stdin would make a pipe non-blocking): the
  // program's input() reads it itself, and data it never reads keeps nothing alive.
  const piped = !isatty(0) && readsProgramFromStdin(argv.slice(1));
  if (piped) process.stdin.pipe(worker.stdin!);
  else worker.stdin?.end();
  worker.on("message", (code: number) => {
    status = code;
  });
  worker.on("error", (error) => {
    process.stderr.write(`mm: internal error: ${error.message}\n`);
    status = 2;
  });
  worker.on("exit", () => {
    if (piped) {
      process.stdin.unpipe();
      process.stdin.destroy();
    }
    if (status === INTERRUPTED_STATUS) {
      // Die by the signal, as python3 does after an uncaught KeyboardInterrupt's traceback.
      process.removeAllListeners("SIGINT");
      process.kill(process.pid, "SIGINT");
    } else process.exitCode = status;
  });
} else {
  process.exitCode = await main(argv, processIo());
}
