// `verify --snapshot`: the same checks from a dump (fixtures/snapshot-*.yaml: package, platform
// objects and pod statuses, as `kubectl get ... -A -o yaml` writes them), step 12 cannot-check.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifySnapshot } from '../../src/analysis/verify/index.js';
import type { VerifyReport } from '../../src/analysis/verify/index.js';
import { parseSnapshot } from '../../src/sources/cluster/snapshot.js';
import { UserError } from '../../src/core/errors.js';
import { verifyCli } from './helpers/cli.js';
import { clusterObjects } from './helpers/cluster.js';
import type { K8sObject } from '../../src/manifest/index.js';

const fixture = (f: string) => fileURLToPath(new URL(`./fixtures/${f}`, import.meta.url));
const example = fileURLToPath(new URL('../../examples/podinfo-cluster-snapshot.yaml', import.meta.url));
const statuses = (r: VerifyReport) => Object.fromEntries(r.steps.map((s) => [s.step, s.status]));
/** code, severity and object of each finding, in a stable order. */
const found = (r: { findings: Array<{ code: string; severity: string; object: { kind: string; namespace: string; name: string } }> }) =>
  r.findings.map((f) => `${f.code} ${f.severity} ${f.object.kind} ${f.object.namespace}/${f.object.name}`).sort();

