// The release cascade in WebAssembly: the reference counter's in-place deaths (the kinds whose
// types have a release plan: lists, tuples, instances and their values arrays, dicts and key
// tables, classes with __slots__) run as a module over the heap's memory instead of the
// counter's JavaScript loops. It unlinks a dying object from its GC list, drops its fields and
// items in the plan's order (each slot zeroed first), and a referent whose count reaches zero
// dies the same way, nested, in the order the counter's loops reach it. What it does not do
// itself it calls out for, at the moment the loops would have: every free (the counter's free
// hook: the object layer's free function, which keeps the counts, the free lists, the
// allocators and tracemalloc as they are), and every death that is no in-place one (a
// finalizer, weak references, a type without a plan, the trashcan's depth), which goes to the
// counter's own deallocation. So every block is freed at the same moment and in the same order
// as on the JavaScript path, with the same statistics.
//
// The plans are a copy of the counter's release table in a side table of the memory
// (`Memory.addSideTable`), copied again whenever the counter rebuilds its table; a type the
// copy does not have yet (registered since) is released by the counter's own loops. The copy's
// place moves up as the memory grows: the module reads it through imported globals that the
// side table's `placed` sets.

import { type Memory, type SideTable, wasm } from "@mm/heap";
import type { InPlaceReleaseAccess } from "@mm/refcount";

const {
  add,
  and,
  call,
  eqz,
  geU,
  get,
  globalGet,
  gtS,
  gtU,
  i32,
  load,
  ltU,
  ModuleWriter,
  mul,
  ne,
  ret,
  seq,
  set,
  shl,
  store,
  sub,
  when,
  whileLoop,
} = wasm;

/** Types the copy of the release table has room for (sixteen int32s each). */
const TYPES = 512;
/** Offsets of fields past a type's second that the copy has room for. */
const MORE = 2048;
/** The side table's bytes: the records, then the further offsets. */
const TABLE_BYTES = TYPES * 64 + MORE * 4;

/** Header offsets and flag bits (@mm/heap's), as the counter's loops use them. */
const OB_FLAGS = 4;
const OB_TYPE = 8;
const OB_WEAKLIST = 12;
const GC_NEXT = -16;
const GC_PREV = -8;
const IMMORTAL = 1;
const GC_HEAD = 4;
const MARKS = 8 | 16;
const RELEASES_FIELDS = 32;

/** A type's record: int32 offsets in it (the counter's layout). */
const R_COUNT = 0;
const R_FIELD0 = 4;
const R_FIELD1 = 8;
const R_MORE = 12;
const R_ITEMS = 20;
const R_ITEMS_COUNT = 24;
const R_ITEMS_BLOCK = 28;
const R_ITEMS_FIRST = 32;
const R_ITEMS_STRIDE = 36;
const R_LEAF = 40;

/** The module's exports. */
interface KernelExports {
  /** The in-place death of `object` (count 0), with `depth` deallocations on the stack. */
  release(object: number, flags: number, depth: number, mask: number): void;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: KernelExports };
  Global: new (descriptor: { value: "i32"; mutable: boolean }, value: number) => { value: number };
}

const WebAssemblyApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** The compiled module, by the trashcan's depth it was written for. */
const modules = new Map<number, object>();

/** The module for a counter whose trashcan defers deaths from `trashcanDepth` on. */
function kernelModule(api: WasmApi, trashcanDepth: number): object {
  let module = modules.get(trashcanDepth);
  if (module === undefined) {
    module = new api.Module(kernelBytes(trashcanDepth));
    modules.set(trashcanDepth, module);
  }
  return module;
}

