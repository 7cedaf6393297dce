// The mutation suite: a correctly integrated package (the guide's six edits on
// examples/podinfo, by hand) gives no finding at warning or above; each broken variant
// (one text edit of one package file, or of the rendered manifests for MESH rules) is
// reported with the right code, object and line. Codes not in RULES yet are skipped.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkManifests, checkPackage, type CheckResult } from '../../src/analysis/check.js';
import { RULES } from '../../src/analysis/rules/catalogue.js';
import type { Finding } from '../../src/analysis/rules/types.js';
import { INTEGRATED, lineOf, mutatedCopy, type Edit } from './helpers.js';
import { readFileSync } from 'node:fs';

const VS_ANCHOR = 'kind: VirtualService';
const SVC_ANCHOR = 'kind: Service';

interface Where {
  /** Line of `marker` (after `after`) in: the Istio-enabled render, the disabled render, or a package file. */
  in: 'enabled' | 'disabled' | { file: string };
  marker: string;
  after?: string;
}

interface PkgCase {
  code: string;
  name: string;
  edits: Edit[];
  object: string;
  render?: Finding['render'];
  /** Exit code of check on the mutated package (default 1: the mutation breaks something). */
  exit?: 0 | 1;
  at?: Where;
}

const PASSDOWN = 'bigbang/templates/podinfo/values.yaml';
const VS = 'chart/templates/bigbang/virtualservice.yaml';
const HR = 'bigbang/templates/podinfo/helmrelease.yaml';
const NS = 'bigbang/templates/podinfo/namespace.yaml';