/** The healthy bb2 cluster with one object changed, as a snapshot file (no Secret). */
function snapshotWith(change: (objs: K8sObject[]) => void): string {
  const items = clusterObjects({});
  change(items);
  const f = join(mkdtempSync(join(tmpdir(), 'bbmesh-snap-')), 'cluster.yaml');
  writeFileSync(f, stringify({ apiVersion: 'v1', kind: 'List', items }, { lineWidth: 0 }));
  return f;
}
const byKind = (objs: K8sObject[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata?.name === name)!;

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
    assert.deepEqual(r.findings, [], 'a correctly integrated bb3 podinfo (dependsOn istiod) gives no findings');
    assert.equal(r.ok, true);
  });

  test('the correct dumps are what a cluster running the integrated podinfo holds', async () => {
    for (const [f, dep] of [
      ['snapshot-bb2.yaml', 'istio'],
      ['snapshot-bb3.yaml', 'istiod'],
    ]) {
      const ms = parseSnapshot(readFileSync(fixture(f), 'utf8'), f);
      const hr = ms.find((m) => m.kind === 'HelmRelease' && m.name === 'podinfo')!;
      assert.deepEqual((hr.obj as any).spec.dependsOn, [{ name: dep, namespace: 'bigbang' }], f);
      const pods = ms.filter((m) => m.kind === 'Pod' && m.namespace === 'podinfo');
      assert.equal(pods.length, 1, `${f}: replicas 1`);
      const spec = (pods[0].obj as any).spec;
      assert.deepEqual(
        spec.containers.map((c: any) => c.name),
        ['podinfo', 'istio-proxy'],
      );
      assert.deepEqual(
        spec.containers[0].ports.map((p: any) => `${p.name}:${p.containerPort}`),
        ['http:9898', 'http-metrics:9797', 'grpc:9999'],
      );
      assert.deepEqual(
        spec.containers[1].ports.map((p: any) => `${p.name}:${p.containerPort}`),
        ['http-envoy-prom:15090'],
      );
      assert.deepEqual(
        spec.initContainers.map((c: any) => c.name),
        ['istio-init'],
      );
      assert.equal(pods[0].obj.metadata?.labels?.['app.kubernetes.io/name'], 'podinfo-podinfo');
      assert.equal(pods[0].obj.metadata?.labels?.['security.istio.io/tlsMode'], 'istio');
      const vs = ms.find((m) => m.kind === 'VirtualService')!;
      assert.equal(vs.obj.metadata?.labels?.['app.kubernetes.io/instance'], 'podinfo-podinfo');
      const svc = ms.find((m) => m.kind === 'Service' && m.name === 'podinfo-podinfo')!;
      assert.deepEqual((svc.obj as any).spec.selector, { 'app.kubernetes.io/name': 'podinfo-podinfo' });
    }
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
    assert.deepEqual(statuses(r), { 5: 'fail', 7: 'cannot-check', 8: 'fail', 9: 'pass', 10: 'fail', 11: 'fail', 12: 'cannot-check' });
    const step = (n: number) => r.steps.find((s) => s.step === n)!;
    assert.match(step(5).details.join('\n'), /CrashLoopBackOff/);
    assert.match(step(7).details.join('\n'), /the snapshot holds no Secret objects: istio-system\/public-cert was not dumped/);
    assert.match(step(8).details.join('\n'), /EXTERNAL-IP <pending>/);
    assert.match(step(10).details.join('\n'), /has no port 8080/);
    assert.match(step(11).fix!, /kubectl rollout restart -n podinfo deployment\/podinfo-podinfo/);
    assert.match(
      step(9).details.join('\n'),
      /credentialName public-cert: secret istio-system\/public-cert not in the snapshot \(see step 7\)/,
    );
    assert.equal(r.ok, false);
    // The rules: only the wrong destination port. The missing sidecar is step 11's (MESH013 judges the
    // namespace label, which is right here, and reports controllers, not pods).
    assert.deepEqual(found(r), ['MESH004 error VirtualService podinfo/podinfo-podinfo']);
    const f = r.findings[0];
    assert.match(f.message, /port 8080 is not a port of Service podinfo\/podinfo-podinfo \(ports: 9898, 9999\)/);
    assert.equal(f.render, 'cluster');
    assert.equal(f.source?.file, fixture('snapshot-broken.yaml'));
    const lines = readFileSync(fixture('snapshot-broken.yaml'), 'utf8').split('\n');
    assert.match(lines[f.source!.line - 1].slice(f.source!.column - 1), /^number: 8080$/, 'the position is the port number in the dump');
  });

  test('the example snapshot (examples/podinfo-cluster-snapshot.yaml): nothing fails, no findings, no Secret', async () => {
    const r = await verifySnapshot(example, { packageName: 'podinfo' });
    assert.deepEqual(statuses(r), { 5: 'pass', 7: 'cannot-check', 8: 'pass', 9: 'pass', 10: 'pass', 11: 'pass', 12: 'cannot-check' });
    assert.equal(r.summary.fail, 0);
    assert.deepEqual(r.findings, []);
    assert.equal(r.ok, true);
    assert.equal(r.layout, 'bb2');
    const text = readFileSync(example, 'utf8');
    assert.ok(!parseSnapshot(text, example).some((m) => m.kind === 'Secret'), 'no Secret in the example');
    assert.ok(!/PRIVATE KEY|tls\.key|tls\.crt/.test(text), 'no key material in the example');
    assert.ok(text.startsWith('# A snapshot of a Big Bang 2.x cluster'));
    assert.ok(
      text.includes('kubectl get namespaces,gitrepositories.source.toolkit.fluxcd.io,helmreleases.helm.toolkit.fluxcd.io,pods,services,'),
    );
  });

  test('findings on otherwise healthy dumps: BB006 without dependsOn, BB003 without the instance label, MESH006 without named ports', async () => {
    const noDep = await verifySnapshot(
      snapshotWith((o) => delete (byKind(o, 'HelmRelease', 'podinfo') as any).spec.dependsOn),
      { packageName: 'podinfo' },
    );
    assert.equal(noDep.summary.fail, 0);
    assert.deepEqual(found(noDep), ['BB006 error HelmRelease bigbang/podinfo']);
    assert.equal(noDep.ok, false, 'an error finding makes the run fail');
    const noLabel = await verifySnapshot(
      snapshotWith((o) => delete byKind(o, 'VirtualService', 'podinfo-podinfo').metadata!.labels!['app.kubernetes.io/instance']),
      { packageName: 'podinfo' },
    );
    assert.deepEqual(found(noLabel), ['BB003 info VirtualService podinfo/podinfo-podinfo']);
    assert.equal(noLabel.ok, true, 'a warning does not');
    const noPorts = await verifySnapshot(
      snapshotWith((o) => {
        for (const c of (o.find((x) => x.kind === 'Pod' && x.metadata?.namespace === 'podinfo') as any).spec.containers) delete c.ports;
      }),
      { packageName: 'podinfo' },
    );
    assert.deepEqual(found(noPorts), ['MESH006 error Service podinfo/podinfo-podinfo', 'MESH006 error Service podinfo/podinfo-podinfo']);
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
    assert.match(r.stdout, /^Findings from the check rules on the live objects: none$/m);
  });

  test('the example snapshot exits 0', async () => {
    const r = await verifyCli(['--snapshot', example, '--package', 'podinfo']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /5 passed, 2 could not be checked \(/);
  });

  test('an error finding exits 1 although every step passes; a warning finding exits 0', async () => {
    const err = await verifyCli([
      '--snapshot',
      snapshotWith((o) => delete (byKind(o, 'HelmRelease', 'podinfo') as any).spec.dependsOn),
      '--package',
      'podinfo',
    ]);
    assert.equal(err.code, 1, err.stderr);
    assert.doesNotMatch(err.stdout, /failed/);
    assert.match(
      err.stdout,
      /^ {2}\S+:\d+:\d+ {2}error {4}BB006 {2}HelmRelease bigbang\/podinfo: HelmRelease bigbang\/podinfo has no dependsOn "istio" although Istio is enabled$/m,
    );
    const warn = await verifyCli([
      '--snapshot',
      snapshotWith((o) => delete byKind(o, 'VirtualService', 'podinfo-podinfo').metadata!.labels!['app.kubernetes.io/instance']),
      '--package',
      'podinfo',
      '-o',
      'json',
    ]);
    assert.equal(warn.code, 0, warn.stderr);
    assert.deepEqual(found(JSON.parse(warn.stdout)), ['BB003 info VirtualService podinfo/podinfo-podinfo']);
  });

  test('--help documents the exit codes', async () => {
    const r = await verifyCli(['--help']);
    assert.match(r.stdout, /1 a step failed, a finding is an\s+error, --wait ran out, --apply failed, or a step could not be checked/);
    assert.match(r.stdout, /2 bad input \(no\s+kubeconfig, a snapshot without objects, bad flags\)/);
  });

  test('a failing dump exits 1; json and junit formats', async () => {
    const text = await verifyCli(['--snapshot', fixture('snapshot-broken.yaml'), '--package', 'podinfo']);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^✗ 11 istio-proxy sidecar in every podinfo pod$/m);
    assert.match(text.stdout, /^ {5}fix: kubectl rollout restart -n podinfo deployment\/podinfo-podinfo$/m);
    const section = text.stdout.slice(text.stdout.indexOf('Findings from the check rules on the live objects'));
    const fl = section.split('\n');
    assert.equal(fl[0], 'Findings from the check rules on the live objects');
    assert.match(
      fl[1],
      /^ {2}\S+snapshot-broken\.yaml:\d+:\d+ {2}error {4}MESH004 {2}VirtualService podinfo\/podinfo-podinfo: port 8080 is not a port of Service podinfo\/podinfo-podinfo \(ports: 9898, 9999\)$/,
    );
    assert.equal(fl[2], '      symptom: 503 NC (cluster_not_found)');
    assert.match(fl[3], /^ {6}fix: Set `destination\.port\.number` to one of the Service's `port` values/);
    assert.equal(fl[4], '');
    assert.match(fl[5], /^1 passed, 4 failed, 2 could not be checked, 1 finding \(1 error\) \((\d+ ms|\d+\.\d s)\)$/);
    assert.ok(!text.stdout.includes('\u001b['), 'no colour when disabled');
    const json = await verifyCli(['--snapshot', fixture('snapshot-broken.yaml'), '--package', 'podinfo', '-o', 'json']);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout);
    assert.equal(report.schemaVersion, 1);
    assert.deepEqual(
      report.steps.map((s: any) => s.step),
      [5, 7, 8, 9, 10, 11, 12],
    );
    assert.deepEqual(found(report), ['MESH004 error VirtualService podinfo/podinfo-podinfo']);
    assert.equal(report.findings[0].render, 'cluster');
    assert.equal(report.findings[0].source.template, null);
    assert.deepEqual(report.findings[0].related, []);
    const junit = await verifyCli(['--snapshot', fixture('snapshot-broken.yaml'), '--package', 'podinfo', '-o', 'junit']);
    assert.equal(junit.code, 1);
    assert.match(junit.stdout, /<testsuite name="bbmesh verify podinfo" tests="8" failures="5" errors="0" skipped="2"/);
    assert.match(
      junit.stdout,
      /<testcase classname="bbmesh\.verify\.findings" name="MESH004 VirtualService podinfo\/podinfo-podinfo" file="[^"]*snapshot-broken\.yaml" line="\d+">\n {6}<failure message="port 8080 is not a port of Service podinfo\/podinfo-podinfo \(ports: 9898, 9999\)" type="error">/,
    );
    assert.equal(junit.stdout.match(/classname="bbmesh\.verify\.findings"/g)?.length, 1);
    assert.match(junit.stdout, /<skipped message="cannot check: a snapshot cannot answer HTTPS requests"\/>/);
  });

  test('bad input exits 2 with one line', async () => {
    for (const args of [
      ['--snapshot', '/nonexistent.yaml', '--package', 'podinfo'],
      ['--snapshot', fixture('snapshot-bb2.yaml'), '--package', 'podinfo', '--wait', '10m'],
      ['--snapshot', fixture('snapshot-bb2.yaml'), '--package', 'podinfo', '-o', 'xml'],
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
