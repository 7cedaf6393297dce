import { ruleTester } from '../tester.js';
import { mesh016 } from '../../../src/analysis/rules/mesh/mesh016-service-dot-namespace.js';
import { PODINFO, virtualService } from '../fixtures/mesh/podinfo.js';

const to = (host: string, ns = 'podinfo') =>
  virtualService(
    `  gateways: [istio-system/public]
  hosts:
    - podinfo.bigbang.dev
  http:
    - route:
        - destination:
            host: ${host}
            port:
              number: 9898`,
    'podinfo',
    ns,
  );

ruleTester(mesh016, {
  valid: [
    { name: 'FQDN', yaml: PODINFO + to('podinfo.podinfo.svc.cluster.local') },
    { name: 'short name', yaml: PODINFO + to('podinfo') },
    { name: 'a two-label public domain is not svc.ns', yaml: PODINFO + to('example.com') },
    {
      name: 'svc.ns defined as a ServiceEntry host',
      yaml:
        PODINFO +
        to('podinfo.podinfo') +
        `
---
apiVersion: networking.istio.io/v1beta1
kind: ServiceEntry
metadata: {name: alias, namespace: podinfo}
spec:
  hosts: [podinfo.podinfo]
  ports: [{number: 9898, name: http, protocol: HTTP}]
  resolution: DNS
`,
    },
  ],
  invalid: [
    {
      name: 'svc.ns from the same namespace',
      yaml: PODINFO + to('podinfo.podinfo'),
      errors: [
        {
          object: 'VirtualService/podinfo/podinfo',
          line: 59,
          message: /podinfo.podinfo is not expanded by Istio; the Service is podinfo.podinfo.svc.cluster.local/,
        },
      ],
    },
    {
      name: 'svc.ns from another namespace',
      yaml: PODINFO + to('podinfo.podinfo', 'istio-system'),
      errors: [{ object: 'VirtualService/istio-system/podinfo', line: 59 }],
    },
  ],
});
