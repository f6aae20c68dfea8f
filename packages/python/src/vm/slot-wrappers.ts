// The built-in types' special methods as CPython 3.11's type dicts hold them: a slot wrapper
// (`wrapper_descriptor`) for each slot the type fills, a method (`method_descriptor`) for
// `__format__`, `__floor__` and their kin, a class method for `__subclasshook__`. The types'
// own code defines the methods a program calls most (`list.__len__`, `int.__add__`); this
// module makes the others from the slot's generic form (`int.__radd__`, `[].__eq__`,
// `object.__repr__`), each the owner type's own operation, never a subclass's override, and
// NotImplemented where CPython's slot function returns it. Which names a type's dict holds,
// and of which kind, comes from the table scripts/type-slots.py writes by asking python3.

import type { Ref } from "@mm/runtime";
import { BinaryOp, CompareOp, Op } from "../compile/opcodes.js";
import { Raised } from "./errors.js";
import { typeOr } from "./generic-alias.js";
import type { Host, Protocols } from "./host.js";
import { hashPointer } from "./identity-hash.js";
import { TYPE_SLOTS } from "./type-slots.js";
import type { BuiltinFn, PyType, TypeKind } from "./types.js";

/** The kind of value a built-in type's dict holds under a name (see type-slots.ts). */
export type SlotKind = "w" | "m" | "c" | "b" | "s" | "g" | "d" | "n" | "o";

/** The kinds by name of each built-in type's dict, parsed from the table once per type. */
const parsed = new Map<string, ReadonlyMap<string, SlotKind>>();

/**
 * What built-in type `typeName`'s own `__dict__` holds under each name in CPython 3.11 (its
 * kind), or undefined for a type the table does not list.
 */
export function typeSlots(typeName: string): ReadonlyMap<string, SlotKind> | undefined {
  let kinds = parsed.get(typeName);
  if (kinds === undefined) {
    const text = TYPE_SLOTS[typeName];
    if (text === undefined) return undefined;
    const m = new Map<string, SlotKind>();
    for (const entry of text.split(" ")) {
      const at = entry.lastIndexOf(":");
      m.set(entry.slice(0, at), entry.slice(at + 1) as SlotKind);
    }
    kinds = m;
    parsed.set(typeName, kinds);
  }
  return kinds;
}

/** The binary operators by their method's name, and whether the name is the reflected one. */
const BINARY: ReadonlyMap<string, readonly [BinaryOp, boolean]> = new Map<
  string,
  readonly [BinaryOp, boolean]
>(
  (
    [
      ["add", BinaryOp.Add],
      ["and", BinaryOp.And],
      ["floordiv", BinaryOp.FloorDivide],
      ["lshift", BinaryOp.LShift],
      ["matmul", BinaryOp.MatMul],
      ["mul", BinaryOp.Multiply],
      ["mod", BinaryOp.Remainder],
      ["or", BinaryOp.Or],
      ["pow", BinaryOp.Power],
      ["rshift", BinaryOp.RShift],
      ["sub", BinaryOp.Subtract],
      ["truediv", BinaryOp.TrueDivide],
      ["xor", BinaryOp.Xor],
    ] as const
  ).flatMap(([n, op]): [string, readonly [BinaryOp, boolean]][] => [
    [`__${n}__`, [op, false]],
    [`__r${n}__`, [op, true]],
  ]),
);

/** The in-place operators by their method's name. */
const INPLACE: ReadonlyMap<string, BinaryOp> = new Map(
  [...BINARY].filter(([, [, r]]) => !r).map(([n, [op]]) => [`__i${n.slice(2)}`, op] as const),
);

const COMPARE: ReadonlyMap<string, CompareOp> = new Map([
  ["__lt__", CompareOp.Lt],
  ["__le__", CompareOp.Le],
  ["__eq__", CompareOp.Eq],
  ["__ne__", CompareOp.Ne],
  ["__gt__", CompareOp.Gt],
  ["__ge__", CompareOp.Ge],
]);

