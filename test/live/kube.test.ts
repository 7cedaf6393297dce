// The real @kubernetes/client-node against a loopback HTTPS fake API server: paths, version
// fallback, concurrency, and each failure mode becoming a ReadError (never a throw).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeReader, loadKubeConfig } from '../../src/sources/cluster/kube.js';
import { verifyCluster } from '../../src/analysis/verify/index.js';
import { UserError } from '../../src/core/errors.js';
import { makeCerts } from './helpers/certs.js';
import type { TestCerts } from './helpers/certs.js';
import { clusterObjects } from './helpers/cluster.js';
import { kubeconfigText, startFakeApi } from './helpers/fakeapi.js';
import type { FakeApi } from './helpers/fakeapi.js';
import { closedPort } from './helpers/ingress.js';

let certs: TestCerts;
before(() => {
  certs = makeCerts();
});

describe('KubeReader against the fake API server', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi(certs, clusterObjects({ cert: certs.valid }));
  });
  after(() => api.close());

  test('lists and gets with the real client, on the real REST paths, as plain API JSON', async () => {
    const r = KubeReader.fromOptions({ kubeconfig: api.kubeconfig });
    api.requests.length = 0;
    const pods = await r.list('Pod', 'podinfo');
    assert.equal(pods.error, undefined);
    assert.equal(pods.value!.length, 1);
    assert.equal(pods.value![0].kind, 'Pod');
    assert.equal(pods.value![0].apiVersion, 'v1');
    assert.equal(pods.value![0].origin.stage, 'cluster');
    assert.equal((pods.value![0].obj as any).status.startTime, '2024-05-01T10:00:00Z', 'API JSON as it came');
    const hrs = await r.list('HelmRelease', 'bigbang');
    assert.deepEqual(hrs.value!.map((m) => m.name).sort(), ['istio', 'istio-operator', 'podinfo']);
    const gw = await r.get('Gateway', 'istio-system', 'public');
    assert.equal(gw.value?.name, 'public');
    const absent = await r.get('Gateway', 'istio-system', 'nope');
    assert.deepEqual(absent, { value: undefined });
    const noSecret = await r.get('Secret', 'istio-system', 'nope');
    assert.deepEqual(noSecret, { value: undefined });
    assert.deepEqual(api.requests, [
      'GET /api/v1/namespaces/podinfo/pods',
      'GET /apis/helm.toolkit.fluxcd.io/v2/namespaces/bigbang/helmreleases',
      'GET /apis/networking.istio.io/v1beta1/namespaces/istio-system/gateways/public',
      'GET /apis/networking.istio.io/v1beta1/namespaces/istio-system/gateways/nope',
      'GET /api/v1/namespaces/istio-system/secrets/nope',
    ]);
  });

  test('a Secret keeps metadata and type only: no data, no last-applied, no managedFields', async () => {
    const r = KubeReader.fromOptions({ kubeconfig: api.kubeconfig });
    const s = await r.get('Secret', 'istio-system', 'public-cert');
    const json = JSON.stringify(s.value!.obj);
    assert.equal((s.value!.obj as any).data, undefined);
    assert.equal((s.value!.obj as any).type, 'kubernetes.io/tls');
    assert.ok(!json.includes('last-applied'));
    assert.ok(!json.includes('managedFields'));
    assert.ok(!json.includes('PRIVATE'));
  });

  test('verify reads concurrently and asks for the expected paths', async () => {
    api.requests.length = 0;
    await verifyCluster({
      kubeconfig: api.kubeconfig,
      packageName: 'podinfo',
      insecure: true,
      address: { host: '127.0.0.1', httpsPort: await closedPort() },
      timeoutMs: 2000,
    });
    assert.ok(api.maxInFlight >= 3, `max in flight ${api.maxInFlight}`);
    for (const p of [
      'GET /apis/helm.toolkit.fluxcd.io/v2/namespaces/bigbang/helmreleases',
      'GET /apis/source.toolkit.fluxcd.io/v1/namespaces/bigbang/gitrepositories',
      'GET /api/v1/namespaces/podinfo/pods',
      'GET /api/v1/namespaces/podinfo/services',
      'GET /apis/networking.istio.io/v1beta1/namespaces/podinfo/virtualservices',
      'GET /api/v1/namespaces/podinfo',
      'GET /apis/networking.istio.io/v1beta1/namespaces/istio-system/gateways',
      'GET /api/v1/namespaces/istio-system/pods',
      'GET /api/v1/namespaces/istio-system/services/public-ingressgateway',
      'GET /api/v1/namespaces/istio-system/secrets/public-cert',
    ])
      assert.ok(api.requests.includes(p), `missing ${p} in ${api.requests.join('\n')}`);
    assert.ok(!api.requests.some((p) => p.endsWith('/secrets')), 'never lists secrets');
  });
});

