// RuleTester tables of the BB rules that read only manifests (BB003, BB006, BB008) and the
// manifest-only halves of the package rules (BB002 with a package context).
import { bb002 } from '../../../src/analysis/rules/bb/bb002-istio-matrix.js';
import { bb003 } from '../../../src/analysis/rules/bb/bb003-virtualservice-helpers.js';
import { bb006 } from '../../../src/analysis/rules/bb/bb006-depends-on-istio.js';
import { bb008 } from '../../../src/analysis/rules/bb/bb008-default-gateway.js';
import type { PackageContext } from '../../../src/analysis/rules/types.js';
import { ruleTester } from '../tester.js';

const SVC = `apiVersion: v1
kind: Service
metadata:
  name: podinfo-podinfo
  namespace: podinfo
  labels:
    helm.sh/chart: podinfo-6.0.0
    app.kubernetes.io/name: podinfo-podinfo
spec:
  selector: {app.kubernetes.io/name: podinfo-podinfo}
  ports: [{name: http, port: 9898}]
`;
const vs = (name: string, labels: string, gateway = 'istio-system/public') => `---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: ${name}
  namespace: podinfo
${labels}spec:
  gateways:
    - ${gateway}
  hosts: [podinfo.bigbang.dev]
  http:
  - route:
    - destination: {host: podinfo-podinfo.podinfo.svc.cluster.local, port: {number: 9898}}
`;
const GOOD_LABELS =
  '  labels:\n    helm.sh/chart: podinfo-6.0.0\n    app.kubernetes.io/name: podinfo-podinfo\n    app.kubernetes.io/instance: podinfo-podinfo\n';

ruleTester(bb003, {
  valid: [
    { name: 'fullname and helper labels', yaml: SVC + vs('podinfo-podinfo', GOOD_LABELS) },
    { name: 'fullname with a suffix (second VirtualService)', yaml: SVC + vs('podinfo-podinfo-api', GOOD_LABELS) },
  ],
  invalid: [
    {
      name: 'hard-coded name',
      yaml: SVC + vs('podinfo', GOOD_LABELS),
      errors: [{ object: 'VirtualService/podinfo/podinfo', line: 16, message: /not the chart's fullname/ }],
    },
    {
      name: 'no labels at all',
      yaml: SVC + vs('podinfo-podinfo', ''),
      errors: [
        { line: 15, message: /app.kubernetes.io\/instance/ },
        { line: 15, message: /helm.sh\/chart, app.kubernetes.io\/name/ },
      ],
    },
  ],
});

const hr = (deps: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: bigbang
spec:
  targetNamespace: podinfo
${deps}  chart:
    spec: {chart: ./chart}
`;

ruleTester(bb006, {
  valid: [
    { name: 'depends on istio (bb2)', yaml: hr('  dependsOn:\n    - name: istio\n      namespace: bigbang\n') },
    { name: 'depends on istiod (bb3)', layout: 'bb3', yaml: hr('  dependsOn:\n    - name: istiod\n      namespace: bigbang\n') },
    { name: 'Istio disabled', istioEnabled: false, yaml: hr('') },
    { name: 'the Istio HelmRelease itself', yaml: hr('').replace('name: podinfo', 'name: istio') },
  ],
  invalid: [
    { name: 'no dependsOn', yaml: hr(''), errors: [{ object: 'HelmRelease/bigbang/podinfo', line: 6, message: /no dependsOn "istio"/ }] },
    {
      name: 'bb3 still depends on istio',
      layout: 'bb3',
      yaml: hr('  dependsOn:\n    - name: istio\n      namespace: bigbang\n'),
      errors: [{ line: 9, message: /names the Istio HelmRelease "istiod"/ }],
    },
  ],
});

ruleTester(bb008, {
  valid: [
    { name: 'binds public', yaml: SVC + vs('podinfo-podinfo', GOOD_LABELS) },
    {
      name: 'the input has a main Gateway (package pipeline test gateway)',
      yaml:
        SVC +
        vs('podinfo-podinfo', GOOD_LABELS, 'istio-system/main') +
        '---\napiVersion: networking.istio.io/v1beta1\nkind: Gateway\nmetadata: {name: main, namespace: istio-system}\nspec:\n  selector: {app: public-ingressgateway}\n  servers: [{hosts: ["*"], port: {number: 8080, name: http, protocol: HTTP}}]\n',
    },
  ],
  invalid: [
    {
      name: 'binds istio-system/main',
      yaml: SVC + vs('podinfo-podinfo', GOOD_LABELS, 'istio-system/main'),
      errors: [{ object: 'VirtualService/podinfo/podinfo-podinfo', line: 24, column: 7 }],
    },
    {
      name: 'legacy form main.istio-system.svc.cluster.local',
      yaml: SVC + vs('podinfo-podinfo', GOOD_LABELS, 'main.istio-system.svc.cluster.local'),
      errors: [{ line: 24 }],
    },
  ],
});

// BB002 halves on manifests: a package context marks the input as a package render.
const pkg = { dir: '/nonexistent', name: 'podinfo' } as unknown as PackageContext;
ruleTester(bb002, {
  valid: [
    {
      name: 'Istio disabled, nothing Istio-specific',
      istioEnabled: false,
      pkg,
      platform: false,
      yaml: SVC + '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: podinfo\n  labels: {istio-injection: disabled}\n',
    },
  ],
  invalid: [
    {
      name: 'Istio disabled: VirtualService, injection label and dependsOn istio',
      istioEnabled: false,
      pkg,
      platform: false,
      yaml:
        vs('podinfo-podinfo', GOOD_LABELS) +
        '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: podinfo\n  labels: {istio-injection: enabled}\n---\n' +
        hr('  dependsOn:\n    - name: istio\n      namespace: bigbang\n'),
      errors: [
        { object: 'VirtualService/podinfo/podinfo-podinfo', line: 2 },
        { object: 'Namespace//podinfo', line: 23 },
        { object: 'HelmRelease/bigbang/podinfo', line: 33 },
      ],
    },
  ],
});
