// CPython as the oracle of the differential fuzzer: one python3 process per test file, which
// forks once per program so that every program starts from the same interpreter state (a fresh
// `python3 prog.py` costs ~20 ms; a fork, ~1 ms). The child runs the program as `__main__`,
// its stdout going to a pipe, and exits with the status python3 would give it.

import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface, type Interface } from "node:readline";

/** What python3 printed and how it ended. */
export interface Outcome {
  /** Everything the program wrote to stdout. */
  readonly stdout: string;
  /** The exit status: 0, 1 after an uncaught exception, `sys.exit`'s code. */
  readonly status: number;
}

/** CPython's answer for one program, with how long the child ran. */
export interface Answer extends Outcome {
  /** Wall-clock milliseconds from fork to exit. */
  readonly ms: number;
  /** Why there is no comparable outcome: the child ran too long or printed too much. */
  readonly overrun: "time" | "output" | null;
}

// The driver reads one JSON request per line ({"src": ...}) and answers one JSON line. The
// parent collects its garbage before each fork so that a child's `gc.collect()` counts only
// what the program left; the child never returns into the driver (os._exit), so the driver's
// objects are never finalized twice.
const DRIVER = String.raw`
import gc, json, os, signal, sys, time, traceback

LIMIT_S = int(sys.argv[1])
MAX_OUT = int(sys.argv[2])

def child(src, w):
    os.dup2(w, 1)
    os.close(w)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    signal.alarm(LIMIT_S)
    status = 0
    try:
        exec(compile(src, "prog.py", "exec"), {"__name__": "__main__"})
    except SystemExit as e:
        code = e.code
        if code is None:
            status = 0
        elif isinstance(code, int):
            status = code & 0xFF
        else:
            print(code, file=sys.stderr)
            status = 1
    except BaseException:
        traceback.print_exc()
        status = 1
    try:
        sys.stdout.flush()
    except BaseException:
        status = 120
    os._exit(status)

def run(src):
    r, w = os.pipe()
    gc.collect()
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        child(src, w)
    os.close(w)
    chunks = []
    size = 0
    overrun = None
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        size += len(chunk)
        if size > MAX_OUT:
            overrun = "output"
            os.kill(pid, signal.SIGKILL)
            break
        chunks.append(chunk)
    os.close(r)
    _, wait = os.waitpid(pid, 0)
    ms = (time.perf_counter() - start) * 1000
    if os.WIFSIGNALED(wait):
        overrun = overrun or "time"
        status = -os.WTERMSIG(wait)
    else:
        status = os.WEXITSTATUS(wait)
    out = b"".join(chunks).decode("utf-8", "replace")
    return {"stdout": out, "status": status, "ms": ms, "overrun": overrun}

for line in sys.stdin:
    reply = run(json.loads(line)["src"])
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
`;

/**
 * The environment the driver runs in: this process's without the PYTHON* settings a
 * developer's shell may carry (PYTHONUNBUFFERED makes sys.stdout write through, so print keeps
 * nothing pending), with str hashes as runPython's (PYTHONHASHSEED=0). A run here is a run in CI.
 */
const PYTHON_ENV = {
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("PYTHON"))),
  PYTHONHASHSEED: "0",
};

/**
 * A python3 process that runs programs one at a time, each in a fork of itself. Requests are
 * answered in order; {@link CPythonForks.close} ends the process.
 */
export class CPythonForks {
  readonly #process: ChildProcessWithoutNullStreams;
  readonly #lines: Interface;
  readonly #waiting: ((line: string) => void)[] = [];
  #stderr = "";

  /**
   * @param limitSeconds a child running longer is killed (answered with `overrun: "time"`)
   * @param maxOutput a child printing more bytes is killed (`overrun: "output"`)
   */
  constructor(limitSeconds = 5, maxOutput = 1 << 20) {
    this.#process = spawn("python3", ["-c", DRIVER, String(limitSeconds), String(maxOutput)], {
      stdio: ["pipe", "pipe", "pipe"],
      env: PYTHON_ENV,
    });
    this.#process.stderr.setEncoding("utf8");
    this.#process.stderr.on("data", (t: string) => {
      this.#stderr += t;
    });
    this.#lines = createInterface({ input: this.#process.stdout });
    this.#lines.on("line", (line) => this.#waiting.shift()?.(line));
  }

  /** Runs `source` as `python3 prog.py` would in a fresh fork. */
  run(source: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const exited = (code: number | null) =>
        reject(new Error(`python3 driver exited (${code}): ${this.#stderr}`));
      this.#process.once("exit", exited);
      this.#waiting.push((line) => {
        this.#process.off("exit", exited);
        resolve(JSON.parse(line) as Answer);
      });
      this.#process.stdin.write(`${JSON.stringify({ src: source })}\n`);
    });
  }

  /** Ends the python3 process. */
  close(): void {
    this.#lines.close();
    this.#process.stdin.end();
  }
}