describe('version fallback', () => {
  test('Istio served only as v1 and Flux as v2beta2: falls back and reads them', async () => {
    const api = await startFakeApi(certs, clusterObjects({ cert: certs.valid }), {
      served: { '': ['v1'], 'networking.istio.io': ['v1'], 'helm.toolkit.fluxcd.io': ['v2beta2'], 'source.toolkit.fluxcd.io': ['v1beta2'] },
    });
    try {
      const r = KubeReader.fromOptions({ kubeconfig: api.kubeconfig });
      const vs = await r.list('VirtualService', 'podinfo');
      assert.equal(vs.value?.length, 1);
      assert.equal(vs.value![0].apiVersion, 'networking.istio.io/v1');
      const hr = await r.list('HelmRelease', 'bigbang');
      assert.equal(hr.value?.length, 3);
      assert.deepEqual(
        api.requests.filter((p) => p.includes('helmreleases')),
        [
          'GET /apis/helm.toolkit.fluxcd.io/v2/namespaces/bigbang/helmreleases',
          'GET /apis/helm.toolkit.fluxcd.io/v2beta2/namespaces/bigbang/helmreleases',
        ],
      );
    } finally {
      await api.close();
    }
  });
});

describe('failures become cannot-check, and the other steps still run', () => {
  test('RBAC: 403 on HelmReleases names the missing permission', async () => {
    const api = await startFakeApi(certs, clusterObjects({ cert: certs.valid }), { forbid: ['helmreleases'] });
    try {
      const r = KubeReader.fromOptions({ kubeconfig: api.kubeconfig });
      const hr = await r.list('HelmRelease', 'bigbang');
      assert.equal(hr.error?.reason, 'forbidden');
      assert.equal(hr.error?.permission, 'list helmreleases.helm.toolkit.fluxcd.io in namespace bigbang');
      assert.match(
        hr.error!.message,
        /cannot list resource "helmreleases" in API group "helm.toolkit.fluxcd.io" in the namespace "bigbang"/,
      );
      const report = await verifyCluster({
        kubeconfig: api.kubeconfig,
        packageName: 'podinfo',
        address: { host: '127.0.0.1', httpsPort: await closedPort() },
        timeoutMs: 2000,
      });
      const s5 = report.steps.find((s) => s.step === 5)!;
      assert.equal(s5.status, 'cannot-check');
      assert.match(s5.fix!, /kubectl auth can-i list helmreleases.helm.toolkit.fluxcd.io -n bigbang/);
      assert.equal(report.steps.find((s) => s.step === 10)!.status, 'pass', 'other steps still run');
      assert.equal(report.steps.find((s) => s.step === 7)!.status, 'pass');
    } finally {
      await api.close();
    }
  });

  test('RBAC: 403 on get secret makes step 7 cannot-check with the get permission', async () => {
    const api = await startFakeApi(certs, clusterObjects({ cert: certs.valid }), { forbid: ['secrets'] });
    try {
      const report = await verifyCluster({
        kubeconfig: api.kubeconfig,
        packageName: 'podinfo',
        address: { host: '127.0.0.1', httpsPort: await closedPort() },
        timeoutMs: 2000,
      });
      const s7 = report.steps.find((s) => s.step === 7)!;
      assert.equal(s7.status, 'cannot-check');
      assert.match(s7.details.join('\n'), /missing RBAC permission to get secrets in namespace istio-system/);
      assert.equal(report.steps.find((s) => s.step === 8)!.status, 'pass');
    } finally {
      await api.close();
    }
  });

  test('missing CRDs: Istio not installed (404 page not found on the istio paths)', async () => {
    const api = await startFakeApi(certs, clusterObjects({ cert: certs.valid }), {
      served: { '': ['v1'], 'helm.toolkit.fluxcd.io': ['v2'], 'source.toolkit.fluxcd.io': ['v1'] },
    });
    try {
      const report = await verifyCluster({
        kubeconfig: api.kubeconfig,
        packageName: 'podinfo',
        host: 'podinfo.bigbang.dev',
        address: { host: '127.0.0.1', httpsPort: await closedPort() },
        timeoutMs: 2000,
      });
      for (const n of [9, 10]) {
        const s = report.steps.find((x) => x.step === n)!;
        assert.equal(s.status, 'cannot-check', `step ${n}`);
        assert.match(s.details.join('\n'), /VirtualService|Gateway/);
        assert.match(
          s.details.join('\n'),
          /CRD .* is not installed: 404 for API versions networking.istio.io\/v1beta1, networking.istio.io\/v1/,
        );
        assert.match(s.fix!, /Istio is not installed/);
      }
      assert.equal(report.steps.find((s) => s.step === 5)!.status, 'pass');
      assert.ok(api.requests.includes('GET /apis/networking.istio.io/v1/namespaces/podinfo/virtualservices'));
    } finally {
      await api.close();
    }
  });

  test('unreachable: a closed port makes every cluster step cannot-check, without a crash', async () => {
    const port = await closedPort();
    const dir = mkdtempSync(join(tmpdir(), 'bbmesh-kc-'));
    const kc = join(dir, 'config');
    writeFileSync(kc, kubeconfigText(`https://127.0.0.1:${port}`, certs.ca.cert));
    const t0 = Date.now();
    const report = await verifyCluster({ kubeconfig: kc, packageName: 'podinfo', timeoutMs: 3000 });
    assert.ok(Date.now() - t0 < 3000, 'fails fast');
    for (const s of report.steps) {
      assert.equal(s.status, 'cannot-check', `step ${s.step}`);
    }
    const s5 = report.steps.find((s) => s.step === 5)!;
    assert.match(s5.details.join('\n'), /unreachable \(ECONNREFUSED\)/);
    assert.match(s5.fix!, /kubectl cluster-info/);
    assert.equal(report.ok, false, 'nothing verified is not ok');
    assert.equal(report.summary.unchecked, 7);
  });

  test('401: expired credentials', async () => {
    const api = await startFakeApi(certs, [], { unauthorized: true });
    try {
      const r = KubeReader.fromOptions({ kubeconfig: api.kubeconfig });
      const res = await r.list('Pod', 'podinfo');
      assert.equal(res.error?.reason, 'unauthorized');
      assert.match(res.error!.message, /401 Unauthorized/);
    } finally {
      await api.close();
    }
  });

  test('timeout: a call that hangs is bounded, the others answer', async () => {
    const api = await startFakeApi(certs, clusterObjects({ cert: certs.valid }), {
      slowPaths: { '/apis/helm.toolkit.fluxcd.io/v2/namespaces/bigbang/helmreleases': 5000 },
    });
    try {
      const t0 = Date.now();
      const report = await verifyCluster({
        kubeconfig: api.kubeconfig,
        packageName: 'podinfo',
        address: { host: '127.0.0.1', httpsPort: await closedPort() },
        timeoutMs: 400,
      });
      assert.ok(Date.now() - t0 < 3000, `bounded: ${Date.now() - t0} ms`);
      const s5 = report.steps.find((s) => s.step === 5)!;
      assert.equal(s5.status, 'cannot-check');
      assert.match(s5.details.join('\n'), /no answer within 0.4 s/);
      assert.equal(report.steps.find((s) => s.step === 11)!.status, 'pass');
    } finally {
      await api.close();
    }
  });
});

describe('kubeconfig input errors are UserErrors (exit 2)', () => {
  test('missing file, unknown context', async () => {
    assert.throws(() => loadKubeConfig({ kubeconfig: '/nonexistent/kubeconfig' }), UserError);
    const dir = mkdtempSync(join(tmpdir(), 'bbmesh-kc-'));
    const kc = join(dir, 'config');
    writeFileSync(kc, kubeconfigText('https://127.0.0.1:1', certs.ca.cert));
    assert.throws(
      () => loadKubeConfig({ kubeconfig: kc, context: 'other' }),
      (e: any) => e instanceof UserError && /no context "other"/.test(e.message) && /fake/.test(e.hint ?? ''),
    );
    const bad = join(dir, 'bad');
    writeFileSync(bad, 'clusters: [unclosed');
    assert.throws(() => loadKubeConfig({ kubeconfig: bad }), UserError);
  });
});
