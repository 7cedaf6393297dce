// Where bbmesh used to depart from Istio, check and trace now agree with istiod, and with each other:
// host binding is case-sensitive (requests are not), dot-less VirtualService hosts are expanded before
// binding, each VirtualService-Gateway pair is judged (IST0132), a Certificate's Secret counts, and an
// empty Gateway selector means every gateway workload.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULES } from '../../src/analysis/rules/catalogue.js';
import { runRules } from '../../src/analysis/rules/engine.js';
import { traceRequest } from '../../src/analysis/trace/index.js';
import { LAYOUTS } from '../../src/core/layout.js';
import { loadManifests } from '../../src/manifest/load.js';
import { buildModel } from '../../src/model/build.js';
import { withPlatform } from '../../src/sources/platform.js';

const APP = `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: shop}
spec:
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers: [{name: app, ports: [{name: http, containerPort: 9000}]}]
---
apiVersion: v1
kind: Service
metadata: {name: app, namespace: shop}
spec:
  selector: {app: app}
  ports: [{name: http, port: 8080, targetPort: http}]
`;

const vs = (hosts: string[], gateways: string[]) => `---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: app, namespace: shop}
spec:
  gateways: [${gateways.join(', ')}]
  hosts: [${hosts.join(', ')}]
  http:
    - route: [{destination: {host: app.shop.svc.cluster.local, port: {number: 8080}}}]
`;

const gateway = (name: string, hosts: string[], extra = '  selector: {app: public-ingressgateway}\n') => `---
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata: {name: ${name}, namespace: istio-system}
spec:
${extra}  servers:
    - hosts: [${hosts.map((h) => `"${h}"`).join(', ')}]
      port: {name: https-${name}, number: 8443, protocol: HTTPS}
      tls: {mode: SIMPLE, credentialName: ${name}-cert}
`;

const secret = (name: string) => `---
apiVersion: v1
kind: Secret
metadata: {name: ${name}, namespace: istio-system}
type: kubernetes.io/tls
`;

function run(yaml: string) {
  const manifests = withPlatform(loadManifests(yaml, { file: 'in.yaml', stage: 'input' }), { layout: 'bb2', domain: 'bigbang.dev' });
  const model = buildModel(manifests, { layout: LAYOUTS.bb2 });
  const findings = runRules(RULES, { model, layout: LAYOUTS.bb2, istioEnabled: true }, { render: 'input' }).filter(
    (f) => f.severity !== 'info',
  );
  return {
    findings: findings.map((f) => `${f.code} ${f.object.kind}/${f.object.name}`),
    trace: (url: string) => traceRequest(model, { url }).verdict,
  };
}

test('binding is case-sensitive: Foo.bigbang.dev gets no virtual host on a foo.bigbang.dev server (404 NR, MESH002)', () => {
  const r = run(APP + gateway('exact', ['foo.bigbang.dev']) + secret('exact-cert') + vs(['Foo.bigbang.dev'], ['istio-system/exact']));
  assert.deepEqual(r.findings, ['MESH002 VirtualService/app']);
  const v = r.trace('https://foo.bigbang.dev/');
  assert.equal(v.status, 404);
  assert.equal(v.code, 'MESH002');
});

test('requests match case-insensitively: FOO.bigbang.dev reaches a foo.bigbang.dev VirtualService', () => {
  const r = run(APP + gateway('exact', ['foo.bigbang.dev']) + secret('exact-cert') + vs(['foo.bigbang.dev'], ['istio-system/exact']));
  assert.deepEqual(r.findings, []);
  assert.equal(r.trace('https://FOO.bigbang.dev/').ok, true);
});

test('a wildcard server binds a mixed-case host; the virtual host is the lower-cased name', () => {
  const r = run(APP + vs(['Foo.bigbang.dev'], ['istio-system/public']));
  assert.deepEqual(r.findings, []);
  assert.equal(r.trace('https://foo.bigbang.dev/').ok, true);
});

test('a dot-less host is <host>.<namespace>.svc.cluster.local before binding: not served by *.bigbang.dev', () => {
  const r = run(APP + vs(['app'], ['istio-system/public']));
  assert.deepEqual(r.findings, ['MESH002 VirtualService/app']);
  const v = r.trace('https://app.bigbang.dev/');
  assert.equal(v.status, 404);
  assert.equal(v.code, 'MESH002');
});

test('a dot-less host binds to a `*` server as its expanded name', () => {
  const r = run(APP + gateway('all', ['*']) + secret('all-cert') + vs(['app'], ['istio-system/all']));
  assert.deepEqual(r.findings, []);
});

test('a VirtualService bound to two Gateways, one serving none of its hosts: MESH017 (IST0132), the host still works', () => {
  const r = run(
    APP +
      gateway('other', ['*.example.com']) +
      secret('other-cert') +
      vs(['app.bigbang.dev'], ['istio-system/public', 'istio-system/other']),
  );
  assert.deepEqual(r.findings, ['MESH017 VirtualService/app']);
  assert.equal(r.trace('https://app.bigbang.dev/').ok, true);
});

test('a credentialName made by a cert-manager Certificate: check and trace both accept it', () => {
  const cert = `---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: own, namespace: istio-system}
spec: {secretName: own-cert, dnsNames: ["*.bigbang.dev"], issuerRef: {name: ca, kind: ClusterIssuer}}
`;
  const r = run(APP + gateway('own', ['*.bigbang.dev']) + cert + vs(['app.bigbang.dev'], ['istio-system/own']));
  assert.deepEqual(r.findings, []);
  assert.equal(r.trace('https://app.bigbang.dev/').ok, true);
  const without = run(APP + gateway('own', ['*.bigbang.dev']) + vs(['app.bigbang.dev'], ['istio-system/own']));
  assert.deepEqual(without.findings, ['MESH009 Gateway/own']);
  assert.equal(without.trace('https://app.bigbang.dev/').code, 'MESH009');
});

test('an empty Gateway selector applies to every gateway workload, in check and in trace', () => {
  const r = run(APP + gateway('any', ['*.bigbang.dev'], '') + secret('any-cert') + vs(['app.bigbang.dev'], ['istio-system/any']));
  assert.deepEqual(r.findings, []);
  assert.equal(r.trace('https://app.bigbang.dev/').ok, true);
});
