// Each step, passing and failing, through the real client against the fake API server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyCluster } from '../../src/analysis/verify/index.js';
import type { StepResult, VerifyReport, WaitProgress } from '../../src/analysis/verify/index.js';
import { certificateCovers, requestHostMatches } from '../../src/model/hosts.js';
import { parseDuration } from '../../src/core/duration.js';
import { UserError } from '../../src/core/errors.js';
import { makeCerts } from './helpers/certs.js';
import type { TestCerts } from './helpers/certs.js';
import { clusterObjects } from './helpers/cluster.js';
import type { ClusterOpts } from './helpers/cluster.js';
import { startFakeApi } from './helpers/fakeapi.js';
import type { FakeApi } from './helpers/fakeapi.js';
import { closedPort } from './helpers/ingress.js';

let certs: TestCerts;
let api: FakeApi;
let noIngress: number;

before(async () => {
  certs = makeCerts();
  api = await startFakeApi(certs, []);
  noIngress = await closedPort();
});
after(() => api.close());

async function run(o: ClusterOpts, extra: Partial<Parameters<typeof verifyCluster>[0]> = {}): Promise<VerifyReport> {
  api.setObjects(clusterObjects({ cert: certs.valid, ...o }));
  return verifyCluster({
    kubeconfig: api.kubeconfig,
    packageName: 'podinfo',
    address: { host: '127.0.0.1', httpsPort: noIngress },
    timeoutMs: 3000,
    ...extra,
  });
}

function step(r: VerifyReport, n: number): StepResult {
  const s = r.steps.find((x) => x.step === n);
  assert.ok(s, `step ${n}`);
  return s;
}

const text = (s: StepResult) => [...s.details, s.fix ?? ''].join('\n');

describe('step 5: Flux and pods ready', () => {
  test('pass', async () => {
    const s = step(await run({}), 5);
    assert.equal(s.status, 'pass');
    assert.match(text(s), /HelmRelease bigbang\/istio: Ready/);
    assert.match(text(s), /GitRepository bigbang\/podinfo: Ready/);
    assert.match(text(s), /Pod podinfo\/podinfo-podinfo-7d9c8b6f4-abcde: Running, 2\/2 containers ready/);
  });
  test('fail: HelmRelease not ready, with the condition message', async () => {
    const s = step(await run({ hrReady: false }), 5);
    assert.equal(s.status, 'fail');
    assert.match(text(s), /HelmRelease bigbang\/podinfo: not ready - InstallFailed: Helm install failed .* context deadline exceeded/);
    assert.match(s.fix!, /kubectl describe helmrelease -n bigbang podinfo/);
  });
  test('fail: pods not ready, with the waiting reason', async () => {
    const s = step(await run({ podReady: false, podWaitingReason: 'ImagePullBackOff' }), 5);
    assert.equal(s.status, 'fail');
    assert.match(text(s), /Pending, 0\/2 containers ready \(ImagePullBackOff\)/);
  });
  test('fail: the package is not deployed', async () => {
    const s = step(await run({ omit: ['hr:podinfo', 'gitrepo:podinfo', 'pods'] }), 5);
    assert.equal(s.status, 'fail');
    assert.match(text(s), /HelmRelease bigbang\/podinfo: not found/);
    assert.match(s.fix!, /guide step 4/);
  });
});

