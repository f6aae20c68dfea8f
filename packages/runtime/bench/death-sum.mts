// Sums a callgrind profile of `bench/death.mts` by compiled function: each instruction's count
// (callgrind's `--dump-instr=yes`) goes to the piece of code that node's code map
// (`--perf-basic-prof`, /tmp/perf-<pid>.map) says holds its address. Prints the functions of
// the death path, per death, and their sum.
//
//   node --import tsx bench/death-sum.mts callgrind.out /tmp/perf-<pid>.map <deaths>
//
// `deaths` is what death.mts prints (`deaths N`): the objects the dropped shapes held. The
// death path is the release walk, the kind table's free function, the object space's and the
// allocators' frees, the free lists' questions, the int's direct path, the dict's and the key
// table's releases: every function whose name the pattern below matches, as compiled code
// (optimised or not) of this repository's sources. The kind table's free function is the
// anonymous function of kind.ts. For `bench/death-wasm.mts` they are its WebAssembly functions
// (named `wasm-function[i]`, once for each tier they ran in) and what they call out to; with
// the runtime's release kernel (`releases: "wasm"`, the default), its functions and its imports
// (release-kernel.ts, the counter's `inPlaceRelease` steps) as well.

import { readFileSync } from "node:fs";

const [profile, map, count = "1"] = process.argv.slice(2);
if (profile === undefined || map === undefined) {
  throw new Error("usage: death-sum.mts <callgrind.out> <perf-<pid>.map> <deaths>");
}
const deaths = Number(count);
const deathPath =
  /field-release\.ts|ref-counter\.ts.*(decref|destroy|deallocate|drain)|JS:[*^~]? file:\S*kind\.ts|object-space\.ts.*(freeAs|freeOwnType|retire)|pool-allocator\.ts.*(\*free |relinkFullPool|insertToFreepool|freeOther)|tracemalloc\.ts.*(forget|\*free )|direct-ints|dict-keys\.ts.*\*?release |dict\.ts.*(free|release|dealloc)|instance\.ts.*(free|dealloc)|int\.ts.*free|list\.ts.*free|tuple\.ts.*free|embedding\.ts.*decref|free-lists\.ts.*(push|HasRoom)|wasm-function|wasm-to-js|release-kernel\.ts|ref-counter\.ts.*(free|byModel|releaseBody|underflow|kernel)|(park|poolEvent|freeJs) file:\S*death-wasm\.mts/;

// The code map: start, size and name of each piece of code, sorted by start.
const code = readFileSync(map, "utf8")
  .split("\n")
  .filter((line) => line.length > 0)
  .map((line) => {
    const [start = "0", size = "0", ...name] = line.split(" ");
    return {
      start: Number.parseInt(start, 16),
      size: Number.parseInt(size, 16),
      name: name.join(" "),
    };
  })
  .sort((a, b) => a.start - b.start);

/** The piece of code that holds `address`, by binary search, or undefined. */
function codeAt(address: number): string | undefined {
  let lo = 0;
  let hi = code.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = code[mid]!;
    if (address < c.start) hi = mid - 1;
    else if (address >= c.start + c.size) lo = mid + 1;
    else return c.name;
  }
  return undefined;
}

/** A position of callgrind's compressed format: absolute, `+n`/`-n` from the last, or `*`. */
function position(token: string, last: number): number {
  if (token === "*") return last;
  const sign = token[0];
  if (sign === "+" || sign === "-") {
    const delta = Number(token.slice(1));
    return sign === "+" ? last + delta : last - delta;
  }
  return Number(token);
}

const costs = new Map<string, number>();
let address = 0;
// The cost line after `calls=` is the call's inclusive cost, not the caller's own.
let inclusive = false;
for (const line of readFileSync(profile, "utf8").split("\n")) {
  const first = line.charCodeAt(0);
  const isCost =
    (first >= 48 && first <= 57) || line[0] === "+" || line[0] === "-" || line[0] === "*";
  if (isCost) {
    const parts = line.split(" ");
    address = position(parts[0]!, address);
    if (inclusive) {
      inclusive = false;
      continue;
    }
    if (parts.length < 3) continue;
    const name = codeAt(address);
    if (name !== undefined) costs.set(name, (costs.get(name) ?? 0) + Number(parts[2]));
  } else if (line.startsWith("calls=")) inclusive = true;
}

let total = 0;
const rows = [...costs].filter(([name]) => deathPath.test(name)).sort((a, b) => b[1] - a[1]);
for (const [name, cost] of rows) {
  if (cost / deaths < 1) continue;
  total += cost / deaths;
  console.log(`${(cost / deaths).toFixed(1).padStart(8)}  ${name}`);
}
console.log(`death path: ${total.toFixed(0)} instructions per death`);