const PKG_CASES: PkgCase[] = [
  {
    code: 'BB001',
    name: 'namespace template without the injection label',
    edits: [{ file: NS, from: '    {{- if .Values.istio.enabled }}\n    istio-injection: "enabled"\n    {{- end }}\n', to: '' }],
    object: 'Namespace//podinfo',
    at: { in: { file: NS }, marker: 'labels:' },
  },
  {
    code: 'BB002',
    name: 'VirtualService not guarded by istio.enabled renders with Istio disabled',
    edits: [
      {
        file: VS,
        from: '{{- if and .Values.istio.enabled (get .Values.istio $pkg).enabled }}',
        to: '{{- if (get .Values.istio $pkg).enabled }}',
      },
    ],
    object: 'VirtualService/podinfo/podinfo-podinfo',
    render: 'istio-disabled',
    at: { in: 'disabled', marker: 'apiVersion: networking.istio.io', after: '# Source: podinfo/templates/bigbang/virtualservice.yaml' },
  },
  {
    code: 'BB002',
    name: 'no VirtualService with Istio enabled',
    edits: [{ file: VS, from: '' }],
    object: 'Service/podinfo/podinfo-podinfo',
    render: 'istio-enabled',
    at: { in: 'enabled', marker: 'apiVersion: v1', after: '# Source: podinfo/templates/service.yaml' },
  },
  {
    code: 'BB002',
    name: 'dependsOn istio without the Istio condition',
    edits: [
      {
        file: HR,
        from: '  {{- if .Values.istio.enabled }}\n  dependsOn:\n    {{- if .Values.istio.enabled }}\n    - name: istio\n      namespace: {{ .Release.Namespace }}\n    {{- end }}\n  {{- end }}\n',
        to: '  dependsOn:\n    - name: istio\n      namespace: {{ .Release.Namespace }}\n',
      },
    ],
    object: 'HelmRelease/bigbang/podinfo',
    render: 'istio-disabled',
    at: { in: 'disabled', marker: 'name: istio', after: 'dependsOn:' },
  },
  {
    code: 'BB003',
    name: 'hard-coded VirtualService name (style: reported as info, does not fail the gate)',
    exit: 0,
    edits: [{ file: VS, from: '  name: {{ template "podinfo.fullname" . }}', to: '  name: {{ $pkg }}' }],
    object: 'VirtualService/podinfo/podinfo',
    at: { in: 'enabled', marker: 'name: podinfo', after: VS_ANCHOR },
  },
  {
    code: 'BB003',
    name: 'VirtualService without app.kubernetes.io/instance (style: info)',
    exit: 0,
    edits: [{ file: VS, from: '    app.kubernetes.io/instance: {{ .Release.Name }}\n', to: '' }],
    object: 'VirtualService/podinfo/podinfo-podinfo',
    at: { in: 'enabled', marker: 'labels:', after: VS_ANCHOR },
  },
  {
    code: 'BB004',
    name: 'package defaults enable Istio',
    edits: [{ file: 'chart/values.yaml', from: 'istio:\n  enabled: false', to: 'istio:\n  enabled: true' }],
    object: 'HelmRelease/bigbang/podinfo',
    at: { in: { file: 'chart/values.yaml' }, marker: 'enabled: true', after: 'istio:' },
  },
  {
    code: 'BB005',
    name: 'passdown writes a key the VirtualService does not read',
    edits: [{ file: PASSDOWN, from: '  podinfo:\n    gateways:', to: '  podinfo:\n    gateway:' }],
    object: 'HelmRelease/bigbang/podinfo',
    at: { in: { file: PASSDOWN }, marker: 'gateway:', after: '  podinfo:' },
  },
  {
    code: 'BB005',
    name: 'passdown writes istioGateway.<pkg> (podinfo HEAD bug)',
    edits: [
      {
        file: PASSDOWN,
        from: '  podinfo:\n    gateways:\n    - istio-system/{{ default "public" .Values.podinfo.ingress.gateway }}\n',
        to: 'istioGateway:\n  podinfo:\n    gateways:\n    - istio-system/{{ default "public" .Values.podinfo.ingress.gateway }}\n',
      },
    ],
    object: 'HelmRelease/bigbang/podinfo',
    at: { in: { file: PASSDOWN }, marker: 'istioGateway:' },
  },
  {
    code: 'BB006',
    name: 'HelmRelease without dependsOn istio',
    edits: [
      {
        file: HR,
        from: '  {{- if .Values.istio.enabled }}\n  dependsOn:\n    {{- if .Values.istio.enabled }}\n    - name: istio\n      namespace: {{ .Release.Namespace }}\n    {{- end }}\n  {{- end }}\n',
        to: '',
      },
    ],
    object: 'HelmRelease/bigbang/podinfo',
    at: { in: 'enabled', marker: 'spec:', after: 'kind: HelmRelease' },
  },
  {
    code: 'BB007',
    name: 'hard-coded host domain',
    edits: [{ file: 'chart/values.yaml', from: '    - podinfo.{{ .Values.domain }}', to: '    - podinfo.bigbang.dev' }],
    object: 'VirtualService/podinfo/podinfo-podinfo',
    at: { in: 'enabled', marker: '- podinfo.bigbang.dev', after: VS_ANCHOR },
  },
  {
    code: 'BB008',
    name: 'passdown without gateways: VirtualService keeps istio-system/main',
    edits: [
      {
        file: PASSDOWN,
        from: '  podinfo:\n    gateways:\n    - istio-system/{{ default "public" .Values.podinfo.ingress.gateway }}\n',
        to: '',
      },
    ],
    object: 'VirtualService/podinfo/podinfo-podinfo',
    at: { in: 'enabled', marker: '- istio-system/main', after: VS_ANCHOR },
  },
  {
    code: 'BB009',
    name: 'mergeOverwrite on the global flux values',
    edits: [{ file: HR, from: 'merge .Values.podinfo.flux .Values.flux', to: 'mergeOverwrite .Values.flux .Values.podinfo.flux' }],
    object: 'HelmRelease/bigbang/podinfo',
    at: { in: { file: HR }, marker: 'mergeOverwrite' },
  },
];

interface ManifestCase {
  code: string;
  name: string;
  /** Text edits of the rendered stream (Istio enabled) of the integrated package. */
  edits: Array<{ from: string; to: string }>;
  /** Documents appended to the stream. */
  append?: string;
  /** `Kind/ns/name`, or alternatives when the rule may report either object. */
  object: string | string[];
  at?: { marker: string; after?: string };
}

const GW = (spec: string) =>
  `---\napiVersion: networking.istio.io/v1beta1\nkind: Gateway\nmetadata:\n  name: public\n  namespace: istio-system\nspec:\n${spec}`;
