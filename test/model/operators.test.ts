// The operator catalogue: what each controller makes at run time from a CR shaped like a Big Bang render,
// and that the result is wired (Service selects the derived pods, named targetPorts exist on them).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { loadManifests } from '../../src/manifest/load.js';
import type { Manifest } from '../../src/manifest/types.js';
import { buildModel } from '../../src/model/build.js';
import { serviceFqdn } from '../../src/model/hosts.js';
import { selectorMatches } from '../../src/model/selectors.js';
import type { ServiceInfo, Workload } from '../../src/model/types.js';
import { OPERATORS, derivedInfo, deriveOperatorObjects, operatorNote, withOperatorObjects } from '../../src/model/operators/index.js';
import { mesh003 } from '../../src/analysis/rules/mesh/mesh003-destination-host.js';
import { mesh004 } from '../../src/analysis/rules/mesh/mesh004-destination-port.js';
import { mesh005 } from '../../src/analysis/rules/mesh/mesh005-service-selects-nothing.js';
import { mesh006 } from '../../src/analysis/rules/mesh/mesh006-target-port.js';
import { LAYOUTS } from '../../src/core/layout.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'operators');

function fixture(name: string): Manifest[] {
  const file = join(FIXTURES, `${name}.yaml`);
  return loadManifests(readFileSync(file, 'utf8'), { file, stage: 'package' });
}

function inline(yaml: string): Manifest[] {
  return loadManifests(yaml, { file: 'inline.yaml', stage: 'input' });
}

interface Derivation {
  manifests: Manifest[];
  services: Map<string, ServiceInfo>;
  workloads: Workload[];
}

function derive(input: Manifest[]): Derivation {
  const manifests = deriveOperatorObjects(input);
  const model = buildModel(manifests);
  return { manifests, services: model.services, workloads: model.workloads };
}

function svc(d: Derivation, ns: string, name: string): ServiceInfo {
  const s = d.services.get(serviceFqdn(name, ns));
  assert.ok(s, `derived Service ${ns}/${name}; have ${[...d.services.keys()].join(', ')}`);
  return s;
}

/** `name:port->target/PROTO` per port, the way a user reads a Service. */
function ports(s: ServiceInfo): string[] {
  return s.ports.map((p) => `${p.name}:${p.port}->${p.targetPort}/${p.protocol}`);
}

function clusterIP(s: ServiceInfo): unknown {
  return (s.m.obj.spec as { clusterIP?: unknown } | undefined)?.clusterIP;
}

function workload(d: Derivation, kind: string, ns: string, name: string): Workload {
  const w = d.workloads.find((x) => x.kind === kind && x.namespace === ns && x.name === name);
  assert.ok(w, `derived ${kind} ${ns}/${name}; have ${d.workloads.map((x) => `${x.kind} ${x.namespace}/${x.name}`).join(', ')}`);
  return w;
}

function names(d: Derivation, kind: 'Service' | 'workload'): string[] {
  const list = kind === 'Service' ? [...d.services.values()] : d.workloads;
  return list.map((x) => `${x.namespace}/${x.name}`).sort();
}

/** Every derived Service selects derived pods, and every named targetPort is a container port on all of them. */
function assertWired(d: Derivation): void {
  for (const s of d.services.values()) {
    const pods = d.workloads.filter((w) => w.namespace === s.namespace && selectorMatches(s.selector, w.labels));
    assert.ok(pods.length > 0, `Service ${s.namespace}/${s.name} selects no derived workload`);
    for (const p of s.ports) {
      if (typeof p.targetPort !== 'string') continue;
      for (const w of pods) {
        const found = w.containers.some((c) => c.ports.some((cp) => cp.name === p.targetPort && cp.protocol === p.protocol));
        assert.ok(found, `targetPort ${p.targetPort} of ${s.namespace}/${s.name} is not a container port of ${w.kind} ${w.name}`);
      }
    }
  }
}

test('the catalogue names ten operators, each kind handled by one', () => {
  assert.deepEqual(
    OPERATORS.map((o) => o.name),
    [
      'kiali-operator',
      'jaeger-operator',
      'tempo-operator',
      'minio-operator',
      'prometheus-operator',
      'elastic-operator',
      'mattermost-operator',
      'keycloak-operator',
      'gitlab-operator',
      'istio-operator',
    ],
  );
  const kinds = OPERATORS.flatMap((o) => o.resources.flatMap((r) => r.kinds.map((k) => `${r.group}/${k}`)));
  assert.equal(new Set(kinds).size, kinds.length);
});

