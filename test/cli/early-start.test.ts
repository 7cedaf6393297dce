// `render <dir>` and `check <dir>` start Helm from bin/bbmesh.js's small early bundle before the CLI
// loads. The early runs must be the ones the render takes (no call twice) and change nothing it prints:
// the same commands with --debug, which never start early, print the same.
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { INTEGRATED, mutatedCopy } from '../check/helpers.js';
import { cli, ROOT, tempCopy, tempDir } from '../helpers/pkg.js';

const dir = tempDir();
const log = join(dir, 'helm.log');
const helm = join(dir, 'helm');
writeFileSync(helm, `#!/bin/sh\necho "$*" >> '${log}'\nexec '${join(ROOT, '.tools', 'bin', 'helm')}' "$@"\n`);
chmodSync(helm, 0o755);

/** The command's output and the `helm template` calls it made (release name and branch). */
function traced(args: string[]): { code: number; stdout: string; templates: string[] } {
  writeFileSync(log, '');
  const r = cli(args, { env: { HELM_BIN: helm } });
  const templates = readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('template '))
    .map((l) => `${l.split(' ')[1]}${/istio\.enabled=(true|false)/.exec(l)?.[0].replace('istio.enabled=', ' istio=') ?? ''}`);
  return { code: r.code, stdout: r.stdout, templates: templates.sort() };
}

test('render <dir> started early calls Helm twice and prints what the late path prints', () => {
  const pkg = tempCopy();
  const early = traced(['render', pkg]);
  const late = traced(['render', pkg, '--debug']);
  assert.equal(early.code, 0);
  assert.deepEqual(early.templates, ['bigbang-podinfo', 'podinfo-podinfo']);
  assert.deepEqual(late.templates, early.templates);
  assert.equal(early.stdout, late.stdout);
});

test('check <dir> started early: two stage-1 calls, three stage-2 calls (on, off, the probe), the same report', () => {
  const pkg = mutatedCopy(
    [{ file: 'chart/values.yaml', from: '    - podinfo.{{ .Values.domain }}', to: '    - podinfo.bigbang.dev' }],
    INTEGRATED,
  );
  try {
    const early = traced(['check', pkg.dir, '-o', 'json']);
    const late = traced(['check', pkg.dir, '-o', 'json', '--debug']);
    assert.equal(early.code, 1, 'the hard-coded host is a finding');
    assert.deepEqual(early.templates, [
      'bigbang-podinfo istio=false',
      'bigbang-podinfo istio=true',
      'podinfo-podinfo',
      'podinfo-podinfo',
      'podinfo-podinfo',
    ]);
    assert.deepEqual(late.templates, early.templates);
    assert.equal(early.stdout, late.stdout);
    assert.match(early.stdout, /"code": "BB007"/);
  } finally {
    pkg.cleanup();
  }
});
