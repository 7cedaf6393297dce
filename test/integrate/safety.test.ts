// Idempotence, dry-run, atomicity, byte preservation, containment and the git dirty check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffLines } from 'diff';
import { integratePackage } from '../../src/integrate/index.js';
import { UserError } from '../../src/core/errors.js';
import { copyPackage, find, FIXTURES, PODINFO, render, snapshot } from './helpers.js';

test('idempotence: a second run changes nothing; --force regenerates the VirtualService', async () => {
  const dir = copyPackage(PODINFO);
  await integratePackage(dir);
  const after = snapshot(dir);
  const again = await integratePackage(dir);
  assert.equal(again.alreadyIntegrated, true);
  assert.equal(again.written, false);
  assert.equal(again.diff, '');
  assert.ok(again.steps.every((s) => s.status === 'present'));
  assert.deepEqual(snapshot(dir), after);
  const forced = await integratePackage(dir, { force: true });
  assert.equal(forced.alreadyIntegrated, true, '--force on an unchanged template writes nothing');
  const vs = join(dir, 'chart/templates/bigbang/virtualservice.yaml');
  writeFileSync(vs, readFileSync(vs, 'utf8').replace('networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'));
  assert.equal((await integratePackage(dir)).alreadyIntegrated, true, 'without --force a hand edit is kept');
  const r = await integratePackage(dir, { force: true });
  assert.deepEqual(r.files, [{ path: 'chart/templates/bigbang/virtualservice.yaml', action: 'modify' }]);
  assert.deepEqual(snapshot(dir), after);
});

test('dry-run prints a unified diff and writes nothing', async () => {
  const dir = copyPackage(join(FIXTURES, 'echo'));
  const before = snapshot(dir);
  const r = await integratePackage(dir, { dryRun: true });
  assert.equal(r.written, false);
  assert.deepEqual(snapshot(dir), before);
  assert.equal(existsSync(join(dir, 'bigbang')), false);
  assert.match(r.diff, /^--- \/dev\/null\n\+\+\+ b\/bigbang\/Chart\.yaml\n/m);
  assert.match(r.diff, /^\+ {4}istio-injection: "enabled"$/m);
  assert.match(r.diff, /^--- a\/chart\/values\.yaml\n\+\+\+ b\/chart\/values\.yaml\n@@ /m);
  assert.equal(r.steps.filter((s) => s.status === 'done').length, 7);
});

test('atomicity: a failure while renaming leaves every file (and directory) as it was', async () => {
  const dir = copyPackage(PODINFO);
  const before = snapshot(dir);
  const boom = new Error('disk full (simulated)');
  await assert.rejects(
    integratePackage(dir, {
      hooks: {
        afterRename: (i) => {
          if (i === 3) throw boom;
        },
      },
    }),
    boom,
  );
  assert.deepEqual(snapshot(dir), before);
  assert.equal(existsSync(join(dir, 'chart/templates/bigbang')), false, 'created directory removed');
  // An error in a step (analysis) also writes nothing, even when bigbang/ would be scaffolded.
  const echo = copyPackage(join(FIXTURES, 'echo'));
  const eb = snapshot(echo);
  await assert.rejects(integratePackage(echo, { service: ['a', 'b'] }), UserError);
  await assert.rejects(integratePackage(echo, { service: ['missing'], port: 'x y' }), UserError);
  assert.deepEqual(snapshot(echo), eb);
  assert.equal(existsSync(join(echo, 'bigbang')), false);
  const leftovers = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true, recursive: true })
      .filter((e) => e.name.includes('.bbmesh-'))
      .map((e) => e.name);
  assert.deepEqual(leftovers(dir), []);
});

/** Every change is an addition, except `allowed` changed lines; the rest is byte for byte. */
function assertOnlyAdditions(before: string, after: string, allowed: RegExp[] = []): void {
  const kept: string[] = [];
  for (const part of diffLines(before, after)) {
    if (part.removed) {
      assert.ok(
        part.value
          .split(/\r?\n/)
          .filter(Boolean)
          .every((l) => allowed.some((re) => re.test(l))),
        `unexpected removal: ${JSON.stringify(part.value)}`,
      );
      kept.push(part.value);
    } else if (!part.added) kept.push(part.value);
  }
  assert.equal(kept.join(''), before);
}

