// check and trace are one semantics: for generated meshes, each with a random set of faults from every
// failure class trace knows (gateway ref, host, exportTo, destination host and port, selector, targetPort,
// TLS secret or the Certificate that makes it, mTLS, authz, subset, redirect), every failing trace names
// a code that check reports on the object trace names, and every error check reports on a VirtualService
// makes the trace of a URL that takes that route fail. NetworkPolicies (default deny, an allow for the gateway
// right or wrong by port, namespace or ipBlock, an egress deny cutting sidecars off istiod) are among the faults.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { RULES } from '../../src/analysis/rules/catalogue.js';
import { runRules } from '../../src/analysis/rules/engine.js';
import type { Finding } from '../../src/analysis/rules/types.js';
import { traceRequest } from '../../src/analysis/trace/index.js';
import { LAYOUTS } from '../../src/core/layout.js';
import { loadManifests } from '../../src/manifest/load.js';
import { buildModel } from '../../src/model/build.js';
import { exampleRequest } from '../../src/model/match.js';
import { withPlatform } from '../../src/sources/platform.js';

const FAULTS = [
  'gatewayTypo',
  'gatewayBare',
  'shortHost',
  'foreignHost',
  'exportHidden',
  'serviceTypo',
  'serviceDotNs',
  'portWrong',
  'selectorWrong',
  'targetPortName',
  'ownGatewayNoSecret',
  'ownGatewayCertificate',
  'ownGatewayNoSelector',
  'mtlsDisable',
  'allowNothing',
  'subset',
  'redirectLoop',
  'serviceHidden',
  'netpolDenyAll',
  'netpolAllowGateway',
  'netpolWrongPort',
  'netpolWrongNamespace',
  'netpolIpBlock',
  'netpolEgressDeny',
] as const;
type Fault = (typeof FAULTS)[number];

export function mesh(faults: Set<Fault>): string {
  const f = (x: Fault) => faults.has(x);
  const host = f('shortHost') ? 'app' : f('foreignHost') ? 'app.example.com' : 'app.bigbang.dev';
  const gateway = f('gatewayTypo')
    ? 'istio-system/publik'
    : f('gatewayBare')
      ? 'public'
      : ownGateway(faults)
        ? 'istio-system/own'
        : 'istio-system/public';
  const dest = f('serviceTypo') ? 'ap.shop.svc.cluster.local' : f('serviceDotNs') ? 'app.shop' : 'app.shop.svc.cluster.local';
  const docs = [
    `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio-injection: enabled`,
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: app}\n  template:\n    metadata:\n      labels: {app: app, version: v1}\n    spec:\n      containers:\n        - name: app\n          ports:\n            - {name: http, containerPort: 9000}`,
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: app\n  namespace: shop${f('serviceHidden') ? '\n  annotations:\n    networking.istio.io/exportTo: "."' : ''}\nspec:\n  selector: {app: ${f('selectorWrong') ? 'ap' : 'app'}}\n  ports:\n    - {name: http, port: 8080, targetPort: ${f('targetPortName') ? 'web' : 'http'}}\n    - {name: http-metrics, port: 9090, targetPort: 9090}`,
    `apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata:\n  name: app\n  namespace: shop\nspec:${f('exportHidden') ? '\n  exportTo: ["."]' : ''}\n  gateways: [${gateway}]\n  hosts: [${host}]\n  http:${f('redirectLoop') ? '\n    - match: [{uri: {prefix: /old}}]\n      redirect: {uri: /old/again}' : ''}\n    - route:\n        - destination:\n            host: ${dest}\n            port: {number: ${f('portWrong') ? 9999 : 8080}}${f('subset') ? '\n            subset: v2' : ''}`,
  ];
  if (f('mtlsDisable')) {
    docs.push(
      `apiVersion: security.istio.io/v1beta1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: shop}\nspec:\n  mtls: {mode: STRICT}`,
    );
    docs.push(
      `apiVersion: networking.istio.io/v1beta1\nkind: DestinationRule\nmetadata: {name: plain, namespace: shop}\nspec:\n  host: app.shop.svc.cluster.local\n  trafficPolicy:\n    tls: {mode: DISABLE}`,
    );
  }
  const netpol = (name: string, spec: string) =>
    docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: shop}\nspec:\n${spec}`);
  const gatewayPeer = (ns: string) =>
    `- namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ${ns}}}\n          podSelector: {matchLabels: {app: public-ingressgateway}}`;
  if (f('netpolDenyAll')) netpol('default-deny', '  podSelector: {}\n  policyTypes: [Ingress]');
  if (f('netpolAllowGateway'))
    netpol(
      'allow-gateway',
      `  podSelector: {matchLabels: {app: app}}\n  ingress:\n    - from:\n        ${gatewayPeer('istio-system')}\n      ports: [{port: http}]`,
    );
  if (f('netpolWrongPort'))
    netpol(
      'allow-gateway-service-port',
      `  podSelector: {matchLabels: {app: app}}\n  ingress:\n    - from:\n        ${gatewayPeer('istio-system')}\n      ports: [{port: 8080}]`,
    );
  if (f('netpolWrongNamespace'))
    netpol(
      'allow-gateway-other-ns',
      `  podSelector: {matchLabels: {app: app}}\n  ingress:\n    - from:\n        ${gatewayPeer('istio-gateway')}`,
    );
  if (f('netpolIpBlock'))
    netpol(
      'allow-cluster-cidr',
      '  podSelector: {matchLabels: {app: app}}\n  ingress:\n    - from:\n        - ipBlock: {cidr: 10.0.0.0/8}',
    );
  if (f('netpolEgressDeny')) netpol('deny-egress', '  podSelector: {}\n  policyTypes: [Egress]');
  if (f('allowNothing'))
    docs.push(`apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: allow-nothing, namespace: shop}\nspec: {}`);
  if (ownGateway(faults)) {
    const selector = f('ownGatewayNoSelector') ? '' : '\n  selector: {app: public-ingressgateway}';
    docs.push(
      `apiVersion: networking.istio.io/v1beta1\nkind: Gateway\nmetadata: {name: own, namespace: istio-system}\nspec:${selector}\n  servers:\n    - hosts: ["*.bigbang.dev"]\n      port: {name: https-own, number: 8443, protocol: HTTPS}\n      tls: {mode: SIMPLE, credentialName: own-cert}`,
    );
    if (f('ownGatewayCertificate')) {
      docs.push(
        `apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: own, namespace: istio-system}\nspec:\n  secretName: own-cert\n  dnsNames: ["*.bigbang.dev"]\n  issuerRef: {name: ca, kind: ClusterIssuer}`,
      );
    }
  }
  return docs.join('\n---\n');
}

function ownGateway(faults: Set<Fault>): boolean {
  return faults.has('ownGatewayNoSecret') || faults.has('ownGatewayCertificate') || faults.has('ownGatewayNoSelector');
}

export function analyse(yaml: string) {
  const manifests = withPlatform(loadManifests(yaml, { file: 'mesh.yaml', stage: 'input' }), { layout: 'bb2', domain: 'bigbang.dev' });
  const model = buildModel(manifests, { layout: LAYOUTS.bb2 });
  const findings = runRules(RULES, { model, layout: LAYOUTS.bb2, istioEnabled: true }, { render: 'input' });
  return { model, findings };
}

const onObject = (findings: Finding[], code: string, o: { kind: string; namespace: string; name: string }) =>
  findings.some((f) => f.code === code && f.object.kind === o.kind && f.object.namespace === o.namespace && f.object.name === o.name);

const faultSets = fc.subarray([...FAULTS], { minLength: 0, maxLength: 4 }).map((xs) => new Set<Fault>(xs));

test('every failing trace names a code that check reports on the object trace names', () => {
  fc.assert(
    fc.property(faultSets, fc.constantFrom('https', 'http'), (faults, scheme) => {
      const { model, findings } = analyse(mesh(faults));
      const host = faults.has('shortHost') ? 'app.bigbang.dev' : faults.has('foreignHost') ? 'app.example.com' : 'app.bigbang.dev';
      for (const path of ['/', '/old/x']) {
        const v = traceRequest(model, { url: `${scheme}://${host}${path}` }).verdict;
        if (v.ok) continue;
        // With no configuration fault, nothing may fail; with one, the failure names its rule.
        assert.ok(v.code, `${[...faults].join(',') || 'no fault'} ${scheme}://${host}${path}: ${v.reason} names no code`);
        assert.ok(v.object, `${v.code} names no object`);
        assert.ok(
          onObject(findings, v.code!, v.object!),
          `trace says ${v.code} on ${v.object!.kind} ${v.object!.namespace}/${v.object!.name} (${v.reason}); check: ${findings.map((f) => `${f.code} ${f.object.kind}/${f.object.name}`).join(', ') || 'nothing'} [${[...faults]}]`,
        );
      }
    }),
    { numRuns: 400 },
  );
});

