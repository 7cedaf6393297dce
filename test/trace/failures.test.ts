// One broken variant of the integrated podinfo per failure class: the verdict the client sees
// (status, Envoy flag), the hop that decides it, and the check code that would have caught it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TraceRequest } from '../../src/analysis/trace/types.js';
import { failedHop, mutate, PODINFO, trace, VS_ROUTE } from './helpers.js';

interface Case {
  name: string;
  yaml: string;
  req?: TraceRequest | string;
  status: number | string;
  flag?: string;
  hop: string;
  code?: string;
  object?: string;
  reason?: RegExp;
}

const VS = 'VirtualService/podinfo/podinfo-podinfo';
const PUBLIC_GW = (servers: string) => `
---
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata:
  name: public
  namespace: istio-system
spec:
  selector:
    app: public-ingressgateway
  servers:
${servers}`;

const cases: Case[] = [
  {
    name: '301 loop: a route redirects https back to http',
    yaml: mutate(PODINFO, VS_ROUTE, '  http:\n    - redirect:\n        scheme: http\n'),
    req: 'http://podinfo.bigbang.dev/',
    status: 301,
    flag: 'loop',
    hop: 'redirect',
    code: 'MESH020',
    object: VS,
  },
  {
    name: 'TLS handshake failure: no server for the SNI (VirtualService host outside *.bigbang.dev)',
    yaml: mutate(PODINFO, '    - podinfo.bigbang.dev\n', '    - podinfo.example.com\n'),
    req: 'https://podinfo.example.com/',
    status: 'tls-handshake-failure',
    hop: 'gateway-server',
    code: 'MESH002',
    object: 'Gateway/istio-system/public',
  },
  {
    name: 'TLS handshake failure: credentialName Secret missing in the gateway namespace',
    yaml:
      PODINFO +
      PUBLIC_GW(`    - hosts: ["*.bigbang.dev"]
      port: {name: https, number: 8443, protocol: HTTPS}
      tls: {mode: SIMPLE, credentialName: podinfo-cert}
`),
    status: 'tls-handshake-failure',
    hop: 'gateway-server',
    code: 'MESH009',
    object: 'Gateway/istio-system/public',
    reason: /istio-system\/podinfo-cert/,
  },
  {
    name: '404 NR: VirtualService bound to the package default gateway Big Bang does not create (istio-system/main)',
    yaml: mutate(PODINFO, '    - istio-system/public\n', '    - istio-system/main\n'),
    status: 404,
    flag: 'NR',
    hop: 'virtual-service',
    code: 'BB008',
    object: VS,
  },
  {
    name: '404 NR: VirtualService bound to a Gateway that does not exist',
    yaml: mutate(PODINFO, '    - istio-system/public\n', '    - istio-system/publik\n'),
    status: 404,
    flag: 'NR',
    hop: 'virtual-service',
    code: 'MESH001',
    object: VS,
  },
  {
    name: '404 NR: exportTo hides the VirtualService from the gateway namespace',
    yaml: mutate(PODINFO, '  gateways:\n    - istio-system/public\n', '  exportTo: ["."]\n  gateways:\n    - istio-system/public\n'),
    status: 404,
    flag: 'NR',
    hop: 'virtual-service',
    code: 'MESH010',
    object: VS,
  },
  {
    name: '404 NR: the server host prefix admits no VirtualService from podinfo',
    yaml:
      PODINFO +
      PUBLIC_GW(`    - hosts: ["istio-system/*.bigbang.dev"]
      port: {name: https, number: 8443, protocol: HTTPS}
      tls: {mode: SIMPLE, credentialName: public-cert}
`),
    status: 404,
    flag: 'NR',
    hop: 'virtual-service',
    code: 'MESH002',
    object: VS,
  },
  {
    name: '404 NR: no route matches the path',
    yaml: mutate(
      PODINFO,
      VS_ROUTE,
      VS_ROUTE.replace('    - route:', '    - match:\n        - uri:\n            prefix: /api\n      route:'),
    ),
    req: 'https://podinfo.bigbang.dev/ap',
    status: 404,
    flag: 'NR',
    hop: 'route',
    object: VS,
  },
  {
    name: '503 NC: destination port is not a port of the Service',
    yaml: mutate(PODINFO, '              number: 9898\n', '              number: 8080\n'),
    status: 503,
    flag: 'NC',
    hop: 'service-port',
    code: 'MESH004',
    object: VS,
  },
  {
    name: '503 NC: no destination port, several Service ports: the listener port 8443 is used',
    yaml: mutate(PODINFO, '            port:\n              number: 9898\n', ''),
    status: 503,
    flag: 'NC',
    hop: 'service-port',
    code: 'MESH004',
    object: 'Service/podinfo/podinfo-podinfo',
    reason: /port 8443/,
  },
  {
    name: '503 NC: destination host in svc.ns form is not expanded',
    yaml: mutate(PODINFO, '            host: podinfo-podinfo.podinfo.svc.cluster.local\n', '            host: podinfo-podinfo.podinfo\n'),
    status: 503,
    flag: 'NC',
    hop: 'service-port',
    code: 'MESH016',
    object: VS,
  },
  {
    name: '503 NC: destination host is no Service',
    yaml: mutate(
      PODINFO,
      '            host: podinfo-podinfo.podinfo.svc.cluster.local\n',
      '            host: podinfo.podinfo.svc.cluster.local\n',
    ),
    status: 503,
    flag: 'NC',
    hop: 'service-port',
    code: 'MESH003',
    object: VS,
  },
  {
    name: '503 UH: the Service selects no workload',
    yaml: mutate(
      PODINFO,
      '  selector:\n    app.kubernetes.io/name: podinfo-podinfo\n',
      '  selector:\n    app.kubernetes.io/name: podinfo\n',
    ),
    status: 503,
    flag: 'UH',
    hop: 'workload',
    code: 'MESH005',
    object: 'Service/podinfo/podinfo-podinfo',
  },
  {
    name: '503 UH: named targetPort resolves on no container',
    yaml: mutate(PODINFO, '      targetPort: http\n', '      targetPort: web\n'),
    status: 503,
    flag: 'UH',
    hop: 'target-port',
    code: 'MESH006',
    object: 'Service/podinfo/podinfo-podinfo',
  },
  {
    name: '503 UC: DestinationRule sends plain text to a STRICT mTLS sidecar',
    yaml:
      PODINFO +
      `
---
apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: {name: podinfo, namespace: podinfo}
spec:
  host: podinfo-podinfo.podinfo.svc.cluster.local
  trafficPolicy: {tls: {mode: DISABLE}}
`,
    status: 503,
    flag: 'UC',
    hop: 'sidecar',
    code: 'MESH015',
  },
  {
    name: 'connection refused: no ingress Service port',
    yaml: PODINFO,
    req: 'https://podinfo.bigbang.dev:8443/',
    status: 'connection-refused',
    hop: 'ingress-service',
  },
  {
    name: 'connection refused: no Gateway server on the listener port',
    yaml:
      PODINFO +
      PUBLIC_GW(`    - hosts: ["*.bigbang.dev"]
      port: {name: https, number: 9443, protocol: HTTPS}
      tls: {mode: SIMPLE, credentialName: public-cert}
`),
    status: 'connection-refused',
    hop: 'gateway-server',
    code: 'MESH008',
    object: 'Gateway/istio-system/public',
  },
  {
    name: '403: AuthorizationPolicy DENY at the sidecar',
    yaml:
      PODINFO +
      `
---
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: deny-admin, namespace: podinfo}
spec:
  action: DENY
  rules:
    - to: [{operation: {paths: ["/admin*"]}}]
`,
    req: 'https://podinfo.bigbang.dev/admin/x',
    status: 403,
    hop: 'authorization',
    // A DENY that shuts an exposed route off is MESH019's too: one code for the one symptom.
    code: 'MESH019',
    object: 'AuthorizationPolicy/podinfo/deny-admin',
  },
  {
    name: '403: ALLOW policy that does not admit the gateway',
    yaml:
      PODINFO +
      `
---
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: only-monitoring, namespace: podinfo}
spec:
  rules:
    - from: [{source: {namespaces: ["monitoring"]}}]
`,
    status: 403,
    hop: 'authorization',
    code: 'MESH019',
    object: 'AuthorizationPolicy/podinfo/only-monitoring',
  },
  {
    name: '403: fault injection abort',
    yaml: mutate(
      PODINFO,
      VS_ROUTE,
      VS_ROUTE.replace(
        '    - route:',
        '    - fault:\n        abort:\n          httpStatus: 403\n          percentage: {value: 100}\n      route:',
      ),
    ),
    status: 403,
    flag: 'FI',
    hop: 'fault',
    object: VS,
  },
];

