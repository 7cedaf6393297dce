// verify --all against the loopback API server: a cluster of several packages (healthy ones, one with
// a broken route, one without a VirtualService, one in a namespace the reader may not see), reads
// shared per kind and namespace, at most 16 calls in flight, PolicyReports valid against the CRD and
// applied with field manager bbmesh, OpenMetrics text, and the chart's RBAC equal to what was called.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { verifyAllCluster } from '../../src/analysis/verify/index.js';
import type { VerifyAllReport } from '../../src/analysis/verify/index.js';
import { formatPrometheus } from '../../src/report/prometheus.js';
import { formatAllJson } from '../../src/report/verify-all.js';
import { policyReports } from '../../src/report/policyreport.js';
import type { PolicyReportResult } from '../../src/report/policyreport.js';
import type { K8sObject } from '../../src/manifest/index.js';
import { makeCerts } from './helpers/certs.js';
import type { TestCerts } from './helpers/certs.js';
import { chartObjects, rbacRules } from './helpers/chart.js';
import { verifyCli } from './helpers/cli.js';
import { clusterObjects } from './helpers/cluster.js';
import { startFakeApi } from './helpers/fakeapi.js';
import type { FakeApi } from './helpers/fakeapi.js';
import { startIngress } from './helpers/ingress.js';
import type { FakeIngress } from './helpers/ingress.js';
import { packageObjects } from './helpers/packages.js';
import { validateVerifyJson, validateWith } from './helpers/schema.js';

const FILLERS = 30;
const crd = parse(readFileSync(fileURLToPath(new URL('./fixtures/policyreport-crd.yaml', import.meta.url)), 'utf8'));

/** The CRD's schema, with every object closed: a field the API server would prune is an error here. */
function strictSchema(s: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...s };
  if (s.type === 'object' && s.properties && s.additionalProperties === undefined && !('x-kubernetes-preserve-unknown-fields' in s)) {
    out.additionalProperties = false;
  }
  if (s.properties) {
    const p = s.properties as Record<string, Record<string, unknown>>;
    out.properties = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, k === 'metadata' ? v : strictSchema(v)]));
  }
  if (s.items) out.items = strictSchema(s.items as Record<string, unknown>);
  return out;
}
const reportSchema = strictSchema(crd.spec.versions[0].schema.openAPIV3Schema);

type Report = K8sObject & { results: PolicyReportResult[]; summary: Record<string, number> };
const reportIn = (reports: K8sObject[], ns: string) => reports.find((r) => r.metadata?.namespace === ns) as Report;
const resultOf = (r: Report, policy: string) => r.results.find((x) => x.policy === policy)!;

let certs: TestCerts;
let api: FakeApi;
let ing: FakeIngress;
let caFile: string;
let report: VerifyAllReport;
const fillers = Array.from({ length: FILLERS }, (_, i) => `pkg${String(i).padStart(2, '0')}`);

before(async () => {
  certs = makeCerts();
  const objects = [
    ...clusterObjects({ cert: certs.valid }),
    ...packageObjects('good'),
    ...packageObjects('broken', { brokenRoute: true }),
    ...packageObjects('quiet', { exposed: false }),
    ...packageObjects('hidden'),
    ...fillers.flatMap((n) => packageObjects(n)),
  ];
  api = await startFakeApi(certs, objects, { forbidNamespaces: ['hidden'], lifetimeMs: 600_000 });
  ing = await startIngress(certs.valid, { host: (h) => h.endsWith('.bigbang.dev'), lifetimeMs: 600_000 });
  caFile = join(mkdtempSync(join(tmpdir(), 'bbmesh-ca-')), 'ca.pem');
  writeFileSync(caFile, certs.ca.cert);
  report = await verifyAllCluster({
    kubeconfig: api.kubeconfig,
    address: { host: '127.0.0.1', httpsPort: ing.httpsPort },
    caPem: certs.ca.cert,
    timeoutMs: 5000,
  });
});
after(async () => {
  await api.close();
  await ing.close();
});

const pkg = (name: string) => report.packages.find((p) => p.name === name)!;
const statuses = (name: string) => Object.fromEntries(pkg(name).report!.steps.map((s) => [s.step, s.status]));

