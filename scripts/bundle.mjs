// Bundles the CLI into dist/bundle/ with code splitting: one file per command loaded on
// demand, so `bbmesh render` starts Helm after loading a few kilobytes, not the whole tool.
import { build } from 'esbuild';

const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  logLevel: 'warning',
  banner: {
    js: "import { createRequire as __bbmeshCreateRequire } from 'node:module'; const require = __bbmeshCreateRequire(import.meta.url);",
  },
};

await build({
  ...common,
  entryPoints: { main: 'src/cli/main.ts' },
  chunkNames: 'chunk-[hash]',
  outdir: 'dist/bundle',
  splitting: true,
  // the Kubernetes client is big and only `verify` needs it: load it from node_modules
  external: ['@kubernetes/client-node'],
});

// Stage 1 of `render <dir>` / `check <dir>`, started by bin/bbmesh.js from one small file while the CLI
// loads (src/sources/render/early.ts); it shares its runs with the CLI's copy of the module.
await build({ ...common, entryPoints: { early: 'src/sources/render/early.ts' }, outdir: 'dist/bundle', splitting: false });
