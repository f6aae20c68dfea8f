// `import math`: CPython 3.11's math module over doubles and ints, with its argument
// conversions (`PyFloat_AsDouble`, `__index__`), its special values (C99 Annex F) and its
// errors: "math domain error" (ValueError) where a real result does not exist, "math range
// error" (OverflowError) where it is too large for a float.

import type { Ref } from "@mm/runtime";
import { BinaryOp } from "../compile/opcodes.js";
import { floatPow, floatToInt } from "../text/float.js";
import * as M from "../text/math.js";
import { correctlyRoundedExp, correctlyRoundedLog } from "../text/pow.js";
import type { Host, Protocols } from "./host.js";
import { ModuleObj } from "./layouts.js";
import { numberIndex } from "./number-index.js";
import type { BuiltinFn } from "./types.js";

type Kw = ReadonlyMap<string, Ref> | null;

/** The functions CPython's libm wrappers take one float for, and whether they may overflow. */
const unary: ReadonlyArray<readonly [string, (x: number) => number, boolean]> = [
  ["acos", M.acos, false],
  ["acosh", Math.acosh, false],
  ["asin", M.asin, false],
  ["asinh", Math.asinh, false],
  ["atan", M.atan, false],
  ["atanh", Math.atanh, false],
  ["cbrt", Math.cbrt, false],
  ["cos", (x) => M.trig("cos", x), false],
  ["cosh", Math.cosh, true],
  ["exp", correctlyRoundedExp, true],
  // 2^x overflows past 1024 (floatPow would word that error as `**` does).
  ["exp2", (x) => (x >= 1024 ? Infinity : floatPow(2, x)), true],
  ["expm1", Math.expm1, true],
  ["fabs", Math.abs, false],
  ["log1p", Math.log1p, false],
  ["sin", (x) => M.trig("sin", x), false],
  ["sinh", Math.sinh, true],
  ["sqrt", Math.sqrt, false],
  ["tan", (x) => M.trig("tan", x), false],
  ["tanh", Math.tanh, false],
];