describe('verify --all (library)', () => {
  test('every package the HelmReleases in bigbang deploy, Istio itself left out', () => {
    assert.deepEqual(
      report.packages.map((p) => p.name),
      ['broken', 'good', 'hidden', ...fillers, 'podinfo', 'quiet'],
    );
    assert.equal(report.discovery.helmReleases, 2 + 5 + FILLERS);
    assert.equal(report.layout, 'bb2');
  });

  test('healthy packages pass every step; the run goes on past the others', () => {
    for (const name of ['good', 'podinfo', 'pkg07']) {
      assert.deepEqual(statuses(name), { 5: 'pass', 7: 'pass', 8: 'pass', 9: 'pass', 10: 'pass', 11: 'pass', 12: 'pass' }, name);
      assert.equal(pkg(name).report!.ok, true, name);
      assert.deepEqual(pkg(name).report!.findings, [], name);
    }
  });

  test('the broken route fails step 10 and MESH004, with the fix', () => {
    const r = pkg('broken').report!;
    assert.equal(statuses('broken')[10], 'fail');
    assert.match(r.steps.find((s) => s.step === 10)!.details.join('\n'), /has no port 9090 \(ports: 8080\)/);
    assert.deepEqual(
      r.findings.map((f) => f.code),
      ['MESH004'],
    );
    assert.equal(r.ok, false);
  });

  test('a package without a VirtualService skips the ingress steps and is ok', () => {
    assert.deepEqual(statuses('quiet'), { 5: 'pass', 7: 'skip', 8: 'skip', 9: 'skip', 10: 'skip', 11: 'pass', 12: 'skip' });
    assert.equal(pkg('quiet').report!.ok, true);
  });

  test('a namespace the reader may not see: reported as not verified, with the RBAC reason', () => {
    const p = pkg('hidden');
    assert.equal(p.verified, false);
    assert.match(p.reason!, /^403 Forbidden: missing RBAC permission to list pods in namespace hidden/);
    assert.equal(report.summary.notVerified, 1);
    assert.equal(report.ok, false);
    assert.deepEqual(validateVerifyJson(JSON.parse(formatAllJson(report))), []);
  });

  test('the cluster is read once per kind and namespace, at most 16 calls in flight', () => {
    const gets = api.requests.filter((r) => r.startsWith('GET '));
    assert.deepEqual(
      gets.filter((r, i) => gets.indexOf(r) !== i),
      [],
      'no path read twice',
    );
    assert.equal(gets.filter((r) => r.endsWith('/namespaces/bigbang/helmreleases')).length, 1);
    assert.equal(gets.filter((r) => r.includes('/namespaces/istio-system/gateways')).length, 1);
    assert.ok(api.maxInFlight <= 16, `server saw ${api.maxInFlight} in flight`);
    assert.ok(api.maxInFlight >= 8, `concurrent: ${api.maxInFlight}`);
    assert.ok(report.apiCalls!.peakInFlight <= 16);
    assert.equal(report.apiCalls!.maxInFlight, 16);
  });
});

