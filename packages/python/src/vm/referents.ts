// `gc.get_referents` in the order CPython 3.11's tp_traverse visits an object's fields, where
// that is not the order the collector here walks them (the order their dealloc releases them):
// func_traverse visits the code first and the name before the dict, module_traverse visits
// the dict alone, and type_traverse visits a class's dict, MRO, bases and base, but no str.

import type { Ref } from "@mm/runtime";
import type { Protocols } from "./host.js";
import { Fn, ModuleObj, TypeObj } from "./layouts.js";

/**
 * `refs`, the referents of `o` the collector found (new references, taken), put in CPython's
 * traverse order for a function, a module or a class; the fields CPython does not visit are
 * released and left out. Other objects' lists come back as they are.
 */
export function inTraverseOrder(b: Protocols, o: Ref, refs: Ref[]): Ref[] {
  const vm = b.vm;
  const py = vm.py;
  const kind = vm.kindOf(o);
  let order: readonly number[];
  let hidden: readonly number[] = [];
  if (kind === "function")
    order = [
      Fn.code,
      Fn.globals,
      Fn.builtins,
      Fn.module,
      Fn.defaults,
      Fn.kwdefaults,
      Fn.doc,
      Fn.name,
      Fn.dict,
      Fn.closure,
      Fn.annotations,
      Fn.qualname,
    ];
  else if (kind === "module") {
    order = [ModuleObj.dict];
    hidden = [ModuleObj.name];
  } else if (b.isType(o) && b.typeFromObject(o).heap) {
    order = [TypeObj.dict, TypeObj.mro, TypeObj.bases, TypeObj.base, TypeObj.module];
    hidden = [TypeObj.name, TypeObj.qualname];
  } else return refs;
  const rest = refs.slice();
  const take = (v: Ref): boolean => {
    const i = v ? rest.indexOf(v) : -1;
    if (i < 0) return false;
    rest.splice(i, 1);
    return true;
  };
  const out: Ref[] = [];
  for (const offset of order) {
    const v = py.getRef(o, offset);
    if (take(v)) out.push(v);
  }
  for (const offset of hidden) {
    const v = py.getRef(o, offset);
    if (take(v)) py.decref(v);
  }
  return [...out, ...rest];
}
