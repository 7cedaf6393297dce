// Jaeger operator: a `Jaeger` CR becomes `<name>-query`, `<name>-collector`, `<name>-collector-headless`
// (and `<name>-agent` for allInOne) Services over an all-in-one Deployment `<name>` or, for production and
// streaming, `<name>-query` and `<name>-collector` Deployments.
// Sources (jaegertracing/jaeger-operator): pkg/service/query.go (16686 http-query, 16685 grpc-query; oauth-proxy
// 443 https-query -> 8443), pkg/service/collector.go (9411, 14250, 14267, 14268, OTLP 4317/4318 unless
// --collector.otlp.enabled=false), pkg/service/agent.go, pkg/deployment/all_in_one.go and query.go (selectors:
// util.Labels + CR labels for all-in-one), pkg/util/util.go Labels, pkg/strategy/production.go.
// Big Bang: DoD-Platform-One/Jaeger chart/templates/jaeger.yaml names the CR `jaeger`;
// chart/templates/bigbang/jaeger-vs.yaml routes to jaeger-query:16686.
import type { Manifest } from '../../manifest/types.js';
import { at, bool, container, containerPort, labels, rec, ref, service, servicePort, spec, str } from './cr.js';
import type { Derived, DerivedServicePort, Labels, Operator } from './types.js';
import type { Json } from './cr.js';

function jaegerLabels(name: string, component: string, instance: string): Labels {
  return {
    app: 'jaeger',
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': instance,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'jaeger',
    'app.kubernetes.io/managed-by': 'jaeger-operator',
  };
}

/** Options are nested maps (`collector: {otlp: {enabled: false}}`) or dotted keys; read both. */
function option(options: unknown, dotted: string): unknown {
  const o = rec(options);
  if (dotted in o) return o[dotted];
  return at(o, ...dotted.split('.'));
}

function otlpEnabled(options: unknown): boolean {
  return bool(option(options, 'collector.otlp.enabled')) ?? true;
}

function collectorPorts(s: Json, allInOne: boolean): DerivedServicePort[] {
  const opts = allInOne ? at(s, 'allInOne', 'options') : at(s, 'collector', 'options');
  const grpcTls = bool(option(at(s, 'collector', 'options'), 'collector.grpc.tls.enabled')) === true;
  const ports = [
    servicePort('http-zipkin', 9411),
    servicePort(grpcTls ? 'tls-grpc-jaeger' : 'grpc-jaeger', 14250),
    servicePort('http-c-tchan-trft', 14267),
    servicePort('http-c-binary-trft', 14268),
  ];
  if (otlpEnabled(opts)) ports.push(servicePort('grpc-otlp', 4317), servicePort('http-otlp', 4318));
  return ports;
}

function queryPorts(s: Json): DerivedServicePort[] {
  const oauth = str(at(s, 'ingress', 'security')) === 'oauth-proxy';
  return [oauth ? servicePort('https-query', 443, 8443) : servicePort('http-query', 16686, 16686), servicePort('grpc-query', 16685, 16685)];
}

