import { ruleTester } from '../tester.js';
import { mesh004 } from '../../../src/analysis/rules/mesh/mesh004-destination-port.js';
import { PODINFO, virtualService } from '../fixtures/mesh/podinfo.js';

const vs = (gateways: string, destination: string) =>
  virtualService(`  gateways: [${gateways}]
  hosts:
    - podinfo.bigbang.dev
  http:
    - route:
        - destination:
${destination}`);

const single = `
---
apiVersion: v1
kind: Service
metadata: {name: single, namespace: podinfo}
spec:
  selector: {app: podinfo}
  ports: [{name: http, port: 80, targetPort: http}]
`;

ruleTester(mesh004, {
  valid: [
    {
      name: 'explicit Service port',
      yaml: PODINFO + vs('istio-system/public', '            host: podinfo\n            port: {number: 9999}'),
    },
    { name: 'single-port Service without port', yaml: PODINFO + vs('istio-system/public', '            host: single') + single },
    {
      name: 'multi-port Service without port, mesh only (listener port is the called Service port)',
      yaml: PODINFO + vs('mesh', '            host: podinfo'),
    },
    {
      name: 'unknown host is MESH003 business',
      yaml: PODINFO + vs('istio-system/public', '            host: nope\n            port: {number: 1}'),
    },
  ],
  invalid: [
    {
      name: 'port is the targetPort, not the Service port',
      yaml:
        PODINFO +
        vs('istio-system/public', '            host: single\n            port:\n              number: 8080') +
        single.replace('targetPort: http', 'targetPort: 8080'),
      errors: [
        {
          object: 'VirtualService/podinfo/podinfo',
          line: 61,
          message: /port 8080 is not a port of Service podinfo\/single \(ports: 80\); 8080 is the targetPort of port 80/,
        },
      ],
    },
    {
      name: 'no port on a two-port Service behind the gateway',
      yaml: PODINFO + vs('istio-system/public', '            host: podinfo'),
      errors: [{ line: 58, message: /listener port 8443/ }],
    },
    {
      name: 'port not on a ServiceEntry',
      yaml:
        PODINFO +
        vs('istio-system/public', '            host: api.example.com\n            port: {number: 80}') +
        `
---
apiVersion: networking.istio.io/v1beta1
kind: ServiceEntry
metadata: {name: api, namespace: podinfo}
spec:
  hosts: [api.example.com]
  ports: [{number: 443, name: https, protocol: HTTPS}]
  resolution: DNS
`,
      errors: [{ line: 60, message: /ServiceEntry podinfo\/api/ }],
    },
  ],
});
