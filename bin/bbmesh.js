#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/bundle/ (npm run build), one chunk per command.
const argv = process.argv.slice(2);
// `render <dir>` and `check <dir>` start Helm from one small file while the rest loads (src/sources/render/early.ts).
if (argv[0] === 'render' || argv[0] === 'check')
  import('../dist/bundle/early.js').then(
    (m) => m.startEarly(argv),
    () => undefined,
  );
import('../dist/bundle/main.js')
  .then((m) => m.main(argv))
  .catch((err) => {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/bundle/main.js')) {
      process.stderr.write('bbmesh: not built yet; run `npm run build` (or `npm run setup`) first\n');
      process.exit(2);
    }
    throw err;
  });
