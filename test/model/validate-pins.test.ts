// The API versions and fields K8S001 must know, pinned so a schema-package change that loses
// one fails here instead of turning working Big Bang packages into "unknown field" findings or
// silently skipping their kinds. Each object is valid and must validate clean; each pinned
// field, given a value of the wrong type, must be reported at that field: proof that the
// schema declares it (a free-form node would accept anything, a lost field would be unknown).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadManifests } from '../../src/manifest/load.js';
import type { Manifest } from '../../src/manifest/types.js';
import { schemaFor, validateManifest } from '../../src/model/validate/index.js';

interface Pin {
  /** What the field is and since when, for the failure message. */
  what: string;
  yaml: string;
  /** Dotted path of the pinned field (numbers index arrays). */
  field: string;
}

const META = 'metadata: {name: web, namespace: podinfo}';
const POD = (spec: string) => `apiVersion: v1\nkind: Pod\n${META}\nspec:\n${spec}`;

const PINS: Pin[] = [
  {
    what: 'Service trafficDistribution (Kubernetes 1.31, GA 1.33)',
    yaml: `apiVersion: v1\nkind: Service\n${META}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n  trafficDistribution: PreferClose`,
    field: 'spec.trafficDistribution',
  },
  {
    what: 'a native sidecar: initContainers restartPolicy Always (1.29, GA 1.33), as Istio injects with native sidecars',
    yaml: `apiVersion: apps/v1
kind: Deployment
${META}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers: [{name: istio-proxy, image: proxyv2, restartPolicy: Always}]
      containers: [{name: web, image: podinfo}]`,
    field: 'spec.template.spec.initContainers.0.restartPolicy',
  },
  {
    what: 'Pod securityContext appArmorProfile (GA 1.30)',
    yaml: POD('  securityContext: {appArmorProfile: {type: RuntimeDefault}}\n  containers: [{name: web, image: podinfo}]'),
    field: 'spec.securityContext.appArmorProfile',
  },
  {
    what: 'an image volume (1.31, beta 1.33)',
    yaml: POD('  containers: [{name: web, image: podinfo}]\n  volumes: [{name: art, image: {reference: "quay.io/a/b:1"}}]'),
    field: 'spec.volumes.0.image',
  },
  {
    what: 'Pod-level resources (1.32, beta 1.34)',
    yaml: POD('  resources: {limits: {cpu: "1"}}\n  containers: [{name: web, image: podinfo}]'),
    field: 'spec.resources',
  },
  {
    what: 'Container lifecycle stopSignal (1.33)',
    yaml: POD('  os: {name: linux}\n  containers: [{name: web, image: podinfo, lifecycle: {stopSignal: SIGTERM}}]'),
    field: 'spec.containers.0.lifecycle.stopSignal',
  },
  {
    what: 'Job podReplacementPolicy and successPolicy (GA 1.33/1.34)',
    yaml: `apiVersion: batch/v1
kind: Job
${META}
spec:
  completionMode: Indexed
  completions: 2
  podReplacementPolicy: Failed
  successPolicy: {rules: [{succeededCount: 1}]}
  template: {spec: {restartPolicy: Never, containers: [{name: x, image: busybox}]}}`,
    field: 'spec.successPolicy',
  },
  {
    what: 'networking.istio.io/v1 VirtualService with mirrors (what bb-common renders)',
    yaml: `apiVersion: networking.istio.io/v1
kind: VirtualService
${META}
spec:
  gateways: [istio-gateway/public-ingressgateway]
  hosts: [podinfo.bigbang.dev]
  http:
    - route: [{destination: {host: web.podinfo.svc.cluster.local, port: {number: 80}}}]
      mirrors: [{destination: {host: shadow}, percentage: {value: 5}}]`,
    field: 'spec.http.0.mirrors',
  },
  {
    what: 'networking.istio.io/v1beta1 VirtualService with mirrors (Istio 1.19+)',
    yaml: `apiVersion: networking.istio.io/v1beta1
kind: VirtualService
${META}
spec:
  hosts: [podinfo.bigbang.dev]
  http: [{route: [{destination: {host: web}}], mirrors: [{destination: {host: shadow}}]}]`,
    field: 'spec.http.0.mirrors',
  },
  {
    what: 'networking.istio.io/v1 Gateway',
    yaml: `apiVersion: networking.istio.io/v1
kind: Gateway
${META}
spec:
  selector: {app: public-ingressgateway}
  servers: [{hosts: ["*.bigbang.dev"], port: {name: https, number: 8443, protocol: HTTPS}, tls: {mode: SIMPLE, credentialName: c}}]`,
    field: 'spec.servers.0.tls.credentialName',
  },
  {
    what: 'networking.istio.io/v1 DestinationRule with loadBalancer warmup',
    yaml: `apiVersion: networking.istio.io/v1
kind: DestinationRule
${META}
spec:
  host: web.podinfo.svc.cluster.local
  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}, loadBalancer: {simple: LEAST_REQUEST, warmup: {duration: 60s}}}`,
    field: 'spec.trafficPolicy.loadBalancer.warmup',
  },
  {
    what: 'networking.istio.io/v1 ServiceEntry',
    yaml: `apiVersion: networking.istio.io/v1
kind: ServiceEntry
${META}
spec: {hosts: [api.example.com], location: MESH_EXTERNAL, resolution: DNS, ports: [{name: tls, number: 443, protocol: TLS}]}`,
    field: 'spec.resolution',
  },
  {
    what: 'networking.istio.io/v1 Sidecar',
    yaml: `apiVersion: networking.istio.io/v1\nkind: Sidecar\n${META}\nspec: {outboundTrafficPolicy: {mode: REGISTRY_ONLY}}`,
    field: 'spec.outboundTrafficPolicy',
  },
  {
    what: 'security.istio.io/v1 PeerAuthentication',
    yaml: `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\n${META}\nspec: {mtls: {mode: STRICT}}`,
    field: 'spec.mtls',
  },
  {
    what: 'security.istio.io/v1 AuthorizationPolicy with targetRefs (Istio 1.22+)',
    yaml: `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
${META}
spec:
  targetRefs: [{kind: Service, group: "", name: web}]
  action: ALLOW
  rules: [{from: [{source: {principals: [cluster.local/ns/istio-gateway/sa/public-ingressgateway-service-account]}}]}]`,
    field: 'spec.targetRefs',
  },
  {
    what: 'telemetry.istio.io/v1 Telemetry',
    yaml: `apiVersion: telemetry.istio.io/v1\nkind: Telemetry\n${META}\nspec: {accessLogging: [{providers: [{name: envoy}]}]}`,
    field: 'spec.accessLogging',
  },
  {
    what: 'helm.toolkit.fluxcd.io/v2 HelmRelease (what the Big Bang umbrella renders)',
    yaml: `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
${META}
spec:
  targetNamespace: monitoring
  interval: 2m
  chart: {spec: {chart: chart, interval: 5m, sourceRef: {kind: GitRepository, name: monitoring, namespace: bigbang}}}
  install: {remediation: {retries: -1}}
  upgrade: {remediation: {retries: 3, remediateLastFailure: true}, cleanupOnFail: true}
  valuesFrom: [{name: bigbang-monitoring-values, kind: Secret, valuesKey: common}]
  dependsOn: [{name: istio, namespace: bigbang}]`,
    field: 'spec.valuesFrom',
  },
  {
    what: 'helm.toolkit.fluxcd.io/v2 HelmRelease from an OCIRepository (chartRef)',
    yaml: `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n${META}\nspec: {interval: 5m, chartRef: {kind: OCIRepository, name: podinfo}}`,
    field: 'spec.chartRef',
  },
  {
    what: 'source.toolkit.fluxcd.io/v1 GitRepository',
    yaml: `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
${META}
spec: {interval: 2m, url: "https://repo1.dso.mil/big-bang/product/packages/monitoring.git", ref: {tag: 1.0.0-bb.0}}`,
    field: 'spec.ref',
  },
  {
    what: 'source.toolkit.fluxcd.io/v1 HelmRepository of type oci',
    yaml: `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
${META}
spec: {type: oci, interval: 5m, url: "oci://registry1.dso.mil/bigbang", secretRef: {name: private-registry}}`,
    field: 'spec.type',
  },
  {
    what: 'source.toolkit.fluxcd.io/v1beta2 OCIRepository',
    yaml: `apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
${META}
spec: {interval: 5m, url: "oci://registry1.dso.mil/bigbang/podinfo", ref: {tag: 6.7.1}}`,
    field: 'spec.ref',
  },
  {
    what: 'source.toolkit.fluxcd.io/v1 OCIRepository (Flux 2.6+)',
    yaml: `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
${META}
spec:
  interval: 5m
  url: "oci://registry1.dso.mil/bigbang/podinfo"
  ref: {semver: ">=6.0.0"}
  layerSelector: {mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip, operation: copy}`,
    field: 'spec.layerSelector',
  },
];