function derive(cr: Manifest): Derived[] {
  const s = spec(cr);
  const name = cr.name;
  const ns = cr.namespace;
  const strategy = (str(s.strategy) ?? 'allInOne').toLowerCase();
  const common = labels(s.labels);
  const commonAnn = labels(s.annotations);
  const oauth = str(at(s, 'ingress', 'security')) === 'oauth-proxy';
  const out: Derived[] = [];
  const collectorType = str(at(s, 'collector', 'serviceType'));
  const queryType = str(at(s, 'query', 'serviceType'));
  const frontServices = (selector: Labels, querySelector: Labels, allInOne: boolean): Derived[] => [
    service({
      name: `${name}-collector-headless`,
      namespace: ns,
      clusterIP: 'None',
      selector,
      ports: collectorPorts(s, allInOne),
      note: `Jaeger collector (headless) for Jaeger ${ref(cr)}`,
    }),
    service({
      name: `${name}-collector`,
      namespace: ns,
      type: collectorType,
      selector,
      ports: collectorPorts(s, allInOne),
      note: `Jaeger collector for Jaeger ${ref(cr)}`,
    }),
    service({
      name: `${name}-query`,
      namespace: ns,
      type: queryType,
      selector: querySelector,
      ports: queryPorts(s),
      note: `Jaeger query UI for Jaeger ${ref(cr)}`,
    }),
  ];
  if (strategy === 'allinone') {
    // all_in_one.go: the Services select the merged CR labels, so a label on the CR is part of the selector.
    const sel = { ...jaegerLabels(name, 'all-in-one', name), ...common, ...labels(at(s, 'allInOne', 'labels')) };
    out.push(
      ...frontServices(sel, sel, true),
      // agent.go names no protocol in older releases; the Thrift compact/binary ports are UDP.
      service({
        name: `${name}-agent`,
        namespace: ns,
        clusterIP: 'None',
        selector: sel,
        ports: [
          servicePort('zk-compact-trft', 5775, 5775, 'UDP'),
          servicePort('config-rest', 5778),
          servicePort('jg-compact-trft', 6831, 6831, 'UDP'),
          servicePort('jg-binary-trft', 6832, 6832, 'UDP'),
        ],
        note: `Jaeger agent (headless) for Jaeger ${ref(cr)}`,
      }),
      {
        kind: 'Deployment',
        name,
        namespace: ns,
        matchLabels: sel,
        podLabels: sel,
        // all_in_one.go: sidecar.istio.io/inject defaults to "false" unless the CR sets it.
        podAnnotations: { 'sidecar.istio.io/inject': 'false', ...commonAnn, ...labels(at(s, 'allInOne', 'annotations')) },
        containers: [
          container('jaeger', [
            containerPort('zk-compact-trft', 5775, 'UDP'),
            containerPort('config-rest', 5778),
            containerPort('jg-compact-trft', 6831, 'UDP'),
            containerPort('jg-binary-trft', 6832, 'UDP'),
            containerPort('zipkin', 9411),
            containerPort('c-tchan-trft', 14267),
            containerPort('c-binary-trft', 14268),
            containerPort('query', 16686),
            containerPort('admin-http', 14269),
            containerPort('grpc', 14250),
          ]),
          ...(oauth ? [container('oauth-proxy', [containerPort('public', 8443)])] : []),
        ],
        note: `Jaeger all-in-one Deployment for Jaeger ${ref(cr)}`,
      },
    );
    return out;
  }
  if (strategy !== 'production' && strategy !== 'streaming') return out;
  const collectorSel = jaegerLabels(`${name}-collector`, 'collector', name);
  const querySel = jaegerLabels(`${name}-query`, 'query', name);
  out.push(
    ...frontServices(collectorSel, querySel, false),
    {
      kind: 'Deployment',
      name: `${name}-collector`,
      namespace: ns,
      matchLabels: collectorSel,
      podLabels: { ...collectorSel, ...common, ...labels(at(s, 'collector', 'labels')) },
      podAnnotations: { ...commonAnn, ...labels(at(s, 'collector', 'annotations')) },
      containers: [
        container('jaeger-collector', [
          containerPort('zipkin', 9411),
          containerPort('c-tchan-trft', 14267),
          containerPort('c-binary-trft', 14268),
          containerPort('admin-http', 14269),
          containerPort('grpc', 14250),
        ]),
      ],
      note: `Jaeger collector Deployment for Jaeger ${ref(cr)}`,
    },
    {
      kind: 'Deployment',
      name: `${name}-query`,
      namespace: ns,
      matchLabels: querySel,
      podLabels: { ...querySel, ...common, ...labels(at(s, 'query', 'labels')) },
      // query.go: the query pods are not injected unless the CR asks for it.
      podAnnotations: { 'sidecar.istio.io/inject': 'false', ...commonAnn, ...labels(at(s, 'query', 'annotations')) },
      containers: [
        container('jaeger-query', [containerPort('query', 16686), containerPort('grpc-query', 16685), containerPort('admin-http', 16687)]),
        ...(oauth ? [container('oauth-proxy', [containerPort('public', 8443)])] : []),
      ],
      note: `Jaeger query Deployment for Jaeger ${ref(cr)}`,
    },
  );
  return out;
}

export const jaegerOperator: Operator = {
  name: 'jaeger-operator',
  resources: [{ group: 'jaegertracing.io', kinds: ['Jaeger'] }],
  derive,
};
