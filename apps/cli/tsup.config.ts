import { defineConfig } from "tsup";

// One executable ESM file; the @mm packages stay imports of their own builds (dependencies).
export default defineConfig({
  entry: { mm: "src/mm.ts" },
  format: ["esm"],
  target: "node20",
  platform: "node",
  banner: { js: "#!/usr/bin/env node" },
  splitting: false,
  clean: true,
  treeshake: true,
});
