// Opt-in: `npm run test:cluster` runs verify against the real cluster of KUBECONFIG (skipped when unset).
// BBMESH_PACKAGE (default podinfo), BBMESH_HOST, BBMESH_ADDRESS, BBMESH_CONTEXT tune it.
// It asserts that verify (one package, then --all) runs end to end without crashing and reports every step; the statuses
// depend on the cluster, so they are printed, not asserted, unless BBMESH_EXPECT_PASS=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyAllCluster, verifyCluster } from '../../src/analysis/verify/index.js';
import { formatText } from '../../src/report/verify.js';
import { formatAllText } from '../../src/report/verify-all.js';
import { policyReports } from '../../src/report/policyreport.js';

const kubeconfig = process.env.KUBECONFIG;

test('bbmesh verify against the KUBECONFIG cluster', { skip: kubeconfig ? false : 'KUBECONFIG is not set' }, async () => {
  const address = process.env.BBMESH_ADDRESS;
  const [host, port] = address ? address.split(':') : [];
  const report = await verifyCluster({
    kubeconfig: kubeconfig!.split(':')[0],
    context: process.env.BBMESH_CONTEXT,
    packageName: process.env.BBMESH_PACKAGE ?? 'podinfo',
    host: process.env.BBMESH_HOST,
    address: host ? { host, httpsPort: port ? Number(port) : undefined } : undefined,
    insecure: process.env.BBMESH_INSECURE === '1',
    timeoutMs: 15_000,
  });
  process.stdout.write(formatText(report));
  assert.deepEqual(
    report.steps.map((s) => s.step),
    [5, 7, 8, 9, 10, 11, 12],
  );
  assert.equal(report.source.kind, 'cluster');
  const text = JSON.stringify(report);
  assert.ok(!text.includes('PRIVATE KEY'));
  if (process.env.BBMESH_EXPECT_PASS === '1') assert.equal(report.ok, true, 'a step failed');
});

test('bbmesh verify --all against the KUBECONFIG cluster (read only)', { skip: kubeconfig ? false : 'KUBECONFIG is not set' }, async () => {
  const report = await verifyAllCluster({
    kubeconfig: kubeconfig!.split(':')[0],
    context: process.env.BBMESH_CONTEXT,
    insecure: process.env.BBMESH_INSECURE === '1',
    timeoutMs: 15_000,
  });
  process.stdout.write(formatAllText(report));
  assert.equal(report.mode, 'all');
  assert.ok(report.apiCalls && report.apiCalls.peakInFlight <= 16, 'at most 16 API calls in flight');
  for (const p of report.packages) if (p.verified) assert.equal(p.report?.steps.length, 7, p.name);
  const reports = policyReports(report.packages);
  assert.equal(reports.length, new Set(report.packages.map((p) => p.namespace)).size, 'one PolicyReport per package namespace');
  assert.ok(!JSON.stringify(reports).includes('PRIVATE KEY'));
});