test('every error check reports on a VirtualService path makes the trace of a URL taking that route fail', () => {
  fc.assert(
    fc.property(faultSets, (faults) => {
      const { model, findings } = analyse(mesh(faults));
      for (const f of findings.filter((x) => x.severity === 'error' && x.object.kind === 'VirtualService')) {
        const vs = model.virtualServicesByName.get(`${f.object.namespace}/${f.object.name}`)!;
        // The route the finding points into (spec.http[i]...), else every route of the VirtualService.
        const i = f.path?.[1] === 'http' && typeof f.path[2] === 'number' ? f.path[2] : undefined;
        const rules = i === undefined ? vs.http : [vs.http[i]];
        const hosts = vs.fqdnHosts.map((h) => (h.includes('.svc.') ? h.split('.')[0] + '.bigbang.dev' : h));
        const urls = hosts.flatMap((h) => rules.map((r) => `https://${h.toLowerCase()}${exampleRequest(r.match?.[0])?.path ?? '/'}`));
        const failing = urls.filter((u) => !traceRequest(model, { url: u }).verdict.ok);
        assert.ok(failing.length, `${f.code} error on ${f.object.name} (${f.message}) but ${urls.join(', ')} all succeed [${[...faults]}]`);
      }
    }),
    { numRuns: 400 },
  );
});

test('the generator is sound: without faults check is silent at warning and above, and every URL succeeds', () => {
  const { model, findings } = analyse(mesh(new Set()));
  assert.deepEqual(
    findings.filter((f) => f.severity !== 'info').map((f) => `${f.code} ${f.message}`),
    [],
  );
  for (const url of ['https://app.bigbang.dev/', 'http://app.bigbang.dev/'])
    assert.equal(traceRequest(model, { url }).verdict.ok, true, url);
});

test('a default deny with an allow for the gateway on the named container port is clean, and traces through the policy', () => {
  const { model, findings } = analyse(mesh(new Set(['netpolDenyAll', 'netpolAllowGateway'])));
  assert.deepEqual(
    findings.filter((f) => f.severity !== 'info').map((f) => `${f.code} ${f.message}`),
    [],
  );
  const r = traceRequest(model, { url: 'https://app.bigbang.dev/' });
  assert.equal(r.verdict.ok, true, r.verdict.reason);
  assert.match(r.hops.find((h) => h.kind === 'network-policy')!.title, /shop\/allow-gateway spec\.ingress\[0\]/);
});
