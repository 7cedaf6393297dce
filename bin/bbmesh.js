#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/bundle/ (npm run build), one chunk per command.
import('../dist/bundle/main.js')
  .then((m) => m.main(process.argv.slice(2)))
  .catch((err) => {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/bundle/main.js')) {
      process.stderr.write('bbmesh: not built yet; run `npm run build` (or `npm run setup`) first\n');
      process.exit(2);
    }
    throw err;
  });
