// `PyNumber_Index`, which every built-in taking an integer argument goes through.

import type { Ref } from "@mm/runtime";
import type { Host, Protocols } from "./host.js";

/**
 * `PyNumber_Index(o)`: an int's (or a bool's) value, or what the object's `__index__` returns.
 * @param what how the TypeError names what was wanted ("an integer" by default)
 * @throws TypeError `'X' object cannot be interpreted as …`, or `__index__ returned non-int`
 */
export function numberIndex(b: Protocols, o: Ref, what = "an integer"): bigint {
  const vm: Host = b.vm;
  const k = vm.kindOf(o);
  if (k === "int" || k === "bool") return BigInt(vm.intOf(o));
  const t = vm.typeOf(o);
  const index = b.lookupType(t, "__index__");
  if (!index) vm.raise("TypeError", `'${t.name}' object cannot be interpreted as ${what}`);
  const r = vm.call(index, [o]);
  try {
    const rk = vm.kindOf(r);
    if (rk !== "int" && rk !== "bool")
      vm.raise("TypeError", `__index__ returned non-int (type ${vm.typeOf(r).name})`);
    return BigInt(vm.intOf(r));
  } finally {
    vm.py.decref(r);
  }
}
