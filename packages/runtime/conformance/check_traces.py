"""Re-check the conformance corpus: every trace is valid, runs, and logs well-formed events.

    python3 check_traces.py            all of traces/*.jsonl
    python3 check_traces.py FILE...    only these

Each trace runs twice under different hash seeds; the two logs must be identical (a log that
depends on the seed could not be reproduced). A few invalid traces must be refused with exit 1
and a message naming their line. Exits 1 on the first problem, loudly.
"""

import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
DRIVER = HERE / "mmtrace.py"

EVENT_KEYS = {
    "finalize": [["event", "name"]],
    "weakref-callback": [["event", "name"]],
    "collect": [["event", "generation", "result"]],
    "gc": [["event", "call", "value"], ["event", "call", "var", "value"]],
    "refcount": [["event", "var", "value"]],
    "sizeof": [["event", "var", "value"]],
    "error": [["event", "line", "type", "message"]],
}

INVALID = {
    "not JSON": ('{"mm-trace": 1}\n{"op": "new",\n', 2),
    "unknown op": ('{"mm-trace": 1}\n\n{"op": "frob"}\n', 3),
    "missing field": ('{"mm-trace": 1}\n{"op": "del"}\n', 2),
    "ill-typed field": ('{"mm-trace": 1}\n{"op": "repeat", "times": "3", "ops": []}\n', 2),
    "bad header": ('{"mm-trace": 2}\n', 1),
    "unknown field": ('{"mm-trace": 1}\n{"op": "del", "var": "a", "typo": 1}\n', 2),
    "bad name": ('{"mm-trace": 1}\n{"op": "del", "var": "_driver"}\n', 2),
    "bad value": ('{"mm-trace": 1}\n{"op": "assign", "var": "a", "value": {"int": 1.5}}\n', 2),
    "stray return": ('{"mm-trace": 1}\n{"op": "return"}\n', 2),
    "open call": ('{"mm-trace": 1}\n{"op": "call"}\n{"op": "del", "var": "a"}\n', 2),
    "bad inner op": ('{"mm-trace": 1}\n{"op": "repeat", "times": 1, "ops": [{"op": "x"}]}\n', 2),
}


def fail(message):
    print(f"check_traces: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def run(path, seed):
    env = dict(os.environ, PYTHONHASHSEED=str(seed))
    return subprocess.run([sys.executable, str(DRIVER), str(path)], capture_output=True,
                          text=True, encoding="utf-8", env=env, check=False)


def check_event(path, number, line):
    try:
        pairs = json.loads(line, object_pairs_hook=lambda p: p)
    except ValueError as error:
        fail(f"{path.name}: event {number} is not JSON ({error}): {line}")
    keys = [key for key, _ in pairs] if isinstance(pairs, list) else None
    kind = dict(pairs).get("event") if keys else None
    if kind not in EVENT_KEYS or keys not in EVENT_KEYS[kind]:
        fail(f"{path.name}: event {number} has an unknown shape: {line}")
    compact = json.dumps(dict(pairs), separators=(",", ":"), ensure_ascii=False)
    if compact != line:
        fail(f"{path.name}: event {number} is not compact JSON: {line}")


def check_trace(path):
    with open(path, encoding="utf-8") as stream:
        header = json.loads(stream.readline())
    if not isinstance(header.get("description"), str) or not header["description"].strip():
        fail(f"{path.name}: the header has no description")
    first = run(path, 1)
    if first.returncode != 0 or first.stderr:
        fail(f"{path.name}: exit {first.returncode}\n{first.stderr}")
    lines = first.stdout.splitlines()
    for number, line in enumerate(lines, 1):
        check_event(path, number, line)
    second = run(path, 2)
    if second.returncode != 0 or second.stdout != first.stdout:
        fail(f"{path.name}: a second run under another hash seed logged something else")
    return len(lines)


def check_invalid():
    with tempfile.TemporaryDirectory() as folder:
        for label, (text, line) in INVALID.items():
            path = pathlib.Path(folder, "invalid.jsonl")
            path.write_text(text, encoding="utf-8")
            result = run(path, 0)
            expected = f"{path}:{line}:"
            if result.returncode != 1 or result.stdout or expected not in result.stderr \
                    or len(result.stderr.splitlines()) != 1:
                fail(f"invalid trace ({label}) gave exit {result.returncode}, "
                     f"stdout {result.stdout!r}, stderr {result.stderr!r}")


def main(argv):
    paths = [pathlib.Path(p) for p in argv[1:]] or sorted((HERE / "traces").glob("*.jsonl"))
    if not paths:
        fail("no traces found")
    started = time.monotonic()
    total = 0
    for path in paths:
        count = check_trace(path)
        total += count
        print(f"ok  {path.name:45s} {count:6d} events")
    check_invalid()
    elapsed = time.monotonic() - started
    print(f"{len(paths)} traces, {total} events, {len(INVALID)} invalid traces refused, "
          f"{elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
