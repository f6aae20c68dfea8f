// A small WebAssembly binary writer: enough of the format to write walks over the heap (the
// collector's detection, the release of objects by reference count) as functions over an
// imported memory. Every value is an i32; code is written as nested
// expressions (each helper returns the bytes of one expression or statement), and a module is
// its imported memory, its imported and defined functions and their exports.
//
// The encoding follows the WebAssembly core specification (binary format, version 1): LEB128
// integers, a type section of function signatures, then the import, function, export and code
// sections in that order.

/** Bytes of encoded code: an expression (leaves one i32) or a statement (leaves nothing). */
export type Code = readonly number[];

/** Unsigned LEB128 of a non-negative integer below 2^32. */
export function uleb(value: number): number[] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw new RangeError(`uleb: ${value} is not an unsigned 32-bit integer`);
  }
  const out: number[] = [];
  let v = value;
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of an integer in the int32 range (a uint32 is taken as its int32 bits). */
export function sleb(value: number): number[] {
  if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0xffff_ffff) {
    throw new RangeError(`sleb: ${value} is not a 32-bit integer`);
  }
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

const I32 = 0x7f;
const VOID = 0x40;

/** Joins statements into one sequence. */
export const seq = (...parts: Code[]): Code => parts.flat();

// ------------------------------------------------------------------ locals, constants, calls

/** `local.get`. */
export const get = (local: number): Code => [0x20, ...uleb(local)];
/** `local.set`. */
export const set = (local: number, value: Code): Code => [...value, 0x21, ...uleb(local)];
/** `local.tee`: sets the local and leaves the value. */
export const tee = (local: number, value: Code): Code => [...value, 0x22, ...uleb(local)];
/** `i32.const`. */
export const i32 = (value: number): Code => [0x41, ...sleb(value)];
/** `call` with its arguments. */
export const call = (func: number, ...args: Code[]): Code => [...args.flat(), 0x10, ...uleb(func)];
/** `drop`: discards an expression's value. */
/** The value of global `index` (an imported one: see {@link ModuleWriter.importGlobal}). */
export const globalGet = (index: number): Code => [0x23, ...uleb(index)];

export const drop = (value: Code): Code => [...value, 0x1a];
/** `select`: `yes` when `cond` is not zero, else `no` (both evaluated). */
export const select = (yes: Code, no: Code, cond: Code): Code => [...yes, ...no, ...cond, 0x1b];
/** `return`, with a value or none. */
export const ret = (value: Code = []): Code => [...value, 0x0f];

// ------------------------------------------------------------------ memory

/** Adds `offset` (any int32) to an address, folding 0 away. */
function displaced(address: Code, offset: number): Code {
  if (offset === 0) return address;
  return offset > 0 ? [...address, ...i32(offset), 0x6a] : [...address, ...i32(-offset), 0x6b];
}

function memarg(align: number, offset: number): number[] {
  return [...uleb(align), ...uleb(offset)];
}

/**
 * `i32.load` of the word at `address + offset`. A non-negative offset is the instruction's
 * immediate; a negative one is subtracted first (the immediate is unsigned).
 */
export const load = (address: Code, offset = 0): Code =>
  offset >= 0
    ? [...address, 0x28, ...memarg(2, offset)]
    : [...displaced(address, offset), 0x28, ...memarg(2, 0)];
/** `i32.load8_u` of the byte at `address + offset`. */
export const load8 = (address: Code, offset = 0): Code =>
  offset >= 0
    ? [...address, 0x2d, ...memarg(0, offset)]
    : [...displaced(address, offset), 0x2d, ...memarg(0, 0)];
/** `i32.store` of `value` at `address + offset`. */
export const store = (address: Code, value: Code, offset = 0): Code =>
  offset >= 0
    ? [...address, ...value, 0x36, ...memarg(2, offset)]
    : [...displaced(address, offset), ...value, 0x36, ...memarg(2, 0)];

// ------------------------------------------------------------------ arithmetic and comparisons

const binary =
  (op: number) =>
  (a: Code, b: Code): Code => [...a, ...b, op];

/** `i32.eqz`: 1 when `a` is zero. */
export const eqz = (a: Code): Code => [...a, 0x45];
/** `i32.eq`. */
export const eq = binary(0x46);
/** `i32.ne`. */
export const ne = binary(0x47);
/** `i32.lt_s`: signed <. */
export const ltS = binary(0x48);
/** `i32.lt_u`: unsigned <. */
export const ltU = binary(0x49);
/** `i32.gt_s`: signed >. */
export const gtS = binary(0x4a);
/** `i32.gt_u`: unsigned >. */
export const gtU = binary(0x4b);
/** `i32.le_s`: signed <=. */
export const leS = binary(0x4c);
/** `i32.le_u`: unsigned <=. */
export const leU = binary(0x4d);
/** `i32.ge_s`: signed >=. */
export const geS = binary(0x4e);
/** `i32.ge_u`: unsigned >=. */
export const geU = binary(0x4f);
/** `i32.add` (wrapping). */
export const add = binary(0x6a);
/** `i32.sub` (wrapping). */
export const sub = binary(0x6b);
/** `i32.mul` (wrapping). */
export const mul = binary(0x6c);
/** `i32.and`. */
export const and = binary(0x71);
/** `i32.or`. */
export const or = binary(0x72);
/** `i32.xor`. */
export const xor = binary(0x73);
/** `i32.shl`. */
export const shl = binary(0x74);
/** `i32.shr_s`: arithmetic shift right. */
export const shrS = binary(0x75);
/** `i32.shr_u`: logical shift right. */
export const shrU = binary(0x76);

