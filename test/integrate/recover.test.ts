// recoverTransactions: what a later command does with a transaction an integrate left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { integratePackage, recoverTransactions } from '../../src/integrate/index.js';
import { UserError } from '../../src/core/errors.js';
import { copyPackage, deadPid, PODINFO, snapshot, stopAt } from './helpers.js';

test('a transaction whose process lives is left alone; one changed since is not rolled back over the change', async () => {
  const dir = copyPackage(PODINFO);
  const before = snapshot(dir);
  await stopAt(dir, 'rename bigbang/values.yaml');
  const [live] = recoverTransactions(dir);
  assert.equal(live.outcome, 'in-progress');
  assert.match(live.message, new RegExp(`another bbmesh integrate \\(pid ${process.pid}\\) is writing this package`));
  await assert.rejects(integratePackage(dir), /another bbmesh integrate/);

  // Its process gone, and a renamed file edited by hand since: neither state, so nothing is touched.
  const name = readdirSync(join(dir, '.bbmesh'))[0];
  const moved = name.replace(/^tx-\d+-/, `tx-${deadPid()}-`);
  renameSync(join(dir, '.bbmesh', name), join(dir, '.bbmesh', moved));
  const hr = join(dir, 'bigbang/templates/podinfo/helmrelease.yaml');
  const written = readFileSync(hr);
  writeFileSync(hr, written.toString() + '# edited after the crash\n');
  const [conflict] = recoverTransactions(dir);
  assert.equal(conflict.outcome, 'conflict');
  assert.deepEqual(conflict.files, ['bigbang/templates/podinfo/helmrelease.yaml']);
  assert.match(conflict.message, /cannot be rolled back: bigbang\/templates\/podinfo\/helmrelease\.yaml changed since/);
  assert.match(readFileSync(hr, 'utf8'), /edited after the crash/, 'the hand edit is kept');
  await assert.rejects(integratePackage(dir), /cannot be rolled back/);

  // Put back as integrate wrote it: the rollback restores every file, byte for byte.
  writeFileSync(hr, written);
  const [done] = recoverTransactions(dir);
  assert.equal(done.outcome, 'rolled-back');
  assert.deepEqual(done.files, [
    'bigbang/templates/podinfo/helmrelease.yaml',
    'bigbang/templates/podinfo/namespace.yaml',
    'bigbang/templates/podinfo/values.yaml',
    'bigbang/values.yaml',
  ]);
  assert.deepEqual(snapshot(dir), before);
  assert.equal(existsSync(join(dir, '.bbmesh')), false);
  assert.deepEqual(recoverTransactions(dir), []);
});

test('integrate itself settles what it finds first, and reports it', async () => {
  const dir = copyPackage(PODINFO);
  await stopAt(dir, 'stage chart/values.yaml');
  const name = readdirSync(join(dir, '.bbmesh'))[0];
  renameSync(join(dir, '.bbmesh', name), join(dir, '.bbmesh', name.replace(/^tx-\d+-/, `tx-${deadPid()}-`)));
  const r = await integratePackage(dir);
  assert.deepEqual(
    r.recovered.map((t) => t.outcome),
    ['discarded'],
  );
  assert.equal(r.written, true);
  assert.equal(existsSync(join(dir, '.bbmesh')), false);
});

test('a file-system fault during the commit: rolled back, reported with the path and the reason', async () => {
  const dir = copyPackage(PODINFO);
  const before = snapshot(dir);
  const full = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC', path: join(dir, 'chart/values.yaml') });
  await assert.rejects(
    integratePackage(dir, {
      hooks: {
        point: (_n, label) => {
          if (label === 'rename bigbang/values.yaml') throw full;
        },
      },
    }),
    (err: unknown) =>
      err instanceof UserError &&
      err.message === 'cannot write chart/values.yaml: no space left on the device (ENOSPC); nothing of the package changed',
  );
  assert.deepEqual(snapshot(dir), before);
  assert.equal(existsSync(join(dir, '.bbmesh')), false);
});
