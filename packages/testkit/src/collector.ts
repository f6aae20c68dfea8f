// A model-based property of a garbage collector: random create, link, unlink, root, drop-root,
// collect and freeze sequences against a plain graph that knows which objects the program can
// still reach. The collector is seen only through CollectorSystem, so any collector (reference
// counting, tracing, generational, a user's own) can be checked by writing a small adapter.

import fc from "fast-check";
import { propertyParameters, type RunOptions } from "./parameters.js";
import { expectThat, ModelViolation } from "./violation.js";

/**
 * A collector and the program around it, reduced to what the property needs. `O` is a handle
 * to an object: any value usable as a `Map` key that is never handed out twice while a system
 * lives (over a heap that reuses addresses, give out handles with {@link AddressHandles}).
 *
 * Collections run only inside {@link CollectorSystem.collect | collect} and
 * {@link CollectorSystem.create | create} (an automatic collection, as CPython's run when an
 * allocation crosses a threshold), or at the very end of another command: the property compares
 * the collector with the graph as the command left it.
 */
export interface CollectorSystem<O = number> {
  /**
   * A new object with empty reference slots (at least the `slots` of the options), held by one
   * root reference of the program. An automatic collection may run first.
   */
  create(): O;
  /** Stores a reference to `to` in slot `slot` of `from`, replacing the one there. */
  link(from: O, slot: number, to: O): void;
  /** Empties slot `slot` of `from` (it may already be empty). */
  unlink(from: O, slot: number): void;
  /** The program takes one more root reference to `object` (a local, a global). */
  addRoot(object: O): void;
  /** The program drops one of its root references to `object`. */
  dropRoot(object: O): void;
  /**
   * Collects generation `generation` and the younger ones, or everything when it is
   * `undefined` (a full collection). A collector without generations ignores the argument.
   */
  collect(generation?: number): void;
  /** Whether `object` has not been freed. */
  isLive(object: O): boolean;
  /**
   * How many full collections have run, explicit or automatic. Without it only explicit full
   * collections are checked for exactness.
   */
  fullCollections?(): number;
  /**
   * Moves every object that exists now out of reach of the collector until `unfreeze`
   * (CPython's `gc.freeze`). Implement both or neither.
   */
  freeze?(): void;
  /** Gives the frozen objects back to the collector (CPython's `gc.unfreeze`). */
  unfreeze?(): void;
  /** Checks the system's own invariants after every command, throwing when one is broken. */
  verify?(): void;
}

/** Options of {@link collectorModelProperty} and {@link assertCollectorModel}. */
export interface CollectorModelOptions extends RunOptions {
  /**
   * Reference slots the commands use in each object.
   * @defaultValue `4`
   */
  readonly slots?: number;
  /**
   * The collector's generations: the commands also run `collect(g)` for each `g` below the
   * oldest, and check only safety after those.
   * @defaultValue `1`
   */
  readonly generations?: number;
  /**
   * Longest command sequence.
   * @defaultValue `60`
   */
  readonly maxCommands?: number;
}

/** The collector's model: the object graph as the program built it, and its roots. */
export interface CollectorModel<O = number> {
  /** Objects not yet freed, in creation order, each with its slots (`undefined`: empty). */
  readonly nodes: Map<O, Array<O | undefined>>;
  /** The program's root references, one entry each (an object may appear several times). */
  readonly roots: O[];
  /** Objects frozen and not yet unfrozen. */
  readonly frozen: Set<O>;
  /** The full collections counted so far. */
  fullCollections: number;
}

/** What the collector's commands act on. */
export interface CollectorReal<O = number> {
  /** The system under test. */
  readonly system: CollectorSystem<O>;
}

type Cmd<O> = fc.Command<CollectorModel<O>, CollectorReal<O>>;

function reachableFrom<O>(model: CollectorModel<O>, starts: Iterable<O>): Set<O> {
  const seen = new Set<O>();
  const stack = [...starts];
  while (stack.length > 0) {
    const o = stack.pop() as O;
    if (seen.has(o)) continue;
    const slots = model.nodes.get(o);
    if (slots === undefined) continue;
    seen.add(o);
    for (const child of slots) if (child !== undefined) stack.push(child);
  }
  return seen;
}

