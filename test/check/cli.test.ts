// `bbmesh check` through the CLI entry (TypeScript sources via tsx): exit codes 0/1/2,
// formats, stdin, usage errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { INTEGRATED } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const run = (args: string[], input?: string) =>
  spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', `import(${JSON.stringify(MAIN)}).then((m) => m.main(process.argv.slice(1)))`, ...args],
    { encoding: 'utf8', input, env: { ...process.env, NO_COLOR: '1' }, cwd: ROOT },
  );

test('the un-integrated example: findings, exit 1', () => {
  const r = run(['check', 'examples/podinfo']);
  assert.equal(r.status, 1, r.stderr);
  for (const code of ['BB001', 'BB002', 'BB004', 'BB006']) assert.match(r.stdout, new RegExp(`\\b${code}\\b`));
  assert.match(r.stdout, /rendered with Istio enabled and disabled\.\n/);
});

test('the integrated package: exit 0; --fail-on error with only warnings: exit 0', () => {
  const r = run(['check', INTEGRATED]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^No findings/m);
  const w = run(['check', 'examples/podinfo', '--fail-on', 'error', '--ignore', 'BB006,MESH013']);
  assert.equal(w.status, 0, w.stdout);
});

test('stdin and json', () => {
  const rendered = run(['render', INTEGRATED]).stdout;
  const r = run(['check', '-', '--format', 'json'], rendered.replace('number: 9898', 'number: 9899'));
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.schemaVersion, 1);
  assert.equal(doc.input.kind, 'manifests');
  assert.ok(doc.rules.skipped.includes('BB001'));
  assert.equal(r.status, doc.findings.some((f: any) => f.severity !== 'info') ? 1 : 0);
});

test('usage errors exit 2 with one line', () => {
  for (const args of [
    ['check'],
    ['check', 'examples/podinfo', '--format', 'xml'],
    ['check', 'examples/podinfo', '--ignore', 'NOPE1'],
    ['check', 'no/such/dir'],
    ['check', 'examples/podinfo', '--layout', 'bb9'],
  ]) {
    const r = run(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /^bbmesh: /);
  }
});

test('help lists the flags, the default fail-on and examples', () => {
  const r = run(['check', '--help']);
  assert.equal(r.status, 0);
  for (const s of [
    '[inputs...]',
    '-f, --values <file>',
    '--set-string',
    '-n, --namespace',
    '--layout',
    '-o, --output <format>',
    '--fail-on',
    'default: warning',
    '--ignore',
    '--no-platform',
    'Examples:',
  ])
    assert.ok(r.stdout.includes(s), s);
});
