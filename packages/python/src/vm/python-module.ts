// The modules written in Python (weakref, collections, copy, tracemalloc) share how they are
// compiled ahead of time and how their code runs in a module's namespace.

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { compileModule } from "../compile/codegen.js";
import { serializeCode } from "../compile/serialize.js";
import { parse } from "../syntax/parse.js";
import type { Protocols } from "./host.js";
import { ModuleObj } from "./layouts.js";
import type { BuiltinFn } from "./types.js";

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

/** What a module written in Python is made of, besides its code. */
export interface PythonModuleSpec {
  readonly name: string;
  readonly filename: string;
  readonly source: string;
  /** Native functions its code calls, defined in its namespace before the code runs. */
  readonly natives?: Readonly<Record<string, BuiltinFn>>;
  /** Other objects its code reads (borrowed), bound in its namespace first. */
  readonly values?: Readonly<Record<string, Ref>>;
}

/**
 * A module written in Python (a new reference): its natives and values bound in its namespace,
 * then its code (`unit`) run there.
 * @throws what the module's code raises (the module is released first)
 */
export function pythonModule(b: Protocols, spec: PythonModuleSpec, unit: CodeUnit): Ref {
  const py = b.vm.py;
  const m = b.newModule(spec.name);
  const ns = py.getRef(m, ModuleObj.dict);
  for (const [name, fn] of Object.entries(spec.natives ?? {})) {
    const o = b.newBuiltin(name, fn);
    b.setStr(ns, name, o);
    py.decref(o);
  }
  for (const [name, value] of Object.entries(spec.values ?? {})) b.setStr(ns, name, value);
  try {
    runModuleCode(b, ns, spec.filename, spec.source, unit);
  } catch (error) {
    py.decref(m);
    throw error;
  }
  return m;
}
