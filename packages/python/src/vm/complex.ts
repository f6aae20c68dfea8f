// `complex`: CPython 3.11's PyComplexObject, two doubles after the object header (32 bytes, not
// a container, so never tracked), with complexobject.c's constructor, arithmetic, comparison,
// hash and repr. The arithmetic itself is in complex-math.ts, which constant folding shares.

import type { NativeType, Ref } from "@mm/runtime";
import { BinaryOp } from "../compile/opcodes.js";
import {
  type Complex,
  complexAbs,
  complexDiff,
  complexHash,
  complexNeg,
  complexPow,
  complexProd,
  complexQuot,
  complexRepr,
  complexSum,
  parseComplex,
} from "./complex-math.js";
import type { Host, Protocols } from "./host.js";
import { hashPointer } from "./identity-hash.js";
import type { PyType } from "./types.js";

/**
 * ```
 *   op + 0   | ob_refcnt | ob_type |  16
 *   op + 16  | real (f64)          |   8
 *   op + 24  | imag (f64)          |   8
 *   sys.getsizeof = 32 (not a container: no GC head)
 * ```
 */
export const ComplexLayout = { real: 16, imag: 24, basicSize: 32 } as const;

/** The complex type of one interpreter: making, reading and operating on complex numbers. */
export class ComplexType {
  readonly type: NativeType;
  readonly #vm: Host;

  constructor(vm: Host) {
    this.#vm = vm;
    this.type = vm.py.defineType({ name: "complex", basicSize: ComplexLayout.basicSize });
  }

  /** A new complex number (a new reference). */
  make(z: Complex): Ref {
    const py = this.#vm.py;
    const o = py.allocate(this.type);
    py.memory.f64[(o + ComplexLayout.real) >>> 3] = z.real;
    py.memory.f64[(o + ComplexLayout.imag) >>> 3] = z.imag;
    return o;
  }

  /** The value of a complex number. */
  value(o: Ref): Complex {
    const f64 = this.#vm.py.memory.f64;
    return {
      real: f64[(o + ComplexLayout.real) >>> 3]!,
      imag: f64[(o + ComplexLayout.imag) >>> 3]!,
    };
  }

  /**
   * `to_complex`: an int, bool, float or complex operand as a complex value; undefined for any
   * other (the operator returns NotImplemented).
   */
  operand(o: Ref): Complex | undefined {
    const vm: Host = this.#vm;
    switch (vm.kindOf(o)) {
      case "complex":
        return this.value(o);
      case "float":
        return { real: vm.py.floatValue(o), imag: 0 };
      case "int":
      case "bool":
        return { real: intToDouble(vm, o), imag: 0 };
      default:
        return undefined;
    }
  }

  /**
   * `l op r` when an operand is complex (a new reference), or 0 for NotImplemented: `+`, `-`,
   * `*`, `/` and `**` with ints, floats and complex numbers; the others are not defined.
   */
  binary(op: BinaryOp, l: Ref, r: Ref): Ref {
    const vm: Host = this.#vm;
    if (
      op !== BinaryOp.Add &&
      op !== BinaryOp.Subtract &&
      op !== BinaryOp.Multiply &&
      op !== BinaryOp.TrueDivide &&
      op !== BinaryOp.Power
    )
      return 0;
    const a = this.operand(l);
    const b = this.operand(r);
    if (a === undefined || b === undefined) return 0;
    switch (op) {
      case BinaryOp.Add:
        return this.make(complexSum(a, b));
      case BinaryOp.Subtract:
        return this.make(complexDiff(a, b));
      case BinaryOp.Multiply:
        return this.make(complexProd(a, b));
      case BinaryOp.TrueDivide: {
        const q = complexQuot(a, b);
        if (q === "EDOM") vm.raise("ZeroDivisionError", "complex division by zero");
        return this.make(q);
      }
      default:
        return this.make(this.power(a, b));
    }
  }

