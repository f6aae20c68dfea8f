// Code a module written in Python generates while the program runs (namedtuple's class,
// dataclasses' methods, struct sequences, os's environment mapping): compiled once per text and
// run in a namespace the module gives. Kept apart from `exec()` so that modules the I/O layer
// needs can generate code without importing the builtins that print.

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { compileModule } from "../compile/codegen.js";
import { parse } from "../syntax/parse.js";
import type { Protocols } from "./host.js";

/** The units of the modules' generated source, by text (a program makes many alike). */
const generatedUnits = new Map<string, CodeUnit>();

/**
 * `exec(source, ns)` for code a module written in Python generates (namedtuple's class,
 * dataclasses' methods): compiled once per text, run in `ns`, its code object gone after.
 * @throws what the code raises
 */
export function execGenerated(b: Protocols, source: string, ns: Ref): void {
  const vm = b.vm;
  let unit = generatedUnits.get(source);
  if (!unit) {
    unit = compileModule(parse(source, "<string>"), "<string>");
    generatedUnits.set(source, unit);
  }
  const code = vm.makeTransientCode(unit);
  try {
    vm.py.decref(vm.runCode(vm.codes.get(code)!, ns, ns));
  } finally {
    vm.py.decref(code);
  }
}
