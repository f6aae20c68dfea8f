// The `match` statement's code (PEP 634), generated as CPython 3.11's compiler_match and
// compiler_pattern_* do: the subject stays on the stack while a case is tried, each pattern
// leaves the values it captures on the stack below what it still needs, and the names are
// stored only once the whole pattern has matched; a failed pattern jumps to a chain of POP_TOPs
// that drops exactly what it left (the `fail_pop` blocks). So the references a match holds, and
// the tuples MATCH_CLASS and MATCH_KEYS allocate, are CPython's.

import type * as A from "../syntax/ast.js";
import type { CodeConstant } from "./code.js";
import { BinaryOp, CompareOp, Op } from "./opcodes.js";

/** A jump target of the compiler. */
export interface MatchLabel {
  at: number;
}

/** What the match code generation needs of the compiler (its current unit's primitives). */
export interface MatchEmitter {
  emit(op: Op, arg?: number): void;
  jump(op: Op, target: MatchLabel): void;
  place(label: MatchLabel): void;
  label(): MatchLabel;
  loadConst(value: CodeConstant): void;
  buildTuple(n: number): void;
  expr(e: A.Expr): void;
  store(name: string, at: A.Span): void;
  jumpIf(test: A.Expr, target: MatchLabel, cond: boolean): void;
  stmts(body: readonly A.Stmt[]): void;
  at(at: A.Span): void;
  error(message: string, at: A.Span): never;
}

/** compile.c's pattern_context. */
interface Context {
  /** The names captured so far, in the order their values lie on the stack. */
  stores: string[];
  allowIrrefutable: boolean;
  /** failPop[n]: where a failure with n values to drop goes. */
  failPop: MatchLabel[];
  /** Items above the captured values that the pattern still needs. */
  onTop: number;
}

function isWildcard(p: A.Pattern): boolean {
  return p.kind === "MatchAs" && p.pattern === null && p.name === null;
}

function isStarWildcard(p: A.Pattern): boolean {
  return p.kind === "MatchStar" && p.name === null;
}

/** Generates a `match` statement's code. */
export function compileMatch(s: A.Match, em: MatchEmitter): void {
  new MatchCompiler(swapOptimizing(em)).match(s);
}

/**
 * The fewest SWAPs that permute the stack as `args` (a run of SWAP arguments) do, in CPython
 * 3.11's order (its flowgraph optimizer's `swaptimize`).
 */
export function swaptimize(args: readonly number[]): number[] {
  if (args.length < 2) return [...args];
  const depth = Math.max(...args);
  const stack = Array.from({ length: depth }, (_, i) => i);
  for (const a of args) {
    const top = stack[0]!;
    stack[0] = stack[a - 1]!;
    stack[a - 1] = top;
  }
  const VISITED = -1;
  const out: number[] = [];
  for (let i = 0; i < depth; i++) {
    if (stack[i] === VISITED || stack[i] === i) continue;
    let j = i;
    for (;;) {
      if (j) out.push(j + 1);
      if (stack[j] === VISITED) break;
      const next = stack[j]!;
      stack[j] = VISITED;
      j = next;
    }
  }
  // Built from the run's end backwards.
  return out.reverse();
}

/** The emitter with runs of SWAPs held back and emitted as {@link swaptimize} leaves them. */
function swapOptimizing(em: MatchEmitter): MatchEmitter {
  const pending: number[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    for (const a of swaptimize(pending)) em.emit(Op.SWAP, a);
    pending.length = 0;
  };
  return {
    ...em,
    emit(op, arg = 0) {
      if (op === Op.SWAP) pending.push(arg);
      else {
        flush();
        em.emit(op, arg);
      }
    },
    jump(op, target) {
      flush();
      em.jump(op, target);
    },
    place(label) {
      flush();
      em.place(label);
    },
    loadConst(value) {
      flush();
      em.loadConst(value);
    },
    buildTuple(n) {
      flush();
      em.buildTuple(n);
    },
    expr(e) {
      flush();
      em.expr(e);
    },
    store(name, at) {
      flush();
      em.store(name, at);
    },
    jumpIf(test, target, cond) {
      flush();
      em.jumpIf(test, target, cond);
    },
    stmts(body) {
      flush();
      em.stmts(body);
    },
  };
}

