// As lenient as Helm and Flux, on corpus copies: duplicated values keys (last wins, noted as info), a
// render failing in one branch (a finding with Helm's complete message; the other branch still checked),
// the default Kubernetes version (a current release, or what a chart's kubeVersion asks) and dependsOn
// cycles (no hang, still reported).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { checkPackage } from '../../src/analysis/check.js';
import { asObject } from '../../src/manifest/json.js';
import { renderPackage } from '../../src/sources/render/index.js';
import { constraintMinimum, CURRENT_KUBE_VERSION, defaultKubeVersion } from '../../src/sources/render/kube-version.js';
import { FIXTURES } from './fixtures-dir.js';
import { seededCopy } from './seed.js';
import { showFindings } from './trace-case.js';

const tmp = mkdtempSync(join(tmpdir(), 'bbmesh-lenient-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('duplicated mapping keys: last wins, as in Helm and Flux', () => {
  test('the passdown key written twice keeps its last value, and check notes it as info with both lines', async () => {
    const dir = join(FIXTURES, 'sonarqube-like');
    const r = await renderPackage(dir);
    // First block `enabled: true`, last `enabled: {{ .Values.monitoring.enabled }}` (false).
    assert.deepEqual(r.releases[0].values.prometheusExporter, { enabled: false });
    const res = await checkPackage(dir);
    const dup = res.findings.find((f) => f.code === 'BB005');
    assert.ok(dup, showFindings(res.findings));
    assert.equal(dup.severity, 'info');
    assert.match(dup.message, /`prometheusExporter` is written twice .*\(also at line 10\).*keep the last one/);
    assert.equal(dup.source?.line, 18);
  });

  test('a duplicated key in bigbang/values.yaml renders as Helm does', async () => {
    const dir = seededCopy(tmp, 'kiali-like', [
      { file: 'bigbang/values.yaml', find: 'istio:\n  enabled: true\n', replace: 'istio:\n  enabled: false\nistio:\n  enabled: true\n' },
    ]);
    const r = await renderPackage(dir);
    assert.equal(asObject(r.bigbangValues.istio).enabled, true);
    assert.ok(r.manifests.some((m) => m.kind === 'VirtualService'));
  });
});

describe('a branch that does not render', () => {
  test("is a finding with Helm's complete message, and the other branch is still checked", async () => {
    const dir = seededCopy(tmp, 'nexus-like', [
      {
        file: 'chart/values.schema.json',
        find: '"gateways": { "type": "array", "items"',
        replace: '"gateways": { "type": "array", "minItems": 1, "items"',
      },
      // A second defect that only the Istio-enabled branch shows.
      { file: 'chart/templates/bigbang/virtualservice.yaml', find: 'number: {{ .Values.nexus.port }}', replace: 'number: 8082' },
    ]);
    const res = await checkPackage(dir);
    const show = showFindings(res.findings);
    const off = res.findings.find((f) => f.code === 'BB002' && f.render === 'istio-disabled');
    assert.ok(off, show);
    assert.match(
      off.message,
      /values don't meet the specifications of the schema.*istio\.nexus\.gateways: Array must have at least 1 items/,
    );
    assert.ok(
      res.findings.some((f) => f.code === 'MESH004' && f.render === 'istio-enabled'),
      show,
    );
    assert.equal(res.exitCode, 1);
  });
});

describe('Kubernetes version', () => {
  test('constraint minimums', () => {
    assert.deepEqual(constraintMinimum('>=1.25.0-0'), [1, 25, 0]);
    assert.deepEqual(constraintMinimum('>= 1.19 < 1.31'), [1, 19, 0]);
    assert.deepEqual(constraintMinimum('^1.28'), [1, 28, 0]);
    assert.deepEqual(constraintMinimum('>1.29.3'), [1, 29, 4]);
    assert.deepEqual(constraintMinimum('>=1.30.0 || >=1.20.0 <1.21.0'), [1, 20, 0]);
    assert.deepEqual(constraintMinimum('<1.30'), [0, 0, 0]);
  });

  test('defaults to a current release, or the highest minimum a chart asks', () => {
    assert.equal(defaultKubeVersion([join(FIXTURES, 'tempo-like', 'chart')]), CURRENT_KUBE_VERSION);
    const dir = seededCopy(tmp, 'tempo-like', [
      { file: 'chart/Chart.yaml', find: 'appVersion: 2.5.0', replace: 'appVersion: 2.5.0\nkubeVersion: ">=1.34.0-0"' },
    ]);
    assert.equal(defaultKubeVersion([join(dir, 'bigbang'), join(dir, 'chart')]), '1.34.0');
  });

  test('a chart asking for a newer Kubernetes renders by default; an explicit older version names --kube-version', async () => {
    const dir = seededCopy(tmp, 'tempo-like', [
      { file: 'chart/Chart.yaml', find: 'appVersion: 2.5.0', replace: 'appVersion: 2.5.0\nkubeVersion: ">=1.34.0-0"' },
    ]);
    const res = await checkPackage(dir);
    assert.deepEqual(
      res.findings.filter((f) => f.severity !== 'info'),
      [],
      showFindings(res.findings),
    );
    await assert.rejects(renderPackage(dir, { kubeVersion: '1.30.0' }), /requires kubeVersion.*--kube-version/);
  });
});

test('a dependsOn cycle between HelmReleases of the render ends, and BB006 still reports it', async () => {
  const dir = seededCopy(tmp, 'elastic-like', [
    {
      file: 'bigbang/templates/eck-operator/helmrelease.yaml',
      find: '    - name: istio\n',
      replace: '    - name: ek\n',
    },
  ]);
  const res = await checkPackage(dir);
  const names = res.findings.filter((f) => f.code === 'BB006').map((f) => f.object.name);
  assert.deepEqual(names.sort(), ['eck-operator', 'ek'], showFindings(res.findings));
});
