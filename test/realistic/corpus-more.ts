// More of the realistic corpus: operator-made Services, a namespace another package owns, packages that
// expose nothing, deliberate sidecar opt-outs, a dependency on Istio through an operator, schema-validated
// values and a passdown with a duplicated key (see corpus.ts for the fields).
import { ok, type Pkg } from './corpus.js';

export const MORE_PACKAGES: Pkg[] = [
  {
    name: 'grafana-like',
    pkg: 'grafana',
    ns: 'monitoring',
    // The monitoring package creates and labels the namespace.
    injection: null,
    virtualServices: ['monitoring-grafana'],
    istioObjects: ['PeerAuthentication/grafana'],
    dependsOn: { on: ['istio', 'monitoring'], off: ['monitoring'] },
    // istio.injection and istio.hardened: passed down, read by no chart template, no effect.
    infos: ['BB005', 'BB005'],
    traces: [ok('https://grafana.bigbang.dev/', 80)],
    faults: [
      {
        name: 'deployed alone, Grafana creates the namespace without the injection label',
        edits: [
          { file: 'bigbang/values.yaml', find: 'monitoring:\n  enabled: true', replace: 'monitoring:\n  enabled: false' },
          {
            file: 'bigbang/templates/grafana/namespace.yaml',
            find: '    istio-injection: {{ ternary',
            replace: '    injection-was: {{ ternary',
          },
        ],
        code: 'BB001',
      },
      {
        name: 'the passdown writes the gateway under a key the VirtualService does not read',
        edits: [{ file: 'bigbang/templates/grafana/values.yaml', find: '  grafana:\n    gateways:', replace: '  grafana:\n    gateway:' }],
        code: 'BB005',
        severity: 'error',
        message: /istio\.grafana\.gateway/,
      },
    ],
  },
  {
    name: 'tempo-like',
    ns: 'tempo',
    // Reached only in-cluster (Grafana's datasource, OTLP): no VirtualService by design.
    virtualServices: [],
    istioObjects: ['PeerAuthentication/default-tempo'],
    dependsOn: { on: ['istio'], off: [] },
    traces: [],
    faults: [
      {
        name: 'hosts are configured but no VirtualService renders',
        edits: [
          {
            file: 'chart/values.yaml',
            find: '  mtls:\n    mode: STRICT\n',
            replace: '  mtls:\n    mode: STRICT\n  tempo:\n    hosts:\n      - tempo.{{ .Values.domain }}\n',
          },
        ],
        code: 'BB002',
        severity: 'warning',
      },
    ],
  },
  {
    name: 'jaeger-like',
    pkg: 'jaeger',
    ns: 'jaeger',
    virtualServices: ['jaeger'],
    istioObjects: ['PeerAuthentication/default-jaeger'],
    dependsOn: { on: ['istio'], off: [] },
    infos: ['BB003'],
    // jaeger-query is made by the Jaeger operator from the Jaeger CR at run time.
    traces: [ok('https://tracing.bigbang.dev/', 16686, { hops: ['sidecar'] })],
    faults: [
      {
        name: 'the VirtualService routes to a Service no Jaeger CR makes',
        edits: [{ file: 'chart/templates/bigbang/jaeger-vs.yaml', find: 'host: jaeger-query.', replace: 'host: jaeger-ui.' }],
        code: 'MESH003',
        severity: 'error',
        trace: { url: 'https://tracing.bigbang.dev/', ok: false, status: 503 },
      },
    ],
  },
  {
    name: 'minio-like',
    ns: 'minio',
    virtualServices: ['minio-instance-console', 'minio-instance-api'],
    istioObjects: ['PeerAuthentication/default-minio'],
    dependsOn: { on: ['istio', 'minio-operator'], off: ['minio-operator'] },
    // minio and minio-instance-console are made by the MinIO operator from the Tenant.
    traces: [ok('https://minio.bigbang.dev/', 9090), ok('https://minio-api.bigbang.dev/', 80)],
    faults: [
      {
        name: 'the console VirtualService names the Tenant wrong',
        edits: [
          {
            file: 'chart/templates/bigbang/minio-console-vs.yaml',
            find: 'host: {{ .Values.tenant.name }}-console.',
            replace: 'host: minio-console.',
          },
        ],
        code: 'MESH003',
        severity: 'error',
        trace: { url: 'https://minio.bigbang.dev/', ok: false, status: 503 },
      },
    ],
  },
  {
    name: 'elastic-like',
    pkg: 'ek',
    ns: 'logging',
    virtualServices: ['logging-ek-kibana'],
    istioObjects: ['PeerAuthentication/default-logging'],
    // Waits for the ECK operator, which waits for Istio.
    dependsOn: { on: ['eck-operator'], off: ['eck-operator'] },
    traces: [ok('https://kibana.bigbang.dev/', 5601)],
    faults: [
      {
        name: 'the ECK operator no longer waits for Istio, so neither does Elasticsearch',
        edits: [
          {
            file: 'bigbang/templates/eck-operator/helmrelease.yaml',
            find: '    - name: istio\n      namespace: {{ .Release.Namespace }}\n',
            replace: '    - name: gatekeeper\n      namespace: {{ .Release.Namespace }}\n',
          },
        ],
        code: 'BB006',
        severity: 'error',
        message: /bigbang\/ek has no dependsOn "istio"/,
      },
    ],
  },
  {
    name: 'argocd-like',
    ns: 'argocd',
    virtualServices: ['argocd-server'],
    istioObjects: ['PeerAuthentication/default-argocd'],
    dependsOn: { on: ['istio'], off: [] },
    traces: [ok('https://argocd.bigbang.dev/', 80)],
    faults: [
      {
        name: 'the VirtualService calls the dict-taking labels helper with the root context',
        edits: [
          {
            file: 'chart/templates/bigbang/virtualservice.yaml',
            find: '{{- include "argo-cd.labels" (dict "context" . "component" "server" "name" "server") | nindent 4 }}',
            replace: '{{- include "argo-cd.labels" . | nindent 4 }}',
          },
        ],
        code: 'render',
        refuses: /virtualservice\.yaml/,
      },
      {
        name: 'the VirtualService routes to the repo server on the UI port',
        edits: [
          { file: 'chart/templates/bigbang/virtualservice.yaml', find: '}}-server.{{ .Release', replace: '}}-repo-server.{{ .Release' },
        ],
        code: 'MESH004',
        severity: 'error',
      },
    ],
  },
  {
    name: 'neuvector-like',
    ns: 'neuvector',
    // The enforcer inspects node traffic: the namespace is outside the mesh on purpose.
    injection: 'disabled',
    virtualServices: ['neuvector'],
    istioObjects: [],
    dependsOn: { on: ['istio'], off: [] },
    infos: ['BB003', 'BB003', 'MESH013', 'MESH013', 'MESH013'],
    traces: [ok('https://neuvector.bigbang.dev/', 8443)],
    faults: [
      {
        name: 'the manager asks for a sidecar the namespace label overrides',
        edits: [
          {
            file: 'chart/templates/manager-deployment.yaml',
            find: '        app: neuvector-manager-pod\n        release:',
            replace: '        app: neuvector-manager-pod\n        sidecar.istio.io/inject: "true"\n        release:',
          },
        ],
        code: 'MESH013',
        severity: 'warning',
      },
    ],
  },
  {
    name: 'twistlock-like',
    ns: 'twistlock',
    virtualServices: ['twistlock-console'],
    istioObjects: ['PeerAuthentication/default-twistlock', 'PeerAuthentication/twistlock-console'],
    dependsOn: { on: ['istio'], off: [] },
    // The defender DaemonSet opts out of injection.
    infos: ['MESH013'],
    traces: [ok('https://twistlock.bigbang.dev/', 8081)],
    faults: [
      {
        name: 'the console Service targets a port name the console does not declare',
        edits: [{ file: 'chart/templates/console/deployment.yaml', find: 'targetPort: mgmt-http', replace: 'targetPort: mgmt' }],
        code: 'MESH006',
        severity: 'error',
        trace: { url: 'https://twistlock.bigbang.dev/', ok: false, status: 503 },
      },
    ],
  },
  {
    name: 'nexus-like',
    pkg: 'nexus-repository-manager',
    ns: 'nexus-repository-manager',
    virtualServices: ['nexus-repository-manager-nexus-repository-manager'],
    istioObjects: ['PeerAuthentication/default-nexus-repository-manager'],
    dependsOn: { on: ['istio'], off: [] },
    traces: [ok('https://nexus.bigbang.dev/', 8081)],
    faults: [
      {
        name: 'values.schema.json rejects the Istio-off passdown (no gateways)',
        edits: [
          {
            file: 'chart/values.schema.json',
            find: '"gateways": { "type": "array", "items"',
            replace: '"gateways": { "type": "array", "minItems": 1, "items"',
          },
        ],
        code: 'BB002',
        severity: 'error',
        render: 'istio-disabled',
        // Helm's complete message: the failing field is named.
        message: /istio\.nexus\.gateways: Array must have at least 1 items/,
      },
    ],
  },
  {
    name: 'sonarqube-like',
    ns: 'sonarqube',
    virtualServices: ['sonarqube-sonarqube-sonarqube'],
    istioObjects: ['PeerAuthentication/default-sonarqube'],
    dependsOn: { on: ['istio'], off: [] },
    // prometheusExporter written twice in the passdown (Flux keeps the last); the VS lacks an instance label.
    infos: ['BB003', 'BB005'],
    traces: [ok('https://sonarqube.bigbang.dev/', 9000)],
    faults: [
      {
        name: 'a second istio block in the passdown drops the gateways of the first',
        edits: [
          {
            file: 'bigbang/templates/sonarqube/values.yaml',
            find: 'prometheusExporter:\n  enabled: {{ .Values.monitoring.enabled }}',
            replace: 'prometheusExporter:\n  enabled: {{ .Values.monitoring.enabled }}\n\nistio:\n  enabled: {{ .Values.istio.enabled }}',
          },
        ],
        code: 'BB008',
      },
    ],
  },
];