/** Makes the `math` module (a new reference). */
export function mathModule(b: Protocols): Ref {
  const vm: Host = b.vm;
  const py = vm.py;
  const m = b.newModule("math");
  const dict = py.getRef(m, ModuleObj.dict);
  const define = (name: string, f: BuiltinFn) => {
    const o = b.newBuiltin(name, b.moduleFunction("math", name, f));
    b.setStr(dict, name, o);
    py.decref(o);
  };
  const constant = (name: string, value: number) => {
    const o = py.float(value);
    b.setStr(dict, name, o);
    py.decref(o);
  };
  const domain = (): never => vm.raise("ValueError", "math domain error");
  const range = (): never => vm.raise("OverflowError", "math range error");

  const noKw = (name: string, kw: Kw) => {
    if (kw && kw.size > 0) vm.raise("TypeError", `math.${name}() takes no keyword arguments`);
  };
  /** A METH_O function's count check. */
  const one = (name: string, args: readonly Ref[], kw: Kw): Ref => {
    noKw(name, kw);
    if (args.length !== 1)
      vm.raise("TypeError", `math.${name}() takes exactly one argument (${args.length} given)`);
    return args[0]!;
  };
  /** A fixed-count function's check (`_PyArg_CheckPositional`). */
  const exactly = (name: string, args: readonly Ref[], kw: Kw, n: number) => {
    noKw(name, kw);
    if (args.length !== n)
      vm.raise("TypeError", `${name} expected ${n} arguments, got ${args.length}`);
  };

  /** `PyFloat_AsDouble`: a float's value, an int converted, else `__float__` or `__index__`. */
  const toDouble = (o: Ref): number => {
    const k = vm.kindOf(o);
    if (k === "float") return py.floatValue(o);
    if (k === "int" || k === "bool") return intToDouble(BigInt(vm.intOf(o)));
    const t = vm.typeOf(o);
    const f = b.lookupType(t, "__float__");
    if (f) {
      const r = vm.call(f, [o]);
      try {
        if (vm.kindOf(r) !== "float")
          vm.raise(
            "TypeError",
            `${t.name}.__float__ returned non-float (type ${vm.typeOf(r).name})`,
          );
        return py.floatValue(r);
      } finally {
        py.decref(r);
      }
    }
    if (b.lookupType(t, "__index__")) return intToDouble(toIndex(o));
    return vm.raise("TypeError", `must be real number, not ${t.name}`);
  };
  const intToDouble = (n: bigint): number => {
    const x = Number(n);
    if (!Number.isFinite(x)) vm.raise("OverflowError", "int too large to convert to float");
    return x;
  };
  /** `PyNumber_Index`: an int's value, or what `__index__` returns. */
  const toIndex = (o: Ref): bigint => numberIndex(b, o);
  const float = (x: number) => py.float(x);
  /** A result's errors as `math_1` reads them from the argument and the result. */
  const checked = (x: number, r: number, canOverflow: boolean): number => {
    if (Number.isNaN(r) && !Number.isNaN(x)) domain();
    if (!Number.isFinite(r) && !Number.isNaN(r) && Number.isFinite(x))
      return canOverflow ? range() : domain();
    return r;
  };
  /** `math_2`'s errors: nan from non-nan arguments, inf from finite ones. */
  const checked2 = (x: number, y: number, r: number): number => {
    if (Number.isNaN(r) && !Number.isNaN(x) && !Number.isNaN(y)) domain();
    if (Math.abs(r) === Infinity && Number.isFinite(x) && Number.isFinite(y)) range();
    return r;
  };
  const pair = (a: Ref, c: Ref): Ref => {
    const t = py.tuple([a, c]);
    py.decref(a);
    py.decref(c);
    return t;
  };

  for (const [name, f, canOverflow] of unary)
    define(name, (args, kw) => {
      const x = toDouble(one(name, args, kw));
      return float(checked(x, f(x), canOverflow));
    });

  // erf and erfc through math_1 (they cannot fail); gamma and lgamma through math_1a, whose
  // errors are the errno the function sets: EDOM a domain error, ERANGE a range error unless
  // the result underflowed.
  for (const [name, f] of [
    ["erf", M.erf],
    ["erfc", M.erfc],
  ] as const)
    define(name, (args, kw) => {
      const x = toDouble(one(name, args, kw));
      return float(checked(x, f(x), false));
    });
  for (const [name, f] of [
    ["gamma", M.gamma],
    ["lgamma", M.lgamma],
  ] as const)
    define(name, (args, kw) => {
      const [r, errno] = f(toDouble(one(name, args, kw)));
      if (errno === "EDOM") domain();
      if (errno === "ERANGE" && Math.abs(r) >= 1.5) range();
      return float(r);
    });

  define("degrees", (args, kw) => float(toDouble(one("degrees", args, kw)) * (180 / Math.PI)));
  define("radians", (args, kw) => float(toDouble(one("radians", args, kw)) * (Math.PI / 180)));
  define("isfinite", (args, kw) => py.bool(Number.isFinite(toDouble(one("isfinite", args, kw)))));
  define("isnan", (args, kw) => py.bool(Number.isNaN(toDouble(one("isnan", args, kw)))));
  define("isinf", (args, kw) => {
    const x = toDouble(one("isinf", args, kw));
    return py.bool(x === Infinity || x === -Infinity);
  });

  // log, log2, log10 (`loghelper`): an int too large for a float is read as m·2^e.
  const logOf = (o: Ref, f: (x: number) => number): number => {
    const k = vm.kindOf(o);
    if (k === "int" || k === "bool") {
      const n = BigInt(vm.intOf(o));
      if (n <= 0n) domain();
      const x = Number(n);
      if (Number.isFinite(x)) return f(x);
      const e = n.toString(2).length;
      const mantissa = Number(n >> BigInt(e - 60)) / 2 ** 60;
      return f(mantissa) + f(2) * e;
    }
    const x = toDouble(o);
    if (Number.isFinite(x)) {
      if (x > 0) return f(x);
      return domain();
    }
    if (Number.isNaN(x) || x > 0) return x;
    return domain();
  };
  const ln = (x: number) => correctlyRoundedLog(x, "e");
  define("log", (args, kw) => {
    noKw("log", kw);
    if (args.length < 1 || args.length > 2)
      vm.raise("TypeError", "math.log requires 1 to 2 arguments");
    const num = logOf(args[0]!, ln);
    if (args.length === 1) return float(num);
    const den = logOf(args[1]!, ln);
    if (den === 0) vm.raise("ZeroDivisionError", "float division by zero");
    return float(num / den);
  });
  define("log2", (args, kw) =>
    float(logOf(one("log2", args, kw), (x) => correctlyRoundedLog(x, 2))),
  );
  define("log10", (args, kw) =>
    float(logOf(one("log10", args, kw), (x) => correctlyRoundedLog(x, 10))),
  );

  define("pow", (args, kw) => {
    exactly("pow", args, kw, 2);
    const x = toDouble(args[0]!);
    const y = toDouble(args[1]!);
    if (Number.isFinite(x) && Number.isFinite(y)) {
      if (x === 0 && y < 0) domain();
      if (x < 0 && Math.floor(y) !== y) domain();
      let r: number;
      try {
        r = floatPow(x, y);
      } catch {
        return range();
      }
      return float(r);
    }
    return float(floatPow(x, y));
  });
  define("atan2", (args, kw) => {
    exactly("atan2", args, kw, 2);
    return float(M.atan2(toDouble(args[0]!), toDouble(args[1]!)));
  });
  define("copysign", (args, kw) => {
    exactly("copysign", args, kw, 2);
    const x = Math.abs(toDouble(args[0]!));
    const y = toDouble(args[1]!);
    const negative = y < 0 || Object.is(y, -0) || (Number.isNaN(y) && signBit(y));
    return float(negative ? -x : x);
  });
  define("fmod", (args, kw) => {
    exactly("fmod", args, kw, 2);
    const x = toDouble(args[0]!);
    const y = toDouble(args[1]!);
    if (!Number.isFinite(y) && !Number.isNaN(y) && Number.isFinite(x)) return float(x);
    return float(checked2(x, y, x % y));
  });
  define("remainder", (args, kw) => {
    exactly("remainder", args, kw, 2);
    const x = toDouble(args[0]!);
    const y = toDouble(args[1]!);
    return float(checked2(x, y, M.remainder(x, y)));
  });
  define("nextafter", (args, kw) => {
    exactly("nextafter", args, kw, 2);
    return float(M.nextafter(toDouble(args[0]!), toDouble(args[1]!)));
  });
  define("ulp", (args, kw) => float(M.ulp(toDouble(one("ulp", args, kw)))));
  define("frexp", (args, kw) => {
    const [mantissa, e] = M.frexp(toDouble(one("frexp", args, kw)));
    return pair(float(mantissa), py.int(e));
  });
  define("ldexp", (args, kw) => {
    exactly("ldexp", args, kw, 2);
    const x = toDouble(args[0]!);
    const ik = vm.kindOf(args[1]!);
    if (ik !== "int" && ik !== "bool")
      vm.raise("TypeError", "Expected an int as second argument to ldexp.");
    const r = M.ldexp(x, BigInt(vm.intOf(args[1]!)));
    if (Number.isFinite(x) && !Number.isFinite(r)) range();
    return float(r);
  });
  define("modf", (args, kw) => {
    const x = toDouble(one("modf", args, kw));
    if (Number.isNaN(x)) return pair(float(x), float(x));
    if (!Number.isFinite(x)) return pair(float(x > 0 ? 0 : -0), float(x));
    const whole = Math.trunc(x);
    const fraction = x - whole;
    const negative = x < 0 || Object.is(x, -0);
    return pair(float(negative ? -Math.abs(fraction) : Math.abs(fraction)), float(whole));
  });

  // floor, ceil, trunc: a float's integral value as an int; other objects through their
  // __floor__, __ceil__ or __trunc__ (an int is its own floor: int.__floor__ returns it).
  const rounding = (name: string, special: string, f: (x: number) => number) =>
    define(name, (args, kw) => {
      const o = one(name, args, kw);
      const k = vm.kindOf(o);
      if (k === "float" && !vm.typeOf(o).heap) return py.int(floatToInt(f(py.floatValue(o))));
      if (k === "int" && !vm.typeOf(o).heap) return py.newRef(o);
      if (k === "bool") return py.int(BigInt(vm.intOf(o)));
      const method = b.lookupType(vm.typeOf(o), special);
      if (method) return vm.call(method, [o]);
      if (special === "__trunc__")
        vm.raise("TypeError", `type ${vm.typeOf(o).name} doesn't define __trunc__ method`);
      return py.int(floatToInt(f(toDouble(o))));
    });
  rounding("floor", "__floor__", Math.floor);
  rounding("ceil", "__ceil__", Math.ceil);
  rounding("trunc", "__trunc__", Math.trunc);

  define("factorial", (args, kw) => py.int(M.factorial(toIndex(one("factorial", args, kw)))));
  define("isqrt", (args, kw) => py.int(M.isqrt(toIndex(one("isqrt", args, kw)))));
  define("comb", (args, kw) => {
    exactly("comb", args, kw, 2);
    return py.int(M.comb(toIndex(args[0]!), toIndex(args[1]!)));
  });
  define("perm", (args, kw) => {
    noKw("perm", kw);
    if (args.length < 1)
      vm.raise("TypeError", `perm expected at least 1 argument, got ${args.length}`);
    if (args.length > 2)
      vm.raise("TypeError", `perm expected at most 2 arguments, got ${args.length}`);
    const n = toIndex(args[0]!);
    // perm(n) is factorial(n), with factorial's error for a negative n.
    if (args.length === 1 || args[1] === py.none) return py.int(M.factorial(n));
    return py.int(M.perm(n, toIndex(args[1]!)));
  });
  define("gcd", (args, kw) => {
    noKw("gcd", kw);
    let g = 0n;
    for (const a of args) g = M.gcd(g, toIndex(a));
    return py.int(g);
  });
  define("lcm", (args, kw) => {
    noKw("lcm", kw);
    let l = 1n;
    for (const a of args) {
      const n = toIndex(a);
      l = l === 0n || n === 0n ? 0n : (l / M.gcd(l, n)) * (n < 0n ? -n : n);
    }
    return py.int(l);
  });

  define("fsum", (args, kw) => {
    const seq = one("fsum", args, kw);
    const items = b.collect(seq);
    try {
      return float(M.fsum(items.map(toDouble)));
    } finally {
      for (const i of items) py.decref(i);
    }
  });
  define("hypot", (args, kw) => {
    noKw("hypot", kw);
    return float(M.hypot(args.map(toDouble)));
  });
  define("dist", (args, kw) => {
    exactly("dist", args, kw, 2);
    // Each point as a tuple's items (PySequence_Tuple for anything else).
    const coordinates = (o: Ref): number[] => {
      const k = vm.kindOf(o);
      if (k === "tuple" || k === "list") return py.items(o).map(toDouble);
      const items = b.collect(o);
      try {
        return items.map(toDouble);
      } finally {
        for (const i of items) py.decref(i);
      }
    };
    const ps = coordinates(args[0]!);
    const qs = coordinates(args[1]!);
    if (ps.length !== qs.length)
      vm.raise("ValueError", "both points must have the same number of dimensions");
    return float(M.hypot(ps.map((x, i) => x - qs[i]!)));
  });
  define("prod", (args, kw) => {
    if (args.length !== 1)
      vm.raise(
        "TypeError",
        args.length > 2
          ? `prod() takes at most 2 arguments (${args.length} given)`
          : `prod() takes exactly 1 positional argument (${args.length} given)`,
      );
    let start = py.int(1);
    if (kw)
      for (const [k, v] of kw) {
        if (k !== "start")
          vm.raise("TypeError", `prod() got an unexpected keyword argument '${k}'`);
        py.decref(start);
        start = py.newRef(v);
      }
    let result = start;
    const it = b.iter(args[0]!);
    try {
      for (;;) {
        const item = b.next(it);
        if (!item) break;
        try {
          const next = b.binaryOp(BinaryOp.Multiply, result, item);
          py.decref(result);
          result = next;
        } finally {
          py.decref(item);
        }
      }
    } catch (error) {
      py.decref(result);
      throw error;
    } finally {
      py.decref(it);
    }
    return result;
  });
  define("isclose", (args, kw) => {
    const names = ["a", "b"];
    const given: (Ref | undefined)[] = [args[0], args[1]];
    if (args.length > 2)
      vm.raise(
        "TypeError",
        `isclose() takes exactly 2 positional arguments (${args.length} given)`,
      );
    let relTol = 1e-9;
    let absTol = 0;
    if (kw)
      for (const [k, v] of kw) {
        const at = names.indexOf(k);
        if (at >= 0) {
          if (given[at] !== undefined)
            vm.raise(
              "TypeError",
              `argument for isclose() given by name ('${k}') and position (${at + 1})`,
            );
          given[at] = v;
        } else if (k === "rel_tol") relTol = toDouble(v);
        else if (k === "abs_tol") absTol = toDouble(v);
        else vm.raise("TypeError", `isclose() got an unexpected keyword argument '${k}'`);
      }
    for (let i = 0; i < 2; i++)
      if (given[i] === undefined)
        vm.raise("TypeError", `isclose() missing required argument '${names[i]}' (pos ${i + 1})`);
    const a = toDouble(given[0]!);
    const c = toDouble(given[1]!);
    if (relTol < 0 || absTol < 0) vm.raise("ValueError", "tolerances must be non-negative");
    if (a === c) return py.bool(true);
    if (Math.abs(a) === Infinity || Math.abs(c) === Infinity) return py.bool(false);
    const diff = Math.abs(c - a);
    return py.bool(diff <= Math.abs(relTol * c) || diff <= Math.abs(relTol * a) || diff <= absTol);
  });

  constant("pi", Math.PI);
  constant("e", Math.E);
  constant("tau", 2 * Math.PI);
  constant("inf", Infinity);
  constant("nan", Number.NaN);
  return m;
}

const signView = new DataView(new ArrayBuffer(8));

/** Whether a double's sign bit is set (a nan's too). */
function signBit(x: number): boolean {
  signView.setFloat64(0, x);
  return signView.getUint8(0) >= 0x80;
}