test('Kiali: the Big Bang CR makes Service kiali on spec.server.port over the Kiali Deployment', () => {
  const d = derive(fixture('kiali'));
  const s = svc(d, 'kiali', 'kiali');
  assert.deepEqual(ports(s), ['http:20001->20001/TCP', 'http-metrics:9090->9090/TCP']);
  assert.equal(s.ports[0].appProtocol, 'http');
  assert.equal(s.type, 'ClusterIP');
  const w = workload(d, 'Deployment', 'kiali', 'kiali');
  assert.equal(w.labels['app.kubernetes.io/instance'], 'kiali');
  assert.equal(w.labels.version, 'v2.17.0');
  assert.equal(w.annotations['proxy.istio.io/config'], '{ "holdApplicationUntilProxyStarts": true }');
  assert.deepEqual(names(d, 'Service'), ['kiali/kiali']);
  assertWired(d);
  assert.equal(operatorNote(s.m), 'made by kiali-operator from Kiali kiali/kiali at run time');
  assert.equal(derivedInfo(s.m)?.cr.kind, 'Kiali');
  assert.equal(s.m.origin.stage, 'operator');
});

test('Kiali: instance_name, deployment.namespace, server.port, metrics and TLS change what is made', () => {
  const d = derive(
    inline(`apiVersion: kiali.io/v1alpha1
kind: Kiali
metadata: {name: kiali, namespace: kiali-operator}
spec:
  server:
    port: 8080
    observability: {metrics: {enabled: false}}
  identity: {cert_file: /kiali-cert/tls.crt, private_key_file: /kiali-cert/tls.key}
  deployment:
    instance_name: kiali-main
    namespace: kiali
    service_type: NodePort
    pod_labels: {sidecar.istio.io/inject: "true"}
`),
  );
  assert.deepEqual(names(d, 'Service'), ['kiali/kiali-main']);
  const s = svc(d, 'kiali', 'kiali-main');
  assert.deepEqual(ports(s), ['tcp:8080->8080/TCP']);
  assert.equal(s.ports[0].appProtocol, 'https');
  assert.equal(s.type, 'NodePort');
  assert.equal(workload(d, 'Deployment', 'kiali', 'kiali-main').labels['sidecar.istio.io/inject'], 'true');
  assert.match(derivedInfo(s.m)?.note ?? '', /deployed into kiali by spec\.deployment\.namespace/);
  assertWired(d);
});

test('Jaeger: the Big Bang allInOne CR makes jaeger-query:16686 and the collector and agent Services', () => {
  const d = derive(fixture('jaeger'));
  assert.deepEqual(names(d, 'Service'), [
    'jaeger/jaeger-agent',
    'jaeger/jaeger-collector',
    'jaeger/jaeger-collector-headless',
    'jaeger/jaeger-query',
  ]);
  assert.deepEqual(ports(svc(d, 'jaeger', 'jaeger-query')), ['http-query:16686->16686/TCP', 'grpc-query:16685->16685/TCP']);
  assert.deepEqual(ports(svc(d, 'jaeger', 'jaeger-collector')), [
    'http-zipkin:9411->9411/TCP',
    'grpc-jaeger:14250->14250/TCP',
    'http-c-tchan-trft:14267->14267/TCP',
    'http-c-binary-trft:14268->14268/TCP',
    'grpc-otlp:4317->4317/TCP',
    'http-otlp:4318->4318/TCP',
  ]);
  assert.equal(clusterIP(svc(d, 'jaeger', 'jaeger-collector-headless')), 'None');
  const w = workload(d, 'Deployment', 'jaeger', 'jaeger');
  assert.equal(w.labels['app.kubernetes.io/component'], 'all-in-one');
  // Big Bang turns injection on; the operator's default is "false".
  assert.equal(w.annotations['sidecar.istio.io/inject'], 'true');
  assertWired(d);
});