const GW_SERVERS = (port: number, cred: string) =>
  `  servers:\n  - hosts: ["*.bigbang.dev"]\n    port: {name: https, number: ${port}, protocol: HTTPS}\n    tls: {mode: SIMPLE, credentialName: ${cred}}\n`;

const MESH_CASES: ManifestCase[] = [
  {
    code: 'MESH001',
    name: 'gateway reference typo',
    edits: [{ from: '  gateways:\n    - istio-system/public', to: '  gateways:\n    - istio-system/publik' }],
    object: 'VirtualService/podinfo/podinfo-podinfo',
    at: { marker: '- istio-system/publik' },
  },
  {
    code: 'MESH002',
    name: 'host outside the Gateway hosts',
    edits: [{ from: '- podinfo.bigbang.dev', to: '- podinfo.example.com' }],
    object: 'VirtualService/podinfo/podinfo-podinfo',
    at: { marker: '- podinfo.example.com' },
  },
  {
    code: 'MESH003',
    name: 'destination Service name wrong',
    edits: [{ from: 'host: podinfo-podinfo.podinfo.svc.cluster.local', to: 'host: podinfo.podinfo.svc.cluster.local' }],
    object: 'VirtualService/podinfo/podinfo-podinfo',
    at: { marker: 'host: podinfo.podinfo.svc.cluster.local' },
  },
  {
    code: 'MESH004',
    name: 'destination port not a Service port',
    edits: [{ from: 'number: 9898', to: 'number: 9899' }],
    object: 'VirtualService/podinfo/podinfo-podinfo',
    at: { marker: 'number: 9899' },
  },
  {
    code: 'MESH005',
    name: 'Service selects nothing',
    edits: [
      { from: '  selector:\n    app.kubernetes.io/name: podinfo-podinfo', to: '  selector:\n    app.kubernetes.io/name: podinfo-typo' },
    ],
    object: 'Service/podinfo/podinfo-podinfo',
    at: { marker: 'selector:', after: SVC_ANCHOR },
  },
  {
    code: 'MESH006',
    name: 'targetPort name no container exposes',
    edits: [{ from: 'targetPort: http', to: 'targetPort: web' }],
    object: 'Service/podinfo/podinfo-podinfo',
    at: { marker: 'targetPort: web' },
  },
  {
    code: 'MESH007',
    name: 'Gateway selector matches no ingress workload',
    edits: [],
    append: GW(`  selector:\n    app: missing-ingressgateway\n${GW_SERVERS(8443, 'public-cert')}`),
    object: 'Gateway/istio-system/public',
  },
  {
    code: 'MESH008',
    name: 'Gateway server port not on the ingress Service',
    edits: [],
    append: GW(`  selector:\n    app: public-ingressgateway\n${GW_SERVERS(9443, 'public-cert')}`),
    object: 'Gateway/istio-system/public',
  },
  {
    code: 'MESH009',
    name: 'Gateway credentialName Secret missing',
    edits: [],
    append: GW(`  selector:\n    app: public-ingressgateway\n${GW_SERVERS(8443, 'other-cert')}`),
    object: 'Gateway/istio-system/public',
  },
  {
    code: 'MESH010',
    name: 'exportTo hides the VirtualService from the gateway',
    edits: [
      {
        from: 'spec:\n  gateways:\n    - istio-system/public',
        to: 'spec:\n  exportTo:\n    - "."\n  gateways:\n    - istio-system/public',
      },
    ],
    object: 'VirtualService/podinfo/podinfo-podinfo',
  },
  {
    code: 'MESH011',
    name: 'two VirtualServices bind the same host',
    edits: [],
    append:
      '---\napiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata:\n  name: podinfo-copy\n  namespace: podinfo\nspec:\n  gateways: [istio-system/public]\n  hosts: [podinfo.bigbang.dev]\n  http:\n  - route:\n    - destination:\n        host: podinfo-podinfo.podinfo.svc.cluster.local\n        port: {number: 9898}\n',
    object: ['VirtualService/podinfo/podinfo-podinfo', 'VirtualService/podinfo/podinfo-copy'],
  },
  {
    code: 'BB010',
    name: 'another package claims the same host on the gateway',
    edits: [],
    append:
      '---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: other-web\n  namespace: other\n  labels:\n    app.kubernetes.io/instance: other-web\nspec:\n  gateways: [istio-system/public]\n  hosts: [podinfo.bigbang.dev]\n  http:\n  - route:\n    - destination:\n        host: podinfo-podinfo.podinfo.svc.cluster.local\n        port: {number: 9898}\n',
    object: 'VirtualService/other/other-web',
  },
  {
    code: 'BB011',
    name: 'an umbrella HelmRelease depends on a package that is not enabled',
    edits: [],
    append:
      '---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: kiali\n  namespace: bigbang\n  labels:\n    app.kubernetes.io/instance: bigbang\n    app.kubernetes.io/part-of: bigbang\nspec:\n  interval: 5m\n  chart: {spec: {chart: ./chart, sourceRef: {kind: GitRepository, name: kiali}}}\n  dependsOn:\n    - name: monitoring\n      namespace: bigbang\n',
    object: 'HelmRelease/bigbang/kiali',
  },
  {
    code: 'MESH023',
    name: 'the gateway certificate is for another domain',
    edits: [],
    // a self-signed certificate for *.other.mil (public part only; the key is not read)
    append:
      '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: public-cert\n  namespace: istio-system\ntype: kubernetes.io/tls\ndata:\n  tls.key: bm90IHJlYWQ=\n  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJtekNDQVVHZ0F3SUJBZ0lVRVU1aFZreW5PWjY0T0FOeE5mT1pQbXpCRjRBd0NnWUlLb1pJemowRUF3SXcKRmpFVU1CSUdBMVVFQXd3TEtpNXZkR2hsY2k1dGFXd3dJQmNOTWpZeE1qQXlNREV5TXpNd1doZ1BNakV5TmpFeApNRGd3TVRJek16QmFNQll4RkRBU0JnTlZCQU1NQ3lvdWIzUm9aWEl1Yldsc01Ga3dFd1lIS29aSXpqMENBUVlJCktvWkl6ajBEQVFjRFFnQUVDc3ArNDJhVk1uTGRoS3NQL2JTMDFhNGIzOC82Yk8vY1FsL1lZT252c25qVFN2QTUKaTVndkhhY1VzL1pjcW9KMHFoTUlmUjRHOEx0RDRJTEk5Vk50RUtOck1Ha3dIUVlEVlIwT0JCWUVGTjFsV0l5aAp1OEVoVEZGWktsbWpGSlhvSko2aE1COEdBMVVkSXdRWU1CYUFGTjFsV0l5aHU4RWhURkZaS2xtakZKWG9KSjZoCk1BOEdBMVVkRXdFQi93UUZNQU1CQWY4d0ZnWURWUjBSQkE4d0RZSUxLaTV2ZEdobGNpNXRhV3d3Q2dZSUtvWkkKemowRUF3SURTQUF3UlFJZ0llTHROSEpSMVZLVVladWpYemhCemZabGZCYVN6S1BIYlFEM3VISUpqU0VDSVFEZgpMcGkyTVZ6amN1MTRNZmlmaDZtZ3J0L3hodzhPeFpTQzFRN0pacG9nT3c9PQotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg==\n',
    object: 'VirtualService/podinfo/podinfo-podinfo',
  },
  {
    code: 'MESH012',
    name: 'route after a catch-all never matches',
    edits: [
      {
        from: '        host: podinfo-podinfo.podinfo.svc.cluster.local',
        to: '        host: podinfo-podinfo.podinfo.svc.cluster.local\n  - match:\n    - uri:\n        prefix: /api\n    route:\n    - destination:\n        host: podinfo-podinfo.podinfo.svc.cluster.local\n        port:\n          number: 9898',
      },
    ],
    object: 'VirtualService/podinfo/podinfo-podinfo',
  },
  {
    code: 'MESH013',
    name: 'namespace without injection',
    edits: [{ from: '    istio-injection: "enabled"\n', to: '' }],
    object: 'Deployment/podinfo/podinfo-podinfo',
  },
  {
    code: 'MESH014',
    name: 'Service port protocol not declared',
    edits: [{ from: '      name: http\n', to: '      name: web\n' }],
    object: 'Service/podinfo/podinfo-podinfo',
    at: { marker: 'name: web' },
  },
  {
    code: 'MESH015',
    name: 'STRICT PeerAuthentication with a DestinationRule disabling TLS',
    edits: [],
    append:
      '---\napiVersion: security.istio.io/v1beta1\nkind: PeerAuthentication\nmetadata:\n  name: default-podinfo\n  namespace: podinfo\nspec:\n  mtls:\n    mode: STRICT\n---\napiVersion: networking.istio.io/v1beta1\nkind: DestinationRule\nmetadata:\n  name: podinfo-plain\n  namespace: podinfo\nspec:\n  host: podinfo-podinfo.podinfo.svc.cluster.local\n  trafficPolicy:\n    tls:\n      mode: DISABLE\n',
    object: ['DestinationRule/podinfo/podinfo-plain', 'PeerAuthentication/podinfo/default-podinfo'],
  },
  {
    code: 'MESH016',
    name: 'destination host svc.ns',
    edits: [{ from: 'host: podinfo-podinfo.podinfo.svc.cluster.local', to: 'host: podinfo-podinfo.podinfo' }],
    object: 'VirtualService/podinfo/podinfo-podinfo',
    at: { marker: 'host: podinfo-podinfo.podinfo' },
  },
  {
    code: 'MESH017',
    name: 'a second bound Gateway serves none of the hosts',
    edits: [{ from: '  gateways:\n    - istio-system/public', to: '  gateways:\n    - istio-system/public\n    - istio-system/other' }],
    append:
      '---\napiVersion: networking.istio.io/v1beta1\nkind: Gateway\nmetadata:\n  name: other\n  namespace: istio-system\nspec:\n  selector:\n    app: public-ingressgateway\n  servers:\n  - hosts: ["*.example.com"]\n    port: {name: http-other, number: 8080, protocol: HTTP}\n',
    object: 'VirtualService/podinfo/podinfo-podinfo',
    at: { marker: '- istio-system/other' },
  },
  {
    code: 'MESH018',
    name: 'destination subset no DestinationRule defines',
    edits: [
      {
        from: 'host: podinfo-podinfo.podinfo.svc.cluster.local',
        to: 'host: podinfo-podinfo.podinfo.svc.cluster.local\n        subset: v2',
      },
    ],
    object: 'VirtualService/podinfo/podinfo-podinfo',
    at: { marker: 'subset: v2' },
  },
  {
    code: 'MESH019',
    name: 'an allow-nothing AuthorizationPolicy without an allow for the gateway',
    edits: [],
    append:
      '---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: allow-nothing\n  namespace: podinfo\nspec: {}\n',
    object: 'AuthorizationPolicy/podinfo/allow-nothing',
  },
  {
    code: 'MESH021',
    name: 'a default-deny NetworkPolicy and nothing admitting the ingress gateway',
    edits: [],
    append:
      '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: podinfo\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n',
    object: 'NetworkPolicy/podinfo/default-deny',
  },
  {
    code: 'MESH022',
    name: 'an egress default deny without the rule to istiod',
    edits: [],
    append:
      '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny-egress\n  namespace: podinfo\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n',
    object: 'NetworkPolicy/podinfo/deny-egress',
  },
  {
    code: 'MESH020',
    name: 'a redirect rule that redirects to itself',
    edits: [
      {
        from: '  http:\n  - route:',
        to: '  http:\n  - match:\n    - uri:\n        prefix: /old\n    redirect:\n      uri: /old/again\n  - route:',
      },
    ],
    object: 'VirtualService/podinfo/podinfo-podinfo',
    at: { marker: 'redirect:' },
  },
  {
    code: 'K8S001',
    name: 'a port number that is not a number',
    edits: [{ from: 'number: 9898', to: 'number: nine' }],
    object: 'VirtualService/podinfo/podinfo-podinfo',
    at: { marker: 'number: nine' },
  },
];

