// `verify --snapshot`: the same checks from a dump (fixtures/snapshot-*.yaml: package, platform
// objects and pod statuses, as `kubectl get ... -A -o yaml` writes them), step 12 cannot-check.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifySnapshot } from '../../src/live/index.js';
import type { VerifyReport } from '../../src/live/index.js';
import { parseSnapshot } from '../../src/live/snapshot.js';
import { UserError } from '../../src/errors.js';
import { verifyCli } from './helpers/cli.js';

const fixture = (f: string) => fileURLToPath(new URL(`./fixtures/${f}`, import.meta.url));
const statuses = (r: VerifyReport) => Object.fromEntries(r.steps.map((s) => [s.step, s.status]));

describe('verifySnapshot', () => {
  test('a healthy bb2 dump: steps 5-11 pass, 12 cannot-check', async () => {
    const r = await verifySnapshot(fixture('snapshot-bb2.yaml'), { packageName: 'podinfo' });
    assert.deepEqual(statuses(r), { 5: 'pass', 7: 'pass', 8: 'pass', 9: 'pass', 10: 'pass', 11: 'pass', 12: 'cannot-check' });
    assert.equal(r.source.kind, 'snapshot');
    assert.equal(r.layout, 'bb2');
    assert.equal(r.package.host, 'podinfo.bigbang.dev');
    assert.equal(r.package.hostSource, 'virtualservice');
    assert.match(r.steps.at(-1)!.details[0], /a snapshot cannot answer HTTPS requests/);
    assert.match(r.steps.at(-1)!.fix!, /curl -sL --resolve podinfo\.bigbang\.dev:443:<ingress-ip> https:\/\/podinfo\.bigbang\.dev\//);
    assert.equal(r.ok, true);
    assert.deepEqual(r.findings, []);
  });

  test('a bb3 dump is detected as bb3', async () => {
    const r = await verifySnapshot(fixture('snapshot-bb3.yaml'), { packageName: 'podinfo' });
    assert.equal(r.layout, 'bb3');
    assert.deepEqual(statuses(r), { 5: 'pass', 7: 'pass', 8: 'pass', 9: 'pass', 10: 'pass', 11: 'pass', 12: 'cannot-check' });
  });

  test('the same dump as JSON (kubectl -o json) gives the same result', async () => {
    const manifests = parseSnapshot(readFileSync(fixture('snapshot-bb2.yaml'), 'utf8'), 'x');
    const dir = mkdtempSync(join(tmpdir(), 'bbmesh-snap-'));
    const f = join(dir, 'cluster.json');
    writeFileSync(f, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: manifests.map((m) => m.obj) }, null, 2));
    const r = await verifySnapshot(f, { packageName: 'podinfo' });
    assert.deepEqual(statuses(r), { 5: 'pass', 7: 'pass', 8: 'pass', 9: 'pass', 10: 'pass', 11: 'pass', 12: 'cannot-check' });
  });

  test('a broken dump: each problem is found; a kind absent from the dump is cannot-check', async () => {
    const r = await verifySnapshot(fixture('snapshot-broken.yaml'), { packageName: 'podinfo' });
    assert.deepEqual(statuses(r), { 5: 'fail', 7: 'cannot-check', 8: 'fail', 9: 'cannot-check', 10: 'fail', 11: 'fail', 12: 'cannot-check' });
    const step = (n: number) => r.steps.find((s) => s.step === n)!;
    assert.match(step(5).details.join('\n'), /CrashLoopBackOff/);
    assert.match(step(7).details.join('\n'), /the snapshot holds no Secret objects: istio-system\/public-cert was not dumped/);
    assert.match(step(8).details.join('\n'), /EXTERNAL-IP <pending>/);
    assert.match(step(10).details.join('\n'), /has no port 8080/);
    assert.match(step(11).fix!, /kubectl rollout restart -n podinfo deployment\/podinfo-podinfo/);
    assert.equal(r.ok, false);
  });

  test('bad input: missing file, malformed YAML are UserErrors', async () => {
    await assert.rejects(verifySnapshot('/nonexistent/cluster.yaml', { packageName: 'podinfo' }), UserError);
    const dir = mkdtempSync(join(tmpdir(), 'bbmesh-snap-'));
    const f = join(dir, 'bad.yaml');
    writeFileSync(f, 'apiVersion: v1\nkind: List\nitems: [\n');
    await assert.rejects(verifySnapshot(f, { packageName: 'podinfo' }), (e: any) => e instanceof UserError && e.file === f);
  });
});

describe('bbmesh verify --snapshot (CLI)', () => {
  test('text output, exit 0', async () => {
    const r = await verifyCli(['--snapshot', fixture('snapshot-bb2.yaml'), '--package', 'podinfo']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^✓ {2}7 TLS certificate in secret istio-system\/public-cert$/m);
    assert.match(r.stdout, /^\? 12 HTTPS request to https:\/\/podinfo\.bigbang\.dev\/ \(cannot check\)$/m);
    assert.match(r.stdout, /6 passed, 1 could not be checked/);
  });

  test('a failing dump exits 1; json and junit formats', async () => {
    const text = await verifyCli(['--snapshot', fixture('snapshot-broken.yaml'), '--package', 'podinfo']);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^✗ 11 istio-proxy sidecar in every podinfo pod$/m);
    assert.match(text.stdout, /^ {5}fix: kubectl rollout restart -n podinfo deployment\/podinfo-podinfo$/m);
    const json = await verifyCli(['--snapshot', fixture('snapshot-broken.yaml'), '--package', 'podinfo', '--format', 'json']);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout);
    assert.equal(report.schemaVersion, 1);
    assert.deepEqual(report.steps.map((s: any) => s.step), [5, 7, 8, 9, 10, 11, 12]);
    assert.deepEqual(report.findings, []);
    const junit = await verifyCli(['--snapshot', fixture('snapshot-broken.yaml'), '--package', 'podinfo', '--format', 'junit']);
    assert.equal(junit.code, 1);
    assert.match(junit.stdout, /<testsuite name="bbmesh verify podinfo" tests="7" failures="4" errors="0" skipped="3"/);
    assert.match(junit.stdout, /<skipped message="cannot check: a snapshot cannot answer HTTPS requests"\/>/);
  });

  test('bad input exits 2 with one line', async () => {
    for (const args of [
      ['--snapshot', '/nonexistent.yaml', '--package', 'podinfo'],
      ['--snapshot', fixture('snapshot-bb2.yaml'), '--package', 'podinfo', '--wait', '10m'],
      ['--snapshot', fixture('snapshot-bb2.yaml'), '--package', 'podinfo', '--format', 'xml'],
      ['--snapshot', fixture('snapshot-bb2.yaml'), '--package', 'podinfo', '--layout', 'bb4'],
      ['--snapshot', fixture('snapshot-bb2.yaml'), '--package', 'podinfo', '--ca', '/nonexistent.pem'],
      ['--snapshot', fixture('snapshot-bb2.yaml'), '--package', 'podinfo', '--ca', fixture('fixture-ca.crt'), '--insecure'],
      ['--snapshot', fixture('snapshot-bb2.yaml')],
      ['--package', 'podinfo', '--wait', 'soon'],
      ['--package', 'podinfo', '--kubeconfig', '/nonexistent/config'],
    ]) {
      const r = await verifyCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^bbmesh: .+\n$/, args.join(' '));
      assert.equal(r.stdout, '');
    }
  });
});
