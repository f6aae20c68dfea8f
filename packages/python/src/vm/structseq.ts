// The struct sequences of `sys` a program reads for facts about the interpreter:
// `sys.version_info`, `sys.float_info`, `sys.int_info` and `sys.hash_info`, each a tuple
// subclass named `sys.<name>` whose fields are also attributes, with CPython's repr
// (`sys.version_info(major=3, minor=11, …)`), its refusal to make new instances and its size (a
// tuple's: `sys.getsizeof(sys.version_info)` is 80). They are made the first time a program
// reads one, so a program that does not allocates nothing for them, as in CPython, where they
// exist before its first line.

import type { Ref } from "@mm/runtime";
import { execGenerated } from "./generated.js";
import type { Protocols } from "./host.js";
import { ModuleObj } from "./layouts.js";

/** The fields of each struct sequence, and python3 3.11.7's values on x86-64 Linux (as Python literals). */
const SEQUENCES: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  version_info: [
    ["major", "3"],
    ["minor", "11"],
    ["micro", "7"],
    ["releaselevel", "'final'"],
    ["serial", "0"],
  ],
  float_info: [
    ["max", "1.7976931348623157e+308"],
    ["max_exp", "1024"],
    ["max_10_exp", "308"],
    ["min", "2.2250738585072014e-308"],
    ["min_exp", "-1021"],
    ["min_10_exp", "-307"],
    ["dig", "15"],
    ["mant_dig", "53"],
    ["epsilon", "2.220446049250313e-16"],
    ["radix", "2"],
    ["rounds", "1"],
  ],
  int_info: [
    ["bits_per_digit", "30"],
    ["sizeof_digit", "4"],
    ["default_max_str_digits", "4300"],
    ["str_digits_check_threshold", "640"],
  ],
  // The flags of `python3 prog.py` run without options or PYTHON* settings.
  flags: [
    ["debug", "0"],
    ["inspect", "0"],
    ["interactive", "0"],
    ["optimize", "0"],
    ["dont_write_bytecode", "0"],
    ["no_user_site", "0"],
    ["no_site", "0"],
    ["ignore_environment", "0"],
    ["verbose", "0"],
    ["bytes_warning", "0"],
    ["quiet", "0"],
    ["hash_randomization", "1"],
    ["isolated", "0"],
    ["dev_mode", "False"],
    ["utf8_mode", "0"],
    ["warn_default_encoding", "0"],
    ["safe_path", "False"],
    ["int_max_str_digits", "-1"],
  ],
  hash_info: [
    ["width", "64"],
    ["modulus", "2305843009213693951"],
    ["inf", "314159"],
    ["nan", "0"],
    ["imag", "1000003"],
    ["algorithm", "'siphash13'"],
    ["hash_bits", "64"],
    ["seed_bits", "128"],
    ["cutoff", "0"],
  ],
};

/** The Python source that makes struct sequence `name` and binds its one instance as `value`. */
function source(name: string): string {
  const fields = SEQUENCES[name]!;
  const lines = [
    `class ${name}(tuple):`,
    "    __slots__ = ()",
    `    n_fields = n_sequence_fields = ${fields.length}`,
    "    n_unnamed_fields = 0",
    // version_info and flags refuse new instances (no tp_new); the others are made from a
    // sequence of the right length, as structseq_new makes them.
    ...(name === "version_info" || name === "flags"
      ? [
          "    def __new__(cls, *args, **kwargs):",
          `        raise TypeError("cannot create 'sys.${name}' instances")`,
        ]
      : [
          "    def __new__(cls, *args, **kwargs):",
          "        if not args:",
          `            raise TypeError("structseq() missing required argument 'sequence' (pos 1)")`,
          "        try:",
          "            items = tuple(args[0])",
          "        except TypeError:",
          `            raise TypeError("constructor requires a sequence") from None`,
          `        if len(items) != ${fields.length}:`,
          `            raise TypeError(f"sys.${name}() takes a ${fields.length}-sequence ({len(items)}-sequence given)")`,
          "        return tuple.__new__(cls, items)",
        ]),
    "    def __repr__(self):",
    `        return "sys.${name}(" + ", ".join([${fields
      .map(([f], i) => `"${f}=" + repr(self[${i}])`)
      .join(", ")}]) + ")"`,
    ...fields.map(([f], i) => `    ${f} = property(lambda self: self[${i}])`),
    `value = tuple.__new__(${name}, (${fields.map(([, v]) => v).join(", ")},))`,
  ];
  return `${lines.join("\n")}\n`;
}

/**
 * `sys.<name>` for a struct sequence, made at its first read (a new reference), or 0 for any
 * other name. The instance is left untracked, as CPython's are.
 */
/** The names of sys's struct sequences (`version_info`, `float_info` …). */
export const STRUCT_SEQUENCE_NAMES: readonly string[] = Object.keys(SEQUENCES);

export function sysStructSeq(b: Protocols, sys: Ref, name: string): Ref {
  if (!Object.hasOwn(SEQUENCES, name)) return 0;
  const py = b.vm.py;
  const ns = py.dict();
  try {
    b.setStr(ns, "__builtins__", b.dict);
    // The class statement takes its `__module__` from here.
    const module = py.str("sys");
    b.setStr(ns, "__name__", module);
    py.decref(module);
    execGenerated(b, source(name), ns);
    const value = py.dictGet(ns, py.constant("value"));
    py.untrack(value);
    b.setStr(py.getRef(sys, ModuleObj.dict), name, value);
    return py.newRef(value);
  } finally {
    py.decref(ns);
  }
}
