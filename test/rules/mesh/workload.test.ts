// MESH013 (injection), MESH014 (port protocol), MESH015 (mTLS conflicts).
import { ruleTester } from '../tester.js';
import { mesh013 } from '../../../src/analysis/rules/mesh/mesh013-injection.js';
import { mesh014 } from '../../../src/analysis/rules/mesh/mesh014-port-protocol.js';
import { mesh015 } from '../../../src/analysis/rules/mesh/mesh015-mtls-conflict.js';
import { PODINFO } from '../fixtures/mesh/podinfo.js';

// PODINFO: Namespace labels on line 5, Deployment name on 11, pod labels on 19.
const disabled = PODINFO.replace('istio-injection: enabled', 'istio-injection: disabled');
const unlabelled = PODINFO.replace('  labels:\n    istio-injection: enabled\n', '  labels: {}\n');
const podLabel = (yaml: string, v: string) =>
  yaml.replace('        app: podinfo\n    spec:', `        app: podinfo\n        sidecar.istio.io/inject: "${v}"\n    spec:`);
const job = `apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: podinfo}
spec:
  template:
    spec:
      containers: [{name: migrate, image: m:1}]
`;

ruleTester(mesh013, {
  valid: [
    { name: 'injected namespace', yaml: PODINFO },
    { name: 'unlabelled namespace, pod opts in', yaml: podLabel(unlabelled, 'true') },
    { name: 'Istio disabled: no sidecar expected', yaml: disabled, istioEnabled: false },
    // The Job alone in an unlabelled namespace: skipped, not "gets no sidecar".
    { name: 'Jobs are skipped (a sidecar keeps them from completing)', yaml: `${unlabelled.split('---\n')[0]}---\n${job}` },
    { name: 'namespace not in the input', yaml: PODINFO.split('---\n').slice(1).join('---\n') },
    {
      name: "Istio's own namespace (istio-system, labelled disabled) is skipped",
      yaml: PODINFO.split('---\n')
        .slice(1)
        .join('---\n')
        .replace(/namespace: podinfo/g, 'namespace: istio-system'),
    },
  ],
  invalid: [
    {
      // Deliberate opt-outs are reported as info, never as a defect.
      name: 'namespace istio-injection=disabled while Istio is enabled: a deliberate opt-out',
      yaml: disabled,
      errors: [
        {
          object: 'Deployment/podinfo/podinfo',
          line: 11,
          severity: 'info',
          message: /runs without a sidecar by choice \(namespace podinfo has istio-injection: disabled\)/,
        },
      ],
    },
    {
      name: 'pod opts out deliberately',
      yaml: podLabel(disabled, 'false'),
      errors: [{ severity: 'info', message: /by choice \(the pod sets sidecar.istio.io\/inject: "false"\)/ }],
    },
    {
      name: 'namespace label overrides the pod label inject=true, even with Istio disabled',
      yaml: podLabel(disabled, 'true'),
      istioEnabled: false,
      errors: [{ line: 11, message: /asks for a sidecar .* istio-injection=disabled, which wins/ }],
    },
    {
      name: 'unlabelled namespace',
      yaml: unlabelled, // one line shorter: the Deployment name is on line 10
      errors: [{ line: 10, message: /no istio-injection label/ }],
    },
  ],
});

const svc = (ports: string) => `apiVersion: v1
kind: Service
metadata: {name: s, namespace: podinfo}
spec:
  selector: {app: podinfo}
  ports:
${ports}
`;

ruleTester(mesh014, {
  valid: [
    { name: 'http and grpc names', yaml: PODINFO },
    {
      name: 'prefix before the first dash, any case, and appProtocol',
      yaml: svc(
        '    - {name: HTTP-web, port: 80}\n    - {name: tcp-db, port: 5432}\n    - {name: metrics, port: 9090, appProtocol: http}\n    - {name: grpc-web-x, port: 81}',
      ),
    },
    { name: 'UDP and well-known ports', yaml: svc('    - {name: dns, port: 5353, protocol: UDP}\n    - {name: db, port: 3306}') },
    { name: 'platform ingress Service (status-port) is skipped', yaml: '' },
  ],
  invalid: [
    {
      name: 'unprefixed names',
      yaml: svc('    - name: metrics\n      port: 9090\n    - name: web-http\n      port: 80'),
      errors: [
        { object: 'Service/podinfo/s', line: 7, message: /port 9090 is named "metrics"/ },
        { line: 9, message: /"web-http"/ },
      ],
    },
    { name: 'unnamed port', yaml: svc('    - port: 8080'), errors: [{ line: 7, message: /neither a name nor an appProtocol/ }] },
  ],
});

// PODINFO + a DestinationRule from line 47: tls mode on 55, portLevelSettings[0].tls.mode on 59.
// pa() starts with `---`: right after PODINFO its `spec` is on line 51.
const dr = (tls: string, ports = '') => `apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata:
  name: podinfo
  namespace: podinfo
spec:
  host: podinfo.podinfo.svc.cluster.local
  trafficPolicy:
    tls: {mode: ${tls}}
${ports ? `${ports}\n` : ''}`;
const pa = (spec: string) => `---
apiVersion: security.istio.io/v1beta1
kind: PeerAuthentication
metadata: {name: pa, namespace: podinfo}
spec:
${spec}
`;

ruleTester(mesh015, {
  valid: [
    { name: 'ISTIO_MUTUAL under STRICT', yaml: PODINFO + dr('ISTIO_MUTUAL') },
    { name: 'DISABLE where the namespace policy is PERMISSIVE', yaml: PODINFO + dr('DISABLE') + pa('  mtls: {mode: PERMISSIVE}') },
    {
      name: 'DISABLE toward a workload without sidecar',
      yaml: PODINFO.replace('istio-injection: enabled', 'istio-injection: disabled') + dr('DISABLE'),
    },
    {
      name: 'workload policy PERMISSIVE on the targeted container ports',
      yaml:
        PODINFO +
        dr('ISTIO_MUTUAL', '    portLevelSettings:\n      - port: {number: 9898}\n        tls: {mode: DISABLE}') +
        pa('  selector: {matchLabels: {app: podinfo}}\n  mtls: {mode: STRICT}\n  portLevelMtls:\n    9898: {mode: PERMISSIVE}'),
    },
  ],
  invalid: [
    {
      name: 'DISABLE under the mesh-wide STRICT policy',
      yaml: PODINFO + dr('DISABLE'),
      errors: [
        {
          object: 'DestinationRule/podinfo/podinfo',
          line: 55,
          message: /Deployment podinfo is STRICT \(PeerAuthentication istio-system\/default-istio-system\)/,
        },
      ],
    },
    {
      name: 'port-level DISABLE; namespace UNSET inherits STRICT',
      yaml:
        PODINFO +
        dr('ISTIO_MUTUAL', '    portLevelSettings:\n      - port: {number: 9999}\n        tls:\n          mode: DISABLE') +
        pa('  mtls: {mode: UNSET}'),
      errors: [{ line: 59, message: /portLevelSettings for port 9999 .* on port 9999/ }],
    },
    {
      name: 'portLevelMtls without a selector',
      yaml: PODINFO + pa('  mtls: {mode: STRICT}\n  portLevelMtls:\n    9898: {mode: DISABLE}'),
      errors: [{ object: 'PeerAuthentication/podinfo/pa', line: 53, message: /without a selector is rejected/ }],
    },
  ],
});