test('Jaeger: production splits query and collector; CR labels join the pods, OTLP can be switched off', () => {
  const d = derive(
    inline(`apiVersion: jaegertracing.io/v1
kind: Jaeger
metadata: {name: tracing, namespace: observability}
spec:
  strategy: production
  labels: {team: obs}
  collector:
    options: {collector: {otlp: {enabled: false}}}
`),
  );
  assert.deepEqual(names(d, 'Service'), [
    'observability/tracing-collector',
    'observability/tracing-collector-headless',
    'observability/tracing-query',
  ]);
  assert.deepEqual(names(d, 'workload'), ['observability/tracing-collector', 'observability/tracing-query']);
  assert.equal(svc(d, 'observability', 'tracing-query').selector?.['app.kubernetes.io/component'], 'query');
  assert.ok(!ports(svc(d, 'observability', 'tracing-collector')).some((p) => p.startsWith('grpc-otlp')));
  const query = workload(d, 'Deployment', 'observability', 'tracing-query');
  assert.equal(query.labels.team, 'obs');
  assert.equal(query.annotations['sidecar.istio.io/inject'], 'false');
  assertWired(d);
});

test('Tempo: TempoMonolithic and TempoStack make tempo-<name> and tempo-<name>-query-frontend', () => {
  const d = derive(fixture('tempo'));
  assert.deepEqual(ports(svc(d, 'tempo', 'tempo-simplest')), [
    'http:3200->http/TCP',
    'otlp-grpc:4317->otlp-grpc/TCP',
    'otlp-http:4318->otlp-http/TCP',
  ]);
  assert.deepEqual(ports(svc(d, 'tempo', 'tempo-simplest-jaegerui')), [
    'jaeger-grpc:16685->jaeger-grpc/TCP',
    'jaeger-ui:16686->jaeger-ui/TCP',
    'jaeger-metrics:16687->jaeger-metrics/TCP',
  ]);
  workload(d, 'StatefulSet', 'tempo', 'tempo-simplest');
  const qf = svc(d, 'observability', 'tempo-traces-query-frontend');
  assert.ok(ports(qf).includes('jaeger-ui:16686->jaeger-ui/TCP'));
  assert.ok(ports(qf).includes('http:3200->http/TCP'));
  assert.equal(workload(d, 'Deployment', 'observability', 'tempo-traces-query-frontend').labels['tempo-gossip-member'], 'true');
  assertWired(d);
});

test('Tempo: OTLP/HTTP off drops the port; without jaegerui there is no Jaeger Service', () => {
  const d = derive(
    inline(`apiVersion: tempo.grafana.com/v1alpha1
kind: TempoMonolithic
metadata: {name: small, namespace: tempo}
spec:
  ingestion: {otlp: {http: {enabled: false}}}
`),
  );
  assert.deepEqual(names(d, 'Service'), ['tempo/tempo-small']);
  assert.deepEqual(ports(svc(d, 'tempo', 'tempo-small')), ['http:3200->http/TCP', 'otlp-grpc:4317->otlp-grpc/TCP']);
  assertWired(d);
});

test('MinIO: the Big Bang Tenant makes minio:80, <tenant>-console:9090 and <tenant>-hl over pool ss-0', () => {
  const d = derive(fixture('minio'));
  assert.deepEqual(names(d, 'Service'), ['minio/minio', 'minio/minio-minio-console', 'minio/minio-minio-hl']);
  assert.deepEqual(ports(svc(d, 'minio', 'minio')), ['http-minio:80->9000/TCP']);
  assert.deepEqual(ports(svc(d, 'minio', 'minio-minio-console')), ['http-console:9090->9090/TCP']);
  assert.equal(clusterIP(svc(d, 'minio', 'minio-minio-hl')), 'None');
  const pool = workload(d, 'StatefulSet', 'minio', 'minio-minio-ss-0');
  assert.equal(pool.labels['v1.min.io/tenant'], 'minio-minio');
  assert.equal(pool.labels.app, 'minio-minio');
  assertWired(d);
});

