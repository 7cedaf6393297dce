import { ruleTester } from '../tester.js';
import { mesh002 } from '../../../src/analysis/rules/mesh/mesh002-host-not-on-gateway.js';
import { PODINFO, virtualService } from '../fixtures/mesh/podinfo.js';

const http = `  http:
    - route:
        - destination:
            host: podinfo
            port:
              number: 9898`;

/** A Gateway istio-system/own serving `hosts` on 8443: 13 lines with the trailing `---`. */
const gateway = (hosts: string) => `apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata:
  name: own
  namespace: istio-system
spec:
  selector:
    app: public-ingressgateway
  servers:
    - port: {number: 8443, name: https, protocol: HTTPS}
      hosts: [${hosts}]
      tls: {mode: SIMPLE, credentialName: public-cert}
---
`;

ruleTester(mesh002, {
  valid: [
    {
      name: 'host under *.bigbang.dev',
      yaml: PODINFO + virtualService(`  gateways: [istio-system/public]\n  hosts:\n    - podinfo.bigbang.dev\n${http}`),
    },
    {
      name: 'internal name next to a served host, also bound to mesh',
      yaml:
        PODINFO +
        virtualService(
          `  gateways: [istio-system/public, mesh]\n  hosts:\n    - podinfo.bigbang.dev\n    - podinfo.podinfo.svc.cluster.local\n${http}`,
        ),
    },
    {
      name: 'server host restricted to the VirtualService namespace',
      yaml:
        PODINFO +
        gateway('"podinfo/*.example.com"') +
        virtualService(`  gateways: [istio-system/own]\n  hosts:\n    - a.example.com\n${http}`),
    },
    {
      name: 'unresolved gateway is MESH001 business',
      yaml: PODINFO + virtualService(`  gateways: [istio-system/nope]\n  hosts:\n    - podinfo.example.com\n${http}`),
    },
  ],
  invalid: [
    {
      name: '*.bigbang.dev does not match bigbang.dev',
      yaml: PODINFO + virtualService(`  gateways: [istio-system/public]\n  hosts:\n    - bigbang.dev\n${http}`),
      errors: [
        {
          object: 'VirtualService/podinfo/podinfo',
          line: 55,
          message: /bigbang.dev is not served by istio-system\/public \(\*\.bigbang\.dev\)/,
        },
      ],
    },
    {
      name: 'one served host, one from another domain',
      yaml:
        PODINFO +
        virtualService(`  gateways: [istio-system/public]\n  hosts:\n    - podinfo.bigbang.dev\n    - podinfo.example.com\n${http}`),
      errors: [{ line: 56, message: /podinfo.example.com/ }],
    },
    {
      name: './ server host admits only the Gateway namespace',
      yaml:
        gateway('"./*.example.com"') + PODINFO + virtualService(`  gateways: [istio-system/own]\n  hosts:\n    - a.example.com\n${http}`),
      // gateway() is 13 lines, so every virtualService line moves down by 13.
      errors: [{ line: 68, message: /only to VirtualServices in other namespaces/ }],
    },
    {
      name: 'only internal hosts on a gateway (a short name: the domain is missing)',
      yaml: PODINFO + virtualService(`  gateways: [istio-system/public]\n  hosts:\n    - podinfo\n${http}`),
      errors: [{ line: 55, message: /a short name: Istio reads it as podinfo\.podinfo\.svc\.cluster\.local; a domain is missing/ }],
    },
  ],
});