  /** `complex_pow` without a modulus, raising CPython's errors. */
  power(a: Complex, b: Complex): Complex {
    const p = complexPow(a, b);
    if (p === "EDOM") this.#vm.raise("ZeroDivisionError", "0.0 to a negative or complex power");
    if (p === "ERANGE") this.#vm.raise("OverflowError", "complex exponentiation");
    return p;
  }

  /** `-z`, `+z` (a new complex, as complex_pos makes for an exact one too). */
  unary(o: Ref, negative: boolean): Ref {
    const z = this.value(o);
    return this.make(negative ? complexNeg(z) : z);
  }

  /** `abs(z)`, raising CPython's OverflowError when it overflows. */
  abs(o: Ref): number {
    const r = complexAbs(this.value(o));
    if (r === "ERANGE") this.#vm.raise("OverflowError", "absolute value too large");
    return r;
  }

  /**
   * `complex_richcompare` for `==` (`!=` is its negation): with an int, the real part compared
   * as a float compares with the int (exactly) when the imaginary part is zero; undefined when
   * `other` is no number (NotImplemented).
   */
  equals(z: Ref, other: Ref, compareFloatInt: (x: number, i: Ref) => boolean): boolean | undefined {
    const vm: Host = this.#vm;
    const a = this.value(z);
    switch (vm.kindOf(other)) {
      case "int":
      case "bool":
        return a.imag === 0 && compareFloatInt(a.real, other);
      case "float":
        return a.real === vm.py.floatValue(other) && a.imag === 0;
      case "complex": {
        const b = this.value(other);
        return a.real === b.real && a.imag === b.imag;
      }
      default:
        return undefined;
    }
  }

  /** `hash(z)`: CPython's complex hash; a NaN part hashes by the object's identity. */
  hash(o: Ref): bigint {
    return complexHash(this.value(o), hashPointer(o));
  }

  /** `repr(z)` and `str(z)`. */
  repr(o: Ref): string {
    return complexRepr(this.value(o));
  }
}

/** An int's value as a double (`PyLong_AsDouble`), with its OverflowError. */
function intToDouble(vm: Host, o: Ref): number {
  const v = vm.kindOf(o) === "bool" ? (o === vm.trueRef ? 1 : 0) : vm.py.intValue(o);
  if (typeof v === "number") return v;
  const f = Number(v);
  if (!Number.isFinite(f)) vm.raise("OverflowError", "int too large to convert to float");
  // Number(bigint) rounds to nearest, ties to even, as PyLong_AsDouble does.
  return f;
}

/**
 * A `complex()` argument as a complex value (`try_complex_special_method`, then the real number
 * protocol): a complex number, an int or float, or an object with `__complex__`, `__float__`
 * or `__index__`; undefined for anything else.
 */
function argument(
  b: Protocols,
  ct: ComplexType,
  o: Ref,
): { z: Complex; isComplex: boolean } | undefined {
  const vm: Host = b.vm;
  const py = vm.py;
  const k = vm.kindOf(o);
  if (k === "complex") return { z: ct.value(o), isComplex: true };
  if (k === "int" || k === "bool" || k === "float") return { z: ct.operand(o)!, isComplex: false };
  if (k !== "instance") return undefined;
  for (const name of ["__complex__", "__float__", "__index__"] as const) {
    const f = b.lookupType(vm.typeOf(o), name);
    if (!f) continue;
    const r = vm.call(f, [o]);
    try {
      const rk = vm.kindOf(r);
      if (name === "__complex__") {
        if (rk !== "complex")
          vm.raise("TypeError", `__complex__ returned non-complex (type ${vm.typeOf(r).name})`);
        return { z: ct.value(r), isComplex: true };
      }
      if (name === "__float__") {
        if (rk !== "float")
          vm.raise(
            "TypeError",
            `${vm.typeOf(o).name}.__float__ returned non-float (type ${vm.typeOf(r).name})`,
          );
        return { z: { real: py.floatValue(r), imag: 0 }, isComplex: false };
      }
      if (rk !== "int" && rk !== "bool")
        vm.raise("TypeError", `__index__ returned non-int (type ${vm.typeOf(r).name})`);
      return { z: ct.operand(r)!, isComplex: false };
    } finally {
      py.decref(r);
    }
  }
  return undefined;
}

