// The Python programs of the benchmark suite, shared by the suite (bench/programs.bench.ts) and
// its smoke test. Each program is a workload function of one size `n` that prints what it
// computed; programSource wraps it in the same harness for every engine: the workload is timed
// inside the program with time.perf_counter (so interpreter start-up, parsing and compiling stay
// out of the figure) and, in a traced run, its peak is read from tracemalloc.

/** The sizes a program runs at in each mode. */
export interface ProgramSizes {
  /** For the smoke test: a fraction of a second even on the slowest engine. */
  readonly tiny: number;
  /** `--quick`: each size is one case. */
  readonly quick: readonly number[];
  /** The full suite: each size is one case. */
  readonly full: readonly number[];
}

/** One benchmark program. */
export interface BenchProgram {
  /** The name cases are reported under, e.g. `binary-trees`. */
  readonly name: string;
  /** What `n` means, for case names: `depth` gives `binary-trees depth=14`. */
  readonly sizeName: string;
  /** What the program exercises, one line. */
  readonly about: string;
  /** Python source defining `workload(n)`, which prints its results. */
  readonly body: string;
  readonly sizes: ProgramSizes;
}

/** How each mode picks sizes. */
export type SizeMode = "tiny" | "quick" | "full";

/** One program at one size. */
export interface BenchCase {
  readonly program: BenchProgram;
  readonly n: number;
  /** `program sizeName=n`, e.g. `binary-trees depth=14`. */
  readonly name: string;
}

/** The line the harness prints last; {@link parseRun} splits it off. */
export const BENCH_MARK = "@bench";

// The benchmarks game's binary-trees: a stretch tree one level deeper than the deepest, a
// long-lived tree that stays alive throughout, and for every second depth from 4 up, as many
// short-lived trees as keep the node count per depth constant. Nodes are 2-tuples of children,
// leaves (None, None), so every node is one tuple allocation, as in the common CPython entries.
const binaryTrees = String.raw`
def make_tree(depth):
    if depth == 0:
        return (None, None)
    depth -= 1
    return (make_tree(depth), make_tree(depth))


def check_tree(node):
    left, right = node
    if left is None:
        return 1
    return 1 + check_tree(left) + check_tree(right)


def workload(n):
    min_depth = 4
    max_depth = max(min_depth + 2, n)
    stretch = max_depth + 1
    print(f"stretch tree of depth {stretch}\t check: {check_tree(make_tree(stretch))}")
    long_lived = make_tree(max_depth)
    for depth in range(min_depth, max_depth + 1, 2):
        iterations = 2 ** (max_depth - depth + min_depth)
        check = 0
        for _ in range(iterations):
            check += check_tree(make_tree(depth))
        print(f"{iterations}\t trees of depth {depth}\t check: {check}")
    print(f"long lived tree of depth {max_depth}\t check: {check_tree(long_lived)}")
`;

// Instances that die as soon as they are used: every iteration allocates two objects (with their
// attribute storage) and frees them by reference counting alone.
const instanceChurn = `
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def moved(self, dx, dy):
        return Point(self.x + dx, self.y + dy)


def workload(n):
    total = 0
    for i in range(n):
        p = Point(i, -i).moved(1, 2)
        total += p.x * 3 + p.y
    print(f"{n} points, total {total}")
`;

// Two instances referring to each other, dropped at once: reference counting frees none of them,
// so they pile up until an automatic generation-0 collection (every 700 net allocations of
// container objects) finds them. No explicit gc call: the thresholds decide the peak.
const cycleChurn = `
class Pair:
    def __init__(self, index):
        self.index = index
        self.partner = None


def workload(n):
    made = 0
    for i in range(n):
        a = Pair(i)
        b = Pair(i + 1)
        a.partner = b
        b.partner = a
        made += a.partner.index - b.partner.index
    print(f"{n} two-object cycles, sum {made}")
`;

