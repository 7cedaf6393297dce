// examples/podinfo after integration: the guide's path, the redirect, and an unknown host.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { traceManifests } from '../../src/analysis/trace/run.js';
import { traceToText } from '../../src/report/trace-text.js';
import { traceToMermaid } from '../../src/report/trace-mermaid.js';
import { FIXTURE, PODINFO, trace } from './helpers.js';

const HTTPS_PATH = [
  'client',
  'ingress-service',
  'gateway-workload',
  'gateway-server',
  'virtual-service',
  'route',
  'destination',
  'service-port',
  'target-port',
  'workload',
  'sidecar',
  'container',
];

function assertGuidePath(hops: ReturnType<typeof trace>['hops']) {
  assert.deepEqual(
    hops.map((h) => h.kind),
    HTTPS_PATH,
  );
  const by = (k: string) => hops.find((h) => h.kind === k)!;
  assert.equal(by('ingress-service').ports, '443 -> 8443');
  assert.deepEqual(by('ingress-service').object, { kind: 'Service', namespace: 'istio-system', name: 'public-ingressgateway' });
  assert.equal(by('ingress-service').assumed, true);
  assert.deepEqual(by('gateway-server').object, { kind: 'Gateway', namespace: 'istio-system', name: 'public' });
  assert.match(
    by('gateway-server').detail,
    /\*\.bigbang\.dev matches SNI podinfo\.bigbang\.dev; TLS SIMPLE with Secret istio-system\/public-cert/,
  );
  assert.deepEqual(by('virtual-service').object, { kind: 'VirtualService', namespace: 'podinfo', name: 'podinfo-podinfo' });
  assert.equal(by('service-port').title, 'Service podinfo/podinfo-podinfo port 9898 (http)');
  assert.equal(by('target-port').ports, 'http -> 9898');
  assert.equal(by('sidecar').ports, '9898 -> 15006');
  assert.match(by('sidecar').title, /15006, mTLS STRICT/);
  assert.equal(by('container').title, 'container podinfo port 9898 (http)');
  assert.ok(hops.every((h) => h.ok));
}

test('https://podinfo.bigbang.dev/ succeeds: 443 -> 8443 -> Gateway public -> VirtualService -> 9898 -> http -> 15006 -> 9898', () => {
  const r = trace(PODINFO, 'https://podinfo.bigbang.dev/');
  assert.equal(r.verdict.ok, true);
  assert.equal(r.verdict.status, 200);
  assertGuidePath(r.hops);
  // Positions point into the fixture, at the template that wrote them.
  const vs = r.hops.find((h) => h.kind === 'virtual-service')!;
  assert.equal(vs.source?.file, FIXTURE);
  assert.equal(vs.source?.template, 'podinfo/templates/bigbang/virtualservice.yaml');
  assert.ok((vs.source?.line ?? 0) > 200);
  const c = r.hops.find((h) => h.kind === 'container')!;
  assert.equal(c.source?.template, 'podinfo/templates/deployment.yaml');
});

test('http://podinfo.bigbang.dev/ gets the 301 from httpsRedirect, then the same path', () => {
  const r = trace(PODINFO, 'http://podinfo.bigbang.dev/');
  assert.equal(r.verdict.ok, true);
  const i = r.hops.findIndex((h) => h.kind === 'redirect');
  assert.deepEqual(
    r.hops.slice(0, i + 1).map((h) => h.kind),
    ['client', 'ingress-service', 'gateway-workload', 'gateway-server', 'redirect'],
  );
  assert.equal(r.hops[1].ports, '80 -> 8080');
  assert.equal(r.hops[i].title, '301 to https://podinfo.bigbang.dev/');
  assertGuidePath(r.hops.slice(i + 1));
  assert.match(r.verdict.reason, /after 301 to https:\/\/podinfo\.bigbang\.dev\//);
});

test('httpsRedirect answers 301 for any server host, even one without a VirtualService', () => {
  const r = trace(PODINFO, 'http://unknown.bigbang.dev/x?y=1');
  assert.equal(r.hops[4].kind, 'redirect');
  assert.equal(r.hops[4].title, '301 to https://unknown.bigbang.dev/x?y=1');
  assert.equal(r.verdict.status, 404);
});

test('an unknown host gives 404 NR at the gateway', () => {
  const r = trace(PODINFO, 'https://unknown.bigbang.dev/');
  assert.equal(r.verdict.ok, false);
  assert.equal(r.verdict.status, 404);
  assert.equal(r.verdict.flag, 'NR');
  const h = r.hops[r.verdict.hop!];
  assert.equal(h.kind, 'virtual-service');
  assert.deepEqual(h.object, { kind: 'Gateway', namespace: 'istio-system', name: 'public' });
  assert.equal(
    r.hops.slice(0, r.verdict.hop).every((x) => x.ok),
    true,
  );
});

test('library traceManifests, text and mermaid reports', async () => {
  const r = await traceManifests('https://podinfo.bigbang.dev/', [FIXTURE]);
  assert.equal(r.verdict.ok, true);
  const text = traceToText(r);
  assert.match(text, /^ 1 ✓ client/m);
  assert.match(text, /12 ✓ container\s+container podinfo port 9898/);
  assert.match(text, /podinfo-integrated\.yaml:\d+:\d+ \(podinfo\/templates\/service\.yaml\)/);
  assert.match(text, /✓ 200/);
  const mmd = traceToMermaid(r);
  assert.match(mmd, /^flowchart LR$/m);
  assert.match(mmd, /Gateway istio-system\/public server\[1\] HTTPS 8443/);
  assert.match(mmd, /-->\|"443 → 8443"\|/);
  assert.doesNotMatch(mmd, /class [^;]* broken;/);
  const bad = traceToMermaid(trace(PODINFO, 'https://unknown.bigbang.dev/'));
  assert.match(bad, /class n\d+ broken;/);
  assert.match(bad, /✗ 404 NR/);
  // JSON is plain data, sources included.
  const json = JSON.parse(JSON.stringify(r));
  assert.equal(json.hops[4].source.template, 'podinfo/templates/bigbang/virtualservice.yaml');
  assert.equal(json.verdict.status, 200);
});
