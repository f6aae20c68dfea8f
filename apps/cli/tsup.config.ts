import { defineConfig } from "tsup";

// One executable ESM file. The published @mm packages stay imports of their own builds; the
// workspace's bench-kit ships as TypeScript source, so its seeded random numbers are bundled.
export default defineConfig({
  entry: { mm: "src/mm.ts" },
  format: ["esm"],
  target: "node20",
  platform: "node",
  banner: { js: "#!/usr/bin/env node" },
  noExternal: ["@mm/bench-kit"],
  splitting: false,
  clean: true,
  treeshake: true,
});
