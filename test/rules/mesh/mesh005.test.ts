import { ruleTester } from '../tester.js';
import { mesh005 } from '../../../src/analysis/rules/mesh/mesh005-service-selects-nothing.js';
import { PODINFO } from '../fixtures/mesh/podinfo.js';

// PODINFO is 46 lines; a Service appended after it starts on line 47.
const svc = (spec: string) => `apiVersion: v1
kind: Service
metadata:
  name: extra
  namespace: podinfo
spec:
${spec}
`;

ruleTester(mesh005, {
  valid: [
    { name: 'the podinfo package', yaml: PODINFO },
    { name: 'Service without selector (manual endpoints)', yaml: PODINFO + svc('  ports: [{name: http, port: 80}]') },
    { name: 'ExternalName Service', yaml: PODINFO + svc('  type: ExternalName\n  externalName: example.com\n  selector: {app: nothing}') },
    {
      name: 'selector is a subset of the pod labels',
      yaml: PODINFO.replace('        app: podinfo\n    spec:', '        app: podinfo\n        version: v1\n    spec:'),
    },
    { name: 'platform Services are not checked', yaml: '', platform: true },
  ],
  invalid: [
    {
      name: 'selector label value differs from the pod template',
      yaml: PODINFO + svc('  selector:\n    app: podinfo-frontend\n  ports: [{name: http, port: 80}]'),
      errors: [
        {
          object: 'Service/podinfo/extra',
          line: 53,
          message: /app=podinfo-frontend matches no workload in namespace podinfo \(1 workload\(s\) there: Deployment\/podinfo\)/,
        },
      ],
    },
    {
      name: 'selector matches a workload in another namespace only',
      yaml:
        PODINFO + svc('  selector:\n    app: podinfo\n  ports: [{name: http, port: 80}]').replace('namespace: podinfo', 'namespace: other'),
      errors: [{ object: 'Service/other/extra', line: 53, message: /the pods may come from an operator/ }],
    },
    {
      name: 'extra selector key the pods lack',
      yaml: PODINFO + svc('  selector:\n    app: podinfo\n    tier: web\n  ports: [{name: http, port: 80}]'),
      errors: [{ line: 53 }],
    },
  ],
});
