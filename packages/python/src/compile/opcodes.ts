// The instruction set: CPython 3.11's opcodes where memory can see the difference (what each
// pushes, pops, allocates and holds), without its specialisation caches, PRECALL and RESUME.
// An instruction is two 32-bit words, the opcode and its argument; jump arguments are absolute
// instruction indexes. The comments give the stack effect, top of stack on the right.

// biome-ignore lint/suspicious/noConstEnum: inlined by the bundler into the evaluation loop's switch.
export const enum Op {
  NOP = 0,
  /** `a ->` */
  POP_TOP,
  /** `… a(n) … -> … a(n) … a(n)`: copies the n-th item (1 = top). */
  COPY,
  /** Swaps the top with the n-th item. */
  SWAP,
  /** `-> NULL` */
  PUSH_NULL,

  /** `-> const[arg]` */
  LOAD_CONST,
  /** `-> local[arg]` (UnboundLocalError when unbound) */
  LOAD_FAST,
  /** `v ->` local[arg] = v */
  STORE_FAST,
  DELETE_FAST,
  /** Module and class bodies: locals dict, then globals, then builtins. */
  LOAD_NAME,
  STORE_NAME,
  DELETE_NAME,
  /** `-> [NULL] global` (arg >> 1 is the name; arg & 1 pushes a NULL first) */
  LOAD_GLOBAL,
  STORE_GLOBAL,
  DELETE_GLOBAL,
  /** `-> cell_contents` of cell or free variable arg (cells first, then free variables) */
  LOAD_DEREF,
  STORE_DEREF,
  DELETE_DEREF,
  /** `-> cell` itself, for a closure tuple */
  LOAD_CLOSURE,
  /** A class body's free variable: the class namespace first, then the cell. */
  LOAD_CLASSDEREF,

  /** `o -> o.name` */
  LOAD_ATTR,
  /** `v o ->` o.name = v */
  STORE_ATTR,
  DELETE_ATTR,
  /** `o -> meth o` (an unbound function and self) or `-> NULL bound` */
  LOAD_METHOD,

  /** `o k -> o[k]` */
  BINARY_SUBSCR,
  /** `v o k ->` o[k] = v */
  STORE_SUBSCR,
  DELETE_SUBSCR,
  /** `a b [c] -> slice(a, b[, c])` (arg 2 or 3) */
  BUILD_SLICE,

  /** `a b -> a op b`; arg is a {@link BinaryOp} (in-place forms included) */
  BINARY_OP,
  UNARY_NEGATIVE,
  UNARY_POSITIVE,
  UNARY_INVERT,
  UNARY_NOT,
  /** `a b -> a cmp b`; arg is a {@link CompareOp} */
  COMPARE_OP,
  /** `a b -> a is b` (arg 1: is not) */
  IS_OP,
  /** `a b -> a in b` (arg 1: not in) */
  CONTAINS_OP,

  BUILD_TUPLE,
  BUILD_LIST,
  BUILD_SET,
  /** `k1 v1 … kn vn -> dict` */
  BUILD_MAP,
  /** `v1 … vn keys -> dict` (keys: a constant tuple) */
  BUILD_CONST_KEY_MAP,
  /** `… list … v -> … list …`: appends v to the list arg items down */
  LIST_APPEND,
  SET_ADD,
  /** `… dict … k v -> … dict …` */
  MAP_ADD,
  LIST_EXTEND,
  SET_UPDATE,
  DICT_UPDATE,
  /** Like DICT_UPDATE, for `**` in a call: duplicate keys are a TypeError. */
  DICT_MERGE,
  /** `list -> tuple(list)` */
  LIST_TO_TUPLE,
  /** `s1 … sn -> s1 + … + sn` */
  BUILD_STRING,
  /** `v [spec] -> format(v, spec)`; arg & 3: conversion (1 str, 2 repr, 3 ascii); arg & 4: spec */
  FORMAT_VALUE,

  /** `seq -> vn … v1` */
  UNPACK_SEQUENCE,
  /** `seq -> …`: arg & 0xff before the star, arg >> 8 after */
  UNPACK_EX,

  /** Jumps to instruction arg. */
  JUMP,
  POP_JUMP_IF_FALSE,
  POP_JUMP_IF_TRUE,
  POP_JUMP_IF_NONE,
  POP_JUMP_IF_NOT_NONE,
  /** Jumps keeping the value when it is false; pops it otherwise. */
  JUMP_IF_FALSE_OR_POP,
  JUMP_IF_TRUE_OR_POP,
  /** `o -> iter(o)` */
  GET_ITER,
  /** `it -> it next`, or pops `it` and jumps to arg when exhausted */
  FOR_ITER,
  /** `v -> ` returns v */
  RETURN_VALUE,

  /** Names the trailing keyword arguments of the next CALL (a constant tuple). */
  KW_NAMES,
  /** `NULL|meth callable|self a1 … an -> result` */
  CALL,
  /** `NULL callable args [kwargs] -> result` (arg & 1: kwargs) */
  CALL_FUNCTION_EX,
  /** `[defaults] [kwdefaults] [closure] code -> function` (arg: {@link MakeFunction} flags) */
  MAKE_FUNCTION,
  /** `-> __build_class__` */
  LOAD_BUILD_CLASS,

  /** `exc -> prev_exc exc`: saves the exception being handled, makes exc the current one */
  PUSH_EXC_INFO,
  /** `prev_exc ->`: restores the exception being handled */
  POP_EXCEPT,
  /** `exc type -> exc bool` */
  CHECK_EXC_MATCH,
  /** `… exc -> ` re-raises exc (arg: set the frame's lasti from the item below it) */
  RERAISE,
  /** raise (0), raise exc (1), raise exc from cause (2) */
  RAISE_VARARGS,
  LOAD_ASSERTION_ERROR,
  /** `mgr -> exit enter()` */
  BEFORE_WITH,
  /** `exit lasti prev exc -> exit lasti prev exc res` (res = exit(type, exc, tb)) */
  WITH_EXCEPT_START,

  /** `level fromlist -> module` */
  IMPORT_NAME,
  /** `module -> module attr` */
  IMPORT_FROM,
  /** `module ->` binds every public name */
  IMPORT_STAR,
  /** Creates `__annotations__` in a module or class body. */
  SETUP_ANNOTATIONS,

  /** Turns local slots holding a parameter into cells (at function start). */
  MAKE_CELL,
  /** Copies the closure's cells into the frame's free-variable slots (at function start). */
  COPY_FREE_VARS,
  /** A generator's start: returns the generator made of this frame. */
  RETURN_GENERATOR,
  /** `v -> sent`: suspends a generator, yielding v (arg 1: inside `yield from`'s loop) */
  YIELD_VALUE,
  /** `o -> iterator`: a generator itself, anything else `iter(o)` (for `yield from`) */
  GET_YIELD_FROM_ITER,
  /** `receiver v -> receiver yielded`, or `-> result` and a jump when the receiver returns */
  SEND,
  /**
   * `v ->`: an expression statement's value shown by `sys.displayhook` (interactive code:
   * `compile(…, "single")` and the REPL).
   */
  PRINT_EXPR,
  /** `o -> o len(o)` */
  GET_LEN,
  /** `o -> o bool`: whether o's type is a mapping (Py_TPFLAGS_MAPPING) */
  MATCH_MAPPING,
  /** `o -> o bool`: whether o's type is a sequence (Py_TPFLAGS_SEQUENCE) */
  MATCH_SEQUENCE,
  /** `map keys -> map keys values`: a tuple of the keys' values, or None when one is missing */
  MATCH_KEYS,
  /** `o cls names -> attrs`: a tuple of arg positional and the named attributes, or None */
  MATCH_CLASS,
  /** `exc type -> rest match` on a match, `exc type -> exc None` without (an `except*` clause) */
  CHECK_EG_MATCH,
  /** `orig excs -> exc_or_None`: what a `try: … except*` statement raises at its end */
  PREP_RERAISE_STAR,

  // Pseudo-instructions: the compiler turns them into the exception table and NOPs.
  /** Pushes an exception handler at arg (depth: the current stack). */
  SETUP_FINALLY,
  /** Like SETUP_FINALLY, the handler also gets the instruction index (lasti). */
  SETUP_CLEANUP,
  /** Like SETUP_CLEANUP, with the depth less one (the with's exit stays). */
  SETUP_WITH,
  /** Pops the innermost handler. */
  POP_BLOCK,
}

