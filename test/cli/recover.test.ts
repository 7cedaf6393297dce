// An integrate interrupted in a package leaves a journal in <pkg>/.bbmesh/tx-*: render, check, trace and
// diagram settle it before they read the package. One still being written (its process alive) or
// changed since stops them with exit 2 naming the directory; one whose process is gone is rolled back,
// said on stderr, and the command goes on with the package as it was.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { validJson } from '../helpers/cli.js';
import { cli, ROOT, tempCopy } from '../helpers/pkg.js';
import { deadPid, snapshot, stopAt } from '../integrate/helpers.js';

const skip = !existsSync(join(ROOT, 'dist', 'bundle', 'main.js')) && 'npm run build first';

test('an interrupted integrate: exit 2 while it runs or after a hand edit, rolled back once its process is gone', { skip }, async () => {
  const dir = tempCopy();
  const before = snapshot(dir);
  await stopAt(dir, 'rename bigbang/values.yaml');
  for (const args of [
    ['check', dir],
    ['render', dir],
    ['trace', 'https://podinfo.bigbang.dev/', dir],
    ['diagram', dir, '-o', 'json'],
  ]) {
    const r = cli(args);
    assert.equal(r.code, 2, `${args[0]}: ${r.stdout}${r.stderr}`);
    assert.equal(
      r.stderr,
      `bbmesh: ${dir}: another bbmesh integrate (pid ${process.pid}) is writing this package (.bbmesh/${readdirSync(join(dir, '.bbmesh'))[0]}); wait for it to end\n`,
    );
    assert.equal(r.stdout, '');
  }

  // Its process gone, and a file it wrote edited by hand since: nothing is touched, exit 2.
  const name = readdirSync(join(dir, '.bbmesh'))[0];
  renameSync(join(dir, '.bbmesh', name), join(dir, '.bbmesh', name.replace(/^tx-\d+-/, `tx-${deadPid()}-`)));
  const hr = join(dir, 'bigbang/templates/podinfo/helmrelease.yaml');
  const written = readFileSync(hr);
  writeFileSync(hr, written.toString() + '# edited after the crash\n');
  const conflict = cli(['check', dir]);
  assert.equal(conflict.code, 2);
  assert.match(
    conflict.stderr,
    new RegExp(`^bbmesh: ${dir}: an interrupted bbmesh integrate \\(.bbmesh/tx-\\d+-\\w+\\) cannot be rolled back: `),
  );
  assert.match(readFileSync(hr, 'utf8'), /edited after the crash/);

  // As integrate wrote it again: rolled back, said on stderr, and the check runs on the package as it was.
  writeFileSync(hr, written);
  const r = cli(['check', dir, '-o', 'json']);
  assert.match(
    r.stderr,
    new RegExp(`^bbmesh: ${dir}: an interrupted bbmesh integrate \\(.bbmesh/tx-\\d+-\\w+\\) was rolled back: .* restored`),
  );
  assert.equal(r.code, 1, 'the example before integrate has findings');
  const findings = (validJson('check', r.stdout) as { findings: Array<{ code: string }> }).findings;
  assert.ok(findings.some((f) => f.code === 'BB006'));
  assert.equal(existsSync(join(dir, '.bbmesh')), false);
  assert.deepEqual(snapshot(dir), before);
  const again = cli(['render', dir]);
  assert.equal(again.code, 0);
  assert.equal(again.stderr, '', 'nothing left to settle');
});