/** The module's bytes. */
function kernelBytes(trashcanDepth: number): Uint8Array {
  const w = new ModuleWriter();
  w.importMemory("env", "memory", 0);
  const byModel = w.importFunction("env", "byModel", 2, 0);
  const body = w.importFunction("env", "body", 3, 0);
  const free = w.importFunction("env", "free", 1, 0);
  const underflow = w.importFunction("env", "underflow", 1, 0);
  const G_RECORDS = w.importGlobal("env", "records");
  const G_MORE = w.importGlobal("env", "more");
  const G_TYPES = w.importGlobal("env", "types");
  const release = w.declare(4, 0, "release");
  const drop = w.declare(3, 0);
  const fields = w.declare(4, 0);
  const pointers = w.declare(4, 0);

  // drop(ref 0, depth 1, mask 2): Py_DECREF of a reference a slot held; at zero, the death.
  // Locals: 3 flags, 4 count.
  w.define(
    drop,
    2,
    seq(
      set(3, load(get(0), OB_FLAGS)),
      when(ne(and(get(3), i32(IMMORTAL)), i32(0)), ret()),
      set(4, load(get(0))),
      when(gtU(get(4), i32(1)), seq(store(get(0), sub(get(4), i32(1))), ret())),
      when(eqz(get(4)), seq(call(underflow, get(0)), ret())),
      store(get(0), i32(0)),
      // In place when its flags allow it, it has no weak references and the trashcan allows.
      when(
        and(
          and(ne(and(get(3), get(2)), i32(0)), eqz(load(get(0), OB_WEAKLIST))),
          ltU(get(1), i32(trashcanDepth)),
        ),
        call(release, get(0), get(3), get(1), get(2)),
        call(byModel, get(0), get(1)),
      ),
    ),
  );

  // release(o 0, flags 1, depth 2, mask 3): unlink, drops, free. Locals: 4 next, 5 prev, 6 type,
  // 7 record, 8 leaf.
  w.define(
    release,
    5,
    seq(
      when(
        ne(and(get(1), i32(GC_HEAD)), i32(0)),
        seq(
          set(4, load(get(0), GC_NEXT)),
          when(
            ne(get(4), i32(0)),
            seq(
              set(5, load(get(0), GC_PREV)),
              store(get(5), get(4), GC_NEXT),
              store(get(4), get(5), GC_PREV),
              store(get(0), i32(0), GC_NEXT),
              when(
                ne(and(get(1), i32(MARKS)), i32(0)),
                store(get(0), and(get(1), i32(~MARKS)), OB_FLAGS),
              ),
            ),
          ),
        ),
      ),
      set(6, load(get(0), OB_TYPE)),
      when(
        geU(get(6), globalGet(G_TYPES)),
        // A type registered since the copy: the counter's own loops.
        call(body, get(0), get(1), get(2)),
        when(
          ne(and(get(1), i32(RELEASES_FIELDS)), i32(0)),
          call(fields, get(0), get(6), add(get(2), i32(1)), get(3)),
          seq(
            set(7, add(globalGet(G_RECORDS), shl(get(6), i32(6)))),
            set(8, load(get(7), R_LEAF)),
            when(
              eqz(get(8)),
              call(pointers, get(0), get(6), add(get(2), i32(1)), get(3)),
              when(
                and(gtS(get(8), i32(0)), ne(load(add(get(0), get(8)), -1), i32(0))),
                call(pointers, get(0), get(6), add(get(2), i32(1)), get(3)),
              ),
            ),
          ),
        ),
      ),
      call(free, get(0)),
    ),
  );

  // fields(o 0, type 1, depth 2, mask 3): Py_CLEAR of each field in order. Locals: 4 record,
  // 5 count, 6 field1, 7 more, 8 at, 9 ref, 10 end.
  const clearAt = (at: number, ref: number, depth: number, mask: number) =>
    seq(
      set(ref, load(get(at))),
      when(
        ne(get(ref), i32(0)),
        seq(store(get(at), i32(0)), call(drop, get(ref), get(depth), get(mask))),
      ),
    );
  // The fields after the first, for a record of more than one (locals as in `fields`, which
  // `pointers` shares): the second field's slot, then each further offset of the copy.
  const laterFields = seq(
    set(8, add(get(0), get(6))),
    clearAt(8, 9, 2, 3),
    set(10, add(get(7), sub(get(5), i32(2)))),
    whileLoop(
      ltU(get(7), get(10)),
      // The offsets are read where the copy is now: a death may have grown the memory.
      set(8, add(get(0), load(add(globalGet(G_MORE), shl(get(7), i32(2)))))),
      clearAt(8, 9, 2, 3),
      set(7, add(get(7), i32(1))),
    ),
  );
  w.define(
    fields,
    7,
    seq(
      set(4, add(globalGet(G_RECORDS), shl(get(1), i32(6)))),
      set(5, load(get(4), R_COUNT)),
      set(6, load(get(4), R_FIELD1)),
      set(7, load(get(4), R_MORE)),
      // The first field's slot, read as the counter reads it (offset 0, the count, for none).
      set(8, add(get(0), load(get(4), R_FIELD0))),
      clearAt(8, 9, 2, 3),
      when(gtS(get(5), i32(1)), laterFields),
    ),
  );

  // pointers(o 0, type 1, depth 2, mask 3): each field, then each item of the run. Locals:
  // 4 record, 5 count, 6 field1, 7 more, 8 at, 9 ref, 10 end, 11 mode, 12 base, 13 n,
  // 14 first, 15 stride, 16 k.
  w.define(
    pointers,
    13,
    seq(
      set(4, add(globalGet(G_RECORDS), shl(get(1), i32(6)))),
      set(5, load(get(4), R_COUNT)),
      // The run's words, read before any drop (a death may move the copy): fields first.
      set(11, load(get(4), R_ITEMS)),
      when(
        ne(get(11), i32(0)),
        seq(
          set(14, load(get(4), R_ITEMS_FIRST)),
          set(15, load(get(4), R_ITEMS_STRIDE)),
          set(13, load(get(4), R_ITEMS_COUNT)),
          set(12, load(get(4), R_ITEMS_BLOCK)),
        ),
      ),
      when(
        gtS(get(5), i32(0)),
        seq(
          set(6, load(get(4), R_FIELD1)),
          set(7, load(get(4), R_MORE)),
          set(8, add(get(0), load(get(4), R_FIELD0))),
          clearAt(8, 9, 2, 3),
          when(gtS(get(5), i32(1)), laterFields),
        ),
      ),
      when(eqz(get(11)), ret()),
      // The run's base: the object, or the block that holds the items (none: nothing to drop).
      when(
        ne(and(get(11), i32(2)), i32(0)),
        seq(set(12, load(add(get(0), get(12)))), when(eqz(get(12)), ret())),
        set(12, get(0)),
      ),
      // The count: in the block or in the object; read once, as the counter reads it.
      set(13, load(add(when2(ne(and(get(11), i32(4)), i32(0)), get(12), get(0)), get(13)))),
      set(14, add(get(12), get(14))),
      when(
        ne(and(get(11), i32(8)), i32(0)),
        // Last to first.
        whileLoop(
          ne(get(13), i32(0)),
          set(13, sub(get(13), i32(1))),
          set(8, add(get(14), mul(get(15), get(13)))),
          clearAt(8, 9, 2, 3),
        ),
        seq(
          set(16, i32(0)),
          whileLoop(
            ltU(get(16), get(13)),
            set(8, add(get(14), mul(get(15), get(16)))),
            clearAt(8, 9, 2, 3),
            set(16, add(get(16), i32(1))),
          ),
        ),
      ),
    ),
  );
  return w.bytes();
}