const one = (yaml: string): Manifest => {
  const ms = loadManifests(yaml, { file: 'pin.yaml', stage: 'input', defaultNamespace: 'default' });
  assert.equal(ms.length, 1);
  return ms[0];
};

const pathOf = (dotted: string) => dotted.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));

/** A copy of `obj` with the value at `path` replaced by one of the wrong type. */
function withWrongType(obj: unknown, path: (string | number)[]): unknown {
  const copy = structuredClone(obj) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  assert.ok(node[last] !== undefined, `the fixture sets ${path.join('.')}`);
  node[last] = typeof node[last] === 'string' ? 42 : 'not-an-object';
  return copy;
}

for (const pin of PINS) {
  test(`K8S001 knows ${pin.what}`, () => {
    const m = one(pin.yaml);
    assert.ok(schemaFor(m.apiVersion, m.kind), `no schema for ${m.apiVersion} ${m.kind}: the kind would be skipped`);
    const clean = validateManifest(m).map((v) => `${v.path.join('.')}: ${v.message}`);
    assert.deepEqual(clean, [], `a valid ${m.kind} is reported`);
    const path = pathOf(pin.field);
    const wrong = validateManifest({ ...m, obj: withWrongType(m.obj, path) as Manifest['obj'] });
    assert.ok(
      wrong.some((v) => v.path.join('.') === pin.field && v.kind !== 'unknown-field'),
      `${pin.field} of the wrong type is not reported there: ${JSON.stringify(wrong.map((v) => [v.path.join('.'), v.message]))}`,
    );
  });
}

test('a misspelt field next to the pinned ones is still an unknown field (the check is on)', () => {
  const m = one(`apiVersion: v1\nkind: Service\n${META}\nspec:\n  ports: [{port: 80}]\n  trafficDistrbution: PreferClose`);
  assert.deepEqual(
    validateManifest(m).map((v) => `${v.path.join('.')} ${v.kind}: ${v.message}`),
    ['spec.trafficDistrbution unknown-field: unknown field "trafficDistrbution" (did you mean "trafficDistribution"?)'],
  );
});