for (const c of cases) {
  test(c.name, () => {
    const r = trace(c.yaml, c.req ?? 'https://podinfo.bigbang.dev/');
    assert.equal(r.verdict.ok, false, r.verdict.reason);
    assert.equal(r.verdict.status, c.status, r.verdict.reason);
    assert.equal(r.verdict.flag, c.flag);
    const h = failedHop(r)!;
    assert.equal(h.kind, c.hop, `${r.verdict.reason} at ${h.kind}`);
    assert.equal(h.ok, false);
    assert.equal(r.verdict.code, c.code);
    if (c.object) assert.equal(`${h.object?.kind}/${h.object?.namespace}/${h.object?.name}`, c.object);
    if (c.reason) assert.match(r.verdict.reason, c.reason);
    assert.ok(r.verdict.fix, 'every failure has a fix');
    assert.ok(
      r.hops.slice(0, r.verdict.hop).every((x) => x.ok),
      'hops before the failure pass',
    );
    if (h.object && h.object.namespace !== 'istio-system') assert.ok(h.source && h.source.line > 0, 'located');
  });
}

test('no sidecar: the request works in plain HTTP, and the sidecar hop names MESH013', () => {
  const r = trace(mutate(PODINFO, '    istio-injection: enabled\n', ''), 'https://podinfo.bigbang.dev/');
  assert.equal(r.verdict.ok, true);
  const s = r.hops.find((h) => h.kind === 'sidecar')!;
  assert.equal(s.code, 'MESH013');
  assert.match(s.title, /no sidecar/);
});

test('a weighted split with one broken destination fails for its share', () => {
  const yaml = mutate(
    PODINFO,
    VS_ROUTE,
    `  http:
    - route:
        - destination:
            host: podinfo-podinfo.podinfo.svc.cluster.local
            port: {number: 9898}
          weight: 80
        - destination:
            host: podinfo-podinfo.podinfo.svc.cluster.local
            port: {number: 1234}
          weight: 20
`,
  );
  const r = trace(yaml, 'https://podinfo.bigbang.dev/');
  assert.equal(r.verdict.status, 503);
  assert.equal(r.verdict.flag, 'NC');
  assert.match(r.verdict.reason, /20% of requests/);
});

test('a bad URL is a user error', () => {
  assert.throws(() => trace(PODINFO, 'ftp://podinfo.bigbang.dev/'), /unsupported scheme/);
  assert.throws(() => trace(PODINFO, 'not a url'), /not a URL/);
});
