// The modules written in Python (weakref, collections, copy, tracemalloc) share how they are
// compiled ahead of time and how their code runs in a module's namespace.

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { compileModule } from "../compile/codegen.js";
import { serializeCode } from "../compile/serialize.js";
import { parse } from "../syntax/parse.js";
import type { Protocols } from "./host.js";

/** A module's source compiled and serialized, as scripts/precompile.ts stores it. */
export function precompileSource(source: string, filename: string): string {
  return serializeCode(compileModule(parse(source, filename), filename));
}

/**
 * Runs a module's code in its namespace `ns`: the source registered for tracebacks, the unit
 * made into a code object the interpreter keeps, the builtins bound.
 * @throws what the module's code raises (the caller releases the module)
 */
export function runModuleCode(
  b: Protocols,
  ns: Ref,
  filename: string,
  source: string,
  unit: CodeUnit,
): void {
  const vm = b.vm;
  vm.sources.set(filename, source.split("\n"));
  const code = vm.keep(vm.makeCode(unit));
  b.setStr(ns, "__builtins__", b.module);
  vm.py.decref(vm.runCode(vm.codes.get(code)!, ns, ns));
}