/** The names of the slots whose wrapper takes no argument (`wrap_unaryfunc`, `wrap_lenfunc`…). */
const NO_ARGUMENT: ReadonlySet<string> = new Set(
  (
    "__neg__ __pos__ __abs__ __invert__ __bool__ __int__ __float__ __index__ __len__ " +
    "__iter__ __next__ __repr__ __str__ __hash__ __await__ __aiter__ __anext__"
  ).split(" "),
);

/** The names of the slots whose wrapper takes two arguments (`wrap_objobjargproc`…). */
const TWO_ARGUMENTS: ReadonlySet<string> = new Set(["__setitem__", "__setattr__", "__set__"]);

/**
 * How many arguments after the object a slot wrapper takes, at least and at most, as its
 * wrapper function checks them; undefined for a slot whose wrapper takes any (`__init__`,
 * `__call__`, `__new__`) or one with optional arguments (`__get__`).
 */
export function slotArity(name: string): readonly [number, number] | undefined {
  if (name === "__pow__" || name === "__rpow__") return [1, 2];
  if (NO_ARGUMENT.has(name)) return [0, 0];
  if (TWO_ARGUMENTS.has(name)) return [2, 2];
  if (
    BINARY.has(name) ||
    INPLACE.has(name) ||
    COMPARE.has(name) ||
    name === "__divmod__" ||
    name === "__rdivmod__" ||
    name === "__contains__" ||
    name === "__getitem__" ||
    name === "__delitem__" ||
    name === "__getattribute__" ||
    name === "__delattr__" ||
    name === "__delete__"
  )
    return [1, 1];
  return undefined;
}

/**
 * `fn` behind the argument check of slot wrapper `name` (`check_num_args`, or
 * `PyArg_UnpackTuple` for the ternary ones), which also refuses keywords, as
 * `wrapper_call` does for the wrappers without `PyWrapperFlag_KEYWORDS`; `fn` itself for a
 * slot {@link slotArity} does not know.
 */
export function checkedSlot(
  name: string,
  fn: BuiltinFn,
  raise: (message: string) => never,
  sequence: boolean,
): BuiltinFn {
  const arity = slotArity(name);
  if (arity === undefined) return fn;
  const [least, most] = arity;
  // The wrappers that unpack their arguments with PyArg_UnpackTuple and an empty name (the
  // ternary ones, a sequence's repeat, item and attribute assignment) start with a space.
  const unpack =
    least !== most ||
    TWO_ARGUMENTS.has(name) ||
    (sequence && (name === "__mul__" || name === "__rmul__" || name === "__imul__"));
  const plural = (n: number) => (n === 1 ? "" : "s");
  return (a, kwargs) => {
    if (kwargs && kwargs.size > 0) raise(`wrapper ${name}() takes no keyword arguments`);
    const n = a.length - 1;
    if (n >= least && n <= most) return fn(a, kwargs);
    if (!unpack) raise(`expected ${least} argument${plural(least)}, got ${n}`);
    if (least === most) raise(` expected ${least} argument${plural(least)}, got ${n}`);
    if (n < least) raise(` expected at least ${least} argument${plural(least)}, got ${n}`);
    return raise(` expected at most ${most} argument${plural(most)}, got ${n}`);
  };
}

const isInt = (k: TypeKind) => k === "int" || k === "bool";
const isNumber = (k: TypeKind) => isInt(k) || k === "float";
const isSet = (k: TypeKind) => k === "set" || k === "frozenset";
const SEQUENCES: ReadonlySet<TypeKind> = new Set<TypeKind>(["list", "tuple", "str", "bytes"]);

/**
 * Whether `owner`'s number slot takes `other` as its other operand (int's `long_add` only
 * ints, float's ints and floats, set's `set_or` only sets…); undefined when the owner has no
 * such slot here.
 */