describe('-o policyreport', () => {
  test('one report per package namespace, valid against the wgpolicyk8s.io/v1alpha2 CRD', () => {
    const reports = policyReports(report.packages);
    assert.equal(reports.length, report.packages.length);
    for (const r of reports) assert.deepEqual(validateWith(reportSchema, r), [], `${r.metadata?.namespace}`);
    const broken = reportIn(reports, 'broken');
    const s10 = resultOf(broken, 'step-10');
    assert.equal(s10.result, 'fail');
    assert.equal(s10.severity, 'high');
    assert.deepEqual(s10.resources, [
      {
        apiVersion: 'networking.istio.io/v1beta1',
        kind: 'VirtualService',
        namespace: 'broken',
        name: 'broken-broken',
        uid: 'uid-vs-broken-broken-broken',
      },
    ]);
    assert.match(s10.properties.fix, /use a Service port \(8080\)/);
    const m = resultOf(broken, 'MESH004');
    assert.equal(m.result, 'fail');
    assert.match(m.properties.fix, /destination\.port\.number/);
    assert.deepEqual(broken.summary, { pass: 6, fail: 2, warn: 0, error: 0, skip: 0 });
    assert.deepEqual(reportIn(reports, 'quiet').summary, { pass: 2, fail: 0, warn: 0, error: 0, skip: 5 });
    const hidden = reportIn(reports, 'hidden');
    assert.equal(hidden.results[0].policy, 'package');
    assert.equal(hidden.results[0].result, 'error');
  });

  test('the validation catches a report the API server would reject or prune', () => {
    const r = structuredClone(policyReports(report.packages)[0]) as K8sObject & { results: Array<Record<string, unknown>> };
    r.results[0].result = 'failed';
    r.results[1].detail = 'pruned';
    delete r.results[2].policy;
    const errs = validateWith(reportSchema, r).join('\n');
    assert.match(errs, /results\/0\/result: must be equal to one of the allowed values/);
    assert.match(errs, /results\/1: must NOT have additional properties/);
    assert.match(errs, /results\/2: must have required property 'policy'/);
  });

  test('CLI: the YAML stream, then --apply: server-side apply with field manager bbmesh; a forbidden namespace is exit 1', async () => {
    const common = ['--all', '--kubeconfig', api.kubeconfig, '--address', `127.0.0.1:${ing.httpsPort}`, '--ca', caFile];
    const y = await verifyCli([...common, '-o', 'policyreport']);
    assert.equal(y.code, 1, y.stderr);
    const docs = parseAllDocuments(y.stdout).map((d) => d.toJS() as K8sObject);
    assert.equal(docs.length, report.packages.length);
    for (const d of docs) assert.deepEqual(validateWith(reportSchema, d), []);
    api.applied.length = 0;
    api.calls.length = 0;
    const a = await verifyCli([...common, '-o', 'policyreport', '--apply']);
    assert.equal(a.code, 1);
    assert.match(
      a.stderr,
      /^bbmesh: PolicyReport hidden\/bbmesh-verify not written: 403 Forbidden: missing RBAC permission to patch policyreports\.wgpolicyk8s\.io in namespace hidden/m,
    );
    assert.match(a.stdout, /^policyreport\.wgpolicyk8s\.io\/bbmesh-verify serverside-applied in namespace broken \(6 pass, 2 fail\)$/m);
    assert.equal(api.applied.length, report.packages.length - 1);
    for (const x of api.applied) {
      assert.equal(x.fieldManager, 'bbmesh');
      assert.equal(x.force, 'true');
      assert.equal(x.contentType, 'application/apply-patch+yaml');
      assert.equal(x.object.apiVersion, 'wgpolicyk8s.io/v1alpha2');
      assert.equal(x.object.metadata?.name, 'bbmesh-verify');
      assert.match(
        x.path,
        new RegExp(`^/apis/wgpolicyk8s.io/v1alpha2/namespaces/${x.object.metadata?.namespace}/policyreports/bbmesh-verify$`),
      );
    }
    // The next run updates the same objects (200, not 201): one report per namespace, replaced each time.
    rbacCalls = [...api.calls];
  });
});

let rbacCalls: FakeApi['calls'] = [];

describe('deploy/chart RBAC', () => {
  test('the ClusterRole and the Roles grant exactly what verify --all -o policyreport --apply called', () => {
    assert.ok(rbacCalls.length > 0, 'the --apply test ran first');
    const called = new Set(rbacCalls.map((c) => `${c.group}/${c.resource}:${c.verb}`));
    const objects = chartObjects();
    const cluster = rbacRules(objects, 'ClusterRole');
    const roles = rbacRules(objects, 'Role');
    // patch is what server-side apply calls; create and update are what it needs on a first apply.
    const granted = new Set([...cluster, ...roles].filter((r) => !/^wgpolicyk8s\.io\/policyreports:(create|update)$/.test(r)));
    assert.deepEqual([...granted].sort(), [...called].sort());
    assert.deepEqual([...roles], ['/secrets:get'], 'Secrets only through the namespaced Roles');
    const secretNs = new Set(rbacCalls.filter((c) => c.resource === 'secrets').map((c) => c.namespace));
    const roleNs = new Set(objects.filter((o) => o.kind === 'Role').map((o) => o.metadata?.namespace));
    assert.deepEqual([...secretNs], ['istio-system']);
    for (const ns of secretNs) assert.ok(roleNs.has(ns), `a Role in ${ns}`);
    assert.ok(cluster.has('wgpolicyk8s.io/policyreports:create') && cluster.has('wgpolicyk8s.io/policyreports:update'));
  });
});

