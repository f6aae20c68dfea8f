// A class statement registers the class with each of its bases as type_new's add_subclass
// does: the base's `tp_subclasses` maps an int of the class's address to a weak reference to
// the class (a dict a class gets with its first subclass, dropped with its last). Random
// class hierarchies are built in a function by python3 and by runPython, which must agree on
// the tracked objects the class statements make, the weak references and subclasses each
// class has, and what a collection finds once they are dropped.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";

const dir = mkdtempSync(join(tmpdir(), "class-subclasses-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PYTHON"))),
  PYTHONHASHSEED: "0",
};

function python3(source: string): { stdout: string; status: number | null } {
  const file = join(dir, "prog.py");
  writeFileSync(file, source);
  const run = spawnSync("python3", [file], { encoding: "utf8", env });
  return { stdout: run.stdout, status: run.status };
}

/** A class of the hierarchy: its bases (earlier classes, by index), slots, a docstring. */
interface ClassSpec {
  readonly bases: readonly number[];
  readonly slots: boolean;
  readonly doc: boolean;
}

const hierarchy = fc
  .array(
    fc.record({
      bases: fc.uniqueArray(fc.nat(7), { maxLength: 2 }),
      slots: fc.boolean(),
      doc: fc.boolean(),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((specs): ClassSpec[] => specs.map((s, i) => ({ ...s, bases: s.bases.filter((b) => b < i) })))
  // Hierarchies whose every class has a C3 linearization: a failed class statement is another
  // subject (its allocations are a known difference).
  .filter((specs) => linearizable(specs));

/** Whether every class of `specs` has a C3 MRO (the merge never gets stuck). */
function linearizable(specs: readonly ClassSpec[]): boolean {
  const mros: number[][] = [];
  for (let i = 0; i < specs.length; i++) {
    const seqs = [...specs[i]!.bases.map((b) => [...mros[b]!]), [...specs[i]!.bases]];
    const mro = [i];
    for (;;) {
      const live = seqs.filter((q) => q.length > 0);
      if (live.length === 0) break;
      const head = live.map((q) => q[0]!).find((h) => !live.some((q) => q.indexOf(h) > 0));
      if (head === undefined) return false;
      mro.push(head);
      for (const q of live) if (q[0] === head) q.shift();
    }
    mros.push(mro);
  }
  return true;
}

function program(specs: readonly ClassSpec[]): string {
  // Three collections first: python3's start-up leaves nested constant tuples (of site-packages'
  // .pth hooks) that each collection untracks one level of, which would otherwise come off the
  // counts below.
  const lines = [
    "import gc",
    "import weakref",
    "for _ in range(3): gc.collect()",
    "gc.disable()",
    "def build():",
  ];
  specs.forEach((s, i) => {
    const bases = s.bases.map((b) => `C${b}`).join(", ");
    lines.push(
      "    try:",
      `        class C${i}(${bases}):`,
      ...(s.doc ? ['            "A class."'] : []),
      ...(s.slots ? ["            __slots__ = ()"] : []),
      "            pass",
      "    except TypeError as e:",
      `        print("C${i}:", type(e).__name__)`,
      `        C${i} = None`,
    );
  });
  lines.push(
    `    return [${specs.map((_, i) => `C${i}`).join(", ")}]`,
    "before = len(gc.get_objects())",
    "classes = build()",
    "print('tracked objects made:', len(gc.get_objects()) - before)",
    "made = [c for c in classes if c is not None]",
    "print('weak references:', [weakref.getweakrefcount(c) for c in made])",
    "print('subclasses:', [[s.__name__ for s in c.__subclasses__()] for c in made])",
    "print('object subclasses:', sum(1 for s in object.__subclasses__() if s in made))",
    "del classes, made",
    "print('collected:', gc.collect())",
    "print('tracked objects left:', len(gc.get_objects()) - before)",
    "gc.enable()",
  );
  return `${lines.join("\n")}\n`;
}

describe("tp_subclasses", () => {
  it("holds each class as python3's does, and lets it go with it", () => {
    fc.assert(
      fc.property(hierarchy, (specs) => {
        const source = program(specs);
        const want = python3(source);
        const got = runPython(source, { filename: "prog.py" });
        expect(got.stdout).toBe(want.stdout);
        expect(got.status).toBe(want.status);
      }),
      { numRuns: 25, endOnFailure: true },
    );
  });
});