/** What the program can reach (only such objects are ever picked), in creation order. */
function reachable<O>(model: Readonly<CollectorModel<O>>): O[] {
  const seen = reachableFrom(model, model.roots);
  return [...model.nodes.keys()].filter((o) => seen.has(o));
}

const name = (o: unknown) => `object ${String(o)}`;

/** How the program reaches `target`: "root 1, 1[0] = 3, 3[2] = 7" (breadth first: shortest). */
function pathTo<O>(model: CollectorModel<O>, target: O): string {
  const via = new Map<O, [O, number] | null>();
  const queue: O[] = [];
  for (const root of model.roots) {
    if (!via.has(root)) {
      via.set(root, null);
      queue.push(root);
    }
  }
  for (let i = 0; i < queue.length && !via.has(target); i++) {
    const o = queue[i] as O;
    model.nodes.get(o)?.forEach((child, slot) => {
      if (child !== undefined && !via.has(child) && model.nodes.has(child)) {
        via.set(child, [o, slot]);
        queue.push(child);
      }
    });
  }
  const steps: string[] = [];
  for (let o = target, step = via.get(o); step !== undefined; ) {
    if (step === null) {
      steps.unshift(`root ${String(o)}`);
      break;
    }
    const [parent, slot] = step;
    steps.unshift(`${String(parent)}[${slot}] = ${String(o)}`);
    o = parent;
    step = via.get(o);
  }
  return steps.join(", ");
}

/**
 * Compares the system with the model after a command. Safety: no object the program can reach
 * from its roots has been freed. The freed objects then leave the model (an unreachable object
 * may keep a reference to one of them: nothing can follow it). Exactness, when a full
 * collection ran during the command: every object left is reachable from the roots or from a
 * frozen object.
 */
function settle<O>(model: CollectorModel<O>, system: CollectorSystem<O>, full: boolean): void {
  const freed = new Set<O>();
  for (const o of model.nodes.keys()) if (!system.isLive(o)) freed.add(o);
  if (freed.size > 0) {
    for (const o of reachableFrom(model, model.roots)) {
      expectThat(
        !freed.has(o),
        () => `${name(o)} was freed while the program can reach it: ${pathTo(model, o)}`,
      );
    }
  }
  for (const o of freed) {
    model.nodes.delete(o);
    model.frozen.delete(o);
  }
  system.verify?.();
  const counted = system.fullCollections?.() ?? model.fullCollections;
  if (counted !== model.fullCollections) {
    model.fullCollections = counted;
    full = true;
  }
  if (!full) return;
  const kept = reachableFrom(model, [...model.roots, ...model.frozen]);
  for (const o of model.nodes.keys()) {
    expectThat(
      kept.has(o),
      () =>
        `${name(o)} is unreachable but survived a full collection${model.frozen.size > 0 ? " (nor is it reachable from a frozen object)" : ""}`,
    );
  }
}

function step<O>(
  label: string,
  check: (model: Readonly<CollectorModel<O>>) => boolean,
  run: (model: CollectorModel<O>, system: CollectorSystem<O>) => boolean | undefined,
): Cmd<O> {
  return {
    check,
    run(model, real) {
      const full = run(model, real.system) === true;
      settle(model, real.system, full);
    },
    toString: () => label,
  };
}

/** `#k`: the k-th reachable object (in creation order), k taken modulo their number. */
function pick<O>(model: Readonly<CollectorModel<O>>, k: number): O {
  const objects = reachable(model);
  return objects[k % objects.length] as O;
}

const hasRoots = <O>(model: Readonly<CollectorModel<O>>) => model.roots.length > 0;

/**
 * The commands, each followed by the safety check (and the exactness check after a full
 * collection). In their names `#k` is the k-th object the program can reach, in creation order.
 * @param capabilities `freeze`: also generate `freeze()` and `unfreeze()` (the system has both)
 */
