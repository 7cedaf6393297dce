import { ruleTester } from '../tester.js';
import { mesh003 } from '../../../src/analysis/rules/mesh/mesh003-destination-host.js';
import { PODINFO, virtualService } from '../fixtures/mesh/podinfo.js';

const to = (host: string) =>
  virtualService(`  gateways: [istio-system/public]
  hosts:
    - podinfo.bigbang.dev
  http:
    - route:
        - destination:
            host: ${host}
            port:
              number: 9898`);

const serviceEntry = `
---
apiVersion: networking.istio.io/v1beta1
kind: ServiceEntry
metadata:
  name: external
  namespace: podinfo
spec:
  hosts: ["*.googleapis.com", api.example.com]
  location: MESH_EXTERNAL
  ports: [{number: 443, name: https, protocol: HTTPS}]
  resolution: DNS
`;

ruleTester(mesh003, {
  valid: [
    { name: 'short name', yaml: PODINFO + to('podinfo') },
    { name: 'FQDN', yaml: PODINFO + to('podinfo.podinfo.svc.cluster.local') },
    { name: 'external host covered by an exact ServiceEntry host', yaml: PODINFO + to('api.example.com') + serviceEntry },
    { name: 'external host covered by a wildcard ServiceEntry host', yaml: PODINFO + to('storage.googleapis.com') + serviceEntry },
    { name: 'svc.ns is MESH016, not reported twice', yaml: PODINFO + to('podinfo.podinfo') },
    { name: 'Service in a namespace the input does not contain', yaml: PODINFO + to('keycloak.keycloak.svc.cluster.local') },
  ],
  invalid: [
    {
      name: 'short name of a Service that does not exist',
      yaml: PODINFO + to('podinf'),
      errors: [
        { object: 'VirtualService/podinfo/podinfo', line: 59, message: /podinf \(podinf.podinfo.svc.cluster.local\) matches no Service/ },
      ],
    },
    {
      name: 'FQDN in a known namespace without that Service',
      yaml: PODINFO + to('frontend.podinfo.svc.cluster.local'),
      errors: [{ line: 59 }],
    },
    {
      name: 'external host without ServiceEntry (wildcard does not cover the apex)',
      yaml: PODINFO + to('googleapis.com') + serviceEntry,
      errors: [{ line: 59, message: /googleapis.com matches no Service or ServiceEntry/ }],
    },
  ],
});
