import { defineConfig } from "tsup";

// One executable ESM file with every @mm package bundled in, so that the packed CLI installs
// on its own (`npm pack`, then `npm i -g ./mm-cli-0.0.0.tgz`): it has no dependencies left to
// resolve, and the @mm packages, which are ESM without third-party dependencies of their own,
// cost the bundle nothing a separate install would not. The workspace's bench-kit ships as
// TypeScript source, so its seeded random numbers have to be bundled in any case.
export default defineConfig({
  entry: { mm: "src/mm.ts" },
  format: ["esm"],
  target: "node20",
  platform: "node",
  banner: { js: "#!/usr/bin/env node" },
  noExternal: [/^@mm\//],
  splitting: false,
  clean: true,
  treeshake: true,
});
