import {
  FreeStore,
  Memory,
  MemoryPageSource,
  ObjectSpace,
  TypeFlags,
  TypeRegistry,
} from "@mm/heap";
import { RefCounter } from "./src/index.js";

for (const mode of ["free", "nofree", "free", "nofree"]) {
  const memory = new Memory({ maximumBytes: 1 << 30 });
  memory.grow(256 << 20);
  memory.u8.fill(0);
  const space = new ObjectSpace(new FreeStore(new MemoryPageSource(memory)), new TypeRegistry());
  let rc!: RefCounter;
  const tuple = space.types.register({
    name: "tuple",
    basicSize: 24,
    itemSize: 8,
    flags: TypeFlags.Gc,
    traverse: (o, v, a) => v(memory.u32[(o + 24) >>> 2]!, a),
    dealloc: (o) => {
      const item = memory.u32[(o + 24) >>> 2]!;
      if (item !== 0) rc.decref(item);
    },
  });
  rc = new RefCounter(
    space,
    mode === "nofree"
      ? {
          hooks: {
            free: (o) => {
              space.retire(o);
            },
          },
        }
      : {},
  );
  let head = 0;
  for (let i = 0; i < 1_000_000; i++) {
    const t = space.allocate(tuple.id, 1);
    memory.u32[(t + 24) >>> 2] = head;
    head = t;
  }
  const t0 = performance.now();
  rc.decref(head);
  console.log(mode, (performance.now() - t0).toFixed(1));
}