test('MinIO: TLS (requestAutoCert defaults to true) moves the API to 443 and the console to 9443', () => {
  const d = derive(
    inline(`apiVersion: minio.min.io/v2
kind: Tenant
metadata: {name: storage, namespace: s3}
spec:
  pools: [{name: pool-0, servers: 4, volumesPerServer: 2}]
  exposeServices: {minio: true}
`),
  );
  assert.deepEqual(ports(svc(d, 's3', 'minio')), ['https-minio:443->9000/TCP']);
  assert.equal(svc(d, 's3', 'minio').type, 'LoadBalancer');
  assert.deepEqual(ports(svc(d, 's3', 'storage-console')), ['https-console:9443->9443/TCP']);
  workload(d, 'StatefulSet', 's3', 'storage-pool-0');
  assertWired(d);
});

test('MinIO: spec.console (operator 4.x) runs the console as its own Deployment', () => {
  const d = derive(
    inline(`apiVersion: minio.min.io/v2
kind: Tenant
metadata: {name: minio, namespace: minio}
spec:
  requestAutoCert: false
  pools: [{servers: 1, volumesPerServer: 1}]
  console: {replicas: 1, consoleSecret: {name: console-secret}}
`),
  );
  assert.deepEqual(svc(d, 'minio', 'minio-console').selector, { 'v1.min.io/console': 'minio-console' });
  workload(d, 'Deployment', 'minio', 'minio-console');
  assertWired(d);
});

test('Prometheus operator: governing Services take spec.portName (http-web in Big Bang)', () => {
  const d = derive(fixture('prometheus'));
  const prom = svc(d, 'monitoring', 'prometheus-operated');
  assert.deepEqual(ports(prom), ['http-web:9090->http-web/TCP']);
  assert.equal(clusterIP(prom), 'None');
  assert.deepEqual(ports(svc(d, 'monitoring', 'alertmanager-operated')), [
    'http-web:9093->http-web/TCP',
    'tcp-mesh:9094->9094/TCP',
    'udp-mesh:9094->9094/UDP',
  ]);
  const sts = workload(d, 'StatefulSet', 'monitoring', 'prometheus-monitoring-monitoring-kube-prometheus');
  assert.equal(sts.labels['operator.prometheus.io/shard'], '0');
  assert.equal(sts.annotations['traffic.sidecar.istio.io/includeInboundPorts'], '');
  workload(d, 'StatefulSet', 'monitoring', 'alertmanager-monitoring-monitoring-kube-alertmanager');
  assertWired(d);
});

test('Prometheus operator: shards, Thanos sidecar, ThanosRuler; one governing Service per namespace', () => {
  const d = derive(
    inline(`apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: mon}
spec: {shards: 2, thanos: {version: v0.35.0}}
---
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: user, namespace: mon}
spec: {}
---
apiVersion: monitoring.coreos.com/v1
kind: ThanosRuler
metadata: {name: rules, namespace: mon}
spec: {queryEndpoints: [dnssrv+_http._tcp.thanos-query.mon.svc]}
`),
  );
  assert.deepEqual(names(d, 'Service'), ['mon/prometheus-operated', 'mon/thanos-ruler-operated']);
  assert.deepEqual(ports(svc(d, 'mon', 'prometheus-operated')), ['web:9090->web/TCP', 'grpc:10901->grpc/TCP']);
  assert.deepEqual(ports(svc(d, 'mon', 'thanos-ruler-operated')), ['web:10902->web/TCP', 'grpc:10901->grpc/TCP']);
  assert.deepEqual(names(d, 'workload'), [
    'mon/prometheus-k8s',
    'mon/prometheus-k8s-shard-1',
    'mon/prometheus-user',
    'mon/thanos-ruler-rules',
  ]);
  // The governing Service made from `k8s` (with Thanos) also selects `user`, which has no grpc port:
  // check the web port on every Prometheus pod and grpc on the Thanos ones only.
  const web = d.workloads.filter((w) => w.labels['app.kubernetes.io/name'] === 'prometheus');
  assert.equal(web.length, 3);
  for (const w of web) assert.ok(w.containers.some((c) => c.ports.some((p) => p.name === 'web')));
  assert.ok(workload(d, 'StatefulSet', 'mon', 'prometheus-k8s').containers.some((c) => c.name === 'thanos-sidecar'));
});

