import { ruleTester } from '../tester.js';
import { mesh006 } from '../../../src/analysis/rules/mesh/mesh006-target-port.js';
import { PODINFO } from '../fixtures/mesh/podinfo.js';

// Service port lines in PODINFO: targetPort of port http on 42, of port grpc on 45.
const portless = `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: bare, namespace: podinfo}
spec:
  selector: {matchLabels: {app: bare}}
  template:
    metadata: {labels: {app: bare}}
    spec:
      containers:
        - name: bare
          image: bare:1
---
apiVersion: v1
kind: Service
metadata: {name: bare, namespace: podinfo}
spec:
  selector: {app: bare}
  ports:
    - name: http
      port: 80
      targetPort: 8080
    - name: http-named
      port: 81
      targetPort: web
`;

ruleTester(mesh006, {
  valid: [
    { name: 'named targetPorts match container port names', yaml: PODINFO },
    { name: 'numeric targetPort matches a containerPort', yaml: PODINFO.replace('targetPort: http', 'targetPort: 9898') },
    { name: 'targetPort defaults to port', yaml: PODINFO.replace('      targetPort: http\n', '') },
    {
      name: 'Service selecting nothing is MESH005 business',
      yaml: PODINFO.replace('  selector:\n    app: podinfo\n  ports', '  selector:\n    app: x\n  ports'),
    },
  ],
  invalid: [
    {
      name: 'named targetPort with no such container port name',
      yaml: PODINFO.replace('targetPort: grpc', 'targetPort: grpc-api'),
      errors: [
        {
          object: 'Service/podinfo/podinfo',
          line: 45,
          message: /targetPort "grpc-api" is not the name of a container port of Deployment\/podinfo \(names: http, grpc\)/,
        },
      ],
    },
    {
      name: 'numeric targetPort that no container declares: noted as info (Kubernetes needs no declaration)',
      yaml: PODINFO.replace('targetPort: http', 'targetPort: 8080'),
      errors: [
        {
          line: 42,
          severity: 'info',
          message: /targetPort 8080 is declared by no container of Deployment\/podinfo \(declared: 9898, 9999\)/,
        },
      ],
    },
    {
      name: 'container without ports: numeric passes, named does not',
      yaml: PODINFO + portless,
      errors: [{ object: 'Service/podinfo/bare', line: 71, message: /targetPort "web".*no named container ports/ }],
    },
  ],
});