test('byte preservation: comments, odd indentation and CRLF endings are kept outside the edited blocks', async () => {
  const dir = copyPackage(PODINFO);
  const files = [
    'bigbang/values.yaml',
    'bigbang/templates/podinfo/namespace.yaml',
    'bigbang/templates/podinfo/values.yaml',
    'bigbang/templates/podinfo/helmrelease.yaml',
    'chart/values.yaml',
  ];
  // CRLF everywhere, a comment and odd spacing in chart/values.yaml, no final newline in bigbang/values.yaml.
  for (const f of files) {
    const p = join(dir, f);
    let t = readFileSync(p, 'utf8');
    if (f === 'chart/values.yaml') t = t.replace('replicaCount: 1', 'replicaCount:    1   # odd spacing kept\n   # an indented comment');
    if (f === 'bigbang/values.yaml') t = t.replace(/\n$/, '');
    writeFileSync(p, t.replace(/\n/g, '\r\n'));
  }
  const before = new Map(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
  await integratePackage(dir);
  for (const f of files) {
    const after = readFileSync(join(dir, f), 'utf8');
    assert.notEqual(after, before.get(f), `${f} edited`);
    assert.doesNotMatch(after, /[^\r]\n/, `${f}: every line ends with CRLF`);
    assertOnlyAdditions(before.get(f)!, after, f === 'bigbang/values.yaml' ? [/^ {2}postRenderers: \[\]$/] : []);
  }
  const ms = await render(dir, ['istio.enabled=true']);
  assert.equal(find(ms, 'VirtualService').length, 1);
  assert.equal((await integratePackage(dir)).alreadyIntegrated, true);
});

test('byte preservation on the other fixtures: only additions, except the or-ed outer condition', async () => {
  for (const [name, opts, allowed] of [
    ['whoami', {}, [/^ {2}\{\{- if \.Values\.monitoring\.enabled \}\}$/]],
    ['dashboard', { service: ['ui', 'api'] }, []],
  ] as const) {
    const dir = copyPackage(join(FIXTURES, name));
    const before = snapshot(dir);
    await integratePackage(dir, opts);
    const after = snapshot(dir);
    for (const [f, text] of before) assertOnlyAdditions(text, after.get(f)!, [...allowed]);
  }
});

test('an existing istio-injection label (enabled, disabled or a ternary) is respected', async () => {
  for (const label of [
    'istio-injection: enabled',
    'istio-injection: "disabled"',
    'istio-injection: {{ ternary "enabled" "disabled" (and .Values.istio.enabled (eq (dig "istio" "injection" "enabled" .Values.podinfo) "enabled")) }}',
  ]) {
    const dir = copyPackage(PODINFO);
    const f = join(dir, 'bigbang/templates/podinfo/namespace.yaml');
    const t = readFileSync(f, 'utf8').replace('    {{- include "commonLabels"', `    ${label}\n    {{- include "commonLabels"`);
    writeFileSync(f, t);
    const r = await integratePackage(dir);
    assert.equal(r.steps[1].status, 'present');
    assert.equal(readFileSync(f, 'utf8'), t);
    const ms = await render(dir, ['istio.enabled=true']);
    assert.equal(find(ms, 'Namespace').length, 1);
  }
});

test('never writes outside the package directory through a symlink', async () => {
  const dir = copyPackage(PODINFO);
  const outside = mkdtempSync(join(tmpdir(), 'bbmesh-outside-'));
  try {
    const target = join(outside, 'values.yaml');
    writeFileSync(target, readFileSync(join(dir, 'bigbang/values.yaml')));
    unlinkSync(join(dir, 'bigbang/values.yaml'));
    symlinkSync(target, join(dir, 'bigbang/values.yaml'));
    const before = snapshot(dir);
    const outBefore = readFileSync(target, 'utf8');
    await assert.rejects(
      integratePackage(dir),
      (err: unknown) => err instanceof UserError && /outside the package directory/.test(err.message),
    );
    assert.deepEqual(snapshot(dir), before);
    assert.equal(readFileSync(target, 'utf8'), outBefore);
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});

test('in a git work tree, uncommitted changes in files to edit stop it unless allowDirty', async () => {
  const dir = copyPackage(PODINFO);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, stdio: 'pipe' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'init');
  writeFileSync(join(dir, 'chart/values.yaml'), readFileSync(join(dir, 'chart/values.yaml'), 'utf8') + '# local edit\n');
  writeFileSync(join(dir, 'unrelated.txt'), 'x\n');
  const before = snapshot(dir);
  await assert.rejects(
    integratePackage(dir),
    (err: unknown) =>
      err instanceof UserError && err.message === 'uncommitted changes in chart/values.yaml' && /--allow-dirty/.test(err.hint ?? ''),
  );
  assert.deepEqual(snapshot(dir), before);
  assert.equal((await integratePackage(dir, { dryRun: true })).written, false, 'dry-run is always allowed');
  const r = await integratePackage(dir, { allowDirty: true });
  assert.equal(r.written, true);
});