// ------------------------------------------------------------------ control

/** `block … end` without a value: `br` to it (depth counted from inside) jumps past its end. */
export const block = (...body: Code[]): Code => [0x02, VOID, ...body.flat(), 0x0b];
/** `loop … end` without a value: `br` to it jumps back to its start. */
export const loop = (...body: Code[]): Code => [0x03, VOID, ...body.flat(), 0x0b];
/** `if … else … end` without a value. */
export const when = (cond: Code, then: Code, otherwise?: Code): Code =>
  otherwise === undefined || otherwise.length === 0
    ? [...cond, 0x04, VOID, ...then, 0x0b]
    : [...cond, 0x04, VOID, ...then, 0x05, ...otherwise, 0x0b];
/** `if (result i32) … else … end`: an expression. */
export const choose = (cond: Code, then: Code, otherwise: Code): Code => [
  ...cond,
  0x04,
  I32,
  ...then,
  0x05,
  ...otherwise,
  0x0b,
];
/** `br`: to the `depth`-th enclosing block or loop (0: the innermost). */
export const br = (depth: number): Code => [0x0c, ...uleb(depth)];
/** `br_if`: `br` when `cond` is not zero. */
export const brIf = (depth: number, cond: Code): Code => [...cond, 0x0d, ...uleb(depth)];

/**
 * `while (cond) body`: a block around a loop that leaves when `cond` is zero. Inside `body`,
 * `br(0)` continues (back to the test) and `br(1)` breaks, counted from the body's own level.
 */
export const whileLoop = (cond: Code, ...body: Code[]): Code =>
  block(loop(brIf(1, eqz(cond)), ...body, br(0)));

// ------------------------------------------------------------------ modules

/** A function of the module: its signature counts (all i32), locals past the parameters, body. */
interface FunctionEntry {
  readonly type: number;
  readonly locals: number;
  readonly body: Code;
}

/**
 * Writes one module: an optional imported memory, imported functions, defined functions (every
 * parameter, local and result an i32) and the functions' exports. Function indices count the
 * imported ones first, as the format does: import every function before defining any.
 */
export class ModuleWriter {
  readonly #types: string[] = [];
  readonly #imports: number[][] = [];
  readonly #functions: FunctionEntry[] = [];
  readonly #exports: number[][] = [];
  #importedFunctions = 0;
  #importedGlobals = 0;

  #type(params: number, results: number): number {
    if (results > 1) throw new RangeError("a function returns at most one value");
    const key = `${params}:${results}`;
    let index = this.#types.indexOf(key);
    if (index < 0) index = this.#types.push(key) - 1;
    return index;
  }

  /** Imports a memory of at least `minimumPages` pages, with no maximum (any size matches). */
  importMemory(module: string, field: string, minimumPages = 0): void {
    this.#imports.push([...name(module), ...name(field), 0x02, 0x00, ...uleb(minimumPages)]);
  }

  /**
   * Imports an i32 global (a `WebAssembly.Global` of `{ value: "i32", mutable }`); returns its
   * index, for {@link globalGet}.
   */
  importGlobal(module: string, field: string, mutable = true): number {
    this.#imports.push([...name(module), ...name(field), 0x03, I32, mutable ? 0x01 : 0x00]);
    return this.#importedGlobals++;
  }

  /** Imports a function of `params` i32s returning `results` (0 or 1) i32; returns its index. */
  importFunction(module: string, field: string, params: number, results: number): number {
    if (this.#functions.length > 0) throw new Error("import every function before defining one");
    const type = this.#type(params, results);
    this.#imports.push([...name(module), ...name(field), 0x00, ...uleb(type)]);
    return this.#importedFunctions++;
  }

  /**
   * Defines a function (its index is returned, so that others can call it before its body is
   * known: pass `body` later through {@link define}) and exports it under `exportName` if given.
   */
  declare(params: number, results: number, exportName?: string): number {
    const index = this.#importedFunctions + this.#functions.length;
    this.#functions.push({ type: this.#type(params, results), locals: 0, body: [] });
    if (exportName !== undefined) this.#exports.push([...name(exportName), 0x00, ...uleb(index)]);
    return index;
  }

  /** Gives a declared function its body and the number of locals past its parameters. */
  define(index: number, locals: number, body: Code): void {
    const at = index - this.#importedFunctions;
    const entry = this.#functions[at];
    if (entry === undefined) throw new RangeError(`no defined function ${index}`);
    this.#functions[at] = { type: entry.type, locals, body };
  }

  /** The module's bytes. */
  bytes(): Uint8Array {
    const section = (id: number, entries: number[][]): number[] => {
      if (entries.length === 0) return [];
      const content = [...uleb(entries.length), ...entries.flat()];
      return [id, ...uleb(content.length), ...content];
    };
    const types = this.#types.map((key) => {
      const [params, results] = key.split(":").map(Number) as [number, number];
      return [
        0x60,
        ...uleb(params),
        ...new Array<number>(params).fill(I32),
        ...uleb(results),
        ...new Array<number>(results).fill(I32),
      ];
    });
    const code = this.#functions.map((f) => {
      const body = [...(f.locals > 0 ? [1, ...uleb(f.locals), I32] : [0]), ...f.body, 0x0b];
      return [...uleb(body.length), ...body];
    });
    return new Uint8Array([
      0x00,
      0x61,
      0x73,
      0x6d,
      0x01,
      0x00,
      0x00,
      0x00,
      ...section(1, types),
      ...section(2, this.#imports),
      ...section(
        3,
        this.#functions.map((f) => uleb(f.type)),
      ),
      ...section(7, this.#exports),
      ...section(10, code),
    ]);
  }
}
