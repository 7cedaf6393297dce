// Bytes outside the edited blocks stay exactly as they were, whatever the encoding and the line
// endings; the uncommitted-changes guard follows symlinks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { integratePackage } from '../../src/integrate/index.js';
import { UserError } from '../../src/core/errors.js';
import { copyPackage, find, PODINFO, render } from './helpers.js';

const EDITED = [
  'bigbang/values.yaml',
  'bigbang/templates/podinfo/namespace.yaml',
  'bigbang/templates/podinfo/values.yaml',
  'bigbang/templates/podinfo/helmrelease.yaml',
  'chart/values.yaml',
];

/** `after` holds every byte of `before`, in order (the edits only add). */
function keepsEveryByte(before: Buffer, after: Buffer): boolean {
  let j = 0;
  for (let i = 0; i < after.length && j < before.length; i++) if (after[i] === before[j]) j++;
  return j === before.length;
}

test('a Latin-1 é in a template comment stays the byte 0xE9 (not U+FFFD), and the chart renders', async () => {
  const dir = copyPackage(PODINFO);
  const files = ['bigbang/templates/podinfo/namespace.yaml', 'bigbang/templates/podinfo/helmrelease.yaml'];
  const before = new Map<string, Buffer>();
  for (const f of files) {
    const p = join(dir, f);
    const bytes = Buffer.concat([
      Buffer.from('{{/* maintainer: Ren', 'latin1'),
      Buffer.from([0xe9]),
      Buffer.from(' */}}\n'),
      readFileSync(p),
    ]);
    writeFileSync(p, bytes);
    before.set(f, bytes);
  }
  await integratePackage(dir);
  for (const f of files) {
    const after = readFileSync(join(dir, f));
    assert.notDeepEqual(after, before.get(f), `${f} edited`);
    assert.equal(after.indexOf(Buffer.from([0xef, 0xbf, 0xbd])), -1, `${f}: no replacement character`);
    assert.equal(after.subarray(0, 26).toString('latin1'), before.get(f)!.subarray(0, 26).toString('latin1'));
    assert.ok(keepsEveryByte(before.get(f)!, after), `${f}: every byte kept`);
  }
  const ms = await render(dir, ['istio.enabled=true']);
  assert.equal(find(ms, 'Namespace')[0].obj.metadata!.labels!['istio-injection'], 'enabled');
  assert.equal((await integratePackage(dir)).alreadyIntegrated, true);
});

test('CR-only files get CR lines (no LF inserted), and the chart renders', async () => {
  const dir = copyPackage(PODINFO);
  const before = new Map<string, Buffer>();
  for (const f of EDITED) {
    const p = join(dir, f);
    writeFileSync(p, readFileSync(p, 'utf8').replace(/\n/g, '\r'));
    before.set(f, readFileSync(p));
  }
  await integratePackage(dir);
  for (const f of EDITED) {
    const after = readFileSync(join(dir, f));
    assert.ok(after.length > before.get(f)!.length, `${f} edited`);
    assert.equal(after.indexOf(0x0a), -1, `${f}: no LF`);
    assert.ok(keepsEveryByte(before.get(f)!, after), `${f}: every byte kept`);
  }
  const ms = await render(dir, ['istio.enabled=true']);
  assert.equal(find(ms, 'VirtualService').length, 1);
  assert.equal(find(ms, 'Namespace')[0].obj.metadata!.labels!['istio-injection'], 'enabled');
  assert.equal((await integratePackage(dir)).alreadyIntegrated, true);
});

test('a UTF-8 byte order mark and non-ASCII comments in values.yaml are kept', async () => {
  const dir = copyPackage(PODINFO);
  const p = join(dir, 'chart/values.yaml');
  const before = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# Valeurs par défaut — ünïcode ✓\n'), readFileSync(p)]);
  writeFileSync(p, before);
  await integratePackage(dir);
  const after = readFileSync(p);
  assert.deepEqual(after.subarray(0, 3), Buffer.from([0xef, 0xbb, 0xbf]));
  assert.ok(after.subarray(0, before.length).equals(before), 'the edit only appends to this file');
});

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, stdio: 'pipe' });
}

test('the uncommitted-changes guard follows symlinks: a link to a dirty file, and a file under a linked directory', async () => {
  const dir = copyPackage(PODINFO);
  // chart/values.yaml is a link to shared/podinfo-values.yaml, inside the package.
  mkdirSync(join(dir, 'shared'));
  renameSync(join(dir, 'chart/values.yaml'), join(dir, 'shared/podinfo-values.yaml'));
  symlinkSync('../shared/podinfo-values.yaml', join(dir, 'chart/values.yaml'));
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'init');
  const target = join(dir, 'shared/podinfo-values.yaml');
  writeFileSync(target, readFileSync(target, 'utf8') + '# a local edit\n');
  await assert.rejects(
    integratePackage(dir),
    (err: unknown) => err instanceof UserError && err.message === 'uncommitted changes in chart/values.yaml',
  );
  git(dir, 'commit', '-q', '-am', 'edit');
  const r = await integratePackage(dir);
  assert.equal(r.written, true);
  assert.match(readFileSync(target, 'utf8'), /^istio:/m, 'the edit went to the link target');

  // bigbang/ is a link to a directory: its files are asked about by their real paths.
  const other = copyPackage(PODINFO);
  renameSync(join(other, 'bigbang'), join(other, 'dev-chart'));
  symlinkSync('dev-chart', join(other, 'bigbang'));
  git(other, 'init', '-q');
  git(other, 'add', '-A');
  git(other, 'commit', '-q', '-m', 'init');
  const ns = join(other, 'dev-chart/templates/podinfo/namespace.yaml');
  writeFileSync(ns, readFileSync(ns, 'utf8') + '\n');
  await assert.rejects(integratePackage(other), /uncommitted changes in bigbang\/templates\/podinfo\/namespace\.yaml/);
});