/** `cond ? a : b` as a value (WebAssembly's select evaluates both: both are plain loads here). */
function when2(cond: wasm.Code, a: wasm.Code, b: wasm.Code): wasm.Code {
  return wasm.select(a, b, cond);
}

/**
 * The reference counter's in-place deaths in WebAssembly over the heap's memory: made over a
 * counter's {@link InPlaceReleaseAccess} and the memory its object space lives in, it takes
 * them over while {@link ReleaseKernel.enabled}. Nothing observable differs from the counter's
 * own loops (see the module's comment); only where the work runs.
 */
export class ReleaseKernel implements SideTable {
  readonly #access: InPlaceReleaseAccess;
  readonly #memory: Memory;
  readonly #records: { value: number };
  readonly #more: { value: number };
  readonly #types: { value: number };
  readonly #release: (object: number, flags: number, depth: number) => void;
  /** The counter's table the copy was made from. */
  #copied: Int32Array | undefined = undefined;
  #enabled = false;

  readonly #api: WasmApi;
  /** The free function the module's instance calls (the counter's hook by object, or its `free`). */
  #boundFree: ((object: number) => void) | undefined = undefined;
  #kernel: (object: number, flags: number, depth: number, mask: number) => void = () => {};

  private constructor(access: InPlaceReleaseAccess, memory: Memory, api: WasmApi) {
    this.#access = access;
    this.#memory = memory;
    this.#api = api;
    this.#records = new api.Global({ value: "i32", mutable: true }, 0);
    this.#more = new api.Global({ value: "i32", mutable: true }, 0);
    this.#types = new api.Global({ value: "i32", mutable: true }, 0);
    this.#instantiate(access.freeByObject);
    this.#release = (object, flags, depth) => {
      if (access.records !== this.#copied) this.#copy();
      // The counter's hook changes when an observer comes or goes: the module then calls the
      // new one, without a hop through the counter.
      const free = access.freeByObject;
      if (free !== this.#boundFree) this.#instantiate(free);
      this.#kernel(object, flags, depth, access.inPlaceMask);
    };
  }

  /** An instance of the module that frees through `free` (the counter's `free` if undefined). */
  #instantiate(free: ((object: number) => void) | undefined): void {
    const access = this.#access;
    this.#boundFree = free;
    const instance = new this.#api.Instance(kernelModule(this.#api, access.trashcanDepth), {
      env: {
        memory: this.#memory.wasmMemory,
        byModel: (object: number, depth: number) => access.deallocateByModel(object, depth),
        body: (object: number, flags: number, depth: number) =>
          access.releaseBody(object, flags, depth),
        // The hook bound here, unless it was set again during the call (a finalizer that added
        // an observer, say): then the counter's current one, as its own loops would call.
        free:
          free === undefined
            ? (object: number) => access.free(object)
            : (object: number) => {
                if (access.freeByObject === free) free(object);
                else access.free(object);
              },
        underflow: (object: number) => access.underflow(object),
        records: this.#records,
        more: this.#more,
        types: this.#types,
      },
    });
    this.#kernel = instance.exports.release;
  }

  /**
   * A kernel over `access`, the counter of an object space in `memory`, or undefined where it
   * cannot be: no WebAssembly, a memory that is no `WebAssembly.Memory` or hosts no side tables,
   * or no room for its table.
   */
  static create(access: InPlaceReleaseAccess, memory: Memory): ReleaseKernel | undefined {
    if (WebAssemblyApi === undefined || memory.wasmMemory === undefined) return undefined;
    const kernel = new ReleaseKernel(access, memory, WebAssemblyApi);
    return memory.addSideTable(kernel) ? kernel : undefined;
  }

  /** Whether the counter's in-place deaths go through the kernel (else its JavaScript loops). */
  get enabled(): boolean {
    return this.#enabled;
  }

  set enabled(on: boolean) {
    this.#enabled = on;
    this.#access.kernel = on ? this.#release : undefined;
  }

  /** {@link SideTable.bytesFor}: a fixed table. */
  bytesFor(_heapBytes: number): number {
    return TABLE_BYTES;
  }

  /** {@link SideTable.placed}: the module reads the copy where it now is. */
  placed(_buffer: ArrayBuffer, byteOffset: number, _bytes: number): void {
    this.#records.value = byteOffset;
    this.#more.value = byteOffset + TYPES * 64;
  }

  /** Copies the counter's table into the side table (the types it has room for). */
  #copy(): void {
    const records = this.#access.records;
    const more = this.#access.more;
    this.#copied = records;
    const at = this.#records.value;
    // The view of the storage: the side table lies past the heap part's views.
    const storage = new Int32Array(this.#memory.buffer, at, TABLE_BYTES >>> 2);
    storage.fill(0);
    const types = more.length > MORE ? 0 : Math.min(records.length >>> 4, TYPES);
    storage.set(records.subarray(0, types << 4));
    if (types > 0) storage.set(more, TYPES << 4);
    this.#types.value = types;
  }
}