class MatchCompiler {
  readonly #em: MatchEmitter;
  #pc: Context = { stores: [], allowIrrefutable: false, failPop: [], onTop: 0 };
  /** The node instructions are marked with now; compile.c reports errors there. */
  #loc: A.Span | null = null;

  constructor(em: MatchEmitter) {
    this.#em = em;
  }

  match(s: A.Match): void {
    const em = this.#em;
    em.expr(s.subject);
    const end = em.label();
    const cases = s.cases.length;
    const last = s.cases[cases - 1]!;
    const hasDefault = isWildcard(last.pattern) && cases > 1;
    for (let i = 0; i < cases - (hasDefault ? 1 : 0); i++) {
      const m = s.cases[i]!;
      this.#at(m.pattern);
      // Only copy the subject if this is not the last case tried.
      if (i !== cases - (hasDefault ? 1 : 0) - 1) em.emit(Op.COPY, 1);
      const pc: Context = {
        stores: [],
        allowIrrefutable: m.guard !== null || i === cases - 1,
        failPop: [],
        onTop: 0,
      };
      this.#pc = pc;
      this.#pattern(m.pattern);
      // A match: store the captured names (their values are on the stack).
      for (const name of pc.stores) em.store(name, m.pattern);
      if (m.guard) {
        this.#ensureFailPop(0);
        em.jumpIf(m.guard, pc.failPop[0]!, false);
      }
      if (i !== cases - (hasDefault ? 1 : 0) - 1) em.emit(Op.POP_TOP);
      em.stmts(m.body);
      em.jump(Op.JUMP, end);
      this.#at(m.pattern);
      this.#emitAndResetFailPop();
    }
    if (hasDefault) {
      this.#at(last.pattern);
      // Shows the default case's line (it has no code of its own).
      em.emit(Op.NOP);
      if (last.guard) em.jumpIf(last.guard, end, false);
      em.stmts(last.body);
    }
    em.place(end);
  }