export function collectorCommands<O>(
  options: CollectorModelOptions = {},
  capabilities: { readonly freeze: boolean } = { freeze: false },
): fc.Arbitrary<Iterable<fc.Command<CollectorModel<O>, CollectorReal<O>>>> {
  const canFreeze = capabilities.freeze;
  const slots = options.slots ?? 4;
  const generations = options.generations ?? 1;
  if (!Number.isInteger(slots) || slots < 1) {
    throw new RangeError(`slots must be a positive integer, got ${slots}`);
  }
  if (!Number.isInteger(generations) || generations < 1) {
    throw new RangeError(`generations must be a positive integer, got ${generations}`);
  }
  const slot = fc.integer({ min: 0, max: slots - 1 });
  // Picks are small, so that they shrink to small numbers that a reader can follow.
  const k = fc.nat({ max: 31 });
  const create = step<O>(
    "create()",
    () => true,
    (model, system) => {
      const o = system.create();
      // An automatic collection inside create may have freed objects: settle them first, so
      // that the new handle is checked against the objects still live.
      settle(model, system, false);
      expectThat(!model.nodes.has(o), () => `create() returned ${name(o)}, which is still live`);
      expectThat(system.isLive(o), () => `create() returned ${name(o)}, which is not live`);
      model.nodes.set(o, Array<O | undefined>(slots).fill(undefined));
      model.roots.push(o);
      return undefined;
    },
  );
  const list: Array<fc.Arbitrary<Cmd<O>>> = [
    fc.constant(create),
    fc.constant(create),
    fc.tuple(k, slot, k).map(([f, s, t]) =>
      step<O>(`link(#${f}.${s} = #${t})`, hasRoots, (model, system) => {
        const from = pick(model, f);
        const to = pick(model, t);
        system.link(from, s, to);
        model.nodes.get(from)![s] = to;
        return undefined;
      }),
    ),
    fc.tuple(k, slot).map(([f, s]) =>
      step<O>(`unlink(#${f}.${s})`, hasRoots, (model, system) => {
        const from = pick(model, f);
        system.unlink(from, s);
        model.nodes.get(from)![s] = undefined;
        return undefined;
      }),
    ),
    k.map((k) =>
      step<O>(`addRoot(#${k})`, hasRoots, (model, system) => {
        const o = pick(model, k);
        system.addRoot(o);
        model.roots.push(o);
        return undefined;
      }),
    ),
    k.map((k) =>
      step<O>(`dropRoot(root ${k})`, hasRoots, (model, system) => {
        const [o] = model.roots.splice(k % model.roots.length, 1) as [O];
        system.dropRoot(o);
        return undefined;
      }),
    ),
    fc.constant(
      step<O>(
        "collect()",
        () => true,
        (_model, system) => {
          system.collect();
          return true;
        },
      ),
    ),
  ];
  if (generations > 1) {
    list.push(
      fc.integer({ min: 0, max: generations - 2 }).map((g) =>
        step<O>(
          `collect(${g})`,
          () => true,
          (_model, system) => {
            system.collect(g);
            return undefined;
          },
        ),
      ),
    );
  }
  if (canFreeze) {
    list.push(
      fc.constant(
        step<O>(
          "freeze()",
          () => true,
          (model, system) => {
            system.freeze!();
            for (const o of model.nodes.keys()) model.frozen.add(o);
            return undefined;
          },
        ),
      ),
      fc.constant(
        step<O>(
          "unfreeze()",
          () => true,
          (model, system) => {
            system.unfreeze!();
            model.frozen.clear();
            return undefined;
          },
        ),
      ),
    );
  }
  return fc.commands(list, { maxCommands: options.maxCommands ?? 60, size: "max" });
}

/**
 * The property. After every command, safety: no object the program can reach has been freed,
 * and no live object refers to a freed one. After every full collection (an explicit
 * `collect()`, or any that `fullCollections` counts), exactness: every object that is neither
 * reachable from the program's roots nor from a frozen object has been freed. At the end of
 * each sequence the program unfreezes, drops every root and collects: nothing may survive.
 *
 * What is not checked: when objects die between collections (reference counting may free them
 * at once, a tracing collector later; both are correct), the order of frees, and anything
 * after a partial collection `collect(g)` but safety.
 *
 * Pass it to `fc.assert` with your own parameters, or call {@link assertCollectorModel}.
 * @param makeSystem a fresh system, with no objects, for each command sequence (and once more,
 * up front, to see whether it has `freeze` and `unfreeze`)
 * @throws TypeError when the system has one of `freeze` and `unfreeze` without the other.
 * @throws RangeError when `slots` or `generations` is not a positive integer.
 */
