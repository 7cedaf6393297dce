import { ruleTester } from '../tester.js';
import { mesh001 } from '../../../src/analysis/rules/mesh/mesh001-gateway-ref.js';
import { PODINFO, virtualService } from '../fixtures/mesh/podinfo.js';

// virtualService(): spec lines start at line 53 after PODINFO.
const route = `  hosts:
    - podinfo.bigbang.dev
  http:
    - route:
        - destination:
            host: podinfo
            port:
              number: 9898`;

ruleTester(mesh001, {
  valid: [
    { name: 'ns/name of the platform gateway', yaml: PODINFO + virtualService(`  gateways:\n    - istio-system/public\n${route}`) },
    {
      name: 'mesh and the legacy FQDN form',
      yaml: PODINFO + virtualService(`  gateways:\n    - mesh\n    - public.istio-system.svc.cluster.local\n${route}`),
    },
    { name: 'no gateways (mesh)', yaml: PODINFO + virtualService(route) },
    {
      name: 'bb3 gateway name',
      layout: 'bb3',
      yaml: PODINFO + virtualService(`  gateways:\n    - istio-gateway/public-ingressgateway\n${route}`),
    },
    {
      name: 'short name in the VirtualService namespace',
      yaml:
        `apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata:
  name: local
  namespace: podinfo
spec:
  selector:
    app: public-ingressgateway
  servers:
    - port: {number: 8443, name: https, protocol: HTTPS}
      hosts: ["*.bigbang.dev"]
      tls: {mode: SIMPLE, credentialName: public-cert}
---
` +
        PODINFO +
        virtualService(`  gateways:\n    - local\n${route}`),
    },
  ],
  invalid: [
    {
      name: 'short name resolves to the VirtualService namespace',
      yaml: PODINFO + virtualService(`  gateways:\n    - public\n${route}`),
      errors: [{ object: 'VirtualService/podinfo/podinfo', line: 54, message: /resolves to podinfo\/public.*exists in istio-system/ }],
    },
    {
      name: 'bb2 reference under the bb3 layout, and a typo',
      layout: 'bb3',
      yaml: PODINFO + virtualService(`  gateways:\n    - istio-system/public\n    - istio-gateway/pubic-ingressgateway\n${route}`),
      errors: [
        { line: 54, message: /istio-system\/public" does not exist/ },
        { line: 55, message: /pubic-ingressgateway/ },
      ],
    },
    {
      name: 'legacy FQDN form in the wrong namespace',
      yaml: PODINFO + virtualService(`  gateways:\n    - public.podinfo.svc.cluster.local\n${route}`),
      errors: [{ line: 54, message: /resolves to podinfo\/public/ }],
    },
  ],
});