function numberTakes(owner: PyType, op: BinaryOp, other: TypeKind): boolean | undefined {
  switch (owner.kind) {
    case "int":
    case "bool":
      return isInt(other);
    case "float":
      return isNumber(other);
    case "complex":
      return isNumber(other) || other === "complex";
    case "set":
    case "frozenset":
      return isSet(other);
    case "dict":
      return op === BinaryOp.Or ? other === "dict" : undefined;
    default:
      return undefined;
  }
}

/**
 * Whether `owner`'s `tp_richcompare` compares with `other` at all (else NotImplemented):
 * numbers with numbers, a container with its own kind, dict and range for `==`/`!=` only.
 */
function compareTakes(owner: PyType, op: CompareOp, other: TypeKind): boolean | undefined {
  const equality = op === CompareOp.Eq || op === CompareOp.Ne;
  switch (owner.kind) {
    case "int":
    case "bool":
      return isInt(other);
    case "float":
      return isNumber(other);
    case "complex":
      return equality && (isNumber(other) || other === "complex");
    case "str":
    case "bytes":
    case "list":
    case "tuple":
      return other === owner.kind;
    case "set":
    case "frozenset":
      return isSet(other);
    case "dict":
    case "range":
      return equality && other === owner.kind;
    default:
      return undefined;
  }
}

/**
 * Makes the generic slot wrappers and methods of the built-in types for the interpreter's
 * attribute lookup.
 */
export class SlotWrappers {
  readonly #b: Protocols;
  readonly #made = new Map<string, BuiltinFn | null>();

  constructor(b: Protocols) {
    this.#b = b;
  }

  /**
   * The generic form of special method `name` of built-in type `owner`, whose dict holds it
   * as `kind` in CPython, or undefined when there is none here. Its arguments are the object
   * (the class, for a class method) and then the call's.
   */
  make(owner: PyType, name: string, kind: SlotKind): BuiltinFn | undefined {
    const key = `${owner.name}.${name}`;
    let fn = this.#made.get(key);
    if (fn === undefined) {
      fn = this.#make(owner, name, kind) ?? null;
      this.#made.set(key, fn);
    }
    return fn ?? undefined;
  }

  /** The builtin function `name` of the builtins module (borrowed). */
  #builtin(name: string): Ref {
    const py = this.#b.vm.py;
    return py.dictGet(this.#b.dict, py.constant(name));
  }

