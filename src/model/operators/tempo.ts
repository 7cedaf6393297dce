// Tempo operator (grafana/tempo-operator). Big Bang's Tempo package renders its own StatefulSet and Service
// (DoD-Platform-One/Tempo chart/templates/service.yaml, statefulset.yaml); this covers clusters that run
// Tempo through the operator instead.
// - TempoMonolithic: StatefulSet + Service `tempo-<name>` (http 3200; otlp-grpc 4317 and otlp-http 4318,
//   both on by default) and, with spec.jaegerui.enabled, Service `tempo-<name>-jaegerui` (16685/16686/16687)
//   selecting the same pods. Sources: internal/manifests/monolithic/services.go, statefulset.go, labels.go,
//   api/tempo/v1alpha1/tempomonolithic_defaults.go, internal/manifests/manifestutils/constants.go,
//   internal/manifests/naming/naming.go (`tempo-<instance>-<component>`).
// - TempoStack: the query-frontend Deployment and Service `tempo-<name>-query-frontend` (http 3200, grpc 9095,
//   plus the Jaeger UI ports with spec.template.queryFrontend.jaegerQuery.enabled).
//   Source: internal/manifests/queryfrontend/query_frontend.go, manifestutils/labels.go.
import type { Manifest } from '../../manifest/types.js';
import { at, bool, container, containerPort, ref, service, servicePort, spec } from './cr.js';
import type { Derived, Labels, Operator } from './types.js';

function monolithicLabels(instance: string, component: string): Labels {
  return {
    'app.kubernetes.io/name': 'tempo-monolithic',
    'app.kubernetes.io/instance': instance,
    'app.kubernetes.io/managed-by': 'tempo-operator',
    'app.kubernetes.io/component': component,
  };
}

function stackLabels(instance: string, component: string): Labels {
  return {
    'app.kubernetes.io/name': 'tempo',
    'app.kubernetes.io/instance': instance,
    'app.kubernetes.io/managed-by': 'tempo-operator',
    'app.kubernetes.io/component': component,
  };
}

const JAEGER_SERVICE_PORTS = [
  servicePort('jaeger-grpc', 16685, 'jaeger-grpc'),
  servicePort('jaeger-ui', 16686, 'jaeger-ui'),
  servicePort('jaeger-metrics', 16687, 'jaeger-metrics'),
];

const JAEGER_CONTAINER_PORTS = [
  containerPort('jaeger-grpc', 16685),
  containerPort('jaeger-ui', 16686),
  containerPort('jaeger-metrics', 16687),
];

function monolithic(cr: Manifest): Derived[] {
  const s = spec(cr);
  const name = `tempo-${cr.name}`;
  const sel = monolithicLabels(cr.name, 'tempo');
  // tempomonolithic_defaults.go: OTLP gRPC and HTTP ingestion are enabled unless set to false.
  const grpc = bool(at(s, 'ingestion', 'otlp', 'grpc', 'enabled')) ?? true;
  const http = bool(at(s, 'ingestion', 'otlp', 'http', 'enabled')) ?? true;
  const jaegerUI = bool(at(s, 'jaegerui', 'enabled')) === true;
  const gateway = bool(at(s, 'multitenancy', 'enabled')) === true;
  const tempoPorts = [containerPort('http', 3200)];
  if (grpc) tempoPorts.push(containerPort('otlp-grpc', 4317));
  if (http) tempoPorts.push(containerPort('otlp-http', 4318));
  const containers = [container('tempo', tempoPorts)];
  if (jaegerUI) containers.push(container('tempo-query', JAEGER_CONTAINER_PORTS));
  const out: Derived[] = [
    {
      kind: 'StatefulSet',
      name,
      namespace: cr.namespace,
      podLabels: sel,
      containers,
      note: `Tempo monolithic StatefulSet for TempoMonolithic ${ref(cr)}`,
    },
  ];
  // services.go: with the multitenancy gateway only the gateway Service exists; not modelled here.
  if (gateway) return out;
  const ports = [servicePort('http', 3200, 'http')];
  if (grpc) ports.push(servicePort('otlp-grpc', 4317, 'otlp-grpc'));
  if (http) ports.push(servicePort('otlp-http', 4318, 'otlp-http'));
  out.push(
    service({
      name,
      namespace: cr.namespace,
      labels: sel,
      selector: sel,
      ports,
      note: `Tempo API and OTLP ingest for TempoMonolithic ${ref(cr)}`,
    }),
  );
  if (jaegerUI) {
    out.push(
      service({
        name: `${name}-jaegerui`,
        namespace: cr.namespace,
        labels: monolithicLabels(cr.name, 'jaegerui'),
        selector: sel,
        ports: JAEGER_SERVICE_PORTS,
        note: `Jaeger UI for TempoMonolithic ${ref(cr)}`,
      }),
    );
  }
  return out;
}

function stack(cr: Manifest): Derived[] {
  const s = spec(cr);
  const name = `tempo-${cr.name}-query-frontend`;
  const sel = stackLabels(cr.name, 'query-frontend');
  const jaeger = bool(at(s, 'template', 'queryFrontend', 'jaegerQuery', 'enabled')) === true;
  const containers = [container('tempo', [containerPort('http', 3200), containerPort('grpc', 9095)])];
  if (jaeger) containers.push(container('jaeger-query', JAEGER_CONTAINER_PORTS));
  const ports = [servicePort('http', 3200, 'http'), servicePort('grpc', 9095, 'grpc')];
  if (jaeger) ports.push(...JAEGER_SERVICE_PORTS);
  return [
    service({ name, namespace: cr.namespace, labels: sel, selector: sel, ports, note: `Tempo query-frontend for TempoStack ${ref(cr)}` }),
    {
      kind: 'Deployment',
      name,
      namespace: cr.namespace,
      matchLabels: sel,
      // query_frontend.go: the pods also join the memberlist ring.
      podLabels: { ...sel, 'tempo-gossip-member': 'true' },
      containers,
      note: `Tempo query-frontend Deployment for TempoStack ${ref(cr)}`,
    },
  ];
}

export const tempoOperator: Operator = {
  name: 'tempo-operator',
  resources: [{ group: 'tempo.grafana.com', kinds: ['TempoMonolithic', 'TempoStack'] }],
  derive: (cr) => (cr.kind === 'TempoMonolithic' ? monolithic(cr) : cr.kind === 'TempoStack' ? stack(cr) : []),
};