test('ECK: the Big Bang Elasticsearch and Kibana make <name>-es-http:9200 and <name>-kb-http:5601 (TLS off)', () => {
  const d = derive(fixture('eck'));
  assert.deepEqual(names(d, 'Service'), [
    'logging/logging-ek-es-data',
    'logging/logging-ek-es-http',
    'logging/logging-ek-es-internal-http',
    'logging/logging-ek-es-master',
    'logging/logging-ek-es-transport',
    'logging/logging-ek-kb-http',
  ]);
  assert.deepEqual(ports(svc(d, 'logging', 'logging-ek-es-http')), ['http:9200->9200/TCP']);
  assert.deepEqual(ports(svc(d, 'logging', 'logging-ek-es-transport')), ['tls-transport:9300->9300/TCP']);
  assert.deepEqual(ports(svc(d, 'logging', 'logging-ek-kb-http')), ['http:5601->5601/TCP']);
  const master = workload(d, 'StatefulSet', 'logging', 'logging-ek-es-master');
  assert.equal(master.annotations['traffic.sidecar.istio.io/excludeInboundPorts'], '9300');
  assert.equal(workload(d, 'Deployment', 'logging', 'logging-ek-kb').annotations['sidecar.istio.io/rewriteAppHTTPProbers'], 'true');
  assertWired(d);
});

test('ECK: TLS by default names ports https; spec.http.service retypes and replaces ports; APM and Beat', () => {
  const d = derive(
    inline(`apiVersion: elasticsearch.k8s.elastic.co/v1
kind: Elasticsearch
metadata: {name: quickstart, namespace: elastic}
spec:
  version: 8.14.1
  http:
    service:
      spec:
        type: LoadBalancer
        ports: [{name: https, port: 443, targetPort: 9200}]
  nodeSets: [{name: default, count: 3}]
---
apiVersion: apm.k8s.elastic.co/v1
kind: ApmServer
metadata: {name: apm, namespace: elastic}
spec: {version: 8.14.1, count: 1}
---
apiVersion: beat.k8s.elastic.co/v1beta1
kind: Beat
metadata: {name: fb, namespace: elastic}
spec: {type: filebeat, version: 8.14.1, daemonSet: {}}
`),
  );
  const es = svc(d, 'elastic', 'quickstart-es-http');
  assert.equal(es.type, 'LoadBalancer');
  assert.deepEqual(ports(es), ['https:443->9200/TCP']);
  assert.deepEqual(ports(svc(d, 'elastic', 'quickstart-es-internal-http')), ['https:9200->9200/TCP']);
  assert.deepEqual(ports(svc(d, 'elastic', 'apm-apm-http')), ['https:8200->8200/TCP']);
  workload(d, 'Deployment', 'elastic', 'apm-apm-server');
  const beat = workload(d, 'DaemonSet', 'elastic', 'fb-beat');
  assert.equal(beat.containers[0].name, 'filebeat');
  assertWired(d);
});

test('Mattermost: the Big Bang CR makes the headless Service <release>:8065 over the app Deployment', () => {
  const d = derive(fixture('mattermost'));
  const s = svc(d, 'mattermost', 'mattermost');
  assert.deepEqual(ports(s), ['app:8065->app/TCP', 'metrics:8067->metrics/TCP']);
  assert.equal(s.ports[0].appProtocol, 'http');
  assert.equal(clusterIP(s), 'None');
  assert.equal(workload(d, 'Deployment', 'mattermost', 'mattermost').labels['installation.mattermost.com/installation'], 'mattermost');
  assertWired(d);
});

test('Mattermost: useServiceLoadBalancer maps 80/443 onto the app port; ClusterInstallation uses v1alpha1 labels', () => {
  const d = derive(
    inline(`apiVersion: installation.mattermost.com/v1beta1
kind: Mattermost
metadata: {name: chat, namespace: mm}
spec: {useServiceLoadBalancer: true, resourceLabels: {team: chat}}
---
apiVersion: mattermost.com/v1alpha1
kind: ClusterInstallation
metadata: {name: legacy, namespace: mm-old}
spec: {ingressName: chat.example.com}
`),
  );
  const lb = svc(d, 'mm', 'chat');
  assert.equal(lb.type, 'LoadBalancer');
  assert.deepEqual(ports(lb), ['http:80->app/TCP', 'https:443->app/TCP']);
  assert.equal(workload(d, 'Deployment', 'mm', 'chat').labels.team, 'chat');
  assert.equal(svc(d, 'mm-old', 'legacy').selector?.['v1alpha1.mattermost.com/installation'], 'legacy');
  assertWired(d);
});