  #at(at: A.Span): void {
    this.#loc = at;
    this.#em.at(at);
  }

  /** A SyntaxError at the current location, as compiler_error. */
  #error(message: string): never {
    return this.#em.error(message, this.#loc!);
  }

  #ensureFailPop(n: number): void {
    const fp = this.#pc.failPop;
    while (fp.length < n + 1) fp.push(this.#em.label());
  }

  #jumpToFailPop(op: Op): void {
    const pops = this.#pc.onTop + this.#pc.stores.length;
    this.#ensureFailPop(pops);
    this.#em.jump(op, this.#pc.failPop[pops]!);
  }

  #emitAndResetFailPop(): void {
    const fp = this.#pc.failPop;
    if (fp.length === 0) return;
    for (let n = fp.length - 1; n > 0; n--) {
      this.#em.place(fp[n]!);
      this.#em.emit(Op.POP_TOP);
    }
    this.#em.place(fp[0]!);
    this.#pc.failPop = [];
  }

  #rotate(count: number): void {
    for (let c = count; c > 1; c--) this.#em.emit(Op.SWAP, c);
  }

  #storeName(name: string | null): void {
    const pc = this.#pc;
    if (name === null) {
      this.#em.emit(Op.POP_TOP);
      return;
    }
    if (name === "__debug__") this.#error("cannot assign to __debug__");
    if (pc.stores.includes(name)) this.#error(`multiple assignments to name '${name}' in pattern`);
    // Rotate the value under anything still needed.
    this.#rotate(pc.onTop + pc.stores.length + 1);
    pc.stores.push(name);
  }

  #subpattern(p: A.Pattern): void {
    const pc = this.#pc;
    const allow = pc.allowIrrefutable;
    pc.allowIrrefutable = true;
    this.#pattern(p);
    pc.allowIrrefutable = allow;
  }

  #pattern(p: A.Pattern): void {
    this.#at(p);
    switch (p.kind) {
      case "MatchValue":
        this.#value(p);
        return;
      case "MatchSingleton":
        if (p.value === null) {
          // `LOAD_CONST None; IS_OP; POP_JUMP_IF_FALSE`, as the peephole optimizer folds it.
          this.#jumpToFailPop(Op.POP_JUMP_IF_NOT_NONE);
          return;
        }
        this.#em.loadConst(p.value);
        this.#em.emit(Op.IS_OP, 0);
        this.#jumpToFailPop(Op.POP_JUMP_IF_FALSE);
        return;
      case "MatchSequence":
        this.#sequence(p);
        return;
      case "MatchMapping":
        this.#mapping(p);
        return;
      case "MatchClass":
        this.#class(p);
        return;
      case "MatchStar":
        this.#storeName(p.name);
        return;
      case "MatchAs":
        this.#as(p);
        return;
      case "MatchOr":
        this.#or(p);
        return;
    }
  }

  #value(p: A.MatchValue): void {
    const v = p.value;
    if (v.kind !== "Constant" && v.kind !== "Attribute")
      this.#error("patterns may only match literals and attribute lookups");
    this.#em.expr(v);
    this.#em.emit(Op.COMPARE_OP, CompareOp.Eq);
    this.#jumpToFailPop(Op.POP_JUMP_IF_FALSE);
  }

  #as(p: A.MatchAs): void {
    const pc = this.#pc;
    if (p.pattern === null) {
      if (!pc.allowIrrefutable) {
        if (p.name !== null)
          this.#error(`name capture '${p.name}' makes remaining patterns unreachable`);
        this.#error("wildcard makes remaining patterns unreachable");
      }
      this.#storeName(p.name);
      return;
    }
    // A copy to store if the pattern matches.
    pc.onTop++;
    this.#em.emit(Op.COPY, 1);
    this.#pattern(p.pattern);
    pc.onTop--;
    this.#storeName(p.name);
  }

  #unpack(patterns: readonly A.Pattern[]): void {
    const n = patterns.length;
    let seenStar = false;
    for (let i = 0; i < n; i++) {
      if (patterns[i]!.kind !== "MatchStar") continue;
      if (seenStar) this.#error("multiple starred expressions in sequence pattern");
      if (i >= 1 << 8 || n - i - 1 >= 0x7fffffff >> 8)
        this.#error("too many expressions in star-unpacking sequence pattern");
      this.#em.emit(Op.UNPACK_EX, i + ((n - i - 1) << 8));
      seenStar = true;
    }
    if (!seenStar) this.#em.emit(Op.UNPACK_SEQUENCE, n);
  }

  #sequence(p: A.MatchSequence): void {
    const em = this.#em;
    const pc = this.#pc;
    const patterns = p.patterns;
    const size = patterns.length;
    let star = -1;
    let onlyWildcard = true;
    let starWildcard = false;
    for (let i = 0; i < size; i++) {
      const q = patterns[i]!;
      if (q.kind === "MatchStar") {
        if (star >= 0) this.#error("multiple starred names in sequence pattern");
        starWildcard = isStarWildcard(q);
        onlyWildcard &&= starWildcard;
        star = i;
        continue;
      }
      onlyWildcard &&= isWildcard(q);
    }
    // The subject stays on top during the type and length checks.
    pc.onTop++;
    em.emit(Op.MATCH_SEQUENCE);
    this.#jumpToFailPop(Op.POP_JUMP_IF_FALSE);
    if (star < 0) {
      em.emit(Op.GET_LEN);
      em.loadConst(BigInt(size));
      em.emit(Op.COMPARE_OP, CompareOp.Eq);
      this.#jumpToFailPop(Op.POP_JUMP_IF_FALSE);
    } else if (size > 1) {
      em.emit(Op.GET_LEN);
      em.loadConst(BigInt(size - 1));
      em.emit(Op.COMPARE_OP, CompareOp.Ge);
      this.#jumpToFailPop(Op.POP_JUMP_IF_FALSE);
    }
    pc.onTop--;
    if (onlyWildcard) {
      em.emit(Op.POP_TOP);
    } else if (starWildcard) {
      // Items picked by index: no list for the star.
      pc.onTop++;
      for (let i = 0; i < size; i++) {
        const q = patterns[i]!;
        if (isWildcard(q) || i === star) continue;
        em.emit(Op.COPY, 1);
        if (i < star) em.loadConst(BigInt(i));
        else {
          // The subject may not take negative indexes: a nonnegative one is computed.
          em.emit(Op.GET_LEN);
          em.loadConst(BigInt(size - i));
          em.emit(Op.BINARY_OP, BinaryOp.Subtract);
        }
        em.emit(Op.BINARY_SUBSCR);
        this.#subpattern(q);
      }
      pc.onTop--;
      em.emit(Op.POP_TOP);
    } else {
      this.#unpack(patterns);
      pc.onTop += size;
      for (const q of patterns) {
        pc.onTop--;
        this.#subpattern(q);
      }
    }
  }

  #mapping(p: A.MatchMapping): void {
    const em = this.#em;
    const pc = this.#pc;
    const size = p.keys.length;
    pc.onTop++;
    em.emit(Op.MATCH_MAPPING);
    this.#jumpToFailPop(Op.POP_JUMP_IF_FALSE);
    if (size === 0 && p.rest === null) {
      // `{}`: done, the subject popped.
      pc.onTop--;
      em.emit(Op.POP_TOP);
      return;
    }
    if (size > 0) {
      em.emit(Op.GET_LEN);
      em.loadConst(BigInt(size));
      em.emit(Op.COMPARE_OP, CompareOp.Ge);
      this.#jumpToFailPop(Op.POP_JUMP_IF_FALSE);
    }
    const seen: unknown[] = [];
    for (const key of p.keys) {
      if (key.kind === "Constant") {
        const v = key.value;
        if (seen.some((s) => sameKey(s, v)))
          this.#error(`mapping pattern checks duplicate key (${reprKey(v)})`);
        seen.push(v);
      } else if (key.kind !== "Attribute") {
        this.#error("mapping pattern keys may only match literals and attribute lookups");
      }
      em.expr(key);
    }
    this.#at(p);
    em.buildTuple(size);
    em.emit(Op.MATCH_KEYS);
    // A tuple of keys and a tuple of values (or None) now lie on the subject.
    pc.onTop += 2;
    em.emit(Op.COPY, 1);
    this.#jumpToFailPop(Op.POP_JUMP_IF_NONE);
    em.emit(Op.UNPACK_SEQUENCE, size);
    pc.onTop += size - 1;
    for (const q of p.patterns) {
      pc.onTop--;
      this.#subpattern(q);
    }
    pc.onTop -= 2;
    if (p.rest !== null) {
      // rest = dict(subject), then each matched key deleted from it.
      em.emit(Op.BUILD_MAP, 0);
      em.emit(Op.SWAP, 3);
      em.emit(Op.DICT_UPDATE, 2);
      em.emit(Op.UNPACK_SEQUENCE, size);
      for (let n = size; n > 0; n--) {
        em.emit(Op.COPY, 1 + n);
        em.emit(Op.SWAP, 2);
        em.emit(Op.DELETE_SUBSCR);
      }
      this.#storeName(p.rest);
    } else {
      em.emit(Op.POP_TOP);
      em.emit(Op.POP_TOP);
    }
  }

  #class(p: A.MatchClass): void {
    const em = this.#em;
    const pc = this.#pc;
    const nargs = p.patterns.length;
    const nattrs = p.kwdAttrs.length;
    for (let i = 0; i < nattrs; i++) {
      const name = p.kwdAttrs[i]!;
      if (name === "__debug__") this.#error("cannot assign to __debug__");
      if (p.kwdAttrs.indexOf(name) !== i) {
        this.#at(p.kwdPatterns[i]!);
        this.#error(`attribute name repeated in class pattern: ${name}`);
      }
    }
    em.expr(p.cls);
    this.#at(p);
    em.loadConst({ tuple: [...p.kwdAttrs] });
    em.emit(Op.MATCH_CLASS, nargs);
    em.emit(Op.COPY, 1);
    // The tuple of nargs + nattrs attributes, or None.
    pc.onTop++;
    this.#jumpToFailPop(Op.POP_JUMP_IF_NONE);
    em.emit(Op.UNPACK_SEQUENCE, nargs + nattrs);
    pc.onTop += nargs + nattrs - 1;
    for (let i = 0; i < nargs + nattrs; i++) {
      pc.onTop--;
      const q = i < nargs ? p.patterns[i]! : p.kwdPatterns[i - nargs]!;
      if (isWildcard(q)) {
        em.emit(Op.POP_TOP);
        continue;
      }
      this.#subpattern(q);
    }
  }

  #or(p: A.MatchOr): void {
    const em = this.#em;
    const end = em.label();
    const size = p.patterns.length;
    const old = this.#pc;
    let control: string[] | null = null;
    for (let i = 0; i < size; i++) {
      const alt = p.patterns[i]!;
      this.#at(alt);
      const pc: Context = {
        stores: [],
        allowIrrefutable: i === size - 1 && old.allowIrrefutable,
        failPop: [],
        onTop: 0,
      };
      this.#pc = pc;
      em.emit(Op.COPY, 1);
      this.#pattern(alt);
      const nstores = pc.stores.length;
      if (control === null) control = [...pc.stores];
      else if (nstores !== control.length) this.#error("alternative patterns bind different names");
      else if (nstores > 0) {
        // The same names, maybe in another order: the stack reordered to the first's.
        for (let icontrol = nstores - 1; icontrol >= 0; icontrol--) {
          const name = control[icontrol]!;
          const istores = pc.stores.indexOf(name);
          if (istores < 0) this.#error("alternative patterns bind different names");
          if (icontrol !== istores) {
            const rotations = istores + 1;
            const rotated = pc.stores.splice(0, rotations);
            pc.stores.splice(icontrol - istores, 0, ...rotated);
            for (let r = 0; r < rotations; r++) this.#rotate(icontrol + 1);
          }
        }
      }
      em.jump(Op.JUMP, end);
      this.#emitAndResetFailPop();
    }
    this.#pc = old;
    // No alternative matched: the copy of the subject popped, and a failure.
    em.emit(Op.POP_TOP);
    this.#jumpToFailPop(Op.JUMP);
    em.place(end);
    const names = control ?? [];
    const nrots = names.length + 1 + old.onTop + old.stores.length;
    for (const name of names) {
      this.#rotate(nrots);
      if (old.stores.includes(name))
        this.#error(`multiple assignments to name '${name}' in pattern`);
      old.stores.push(name);
    }
    // The copy of the subject popped.
    em.emit(Op.POP_TOP);
  }
}

function sameKey(a: unknown, b: unknown): boolean {
  if (typeof a === "bigint" && typeof b === "number") return Number(a) === b;
  if (typeof b === "bigint" && typeof a === "number") return Number(b) === a;
  if (typeof a === "boolean" && typeof b !== "boolean") return sameKey(a ? 1n : 0n, b);
  if (typeof b === "boolean" && typeof a !== "boolean") return sameKey(a, b ? 1n : 0n);
  if (a instanceof Uint8Array && b instanceof Uint8Array)
    return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

function reprKey(v: unknown): string {
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "string") return `'${v}'`;
  return String(v);
}
