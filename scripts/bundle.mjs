// Bundles the CLI into dist/bundle/ with code splitting: one file per command loaded on
// demand, so `bbmesh render` starts Helm after loading a few kilobytes, not the whole tool.
import { build } from 'esbuild';

await build({
  entryPoints: { main: 'src/cli/main.ts' },
  chunkNames: 'chunk-[hash]',
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  logLevel: 'warning',
  // the Kubernetes client is big and only `verify` needs it: load it from node_modules
  external: ['@kubernetes/client-node'],
  banner: {
    js: "import { createRequire as __bbmeshCreateRequire } from 'node:module'; const require = __bbmeshCreateRequire(import.meta.url);",
  },
});