const codes = new Set(RULES.map((r) => r.meta.code));
const objId = (f: Finding) => `${f.object.kind}/${f.object.namespace}/${f.object.name}`;
const show = (fs: Finding[]) =>
  fs.map((f) => `  ${f.code} ${objId(f)} ${f.render} ${f.source?.file}:${f.source?.line}:${f.source?.column} ${f.message}`).join('\n') ||
  '  (none)';
const serious = (r: CheckResult) => r.findings.filter((f) => f.severity !== 'info');

test('every rule code has a mutation case', () => {
  const covered = new Set([...PKG_CASES, ...MESH_CASES].map((c) => c.code));
  assert.deepEqual(
    [...codes].filter((c) => !covered.has(c)),
    [],
  );
});

describe('the correctly integrated package', () => {
  test('checkPackage: no finding at warning or above', async () => {
    const r = await checkPackage(INTEGRATED);
    assert.deepEqual(
      serious(r).map((f) => `${f.code} ${objId(f)}: ${f.message}`),
      [],
      show(r.findings),
    );
    assert.equal(r.exitCode, 0);
    assert.deepEqual(r.summary.renders, ['istio-enabled', 'istio-disabled']);
  });
  test('bb3 layout of the same package still renders and is checked', async () => {
    const r = await checkPackage(INTEGRATED, {
      layout: 'bb3',
      ignore: ['BB006', 'BB008', 'MESH001', 'MESH002', 'BB002', 'BB001', 'MESH013'],
    });
    assert.ok(r.summary.objects > 0);
  });
});