/** The number of opcodes. */
export const OP_COUNT = Op.POP_BLOCK + 1;

/** BINARY_OP's argument: the operator (in-place forms are the same plus {@link INPLACE}). */
// biome-ignore lint/suspicious/noConstEnum: inlined by the bundler.
export const enum BinaryOp {
  Add = 0,
  And = 1,
  FloorDivide = 2,
  LShift = 3,
  MatMul = 4,
  Multiply = 5,
  Remainder = 6,
  Or = 7,
  Power = 8,
  RShift = 9,
  Subtract = 10,
  TrueDivide = 11,
  Xor = 12,
}

/** Added to a {@link BinaryOp} for its in-place form (`+=`). */
export const INPLACE = 13;

/** The symbols of the binary operators, by {@link BinaryOp}. */
export const binaryOpSymbols: readonly string[] = [
  "+",
  "&",
  "//",
  "<<",
  "@",
  "*",
  "%",
  "|",
  "**",
  ">>",
  "-",
  "/",
  "^",
];

/** COMPARE_OP's argument. */
// biome-ignore lint/suspicious/noConstEnum: inlined by the bundler.
export const enum CompareOp {
  Lt = 0,
  Le = 1,
  Eq = 2,
  Ne = 3,
  Gt = 4,
  Ge = 5,
}

