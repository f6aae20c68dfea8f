// How every published @mm package is built: one ESM entry point, its .d.ts, source maps.
// Each package passes these options to its own tsup's `defineConfig`.

/**
 * The tsup options of a published @mm package, built from `src/index.ts`.
 * @param {import("tsup").Options} [overrides] settings that differ for one package
 * @returns {import("tsup").Options}
 */
export function mmLibrary(overrides = {}) {
  return {
    entry: ["src/index.ts"],
    format: ["esm"],
    target: "node20",
    // The workspace's tsconfig maps @mm/* to sources for typechecking; a declaration build
    // must resolve them to the packages' own published types instead.
    dts: { compilerOptions: { paths: {} } },
    sourcemap: true,
    clean: true,
    treeshake: true,
    ...overrides,
  };
}
