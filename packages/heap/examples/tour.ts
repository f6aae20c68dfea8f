// A short walk through the private heap: run with `pnpm tour` from the repository root.

import {
  DebugAllocator,
  DebugHookError,
  FreeStore,
  hex,
  Memory,
  MemoryPageSource,
} from "../src/index.js";

const memory = new Memory({ maximumBytes: 64 << 20 });
const pages = new MemoryPageSource(memory);
const store = new FreeStore(pages);

console.log("@mm/heap: the private heap");
const blocks = [16, 100, 4096, 100_000].map((size) => {
  const address = store.malloc(size);
  console.log(`  malloc(${size}) = ${hex(address)}  usable ${store.usableSize(address)} bytes`);
  return address;
});
console.log(`  live blocks ${store.stats().liveBlocks}, mapped ${pages.mappedBytes} bytes`);
for (const address of blocks) store.free(address);
store.verify();
console.log(
  `  after free: live blocks ${store.stats().liveBlocks}, mapped ${pages.mappedBytes} bytes`,
);

const debug = new DebugAllocator(store, { api: "o" });
const p = debug.malloc(10);
const around = [...memory.u8.subarray(p - 16, p + 18)].map((b) => b.toString(16).padStart(2, "0"));
console.log(`  debug block of 10 bytes: ${around.join(" ")}`);
memory.u8[p + 10] = 0;
try {
  debug.free(p);
} catch (error) {
  if (!(error instanceof DebugHookError)) throw error;
  console.log(`  one byte past the end: ${error.message}`);
}