// A list grown by appends (over-allocating resizes) and shrunk by pops (resizes down once less
// than half is used) and by deleting a slice from the front, four times over; then a list built
// by a comprehension and emptied from the end.
const listGrowShrink = `
def workload(n):
    items = []
    peak = 0
    checksum = 0
    for rnd in range(4):
        for i in range(n):
            items.append(i ^ rnd)
        peak = max(peak, len(items))
        while len(items) > n // 4:
            checksum += items.pop()
        del items[: n // 8]
        checksum += sum(items)
    evens = [x for x in range(n) if x % 2 == 0]
    while evens:
        checksum -= evens.pop()
    print(f"lists: peak {peak}, left {len(items)}, checksum {checksum}")
`;

// Dicts grown key by key (each resize doubles the table) and shrunk by deleting half of the
// keys (which leaves dummies behind: a dict's table only shrinks when it is rebuilt), with int
// keys and with str keys built at run time (their hashes computed on first use), then cleared.
const dictGrowShrink = `
def workload(n):
    checksum = 0
    table = {}
    for rnd in range(3):
        for i in range(n):
            table[i * 7 + rnd] = i
        checksum += len(table)
        for i in range(0, n, 2):
            del table[i * 7 + rnd]
        checksum += len(table)
        names = {}
        quarter = n // 4
        for i in range(quarter):
            names["k" + str(i)] = i
        for i in range(quarter):
            if i % 3:
                del names["k" + str(i)]
        for i in range(0, quarter, 3):
            checksum += names["k" + str(i)]
        checksum += len(names) + table.get(7 + rnd, -1) + table.get(rnd, -1)
    table.clear()
    print(f"dicts: checksum {checksum}, left {len(table)}")
`;

// Strings built three ways: += one character at a time (CPython resizes the string in place
// while nothing else refers to it), join of formatted parts, and a split and a join of the
// pieces upper-cased.
const stringBuilding = `
def workload(n):
    s = ""
    for i in range(n):
        s += str(i % 10)
    parts = []
    for i in range(n):
        parts.append(f"{i}:{i * i % 97};")
    joined = "".join(parts)
    words = joined.split(";")
    upper = "-".join(w.upper() for w in words[:1000])
    print(f"strings: {len(s)} {s[-12:]} {len(joined)} {len(words)} {len(upper)} {joined[-16:]}")
`;

// Calls and nothing else: the naive Fibonacci, a call tree of 2 * fib(n + 1) - 1 calls at most
// n frames deep, each frame made and freed at once. Deep recursion is left out on purpose: a few
// hundred frames down, a call costs CPython 3.11 tens of times what it costs near the top (its
// data stack maps and unmaps chunks as the depth swings across a chunk boundary, among other
// things), which would make the baseline odd rather than representative.
const recursion = `
def fib(k):
    if k < 2:
        return k
    return fib(k - 1) + fib(k - 2)


def workload(n):
    print(f"fib({n}) = {fib(n)}")
`;

/** The suite's programs, in the order the table lists them. */
export const programs: readonly BenchProgram[] = [
  {
    name: "binary-trees",
    sizeName: "depth",
    about: "the benchmarks game's binary-trees: tuples as tree nodes",
    body: binaryTrees,
    sizes: { tiny: 6, quick: [12], full: [14, 16] },
  },
  {
    name: "instance-churn",
    sizeName: "n",
    about: "short-lived instances freed by reference counting",
    body: instanceChurn,
    sizes: { tiny: 300, quick: [30_000], full: [100_000] },
  },
  {
    name: "cycle-churn",
    sizeName: "n",
    about: "two-object cycles left to the automatic collections",
    body: cycleChurn,
    sizes: { tiny: 2_000, quick: [30_000], full: [100_000] },
  },
  {
    name: "list-grow-shrink",
    sizeName: "n",
    about: "appends, pops and a slice deletion",
    body: listGrowShrink,
    sizes: { tiny: 400, quick: [30_000], full: [100_000] },
  },
  {
    name: "dict-grow-shrink",
    sizeName: "n",
    about: "inserts and deletions of int and str keys",
    body: dictGrowShrink,
    sizes: { tiny: 400, quick: [20_000], full: [60_000] },
  },
  {
    name: "string-building",
    sizeName: "n",
    about: "+= one character at a time, join, split",
    body: stringBuilding,
    sizes: { tiny: 300, quick: [6_000], full: [20_000] },
  },
  {
    name: "recursion",
    sizeName: "n",
    about: "the naive recursive fib(n)",
    body: recursion,
    sizes: { tiny: 10, quick: [20], full: [24] },
  },
];