test('Keycloak operator: <name>-service with http, https and management; <name>-discovery', () => {
  const d = derive(fixture('keycloak'));
  assert.deepEqual(ports(svc(d, 'keycloak', 'keycloak-service')), [
    'http:8080->8080/TCP',
    'https:8443->8443/TCP',
    'management:9000->9000/TCP',
  ]);
  assert.equal(clusterIP(svc(d, 'keycloak', 'keycloak-discovery')), 'None');
  workload(d, 'StatefulSet', 'keycloak', 'keycloak');
  assertWired(d);
});

test('Keycloak operator: without a tlsSecret only http is served, on spec.http.httpPort; serviceName renames', () => {
  const d = derive(
    inline(`apiVersion: k8s.keycloak.org/v2alpha1
kind: Keycloak
metadata: {name: sso, namespace: auth}
spec:
  http: {httpPort: 8180, serviceHttpPort: 80, serviceName: keycloak}
`),
  );
  assert.deepEqual(ports(svc(d, 'auth', 'keycloak')), ['http:80->8180/TCP', 'management:9000->9000/TCP']);
  assertWired(d);
});

test('GitLab operator: <release>-webservice-default (8080, 8181) and <release>-registry (5000)', () => {
  const d = derive(fixture('gitlab'));
  assert.deepEqual(names(d, 'Service'), ['gitlab-system/gitlab-registry', 'gitlab-system/gitlab-webservice-default']);
  assert.deepEqual(ports(svc(d, 'gitlab-system', 'gitlab-webservice-default')), [
    'http-webservice:8080->http-webservice/TCP',
    'http-workhorse:8181->http-workhorse/TCP',
  ]);
  assert.deepEqual(ports(svc(d, 'gitlab-system', 'gitlab-registry')), ['http-registry:5000->http/TCP']);
  assertWired(d);
});

test('GitLab operator: webservice deployments and registry.enabled come from spec.chart.values', () => {
  const d = derive(
    inline(`apiVersion: apps.gitlab.com/v1beta1
kind: GitLab
metadata: {name: gl, namespace: gitlab}
spec:
  chart:
    values:
      registry: {enabled: false}
      gitlab: {webservice: {deployments: {default: {}, api: {}}}}
`),
  );
  assert.deepEqual(names(d, 'Service'), ['gitlab/gl-webservice-api', 'gitlab/gl-webservice-default']);
  assertWired(d);
});

test('IstioOperator: enabled ingress gateways become Service + Deployment in istio-system', () => {
  const input = fixture('istio-operator');
  const d = derive(input);
  assert.deepEqual(names(d, 'Service'), ['istio-system/passthrough-ingressgateway', 'istio-system/public-ingressgateway']);
  const pub = svc(d, 'istio-system', 'public-ingressgateway');
  assert.equal(pub.type, 'LoadBalancer');
  assert.deepEqual(ports(pub), ['status-port:15021->15021/TCP', 'http2:80->8080/TCP', 'https:443->8443/TCP', 'sni:15443->15443/TCP']);
  // Without k8s.service.ports the gateway chart's defaults apply.
  assert.deepEqual(ports(svc(d, 'istio-system', 'passthrough-ingressgateway')), [
    'status-port:15021->15021/TCP',
    'http2:80->8080/TCP',
    'https:443->8443/TCP',
  ]);
  const w = workload(d, 'Deployment', 'istio-system', 'public-ingressgateway');
  assert.deepEqual(
    w.containers[0].ports.map((p) => p.containerPort),
    [15021, 8080, 8443, 15443, 15090],
  );
  // A Big Bang Gateway selecting app: public-ingressgateway now has pods.
  assert.ok(selectorMatches({ app: 'public-ingressgateway' }, w.labels));
  assertWired(d);
});

test('objects the input already has are not derived again', () => {
  const input = fixture('kiali').concat(
    inline(`apiVersion: v1
kind: Service
metadata: {name: kiali, namespace: kiali}
spec:
  selector: {app.kubernetes.io/name: kiali}
  ports: [{name: http, port: 20001}]
`),
  );
  const out = deriveOperatorObjects(input);
  assert.deepEqual(
    out.map((m) => `${m.kind} ${m.namespace}/${m.name}`),
    ['Deployment kiali/kiali'],
  );
  const all = withOperatorObjects(input);
  assert.equal(all.filter((m) => m.kind === 'Service' && m.name === 'kiali').length, 1);
  assert.equal(all.find((m) => m.kind === 'Service' && m.name === 'kiali')?.origin.stage, 'input');
});