/** Installs `complex(real=0, imag=0)` and complex's methods on the `complex` type. */
export function installComplex(b: Protocols, ct: ComplexType, t: PyType): void {
  const vm: Host = b.vm;
  const py = vm.py;
  const self = (a: readonly Ref[], name: string): Complex => {
    const o = a[0];
    if (o === undefined || vm.kindOf(o) !== "complex")
      vm.raise("TypeError", `descriptor '${name}' requires a 'complex' object`);
    return ct.value(o);
  };
  t.methods.set("__new__", (args, kw) => {
    let real = args[0];
    let imag = args[1];
    if (args.length > 2)
      vm.raise("TypeError", `complex() takes at most 2 arguments (${args.length} given)`);
    if (kw)
      for (const [k, v] of kw) {
        if (k === "real" && real === undefined) real = v;
        else if (k === "imag" && imag === undefined) imag = v;
        else if (k === "real" || k === "imag")
          vm.raise(
            "TypeError",
            `argument for complex() given by name ('${k}') and position (${k === "real" ? 1 : 2})`,
          );
        else vm.raise("TypeError", `'${k}' is an invalid keyword argument for complex()`);
      }
    if (real === undefined) {
      if (imag === undefined) return ct.make({ real: 0, imag: 0 });
      real = vm.constant(0n);
      py.decref(real); // the small int stays alive
    }
    if (vm.kindOf(real) === "str") {
      if (imag !== undefined)
        vm.raise("TypeError", "complex() can't take second arg if first is a string");
      const z = parseComplex(py.strValue(real));
      if (z === undefined) vm.raise("ValueError", "complex() arg is a malformed string");
      return ct.make(z);
    }
    if (imag !== undefined && vm.kindOf(imag) === "str")
      vm.raise("TypeError", "complex() second arg can't be a string");
    // An exact complex alone is returned as it is.
    if (imag === undefined && vm.kindOf(real) === "complex") return py.newRef(real);
    const r = argument(b, ct, real);
    if (r === undefined)
      vm.raise(
        "TypeError",
        `complex() first argument must be a string or a number, not '${vm.typeOf(real).name}'`,
      );
    let cr = r.z;
    let ci: Complex = { real: 0, imag: 0 };
    let ciIsComplex = false;
    if (imag === undefined) ci = { real: cr.imag, imag: 0 };
    else {
      const i = argument(b, ct, imag);
      if (i === undefined)
        vm.raise(
          "TypeError",
          `complex() second argument must be a number, not '${vm.typeOf(imag).name}'`,
        );
      ci = i.z;
      ciIsComplex = i.isComplex;
    }
    // complex_new's corrections for parts that were complex themselves.
    if (ciIsComplex) cr = { real: cr.real - ci.imag, imag: cr.imag };
    if (r.isComplex && imag !== undefined) ci = { real: ci.real + cr.imag, imag: ci.imag };
    return ct.make({ real: cr.real, imag: ci.real });
  });
  t.methods.set("conjugate", (a) => {
    const z = self(a, "conjugate");
    if (a.length !== 1)
      vm.raise("TypeError", `complex.conjugate() takes no arguments (${a.length - 1} given)`);
    return ct.make({ real: z.real, imag: -z.imag });
  });
  t.methods.set("__abs__", (a) => {
    self(a, "__abs__");
    return py.float(ct.abs(a[0]!));
  });
  t.methods.set("__complex__", (a) => {
    const z = self(a, "__complex__");
    return vm.typeOf(a[0]!) === t ? py.newRef(a[0]!) : ct.make(z);
  });
  t.methods.set("__getnewargs__", (a) => {
    const z = self(a, "__getnewargs__");
    const re = py.float(z.real);
    const im = py.float(z.imag);
    const tuple = py.tuple([re, im]);
    py.decref(re);
    py.decref(im);
    return tuple;
  });
}