describe('step 7: the TLS secret', () => {
  test('pass: parses, covers the host, valid, key matches; prints fingerprint', async () => {
    const s = step(await run({}), 7);
    assert.equal(s.status, 'pass', text(s));
    assert.match(text(s), /SANs: DNS:\*\.bigbang\.dev, DNS:bigbang\.dev/);
    assert.match(text(s), /covers podinfo\.bigbang\.dev \(SAN DNS:\*\.bigbang\.dev\)/);
    assert.match(text(s), /SHA-256 fingerprint: ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    assert.match(text(s), /tls.key matches the certificate/);
  });
  test('fail: expired', async () => {
    const s = step(await run({ cert: certs.expired }), 7);
    assert.equal(s.status, 'fail');
    assert.match(text(s), /expired on 2021-01-01/);
  });
  test('warn: expires within 30 days', async () => {
    const s = step(await run({ cert: certs.expiring }), 7);
    assert.equal(s.status, 'warn');
    assert.match(text(s), /expires within 30 days/);
  });
  test('fail: SANs do not cover the host', async () => {
    const s = step(await run({ cert: certs.wrongSan }), 7);
    assert.equal(s.status, 'fail');
    assert.match(text(s), /does not cover podinfo\.bigbang\.dev/);
  });
  test('fail: wildcard covers one label only', async () => {
    const s = step(await run({}, { host: 'a.podinfo.bigbang.dev' }), 7);
    assert.equal(s.status, 'fail');
  });
  test('fail: key does not match', async () => {
    const s = step(await run({ cert: { cert: certs.valid.cert, key: certs.otherKey } }), 7);
    assert.equal(s.status, 'fail');
    assert.match(text(s), /tls.key does not match the certificate/);
  });
  test('fail: wrong type, and missing secret', async () => {
    assert.equal(step(await run({ secretType: 'Opaque' }), 7).status, 'fail');
    const s = step(await run({ omit: ['secret'] }), 7);
    assert.equal(s.status, 'fail');
    assert.match(text(s), /secret istio-system\/public-cert not found/);
  });
});

describe('step 8: the ingress gateway Service', () => {
  test('pass', async () => {
    const s = step(await run({}), 8);
    assert.equal(s.status, 'pass', text(s));
    assert.match(text(s), /https: 443 -> 8443/);
    assert.match(text(s), /external address: 127\.0\.0\.1/);
  });
  test('fail: no external address (pending)', async () => {
    const s = step(await run({ lbAddress: null }), 8);
    assert.equal(s.status, 'fail');
    assert.match(text(s), /EXTERNAL-IP <pending>/);
  });
  test('fail: https forwards to the wrong port; ClusterIP', async () => {
    assert.match(text(step(await run({ httpsTargetPort: 443 }), 8)), /port 443 -> 443, expected -> 8443/);
    assert.equal(step(await run({ serviceType: 'ClusterIP' }), 8).status, 'fail');
  });
  test('warn: NodePort is noted', async () => {
    const s = step(await run({ serviceType: 'NodePort' }), 8);
    assert.equal(s.status, 'warn');
    assert.match(text(s), /type NodePort \(node ports: status-port=31021, http2=31080, https=31443\)/);
  });
});

describe('step 9: the Gateway', () => {
  test('pass', async () => {
    const s = step(await run({}), 9);
    assert.equal(s.status, 'pass', text(s));
  });
  test('fail: the selector matches no running ingress pod', async () => {
    const s = step(await run({ gatewaySelector: { app: 'other-ingressgateway' } }), 9);
    assert.equal(s.status, 'fail');
    assert.match(text(s), /selector app=other-ingressgateway matches no pod in istio-system/);
  });
  test('fail: HTTPS hosts do not cover the package host', async () => {
    const s = step(await run({ gatewayHosts: ['*.example.com'] }), 9);
    assert.equal(s.status, 'fail');
    assert.match(text(s), /none covers podinfo\.bigbang\.dev/);
  });
  test('fail: credentialName names a missing secret', async () => {
    const s = step(await run({ credentialName: 'other-cert' }), 9);
    assert.equal(s.status, 'fail');
    assert.match(text(s), /credentialName other-cert: no secret istio-system\/other-cert/);
  });
  test('warn: no http->https redirect', async () => {
    const s = step(await run({ gatewayRedirect: false }), 9);
    assert.equal(s.status, 'warn');
  });
  test('fail: gateway absent', async () => {
    assert.equal(step(await run({ omit: ['gateway'] }), 9).status, 'fail');
  });
});

describe('step 10: the package VirtualService', () => {
  test('pass', async () => {
    assert.equal(step(await run({}), 10).status, 'pass');
  });
  test('fail: bound to another gateway', async () => {
    const r = await run({ vsGateway: 'istio-system/main' }, { host: 'podinfo.bigbang.dev' });
    const s = step(r, 10);
    assert.equal(s.status, 'fail');
    assert.match(text(s), /gateways istio-system\/main \(does not exist\): not istio-system\/public/);
  });
  test('fail: route to a port the Service does not have', async () => {
    const s = step(await run({ vsPort: 8080 }), 10);
    assert.equal(s.status, 'fail');
    assert.match(text(s), /has no port 8080 \(ports: 9898, 9999\)/);
  });
  test('fail: route to a missing Service', async () => {
    const s = step(await run({ vsDestination: 'podinfo' }), 10);
    assert.equal(s.status, 'fail');
    assert.match(text(s), /no Service podinfo\/podinfo/);
  });
  test('fail: host does not match --host; no VirtualService', async () => {
    assert.equal(step(await run({}, { host: 'other.bigbang.dev' }), 10).status, 'fail');
    assert.match(text(step(await run({ omit: ['vs'] }), 10)), /no VirtualService in namespace podinfo/);
  });
});

describe('step 11: sidecars', () => {
  test('pass, as a container and as a native sidecar', async () => {
    assert.equal(step(await run({}), 11).status, 'pass');
    const s = step(await run({ sidecar: 'native' }), 11);
    assert.equal(s.status, 'pass');
    assert.match(text(s), /istio-proxy ready \(native sidecar\)/);
  });
  test('fail: no sidecar, with the exact rollout restart command', async () => {
    const s = step(await run({ sidecar: 'none' }), 11);
    assert.equal(s.status, 'fail');
    assert.match(text(s), /no istio-proxy container/);
    assert.match(s.fix!, /kubectl rollout restart -n podinfo deployment\/podinfo-podinfo/);
    assert.equal(s.fix!.match(/rollout restart/g)!.length, 1, 'one command per owner');
  });
  test('fail: namespace not labelled for injection says so first', async () => {
    const s = step(await run({ sidecar: 'none', namespaceInjection: false }), 11);
    assert.match(s.fix!, /kubectl label namespace podinfo istio-injection=enabled.*kubectl rollout restart/);
  });
});

describe('layouts', () => {
  test('bb3 is detected from HelmRelease istiod and checks istio-gateway names', async () => {
    const r = await run({ layout: 'bb3' });
    assert.equal(r.layout, 'bb3');
    assert.match(r.layoutReason, /istiod/);
    for (const n of [5, 7, 8, 9, 10, 11]) assert.equal(step(r, n).status, 'pass', `${n}: ${text(step(r, n))}`);
    assert.equal(step(r, 9).title, 'Gateway istio-gateway/public-ingressgateway');
    assert.equal(step(r, 7).title, 'TLS certificate in secret istio-gateway/public-cert');
  });
  test('--layout bb3 on a bb2 cluster fails with a hint', async () => {
    const r = await run({}, { layout: 'bb3' });
    assert.equal(step(r, 5).status, 'fail');
    assert.match(step(r, 5).fix!, /--layout/);
  });
});

describe('--wait', () => {
  test('polls until ready, reporting progress', async () => {
    api.setObjects(clusterObjects({ cert: certs.valid, podReady: false }));
    const seen: WaitProgress[] = [];
    const p = verifyCluster({
      kubeconfig: api.kubeconfig,
      packageName: 'podinfo',
      address: { host: '127.0.0.1', httpsPort: noIngress },
      timeoutMs: 3000,
      waitMs: 10_000,
      pollMs: 100,
      onProgress: (x) => {
        seen.push(x);
        if (seen.length === 2) api.setObjects(clusterObjects({ cert: certs.valid }));
      },
    });
    const r = await p;
    assert.equal(r.wait?.ready, true);
    assert.ok(r.wait!.polls >= 3);
    assert.match(seen[0].summary, /pods in podinfo 0\/1/);
    assert.equal(seen.at(-1)!.done, true);
    assert.equal(step(r, 5).status, 'pass');
  });
  test('is bounded: gives up after the duration', async () => {
    api.setObjects(clusterObjects({ cert: certs.valid, podReady: false }));
    const t0 = Date.now();
    const r = await verifyCluster({
      kubeconfig: api.kubeconfig,
      packageName: 'podinfo',
      address: { host: '127.0.0.1', httpsPort: noIngress },
      waitMs: 600,
      pollMs: 150,
    });
    assert.ok(Date.now() - t0 < 3000);
    assert.equal(r.wait?.ready, false);
    assert.equal(step(r, 5).status, 'fail');
  });
});

describe('helpers', () => {
  test('host matching: certificate vs Istio wildcard rules', () => {
    assert.ok(certificateCovers('*.bigbang.dev', 'podinfo.bigbang.dev'));
    assert.ok(!certificateCovers('*.bigbang.dev', 'a.b.bigbang.dev'));
    assert.ok(!certificateCovers('*.bigbang.dev', 'bigbang.dev'));
    assert.ok(requestHostMatches('*.bigbang.dev', 'a.b.bigbang.dev'));
    assert.ok(requestHostMatches('*', 'x.y'));
    assert.ok(!certificateCovers('*', 'x.y'));
    assert.ok(certificateCovers('PodInfo.BigBang.dev', 'podinfo.bigbang.dev'));
  });
  test('durations', () => {
    assert.equal(parseDuration('10m'), 600_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1.5s'), 1500);
    for (const bad of ['', '10', 'ten minutes', '5d', '10m5', '-1s', '25h']) assert.throws(() => parseDuration(bad), UserError, bad);
  });
});
