"""Run many mm-traces in CPython 3.11 through mmtrace.py, each in a fresh forked process.

    python3 batch.py TRACE.jsonl...      one JSON line per trace, in the order given
    python3 batch.py DIR                 every *.jsonl file of DIR, sorted by name

Each output line is `{"file": ..., "status": ..., "events": [...], "stderr": ...}`: `status` is
mmtrace.py's exit code for that trace (0 ran, 1 invalid trace, 2 unsupported interpreter,
3 driver failure) and `events` its event log, one string per line, exactly as
`python3 mmtrace.py TRACE` prints it.

Why fork: a trace must start from a fresh interpreter (its classes' key tables, the free lists,
gc's long-lived counts), and starting python3 once per trace costs ~20 ms, most of a small
trace's whole run. The parent imports the driver once and forks one child per trace; the child
is a copy of an interpreter that has run no trace, runs exactly what `python3 mmtrace.py TRACE`
runs, and leaves with os._exit, as the driver itself does.
"""

import gc
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mmtrace  # noqa: E402  (the driver, imported once, before any fork)


def _read_all(fd):
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


def run_in_child(path):
    """What `mmtrace.main` does for one trace, without locating gc's generations again.

    The parent located them once and froze everything it had made, so a child's collections
    walk only what the trace makes: a collection that walked the interpreter's own objects would
    write to every one of them and copy the parent's whole heap, page by page, into each child.
    The trace itself still starts with collect, freeze, collect (mmtrace's `_begin`).
    """
    try:
        tree = mmtrace.read_trace(path)
    except mmtrace.TraceError as error:
        where = f"{path}:{error.line}" if error.line else path
        print(f"mmtrace: {where}: {error.message}", file=sys.stderr)
        return 1
    compiler = mmtrace.Compiler(tree)
    source = compiler.module(path)
    try:
        code = compile(source, path, "exec")
        namespace = {
            "__builtins__": mmtrace.trace_builtins(compiler.finalize_events()),
            "__name__": "__mmtrace__",
        }
        exec(code, namespace)
    except mmtrace.DriverError as error:
        print(f"mmtrace: {path}: driver error: {error}", file=sys.stderr)
        return 3
    events = mmtrace._ev[:mmtrace._ev_end]
    out = sys.stdout.buffer
    out.write("".join(line + "\n" for line in events).encode("utf-8"))
    out.flush()
    return 0


def run_one(path):
    """Fork, run the driver on `path` in the child, and return (status, stdout, stderr)."""
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os.close(out_r)
        os.close(err_r)
        os.dup2(out_w, 1)
        os.dup2(err_w, 2)
        status = 3
        try:
            status = run_in_child(path)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    os.close(out_w)
    os.close(err_w)
    # The child's stderr is at most a line or a traceback; read stdout first, then stderr, which
    # cannot fill its pipe while the child is still writing stdout.
    stdout = _read_all(out_r)
    stderr = _read_all(err_r)
    _, wait_status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(wait_status), stdout, stderr


def main(argv):
    args = argv[1:]
    if len(args) == 1 and os.path.isdir(args[0]):
        directory = args[0]
        args = [os.path.join(directory, f) for f in sorted(os.listdir(directory))
                if f.endswith(".jsonl")]
    if not args:
        print("usage: python3 batch.py TRACE.jsonl... | DIR", file=sys.stderr)
        return 1
    if sys.version_info[:2] != (3, 11) or sys.implementation.name != "cpython":
        print(f"batch: needs CPython 3.11, this is {sys.implementation.name} "
              f"{sys.version.split()[0]}", file=sys.stderr)
        return 2
    mmtrace.locate_generations()
    gc.collect()
    gc.freeze()
    out = sys.stdout
    for path in args:
        status, stdout, stderr = run_one(path)
        text = stdout.decode("utf-8")
        events = [line for line in text.split("\n") if line != ""]
        out.write(json.dumps({"file": path, "status": status, "events": events,
                              "stderr": stderr.decode("utf-8", "replace")},
                             ensure_ascii=False) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