describe('package mutations', { concurrency: 4 }, () => {
  for (const c of PKG_CASES) {
    test(`${c.code}: ${c.name}`, async () => {
      const { dir, cleanup } = mutatedCopy(c.edits);
      try {
        const r = await checkPackage(dir);
        const hits = r.findings.filter((f) => f.code === c.code && objId(f) === c.object && (!c.render || f.render === c.render));
        assert.ok(hits.length > 0, `expected ${c.code} on ${c.object}; got:\n${show(r.findings)}`);
        if (c.at) {
          let line: number;
          let file: string;
          if (c.at.in === 'enabled' || c.at.in === 'disabled') {
            const text = (c.at.in === 'enabled' ? r.render : r.disabledRender)!.text;
            line = lineOf(text, c.at.marker, c.at.after);
            file = 'rendered';
          } else {
            line = lineOf(readFileSync(join(dir, c.at.in.file), 'utf8'), c.at.marker, c.at.after);
            file = relative(process.cwd(), join(dir, c.at.in.file));
          }
          assert.ok(
            hits.some((f) => f.source?.line === line && f.source.file === file),
            `expected ${c.code} at ${file}:${line}; got:\n${show(hits)}`,
          );
        }
        assert.equal(r.exitCode, c.exit ?? 1);
      } finally {
        cleanup();
      }
    });
  }
});