/** Every program at every size of `mode`, in table order. */
export function casesFor(mode: SizeMode): BenchCase[] {
  return programs.flatMap((program) => {
    const sizes = mode === "tiny" ? [program.sizes.tiny] : program.sizes[mode];
    return sizes.map((n) => ({ program, n, name: `${program.name} ${program.sizeName}=${n}` }));
  });
}

/**
 * The whole program of one case: `workload(n)` between two perf_counter readings and, when
 * `trace` is set, between tracemalloc.start() and a reading of its peak. Its last line is
 * `@bench <milliseconds> <peak bytes>` (the peak is 0 in an untraced run).
 *
 * The workload starts right after a `gc.collect()`, so every engine starts it with its
 * generations' counts at zero. Without it the counts would carry what each interpreter's own
 * start-up allocated (python3's `site`, `encodings` and the pure-Python `tracemalloc` module make
 * about a thousand more tracked objects than mm's start-up), and the automatic collections of a
 * program that leaves cycles to them would fall at other iterations: its traced peak would
 * measure the start-ups, not the program.
 */
export function programSource(program: BenchProgram, n: number, trace: boolean): string {
  return `import gc
import time
import tracemalloc

N = ${n}
TRACE = ${trace ? "True" : "False"}
${program.body}

gc.collect()
if TRACE:
    tracemalloc.start()
start = time.perf_counter()
workload(N)
elapsed = time.perf_counter() - start
peak = tracemalloc.get_traced_memory()[1] if TRACE else 0
if TRACE:
    tracemalloc.stop()
print("${BENCH_MARK}", elapsed * 1000, peak)
`;
}

/** What one run printed: the program's own output and the harness's figures. */
export interface ParsedRun {
  /** Everything before the harness's line: what the engines must agree on. */
  readonly output: string;
  /** The workload's wall time, in milliseconds. */
  readonly ms: number;
  /** tracemalloc's peak around the workload, in bytes (0 in an untraced run). */
  readonly peak: number;
}

/**
 * Splits a run's stdout into the program's output and the harness's figures; undefined when the
 * harness's line is missing or malformed (the program died first).
 */
export function parseRun(stdout: string): ParsedRun | undefined {
  const at = stdout.lastIndexOf(`${BENCH_MARK} `);
  if (at < 0 || (at > 0 && stdout[at - 1] !== "\n")) return undefined;
  const fields = stdout
    .slice(at + BENCH_MARK.length + 1)
    .trim()
    .split(" ");
  if (fields.length !== 2) return undefined;
  const ms = Number(fields[0]);
  const peak = Number(fields[1]);
  if (!Number.isFinite(ms) || !Number.isInteger(peak)) return undefined;
  return { output: stdout.slice(0, at), ms, peak };
}

/**
 * Why `output` is not `expected` (python3's), as one short line naming the first line that
 * differs, or undefined when they are the same.
 */
export function outputDifference(output: string, expected: string): string | undefined {
  if (output === expected) return undefined;
  const got = output.split("\n");
  const want = expected.split("\n");
  let line = 0;
  while (line < got.length && line < want.length && got[line] === want[line]) line++;
  const show = (s: string | undefined) =>
    s === undefined ? "nothing" : JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
  return `output differs from python3 at line ${line + 1}: ${show(got[line])}, python3 ${show(want[line])}`;
}

/** The last non-empty line of a traceback (the exception), or the whole text if it has none. */
export function lastLine(text: string): string {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  return lines.at(-1)?.trim() ?? "no output";
}
