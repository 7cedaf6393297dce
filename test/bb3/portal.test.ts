// A Big Bang 3.x package as its maintainers write it (test/fixtures/bb3/portal: bb-common routes, network
// policies and authorization policies), read without --layout: clean, it checks with no warning or error and
// every host traces 200; each seeded fault (test/fixtures/bb3/faults/) is caught by its own code, on the
// object trace names, and findings on what the library generated point at the values that produced it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkPackage } from '../../src/analysis/check.js';
import { buildDiagram } from '../../src/analysis/trace/diagram.js';
import { traceRequest } from '../../src/analysis/trace/index.js';
import { loadMesh } from '../../src/sources/index.js';
import { bb3Package, faultNames } from './helpers.js';

const HOSTS = ['portal', 'portal-admin', 'portal-docs'];
const url = (h: string) => `https://${h}.dev.bigbang.mil/`;

test('clean 3.x package: layout detected, no warning or error, every host 200 through the gateway its route binds', async () => {
  const dir = bb3Package();
  const res = await checkPackage(dir);
  assert.equal(res.layout, 'bb3');
  assert.match(res.layoutReason ?? '', /detected from .*chart\/Chart\.yaml dependency bb-common 0\.1\.0/);
  assert.deepEqual(
    res.findings.filter((f) => f.severity !== 'info').map((f) => `${f.code} ${f.object.kind}/${f.object.name}: ${f.message}`),
    [],
  );
  // The Istio-off render has no Istio object (the library renders routes only where networking.istio.io/v1 is served).
  const off = res.disabledRender!.manifests.filter((m) => m.origin.stage === 'package');
  assert.deepEqual(
    off.filter((m) => /istio\.io\//.test(m.apiVersion)).map((m) => `${m.kind}/${m.name}`),
    [],
  );
  assert.ok(
    off.some((m) => m.kind === 'NetworkPolicy'),
    'network policies render either way',
  );
  const mesh = await loadMesh({ dir });
  for (const h of HOSTS) {
    const t = traceRequest(mesh.model, { url: url(h) });
    assert.equal(t.verdict.ok, true, `${h}: ${t.verdict.reason}`);
    const np = t.hops.find((x) => x.kind === 'network-policy');
    assert.ok(np?.ok, `${h}: a NetworkPolicy hop admits the gateway`);
  }
  // Both gateways serve *.dev.bigbang.mil; DNS for portal-admin points at the passthrough gateway its route binds.
  const admin = traceRequest(mesh.model, { url: url('portal-admin') });
  const ingress = admin.hops.find((x) => x.kind === 'ingress-service')!;
  assert.match(ingress.title, /istio-gateway\/passthrough-ingressgateway/);
  assert.match(ingress.detail, /VirtualService portal\/admin binds istio-gateway\/passthrough-ingressgateway/);
  const pub = traceRequest(mesh.model, { url: url('portal') }).hops.find((x) => x.kind === 'ingress-service')!;
  assert.match(pub.title, /istio-gateway\/public-ingressgateway/);
});

interface Expect {
  code: string;
  object: string;
  host: string;
  status: number | string;
  flag?: string;
  severity?: string;
  /** The values key a finding on a generated object names. */
  values?: string;
}

const FAULTS: Record<string, Expect> = {
  'route-port': {
    code: 'MESH004',
    object: 'VirtualService/portal',
    host: 'portal',
    status: 503,
    flag: 'NC',
    values: 'routes.inbound.portal.port',
  },
  'route-gateway': {
    code: 'MESH001',
    object: 'VirtualService/portal',
    host: 'portal',
    status: 404,
    flag: 'NR',
    values: 'routes.inbound.portal.gateways',
  },
  'route-host': {
    code: 'MESH002',
    object: 'VirtualService/portal',
    host: 'portal.bigbang.dev',
    status: 'tls-handshake-failure',
    values: 'routes.inbound.portal.hosts',
  },
  'route-selector': {
    code: 'MESH021',
    object: 'NetworkPolicy/allow-ingress-to-portal-8080-from-ns-istio-gateway-pod-public-ingressgateway',
    host: 'portal',
    status: 503,
    flag: 'UF',
    values: 'routes.inbound.portal.selector',
  },
  'netpol-service-port': {
    code: 'MESH021',
    object: 'NetworkPolicy/allow-ingress-to-portal-80-from-ns-istio-gateway-pod-public-ingressgateway',
    host: 'portal',
    status: 503,
    flag: 'UF',
    values: 'routes.inbound.portal.port',
  },
  'netpol-namespace-label': {
    code: 'MESH021',
    object: 'NetworkPolicy/allow-ingress-to-portal-docs-tcp-port-8080-from-ns-istio-gateway-pod-public-ingressgateway',
    host: 'portal-docs',
    status: 503,
    flag: 'UF',
    values: 'networkPolicies.ingress.to.portal-docs:8080',
  },
  'netpol-pod-label': {
    code: 'MESH021',
    object: 'NetworkPolicy/allow-ingress-to-portal-docs-tcp-port-8080-from-definition-gateway',
    host: 'portal-docs',
    status: 503,
    flag: 'UF',
  },
  'netpol-port': {
    code: 'MESH021',
    object: 'NetworkPolicy/allow-ingress-to-portal-docs-tcp-port-9090-from-ns-istio-gateway-pod-public-ingressgateway',
    host: 'portal-docs',
    status: 503,
    flag: 'UF',
  },
  'netpol-default-deny': {
    code: 'MESH021',
    object: 'NetworkPolicy/default-ingress-deny-all',
    host: 'portal-docs',
    status: 503,
    flag: 'UF',
  },
  'netpol-ipblock': {
    code: 'MESH021',
    object: 'NetworkPolicy/allow-ingress-to-portal-docs-tcp-port-8080-from-cidr-10-0-0-0-8',
    host: 'portal-docs',
    status: 503,
    flag: 'UF',
    severity: 'warning',
  },
  'netpol-istiod': { code: 'MESH022', object: 'NetworkPolicy/default-egress-deny-all', host: 'portal', status: 503, flag: 'UH' },
  'authz-principal': {
    code: 'MESH019',
    object: 'AuthorizationPolicy/allow-public-ingressgateway-to-docs',
    host: 'portal-docs',
    status: 403,
  },
  'authz-deny': { code: 'MESH019', object: 'AuthorizationPolicy/deny-gateway-to-docs', host: 'portal-docs', status: 403 },
};

test('every fault fixture has an expectation', () => {
  assert.deepEqual(faultNames(), Object.keys(FAULTS).sort());
});

for (const [fault, e] of Object.entries(FAULTS)) {
  test(`fault ${fault}: ${e.code} on ${e.object}, and the trace of ${e.host} fails there`, async () => {
    const dir = bb3Package({ fault });
    const res = await checkPackage(dir);
    const on = res.findings.filter((f) => f.code === e.code && `${f.object.kind}/${f.object.name}` === e.object);
    assert.equal(
      on.length,
      1,
      `${e.code} on ${e.object}; got ${res.findings.map((f) => `${f.code} ${f.object.kind}/${f.object.name}`).join(', ')}`,
    );
    assert.equal(on[0].severity, e.severity ?? 'error');
    if (e.values) {
      const src = on[0].source!;
      assert.equal(src.values, e.values);
      assert.equal(src.library, 'bb-common');
      assert.match(src.file, /chart\/values\.yaml$/);
      // The line is the key's own line in the values file the fault edits.
      const lines = readFileSync(join(dir, 'chart', 'values.yaml'), 'utf8').split('\n');
      const leaf = e.values.split('.').pop()!;
      assert.match(
        lines[src.line - 1],
        new RegExp(`^\\s*${leaf.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`),
        `line ${src.line}: ${lines[src.line - 1]}`,
      );
    }
    const mesh = await loadMesh({ dir });
    const t = traceRequest(mesh.model, { url: e.host.includes('.') ? `https://${e.host}/` : url(e.host) });
    assert.equal(t.verdict.ok, false);
    assert.equal(t.verdict.status, e.status, t.verdict.reason);
    if (e.flag) assert.equal(t.verdict.flag, e.flag);
    assert.equal(t.verdict.code, e.code, t.verdict.reason);
    assert.equal(`${t.verdict.object?.kind}/${t.verdict.object?.name}`, e.object);
    if (e.code === 'MESH021') {
      assert.match(t.verdict.reason, /^503 UF: upstream connect error .* reset reason: connection timeout/);
      assert.match(t.verdict.reason, new RegExp(e.object.split('/')[1]));
      const hop = t.hops[t.verdict.hop!];
      assert.equal(hop.kind, 'network-policy');
      // The diagram draws the blocked edge into the NetworkPolicy hop (dashed, red).
      const d = buildDiagram(mesh.model);
      assert.match(d.mermaid, /-\.->\|"[^"]*"\| n\d+/);
      assert.match(d.mermaid, /NetworkPolicy<\/b>/);
    }
  });
}