describe('rendered-manifest mutations', () => {
  let rendered = '';
  let tmp = '';
  before(async () => {
    const r = await checkPackage(INTEGRATED);
    rendered = r.render!.text;
    tmp = mkdtempSync(join(tmpdir(), 'bbmesh-mut-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test('the rendered manifests of the correct package: no finding at warning or above', async () => {
    const f = join(tmp, 'ok.yaml');
    writeFileSync(f, rendered);
    const r = await checkManifests([f]);
    assert.deepEqual(
      serious(r).map((x) => `${x.code} ${objId(x)}: ${x.message}`),
      [],
    );
  });

  for (const c of MESH_CASES) {
    test(`${c.code}: ${c.name}`, async () => {
      let text = rendered;
      for (const e of c.edits) {
        assert.ok(text.includes(e.from), `mutation target not found: ${e.from}`);
        text = text.replace(e.from, e.to);
      }
      if (c.append) text += c.append;
      const f = join(tmp, `${c.code}-${c.name.replace(/\W+/g, '-')}.yaml`);
      writeFileSync(f, text);
      const r = await checkManifests([f]);
      const objects = Array.isArray(c.object) ? c.object : [c.object];
      const hits = r.findings.filter((x) => x.code === c.code && objects.includes(objId(x)));
      assert.ok(hits.length > 0, `expected ${c.code} on ${objects.join(' or ')}; got:\n${show(r.findings)}`);
      if (c.at) {
        const line = lineOf(text, c.at.marker, c.at.after ?? (c.object === 'Service/podinfo/podinfo-podinfo' ? undefined : VS_ANCHOR));
        assert.ok(
          hits.some((x) => x.source?.line === line && x.source.file === f),
          `expected ${c.code} at ${f}:${line}; got:\n${show(hits)}`,
        );
      }
    });
  }
});
