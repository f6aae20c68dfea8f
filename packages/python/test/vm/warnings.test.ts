// The warnings module against python3: warn with categories and stacklevels, the default
// filters, the once-per-location registry, simplefilter/filterwarnings/resetwarnings,
// catch_warnings(record=True), showwarning/formatwarning and their replacements; and a property
// over random sequences of warnings and filter changes. Warnings are written to sys.stdout
// (sys.stderr is pointed there) so their text is compared too.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";

const FIXED = `import sys, warnings
sys.stderr = sys.stdout
def f(x):
    warnings.warn("careful: %d" % x)
for i in range(3):
    f(i % 2)
warnings.warn("top", DeprecationWarning)
warnings.warn("pending", PendingDeprecationWarning)
def g():
    warnings.warn("level2", RuntimeWarning, stacklevel=2)
g()
g()
print(sorted((k[0], k[1].__name__, k[2]) for k in __warningregistry__ if k != 'version'), __warningregistry__['version'])
print([(a, m, c.__name__, mod, l) for a, m, c, mod, l in warnings.filters])
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    f(1); f(1)
    warnings.warn(UserWarning("inst"))
    warnings.warn(FutureWarning("fut"), stacklevel=1)
    print(len(w), [str(m.message) for m in w], w[0].category.__name__, w[0].lineno, w[0].filename, w[0].line, w[0].file)
    print(str(w[0]))
print(len(warnings.filters))
warnings.simplefilter("error", RuntimeWarning)
try:
    g()
except RuntimeWarning as e:
    print("raised", repr(e))
warnings.resetwarnings()
print(warnings.filters)
warnings.filterwarnings("ignore", message="skip")
warnings.warn("skip this")
warnings.warn("Skip this too")
warnings.warn("keep this")
print(warnings.formatwarning("msg", UserWarning, "file.py", 3, "  code  "), end="")
print(warnings.formatwarning("msg", SyntaxWarning, "file.py", 3, ""), end="")
warnings.showwarning("shown", ResourceWarning, "x.py", 7, sys.stdout, "  a = 1")
warnings.simplefilter("once")
for i in range(3):
    warnings.warn("once only")
warnings.warn("once only", BytesWarning)
warnings.simplefilter("module")
for i in range(2):
    warnings.warn("mod")
    warnings.warn("mod")
def show(message, category, filename, lineno, file=None, line=None):
    print("SHOW", repr(message), category.__name__, lineno, file, line)
warnings.showwarning = show
warnings.warn("custom")
for bad in [lambda: warnings.simplefilter("bogus"), lambda: warnings.warn("x", int),
            lambda: warnings.simplefilter("error", int), lambda: warnings.filterwarnings("error", 3),
            lambda: warnings.simplefilter("error", lineno=-1), lambda: warnings.warn("x", 5)]:
    try: bad()
    except Exception as e: print(type(e).__name__, e)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    warnings.warn("hidden")
print(warnings.catch_warnings(record=True), warnings.catch_warnings())
for c in [UserWarning, DeprecationWarning, PendingDeprecationWarning, SyntaxWarning, RuntimeWarning, FutureWarning,
          ImportWarning, UnicodeWarning, BytesWarning, ResourceWarning, EncodingWarning]:
    print(c.__name__, c.__mro__[1].__name__)`;

const MESSAGES = ["a", "b", "skip me", "Skip"];
const CATEGORIES = [
  "UserWarning",
  "DeprecationWarning",
  "RuntimeWarning",
  "FutureWarning",
  "ImportWarning",
];
const ACTIONS = ["error", "ignore", "always", "default", "module", "once"];

/** One step of a random program: a warning (maybe repeated at its line) or a filter change. */
const step = fc.oneof(
  fc
    .record({
      message: fc.constantFrom(...MESSAGES),
      category: fc.constantFrom(...CATEGORIES),
      times: fc.integer({ min: 1, max: 3 }),
      via: fc.constantFrom("here", "helper"),
    })
    .map(
      ({ message, category, times, via }) =>
        `for _ in range(${times}):\n    ${
          via === "here"
            ? `warnings.warn(${JSON.stringify(message)}, ${category})`
            : `helper(${JSON.stringify(message)}, ${category})`
        }`,
    ),
  fc
    .record({
      action: fc.constantFrom(...ACTIONS),
      category: fc.constantFrom("Warning", ...CATEGORIES),
      append: fc.boolean(),
    })
    .map(
      ({ action, category, append }) =>
        `warnings.simplefilter(${JSON.stringify(action)}, ${category}, append=${append ? "True" : "False"})`,
    ),
  fc
    .record({
      action: fc.constantFrom(...ACTIONS),
      message: fc.constantFrom("", "skip", "a"),
      module: fc.constantFrom("", "__main__", "other"),
    })
    .map(
      ({ action, message, module }) =>
        `warnings.filterwarnings(${JSON.stringify(action)}, ${JSON.stringify(message)}, module=${JSON.stringify(module)})`,
    ),
  fc.constant("warnings.resetwarnings()"),
  fc.constant(
    "print(len(warnings.filters), sorted(k[0] for k in globals().get('__warningregistry__', {}) if k != 'version'))",
  ),
);

describe("warnings against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  /**
   * runPython's stdout and status must be python3's, but for the source lines this package
   * shows under each warning: python3 finds no file prog.py to quote them from.
   */
  const same = async (source: string) => {
    const want = await cpython.run(source);
    const got = runPython(source, { filename: "prog.py" });
    const quoted = /^ {2}(warnings\.warn|helper|g\(\)|f\()/;
    const shown = (out: string) =>
      out
        .split("\n")
        .filter((l) => !quoted.test(l))
        .join("\n");
    expect(shown(got.stdout)).toBe(want.stdout);
    expect(got.status).toBe(want.status);
  };

  it("warns, remembers locations, filters and records as python3 does", async () => {
    await same(FIXED);
  });

  it("shows, suppresses and raises random warnings as python3 does", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        async (steps, recorded) => {
          const body = steps.map(
            (s) => `try:\n${indent(s)}\nexcept Warning as e:\n    print('raised', repr(e))`,
          );
          const lines = [
            "import sys, warnings",
            "sys.stderr = sys.stdout",
            "def helper(message, category):",
            "    warnings.warn(message, category, stacklevel=2)",
            ...(recorded
              ? [
                  "with warnings.catch_warnings(record=True) as log:",
                  ...body.map(indent),
                  "    print([(str(m.message), m.category.__name__, m.lineno) for m in log])",
                  "print(len(warnings.filters))",
                ]
              : body),
          ];
          const source = `${lines.join("\n")}\n`;
          await same(source);
        },
      ),
      { numRuns: fcRuns(40), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}