/** The symbols of the comparisons, by {@link CompareOp}. */
export const compareOpSymbols: readonly string[] = ["<", "<=", "==", "!=", ">", ">="];

/** MAKE_FUNCTION's flags: what is on the stack below the code object. */
// biome-ignore lint/suspicious/noConstEnum: inlined by the bundler.
export const enum MakeFunction {
  Defaults = 1,
  KwDefaults = 2,
  Annotations = 4,
  Closure = 8,
}

/** Opcode names, by number (for disassembly and errors). */
export const opNames: readonly string[] = [
  "NOP",
  "POP_TOP",
  "COPY",
  "SWAP",
  "PUSH_NULL",
  "LOAD_CONST",
  "LOAD_FAST",
  "STORE_FAST",
  "DELETE_FAST",
  "LOAD_NAME",
  "STORE_NAME",
  "DELETE_NAME",
  "LOAD_GLOBAL",
  "STORE_GLOBAL",
  "DELETE_GLOBAL",
  "LOAD_DEREF",
  "STORE_DEREF",
  "DELETE_DEREF",
  "LOAD_CLOSURE",
  "LOAD_CLASSDEREF",
  "LOAD_ATTR",
  "STORE_ATTR",
  "DELETE_ATTR",
  "LOAD_METHOD",
  "BINARY_SUBSCR",
  "STORE_SUBSCR",
  "DELETE_SUBSCR",
  "BUILD_SLICE",
  "BINARY_OP",
  "UNARY_NEGATIVE",
  "UNARY_POSITIVE",
  "UNARY_INVERT",
  "UNARY_NOT",
  "COMPARE_OP",
  "IS_OP",
  "CONTAINS_OP",
  "BUILD_TUPLE",
  "BUILD_LIST",
  "BUILD_SET",
  "BUILD_MAP",
  "BUILD_CONST_KEY_MAP",
  "LIST_APPEND",
  "SET_ADD",
  "MAP_ADD",
  "LIST_EXTEND",
  "SET_UPDATE",
  "DICT_UPDATE",
  "DICT_MERGE",
  "LIST_TO_TUPLE",
  "BUILD_STRING",
  "FORMAT_VALUE",
  "UNPACK_SEQUENCE",
  "UNPACK_EX",
  "JUMP",
  "POP_JUMP_IF_FALSE",
  "POP_JUMP_IF_TRUE",
  "POP_JUMP_IF_NONE",
  "POP_JUMP_IF_NOT_NONE",
  "JUMP_IF_FALSE_OR_POP",
  "JUMP_IF_TRUE_OR_POP",
  "GET_ITER",
  "FOR_ITER",
  "RETURN_VALUE",
  "KW_NAMES",
  "CALL",
  "CALL_FUNCTION_EX",
  "MAKE_FUNCTION",
  "LOAD_BUILD_CLASS",
  "PUSH_EXC_INFO",
  "POP_EXCEPT",
  "CHECK_EXC_MATCH",
  "RERAISE",
  "RAISE_VARARGS",
  "LOAD_ASSERTION_ERROR",
  "BEFORE_WITH",
  "WITH_EXCEPT_START",
  "IMPORT_NAME",
  "IMPORT_FROM",
  "IMPORT_STAR",
  "SETUP_ANNOTATIONS",
  "MAKE_CELL",
  "COPY_FREE_VARS",
  "RETURN_GENERATOR",
  "YIELD_VALUE",
  "GET_YIELD_FROM_ITER",
  "SEND",
  "PRINT_EXPR",
  "GET_LEN",
  "MATCH_MAPPING",
  "MATCH_SEQUENCE",
  "MATCH_KEYS",
  "MATCH_CLASS",
  "CHECK_EG_MATCH",
  "PREP_RERAISE_STAR",
  "SETUP_FINALLY",
  "SETUP_CLEANUP",
  "SETUP_WITH",
  "POP_BLOCK",
];

/** Whether `op` jumps to its argument (conditionally or not). */
export function hasJump(op: number): boolean {
  return (op >= Op.JUMP && op <= Op.JUMP_IF_TRUE_OR_POP) || op === Op.FOR_ITER || op === Op.SEND;
}