  /** A new object of `o`'s built-in value, for `o` an instance of a subclass of int or float. */
  #exact(owner: PyType, o: Ref): Ref {
    const vm: Host = this.#b.vm;
    const py = vm.py;
    if (isInt(owner.kind)) return py.int(vm.intOf(o));
    if (owner.kind === "float") return py.float(py.floatValue(o));
    return py.newRef(o);
  }

  /** `f(exact o, …rest)` with `f` a builtin function: what `abs`, `format`, `round` do. */
  #viaBuiltin(owner: PyType, fname: string, o: Ref, rest: readonly Ref[]): Ref {
    const e = this.#exact(owner, o);
    try {
      return this.#b.vm.call(this.#builtin(fname), [e, ...rest]);
    } finally {
      this.#b.vm.py.decref(e);
    }
  }

  #make(owner: PyType, name: string, kind: SlotKind): BuiltinFn | undefined {
    const b = this.#b;
    const vm: Host = b.vm;
    const py = vm.py;
    const ni = () => py.newRef(b.notImplemented);
    /** A slot wrapper's argument check (see {@link checkedSlot}). */
    const sequence = SEQUENCES.has(owner.kind) || owner.name === "bytearray";
    const wrap = (f: (a: readonly Ref[]) => Ref): BuiltinFn =>
      checkedSlot(
        name,
        (a) => f(a),
        (m) => vm.raise("TypeError", m),
        sequence,
      );
    /** A METH_NOARGS method's check. */
    const noArgs = (f: (self: Ref) => Ref): BuiltinFn => {
      return (a) => {
        if (a.length > 1)
          vm.raise(
            "TypeError",
            `${owner.name}.${name}() takes no arguments (${a.length - 1} given)`,
          );
        return f(a[0]!);
      };
    };
    if (kind === "w") {
      const binary = BINARY.get(name);
      if (binary) return this.#binary(owner, binary[0], binary[1], wrap);
      const inplace = INPLACE.get(name);
      if (inplace !== undefined) return this.#inplace(owner, inplace, wrap);
      const cmp = COMPARE.get(name);
      if (cmp !== undefined) return this.#compare(owner, cmp, wrap);
      switch (name) {
        case "__neg__":
        case "__pos__":
        case "__invert__": {
          const op =
            name === "__neg__"
              ? Op.UNARY_NEGATIVE
              : name === "__pos__"
                ? Op.UNARY_POSITIVE
                : Op.UNARY_INVERT;
          return wrap((a) => {
            const e = this.#exact(owner, a[0]!);
            try {
              return b.unaryOp(op, e);
            } finally {
              py.decref(e);
            }
          });
        }
        case "__abs__":
          return wrap((a) => this.#viaBuiltin(owner, "abs", a[0]!, []));
        case "__bool__":
          return wrap((a) => {
            const e = this.#exact(owner, a[0]!);
            try {
              return py.bool(b.truth(e));
            } finally {
              py.decref(e);
            }
          });
        case "__int__":
        case "__index__":
          if (isInt(owner.kind)) return wrap((a) => py.int(vm.intOf(a[0]!)));
          if (owner.kind === "float") return wrap((a) => this.#viaBuiltin(owner, "int", a[0]!, []));
          return undefined;
        case "__float__":
          if (isNumber(owner.kind)) return wrap((a) => this.#viaBuiltin(owner, "float", a[0]!, []));
          return undefined;
        case "__repr__":
          if (owner.name === "object") return wrap((a) => py.str(this.#objectRepr(a[0]!)));
          return wrap((a) => py.str(b.reprOf(a[0]!, true)));
        case "__str__":
          // object_str: the repr its type gives (a class's own `__repr__` included).
          if (owner.name === "object") return wrap((a) => py.str(b.reprOf(a[0]!)));
          // bytes_str and its kin: the type's own repr.
          return wrap((a) => py.str(b.reprOf(a[0]!, true)));
        case "__hash__":
          if (owner.name === "object") return wrap((a) => py.int(hashPointer(a[0]!)));
          return wrap((a) => {
            // The type's own hash of the value: through an exact copy for a subclass's
            // instance, whose class may route hashing back here.
            const self = a[0]!;
            const exact = !vm.typeOf(self).heap
              ? py.newRef(self)
              : owner.kind === "bytes"
                ? b.bytesType.make(b.bytesType.data(self))
                : owner.kind === "frozenset"
                  ? b.frozensetOf(self)
                  : this.#exact(owner, self);
            try {
              return py.int(py.hash(exact));
            } finally {
              py.decref(exact);
            }
          });
        case "__len__":
          return wrap((a) => py.int(b.len(a[0]!, true)));
        case "__contains__":
          return wrap((a) => py.bool(b.contains(a[0]!, a[1]!, true)));
        case "__iter__":
          return wrap((a) => b.iter(a[0]!, true));
        case "__getitem__":
          return wrap((a) => b.getItem(a[0]!, a[1]!, true));
        case "__setitem__":
          return wrap((a) => {
            b.setItem(a[0]!, a[1]!, a[2]!, true);
            return py.newRef(py.none);
          });
        case "__delitem__":
          return wrap((a) => {
            b.delItem(a[0]!, a[1]!, true);
            return py.newRef(py.none);
          });
        case "__divmod__":
        case "__rdivmod__":
          if (!isNumber(owner.kind)) return undefined;
          return wrap((a) => {
            if (!numberTakes(owner, BinaryOp.FloorDivide, vm.kindOf(a[1]!))) return ni();
            const [l, r] = name === "__divmod__" ? [a[0]!, a[1]!] : [a[1]!, a[0]!];
            return vm.call(this.#builtin("divmod"), [l, r]);
          });
        case "__call__":
          // wrap_call: the object called with the arguments and keywords given.
          return (a, kwargs) => {
            if (a.length === 0)
              vm.raise(
                "TypeError",
                `descriptor '__call__' of '${owner.name}' object needs an argument`,
              );
            // staticmethod_call: the wrapped callable's call.
            const self = owner.kind === "staticmethod" ? py.getRef(a[0]!, 16) : a[0]!;
            return vm.call(self, a.slice(1), kwargs);
          };
        case "__getattribute__":
        case "__setattr__":
        case "__delattr__": {
          // The generic attribute access every built-in type's dict names as its own.
          const generic = vm.types.object!.methods.get(name);
          return generic && owner.name !== "object" ? generic : undefined;
        }
        default:
          return undefined;
      }
    }
    if (kind === "m") {
      switch (name) {
        case "__format__":
          return (a) => {
            if (a.length !== 2)
              vm.raise(
                "TypeError",
                `${owner.name}.__format__() takes exactly one argument (${a.length - 1} given)`,
              );
            const spec = a[1]!;
            if (vm.kindOf(spec) !== "str")
              vm.raise(
                "TypeError",
                `${owner.name}.__format__() argument must be str, not ${vm.typeOf(spec).name}`,
              );
            if (owner.name === "object") {
              // object_format: an empty spec is str(self); any other is refused.
              if (py.strValue(spec) !== "")
                vm.raise(
                  "TypeError",
                  `unsupported format string passed to ${vm.typeOf(a[0]!).name}.__format__`,
                );
              return b.strObject(a[0]!);
            }
            // An empty spec is str(self) for the numbers too (`int.__format__(True, "")`).
            if (py.strValue(spec) === "" && isNumber(owner.kind)) return b.strObject(a[0]!);
            return this.#viaBuiltin(owner, "format", a[0]!, [spec]);
          };
        case "__trunc__":
        case "__floor__":
        case "__ceil__":
          if (isInt(owner.kind)) return noArgs((self) => py.int(vm.intOf(self)));
          if (owner.kind === "float")
            return noArgs((self) => {
              const v = py.floatValue(self);
              if (Number.isNaN(v)) vm.raise("ValueError", "cannot convert float NaN to integer");
              if (!Number.isFinite(v))
                vm.raise("OverflowError", "cannot convert float infinity to integer");
              const r =
                name === "__floor__"
                  ? Math.floor(v)
                  : name === "__ceil__"
                    ? Math.ceil(v)
                    : Math.trunc(v);
              return py.int(BigInt(r));
            });
          return undefined;
        case "__round__":
          if (!isNumber(owner.kind)) return undefined;
          return (a) => {
            if (a.length > 2)
              vm.raise("TypeError", `${name} expected at most 1 argument, got ${a.length - 1}`);
            return this.#viaBuiltin(owner, "round", a[0]!, a.slice(1));
          };
        case "__getnewargs__":
          if (!isNumber(owner.kind) && !SEQUENCES.has(owner.kind)) return undefined;
          return noArgs((self) => {
            // A copy of the value as the base type (what `__new__` takes back).
            const e =
              owner.kind === "str"
                ? py.str(py.strValue(self))
                : owner.kind === "bytes"
                  ? b.bytesType.make(b.bytesType.data(self))
                  : owner.kind === "tuple"
                    ? py.tuple(py.items(self))
                    : owner.kind === "list"
                      ? py.newRef(self)
                      : this.#exact(owner, self);
            const t = py.tuple([e]);
            py.decref(e);
            return t;
          });
        case "__contains__":
          return (a) => {
            if (a.length !== 2)
              vm.raise(
                "TypeError",
                `${owner.name}.__contains__() takes exactly one argument (${a.length - 1} given)`,
              );
            return py.bool(b.contains(a[0]!, a[1]!, true));
          };
        case "__reversed__":
          return noArgs((self) => b.callType(vm.types.reversed!, [self], null));
        case "__dir__":
          return noArgs((self) => b.dir(self));
        case "__reduce_ex__":
        case "__reduce__":
        case "__getstate__": {
          if (owner.name !== "object") return undefined;
          // object's pickling methods, written in Python in the copyreg module.
          const helper =
            name === "__getstate__"
              ? "_object_getstate"
              : name === "__reduce__"
                ? "_reduce_ex"
                : "_object_reduce_ex";
          const args = name === "__reduce_ex__" ? 1 : 0;
          return (a) => {
            if (a.length !== args + 1)
              vm.raise(
                "TypeError",
                args === 1
                  ? `object.__reduce_ex__() takes exactly one argument (${a.length - 1} given)`
                  : `object.${name}() takes no arguments (${a.length - 1} given)`,
              );
            if (args === 1 && !isInt(vm.kindOf(a[1]!)))
              vm.raise(
                "TypeError",
                `'${vm.typeOf(a[1]!).name}' object cannot be interpreted as an integer`,
              );
            const module = b.importModule("copyreg");
            try {
              const f = b.getAttr(module, helper);
              const zero = name === "__reduce__" ? py.int(0n) : 0;
              try {
                return vm.call(f, zero ? [a[0]!, zero] : a);
              } finally {
                py.decref(f);
                if (zero) py.decref(zero);
              }
            } finally {
              py.decref(module);
            }
          };
        }
        case "__instancecheck__":
        case "__subclasscheck__":
          if (owner.name !== "type") return undefined;
          // type___instancecheck__ / type___subclasscheck__: the check without the hooks,
          // by the classes' MROs (an instance's `__class__` too, when it names a class).
          return (a) => {
            if (a.length !== 2)
              vm.raise(
                "TypeError",
                `${vm.typeOf(a[0]!).name}.${name}() takes exactly one argument (${a.length - 1} given)`,
              );
            const cls = b.typeFromObject(a[0]!);
            const x = a[1]!;
            if (name === "__subclasscheck__") {
              if (!vm.isTypeObject(x)) vm.raise("TypeError", "issubclass() arg 1 must be a class");
              return py.bool(b.typeFromObject(x).isSubtype(cls));
            }
            if (vm.typeOf(x).isSubtype(cls)) return py.bool(true);
            let claimed: Ref;
            try {
              claimed = b.getAttr(x, "__class__");
            } catch (error) {
              if (
                !(error instanceof Raised) ||
                !vm.typeOf(error.exc).isSubtype(vm.types.AttributeError!)
              )
                throw error;
              py.decref(error.exc);
              return py.bool(false);
            }
            try {
              return py.bool(vm.isTypeObject(claimed) && b.typeFromObject(claimed).isSubtype(cls));
            } finally {
              py.decref(claimed);
            }
          };
        default:
          return undefined;
      }
    }
    if (kind === "c" && name === "__subclasshook__") return () => ni();
    if (kind === "c" && name === "__class_getitem__")
      return (a) => {
        if (a.length !== 2)
          vm.raise(
            "TypeError",
            `${owner.name}.__class_getitem__() takes exactly one argument (${a.length - 1} given)`,
          );
        return b.getItem(a[0]!, a[1]!);
      };
    return undefined;
  }

  /** `T.__op__(self, other)` / `T.__rop__(self, other)`: T's own number or sequence slot. */
  #binary(
    owner: PyType,
    op: BinaryOp,
    reflected: boolean,
    wrap: (f: (a: readonly Ref[]) => Ref) => BuiltinFn,
  ): BuiltinFn | undefined {
    const b = this.#b;
    const vm: Host = b.vm;
    const py = vm.py;
    const ni = () => py.newRef(b.notImplemented);
    const k = owner.kind;
    if (op === BinaryOp.Power && isNumber(k)) {
      // wrap_ternaryfunc: an optional modulus (ints only take one).
      return wrap((a) => {
        if (!numberTakes(owner, op, vm.kindOf(a[1]!))) return ni();
        const [l, r] = reflected ? [a[1]!, a[0]!] : [a[0]!, a[1]!];
        if (a.length > 2 && a[2] !== py.none) {
          if (!isInt(k) || !isInt(vm.kindOf(a[2]!))) return ni();
          return vm.call(this.#builtin("pow"), [l, r, a[2]!]);
        }
        return b.binaryOp(op, l, r, false, true);
      });
    }
    if (
      SEQUENCES.has(k) &&
      !(k === "str" && op === BinaryOp.Remainder) &&
      !(k === "bytes" && op === BinaryOp.Remainder)
    ) {
      if (op === BinaryOp.Add && !reflected)
        // sq_concat: any other operand is the sequence's own TypeError, never NotImplemented.
        return wrap((a) => {
          const other = vm.kindOf(a[1]!);
          const rName = vm.typeOf(a[1]!).name;
          if (k === "bytes" && other !== "bytes" && rName !== "bytearray")
            vm.raise("TypeError", `can't concat ${rName} to bytes`);
          if (k !== "bytes" && other !== k)
            vm.raise("TypeError", `can only concatenate ${k} (not "${rName}") to ${k}`);
          return b.binaryOp(op, a[0]!, a[1]!, false, true);
        });
      if (op === BinaryOp.Multiply)
        // sq_repeat through wrap_indexargfunc: the count is any index.
        return wrap((a) => {
          const count = this.#index(a[1]!);
          try {
            return b.binaryOp(op, a[0]!, count, false, true);
          } finally {
            py.decref(count);
          }
        });
      return undefined;
    }
    if ((k === "str" || k === "bytes") && op === BinaryOp.Remainder)
      // unicode_mod / bytes_mod: only with the format on the left.
      return wrap((a) => {
        const [l, r] = reflected ? [a[1]!, a[0]!] : [a[0]!, a[1]!];
        if (vm.kindOf(l) !== k) return ni();
        return b.binaryOp(op, l, r, false, true);
      });
    if (k === "type" && op === BinaryOp.Or)
      // type_or: a types.UnionType when both sides can join one.
      return wrap((a) => {
        const [l, r] = reflected ? [a[1]!, a[0]!] : [a[0]!, a[1]!];
        return typeOr(b, l, r) || ni();
      });
    if (numberTakes(owner, op, k) === undefined) return undefined;
    return wrap((a) => {
      if (!numberTakes(owner, op, vm.kindOf(a[1]!))) return ni();
      const [l, r] = reflected ? [a[1]!, a[0]!] : [a[0]!, a[1]!];
      // int's slots see bools as the ints they are; bool's own `&`, `|`, `^` keep them.
      if (owner.kind === "int") {
        const [x, y] = [py.int(vm.intOf(l)), py.int(vm.intOf(r))];
        try {
          return b.binaryOp(op, x, y, false, true);
        } finally {
          py.decref(x);
          py.decref(y);
        }
      }
      return b.binaryOp(op, l, r, false, true);
    });
  }

  /** `PyNumber_Index(o)` (a new reference), with CPython's TypeError for a non-integer. */
  #index(o: Ref): Ref {
    const b = this.#b;
    const vm: Host = b.vm;
    const py = vm.py;
    if (isInt(vm.kindOf(o))) return py.int(vm.intOf(o));
    const f = vm.typeOf(o).heap ? b.lookupType(vm.typeOf(o), "__index__") : 0;
    if (f) return vm.call(f, [o]);
    return vm.raise(
      "TypeError",
      `'${vm.typeOf(o).name}' object cannot be interpreted as an integer`,
    );
  }

  /** `T.__iop__(self, other)`: the in-place slot of list, set, dict and bytearray. */
  #inplace(
    owner: PyType,
    op: BinaryOp,
    wrap: (f: (a: readonly Ref[]) => Ref) => BuiltinFn,
  ): BuiltinFn | undefined {
    const b = this.#b;
    const vm: Host = b.vm;
    const py = vm.py;
    const k = owner.kind;
    if (k === "list" && op === BinaryOp.Add)
      // list_inplace_concat: extends by any iterable.
      return wrap((a) => {
        b.listExtend(a[0]!, a[1]!);
        return py.newRef(a[0]!);
      });
    if (k === "list" && op === BinaryOp.Multiply)
      return wrap((a) => {
        const count = this.#index(a[1]!);
        try {
          return b.inplaceOp(op, a[0]!, count);
        } finally {
          py.decref(count);
        }
      });
    if (k === "dict" && op === BinaryOp.Or)
      // dict_ior: an update by any mapping or iterable of pairs.
      return wrap((a) => {
        b.dictUpdateFrom(a[0]!, a[1]!);
        return py.newRef(a[0]!);
      });
    if (k === "set")
      return wrap((a) => {
        if (!isSet(vm.kindOf(a[1]!))) return py.newRef(b.notImplemented);
        return b.inplaceOp(op, a[0]!, a[1]!);
      });
    return undefined;
  }

  /** `T.__lt__(self, other)` and the other comparisons: T's own `tp_richcompare`. */
  #compare(
    owner: PyType,
    op: CompareOp,
    wrap: (f: (a: readonly Ref[]) => Ref) => BuiltinFn,
  ): BuiltinFn | undefined {
    const b = this.#b;
    const vm: Host = b.vm;
    const py = vm.py;
    const ni = () => py.newRef(b.notImplemented);
    if (owner.name === "object")
      // object_richcompare: identity for `==`; `!=` inverts the type's own `==`.
      return wrap((a) => {
        const [self, other] = [a[0]!, a[1]!];
        if (op === CompareOp.Eq) return self === other ? py.bool(true) : ni();
        if (op !== CompareOp.Ne) return ni();
        // The type's own `tp_richcompare(self, other, Py_EQ)`.
        const t = vm.typeOf(self);
        const eq = b.lookupType(t, "__eq__");
        let res: Ref;
        if (eq && vm.kindOf(eq) === "function") res = vm.call(eq, [self, other]);
        else {
          const takes = compareTakes(t, CompareOp.Eq, vm.kindOf(other));
          const c = takes ? b.compare(self, other, CompareOp.Eq) : undefined;
          res = c !== undefined ? py.bool(c) : self === other ? py.bool(true) : ni();
        }
        if (res === b.notImplemented) return res;
        return py.bool(!b.truthOf(res));
      });
    if (compareTakes(owner, op, owner.kind) === undefined) return undefined;
    return wrap((a) => {
      if (!compareTakes(owner, op, vm.kindOf(a[1]!))) return ni();
      const c = b.compare(a[0]!, a[1]!, op);
      return c === undefined ? ni() : py.bool(c);
    });
  }

  /** object_repr: `<module.Qualname object at 0x…>`, the module left out for builtins. */
  #objectRepr(o: Ref): string {
    const b = this.#b;
    const vm: Host = b.vm;
    const py = vm.py;
    const t = vm.typeOf(o);
    const text = (attr: string) => {
      const v = b.getAttr(t.object, attr);
      try {
        return vm.kindOf(v) === "str" ? py.strValue(v) : undefined;
      } finally {
        py.decref(v);
      }
    };
    const module = text("__module__");
    const where = `object at 0x${o.toString(16)}>`;
    if (module !== undefined && module !== "builtins")
      return `<${module}.${text("__qualname__")} ${where}`;
    return `<${t.name} ${where}`;
  }
}
