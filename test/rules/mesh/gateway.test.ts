// MESH007 (selector), MESH008 (server port), MESH009 (credentialName), MESH010 (exportTo).
import { ruleTester } from '../tester.js';
import { mesh007 } from '../../../src/analysis/rules/mesh/mesh007-gateway-selector.js';
import { mesh008 } from '../../../src/analysis/rules/mesh/mesh008-gateway-port.js';
import { mesh009 } from '../../../src/analysis/rules/mesh/mesh009-gateway-credential.js';
import { mesh010 } from '../../../src/analysis/rules/mesh/mesh010-export-to.js';
import { PODINFO, virtualService } from '../fixtures/mesh/podinfo.js';

/** A Gateway: `selector:` on line 7, server 0 port number on 12, credentialName on 16. */
const gateway = (
  o: { ns?: string; selector?: string; port?: number; cred?: string; mode?: string } = {},
) => `apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata:
  name: podinfo
  namespace: ${o.ns ?? 'istio-system'}
spec:
  selector:
    ${o.selector ?? 'app: public-ingressgateway'}
  servers:
    - hosts: ["*.example.com"]
      port:
        number: ${o.port ?? 8443}
        name: https
        protocol: HTTPS
      tls:
        credentialName: ${o.cred ?? 'public-cert'}
        mode: ${o.mode ?? 'SIMPLE'}
`;

/** An ingress gateway of its own in namespace `ingress` (Deployment + Service 443->8443), 35 lines. */
const ownIngress = `---
apiVersion: v1
kind: Namespace
metadata: {name: ingress}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: gw, namespace: ingress}
spec:
  selector: {matchLabels: {istio: gw}}
  template:
    metadata:
      labels: {istio: gw}
    spec:
      containers:
        - name: istio-proxy
          image: auto
          ports: [{containerPort: 8443, name: https}]
---
apiVersion: v1
kind: Service
metadata: {name: gw, namespace: ingress}
spec:
  type: LoadBalancer
  selector: {istio: gw}
  ports: [{name: https, port: 443, targetPort: https}]
`;

ruleTester(mesh007, {
  valid: [
    { name: 'Big Bang public ingress labels', yaml: gateway() },
    { name: 'istio=ingressgateway also matches the platform workload', yaml: gateway({ selector: 'istio: ingressgateway' }) },
    { name: 'own ingress workload in another namespace', yaml: gateway({ selector: 'istio: gw' }) + ownIngress },
    { name: 'bb3 ingress', layout: 'bb3', yaml: gateway({ ns: 'istio-gateway' }) },
  ],
  invalid: [
    {
      name: "istioctl's dummy labels are not Big Bang's",
      yaml: gateway({ selector: 'app: istio-ingressgateway' }),
      errors: [{ object: 'Gateway/istio-system/podinfo', line: 7, message: /app=istio-ingressgateway matches no gateway workload/ }],
    },
    {
      name: 'selector matches an application pod only',
      yaml: gateway({ selector: 'app: podinfo' }) + '---\n' + PODINFO,
      errors: [{ line: 7, message: /only application workloads \(Deployment podinfo\/podinfo\)/ }],
    },
  ],
});

ruleTester(mesh008, {
  valid: [
    { name: 'targetPort 8443 of the Big Bang ingress Service', yaml: gateway() },
    { name: 'Service port 443 (translated to 8443)', yaml: gateway({ port: 443 }) },
    { name: 'named targetPort of an own ingress Service', yaml: gateway({ selector: 'istio: gw' }) + ownIngress },
  ],
  invalid: [
    {
      name: 'port the ingress Service does not expose',
      yaml: gateway({ port: 9443 }),
      errors: [
        {
          object: 'Gateway/istio-system/podinfo',
          line: 12,
          message: /9443 is neither a port nor a targetPort of Service istio-system\/public-ingressgateway \(80, 443, 8080, 8443, 15021\)/,
        },
      ],
    },
    {
      name: "istioctl's default ports on an own ingress with 443->8443 only",
      yaml: gateway({ selector: 'istio: gw', port: 80 }) + ownIngress,
      errors: [{ line: 12, message: /Service ingress\/gw \(443, 8443\)/ }],
    },
  ],
});

ruleTester(mesh009, {
  valid: [
    { name: 'public-cert in the ingress namespace', yaml: gateway() },
    { name: 'PASSTHROUGH needs no Secret', yaml: gateway({ cred: 'nothing', mode: 'PASSTHROUGH' }) },
    {
      name: 'Secret issued by cert-manager in the workload namespace',
      yaml:
        gateway({ selector: 'istio: gw', cred: 'gw-cert' }) +
        ownIngress +
        `---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: gw, namespace: ingress}
spec:
  secretName: gw-cert
  dnsNames: [a.example.com]
  issuerRef: {name: ca, kind: ClusterIssuer}
`,
    },
  ],
  invalid: [
    {
      name: 'Secret in the Gateway namespace, workload elsewhere',
      yaml: gateway({ selector: 'istio: gw' }) + ownIngress,
      errors: [
        {
          object: 'Gateway/istio-system/podinfo',
          line: 16,
          message:
            /Secret ingress\/public-cert does not exist; it is in the Gateway's namespace istio-system, but the gateway workload runs in ingress/,
        },
      ],
    },
    {
      name: 'misspelt credentialName',
      yaml: gateway({ cred: 'public-certs', mode: 'MUTUAL' }),
      errors: [{ line: 16, message: /istio-system\/public-certs does not exist/ }],
    },
  ],
});

const vs = (exportTo: string, gateways = '[istio-system/public]') =>
  virtualService(`  gateways: ${gateways}
  exportTo: ${exportTo}
  hosts: [podinfo.bigbang.dev]
  http:
    - route:
        - destination: {host: podinfo, port: {number: 9898}}`);

ruleTester(mesh010, {
  valid: [
    {
      name: 'no exportTo',
      yaml:
        PODINFO +
        virtualService(
          '  gateways: [istio-system/public]\n  hosts: [podinfo.bigbang.dev]\n  http:\n    - route:\n        - destination: {host: podinfo}',
        ),
    },
    { name: 'exported everywhere', yaml: PODINFO + vs('["*"]') },
    { name: 'exported to the gateway workload namespace', yaml: PODINFO + vs('[".", istio-system]') },
    { name: 'private, but only bound to mesh', yaml: PODINFO + vs('["."]', '[mesh]') },
  ],
  invalid: [
    {
      name: 'exportTo "." hides it from istio-system',
      yaml: PODINFO + vs('["."]'),
      errors: [
        {
          object: 'VirtualService/podinfo/podinfo',
          line: 54,
          message: /hides this VirtualService from gateway istio-system\/public \(workload namespace istio-system\)/,
        },
      ],
    },
    {
      name: 'exportTo "~"',
      yaml: PODINFO + vs('["~"]'),
      errors: [{ line: 54 }],
    },
    {
      name: 'bb3: exported to istio-system, but the bb3 ingress runs in istio-gateway',
      layout: 'bb3',
      yaml: PODINFO + vs('[istio-system]', '[istio-gateway/public-ingressgateway]'),
      errors: [{ line: 54, message: /workload namespace istio-gateway/ }],
    },
  ],
});
