// Prometheus operator: `Prometheus`, `Alertmanager` and `ThanosRuler` become StatefulSets plus one governing
// headless Service per kind and namespace (`prometheus-operated`, `alertmanager-operated`,
// `thanos-ruler-operated`) that selects every instance of the kind in the namespace.
// Sources (prometheus-operator/prometheus-operator): pkg/prometheus/server/statefulset.go (makeStatefulSetService:
// spec.portName, default web, 9090, grpc 10901 with spec.thanos; pod selector labels; `prometheus-<name>` and
// `-shard-<n>`), pkg/alertmanager/statefulset.go (9093 portName, tcp-mesh/udp-mesh 9094), pkg/thanos/statefulset.go
// (10902 portName, grpc 10901, `thanos-ruler-<name>`). Big Bang's monitoring package also renders its own
// `*-kube-prometheus` Services from the kube-prometheus-stack chart; these are the operator's.
import type { Manifest } from '../../manifest/types.js';
import { at, bool, container, containerPort, count, labels, ref, service, servicePort, spec, str } from './cr.js';
import type { Derived, DerivedContainer, Labels, Operator } from './types.js';
import type { Json } from './cr.js';

const MANAGED = { 'app.kubernetes.io/managed-by': 'prometheus-operator' };

function podMetadata(s: Json): { labels: Labels; annotations: Labels } {
  return { labels: labels(at(s, 'podMetadata', 'labels')), annotations: labels(at(s, 'podMetadata', 'annotations')) };
}

function prometheus(cr: Manifest): Derived[] {
  const s = spec(cr);
  const portName = str(s.portName) ?? 'web';
  const thanos = s.thanos !== undefined && s.thanos !== null;
  const listenLocal = bool(s.listenLocal) === true;
  const shards = Math.max(1, count(s.shards) ?? 1);
  const meta = podMetadata(s);
  const ports = [servicePort(portName, 9090, portName)];
  if (thanos) ports.push(servicePort('grpc', 10901, 'grpc'));
  const out: Derived[] = [
    service({
      name: 'prometheus-operated',
      namespace: cr.namespace,
      labels: { 'operated-prometheus': 'true' },
      clusterIP: 'None',
      selector: { 'app.kubernetes.io/name': 'prometheus' },
      ports,
      note: `governing Service of the Prometheus StatefulSets in ${cr.namespace} (from Prometheus ${ref(cr)})`,
    }),
  ];
  const containers: DerivedContainer[] = [container('prometheus', listenLocal ? [] : [containerPort(portName, 9090)])];
  if (thanos) containers.push(container('thanos-sidecar', [containerPort('http', 10902), containerPort('grpc', 10901)]));
  for (let shard = 0; shard < shards; shard++) {
    const selector = {
      'app.kubernetes.io/name': 'prometheus',
      ...MANAGED,
      'app.kubernetes.io/instance': cr.name,
      prometheus: cr.name,
      'operator.prometheus.io/shard': String(shard),
      'operator.prometheus.io/name': cr.name,
    };
    out.push({
      kind: 'StatefulSet',
      name: shard === 0 ? `prometheus-${cr.name}` : `prometheus-${cr.name}-shard-${shard}`,
      namespace: cr.namespace,
      matchLabels: selector,
      podLabels: { ...meta.labels, ...selector },
      podAnnotations: meta.annotations,
      containers,
      note: `Prometheus ${ref(cr)} shard ${shard}`,
    });
  }
  return out;
}

function alertmanager(cr: Manifest): Derived[] {
  const s = spec(cr);
  const portName = str(s.portName) ?? 'web';
  const meta = podMetadata(s);
  const selector = {
    'app.kubernetes.io/name': 'alertmanager',
    ...MANAGED,
    'app.kubernetes.io/instance': cr.name,
    alertmanager: cr.name,
  };
  const web = bool(s.listenLocal) === true ? [] : [containerPort(portName, 9093)];
  return [
    service({
      name: 'alertmanager-operated',
      namespace: cr.namespace,
      labels: { 'operated-alertmanager': 'true' },
      clusterIP: 'None',
      selector: { 'app.kubernetes.io/name': 'alertmanager' },
      ports: [servicePort(portName, 9093, portName), servicePort('tcp-mesh', 9094, 9094), servicePort('udp-mesh', 9094, 9094, 'UDP')],
      note: `governing Service of the Alertmanager StatefulSets in ${cr.namespace} (from Alertmanager ${ref(cr)})`,
    }),
    {
      kind: 'StatefulSet',
      name: `alertmanager-${cr.name}`,
      namespace: cr.namespace,
      matchLabels: selector,
      podLabels: { ...meta.labels, ...selector },
      podAnnotations: meta.annotations,
      containers: [container('alertmanager', [...web, containerPort('mesh-tcp', 9094), containerPort('mesh-udp', 9094, 'UDP')])],
      note: `Alertmanager ${ref(cr)}`,
    },
  ];
}

function thanosRuler(cr: Manifest): Derived[] {
  const s = spec(cr);
  const portName = str(s.portName) ?? 'web';
  const meta = podMetadata(s);
  const selector = {
    'app.kubernetes.io/name': 'thanos-ruler',
    ...MANAGED,
    'app.kubernetes.io/instance': cr.name,
    'thanos-ruler': cr.name,
  };
  const web = bool(s.listenLocal) === true ? [] : [containerPort(portName, 10902)];
  return [
    service({
      name: 'thanos-ruler-operated',
      namespace: cr.namespace,
      labels: { 'operated-thanos-ruler': 'true' },
      clusterIP: 'None',
      selector: { 'app.kubernetes.io/name': 'thanos-ruler' },
      ports: [servicePort(portName, 10902, portName), servicePort('grpc', 10901, 'grpc')],
      note: `governing Service of the ThanosRuler StatefulSets in ${cr.namespace} (from ThanosRuler ${ref(cr)})`,
    }),
    {
      kind: 'StatefulSet',
      name: `thanos-ruler-${cr.name}`,
      namespace: cr.namespace,
      matchLabels: selector,
      podLabels: { ...meta.labels, ...selector },
      podAnnotations: meta.annotations,
      containers: [container('thanos-ruler', [containerPort('grpc', 10901), ...web])],
      note: `ThanosRuler ${ref(cr)}`,
    },
  ];
}

export const prometheusOperator: Operator = {
  name: 'prometheus-operator',
  resources: [{ group: 'monitoring.coreos.com', kinds: ['Prometheus', 'Alertmanager', 'ThanosRuler'] }],
  derive: (cr) => {
    if (cr.kind === 'Prometheus') return prometheus(cr);
    if (cr.kind === 'Alertmanager') return alertmanager(cr);
    if (cr.kind === 'ThanosRuler') return thanosRuler(cr);
    return [];
  },
};