describe('-o prometheus', () => {
  test('OpenMetrics text: a gauge per package and step, label values escaped, # EOF last', () => {
    const text = formatPrometheus(report.packages, { now: new Date('2025-01-01T00:00:00Z'), durationMs: 1234 });
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.at(-1), '# EOF');
    const sample = /^([a-z_]+)(\{[a-z_]+="(?:[^"\\]|\\.)*"(?:,[a-z_]+="(?:[^"\\]|\\.)*")*\})? (-?\d+(?:\.\d+)?)$/;
    const declared = new Set<string>();
    const seen = new Set<string>();
    for (const l of lines.slice(0, -1)) {
      const t = /^# TYPE ([a-z_]+) gauge$/.exec(l);
      if (t) {
        assert.ok(!declared.has(t[1]), `${t[1]} declared once`);
        declared.add(t[1]);
        continue;
      }
      if (/^# (HELP|UNIT) [a-z_]+ .+$/.test(l)) continue;
      const m = sample.exec(l);
      assert.ok(m, `not a sample line: ${l}`);
      assert.ok(declared.has(m![1]), `${m![1]} has a TYPE before its samples`);
      assert.ok(!seen.has(`${m![1]}${m![2] ?? ''}`), `duplicate series ${l}`);
      seen.add(`${m![1]}${m![2] ?? ''}`);
    }
    assert.ok(lines.includes('bbmesh_verify_step_status{package="broken",namespace="broken",step="10",status="fail"} 1'));
    assert.ok(lines.includes('bbmesh_verify_step_status{package="broken",namespace="broken",step="10",status="pass"} 0'));
    assert.ok(lines.includes('bbmesh_verify_package_ok{package="good",namespace="good"} 1'));
    assert.ok(lines.includes('bbmesh_verify_package_verified{package="hidden",namespace="hidden"} 0'));
    assert.ok(lines.includes('bbmesh_verify_findings{package="broken",namespace="broken",severity="error"} 1'));
    assert.ok(lines.includes('bbmesh_verify_last_run_timestamp_seconds 1735689600.000'));
    assert.equal(lines.filter((l) => l.startsWith('bbmesh_verify_step_status{package="good"')).length, 7 * 5);
  });
});

describe('bbmesh verify --all (CLI text)', () => {
  test('a line per package, the details of what failed, the summary; exit 1', async () => {
    const r = await verifyCli(['--all', '--kubeconfig', api.kubeconfig, '--address', `127.0.0.1:${ing.httpsPort}`, '--ca', caFile]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^bbmesh verify --all: 35 packages from 37 HelmReleases in bigbang, layout bb2, cluster fake /);
    assert.match(r.stdout, /^✓ good \(good\) +7 passed$/m);
    assert.match(r.stdout, /^✗ broken \(broken\) +6 passed, 1 failed$/m);
    assert.match(r.stdout, /^ {4}✗ 10 VirtualService of broken in broken$/m);
    assert.match(r.stdout, /^✓ quiet \(quiet\) +2 passed, 5 skipped$/m);
    assert.match(r.stdout, /^\? hidden \(hidden\) +not verified: 403 Forbidden/m);
    assert.match(r.stdout, /^35 packages: 33 ok, 1 failed, 1 not verified \([\d.]+ m?s, at most 1[0-6] API calls in flight\)$/m);
  });

  test('-n keeps the packages deploying into one namespace; --all excludes --package', async () => {
    const r = await verifyCli([
      '--all',
      '-n',
      'good',
      '--kubeconfig',
      api.kubeconfig,
      '--address',
      `127.0.0.1:${ing.httpsPort}`,
      '--ca',
      caFile,
      '-o',
      'json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(validateVerifyJson(j), []);
    assert.deepEqual(
      j.packages.map((p: { name: string }) => p.name),
      ['good'],
    );
    const bad = await verifyCli(['--all', '--package', 'podinfo', '--kubeconfig', api.kubeconfig]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^bbmesh: --all verifies every package: drop --package$/m);
  });
});