export function collectorModelProperty<O>(
  makeSystem: () => CollectorSystem<O>,
  options: CollectorModelOptions = {},
): fc.IPropertyWithHooks<[Iterable<fc.Command<CollectorModel<O>, CollectorReal<O>>>]> {
  const probe = makeSystem();
  const canFreeze = typeof probe.freeze === "function" && typeof probe.unfreeze === "function";
  if (!canFreeze && (probe.freeze !== undefined || probe.unfreeze !== undefined)) {
    throw new TypeError("a CollectorSystem implements both freeze and unfreeze, or neither");
  }
  return fc.property(collectorCommands<O>(options, { freeze: canFreeze }), (commands) => {
    const system = makeSystem();
    const model: CollectorModel<O> = {
      nodes: new Map(),
      roots: [],
      frozen: new Set(),
      fullCollections: system.fullCollections?.() ?? 0,
    };
    fc.modelRun(() => ({ model, real: { system } }), commands);
    if (canFreeze) system.unfreeze!();
    model.frozen.clear();
    for (const o of model.roots.splice(0)) system.dropRoot(o);
    system.collect();
    settle(model, system, true);
    if (model.nodes.size > 0) {
      throw new ModelViolation(`after the end of the program ${model.nodes.size} objects survive`);
    }
  });
}

/**
 * Checks {@link collectorModelProperty} over `options.runs` command sequences (default 100,
 * scaled by `MM_FC_RUNS`), from `MM_FC_SEED` or `options.seed` when set.
 * @throws Error fast-check's report (the seed, the shrunk command sequence and the
 * {@link ModelViolation} or the system's own error) when a sequence breaks the property.
 */
export function assertCollectorModel<O>(
  makeSystem: () => CollectorSystem<O>,
  options: CollectorModelOptions = {},
): void {
  fc.assert(collectorModelProperty(makeSystem, options), propertyParameters(options));
}

/**
 * Handles for an adapter over a heap that reuses addresses. Each new object gets a fresh
 * handle; a handle dies when its object is freed, which the adapter learns in either of two
 * ways: from the heap (`isLiveAddress`, asked whenever the property asks) or from the
 * collector's free hook (call {@link AddressHandles.freed}). When an allocation returns the
 * address of an object that had a handle, that object was freed in between (by a collection
 * inside the allocation, say) and its handle dies too.
 */
export class AddressHandles {
  #next = 1;
  readonly #byAddress = new Map<number, number>();
  readonly #byHandle = new Map<number, number>();
  readonly #isLiveAddress: (address: number) => boolean;

  /**
   * @param isLiveAddress whether an object lives at `address` (for example an `ObjectSpace`'s
   * `isLive`); without it, only {@link AddressHandles.freed} ends a handle.
   */
  constructor(isLiveAddress: (address: number) => boolean = () => true) {
    this.#isLiveAddress = isLiveAddress;
  }

  /** A fresh handle for the object just allocated at `address`. */
  add(address: number): number {
    this.freed(address);
    const handle = this.#next++;
    this.#byAddress.set(address, handle);
    this.#byHandle.set(handle, address);
    return handle;
  }

  /** Records that the object at `address` was freed (call it from the collector's free hook). */
  freed(address: number): void {
    const handle = this.#byAddress.get(address);
    if (handle === undefined) return;
    this.#byAddress.delete(address);
    this.#byHandle.delete(handle);
  }

  /**
   * The address of a live object.
   * @throws ModelViolation when the object has been freed.
   */
  address(handle: number): number {
    const address = this.#byHandle.get(handle);
    if (address === undefined || !this.#isLiveAddress(address)) {
      throw new ModelViolation(`${name(handle)} is used after its free`);
    }
    return address;
  }

  /** The handle of the live object at `address`, or `undefined`. */
  handleAt(address: number): number | undefined {
    return this.#isLiveAddress(address) ? this.#byAddress.get(address) : undefined;
  }

  /** Whether the object of `handle` has not been freed. */
  isLive(handle: number): boolean {
    const address = this.#byHandle.get(handle);
    return address !== undefined && this.#isLiveAddress(address);
  }
}