test('CRs of kinds outside the catalogue derive nothing', () => {
  const out = deriveOperatorObjects(
    inline(`apiVersion: example.com/v1
kind: Widget
metadata: {name: w, namespace: default}
spec: {port: 80}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: kiali, namespace: kiali}
spec: {endpoints: [{port: http-metrics}]}
---
apiVersion: v1
kind: Service
metadata: {name: plain, namespace: default}
spec: {ports: [{port: 80}]}
`),
  );
  assert.deepEqual(out, []);
  assert.equal(operatorNote(inline('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n')[0]), undefined);
});

const KINDS = OPERATORS.flatMap((o) => o.resources.flatMap((r) => r.kinds.map((kind) => ({ op: o, apiVersion: `${r.group}/v1`, kind }))));

test('malformed CRs never throw and derive only well-formed objects', () => {
  const weird = fc.oneof(fc.jsonValue(), fc.constant(null), fc.constant('text'), fc.constant([1, 'a']), fc.constant({ enabled: 'yes' }));
  const specs = fc.oneof(
    fc.jsonValue(),
    fc.dictionary(
      fc.constantFrom(
        'server',
        'deployment',
        'strategy',
        'pools',
        'nodeSets',
        'http',
        'components',
        'chart',
        'ingestion',
        'shards',
        'portName',
        'thanos',
        'jaegerui',
        'template',
        'podTemplate',
        'console',
        'requestAutoCert',
      ),
      weird,
    ),
  );
  fc.assert(
    fc.property(fc.constantFrom(...KINDS), specs, fc.string({ maxLength: 8 }), ({ op, apiVersion, kind }, spec, name) => {
      const [cr] = inline(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x, namespace: ns}\n`);
      cr.obj.spec = spec as never;
      cr.name = name;
      op.derive(cr);
      for (const m of deriveOperatorObjects([cr])) {
        assert.ok(m.name && m.namespace, 'derived objects are named and namespaced');
        for (const p of (m.obj.spec as { ports?: Array<{ port: unknown }> } | undefined)?.ports ?? [])
          assert.equal(typeof p.port, 'number');
      }
    }),
    { numRuns: 300 },
  );
});

test('end to end: a VirtualService to kiali.kiali.svc.cluster.local:20001 finds its Service once Kiali is derived', () => {
  const input = fixture('kiali');
  const ctx = (manifests: Manifest[]) => ({ model: buildModel(manifests), layout: LAYOUTS.bb2, istioEnabled: true });
  const before = ctx(input);
  assert.equal(before.model.services.get('kiali.kiali.svc.cluster.local'), undefined);
  assert.equal(mesh003.check(before).length, 1, 'without the operator the destination is reported');

  const after = ctx(withOperatorObjects(input));
  const s = after.model.services.get('kiali.kiali.svc.cluster.local');
  assert.ok(s, 'the derived Service is in model.services');
  const dest = after.model.virtualServices[0].http[0].route[0];
  assert.equal(dest.fqdn, 'kiali.kiali.svc.cluster.local');
  assert.ok(s.ports.some((p) => p.port === dest.port));
  for (const rule of [mesh003, mesh004, mesh005, mesh006]) assert.deepEqual(rule.check(after), [], rule.meta.code);
  assert.equal(operatorNote(s.m), 'made by kiali-operator from Kiali kiali/kiali at run time');
});

test('check -f keeps the operator-made Services next to the assumed platform', async () => {
  const { checkManifests } = await import('../../src/analysis/check.js');
  const res = await checkManifests([join(FIXTURES, 'kiali.yaml')]);
  const wrong = res.findings.filter((f) => f.code === 'MESH003' || f.code === 'MESH005');
  assert.deepEqual(
    wrong.map((f) => f.message),
    [],
  );
  assert.ok(res.summary.operatorObjects > 0, 'the Kiali CR yields operator-made objects');
});
