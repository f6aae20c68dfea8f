// `__import__(name, globals=None, locals=None, fromlist=(), level=0)`: the function the
// `import` statement stands for, as `builtin___import___impl` and `PyImport_ImportModuleLevel`
// check and answer it. `__import__('a.b')` imports `a.b` and returns the top package `a`; with
// a non-empty fromlist it returns `a.b` itself. Relative imports have no package to start from
// here: a program's modules are single files.

import type { Ref } from "@mm/runtime";
import type { Host, Protocols } from "./host.js";
import type { BuiltinFn } from "./types.js";

const PARAMETERS = ["name", "globals", "locals", "fromlist", "level"] as const;

/** The builtin `__import__` over `b`'s import machinery. */
export function importBuiltin(b: Protocols): BuiltinFn {
  const vm: Host = b.vm;
  const py = vm.py;
  return (args, kwargs) => {
    if (args.length > 5)
      vm.raise("TypeError", `__import__() takes at most 5 arguments (${args.length} given)`);
    const given: (Ref | undefined)[] = [...args];
    if (kwargs)
      for (const [k, v] of kwargs) {
        const at = PARAMETERS.indexOf(k as (typeof PARAMETERS)[number]);
        if (at < 0) vm.raise("TypeError", `'${k}' is an invalid keyword argument for __import__()`);
        if (given[at] !== undefined)
          vm.raise(
            "TypeError",
            `argument for __import__() given by name ('${k}') and position (${at + 1})`,
          );
        given[at] = v;
      }
    const [nameArg, globals, , fromlist, levelArg] = given;
    if (nameArg === undefined)
      vm.raise("TypeError", "__import__() missing required argument 'name' (pos 1)");
    let level = 0n;
    if (levelArg !== undefined) {
      const k = vm.kindOf(levelArg);
      if (k !== "int" && k !== "bool")
        vm.raise(
          "TypeError",
          `'${vm.typeOf(levelArg).name}' object cannot be interpreted as an integer`,
        );
      level = BigInt(vm.intOf(levelArg));
    }
    if (vm.kindOf(nameArg) !== "str") vm.raise("TypeError", "module name must be a string");
    if (level < 0n) vm.raise("ValueError", "level must be >= 0");
    const name = py.strValue(nameArg);
    if (level > 0n) {
      // resolve_name: the package comes from the caller's globals.
      const named =
        globals !== undefined &&
        vm.kindOf(globals) === "dict" &&
        (py.dictGet(globals, py.constant("__package__")) ||
          py.dictGet(globals, py.constant("__name__")));
      if (!named) vm.raise("KeyError", "'__name__' not in globals");
      vm.raise("ImportError", "attempted relative import with no known parent package");
    }
    if (name === "") vm.raise("ValueError", "Empty module name");
    return b.importName(name, fromlist ?? 0);
  };
}
